"""/LearnerServiceR9.svc: ILearnerServiceR9 exactly as the live WCF service answers
(lrs-wire 4; wsdl/LearnerServiceR9.wsdl; docs/compatibility.md).

Each operation maps the request in, calls one service function and writes the result's
data contract; the intake (lrs_soap.soap.intake) authenticates the invokingOrganisation
first. Refusals the live service gives as
ordinary answers (WSEC0206, WSEC0208 on GetLearnerLearningEvents) are ResponseCodes; every
other error is a DomainFault (lrs_soap.soap.lrs.wcf.domain_fault_style).
"""

from __future__ import annotations

from lxml import etree

from lrs_soap.domain.access import LEARNER_SERVICE_R9
from lrs_soap.domain.codes import ErrorCode
from lrs_soap.domain.errors import InvalidRequest, LrsError
from lrs_soap.domain.model import FindType
from lrs_soap.domain.plr import GetType, RecordQuery
from lrs_soap.service import accounts, learners, organisations, plr
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.learner_subset import SubsetChanges, update_learner_subset
from lrs_soap.soap.intake import Intake, Operation
from lrs_soap.soap.lrs import r9_contracts as contracts
from lrs_soap.soap.lrs import r9_mapping as mapping
from lrs_soap.soap.lrs.face import mirror_intake
from lrs_soap.soap.lrs.r9_mapping import param
from lrs_soap.soap.lrs.wcf import (
    COMMON_NS,
    MODEL_NS,
    SERVICE_INTERFACE_NS,
    TEMPURI_NS,
    Items,
    Writer,
    domain_fault_style,
)
from lrs_soap.soap.request_values import blank_to_none, date_in

XSD = "lrs-r9.xsd"
ACTION = f"{TEMPURI_NS}ILearnerServiceR9/"  # + the operation: its SOAPAction (lrs-wire 2.2)
FIND_TYPES = frozenset(FindType)
GET_TYPES = frozenset(GetType)


def _credentials(request: etree._Element) -> accounts.Credentials:
    """invokingOrganisation: InvokingOrganisation (its ``Reference``)."""
    return mapping.credentials_in(request, COMMON_NS, "Reference")


def _credentials_r10(request: etree._Element) -> accounts.Credentials:
    """invokingOrganisation: InvokingOrganisationR10 (its ``OrganisationRef``)."""
    return mapping.credentials_in(request, SERVICE_INTERFACE_NS, "OrganisationRef")


def learner_by_uln(services: ServiceContext, caller: accounts.Caller,
                   request: etree._Element) -> etree._Element:
    uln, given = param(request, "uln"), param(request, "givenName")
    family = param(request, "familyName")
    find_type = mapping.choice(param(request, "findType"), "findType", FindType.FULL,
                               FIND_TYPES)
    outcome = learners.find_learner_by_uln(services, caller, learners.FindByUlnQuery(
        uln=uln or "", given_name=given or "", family_name=family or "",
        check_only=FindType.check_only(find_type)))
    writer = Writer()
    response, result = writer.result(TEMPURI_NS, "LearnerByUln", contracts.LEARNER_BY_ULN_RESPONSE)
    writer.members(result, contracts.LEARNER_BY_ULN_RESPONSE, {
        "ResponseCode": outcome.code.value, "FamilyName": family, "GivenName": given,
        "Learner": mapping.miap_learner(outcome.learner) if outcome.learner else None,
        "Uln": uln})
    return response


def get_learner_learning_events(services: ServiceContext, caller: accounts.Caller,
                                request: etree._Element) -> etree._Element:
    get_type = mapping.choice(param(request, "getType"), "getType", GetType.FULL, GET_TYPES)
    query = RecordQuery(uln=param(request, "uln") or "",
                        given_name=param(request, "givenName") or "",
                        family_name=param(request, "familyName") or "",
                        date_of_birth=date_in(param(request, "dateOfBirth"),
                                                      "dateOfBirth"),
                        gender=blank_to_none(param(request, "gender")))
    record = plr.get_learner_record(services, caller, query, get_type)
    writer = Writer()
    contract = contracts.GET_LEARNER_LEARNING_EVENTS_RESPONSE
    response, result = writer.result(TEMPURI_NS, "GetLearnerLearningEvents", contract)
    writer.members(result, contract, {
        "ResponseCode": record.code, "FoundULN": record.found_uln or "",
        "IncomingULN": param(request, "uln"),
        "LearnerRecord": mapping.learner_record(record.events, record.fields)})
    return response


