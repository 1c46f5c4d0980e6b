"""Racing raises of the same challenge: the database keeps exactly one open, and every
racer is answered RAISED or ALREADY_OPEN with that one (it was possible to raise two)."""

from __future__ import annotations

import threading

import pytest

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.challenges import ChallengeKind, RaiseOutcome
from lrs_soap.domain.plr import RecordQuery
from lrs_soap.service import accounts, challenges
from lrs_soap.service.accounts import Credentials
from lrs_soap.service.demo import load
from lrs_soap.service.ports import DuplicateChallenge

RACERS = 6


@pytest.fixture
def services(migrated_url):
    with build_runtime(Settings(database_url=migrated_url)) as services:
        load(services)
        yield services


def caller(services):
    return accounts.authenticate(services, Credentials("demo", "DemoCollege2026!",
                                                       ukprn="10000001"), "raise_event_challenge")


def race(call) -> list:
    barrier, results = threading.Barrier(RACERS), []

    def run() -> None:
        barrier.wait()
        results.append(call())

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_racing_event_challenges_leave_exactly_one_open(services):
    who = caller(services)
    query = RecordQuery("1964986809", "Priya", "Shah")
    results = race(lambda: challenges.raise_event_challenge(services, who, query, 1,
                                                            "Grade was Distinction"))
    outcomes = sorted(r.outcome.value for r in results)
    assert outcomes == sorted([RaiseOutcome.RAISED.value]
                              + [RaiseOutcome.ALREADY_OPEN.value] * (RACERS - 1))
    assert len({r.challenge.challenge.id for r in results}) == 1


def test_racing_uln_challenges_leave_exactly_one_open(services):
    who = caller(services)
    results = race(lambda: challenges.raise_uln_challenge(services, who, "1026893096",
                                                          "SHARED_ULN", "Two people"))
    assert sorted(r.outcome.value for r in results) == sorted(
        [RaiseOutcome.RAISED.value] + [RaiseOutcome.ALREADY_OPEN.value] * (RACERS - 1))
    assert len({r.challenge.id for r in results}) == 1


def test_the_store_refuses_a_second_open_challenge(services):
    with services.uow_factory() as uow:
        add = dict(kind=ChallengeKind.EVENT, organisation_id=1, user_name="demo",
                   reason="r", now=services.clock(), learning_event_id=1)
        first = uow.challenges.add(**add)
        with pytest.raises(DuplicateChallenge):
            uow.challenges.add(**add)
        assert uow.challenges.open_event_challenge(1, 1).id == first.id  # still usable
