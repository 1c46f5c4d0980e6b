"""LearnerServiceR9 messages in and out: request parameters to service values, service
results to data-contract member values (r9_contracts). No rules here."""

from __future__ import annotations

import datetime as dt

from lxml import etree

from lrs_soap.domain import participation
from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.domain.model import Learner, LearningEvent
from lrs_soap.service.accounts import Credentials
from lrs_soap.service.ports import AccessEntry
from lrs_soap.soap.lrs import r9_contracts as contracts
from lrs_soap.soap.lrs.learner_xml import timestamp
from lrs_soap.soap.lrs.wcf import ARRAYS_NS, MODEL_NS, TEMPURI_NS, Items, Nested
from lrs_soap.soap.request_values import blank_to_none, child, child_text

# The audit actions ViewAudit lists, named by the R9 operation that reads the same thing.
ACCESS_ACTIONS = {"plr.read": "GetLearnerLearningEvents", "plr.audit": "ViewAudit"}
# What the live service writes in a LearningEvent for a value it does not hold, as in the
# captured exact_match_full reply (lrs-wire 8.7): participation events (ILR, NPD) carry the
# UNKNOWN/UNKNWN awarding organisation and 9999999999 grade placeholders, Restriction 0 and
# empty participation dates; an awarding organisation's achievement carries an empty provider.
PARTICIPATION_NOT_HELD = {"AwardingOrganisationName": "UNKNOWN",
                          "AwardingOrganisationUkprn": "UNKNWN", "Grade": "9999999999",
                          "ParticipationEndDate": "", "ParticipationStartDate": "",
                          "Restriction": "0"}
AO_NOT_HELD = {"AchievementProviderName": "", "AchievementProviderUkprn": ""}
# model:AbilityToShare -> the LearnerDetails value; NotProvided leaves the held value alone.
ABILITY_TO_SHARE = {"NotProvided": None, "FPNNotSeen": "0", "FPNSeenShareData": "1"}


def param(request: etree._Element, name: str) -> str | None:
    """A wrapper parameter's text; None when absent or nil."""
    return child_text(request, TEMPURI_NS, name)


def credentials_in(request: etree._Element, namespace: str, reference: str) -> Credentials:
    """invokingOrganisation (InvokingOrganisation: ``Reference``; InvokingOrganisationR10:
    ``OrganisationRef``) as service credentials."""
    holder = child(request, TEMPURI_NS, "invokingOrganisation")
    return Credentials(user_name=child_text(holder, namespace, "Username") or "",
                       password=child_text(holder, namespace, "Password") or "",
                       ukprn=blank_to_none(child_text(holder, namespace, "Ukprn")),
                       organisation_ref=blank_to_none(child_text(holder, namespace, reference)))


def choice(text: str | None, name: str, default: str, allowed: frozenset[str]) -> str:
    """An upper-cased code from ``allowed`` (``default`` when absent or blank)."""
    value = (blank_to_none(text) or default).upper()
    if value not in allowed:
        raise InvalidRequest(f"{name} must be one of {', '.join(sorted(allowed))}")
    return value


