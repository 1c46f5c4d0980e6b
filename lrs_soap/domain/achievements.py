"""Achievement batch records: the rules a record must pass, and what it does to the PLR.

A record is a :class:`~lrs_soap.domain.sent_achievement.SentAchievement` (read once, by
the face). Two stages. :func:`record_errors` needs only the record (an offline validator
calls it):

- ULN, Action, GivenName, FamilyName and QualificationReference are required; the ULN must
  be ten digits starting 1-9 and pass its check digit; Gender, when sent, is 0, 1, 2 or 9.
- DateOfBirth, AwardDate and ActionDate, when sent, are YYYY-MM-DD dates, none after today
  (UTC); AwardDate is not before DateOfBirth.
- CREATE and UPDATE need Grade and AwardDate; WITHDRAW needs ActionReason. ActionDate is
  never required (it only describes the record); REINSTATE and PROMOTE need nothing more.

:func:`decide` then applies the rules that need the store, in this order:

1. The learner: the ULN must be known and not retired; a merged ULN stands for its master,
   and the event is held under the master's ULN (as the PLR of a linked learner shows the
   master's events). Names, DateOfBirth and Gender must verify
   (lrs_soap.domain.verification): WSVRC001-004 pass, so similar names pass too, exactly as
   the awarding organisation's own VerifyLearnerDetails would have told it beforehand; an
   AwardDate before the held date of birth fails.
2. The qualification: in the register, and owned by the submitting organisation or shared
   (service charter: "belonging to an awarding organisation or ... marked as shared").
3. The action, on the event for (learner, qualification, this organisation): each awarding
   organisation keeps its own event, so none can touch another's. CREATE needs none to
   exist (an existing one is refused, never silently updated; a withdrawn one must be
   REINSTATEd). UPDATE, WITHDRAW, REINSTATE and PROMOTE need one; UPDATE and PROMOTE need
   it not withdrawn, WITHDRAW needs it not withdrawn and REINSTATE withdrawn; PROMOTE turns
   'P' into 'F' and refuses a final one. Status changes only by CREATE (the submission
   type) and PROMOTE. UPDATE replaces Grade and AwardDate, ProviderUKPRN and
   LanguageForAssessment when sent, and refreshes title/type/level/credits from the register.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from lrs_soap.domain.batches import NOT_A_DATE, RecordError, RecordOutcome, uln_rule
from lrs_soap.domain.learner_formats import GENDERS
from lrs_soap.domain.model import Learner, LearnerStatus, LearningEvent, Organisation
from lrs_soap.domain.sent_achievement import Action, SentAchievement, SubmissionType
from lrs_soap.domain.verification import VerifyCode, VerifyQuery, verify

SOURCE = "AO"  # LearningEvent.source of an awarding organisation's achievement
PROVISIONAL, FINAL = "P", "F"  # LearningEvent.status


class AchievementOutcome(StrEnum):
    CREATED = "CREATED"
    UPDATED = "UPDATED"
    WITHDRAWN = "WITHDRAWN"
    REINSTATED = "REINSTATED"
    PROMOTED = "PROMOTED"
    REJECTED = "REJECTED"


class ErrorKind(StrEnum):
    """Why a record was rejected, in the job output's terms (``detail["error_kind"]``)."""

    FIELD_DATA = "field"  # record_errors
    LEARNER_DATA = "learner"  # unknown ULN, details that do not verify
    BUSINESS_RULE = "business"  # register, ownership, state of the event


@dataclass(frozen=True)
class Qualification:
    """A qualification or unit of the register (modelled on Ofqual's)."""

    reference: str  # QAN such as 100/2510/8, or unit reference such as K/501/5773
    title: str
    qualification_type: str | None = None
    level: str | None = None
    credits: int | None = None
    owner_organisation_id: int | None = None
    shared: bool = False
    is_unit: bool = False

    def usable_by(self, organisation_id: int) -> bool:
        return self.shared or self.owner_organisation_id == organisation_id


@dataclass(frozen=True)
class NewEvent:
    """A learning event to insert (source AO); the store adds id, date_loaded and job."""

    learner_uln: str
    qualification_reference: str
    subject: str
    qualification_type: str | None
    level: str | None
    credits: int | None
    grade: str | None
    award_date: dt.date | None
    achievement_provider_ukprn: str | None
    awarding_organisation_id: int
    language_for_assessment: str | None
    status: str
    withdrawn: bool = False

    def as_event(self, event_id: int, date_loaded: dt.datetime,
                 job_id: int | None = None) -> LearningEvent:
        return LearningEvent(id=event_id, source=SOURCE, date_loaded=date_loaded,
                             created_by_job_id=job_id, **vars(self))


