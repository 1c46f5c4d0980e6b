"""Every writer of learners keeps the match keys the demographic search narrows on
(given, family and previous family name keys, postcode key, ix_learners_match) equal to
the keys of the names and postcode it stored: registration, a learner batch, a fixture,
UpdateLearner, the portal's edit, a merge and a split, on SQLite and PostgreSQL. The
fast path trusts these keys; a stale one would hide a learner from FindByDemographics."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.batches import JobKind
from lrs_soap.domain.matching import DemographicQuery
from lrs_soap.domain.model import LearnerDetails, Role
from lrs_soap.service import (
    accounts,
    batches,
    chosen_ulns,
    learner_admin,
    learner_subset,
    learners,
)
from lrs_soap.service.accounts import Credentials
from lrs_soap.store.orm import LearnerRow
from lrs_soap.store.repositories import learner_columns
from tests.batch_records import batch_record, sent
from tests.ulns import valid_ulns

PASSWORD = "Match-keys-2026!"
KEYS = ("given_name_key", "family_name_key", "previous_family_name_key", "postcode_key",
        "demographics_key")
FIXTURE_ULNS = valid_ulns(2, 302_000_000)
ZOE = LearnerDetails("Zoë", "O'Brien-Smith", dt.date(2004, 2, 29), "2", "cv4 9ee",
                     verification_type="0", ability_to_share="1", previous_family_name="Brown")


@pytest.fixture
def services(migrated_url):
    with build_runtime(Settings(database_url=migrated_url)) as services:
        accounts.create_organisation(services, name="Key College", ukprn="30000002",
                                     reference=None,
                                     roles=frozenset({Role.LEARNER_REGISTRATION_BODY}))
        accounts.set_password(services, "30000002", PASSWORD)
        accounts.create_user(services, "30000002", "keys")
        yield services


def _stored_and_expected(services) -> tuple[list, list]:
    with services.uow_factory() as uow:
        rows = uow.session.execute(sa.select(LearnerRow).order_by(LearnerRow.id)).scalars()
        stored, expected = [], []
        for row in rows:
            held = uow.learners.by_uln(row.uln)
            stored.append((row.uln, *(getattr(row, key) for key in KEYS)))
            columns = learner_columns(held.details)
            expected.append((row.uln, *(columns[key] for key in KEYS)))
    return stored, expected


def test_every_writer_keeps_the_match_keys_of_what_it_stored(services):
    caller = accounts.authenticate(services, Credentials("keys", PASSWORD, ukprn="30000002"),
                                   "learner_batch")
    # Registration, after the find the procedure asks for.
    query = DemographicQuery(ZOE.given_name, ZOE.family_name, ZOE.date_of_birth, ZOE.gender,
                             ZOE.postcode)
    assert learners.find_learner_by_demographics(services, caller, query).code.value == \
        "WSRC0001"
    registered = learners.register_learner(services, caller, ZOE).uln
    # UpdateLearner, then the portal's edit page, both changing names and postcode.
    renamed = dataclasses.replace(ZOE, given_name="CHLOÉ", family_name="van der Merwe",
                                  postcode="m1  1ae")
    assert learners.update_learner(services, caller, registered, 1, renamed).code.value == \
        "WSRC0006"
    assert learner_subset.update_learner_fields(
        services, caller, registered, 2,
        {"family_name": "Müller-Jones", "previous_family_name": "Ó Súilleabháin",
         "postcode": "sw1a1aa"}).code.value == "WSRC0006"
    # A learner batch registering someone new.
    ben = LearnerDetails("Bén", "D'Souza", dt.date(2003, 5, 5), "1", "ls2 9jt",
                         verification_type="0", ability_to_share="1")
    result = batches.submit(services, caller, batches.Submission(
        JobKind.LEARNER_REGISTRATION, sent([batch_record(ben)]), 1, job_type="FUL"))
    while batches.run_next_job(services, batches.RunSettings(worker="t")) is not None:
        pass
    report = batches.report(services, caller, JobKind.LEARNER_REGISTRATION, result.job_id)
    assert [code for _, _, code, _ in report.records] == ["WSRC0005"]
    # Fixtures, then a merge of one into the other, then a split.
    for uln, given in zip(FIXTURE_ULNS, ("Siân", "Siani"), strict=True):
        chosen_ulns.add_learner(services, uln, LearnerDetails(
            given, "ap Rhys", dt.date(2000, 1, 2), "2", "cf10 1aa", verification_type="0",
            ability_to_share="1"), actor="fixture")
    learner_admin.merge(services, FIXTURE_ULNS[1], FIXTURE_ULNS[0], actor="test")
    learner_admin.split(services, FIXTURE_ULNS[0], LearnerDetails(
        "Ffion", "ap Rhys-Jones", dt.date(2000, 2, 1), "2", "cf10 1ab",
        verification_type="0", ability_to_share="1"), [], actor="test")

    stored, expected = _stored_and_expected(services)
    assert len(stored) == 5
    assert stored == expected
    by_uln = {row[0]: row for row in stored}
    assert by_uln[registered][1:5] == ("chloe", "mullerjones", "osuilleabhain", "SW1A1AA")