def _date_text(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _loaded(value: dt.datetime | None) -> str | None:
    """DateLoaded: ``yyyy-MM-dd HH:mm:ss`` in UK time, no milliseconds (lrs-wire 4.3, 9.2)."""
    return None if value is None else timestamp(value)


def learning_event(event: LearningEvent, fields: frozenset[str] | None) -> Nested:
    """One LearningEvent; with ``fields`` (getType BRIEF) only those attributes are sent."""
    values = {
        "AchievementAwardDate": ("award_date", _date_text(event.award_date)),
        "AchievementProviderName": ("achievement_provider_name",
                                    event.achievement_provider_name),
        "AchievementProviderUkprn": ("achievement_provider_ukprn",
                                     event.achievement_provider_ukprn),
        "AwardingOrganisationName": ("awarding_organisation_name",
                                     event.awarding_organisation_name),
        "AwardingOrganisationUkprn": ("awarding_organisation_ukprn",
                                      event.awarding_organisation_ukprn),
        "CollectionType": ("collection_type", event.collection_type),
        "Credits": ("credits", event.credits),
        "DateLoaded": ("date_loaded", _loaded(event.date_loaded)),
        "Grade": ("grade", event.grade),
        "ID": ("id", event.id),
        "LanguageForAssessment": ("language_for_assessment", event.language_for_assessment),
        "Level": ("level", event.level),
        "ParticipationEndDate": ("participation_end_date",
                                 _date_text(event.participation_end_date)),
        "ParticipationStartDate": ("participation_start_date",
                                   _date_text(event.participation_start_date)),
        "QualificationType": ("qualification_type", event.qualification_type),
        "Restriction": ("restriction", event.restriction),
        "ReturnNumber": ("return_number", event.return_number),
        "Source": ("source", event.source),
        "Status": ("status", event.status),
        "Subject": ("subject", event.subject),
        "SubjectCode": ("qualification_reference", event.qualification_reference),
        "UnderDataChallenge": ("under_data_challenge",
                               "Y" if event.under_data_challenge else "N"),
    }
    not_held = PARTICIPATION_NOT_HELD if event.source in participation.SOURCES else AO_NOT_HELD
    return Nested(contracts.LEARNING_EVENT, {
        element: not_held.get(element) if content is None else content
        for element, (attribute, content) in values.items()
        if fields is None or attribute in fields})


def learner_record(events, fields: frozenset[str] | None) -> Items:
    return Items(MODEL_NS, "LearningEvent", [learning_event(event, fields) for event in events])


def _int(code: str | None) -> int | None:
    return int(code) if code and code.strip().isdigit() else None


def miap_learner(learner: Learner) -> Nested:
    """The held learner as Amor.Qcf.MIAPModel Learner; members we do not hold are nil or
    their value type's default."""
    d = learner.details
    return Nested(contracts.MIAP_LEARNER, {
        "AbilityToShare": _int(d.ability_to_share),
        "CreatedDate": learner.created_at,
        "DateOfAddressCapture": d.date_of_address_capture,
        "DateOfBirth": d.date_of_birth,
        "EmailAddress": d.email_address,
        "FamilyName": d.family_name,
        "FamilyNameAt16": d.family_name_at_16,
        "Gender": _int(d.gender),
        "GivenName": d.given_name,
        "LastKnownAddressCountyOrCity": d.address_county_or_city,
        "LastKnownAddressLine1": d.address_line1,
        "LastKnownAddressLine2": d.address_line2,
        "LastKnownAddressTown": d.address_town,
        "LastKnownGender": _int(d.gender),
        "LastKnownPostCode": d.postcode,
        "LastUpdatedDate": learner.updated_at,
        "LinkedUlns": Items(ARRAYS_NS, "string", list(learner.linked_ulns)),
        "MasterUln": learner.master_uln,
        "MiddleOtherName": d.middle_other_name,
        "Nationality": d.nationality,
        "Notes": d.notes,
        "OtherVerificationDescription": d.other_verification_description,
        "PlaceOfBirth": d.place_of_birth,
        "PreferredGivenName": d.preferred_given_name,
        "PreviousFamilyName": d.previous_family_name,
        "RecordStatus": _int(learner.status.value),
        "SchoolAtAge16": d.school_at_age_16,
        "ScottishCandidateNumber": d.scottish_candidate_number,
        "TierLevel": _int(learner.tier_level),
        "Title": d.title,
        "Uln": learner.uln,
        "VerificationType": _int(d.verification_type),
        "VersionNumber": learner.version_number,
    })


def access_entry(entry: AccessEntry) -> Nested:
    return Nested(contracts.PLR_ACCESS_ENTRY, {
        "Action": ACCESS_ACTIONS.get(entry.action, entry.action), "DateTime": entry.at,
        "Organisation": entry.organisation_name, "User": entry.user_name})
