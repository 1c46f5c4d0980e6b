"""SqlAchievementStore on real databases: bulk chunks, the LearningEvent mapping, keys."""

import datetime as dt
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from lrs_soap.domain.achievements import NewEvent, Qualification
from lrs_soap.domain.model import LearnerDetails, Role
from lrs_soap.service.achievements import apply_records
from lrs_soap.service.ports import AchievementJob
from lrs_soap.soap.native.achievement_mapping import achievement
from lrs_soap.store.achievements import PREPARED_ULNS
from lrs_soap.store.orm import DataChallengeRow, LearningEventRow
from tests.ulns import valid_ulns

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
AO_ROLE = frozenset({Role.AWARDING_ORGANISATION})
OWNED, SHARED = "100/2510/8", "Y/600/4321"


def _ulns(count: int) -> list[str]:
    return valid_ulns(count, 100_000_000)


def _world(uow_factory, learners: int):
    """An awarding organisation, a provider, ``learners`` learners and two qualifications."""
    ulns = _ulns(learners)
    with uow_factory() as uow:
        ao = uow.organisations.add(name="Demo Awarding Body", ukprn="10000002", reference=None,
                                   roles=AO_ROLE)
        other = uow.organisations.add(name="Other AO", ukprn="10000003", reference=None,
                                      roles=AO_ROLE)
        uow.organisations.add(name="Demo College", ukprn="10000001", reference=None,
                              roles=frozenset({Role.LEARNER_REGISTRATION_BODY}))
        for number, uln in enumerate(ulns):
            details = LearnerDetails(f"Given{number}", "Tester", dt.date(2000, 1, 1), "1",
                                     "CV4 9EE")
            uow.learners.add(uln, details, registered_by=None, now=NOW)
        uow.qualifications.import_rows([
            Qualification(OWNED, "Horticulture", "Certificate", "Level 2", 13, ao.id),
            Qualification(SHARED, "Health and safety", "QCF Unit", "Level 1", 2, other.id,
                          shared=True, is_unit=True)])
        uow.commit()
    return ao, other, ulns


def _record(action, number, uln, reference, **fields):
    return achievement({"Action": action, "ULN": uln, "GivenName": f"Given{number}",
                        "FamilyName": "Tester", "DateOfBirth": "2000-01-01", "Gender": "1",
                        "QualificationReference": reference, "Grade": "Pass",
                        "AwardDate": "2026-06-01", "ProviderUKPRN": "10000001",
                        "ActionReason": "entered in error", **fields})


def _timed(uow_factory, job, chunk):
    with uow_factory() as uow:
        started = time.perf_counter()
        outcomes = apply_records(uow, job, chunk, NOW)
        uow.commit()
        return outcomes, time.perf_counter() - started


def test_two_thousand_records_in_one_chunk(uow_factory, migrated_url):
    ao, _, ulns = _world(uow_factory, 1000)
    job = AchievementJob(1, ao, "PROVISIONAL")
    creates = [(n + 1, _record("CREATE", i, uln, ref))
               for n, (i, uln, ref) in enumerate((i, u, r) for i, u in enumerate(ulns)
                                                 for r in (OWNED, SHARED))]
    outcomes, created_in = _timed(uow_factory, job, creates)
    assert len(outcomes) == 2000 and {o.code for o in outcomes} == {"CREATED"}
    assert len({o.detail["event_id"] for o in outcomes}) == 2000

    mixed = []
    for n, (i, uln) in enumerate((i, u) for i, u in enumerate(ulns)):
        mixed.append((2 * n + 1, _record("UPDATE", i, uln, OWNED, Grade="Merit")))
        action = "WITHDRAW" if i % 2 else "PROMOTE"
        mixed.append((2 * n + 2, _record(action, i, uln, SHARED)))
    outcomes, mixed_in = _timed(uow_factory, job, mixed)
    assert [o.code for o in outcomes[:4]] == ["UPDATED", "PROMOTED", "UPDATED", "WITHDRAWN"]
    assert all(o.succeeded for o in outcomes)
    backend = sa.make_url(migrated_url).get_backend_name()
    print(f"\n[{backend}] 2,000 achievement records in one chunk: CREATE {created_in:.2f} s, "
          f"UPDATE/PROMOTE/WITHDRAW {mixed_in:.2f} s")

    with uow_factory() as uow:
        rows = uow.session.execute(sa.select(LearningEventRow.withdrawn, LearningEventRow.status,
                                             LearningEventRow.grade)).all()
        events = uow.achievements.events_for_learners(ulns[:2])
    assert len(rows) == 2000  # withdrawn events stay in the table
    assert sum(row.withdrawn for row in rows) == 500
    assert sum(row.status == "F" for row in rows) == 500
    assert sum(row.grade == "Merit" for row in rows) == 1000
    assert [(e.qualification_reference, e.status, e.withdrawn, e.grade) for e in events] == [
        (OWNED, "P", False, "Merit"), (SHARED, "F", False, "Pass"),
        (OWNED, "P", False, "Merit"), (SHARED, "P", True, "Pass")]


