"""The Personal Learning Record's SQL (store/records.py, store/learner_admin.py) on real
databases: events by id, moves, participation upserts, challenges, merges, the audit."""

from __future__ import annotations

import datetime as dt

import pytest

from lrs_soap.domain.achievements import NewEvent
from lrs_soap.domain.challenges import ChallengeKind, ChallengeStatus
from lrs_soap.domain.model import LearnerDetails, LearnerStatus, Role
from lrs_soap.domain.participation import Participation
from lrs_soap.service.ports import DuplicateLearner
from tests.ulns import valid_ulns

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=1)


def _ulns(count: int) -> list[str]:
    return valid_ulns(count, 300_000_000)


A, B, C = _ulns(3)


@pytest.fixture
def world(uow_factory):
    with uow_factory() as uow:
        college = uow.organisations.add(name="College", ukprn="10000001", reference=None,
                                        roles=frozenset({Role.LEARNER_REGISTRATION_BODY}))
        board = uow.organisations.add(name="Exam Board", ukprn=None, reference="EXAMBD",
                                      roles=frozenset({Role.AWARDING_ORGANISATION}))
        for number, uln in enumerate((A, B, C)):
            uow.uln_registry.claim(uln, NOW)
            uow.learners.add(uln, LearnerDetails(f"Given{number}", "Tester",
                                                 dt.date(2000, 1, 1), "1", "CV4 9EE"),
                             registered_by=None, now=NOW)
        (event_id,) = uow.achievements.add_events([NewEvent(
            learner_uln=A, qualification_reference="100/2510/8", subject="Horticulture",
            qualification_type="Certificate", level="Level 2", credits=13, grade="Merit",
            award_date=dt.date(2025, 7, 1), achievement_provider_ukprn="10000001",
            awarding_organisation_id=board.id, language_for_assessment=None, status="F")],
            job_id=None, now=NOW)
        uow.commit()
    return uow_factory, college, board, event_id


def test_events_by_id_carry_the_organisation_and_the_challenge_flag(world):
    uow_factory, college, board, event_id = world
    with uow_factory() as uow:
        event = uow.records.events_by_ids([event_id, 999])[event_id]
        assert (event.awarding_organisation_ukprn, event.awarding_organisation_name) == (
            "EXAMBD", "Exam Board")  # known only by its OrganisationRef
        assert event.achievement_provider_name == "College"
        assert not event.under_data_challenge
        challenge = uow.challenges.add(kind=ChallengeKind.EVENT, organisation_id=college.id,
                                       user_name="alice", reason="wrong", now=NOW,
                                       learning_event_id=event_id)
        assert uow.records.events_by_ids([event_id])[event_id].under_data_challenge
        assert uow.achievements.events_for_learners([A])[0].under_data_challenge
        assert uow.challenges.resolve(challenge.id, status=ChallengeStatus.ACCEPTED,
                                      resolution="fixed", organisation_id=board.id, now=LATER)
        assert not uow.challenges.resolve(challenge.id, status=ChallengeStatus.REJECTED,
                                          resolution="late", organisation_id=board.id,
                                          now=LATER)
        assert not uow.records.events_by_ids([event_id])[event_id].under_data_challenge
        uow.records.move_events([event_id], B, now=LATER)
        assert uow.records.events_by_ids([event_id])[event_id].learner_uln == B


def test_challenges_are_stored_found_and_paged(world):
    uow_factory, college, board, event_id = world
    with uow_factory() as uow:
        first = uow.challenges.add(kind=ChallengeKind.EVENT, organisation_id=college.id,
                                   user_name="alice", reason="wrong", now=NOW,
                                   learning_event_id=event_id)
        uln = uow.challenges.add(kind=ChallengeKind.ULN, organisation_id=board.id,
                                 user_name="bob", reason="two people", now=LATER, uln=B,
                                 challenge_type="SHARED_ULN")
        uow.commit()
    with uow_factory() as uow:
        got = uow.challenges.get(first.id)
        assert (got.kind, got.status, got.raised_by_name, got.raised_by_ukprn) == (
            ChallengeKind.EVENT, ChallengeStatus.OPEN, "College", "10000001")
        assert got.raised_at == NOW
        assert uow.challenges.open_event_challenge(event_id, college.id).id == first.id
        assert uow.challenges.open_event_challenge(event_id, board.id) is None
        assert uow.challenges.open_uln_challenge(B, "SHARED_ULN", board.id).id == uln.id
        assert uow.challenges.open_uln_challenge(B, "MERGED_INCORRECTLY", board.id) is None
        assert uow.challenges.get(uln.id).raised_by_reference == "EXAMBD"
        total, owned = uow.challenges.page(kind=ChallengeKind.EVENT, offset=0, limit=10,
                                           event_owner=board.id)
        assert (total, [c.id for c in owned]) == (1, [first.id])
        assert uow.challenges.page(kind=ChallengeKind.EVENT, offset=0, limit=10,
                                   event_owner=college.id)[0] == 0
        assert uow.challenges.page(kind=ChallengeKind.EVENT, offset=0, limit=10,
                                   raised_by=college.id,
                                   status=ChallengeStatus.REJECTED)[0] == 0
        total, page = uow.challenges.page(kind=ChallengeKind.ULN, offset=1, limit=10)
        assert (total, page) == (1, [])


def participation_row(uln, **changes):
    values = dict(learner_uln=uln, source="ILR", qualification_reference="60312345",
                  subject="Diploma", participation_start_date=dt.date(2023, 9, 4),
                  achievement_provider_ukprn="10000001",
                  participation_end_date=dt.date(2025, 6, 30), collection_type="W",
                  return_number="02", achievement_provider_name="College")
    values.update(changes)
    return Participation(**values)


