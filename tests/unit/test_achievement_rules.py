"""The achievement record rules: record_errors (offline) and decide (with state), on records
read as the native face reads an Achievement (its elements as the payload's keys)."""

import dataclasses
import datetime as dt

import pytest

from lrs_soap.domain import sent_achievement
from lrs_soap.domain.achievements import (
    AchievementOutcome,
    Action,
    ErrorKind,
    EventChange,
    NewEvent,
    Qualification,
    decide,
    record_errors,
)
from lrs_soap.domain.model import (
    Learner,
    LearnerDetails,
    LearnerStatus,
    LearningEvent,
    Organisation,
    Role,
)
from lrs_soap.record_elements import ACHIEVEMENT_LABELS
from lrs_soap.soap.native.achievement_mapping import ACHIEVEMENT_ELEMENTS
from lrs_soap.soap.native.achievement_mapping import achievement as parse_record

TODAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 28, 12, tzinfo=dt.UTC)
AO = Organisation(2, "Demo Awarding Body", "10000002", "DEMOAO",
                  frozenset({Role.AWARDING_ORGANISATION}), True, None)
SAM = Learner(1, "1026893096", LearnerDetails("Sam", "Example", dt.date(2000, 1, 31), "2",
                                              "AB12 3DF"), 1, LearnerStatus.ACTIVE, "0", NOW, NOW)
MERGED_ULN = "6936002314"  # merged into SAM: the service hands decide SAM, the master
OWNED = Qualification("100/2510/8", "Horticulture", "Certificate", "Level 2", 13,
                      owner_organisation_id=AO.id)
SHARED = Qualification("Y/600/4321", "Health and safety", "QCF Unit", "Level 1", 2,
                       owner_organisation_id=3, shared=True, is_unit=True)
OTHERS = Qualification("601/0000/X", "Catering", "Award", "Level 1", 6,
                       owner_organisation_id=3)
FINAL_EVENT = LearningEvent(7, SAM.uln, "AO", "F", NOW, OWNED.reference, OWNED.title,
                            "Certificate", "Level 2", 13, "Pass", dt.date(2024, 6, 1),
                            achievement_provider_ukprn="10000001",
                            awarding_organisation_id=AO.id)
PROVISIONAL_EVENT = dataclasses.replace(FINAL_EVENT, id=8, status="P")
WITHDRAWN_EVENT = dataclasses.replace(FINAL_EVENT, id=9, withdrawn=True)

BASE = {"MISIdentifier": "M1", "Action": "CREATE", "ULN": SAM.uln, "GivenName": "Sam",
        "FamilyName": "Example", "DateOfBirth": "2000-01-31", "Gender": "2",
        "QualificationReference": "100/2510/8", "Grade": "Pass", "AwardDate": "2024-06-01",
        "ActionDate": "2024-06-02", "ActionReason": None, "ProviderUKPRN": "10000001",
        "LanguageForAssessment": None}


