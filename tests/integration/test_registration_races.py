"""Races between real processes on one database: the rules hold across processes."""

from __future__ import annotations

import datetime as dt
import multiprocessing

import pytest
import sqlalchemy as sa

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain import uln as uln_rules
from lrs_soap.domain.matching import DemographicQuery
from lrs_soap.domain.model import LearnerDetails, Role
from lrs_soap.service import accounts, learners
from lrs_soap.service.accounts import Credentials
from lrs_soap.store.orm import LearnerRow

PASSWORD = "Race-password-16"
SAME_PERSON = LearnerDetails("Jordan", "Racer", dt.date(2003, 4, 5), "1", "LS1 4AP",
                             verification_type="1")


def _setup(url: str) -> None:
    with build_runtime(Settings(database_url=url)) as services:
        accounts.create_organisation(services, name="Race College", ukprn="20000001",
                                     reference=None,
                                     roles=frozenset({Role.LEARNER_REGISTRATION_BODY}))
        accounts.set_password(services, "20000001", PASSWORD)
        accounts.create_user(services, "20000001", "racer")


def _register_worker(url: str, people: list[LearnerDetails], start, results) -> None:
    """One process: search then register each person, after all processes are ready."""
    with build_runtime(Settings(database_url=url)) as services:
        caller = accounts.authenticate(services, Credentials("racer", PASSWORD,
                                                             ukprn="20000001"),
                                       "register_learner")
        for details in people:
            query = DemographicQuery(details.given_name, details.family_name,
                                     details.date_of_birth, details.gender, details.postcode)
            learners.find_learner_by_demographics(services, caller, query)
        start.wait(timeout=60)
        for details in people:
            result = learners.register_learner(services, caller, details)
            results.put((result.code.value, result.uln))


def _race(url: str, batches: list[list[LearnerDetails]]) -> list[tuple[str, str | None]]:
    context = multiprocessing.get_context("spawn")  # fresh interpreters, fresh engines
    start, results = context.Barrier(len(batches)), context.Queue()
    processes = [context.Process(target=_register_worker, args=(url, batch, start, results))
                 for batch in batches]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0
    expected = sum(len(batch) for batch in batches)
    return [results.get(timeout=10) for _ in range(expected)]


@pytest.mark.slow
def test_two_registrations_of_the_same_learner_yield_one_uln_and_one_wsrc0021(migrated_url):
    _setup(migrated_url)
    outcomes = sorted(_race(migrated_url, [[SAME_PERSON], [SAME_PERSON]]))
    assert [code for code, _ in outcomes] == ["WSRC0005", "WSRC0021"]
    engine = sa.create_engine(migrated_url)
    with engine.connect() as connection:
        stored = connection.execute(sa.select(LearnerRow.uln)
                                    .where(LearnerRow.family_name == "Racer")).scalars().all()
    engine.dispose()
    assert stored == [outcomes[0][1]]


@pytest.mark.slow
def test_parallel_registrations_get_distinct_valid_ulns(migrated_url):
    _setup(migrated_url)
    people = [LearnerDetails(f"Parallel{chr(65 + i % 26)}{chr(65 + i // 26)}", "Many",
                             dt.date(1995, 1, 1) + dt.timedelta(days=i), "2", "M1 1AE")
              for i in range(120)]
    outcomes = _race(migrated_url, [people[i::4] for i in range(4)])
    assert {code for code, _ in outcomes} == {"WSRC0005"}
    ulns = [uln for _, uln in outcomes]
    assert len(set(ulns)) == len(people)
    assert all(uln_rules.is_valid(uln) for uln in ulns)
