"""Achievement management, single: the same records through the batch and the single path
give the same outcomes, on SQLite and PostgreSQL; racing single changes to one learner are
applied one after the other."""

from __future__ import annotations

import threading

import pytest

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.batches import JobKind
from lrs_soap.domain.errors import LrsError
from lrs_soap.service import accounts, batches, demo, single_achievements
from lrs_soap.service.accounts import Credentials
from lrs_soap.service.batches import RunSettings, run_next_job
from lrs_soap.soap.native.achievement_mapping import achievement
from lrs_soap.store import migrate
from tests.databases import fresh_database
from tests.ulns import valid_ulns

AO = Credentials("demo", "DemoAwarding2026", ukprn="10000002")
SAM = {"ULN": "1026893096", "GivenName": "Sam", "FamilyName": "Example",
       "DateOfBirth": "2000-01-31", "Gender": "2", "ActionDate": "2025-01-10",
       "ProviderUKPRN": "10000001"}
PRIYA_DUPLICATE = {"ULN": "2468013572", "GivenName": "Priya", "FamilyName": "Shah",
                   "DateOfBirth": "2007-03-09", "Gender": "2", "ActionDate": "2025-01-10",
                   "ProviderUKPRN": "10000001"}
TOM = {"ULN": "8383558804", "GivenName": "Tom", "FamilyName": "Jones",
       "DateOfBirth": "1998-12-24", "Gender": "1", "ActionDate": "2025-01-10",
       "ProviderUKPRN": "10000001"}
DIPLOMA = {"QualificationReference": "600/1234/5"}
[UNKNOWN_ULN] = valid_ulns(1, 555_000_001)


def _record(learner, action, **fields):
    return {**learner, "Action": action, **fields}


# One story of records, every kind of outcome of the batch.
RECORDS = [
    _record(SAM, "CREATE", **DIPLOMA, Grade="Merit", AwardDate="2024-07-01"),
    _record(SAM, "UPDATE", **DIPLOMA, Grade="Distinction", AwardDate="2024-07-01"),
    _record(SAM, "UPDATE", **DIPLOMA, Grade="Distinction", AwardDate="2024-07-01"),
    _record(SAM, "WITHDRAW", **DIPLOMA, ActionReason="entered in error"),
    _record(SAM, "WITHDRAW", **DIPLOMA, ActionReason="again"),
    _record(SAM, "UPDATE", **DIPLOMA, Grade="Pass", AwardDate="2024-07-01"),
    _record(SAM, "REINSTATE", **DIPLOMA),
    _record(SAM, "CREATE", QualificationReference="601/0000/X", Grade="Pass",
            AwardDate="2024-07-01"),
    _record(SAM, "CREATE", QualificationReference="999/9999/9", Grade="Pass",
            AwardDate="2024-07-01"),
    _record({**SAM, "GivenName": "Bob"}, "CREATE", QualificationReference="100/2510/8",
            Grade="Pass", AwardDate="2024-07-01"),
    _record(PRIYA_DUPLICATE, "CREATE", QualificationReference="100/2510/8", Grade="Pass",
            AwardDate="2025-07-15"),
    _record(PRIYA_DUPLICATE, "UPDATE", QualificationReference="100/2510/8",
            Grade="Distinction", AwardDate="2025-07-15"),
    _record(SAM, "CREATE", QualificationReference="K/501/5773", Grade="Pass",
            AwardDate="1999-01-01"),
    _record({**SAM, "ULN": UNKNOWN_ULN}, "CREATE", **DIPLOMA, Grade="Pass",
            AwardDate="2024-07-01"),
    _record({**SAM, "ULN": "1026893097"}, "CREATE", **DIPLOMA, Grade="Pass",
            AwardDate="2024-07-01"),
    _record(TOM, "CREATE", QualificationReference="y/600/4321", Grade="Pass",
            AwardDate="2020-06-01"),
    _record(TOM, "PROMOTE", QualificationReference="Y/600/4321"),
    _record(TOM, "CREATE", QualificationReference="K/501/5773"),
]


def _comparable(code, detail, errors):
    """An outcome without record numbers (a batch numbers its records, a single call has 1)."""
    detail = {name: value for name, value in detail.items() if name != "errors"}
    return code, detail, sorted((error["field"], error["rule"]) for error in errors)