@pytest.mark.parametrize(("changes", "expected"), [
    ({}, []),
    ({"Action": "REINSTATE", "Grade": None, "AwardDate": None}, []),
    ({"Action": "PROMOTE", "Grade": None, "AwardDate": None, "DateOfBirth": None}, []),
    ({"Action": "WITHDRAW", "ActionReason": "awarded in error", "Grade": None}, []),
    ({"ULN": "1026893097"}, [("ULN", "fails its check digit")]),
    ({"ULN": "0123456789"}, [("ULN", "is not ten digits starting 1-9")]),
    ({"ULN": None}, [("ULN", "is required")]),
    ({"Action": "DELETE"},
     [("Action", "is not one of CREATE, UPDATE, WITHDRAW, REINSTATE, PROMOTE")]),
    ({"GivenName": "  "}, [("GivenName", "is required")]),
    ({"FamilyName": None}, [("FamilyName", "is required")]),
    ({"QualificationReference": None}, [("QualificationReference", "is required")]),
    ({"Gender": "3"}, [("Gender", "is not 0, 1, 2 or 9")]),
    ({"AwardDate": "2026-11-29"}, [("AwardDate", "is in the future")]),
    ({"AwardDate": "2026-11-28"}, []),
    ({"ActionDate": "2027-01-01"}, [("ActionDate", "is in the future")]),
    ({"ActionDate": None}, []),
    ({"DateOfBirth": "2026-12-01"},
     [("DateOfBirth", "is in the future"), ("AwardDate", "is before the DateOfBirth")]),
    ({"AwardDate": "1999-12-31"}, [("AwardDate", "is before the DateOfBirth")]),
    ({"AwardDate": "2024-13-01"}, [("AwardDate", "is not a date (YYYY-MM-DD)")]),
    ({"DateOfBirth": "20000131"}, [("DateOfBirth", "is not a date (YYYY-MM-DD)")]),
    ({"Grade": None}, [("Grade", "is required for CREATE")]),
    ({"Action": "UPDATE", "AwardDate": None}, [("AwardDate", "is required for UPDATE")]),
    ({"Action": "WITHDRAW"}, [("ActionReason", "is required for WITHDRAW")]),
    ({"ULN": "12", "Grade": ""},
     [("ULN", "is not ten digits starting 1-9"), ("Grade", "is required for CREATE")]),
])
def test_record_errors(changes, expected):
    errors = record_errors(parse_record({**BASE, **changes}), 4, TODAY)
    assert [(ACHIEVEMENT_LABELS[e.field], e.rule) for e in errors] == expected
    assert all(e.record == 4 for e in errors)


def test_parse_record_types_and_normalises():
    record = parse_record({**BASE, "QualificationReference": " k/501/5773 ", "Grade": " Merit "})
    assert record.action is Action.CREATE and record.mis_identifier == "M1"
    assert record.qualification_reference == "K/501/5773" and record.grade == "Merit"
    assert record.date_of_birth == dt.date(2000, 1, 31)
    assert record.award_date == dt.date(2024, 6, 1) and record.language_for_assessment is None


def _decide(action="CREATE", *, learner=SAM, qualification=OWNED, existing=None,
            submission="FINAL", **changes):
    payload = {**BASE, "Action": action, "ActionReason": "a reason", **changes}
    assert record_errors(parse_record(payload), 1, TODAY) == []
    return decide(parse_record(payload), 1, learner=learner, qualification=qualification,
                  existing=existing, job_organisation=AO, submission_type=submission,
                  today=TODAY)


@pytest.mark.parametrize(("action", "existing", "submission", "qualification", "code", "change"), [
    ("CREATE", None, "FINAL", OWNED, "CREATED", {"status": "F"}),
    ("CREATE", None, "PROVISIONAL", OWNED, "CREATED", {"status": "P"}),
    ("CREATE", None, None, OWNED, "CREATED", {"status": "F"}),
    ("CREATE", None, "FINAL", SHARED, "CREATED", {"subject": "Health and safety",
                                                  "status": "F"}),
    ("UPDATE", FINAL_EVENT, "FINAL", OWNED, "UPDATED", None),  # nothing changed
    ("WITHDRAW", FINAL_EVENT, "FINAL", OWNED, "WITHDRAWN", {"withdrawn": True}),
    ("REINSTATE", WITHDRAWN_EVENT, "FINAL", OWNED, "REINSTATED", {"withdrawn": False}),
    ("PROMOTE", PROVISIONAL_EVENT, "PROVISIONAL", OWNED, "PROMOTED", {"status": "F"}),
    ("UPDATE", PROVISIONAL_EVENT, "FINAL", OWNED, "UPDATED", None),  # status kept: P
])
def test_actions_that_succeed(action, existing, submission, qualification, code, change):
    reference = qualification.reference
    decision = _decide(action, existing=existing, submission=submission,
                       qualification=qualification, QualificationReference=reference)
    outcome = decision.outcome
    assert outcome.code == code and outcome.succeeded
    if change is None:
        assert decision.change is None
    elif isinstance(decision.change, NewEvent):
        assert decision.change.learner_uln == SAM.uln
        assert decision.change.awarding_organisation_id == AO.id
        assert decision.change.qualification_reference == reference
        assert {k: getattr(decision.change, k) for k in change} == change
        assert outcome.detail["event_id"] is None and outcome.detail["uln"] == SAM.uln
    else:
        assert decision.change == EventChange(existing.id, change)
        assert outcome.detail["event_id"] == existing.id
    expected_status = (change or {}).get("status", existing.status if existing else None)
    assert outcome.detail["status"] == expected_status