def test_learning_events_read_back_complete(uow_factory):
    ao, other, (uln, second) = _world(uow_factory, 2)
    new = NewEvent(uln, OWNED, "Horticulture", "Certificate", "Level 2", 13, "Pass",
                   dt.date(2026, 6, 1), "10000001", ao.id, "Welsh", "F")
    with uow_factory() as uow:
        first_id, unknown_provider_id = uow.achievements.add_events(
            [new, NewEvent(**{**new.__dict__, "learner_uln": second,
                              "achievement_provider_ukprn": "99999999"})], job_id=7, now=NOW)
        uow.session.add(DataChallengeRow(
            kind="event", learning_event_id=first_id, raised_by_organisation_id=other.id,
            raised_by_user="u", reason="wrong grade", status="open", raised_at=NOW))
        uow.commit()
    with uow_factory() as uow:
        event, nameless = uow.achievements.events_for_learners([uln, second])
    assert event.id == first_id and nameless.id == unknown_provider_id
    assert (event.source, event.status, event.withdrawn, event.under_data_challenge) == (
        "AO", "F", False, True)
    assert event.date_loaded == NOW and event.updated_at == NOW
    assert event.date_loaded.tzinfo is not None
    assert (event.achievement_provider_ukprn, event.achievement_provider_name) == (
        "10000001", "Demo College")
    assert (event.awarding_organisation_id, event.awarding_organisation_ukprn,
            event.awarding_organisation_name) == (ao.id, "10000002", "Demo Awarding Body")
    assert (event.subject, event.qualification_type, event.level, event.credits) == (
        "Horticulture", "Certificate", "Level 2", 13)
    assert (event.grade, event.award_date, event.language_for_assessment) == (
        "Pass", dt.date(2026, 6, 1), "Welsh")
    assert event.created_by_job_id == 7 and event.participation_start_date is None
    assert nameless.achievement_provider_name is None and not nameless.under_data_challenge


def test_a_record_read_sees_what_the_unit_of_work_has_not_flushed_yet(uow_factory):
    ao, other, (uln,) = _world(uow_factory, 1)
    new = NewEvent(uln, OWNED, "Horticulture", "Certificate", "Level 2", 13, "Pass",
                   dt.date(2026, 6, 1), "10000001", ao.id, "Welsh", "F")
    with uow_factory() as uow:
        (event_id,) = uow.achievements.add_events([new], job_id=None, now=NOW)
        uow.session.add(DataChallengeRow(  # pending: the Session has not written it yet
            kind="event", learning_event_id=event_id, raised_by_organisation_id=other.id,
            raised_by_user="u", reason="wrong grade", status="open", raised_at=NOW))
        (event,) = uow.achievements.events_for_learners([uln])
        assert event.under_data_challenge