@dataclass(frozen=True)
class EventChange:
    """New values for some LearningEvent fields of one stored event."""

    event_id: int
    fields: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    outcome: RecordOutcome
    change: NewEvent | EventChange | None = None


_REQUIRED = ("uln", "action", "given_name", "family_name", "qualification_reference")
_NEEDED_FOR = {Action.CREATE: ("grade", "award_date"), Action.UPDATE: ("grade", "award_date"),
               Action.WITHDRAW: ("action_reason",)}
_ACCEPTED = frozenset({VerifyCode.MATCH, VerifyCode.LINKED_MATCH, VerifyCode.SIMILAR_MATCH,
                       VerifyCode.SIMILAR_LINKED_MATCH})
# When no name path passes, VRF1 or VRF5 is among the flags: the cross comparisons
# (VRF2-4, VRF6) are noise for saying which field is wrong.
_FLAG_FIELDS = {"VRF1": "given_name", "VRF5": "family_name", "VRF7": "date_of_birth",
                "VRF8": "gender"}


def record_errors(record: SentAchievement, record_number: int,
                  today: dt.date) -> list[RecordError]:
    """Every rule the record breaks on its own (see the module docstring), in field order."""
    errors: list[RecordError] = []

    def error(name: str, rule: str) -> None:
        errors.append(RecordError(record_number, name, rule))

    for name in _REQUIRED:
        if not record.sent(name):
            error(name, "is required")
    if rule := uln_rule(record.uln):
        error("uln", rule)
    if "action" in record.unreadable:
        error("action", "is not one of " + ", ".join(Action))
    if record.gender is not None and record.gender not in GENDERS:
        error("gender", "is not 0, 1, 2 or 9")
    for name in ("date_of_birth", "award_date", "action_date"):
        if name in record.unreadable:
            error(name, NOT_A_DATE)
        elif (date := getattr(record, name)) is not None and date > today:
            error(name, "is in the future")
    born, awarded = record.date_of_birth, record.award_date
    if born is not None and awarded is not None and awarded < born:
        error("award_date", "is before the DateOfBirth")
    errors.extend(RecordError(record_number, name, f"is required for {record.action}")
                  for name in _NEEDED_FOR.get(record.action, ()) if not record.sent(name))
    return errors


def rejected(errors: Sequence[RecordError], kind: ErrorKind) -> RecordOutcome:
    return RecordOutcome(AchievementOutcome.REJECTED, {"error_kind": kind.value}, tuple(errors))


