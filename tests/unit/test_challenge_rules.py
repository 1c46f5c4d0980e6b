"""Data challenge rules (domain.challenges), ULN administration rules
(domain.learner_admin) and participation rows (domain.participation)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from lrs_soap.domain import learner_admin, participation
from lrs_soap.domain.challenges import (
    ChallengeKind,
    ChallengeStatus,
    DataChallenge,
    EventCorrection,
    RaiseOutcome,
    clean_reason,
    raise_event_outcome,
    resolve_event,
)
from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.domain.model import Learner, LearnerStatus, LearningEvent
from tests.unit.plr_fakes import NOW, details

TODAY = dt.date(2026, 11, 28)
EVENT = LearningEvent(7, "1026893096", "AO", "F", NOW, qualification_reference="100/2510/8",
                      grade="Merit", award_date=dt.date(2025, 7, 1), awarding_organisation_id=2)
OPEN = DataChallenge(1, ChallengeKind.EVENT, ChallengeStatus.OPEN, "wrong grade", 1, "alice",
                     NOW, learning_event_id=7)


# ----- raising -----

@pytest.mark.parametrize(("event", "ulns", "own", "outcome"), [
    (EVENT, ("1026893096",), None, RaiseOutcome.RAISED),
    (EVENT, ("1026893096",), OPEN, RaiseOutcome.ALREADY_OPEN),
    (None, ("1026893096",), None, RaiseOutcome.EVENT_NOT_FOUND),
    (EVENT, ("6936002314",), None, RaiseOutcome.EVENT_NOT_FOUND),  # another learner's
    (dataclasses.replace(EVENT, withdrawn=True), ("1026893096",), None,
     RaiseOutcome.EVENT_NOT_FOUND),
    (dataclasses.replace(EVENT, source="ILR", awarding_organisation_id=None), ("1026893096",),
     None, RaiseOutcome.NOT_CHALLENGEABLE),
])
def test_raise_outcomes(event, ulns, own, outcome):
    assert raise_event_outcome(event, ulns, own) is outcome


@pytest.mark.parametrize("reason", ["", "   ", "x" * 1001])
def test_a_reason_is_required_and_bounded(reason):
    with pytest.raises(InvalidRequest):
        clean_reason(reason)


def test_a_reason_is_tidied():
    assert clean_reason("  wrong\n  grade ") == "wrong grade"


# ----- resolving -----

def resolve(decision, event=EVENT, reason=None, **correction):
    return resolve_event(decision, event, reason=reason,
                         correction=EventCorrection(**correction) if correction else None,
                         date_of_birth=dt.date(2000, 1, 31), today=TODAY)


def test_correct_changes_only_what_differs_and_says_what():
    result = resolve("CORRECT", grade="Distinction", award_date=dt.date(2025, 7, 1),
                     reason="remarked")
    assert result.status is ChallengeStatus.ACCEPTED
    assert result.change.fields == {"grade": "Distinction"}
    assert result.text == "corrected: Grade (remarked)"


def test_correct_with_nothing_different_accepts_without_a_change():
    result = resolve("CORRECT", grade="Merit")
    assert (result.status, result.change) == (ChallengeStatus.ACCEPTED, None)
    assert result.text == "corrected: nothing needed changing"


@pytest.mark.parametrize(("changes", "message"), [
    ({}, "at least one field"),
    ({"grade": "  "}, "at least one field"),
    ({"award_date": TODAY + dt.timedelta(days=1)}, "future"),
    ({"award_date": dt.date(1999, 1, 1)}, "date of birth"),
])
def test_incomplete_or_impossible_corrections_are_wsec0001(changes, message):
    with pytest.raises(InvalidRequest) as raised:
        resolve("CORRECT", **changes) if changes else resolve("CORRECT")
    assert message in raised.value.further_details


def test_a_withdrawn_event_cannot_be_corrected():
    with pytest.raises(InvalidRequest):
        resolve("CORRECT", event=dataclasses.replace(EVENT, withdrawn=True), grade="Pass")


def test_withdraw_hides_the_event_once():
    result = resolve("WITHDRAW", reason="not this learner's")
    assert result.change.fields == {"withdrawn": True}
    assert result.text == "withdrawn (not this learner's)"
    assert resolve("WITHDRAW", event=dataclasses.replace(EVENT, withdrawn=True)).change is None


def test_reject_needs_a_reason_and_changes_nothing():
    with pytest.raises(InvalidRequest):
        resolve("REJECT")
    result = resolve("REJECT", reason="the grade is right")
    assert (result.status, result.change, result.text) == (
        ChallengeStatus.REJECTED, None, "the grade is right")
    with pytest.raises(InvalidRequest):
        resolve("REJECT", reason="no", grade="Pass")


# ----- ULN administration -----

def learner(uln, status=LearnerStatus.ACTIVE, master=None, linked=()):
    return Learner(1, uln, details(), 1, status, "0", NOW, NOW, master_uln=master,
                   linked_ulns=linked)


A, B, C = "1026893096", "6936002314", "4444599390"


@pytest.mark.parametrize(("duplicate", "master", "problem"), [
    (learner(A), learner(B), None),
    (learner(A), learner(A), "into itself"),
    (None, learner(B), f"no learner holds ULN {A}"),
    (learner(A), None, f"no learner holds ULN {B}"),
    (learner(A, LearnerStatus.MERGED, C), learner(B), "is merged into"),
    (learner(A, LearnerStatus.RETIRED), learner(B), "is deleted"),
    (learner(A), learner(B, LearnerStatus.MERGED, C), f"merge into {C} instead"),
    (learner(A), learner(B, LearnerStatus.RETIRED), "the master must be active"),
])
def test_merge_problems(duplicate, master, problem):
    found = learner_admin.merge_problem(duplicate, master, A,
                                        A if problem == "into itself" else B)
    assert found is None if problem is None else problem in found


def test_unmerge_needs_a_merged_uln():
    assert learner_admin.unmerge_problem(learner(A, LearnerStatus.MERGED, B), A) is None
    assert "only a merged" in learner_admin.unmerge_problem(learner(A), A)
    assert "no learner" in learner_admin.unmerge_problem(None, A)


def test_split_moves_only_events_held_under_the_uln():
    held = [dataclasses.replace(EVENT, id=7), dataclasses.replace(EVENT, id=8)]
    assert learner_admin.split_problem(learner(A), A, [7], held) is None
    assert learner_admin.split_problem(learner(A), A, [], held) is None
    assert "9 are not held" in learner_admin.split_problem(learner(A), A, [7, 9], held)
    assert "split the master" in learner_admin.split_problem(
        learner(A, LearnerStatus.MERGED, B), A, [], [])


def test_delete_refuses_a_uln_with_events_or_merged_ulns():
    assert learner_admin.delete_problem(learner(A), A, []) is None
    assert learner_admin.delete_problem(
        learner(A), A, [dataclasses.replace(EVENT, withdrawn=True)]) is None
    assert "holds learning event(s) 7" in learner_admin.delete_problem(learner(A), A, [EVENT])
    assert "are merged into" in learner_admin.delete_problem(learner(A, linked=(B,)), A, [])
    assert "only an active" in learner_admin.delete_problem(
        learner(A, LearnerStatus.RETIRED), A, [])


def test_report_periods():
    day = dt.date(2026, 1, 1)
    assert learner_admin.report_period_problem(day, day) is None
    assert "before" in learner_admin.report_period_problem(day, day - dt.timedelta(days=1))
    assert learner_admin.report_period_problem(day, day + dt.timedelta(days=365)) is None
    assert "366" in learner_admin.report_period_problem(day, day + dt.timedelta(days=366))


# ----- participation rows -----

ROW = {"uln": A, "source": "ilr", "subject_code": "60312345", "subject": "Diploma",
       "start_date": "2023-09-04", "end_date": "2025-06-30", "provider_ukprn": "10000001",
       "credits": "37", "status": ""}


def test_a_good_row_becomes_a_participation_event():
    row, errors = participation.row_errors(ROW, TODAY)
    assert errors == []
    assert (row.source, row.status, row.credits, row.participation_end_date) == (
        "ILR", "F", 37, dt.date(2025, 6, 30))
    assert row.key("9999999999") == ("9999999999", "ILR", "60312345", "10000001",
                                     dt.date(2023, 9, 4))


@pytest.mark.parametrize(("changes", "column", "rule"), [
    ({"uln": ""}, "uln", "required"),
    ({"uln": "1026893097"}, "uln", "check digit"),
    ({"uln": "12345"}, "uln", "ten digits"),
    ({"source": "AO"}, "source", "ILR or NPD"),
    ({"start_date": "2023-02-30"}, "start_date", "not a date"),
    ({"start_date": "2027-01-01", "end_date": ""}, "start_date", "future"),
    ({"end_date": "2022-01-01"}, "end_date", "before start_date"),
    ({"award_date": "2023-01-01"}, "award_date", "before start_date"),
    ({"provider_ukprn": "1000"}, "provider_ukprn", "eight digits"),
    ({"credits": "-1"}, "credits", "whole number"),
    ({"status": "X"}, "status", "P (provisional)"),
    ({"subject_code": "A B"}, "subject_code", "space"),
    ({"subject": "x" * 256}, "subject", "longer than 255"),
])
def test_bad_rows_name_the_column(changes, column, rule):
    row, errors = participation.row_errors({**ROW, **changes}, TODAY)
    assert row is None
    assert any(c == column and rule in r for c, r in errors), errors


def test_a_planned_end_date_may_be_in_the_future():
    assert participation.row_errors({**ROW, "end_date": "2030-06-30"}, TODAY)[1] == []


def test_the_learner_must_be_known_and_born_before_the_start():
    row, _ = participation.row_errors(ROW, TODAY)
    assert participation.learner_error(row, learner(A)) is None
    assert participation.learner_error(row, None)[0] == "uln"
    assert participation.learner_error(row, learner(A, LearnerStatus.RETIRED))[0] == "uln"
    young = dataclasses.replace(learner(A), details=details(dob=dt.date(2024, 1, 1)))
    assert participation.learner_error(row, young)[0] == "start_date"
