"""Personal Learning Record messages in and out of the native face. No rules here."""

from __future__ import annotations

from types import SimpleNamespace

from lrs_soap.domain.challenges import ChallengeStatus, DataChallenge, EventCorrection
from lrs_soap.domain.learner_admin import DeletedEntry, LinkEntry
from lrs_soap.domain.model import LearningEvent
from lrs_soap.domain.plr import RecordQuery
from lrs_soap.service.challenges import EventChallengeView
from lrs_soap.service.plr import ACCESS_ACTIONS, Page
from lrs_soap.service.ports import AccessEntry
from lrs_soap.soap.native import types

# LearningEvent element -> domain.model.LearningEvent attribute, in the contract's order
EVENT_ELEMENTS: tuple[tuple[str, str], ...] = (
    ("AchievementAwardDate", "award_date"),
    ("AchievementProviderName", "achievement_provider_name"),
    ("AchievementProviderUkprn", "achievement_provider_ukprn"),
    ("AwardingOrganisationName", "awarding_organisation_name"),
    ("AwardingOrganisationUkprn", "awarding_organisation_ukprn"),
    ("CollectionType", "collection_type"),
    ("Credits", "credits"),
    ("DateLoaded", "date_loaded"),
    ("Grade", "grade"),
    ("ID", "id"),
    ("LanguageForAssessment", "language_for_assessment"),
    ("Level", "level"),
    ("ParticipationEndDate", "participation_end_date"),
    ("ParticipationStartDate", "participation_start_date"),
    ("QualificationType", "qualification_type"),
    ("Restriction", "restriction"),
    ("ReturnNumber", "return_number"),
    ("Source", "source"),
    ("Status", "status"),
    ("Subject", "subject"),
    ("SubjectCode", "qualification_reference"),
    ("UnderDataChallenge", "under_data_challenge"),
)


def record_query(uln, given_name, family_name, date_of_birth=None, gender=None) -> RecordQuery:
    return RecordQuery(uln=uln, given_name=given_name, family_name=family_name,
                       date_of_birth=date_of_birth, gender=gender)


def page_in(index: int | None, size: int | None) -> Page:
    return Page(index or 1, size or 0)


def paging_out(page: Page, total: int) -> list[int]:
    return [page.index, page.size, page.count(total), total]


def _event_values(event: LearningEvent, fields: frozenset[str] | None) -> dict[str, object]:
    """LearningEvent element -> value; only ``fields`` (LearningEvent attributes) when given."""
    values = {}
    for element, attribute in EVENT_ELEMENTS:
        if fields is not None and attribute not in fields:
            continue
        value = getattr(event, attribute)
        if attribute == "under_data_challenge":
            value = "Y" if value else "N"
        values[element] = value if value != "" else None
    return values


def event_out(event: LearningEvent, fields: frozenset[str] | None = None) -> types.LearningEvent:
    """The event's elements; only ``fields`` (LearningEvent attributes) when given."""
    out = types.LearningEvent()
    for element, value in _event_values(event, fields).items():
        setattr(out, element, value)
    return out


def record_out(events, fields: frozenset[str] | None) -> SimpleNamespace:
    """The LearnerRecord as the lean writer reads it (by attribute, lrs_soap.soap.native.lean):
    plain namespaces, since building a Spyne model per event was most of writing a record."""
    return SimpleNamespace(LearningEvent=[SimpleNamespace(**_event_values(event, fields))
                                          for event in events])


def access_entry_out(entry: AccessEntry) -> types.AccessEntry:
    return types.AccessEntry(DateTime=entry.at, Action=ACCESS_ACTIONS.get(entry.action,
                                                                          entry.action),
                             Organisation=entry.organisation_name, UKPRN=entry.ukprn,
                             OrganisationRef=entry.reference, UserName=entry.user_name,
                             ULN=entry.uln, Outcome=entry.outcome)


def _status(challenge: DataChallenge) -> str:
    return challenge.status.value.upper()


def event_challenge_out(view: EventChallengeView | None) -> types.EventChallenge | None:
    if view is None or view.event is None:
        return None
    challenge, event = view.challenge, view.event
    return types.EventChallenge(
        ChallengeID=challenge.id, Status=_status(challenge), ULN=event.learner_uln,
        EventID=event.id, RaisedByOrganisation=challenge.raised_by_name or "",
        RaisedByUKPRN=challenge.raised_by_ukprn,
        RaisedByOrganisationRef=challenge.raised_by_reference,
        RaisedDateTime=challenge.raised_at, Reason=challenge.reason,
        Resolution=challenge.resolution, ResolvedDateTime=challenge.resolved_at,
        Withdrawn=event.withdrawn, LearningEvent=event_out(event))


def uln_challenge_out(challenge: DataChallenge) -> types.ULNChallenge:
    return types.ULNChallenge(
        ChallengeID=challenge.id, Status=_status(challenge), ULN=challenge.uln,
        ChallengeType=challenge.challenge_type, RaisedDateTime=challenge.raised_at,
        Reason=challenge.reason, Resolution=challenge.resolution,
        ResolvedDateTime=challenge.resolved_at)


def status_in(status: str | None) -> ChallengeStatus | None:
    return ChallengeStatus(status.lower()) if status else None


def correction_in(model: types.EventCorrection | None) -> EventCorrection | None:
    if model is None:
        return None
    return EventCorrection(grade=model.Grade, award_date=model.AchievementAwardDate,
                           achievement_provider_ukprn=model.AchievementProviderUkprn,
                           language_for_assessment=model.LanguageForAssessment)


def merged_out(link: LinkEntry) -> types.MergedLearner:
    return types.MergedLearner(MasterULN=link.master_uln, MergedULN=link.merged_uln,
                               MergedDate=link.merged_at)


def unmerged_out(link: LinkEntry) -> types.UnmergedLearner:
    return types.UnmergedLearner(MasterULN=link.master_uln, UnmergedULN=link.merged_uln,
                                 UnmergedDate=link.unmerged_at)


def deleted_out(entry: DeletedEntry) -> types.DeletedLearner:
    return types.DeletedLearner(ULN=entry.uln, DeletedDate=entry.deleted_at)
