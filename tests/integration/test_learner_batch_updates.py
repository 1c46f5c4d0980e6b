"""Learner batch records that update learners, on SQLite and PostgreSQL: UpdateLearner's
rules, codes and version handling, and a batch update racing a single UpdateLearner."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import pytest

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.batches import JobKind
from lrs_soap.domain.model import LearnerDetails, Role
from lrs_soap.service import accounts, batches, learners
from lrs_soap.service.accounts import Credentials
from lrs_soap.service.learner_batches import LEARNER_COUNTERS
from tests.batch_records import batch_record, sent
from tests.ulns import valid_ulns

PASSWORD = "Batch-update-016"
ULNS = valid_ulns(4, 301_000_000)
ANN = LearnerDetails("Ann", "Updater", dt.date(2001, 2, 3), "2", "LS1 4AP",
                     verification_type="1", email_address="ann@old.example.org")
BEN = LearnerDetails("Ben", "Updater", dt.date(2002, 3, 4), "1", "LS2 9JT",
                     verification_type="1", address_line1="1 Old Street",
                     date_of_address_capture=dt.date(2024, 1, 1))


def record(details: LearnerDetails, **elements: str) -> dict[str, str | None]:
    return batch_record(details, **elements)


@pytest.fixture
def services(migrated_url):
    with build_runtime(Settings(database_url=migrated_url)) as services:
        accounts.create_organisation(services, name="Update College", ukprn="30000001",
                                     reference=None,
                                     roles=frozenset({Role.LEARNER_REGISTRATION_BODY}))
        accounts.set_password(services, "30000001", PASSWORD)
        accounts.create_user(services, "30000001", "updater")
        now = services.clock()
        with services.uow_factory() as uow:
            for uln, details in zip(ULNS, (ANN, BEN), strict=False):
                uow.uln_registry.claim(uln, now)
                uow.learners.add(uln, details, registered_by=None, now=now)
            uow.commit()
        yield services


_CALLERS: dict[int, accounts.Caller] = {}


def caller(services):
    """The college, authenticated once per database (Argon2 is slow on purpose)."""
    if id(services) not in _CALLERS:
        _CALLERS.clear()
        _CALLERS[id(services)] = accounts.authenticate(
            services, Credentials("updater", PASSWORD, ukprn="30000001"), "learner_batch")
    return _CALLERS[id(services)]


def submit(services, records, job_type="FUL") -> int:
    result = batches.submit(services, caller(services), batches.Submission(
        JobKind.LEARNER_REGISTRATION, sent(records), len(records), job_type=job_type))
    assert result.code == "WSRC0007"
    return result.job_id


def run_jobs(services) -> None:
    while batches.run_next_job(services, batches.RunSettings(worker="t")) is not None:
        pass


def outcome(services, job_id):
    report = batches.report(services, caller(services), JobKind.LEARNER_REGISTRATION, job_id)
    assert report.code == "WSRC0009"
    counters = {name: sum(report.job.counters.get(code, 0) for code in codes)
                for name, codes in LEARNER_COUNTERS.items()}
    return [(code, result.get("uln")) for _, _, code, result in report.records], counters


def held(services, uln: str):
    found = learners.find_learner_by_uln(services, caller(services), learners.FindByUlnQuery(
        uln, "Ann" if uln == ULNS[0] else "Ben", "Updater"))
    assert found.code == "WSRC0004"
    return found.learner


def test_records_with_a_uln_update_with_update_learners_codes(services):
    ann, ben = ULNS[0], ULNS[1]
    new_email = dataclasses.replace(ANN, email_address="ann@new.example.org")
    job = submit(services, [
        record(new_email, ULN=ann, MISIdentifier="1"),  # WSRC0006
        record(dataclasses.replace(ANN, notes="x"), ULN=ann),  # same submitted version: stale
        record(BEN, ULN=ben),  # nothing to change: WSRC0020
        record(dataclasses.replace(BEN, ability_to_share="2"), ULN=ben),  # WSRC0014
        record(dataclasses.replace(BEN, given_name="Benedict"), ULN=ben),  # names: WSRC0001
        record(dataclasses.replace(BEN, verification_type="999"), ULN=ben),  # rule: RC011
        record(BEN, ULN="1234567890"),  # check digit: RC011
    ])
    run_jobs(services)
    codes, counters = outcome(services, job)
    assert codes == [("WSRC0006", ann), ("WSRC0013", ann), ("WSRC0020", ben),
                     ("WSRC0014", ben), ("WSRC0001", None), ("RC011", None), ("RC011", None)]
    assert counters == {"NewLearnersCount": 0, "ExistsUpdatedLearnersCount": 2,
                        "PossibleMatchLearnersCount": 0, "LearnersNotFoundCount": 1,
                        "RejectedLearnersCount": 4}
    after = held(services, ann)
    assert (after.details.email_address, after.details.notes, after.version_number) == (
        "ann@new.example.org", None, 2)
    assert held(services, ben).version_number == 1


def test_a_check_job_updates_nobody(services):
    changed = dataclasses.replace(ANN, notes="a check changes nothing")
    job = submit(services, [record(changed, ULN=ULNS[0]), record(changed)], job_type="CHK")
    run_jobs(services)
    assert outcome(services, job)[0] == [("WSRC0004", ULNS[0]), ("WSRC0004", ULNS[0])]
    after = held(services, ULNS[0])
    assert (after.details.notes, after.version_number) == (None, 1)


def test_a_record_without_a_uln_takes_only_newer_details(services):
    older_address = dataclasses.replace(BEN, address_line1="0 Older Street",
                                        date_of_address_capture=dt.date(2023, 1, 1),
                                        email_address="ben@example.org", title=None)
    newer_address = dataclasses.replace(BEN, address_line1="2 New Street", address_line2=None,
                                        date_of_address_capture=dt.date(2025, 1, 1))
    job = submit(services, [record(older_address, MISIdentifier="first"),
                            record(newer_address), record(BEN, address_line1=None)])
    run_jobs(services)
    codes, counters = outcome(services, job)
    assert codes == [("WSRC0006", ULNS[1]), ("WSRC0006", ULNS[1]), ("WSRC0004", ULNS[1])]
    assert counters["ExistsUpdatedLearnersCount"] == 3
    details = held(services, ULNS[1]).details
    assert (details.email_address, details.address_line1, details.date_of_address_capture) == (
        "ben@example.org", "2 New Street", dt.date(2025, 1, 1))


def _update(services, version: int, email: str):
    return learners.update_learner(services, caller(services), ULNS[0], version,
                                   dataclasses.replace(ANN, email_address=email))


def test_a_single_update_after_submission_wins_and_the_batch_is_told(services):
    job = submit(services, [record(dataclasses.replace(ANN, email_address="b@example.org"),
                                   ULN=ULNS[0])])
    assert _update(services, 1, "single@example.org").code == "WSRC0006"
    run_jobs(services)
    assert outcome(services, job)[0] == [("WSRC0013", ULNS[0])]
    assert held(services, ULNS[0]).details.email_address == "single@example.org"


def test_a_batch_update_first_wins_and_the_single_update_is_told(services):
    job = submit(services, [record(dataclasses.replace(ANN, email_address="b@example.org"),
                                   ULN=ULNS[0])])
    run_jobs(services)
    assert outcome(services, job)[0] == [("WSRC0006", ULNS[0])]
    assert _update(services, 1, "single@example.org").code == "WSRC0013"
    assert held(services, ULNS[0]).details.email_address == "b@example.org"


def test_a_batch_update_racing_a_single_update_one_wins_the_other_is_told(services):
    """Both start from version 1 at the same moment, in two threads."""
    job = submit(services, [record(dataclasses.replace(ANN, email_address="b@example.org"),
                                   ULN=ULNS[0])])
    start, single = threading.Barrier(2), []

    def single_update():
        start.wait(timeout=30)
        single.append(_update(services, 1, "single@example.org").code)

    thread = threading.Thread(target=single_update)
    thread.start()
    start.wait(timeout=30)
    run_jobs(services)
    thread.join(timeout=60)
    [(batch_code, _)] = outcome(services, job)[0]
    assert sorted([batch_code, *single]) == ["WSRC0006", "WSRC0013"]
    winner = "b@example.org" if batch_code == "WSRC0006" else "single@example.org"
    learner = held(services, ULNS[0])
    assert (learner.details.email_address, learner.version_number) == (winner, 2)