def update_learner_subset_fields(services: ServiceContext, caller: accounts.Caller,
                                 request: etree._Element) -> etree._Element:
    changes = SubsetChanges(
        email_address=param(request, "emailAddress"),
        school_at_age_16=param(request, "schoolAtAge16"),
        preferred_given_name=param(request, "preferredGivenName"),
        ability_to_share=mapping.ABILITY_TO_SHARE[param(request, "abilityToShare") or
                                                  "NotProvided"])
    result = update_learner_subset(services, caller, param(request, "uln") or "",
                                   int(param(request, "versionNumber") or 0), changes)
    response, element = Writer().result(TEMPURI_NS, "UpdateLearnerSubsetFields")
    element.text = result.code.value
    return response


def view_audit(services: ServiceContext, caller: accounts.Caller,
               request: etree._Element) -> etree._Element:
    query = RecordQuery(uln=param(request, "learnerUln") or "",
                        given_name=param(request, "learnerGivenName") or "",
                        family_name=param(request, "learnerFamilyName") or "")
    audit = plr.get_learner_record_audit(services, caller, query,
                                         plr.Page(int(param(request, "page") or 1)))
    if not audit.granted:  # the paged list has no ResponseCode to say so
        raise LrsError("the learner's record cannot be shown", code=_refusal(audit.code))
    writer = Writer()
    contract = contracts.PAGED_ACCESS_ENTRIES
    response, result = writer.result(TEMPURI_NS, "ViewAudit", contract)
    writer.members(result, contract, {
        "List": Items(MODEL_NS, "PlrAccessEntryResponse",
                      [mapping.access_entry(entry) for entry in audit.entries]),
        "PageCount": audit.page_count, "PageIndex": audit.page.index,
        "PageSize": audit.page.size, "SortIndex": 0, "SortOrder": 1,
        "TotalItems": audit.total})
    return response


def get_organisation(services: ServiceContext, caller: accounts.Caller,
                     request: etree._Element) -> etree._Element:
    info = organisations.organisation_info(
        services, caller, blank_to_none(param(request, "ukPrn")),
        blank_to_none(param(request, "orgRef")))
    writer = Writer()
    contract = contracts.GET_ORGANISATION_RESPONSE
    response, result = writer.result(TEMPURI_NS, "GetOrganisation", contract)
    writer.members(result, contract, {
        "ResponseCode": info.code.value, "DisplayName": info.name, "OrgRef": info.reference,
        "Status": info.status, "Ukprn": info.ukprn})
    return response


def _refusal(code: str) -> ErrorCode:
    try:
        return ErrorCode(code)
    except ValueError:
        raise InvalidRequest(f"unexpected outcome {code}") from None


OPERATIONS = tuple(
    Operation(name, f"{{{TEMPURI_NS}}}{name}", credentials, handle, f"{ACTION}{name}")
    for name, credentials, handle in (
        ("LearnerByUln", _credentials, learner_by_uln),
        ("GetLearnerLearningEvents", _credentials_r10, get_learner_learning_events),
        ("UpdateLearnerSubsetFields", _credentials, update_learner_subset_fields),
        ("ViewAudit", _credentials, view_audit),
        ("GetOrganisation", _credentials, get_organisation)))


def build(services: ServiceContext) -> Intake:
    return mirror_intake(services, LEARNER_SERVICE_R9, xsd_name=XSD, operations=OPERATIONS,
                         faults=domain_fault_style(), wcf=True)
