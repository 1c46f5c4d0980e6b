"""LearnerService.svc: the live LRS learner register (LearnerPortType, lrs-wire.md section 3)
on the mirror face. Each operation maps the request in, calls one service function and maps
the answer out; the intake (lrs_soap.soap.intake) parses, validates against
xsd/lrs-learner-service.xsd (the legacy MIAP facets), dispatches on the body's root element,
authenticates the body's credentials and writes faults in the live shape (learner_faults).
"""

from __future__ import annotations

from lxml import etree

from lrs_soap.domain.access import LEARNER_SERVICE
from lrs_soap.domain.batches import JobKind
from lrs_soap.domain.model import FindType
from lrs_soap.service import batches, learners, verification
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.soap.intake import Intake, Operation
from lrs_soap.soap.lrs import learner_batch_mapping as batch_out
from lrs_soap.soap.lrs import learner_mapping as out
from lrs_soap.soap.lrs import learner_xml as xml
from lrs_soap.soap.lrs.face import mirror_intake
from lrs_soap.soap.lrs.learner_faults import FAULTS
from lrs_soap.soap.lrs.learner_xml import child_text

XSD = "lrs-learner-service.xsd"


def learner_by_uln(ctx: ServiceContext, caller: Caller, request: etree._Element):
    query = learners.FindByUlnQuery(uln=child_text(request, "ULN"),
                                    given_name=child_text(request, "GivenName"),
                                    family_name=child_text(request, "FamilyName"),
                                    check_only=FindType.check_only(child_text(request, "FindType")))
    outcome = learners.find_learner_by_uln(ctx, caller, query)
    found = [(outcome.learner, outcome.master_substituted)] if outcome.learner else []
    return out.find_response(request, outcome.code, found)


def learner_by_demographics(ctx: ServiceContext, caller: Caller, request: etree._Element):
    result = learners.find_learner_by_demographics(
        ctx, caller, out.demographics_in(request),
        check_only=FindType.check_only(child_text(request, "FindType")))
    return out.find_response(request, result.code,
                             [(m.learner, m.master_substituted) for m in result.matches])


def register_single_learner(ctx: ServiceContext, caller: Caller, request: etree._Element):
    result = learners.register_learner(ctx, caller, out.details_in(request.find("Learner")))
    response = xml.root(xml.REGMSG, "RegisterLearnerResponse")
    xml.add(response, "ResponseCode", result.code)
    xml.add(response, "ULN", result.uln)
    return response


def update_single_learner(ctx: ServiceContext, caller: Caller, request: etree._Element):
    learner = request.find("Learner")
    result = learners.update_learner(ctx, caller, child_text(learner, "ULN"),
                                     int(child_text(learner, "VersionNumber")),
                                     out.details_in(learner))
    response = xml.root(xml.REGMSG, "UpdateLearnerResponse")
    xml.add(response, "ResponseCode", result.code)
    return response


def submit_batch_registration(ctx: ServiceContext, caller: Caller, request: etree._Element):
    result = batches.submit(ctx, caller, batch_out.learner_submission(request))
    return batch_out.submitted(xml.BATCHMSG, "SubmitBatchResponse", result.code, result.job_id)


def get_batch_registration_output(ctx: ServiceContext, caller: Caller,
                                  request: etree._Element):
    report = batches.report(ctx, caller, JobKind.LEARNER_REGISTRATION,
                            batch_out.job_id_in(request))
    return batch_out.learner_output(report)


def submit_verify_batch(ctx: ServiceContext, caller: Caller, request: etree._Element):
    result = batches.submit(ctx, caller, batch_out.verify_submission(request))
    return batch_out.submitted(xml.VLDMSG, "SubmitVerifyBatchResponse", result.code,
                               result.job_id)


def get_verify_batch_output(ctx: ServiceContext, caller: Caller, request: etree._Element):
    report = batches.report(ctx, caller, JobKind.VERIFICATION, batch_out.job_id_in(request))
    return batch_out.verify_output(report)


def retrieve_ulns(ctx: ServiceContext, caller: Caller, request: etree._Element):
    ulns = [uln.text for uln in request.find("ULNsToRetrieve").iterfind("ULN")]
    return out.retrieved_ulns_response(learners.retrieve_ulns(ctx, caller, ulns))


def verify_learner(ctx: ServiceContext, caller: Caller, request: etree._Element):
    learner = request.find("LearnerToVerify")
    outcome = verification.verify_learner_details(ctx, caller, out.verify_in(learner))
    return out.verify_response(learner, outcome)


# Every operation reads the body's own credentials (UKPRN, OrganisationRef, UserName,
# OrgPassword); SOAPAction is not needed. Capabilities: domain.access.OPERATIONS.
OPERATIONS = tuple(Operation(name, element, xml.credentials, handle) for name, element, handle in (
    ("learnerByULN", f"{{{xml.FINDMSG}}}FindLearnerByULN", learner_by_uln),
    ("learnerByDemographics", f"{{{xml.FINDMSG}}}FindLearnerByDemographics",
     learner_by_demographics),
    ("registerSingleLearner", f"{{{xml.REGMSG}}}RegisterLearner", register_single_learner),
    ("updateSingleLearner", f"{{{xml.REGMSG}}}UpdateLearner", update_single_learner),
    ("submitBatchRegistration", f"{{{xml.BATCHMSG}}}SubmitBatch", submit_batch_registration),
    ("getBatchRegistrationOutput", f"{{{xml.BATCHMSG}}}GetSubmitBatchOutput",
     get_batch_registration_output),
    ("submitVerifyBatch", f"{{{xml.VLDMSG}}}SubmitVerifyBatch", submit_verify_batch),
    ("getVerifyBatchOutput", f"{{{xml.VLDMSG}}}GetVerifyBatchOutput", get_verify_batch_output),
    ("retrieveULNs", f"{{{xml.REPORTMSG}}}RetrieveULNs", retrieve_ulns),
    ("verifyLearner", f"{{{xml.REPORTMSG}}}VerifyLearner", verify_learner),
))


def build(services: ServiceContext) -> Intake:
    return mirror_intake(services, LEARNER_SERVICE, xsd_name=XSD, operations=OPERATIONS,
                         faults=FAULTS, wcf=False)
