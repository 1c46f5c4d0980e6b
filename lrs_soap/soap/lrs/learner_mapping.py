"""LearnerService.svc messages in and out for the identity operations (lrs-wire.md 3.4-3.8,
3.11, 3.12). Element names and orders are the live contract's; no rules here."""

from __future__ import annotations

from lxml import etree

from lrs_soap.domain import sent_learner
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.find_by_uln import FindOutcome
from lrs_soap.domain.matching import DemographicQuery
from lrs_soap.domain.model import Learner, LearnerDetails
from lrs_soap.domain.verification import VerifyOutcome, VerifyQuery
from lrs_soap.record_elements import DETAIL_FIELDS, learner_record
from lrs_soap.soap.lrs import learner_xml as xml
from lrs_soap.soap.lrs.learner_xml import add, child_text

_ATTRIBUTE = dict(DETAIL_FIELDS)  # LearnerToRegister element -> LearnerDetails attribute

# Learner (lrs-wire 3.6) between MasterSubstituted and TierLevel: the LearnerToRegister
# details in their own order, but for AbilityToShare and Notes, which come later.
_LEARNER_DETAILS = tuple(element for element, _ in DETAIL_FIELDS
                         if element not in ("AbilityToShare", "Notes"))

# FindLearnerResponse items 2-11: the search criteria, echoed as sent.
_ECHOED_CRITERIA = ("ULN", "FamilyName", "GivenName", "DateOfBirth", "Gender",
                    "LastKnownPostCode", "PreviousFamilyName", "SchoolAtAge16", "PlaceOfBirth",
                    "EmailAddress")


# ----- in -----

def demographics_in(request: etree._Element) -> DemographicQuery:
    def text(tag: str) -> str | None:
        return child_text(request, tag)

    return DemographicQuery(
        given_name=text("GivenName"), family_name=text("FamilyName"),
        date_of_birth=xml.date_in(request, "DateOfBirth"), gender=text("Gender"),
        postcode=text("LastKnownPostCode"), previous_family_name=text("PreviousFamilyName"),
        school_at_age_16=text("SchoolAtAge16"), place_of_birth=text("PlaceOfBirth"),
        email_address=text("EmailAddress"))


def details_in(learner: etree._Element) -> LearnerDetails:
    """A LearnerToRegister / LearnerToUpdate element as LearnerDetails."""
    return sent_learner.read(learner_record(xml.children(learner))).details()


def verify_in(learner: etree._Element) -> VerifyQuery:
    return VerifyQuery(uln=child_text(learner, "ULN"),
                       given_name=child_text(learner, "GivenName"),
                       family_name=child_text(learner, "FamilyName"),
                       date_of_birth=xml.date_in(learner, "DateOfBirth"),
                       gender=child_text(learner, "Gender"))


# ----- out -----

def learner_out(parent: etree._Element, learner: Learner, *,
                master_substituted: bool) -> etree._Element:
    """One ``Learner``: the 32 elements of lrs-wire 3.6 in order, absent optionals left out."""
    out = etree.SubElement(parent, "Learner")
    details = learner.details
    add(out, "CreatedDate", uk_date(learner.created_at))
    add(out, "LastUpdatedDate", uk_date(learner.updated_at))
    add(out, "ULN", learner.uln)
    if master_substituted:
        add(out, "MasterSubstituted", "Y")
    for element in _LEARNER_DETAILS:
        add(out, element, getattr(details, _ATTRIBUTE[element]))
    add(out, "TierLevel", learner.tier_level)
    add(out, "AbilityToShare", details.ability_to_share)
    add(out, "LearnerStatus", learner.status.value)
    xml.linked_ulns(out, learner.linked_ulns)
    etree.SubElement(out, "Notes").text = details.notes or None  # <Notes/> when none
    add(out, "VersionNumber", learner.version_number)
    return out


def find_response(request: etree._Element, code: str,
                  matches: list[tuple[Learner, bool]]) -> etree._Element:
    """FindLearnerResponse: the code, the criteria as sent, then (learner, substituted)s."""
    response = xml.root(xml.FINDMSG, "FindLearnerResponse")
    add(response, "ResponseCode", code)
    for tag in _ECHOED_CRITERIA:
        add(response, tag, child_text(request, tag))
    for learner, substituted in matches:
        learner_out(response, learner, master_substituted=substituted)
    return response


def verify_response(learner_to_verify: etree._Element,
                    outcome: VerifyOutcome) -> etree._Element:
    """VerifyLearnerResponse/VerifiedLearner (MIAPVerifiedLearner)."""
    response = xml.root(xml.REPORTMSG, "VerifyLearnerResponse")
    verified = etree.SubElement(response, "VerifiedLearner")
    for tag in ("ULN", "FamilyName", "GivenName", "DateOfBirth", "Gender"):
        add(verified, f"Searched{tag}", child_text(learner_to_verify, tag))
    add(verified, "ResponseCode", outcome.code)
    held = outcome.learner
    if held is not None:
        add(verified, "ULN", held.uln)
        add(verified, "FamilyName", held.details.family_name)
        add(verified, "GivenName", held.details.given_name)
        add(verified, "DateOfBirth", held.details.date_of_birth)
        add(verified, "Gender", held.details.gender)
    for flag in outcome.flags:
        add(verified, "FailureFlag", flag)
    return response


def retrieved_ulns_response(results: list[tuple[str, FindOutcome]]) -> etree._Element:
    """RetrieveULNsResponse/RetrievedULNs/VerifiedULN (MIAPRetrievedULN) per ULN asked for:
    the ULN, MasterULN when merged, the code, and the current holder's names, date of birth
    and gender (the master's when merged)."""
    response = xml.root(xml.REPORTMSG, "RetrieveULNsResponse")
    retrieved = etree.SubElement(response, "RetrievedULNs")
    for uln, outcome in results:
        item = etree.SubElement(retrieved, "VerifiedULN")
        add(item, "ULN", uln)
        held = outcome.learner
        if held is not None and outcome.master_substituted:
            add(item, "MasterULN", held.uln)
        add(item, "ResponseCode", outcome.code)
        if held is not None:
            add(item, "FamilyName", held.details.family_name)
            add(item, "GivenName", held.details.given_name)
            add(item, "DateOfBirth", held.details.date_of_birth)
            add(item, "Gender", held.details.gender)
    return response
