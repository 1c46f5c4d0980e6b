"""The demographic search's fast path (SqlLearnerRepository.demographic_candidates) answers
exactly as the reference matcher: matching.classify over every learner born on the day asked
for or with day and month swapped (match_candidates). Hypothesis builds populations around
one person, with the near misses the rules weigh: names with typos, short forms, hyphens,
extra parts, case and accents; swapped birth dates; another gender; a move within the
district or away; previous family names; optional fields agreeing or contradicting; retired
and merged learners. Each population is written by the repository (the learners' writer),
on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import unicodedata

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.matching import (
    DemographicQuery,
    candidate_birth_dates,
    classify,
    learner_demographics_key,
)
from lrs_soap.domain.model import LearnerDetails, LearnerStatus
from lrs_soap.domain.uln import check_digit
from lrs_soap.store import SqlUnitOfWork, create_engine, migrate, session_factory
from lrs_soap.store.orm import LearnerRow
from tests.databases import POSTGRES_ENV, POSTGRES_SKIP_REASON, temporary_postgres_database

NOW = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)
GIVEN = ("Sarah", "Zoë", "Anne-Marie", "Mary Ann", "Christopher", "Stephen", "Jon", "Seán",
         "Mohammed", "Olivia")
FAMILY = ("Jones", "O'Brien-Smith", "Smith", "van der Merwe", "Davies", "Müller", "Johns",
          "Nguyen", "Smith-Jones", "Wolfeschlegelsteinhausenbergerdorff")
POSTCODES = ("CV4 9EE", "CV4 8AA", "CV49EE", "cv4 9ee", "M1 1AE", "BFPO 1234", "SW1A 1AA")
DATES = (dt.date(2001, 4, 12), dt.date(2001, 12, 4), dt.date(2001, 4, 13),
         dt.date(1999, 2, 28), dt.date(2003, 5, 5))
SCHOOLS = (None, "King's School", "  KING'S   school ", "Other School")
PLACES = (None, "Leeds", "leeds", "York")
EMAILS = (None, "sarah@example.com", "Sarah@Example.COM", "other@example.org")
PREVIOUS = (None, "Jones", "Brown", "smith", "Jnoes")


def _strip_accents(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name)
                   if not unicodedata.combining(c))


def near_names(pool: tuple[str, ...], base: str) -> st.SearchStrategy[str]:
    """``base`` as a clerk or a learner might write it, or someone else's name (at most 35
    characters, as the contract and the learners table allow)."""
    return _near_names(pool, base).map(lambda name: name[:35])


@st.composite
def _near_names(draw, pool: tuple[str, ...], base: str) -> str:
    kind = draw(st.sampled_from(("same", "upper", "lower", "accents", "accent", "hyphens",
                                 "typo", "short", "extra part", "first part", "other")))
    if kind == "other":
        return draw(st.sampled_from(pool))
    if kind == "upper":
        return base.upper()
    if kind == "lower":
        return base.lower()
    if kind == "accents":
        return _strip_accents(base)
    if kind == "accent":
        return base.replace("e", "é", 1).replace("o", "ö", 1)
    if kind == "hyphens":
        return base.replace("-", " ") if "-" in base else base.replace(" ", "-")
    if kind == "short":
        return base[:draw(st.integers(3, max(3, len(base) - 1)))]
    if kind == "extra part":
        return f"{base}-{draw(st.sampled_from(pool))}"
    if kind == "first part":
        return base.replace("-", " ").split()[0]
    if kind == "typo" and len(base) > 3:
        at = draw(st.integers(0, len(base) - 2))
        edit = draw(st.sampled_from(("swap", "drop", "change", "add")))
        if edit == "swap":
            return base[:at] + base[at + 1] + base[at] + base[at + 2:]
        if edit == "drop":
            return base[:at] + base[at + 1:]
        if edit == "change":
            return base[:at] + draw(st.sampled_from("aeiouxyk")) + base[at + 1:]
        return base[:at] + draw(st.sampled_from("aeh")) + base[at:]
    return base


@st.composite
def people(draw):
    """(the query, the population: a list of (details, status, index of master or None))."""
    given_name, family_name = draw(st.sampled_from(GIVEN)), draw(st.sampled_from(FAMILY))
    dob, gender = draw(st.sampled_from(DATES[:2] + DATES[3:])), draw(st.sampled_from("12"))
    postcode = draw(st.sampled_from(POSTCODES))
    query = DemographicQuery(
        draw(near_names(GIVEN, given_name)), draw(near_names(FAMILY, family_name)),
        dob, gender, draw(st.sampled_from(POSTCODES[:5])),
        previous_family_name=draw(st.sampled_from(PREVIOUS)),
        school_at_age_16=draw(st.sampled_from(SCHOOLS)),
        place_of_birth=draw(st.sampled_from(PLACES)),
        email_address=draw(st.sampled_from(EMAILS)))
    population = []
    for index in range(draw(st.integers(1, 12))):
        swapped = candidate_birth_dates(dob)[-1]
        details = LearnerDetails(
            given_name=draw(near_names(GIVEN, given_name)),
            family_name=draw(near_names(FAMILY, family_name)),
            date_of_birth=draw(st.sampled_from((dob, dob, swapped, swapped, *DATES))),
            gender=draw(st.sampled_from((gender, gender, "1", "2", "9"))),
            postcode=draw(st.sampled_from((postcode, *POSTCODES))),
            previous_family_name=draw(st.sampled_from(PREVIOUS)),
            school_at_age_16=draw(st.sampled_from(SCHOOLS)),
            place_of_birth=draw(st.sampled_from(PLACES)),
            email_address=draw(st.sampled_from(EMAILS)))
        status = draw(st.sampled_from((LearnerStatus.ACTIVE,) * 4
                                      + (LearnerStatus.RETIRED, LearnerStatus.MERGED)))
        master = draw(st.integers(0, index - 1)) if status is LearnerStatus.MERGED and index \
            else None
        population.append((details, LearnerStatus.ACTIVE if master is None and
                           status is LearnerStatus.MERGED else status, master))
    return query, population


_serials = itertools.count(100_000_000)


def _uln() -> str:
    while (digit := check_digit(body := str(next(_serials)))) is None:
        pass
    return f"{body}{digit}"


def _write(uow: SqlUnitOfWork, population) -> None:
    """Each learner through the repository's add (the writer every face uses); retired and
    merged ones then set as learner administration sets them, and written first, so that
    none of them clashes with an active learner on the unique index. An active learner
    with the five demographics of one already held cannot exist: it is left out."""
    ulns = [_uln() for _ in population]
    active_keys = set()
    for uln, (details, status, master) in sorted(
            zip(ulns, population, strict=True),
            key=lambda pair: pair[1][1] is LearnerStatus.ACTIVE):
        if status is LearnerStatus.ACTIVE:
            key = learner_demographics_key(details)
            if key in active_keys:
                continue
            active_keys.add(key)
        uow.learners.add(uln, details, registered_by=None, now=NOW)
        if status is not LearnerStatus.ACTIVE:
            uow.session.execute(sa.update(LearnerRow).where(LearnerRow.uln == uln).values(
                status=status.value, master_uln=None if master is None else ulns[master]))


def _answer(outcome) -> tuple:
    return outcome.code, [learner.uln for learner in outcome.learners], outcome.merged_into


@pytest.fixture(scope="module", params=["sqlite",
                                        pytest.param("postgresql", marks=pytest.mark.postgres)])
def sessions(request, tmp_path_factory):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fast-path') / 'lrs.db'}"
        yield from _migrated_sessions(url)
    else:
        if not os.environ.get(POSTGRES_ENV):
            pytest.skip(POSTGRES_SKIP_REASON)
        with temporary_postgres_database() as url:
            yield from _migrated_sessions(url)


def _migrated_sessions(url: str):
    migrate.upgrade(url)
    engine = create_engine(url)
    try:
        yield session_factory(engine)
    finally:
        engine.dispose()


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=people())
def test_the_fast_path_answers_as_the_reference_matcher(sessions, case):
    query, population = case
    with SqlUnitOfWork(sessions) as uow:  # never committed: each population starts empty
        _write(uow, population)
        reference = uow.learners.match_candidates(candidate_birth_dates(query.date_of_birth))
        shortlist = uow.learners.demographic_candidates(query)
        assert {c.uln for c in shortlist} <= {c.uln for c in reference}
        assert _answer(classify(query, shortlist)) == _answer(classify(query, reference))


def test_the_fast_path_leaves_out_who_cannot_match_and_keeps_near_misses(sessions):
    query = DemographicQuery("Sarah", "Jones", DATES[0], "2", "CV4 9EE")
    population = [
        (LearnerDetails("Sarah", "Jones", DATES[0], "2", "CV4 9EE"), LearnerStatus.ACTIVE, None),
        (LearnerDetails("Sarha", "Jnoes", DATES[1], "2", "CV4 9EE"), LearnerStatus.ACTIVE, None),
        (LearnerDetails("Sarha", "Jones", DATES[1], "2", "CV4 8AA"), LearnerStatus.ACTIVE, None),
        (LearnerDetails("Emily", "Jones", DATES[0], "2", "CV4 8AA"), LearnerStatus.ACTIVE, None),
        (LearnerDetails("Tom", "Brown", DATES[0], "1", "M1 1AE"), LearnerStatus.ACTIVE, None),
        (LearnerDetails("Olivia", "Nguyen", DATES[0], "2", "CV4 9EE"), LearnerStatus.ACTIVE,
         None),
        (LearnerDetails("Sarah", "Jones", DATES[0], "2", "M1 1AE"), LearnerStatus.RETIRED,
         None),
    ]
    with SqlUnitOfWork(sessions) as uow:
        _write(uow, population)
        everyone = uow.learners.match_candidates(candidate_birth_dates(query.date_of_birth))
        shortlist = uow.learners.demographic_candidates(query)
        names = sorted((c.details.given_name, c.details.family_name) for c in shortlist)
        assert len(everyone) == 7
        # The exact one and two on the swapped date that score exactly 9 stay (two typos at
        # the address, 3 + 3 + 0 + 2 + 1; a typo in the district, 3 + 4 + 0 + 1 + 1); a
        # namesake in the district (0 + 4 + 2 + 1 + 1 = 8), another person and the retired
        # one go.
        assert names == [("Sarah", "Jones"), ("Sarha", "Jnoes"), ("Sarha", "Jones")]
        assert classify(query, shortlist).code is ResponseCode.EXACT_MATCH