def decide(record: SentAchievement, number: int, *, learner: Learner | None,
           qualification: Qualification | None, existing: LearningEvent | None,
           job_organisation: Organisation, submission_type: str | None,
           today: dt.date) -> Decision:
    """What ``record`` does, given the learner holding its ULN (the master when merged;
    None when unknown), its register entry and the organisation's current event."""
    def refuse(name: str, rule: str, kind: ErrorKind) -> Decision:
        return Decision(rejected([RecordError(number, name, rule)], kind))

    if record.award_date is not None and record.award_date > today:
        return refuse("award_date", "is in the future", ErrorKind.FIELD_DATA)
    refusal = eligibility(record, number, learner=learner, qualification=qualification,
                          organisation=job_organisation)
    if refusal is not None or learner is None or qualification is None:
        return Decision(refusal or rejected([], ErrorKind.LEARNER_DATA))
    action = record.action
    if action is Action.CREATE:
        if existing is not None:
            rule = ("an achievement for this learner and qualification is withdrawn: "
                    "REINSTATE it" if existing.withdrawn else
                    "an achievement for this learner and qualification exists: UPDATE it")
            return refuse("action", rule, ErrorKind.BUSINESS_RULE)
        status = PROVISIONAL if submission_type == SubmissionType.PROVISIONAL else FINAL
        new = NewEvent(learner.uln, qualification.reference, **_register_values(qualification),
                       grade=record.grade, award_date=record.award_date,
                       achievement_provider_ukprn=record.provider_ukprn,
                       awarding_organisation_id=job_organisation.id,
                       language_for_assessment=record.language_for_assessment, status=status)
        return Decision(_done(AchievementOutcome.CREATED, None, learner.uln, status), new)
    if existing is None:
        return refuse("action", f"{action} needs an existing achievement for this learner "
                      "and qualification", ErrorKind.BUSINESS_RULE)
    if action is Action.REINSTATE:
        if not existing.withdrawn:
            return refuse("action", "the achievement is not withdrawn", ErrorKind.BUSINESS_RULE)
        return _change(AchievementOutcome.REINSTATED, existing, {"withdrawn": False})
    if existing.withdrawn:
        return refuse("action", "the achievement is withdrawn"
                      + (" already" if action is Action.WITHDRAW else ": REINSTATE it first"),
                      ErrorKind.BUSINESS_RULE)
    if action is Action.WITHDRAW:
        return _change(AchievementOutcome.WITHDRAWN, existing, {"withdrawn": True})
    if action is Action.PROMOTE:
        if existing.status == FINAL:
            return refuse("action", "the achievement is already final", ErrorKind.BUSINESS_RULE)
        return _change(AchievementOutcome.PROMOTED, existing, {"status": FINAL})
    wanted: dict[str, object] = {**_register_values(qualification), "grade": record.grade,
                                 "award_date": record.award_date}
    if record.provider_ukprn is not None:
        wanted["achievement_provider_ukprn"] = record.provider_ukprn
    if record.language_for_assessment is not None:
        wanted["language_for_assessment"] = record.language_for_assessment
    changed = {name: new for name, new in wanted.items() if getattr(existing, name) != new}
    return _change(AchievementOutcome.UPDATED, existing, changed)


def eligibility(record: SentAchievement, number: int, *, learner: Learner | None,
                qualification: Qualification | None,
                organisation: Organisation) -> RecordOutcome | None:
    """Rules 1 and 2 (the learner verifies; the qualification is registered and the
    organisation's own or shared); the rejection, or None. Entries are checked by it too."""
    problems = _learner_errors(record, number, learner)
    if problems or learner is None:
        return rejected(problems, ErrorKind.LEARNER_DATA)
    if qualification is None:
        return rejected([RecordError(number, "qualification_reference",
                                     "is not in the qualification register")],
                        ErrorKind.BUSINESS_RULE)
    if not qualification.usable_by(organisation.id):
        return rejected([RecordError(number, "qualification_reference",
                                     "is neither owned by this awarding organisation nor "
                                     "shared")], ErrorKind.BUSINESS_RULE)
    return None


def _register_values(qualification: Qualification) -> dict[str, object]:
    return {"subject": qualification.title, "qualification_type": qualification.qualification_type,
            "level": qualification.level, "credits": qualification.credits}


def _done(code: AchievementOutcome, event_id: int | None, uln: str, status: str,
          **extra: object) -> RecordOutcome:
    return RecordOutcome(code, {"event_id": event_id, "uln": uln, "status": status, **extra})


def _change(code: AchievementOutcome, existing: LearningEvent,
            changed: dict[str, object]) -> Decision:
    status = str(changed.get("status", existing.status))
    extra = {"changed": sorted(changed)} if code is AchievementOutcome.UPDATED else {}
    outcome = _done(code, existing.id, existing.learner_uln, status, **extra)
    return Decision(outcome, EventChange(existing.id, changed) if changed else None)


def _learner_errors(record: SentAchievement, number: int,
                    learner: Learner | None) -> list[RecordError]:
    def errors(*pairs: tuple[str, str]) -> list[RecordError]:
        return [RecordError(number, name, rule) for name, rule in pairs]

    if learner is None or learner.status is LearnerStatus.RETIRED or learner.master_uln:
        return errors(("uln", "is not the ULN of a known learner"))
    query = VerifyQuery(record.uln, record.given_name, record.family_name,
                        record.date_of_birth, record.gender)
    outcome = verify(query, learner, linked=learner.uln != record.uln)
    if outcome.code not in _ACCEPTED:
        names = [_FLAG_FIELDS[flag] for flag in outcome.flags if flag in _FLAG_FIELDS]
        return errors(*((name, "does not match the learner held for this ULN")
                        for name in names or ["uln"]))
    if record.award_date is not None and record.award_date < learner.details.date_of_birth:
        return errors(("award_date", "is before the learner's date of birth"))
    return []
