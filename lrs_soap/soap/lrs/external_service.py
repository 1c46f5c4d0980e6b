"""/ExternalService.svc: IExternalService, achievement batches from awarding organisations,
exactly as the live WCF service answers (lrs-wire 5; wsdl/ExternalService.wsdl;
docs/compatibility.md).

SubmitAchievementBatchJob turns each live Achievement into the native achievement payload
and submits the batch through the one batch service; GetAchievementBatchJob reports it.
Errors are DomainFaults (lrs_soap.soap.lrs.wcf.domain_fault_style).
"""

from __future__ import annotations

from lxml import etree

from lrs_soap.domain.access import EXTERNAL_SERVICE
from lrs_soap.domain.batches import JobKind
from lrs_soap.service import accounts, batches
from lrs_soap.service.context import ServiceContext
from lrs_soap.soap.intake import Intake, Operation
from lrs_soap.soap.lrs import external_mapping as mapping
from lrs_soap.soap.lrs.face import mirror_intake
from lrs_soap.soap.lrs.wcf import SERVICES_NS, Writer, domain_fault_style
from lrs_soap.soap.request_values import blank_to_none, child_text

XSD = "lrs-external.xsd"
ACTION = f"{SERVICES_NS}/IExternalService/"  # + the operation: its SOAPAction (lrs-wire 2.2)
def submit_achievement_batch_job(services: ServiceContext, caller: accounts.Caller,
                                 request: etree._Element) -> etree._Element:
    submission_type = mapping.submission_type_in(child_text(request, SERVICES_NS,
                                                            "submissionType"))
    records = mapping.achievements(request)
    result = batches.submit(services, caller, batches.Submission(
        JobKind.ACHIEVEMENT, records, len(records), submission_type=submission_type.value,
        email=blank_to_none(child_text(request, SERVICES_NS, "emailAddress"))))
    writer = Writer()
    response, element = writer.result(SERVICES_NS, "SubmitAchievementBatchJob",
                                      mapping.SUBMIT_RESPONSE)
    writer.members(element, mapping.SUBMIT_RESPONSE,
                   {"ResponseCode": result.code.value, "JobId": result.job_id})
    return response


def get_achievement_batch_job(services: ServiceContext, caller: accounts.Caller,
                              request: etree._Element) -> etree._Element:
    job_id = child_text(request, SERVICES_NS, "jobId")
    report = batches.report(services, caller, JobKind.ACHIEVEMENT,
                            int(job_id) if job_id else 0)
    writer = Writer()
    response, element = writer.result(SERVICES_NS, "GetAchievementBatchJob",
                                      mapping.BATCH_JOB_RESPONSE)
    writer.members(element, mapping.BATCH_JOB_RESPONSE, mapping.job_response(report))
    return response


# Both read the invokingUser; anyone may knock: a non-awarding organisation is answered
# WSRC0043 (domain.access.OPERATIONS, service.batches).
OPERATIONS = tuple(
    Operation(name, f"{{{SERVICES_NS}}}{name}", mapping.credentials_in, handle,
              f"{ACTION}{name}")
    for name, handle in (("SubmitAchievementBatchJob", submit_achievement_batch_job),
                         ("GetAchievementBatchJob", get_achievement_batch_job)))


def build(services: ServiceContext) -> Intake:
    return mirror_intake(services, EXTERNAL_SERVICE, xsd_name=XSD, operations=OPERATIONS,
                         faults=domain_fault_style(), wcf=True)
