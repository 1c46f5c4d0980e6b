"""The exceptions process of learner batches on SQLite and PostgreSQL: what a job leaves
open, who sees it, and each way of resolving it (once)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import pytest

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.batch_exceptions import ExceptionStatus
from lrs_soap.domain.batches import JobKind
from lrs_soap.domain.model import LearnerDetails, Role
from lrs_soap.service import accounts, batch_exceptions, batches, learners
from lrs_soap.service.accounts import Credentials
from tests.batch_records import sent
from tests.integration.test_learner_batch_updates import record
from tests.ulns import valid_ulns

PASSWORD = "Exception-pw-016"
POSY = LearnerDetails("Posy", "Possible", dt.date(2004, 5, 6), "2", "LS1 4AP",
                      verification_type="1")
TWINS = [dataclasses.replace(POSY, given_name=name, family_name="Twin", gender="1",
                             postcode="LS6 3QW")
         for name in ("Alfa", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel",
                      "India", "Juliett", "Kilo")]
ULNS = valid_ulns(12, 302_000_000)
COLLEGES = {"30000011": "first", "30000012": "second"}


@pytest.fixture
def services(migrated_url):
    settings = Settings(database_url=migrated_url, possible_match_wait_seconds=0)
    with build_runtime(settings) as services:
        for ukprn, user in COLLEGES.items():
            accounts.create_organisation(services, name=f"College {user}", ukprn=ukprn,
                                         reference=None,
                                         roles=frozenset({Role.LEARNER_REGISTRATION_BODY}))
            accounts.set_password(services, ukprn, PASSWORD)
            accounts.create_user(services, ukprn, user)
        now = services.clock()
        with services.uow_factory() as uow:
            for uln, details in zip(ULNS, [POSY, *TWINS], strict=True):
                uow.uln_registry.claim(uln, now)
                uow.learners.add(uln, details, registered_by=None, now=now)
            uow.commit()
        yield services


def college(services, ukprn="30000011"):
    return accounts.authenticate(services, Credentials(COLLEGES[ukprn], PASSWORD, ukprn=ukprn),
                                 "learner_batch")


def run_batch(services, caller, records) -> int:
    job = batches.submit(services, caller, batches.Submission(
        JobKind.LEARNER_REGISTRATION, sent(records), len(records), job_type="FUL")).job_id
    while batches.run_next_job(services, batches.RunSettings(worker="t")) is not None:
        pass
    return job


POSSIBLE = record(dataclasses.replace(POSY, postcode="LS1 4AQ"), MISIdentifier="P")
TOO_MANY = record(dataclasses.replace(TWINS[0], given_name="Lima"), MISIdentifier="T")


@pytest.fixture
def exceptions(services):
    """A job of the first college leaving two exceptions: possible (Posy) and too many."""
    first = college(services)
    job = run_batch(services, first, [POSSIBLE, record(dataclasses.replace(
        POSY, given_name="Quentin", family_name="Newcomer")), TOO_MANY])
    listing = batch_exceptions.list_exceptions(services, first, job_id=job)
    assert (listing.code, listing.total) == ("WSRC0004", 2)
    possible, too_many = listing.exceptions
    assert (possible.record_number, possible.code, possible.possible_ulns) == (
        1, "WSRC0003", (ULNS[0],))
    assert (too_many.record_number, too_many.code, too_many.possible_ulns) == (
        3, "WSRC0002", ())
    assert possible.record.mis_identifier == "P" and possible.status is ExceptionStatus.OPEN
    return first, possible, too_many


def test_exceptions_are_visible_only_to_their_organisation(services, exceptions):
    first, possible, _ = exceptions
    second = college(services, "30000012")
    assert batch_exceptions.list_exceptions(services, second).total == 0
    assert batch_exceptions.get_exception(services, second, possible.id) is None
    theirs = batch_exceptions.resolve_exception(services, second, possible.id, "DISCARD")
    missing = batch_exceptions.resolve_exception(services, second, 999_999, "DISCARD")
    assert theirs == missing == batch_exceptions.ResolveResult("WSRC0001")
    assert batch_exceptions.get_exception(services, first, possible.id).is_open


def test_link_to_a_listed_possible_match_and_only_once(services, exceptions):
    first, possible, _ = exceptions
    refused = batch_exceptions.resolve_exception(services, first, possible.id, "LINK",
                                                 uln=ULNS[1])
    assert (refused.outcome, refused.exception.status) == ("NOT_A_POSSIBLE_MATCH", "OPEN")
    linked = batch_exceptions.resolve_exception(services, first, possible.id, "LINK",
                                                uln=ULNS[0], reason="same person, new flat")
    assert (linked.code, linked.outcome, linked.uln) == ("WSRC0004", "LINKED", ULNS[0])
    assert (linked.exception.status, linked.exception.resolved_uln,
            linked.exception.resolved_by, linked.exception.reason) == (
        "LINKED", ULNS[0], "first", "same person, new flat")
    again = batch_exceptions.resolve_exception(services, first, possible.id, "DISCARD")
    assert (again.code, again.outcome, again.exception.status) == (
        "WSRC0004", "ALREADY_RESOLVED", "LINKED")
    assert batch_exceptions.list_exceptions(services, first).total == 1  # the open one


def test_too_many_links_to_a_learner_the_record_still_matches(services, exceptions):
    first, _, too_many = exceptions
    refused = batch_exceptions.resolve_exception(services, first, too_many.id, "LINK",
                                                 uln=ULNS[0])
    assert refused.outcome == "NOT_A_POSSIBLE_MATCH"
    linked = batch_exceptions.resolve_exception(services, first, too_many.id, "LINK",
                                                uln=ULNS[5])
    assert (linked.outcome, linked.uln) == ("LINKED", ULNS[5])


def test_register_a_new_learner_from_an_exception(services, exceptions):
    first, possible, too_many = exceptions
    registered = batch_exceptions.resolve_exception(services, first, too_many.id, "REGISTER")
    assert (registered.outcome, registered.exception.status) == ("REGISTERED", "REGISTERED")
    assert registered.uln == registered.exception.resolved_uln
    found = learners.find_learner_by_uln(services, first, learners.FindByUlnQuery(
        registered.uln, "Lima", "Twin"))
    assert found.code == "WSRC0004" and found.learner.details.postcode == "LS6 3QW"
    assert batch_exceptions.resolve_exception(
        services, first, too_many.id, "REGISTER").outcome == "ALREADY_RESOLVED"
    discarded = batch_exceptions.resolve_exception(services, first, possible.id, "DISCARD")
    assert discarded.outcome == "DISCARDED" and discarded.uln is None
    assert batch_exceptions.list_exceptions(services, first).code == "WSRC0001"
    done = batch_exceptions.list_exceptions(services, first, status=ExceptionStatus.REGISTERED)
    assert [e.id for e in done.exceptions] == [too_many.id]


def test_register_waits_after_possible_matches(migrated_url, services, exceptions):
    first, possible, _ = exceptions
    waiting = Settings(database_url=migrated_url, possible_match_wait_seconds=3600)
    with build_runtime(waiting) as patient:
        refused = batch_exceptions.resolve_exception(patient, first, possible.id, "REGISTER")
    assert refused.outcome == "CANNOT_REGISTER" and "check them" in refused.reason
    assert batch_exceptions.get_exception(services, first, possible.id).is_open


def test_resolving_at_the_same_moment_resolves_once(services, exceptions):
    first, possible, _ = exceptions
    start, outcomes = threading.Barrier(2), []

    def resolve(decision, **uln):
        start.wait(timeout=30)
        outcomes.append(batch_exceptions.resolve_exception(
            services, first, possible.id, decision, **uln).outcome)

    threads = [threading.Thread(target=resolve, args=("DISCARD",)),
               threading.Thread(target=resolve, args=("LINK",), kwargs={"uln": ULNS[0]})]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes)[0] == "ALREADY_RESOLVED" and len(outcomes) == 2
    assert sorted(outcomes)[1] in ("DISCARDED", "LINKED")