def test_participation_is_inserted_and_updated_by_key(world):
    uow_factory, *_ = world
    row = participation_row(A)
    with uow_factory() as uow:
        assert uow.records.participation_ids([row.key(A)]) == {}
        uow.records.add_participation([(A, row)], now=NOW)
        ids = uow.records.participation_ids([row.key(A), row.key(B)])
        assert list(ids) == [row.key(A)]
        uow.records.update_participation([(ids[row.key(A)], participation_row(
            A, subject="Diploma (new title)"))], now=LATER)
        uow.commit()
    with uow_factory() as uow:
        (event,) = [e for e in uow.achievements.events_for_learners([A]) if e.source == "ILR"]
        assert (event.subject, event.participation_end_date, event.return_number) == (
            "Diploma (new title)", dt.date(2025, 6, 30), "02")
        assert event.awarding_organisation_id is None and event.date_loaded == NOW


def test_merge_links_unmerge_unlinks_and_the_report_sees_both(world):
    uow_factory, *_ = world
    with uow_factory() as uow:
        uow.learner_admin.merge(B, A, by="admin:root", now=NOW)
        uow.commit()
    with uow_factory() as uow:
        merged = uow.learners.by_uln(B)
        assert (merged.status, merged.master_uln, merged.version_number) == (
            LearnerStatus.MERGED, A, 2)
        assert uow.learners.by_uln(A).linked_ulns == (B,)
        assert uow.learner_admin.relink(A, C, by="admin:root", now=LATER) == [B]
        assert uow.learners.by_uln(B).master_uln == C
        assert uow.learners.by_uln(A).linked_ulns == ()
        assert uow.learners.by_uln(C).linked_ulns == (B,)
        uow.learner_admin.unmerge(B, now=LATER)
        assert uow.learners.by_uln(B).status is LearnerStatus.ACTIVE
        assert uow.learners.by_uln(C).linked_ulns == ()
        uow.commit()
    with uow_factory() as uow:
        links = uow.learner_admin.links(NOW, LATER + dt.timedelta(seconds=1))
        assert [(link.master_uln, link.merged_at, link.unmerged_at) for link in links] == [
            (A, NOW, LATER), (C, LATER, LATER)]
        assert links[0].merged_by == "admin:root"
        assert uow.learner_admin.links(NOW - dt.timedelta(days=2),
                                       NOW - dt.timedelta(days=1)) == []


def test_a_master_lists_every_uln_merged_into_it_once_in_order(world):
    uow_factory, *_ = world
    with uow_factory() as uow:
        for merged in (C, B):  # merged out of order: the answer is sorted all the same
            uow.learner_admin.merge(merged, A, by="admin:root", now=NOW)
        uow.commit()
    with uow_factory() as uow:
        assert uow.learners.by_uln(A).linked_ulns == tuple(sorted((B, C)))
        uow.learner_admin.unmerge(C, now=LATER)
        assert uow.learners.by_uln(A).linked_ulns == (B,)


def test_unmerge_refuses_to_make_two_active_learners_with_the_same_demographics(world):
    uow_factory, *_ = world
    with uow_factory() as uow:
        uow.learner_admin.merge(B, A, by="admin", now=NOW)
        twin = uow.learners.by_uln(B).details
        uow.learners.update_details(A, twin, expected_version=1, now=NOW)
        uow.commit()
    with uow_factory() as uow:
        assert uow.learner_admin.active_uln_like(B) == A
        with pytest.raises(DuplicateLearner):
            uow.learner_admin.unmerge(B, now=LATER)
    with uow_factory() as uow:
        assert uow.learners.by_uln(B).status is LearnerStatus.MERGED


def test_retire_marks_the_registry_and_the_report_finds_it(world):
    uow_factory, *_ = world
    with uow_factory() as uow:
        uow.learner_admin.retire(C, now=LATER)
        uow.commit()
    with uow_factory() as uow:
        assert uow.learners.by_uln(C).status is LearnerStatus.RETIRED
        (entry,) = uow.learner_admin.retired(NOW, LATER + dt.timedelta(seconds=1))
        assert (entry.uln, entry.deleted_at) == (C, LATER)
        assert uow.learner_admin.retired(NOW, LATER) == []  # until is exclusive
        assert not uow.uln_registry.claim(C, LATER)  # never issued again


def test_the_access_log_pages_newest_first_with_the_organisation(world):
    uow_factory, college, board, _ = world
    with uow_factory() as uow:
        for minute, (who, uln, action) in enumerate((
                (college, A, "plr.read"), (board, A, "plr.read"), (college, B, "plr.read"),
                (college, A, "learner.update"), (None, A, "plr.audit"))):
            uow.audit.record(at=NOW + dt.timedelta(minutes=minute),
                             organisation_id=who.id if who else None, user_name="u",
                             action=action, uln=uln, detail={"outcome": f"WSRC000{minute}"})
        uow.commit()
    with uow_factory() as uow:
        total, entries = uow.access_log.page(ulns=[A, B], actions=["plr.read", "plr.audit"],
                                             offset=0, limit=3)
        assert total == 4
        assert [(e.uln, e.action, e.outcome) for e in entries] == [
            (A, "plr.audit", "WSRC0004"), (B, "plr.read", "WSRC0002"),
            (A, "plr.read", "WSRC0001")]
        assert entries[0].organisation_name is None
        assert (entries[2].organisation_name, entries[2].reference) == ("Exam Board", "EXAMBD")
        total, rest = uow.access_log.page(ulns=[A], actions=["plr.read"], offset=1, limit=3)
        assert (total, [e.organisation_name for e in rest]) == (2, ["College"])