def _demo_database(directory):
    context = fresh_database(directory)
    url = context.__enter__()
    migrate.upgrade(url)
    with build_runtime(Settings(database_url=url)) as services:
        demo.load(services)
    return context, url


@pytest.fixture
def two_demo_databases(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, first_url = _demo_database(tmp_path / "a")
    second, second_url = _demo_database(tmp_path / "b")
    yield first_url, second_url
    first.__exit__(None, None, None)
    second.__exit__(None, None, None)


def _through_the_batch(url):
    with build_runtime(Settings(database_url=url)) as services:
        caller = accounts.authenticate(services, AO, "submit_achievements")
        submitted = batches.submit(services, caller, batches.Submission(
            JobKind.ACHIEVEMENT, [achievement(r) for r in RECORDS], len(RECORDS),
            submission_type="FINAL"))
        while run_next_job(services, RunSettings(worker="compare")) is not None:
            pass
        report = batches.report(services, caller, JobKind.ACHIEVEMENT, submitted.job_id)
    return [_comparable(outcome.code, outcome.detail, [e.as_dict() for e in outcome.errors])
            for _, _, outcome in report.records]


def _one_at_a_time(url):
    outcomes, codes = [], []
    with build_runtime(Settings(database_url=url)) as services:
        caller = accounts.authenticate(services, AO, "submit_achievements")
        for record in RECORDS:
            try:
                answer = single_achievements.manage_achievement(services, caller,
                                                                achievement(record))
            except LrsError as fault:  # bad input: the batch's field errors, as a fault
                codes.append(fault.code.value)
                errors = [dict(zip(("field", "rule"), part.split(" ", 1), strict=True))
                          for part in fault.further_details.split("; ")]
                outcomes.append(_comparable("REJECTED", {"error_kind": "field"}, errors))
                continue
            codes.append(str(answer.code))
            outcome = answer.outcome
            outcomes.append(_comparable(outcome.code, outcome.detail,
                                        [e.as_dict() for e in outcome.errors]))
    return outcomes, codes


def test_the_same_records_give_the_same_outcomes_one_at_a_time_and_as_a_batch(
        two_demo_databases):
    batch_url, single_url = two_demo_databases
    from_batch = _through_the_batch(batch_url)
    from_single, codes = _one_at_a_time(single_url)
    assert from_single == from_batch
    assert [outcome[0] for outcome in from_batch] == [
        "CREATED", "UPDATED", "UPDATED", "WITHDRAWN", "REJECTED", "REJECTED", "REINSTATED",
        "REJECTED", "REJECTED", "REJECTED", "REJECTED", "UPDATED", "REJECTED", "REJECTED",
        "REJECTED", "CREATED", "REJECTED", "REJECTED"]
    assert codes == ["WSRC0006", "WSRC0006", "WSRC0020", "WSRC0006", "WSRC0021", "WSRC0021",
                     "WSRC0006", "WSRC0021", "WSRC0021", "WSEC0208", "WSRC0021", "WSRC0006",
                     "WSEC0001", "WSEC0208", "WSEC0136", "WSRC0006", "WSRC0021", "WSEC0001"]
    merged = from_batch[11][1]
    assert merged["uln"] == "1964986809"  # held under Priya Shah's master ULN
    assert merged["changed"] == ["grade"]


def test_racing_single_creates_of_one_achievement_create_it_once(fresh_database_url):
    migrate.upgrade(fresh_database_url)
    with build_runtime(Settings(database_url=fresh_database_url)) as services:
        demo.load(services)
    record = _record(TOM, "CREATE", **DIPLOMA, Grade="Pass", AwardDate="2020-06-01")
    start, answers = threading.Barrier(4), []

    def create():
        with build_runtime(Settings(database_url=fresh_database_url)) as services:
            caller = accounts.authenticate(services, AO, "submit_achievements")
            start.wait(timeout=30)
            answers.append(single_achievements.manage_achievement(services, caller,
                                                                  achievement(record)))

    threads = [threading.Thread(target=create) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(str(answer.code) for answer in answers) == [
        "WSRC0006", "WSRC0021", "WSRC0021", "WSRC0021"]
    refused = [answer for answer in answers if answer.code == "WSRC0021"]
    assert {error.rule for answer in refused for error in answer.outcome.errors} == {
        "an achievement for this learner and qualification exists: UPDATE it"}