@pytest.mark.parametrize(("action", "existing", "qualification", "field", "rule"), [
    ("CREATE", None, None, "QualificationReference", "is not in the qualification register"),
    ("CREATE", None, OTHERS, "QualificationReference",
     "is neither owned by this awarding organisation nor shared"),
    ("WITHDRAW", FINAL_EVENT, OTHERS, "QualificationReference",
     "is neither owned by this awarding organisation nor shared"),
    ("CREATE", FINAL_EVENT, OWNED, "Action",
     "an achievement for this learner and qualification exists: UPDATE it"),
    ("CREATE", WITHDRAWN_EVENT, OWNED, "Action",
     "an achievement for this learner and qualification is withdrawn: REINSTATE it"),
    ("UPDATE", None, OWNED, "Action",
     "UPDATE needs an existing achievement for this learner and qualification"),
    ("UPDATE", WITHDRAWN_EVENT, OWNED, "Action",
     "the achievement is withdrawn: REINSTATE it first"),
    ("WITHDRAW", None, OWNED, "Action",
     "WITHDRAW needs an existing achievement for this learner and qualification"),
    ("WITHDRAW", WITHDRAWN_EVENT, OWNED, "Action", "the achievement is withdrawn already"),
    ("REINSTATE", None, OWNED, "Action",
     "REINSTATE needs an existing achievement for this learner and qualification"),
    ("REINSTATE", FINAL_EVENT, OWNED, "Action", "the achievement is not withdrawn"),
    ("PROMOTE", None, OWNED, "Action",
     "PROMOTE needs an existing achievement for this learner and qualification"),
    ("PROMOTE", FINAL_EVENT, OWNED, "Action", "the achievement is already final"),
    ("PROMOTE", WITHDRAWN_EVENT, OWNED, "Action",
     "the achievement is withdrawn: REINSTATE it first"),
])
def test_business_rule_rejections(action, existing, qualification, field, rule):
    decision = _decide(action, existing=existing, qualification=qualification)
    assert decision.change is None
    assert decision.outcome.code == AchievementOutcome.REJECTED
    assert decision.outcome.detail == {"error_kind": ErrorKind.BUSINESS_RULE.value}
    assert [(e.record, ACHIEVEMENT_LABELS[e.field], e.rule)
            for e in decision.outcome.errors] == [(1, field, rule)]


def test_update_changes_only_what_differs_and_refreshes_the_register():
    renamed = dataclasses.replace(OWNED, title="Horticulture (revised)", credits=15)
    decision = _decide("UPDATE", existing=FINAL_EVENT, qualification=renamed, Grade="Merit",
                       LanguageForAssessment="Welsh", ProviderUKPRN=None)
    assert decision.change == EventChange(FINAL_EVENT.id, {
        "subject": "Horticulture (revised)", "credits": 15, "grade": "Merit",
        "language_for_assessment": "Welsh"})
    assert decision.outcome.detail["changed"] == ["credits", "grade", "language_for_assessment",
                                                  "subject"]


RETIRED = dataclasses.replace(SAM, status=LearnerStatus.RETIRED)
UNRESOLVED = dataclasses.replace(SAM, uln=MERGED_ULN, status=LearnerStatus.MERGED,
                                 master_uln=SAM.uln)


