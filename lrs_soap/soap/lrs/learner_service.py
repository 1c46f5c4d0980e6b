"""LearnerService.svc: the live LRS learner register (LearnerPortType, lrs-wire.md section 3)
on the mirror face. Each operation authenticates the body's credentials, maps the request
in, calls one service function and maps the answer out; MirrorFace parses, validates against
xsd/lrs-learner-service.xsd (the legacy MIAP facets), dispatches on the body's root element
and writes faults in the live shape (learner_faults).
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

from lrs_soap.domain.batches import JobKind
from lrs_soap.service import accounts, batches, learners, verification
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.soap.lrs import learner_batch_mapping as batch_out
from lrs_soap.soap.lrs import learner_mapping as out
from lrs_soap.soap.lrs import learner_xml as xml
from lrs_soap.soap.lrs.face import MirrorFace, Operation
from lrs_soap.soap.lrs.learner_faults import FAULTS
from lrs_soap.soap.lrs.learner_xml import child_text

XSD = "lrs-learner-service.xsd"

Respond = Callable[[ServiceContext, Caller, etree._Element], etree._Element]


def learner_by_uln(ctx: ServiceContext, caller: Caller, request: etree._Element):
    query = learners.FindByUlnQuery(uln=child_text(request, "ULN"),
                                    given_name=child_text(request, "GivenName"),
                                    family_name=child_text(request, "FamilyName"),
                                    check_only=child_text(request, "FindType") == "CHK")
    outcome = learners.find_learner_by_uln(ctx, caller, query)
    found = [(outcome.learner, outcome.master_substituted)] if outcome.learner else []
    return out.find_response(request, outcome.code, found)


def learner_by_demographics(ctx: ServiceContext, caller: Caller, request: etree._Element):
    result = learners.find_learner_by_demographics(
        ctx, caller, out.demographics_in(request),
        check_only=child_text(request, "FindType") == "CHK")
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


# (WSDL operation, request root element, capability, handler); SOAPAction is not needed.
OPERATIONS: tuple[tuple[str, str, str, Respond], ...] = (
    ("learnerByULN", f"{{{xml.FINDMSG}}}FindLearnerByULN", "find_learner", learner_by_uln),
    ("learnerByDemographics", f"{{{xml.FINDMSG}}}FindLearnerByDemographics", "find_learner",
     learner_by_demographics),
    ("registerSingleLearner", f"{{{xml.REGMSG}}}RegisterLearner", "register_learner",
     register_single_learner),
    ("updateSingleLearner", f"{{{xml.REGMSG}}}UpdateLearner", "update_learner",
     update_single_learner),
    ("submitBatchRegistration", f"{{{xml.BATCHMSG}}}SubmitBatch", "learner_batch",
     submit_batch_registration),
    ("getBatchRegistrationOutput", f"{{{xml.BATCHMSG}}}GetSubmitBatchOutput", "learner_batch",
     get_batch_registration_output),
    ("submitVerifyBatch", f"{{{xml.VLDMSG}}}SubmitVerifyBatch", "verify_batch",
     submit_verify_batch),
    ("getVerifyBatchOutput", f"{{{xml.VLDMSG}}}GetVerifyBatchOutput", "verify_batch",
     get_verify_batch_output),
    ("retrieveULNs", f"{{{xml.REPORTMSG}}}RetrieveULNs", "find_learner", retrieve_ulns),
    ("verifyLearner", f"{{{xml.REPORTMSG}}}VerifyLearner", "verify_learner", verify_learner),
)


def _authenticated(capability: str, respond: Respond):
    def handle(services: ServiceContext, request: etree._Element) -> etree._Element:
        caller = accounts.authenticate(services, xml.credentials(request), capability)
        return respond(services, caller, request)
    return handle


def build(services: ServiceContext) -> MirrorFace:
    operations = [Operation(name, element, _authenticated(capability, respond))
                  for name, element, capability, respond in OPERATIONS]
    return MirrorFace(services, xsd_name=XSD, operations=operations, faults=FAULTS)