def test_a_record_of_many_ulns_reads_as_one_of_few(uow_factory):
    # Up to PREPARED_ULNS ULNs are read by a prepared statement, more in chunks by the
    # Session: the events are the same either way.
    ao, _, ulns = _world(uow_factory, PREPARED_ULNS + 1)
    with uow_factory() as uow:
        uow.achievements.add_events([
            NewEvent(uln, OWNED, "Horticulture", "Certificate", "Level 2", 13, "Pass",
                     dt.date(2026, 6, 1), "10000001", ao.id, "Welsh", "F") for uln in ulns],
            job_id=None, now=NOW)
        uow.commit()
    with uow_factory() as uow:
        many = uow.achievements.events_for_learners(ulns)
        few = [event for part in (ulns[:PREPARED_ULNS], ulns[PREPARED_ULNS:])
               for event in uow.achievements.events_for_learners(part)]
    assert len(many) == PREPARED_ULNS + 1 and many == sorted(few, key=lambda e: e.id)


def test_events_by_keys_finds_only_the_organisations_own(uow_factory):
    ao, other, (uln,) = _world(uow_factory, 1)
    with uow_factory() as uow:
        uow.session.add(LearningEventRow(learner_uln=uln, source="ILR", status="F",
                                         qualification_reference=OWNED, withdrawn=False,
                                         awarding_organisation_id=ao.id, date_loaded=NOW,
                                         updated_at=NOW))
        base = NewEvent(uln, OWNED, "t", None, None, None, "Pass", None, None, ao.id, None, "F")
        ours, theirs = uow.achievements.add_events(
            [base, NewEvent(**{**base.__dict__, "awarding_organisation_id": other.id})],
            job_id=None, now=NOW)
        uow.commit()
    with uow_factory() as uow:
        found = uow.achievements.events_by_keys(
            {(uln, OWNED, ao.id), (uln, OWNED, other.id), (uln, SHARED, ao.id)})
    assert {key: event.id for key, event in found.items()} == {
        (uln, OWNED, ao.id): ours, (uln, OWNED, other.id): theirs}


def test_one_achievement_per_learner_qualification_and_organisation(uow_factory):
    ao, _, (uln,) = _world(uow_factory, 1)
    base = NewEvent(uln, OWNED, "t", None, None, None, "Pass", None, None, ao.id, None, "F")
    with uow_factory() as uow:
        uow.achievements.add_events([base], job_id=None, now=NOW)
        uow.commit()
    with uow_factory() as uow, pytest.raises(IntegrityError):
        uow.achievements.add_events([base], job_id=None, now=NOW)


@pytest.mark.parametrize("count", [0, 1, 1201])
def test_learners_by_ulns_in_chunks(uow_factory, count):
    _, _, ulns = _world(uow_factory, count)
    with uow_factory() as uow:
        found = uow.achievements.learners_by_ulns(ulns + ["1000000008"])
    assert sorted(found) == sorted(ulns)
    assert all(found[u].uln == u and found[u].details.family_name == "Tester" for u in ulns)


def test_a_create_after_a_merge_finds_the_achievement_held_under_the_merged_uln(uow_factory):
    ao, _, (master, duplicate) = _world(uow_factory, 2)
    job = AchievementJob(1, ao, "FINAL")
    with uow_factory() as uow:
        first = apply_records(uow, job, [(1, _record("CREATE", 1, duplicate, OWNED))], NOW)
        uow.learner_admin.merge(duplicate, master, by="admin", now=NOW)
        uow.commit()
    assert first[0].code == "CREATED"
    with uow_factory() as uow:
        again = apply_records(uow, job, [(1, _record("CREATE", 0, master, OWNED))], NOW)
        uow.commit()
        held = uow.achievements.events_for_learners([master, duplicate])
    assert [(event.learner_uln, event.qualification_reference) for event in held] == [
        (duplicate, OWNED)]  # one achievement, not a second under the master
    assert (again[0].code.value, [error.rule for error in again[0].errors]) == (
        "REJECTED", ["an achievement for this learner and qualification exists: UPDATE it"])