@pytest.mark.parametrize(("learner", "changes", "errors"), [
    (None, {}, [("ULN", "is not the ULN of a known learner")]),
    (RETIRED, {}, [("ULN", "is not the ULN of a known learner")]),
    (UNRESOLVED, {"ULN": MERGED_ULN}, [("ULN", "is not the ULN of a known learner")]),
    (SAM, {"GivenName": "Tom"}, [("GivenName", "does not match the learner held for this ULN")]),
    (SAM, {"GivenName": "Tom", "FamilyName": "Jones"},
     [("GivenName", "does not match the learner held for this ULN"),
      ("FamilyName", "does not match the learner held for this ULN")]),
    (SAM, {"DateOfBirth": "2000-01-30"},
     [("DateOfBirth", "does not match the learner held for this ULN")]),
    (SAM, {"Gender": "1"}, [("Gender", "does not match the learner held for this ULN")]),
    (SAM, {"DateOfBirth": None, "AwardDate": "1999-06-01"},
     [("AwardDate", "is before the learner's date of birth")]),
])
def test_learner_rejections(learner, changes, errors):
    decision = _decide(learner=learner, **changes)
    assert decision.change is None
    assert decision.outcome.detail == {"error_kind": ErrorKind.LEARNER_DATA.value}
    assert [(ACHIEVEMENT_LABELS[e.field], e.rule) for e in decision.outcome.errors] == errors


@pytest.mark.parametrize("changes", [
    {"GivenName": "Samuel"},  # similar (short form): WSVRC003 is accepted
    {"GivenName": "EXAMPLE", "FamilyName": "sam"},  # swapped names
    {"Gender": "9", "DateOfBirth": None},  # not specified: says nothing
    {"Gender": None},
])
def test_verification_that_passes(changes):
    assert _decide(**changes).outcome.code == AchievementOutcome.CREATED


def test_merged_uln_is_held_under_its_master():
    decision = _decide(ULN=MERGED_ULN, learner=SAM)  # the service resolved the master
    assert decision.outcome.code == AchievementOutcome.CREATED
    assert decision.change.learner_uln == SAM.uln
    assert decision.outcome.detail["uln"] == SAM.uln


def test_a_future_award_date_is_refused_by_decide_too():
    record = parse_record({**BASE, "AwardDate": "2027-01-01"})
    decision = decide(record, 1, learner=SAM, qualification=OWNED, existing=None,
                      job_organisation=AO, submission_type="FINAL", today=TODAY)
    assert [(ACHIEVEMENT_LABELS[e.field], e.rule) for e in decision.outcome.errors] == [
        ("AwardDate", "is in the future")]


def test_a_record_is_stored_and_read_back_as_it_was_read():
    for changes in ({}, {"AwardDate": "2024-13-01", "Action": "DELETE"}, {"Grade": " "}):
        record = parse_record({**BASE, **changes})
        assert sent_achievement.read(record.stored()) == record
    unreadable = parse_record({**BASE, "AwardDate": " 2024-13-01 ", "Action": "DELETE"})
    assert (unreadable.award_date, unreadable.action) == (None, None)
    assert unreadable.unreadable == {"award_date": "2024-13-01", "action": "DELETE"}
    assert set(parse_record(BASE).stored()) <= set(sent_achievement.FIELDS)


def test_errors_name_attributes_and_the_native_face_names_each_by_its_element():
    # The domain's errors name SentAchievement attributes; the native contract's outputs
    # (GetAchievementBatch, SubmitAchievement) name each by the element it is read from.
    assert set(ACHIEVEMENT_ELEMENTS.values()) == set(sent_achievement.FIELDS)
    assert {label: name for name, label in ACHIEVEMENT_LABELS.items()} == ACHIEVEMENT_ELEMENTS
    errors = record_errors(parse_record({**BASE, "ULN": None}), 1, TODAY)
    assert [e.field for e in errors] == ["uln"]
