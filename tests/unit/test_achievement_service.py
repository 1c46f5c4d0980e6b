"""apply_records with in-memory fakes: mixed chunks, and records sharing one event."""

import dataclasses
import datetime as dt

import pytest

from lrs_soap.domain.achievements import Qualification
from lrs_soap.domain.model import LearnerDetails, LearnerStatus, LearningEvent, Role
from lrs_soap.service.achievements import apply_records
from lrs_soap.service.ports import AchievementJob
from lrs_soap.soap.native.achievement_mapping import achievement
from tests.unit.fakes import NOW, FakeStore, FakeUnitOfWork

AO_ROLE = frozenset({Role.AWARDING_ORGANISATION})
SAM, ALEX, OLD, UNKNOWN = "1026893096", "6936002314", "4444599390", "1964986809"


@pytest.fixture
def world():
    store = FakeStore()
    uow = FakeUnitOfWork(store)
    ao = uow.organisations.add(name="AO", ukprn="10000002", reference=None, roles=AO_ROLE)
    other = uow.organisations.add(name="Other AO", ukprn="10000003", reference=None,
                                  roles=AO_ROLE)
    uow.learners.add(SAM, LearnerDetails("Sam", "Example", dt.date(2000, 1, 31), "2",
                                         "AB12 3DF"), registered_by=None, now=NOW)
    uow.learners.add(ALEX, LearnerDetails("Alex", "Smith", dt.date(2004, 6, 15), "1",
                                          "CV4 9EE"), registered_by=None, now=NOW)
    old = uow.learners.add(OLD, LearnerDetails("Sam", "Example", dt.date(2000, 1, 31), "0",
                                                "M1 1AE"), registered_by=None, now=NOW)
    store.learners[OLD] = dataclasses.replace(old, status=LearnerStatus.MERGED,
                                              master_uln=SAM)
    for qualification in (
            Qualification("100/2510/8", "Horticulture", "Certificate", "Level 2", 13, ao.id),
            Qualification("Y/600/4321", "Health and safety", None, None, 2, other.id, True,
                          True),
            Qualification("601/0000/X", "Catering", None, None, 6, other.id)):
        store.qualifications[qualification.reference] = qualification
    return store, uow, AchievementJob(41, ao, "FINAL"), other


def record(action="CREATE", uln=SAM, reference="100/2510/8", **fields):
    names = {SAM: ("Sam", "Example"), ALEX: ("Alex", "Smith"), OLD: ("Sam", "Example"),
             UNKNOWN: ("Priya", "Shah")}.get(uln, ("Sam", "Example"))
    return achievement({"Action": action, "ULN": uln, "GivenName": names[0],
                        "FamilyName": names[1], "QualificationReference": reference,
                        "Grade": "Pass", "AwardDate": "2026-06-01",
                        "ActionReason": "entered in error", **fields})


def seed_event(store, uln, reference, organisation_id, **fields):
    event_id = next(store.event_ids)
    values = {"status": "F", "grade": "Pass", "award_date": dt.date(2026, 5, 1), **fields}
    store.events[event_id] = LearningEvent(event_id, uln, "AO", date_loaded=NOW,
                                           qualification_reference=reference, subject="t",
                                           awarding_organisation_id=organisation_id, **values)
    return event_id


def test_a_mixed_chunk(world):
    store, uow, job, _ = world
    alex_owned = seed_event(store, ALEX, "100/2510/8", job.organisation.id)
    alex_shared = seed_event(store, ALEX, "Y/600/4321", job.organisation.id)
    chunk = [
        (1, record()),
        (2, record(uln="1026893097")),
        (3, record(reference="601/0000/X")),
        (4, record("UPDATE", ALEX, Grade="Distinction")),
        (5, record("WITHDRAW", ALEX, "y/600/4321")),
        (6, record(uln=OLD, reference="Y/600/4321")),
        (7, record(uln=UNKNOWN)),
        (8, record(AwardDate="2026-12-25")),
    ]
    outcomes = apply_records(uow, job, chunk, NOW)

    assert [o.code for o in outcomes] == ["CREATED", "REJECTED", "REJECTED", "UPDATED",
                                          "WITHDRAWN", "CREATED", "REJECTED", "REJECTED"]
    kinds = [o.detail.get("error_kind") for o in outcomes]
    assert kinds == [None, "field", "business", None, None, None, "learner", "field"]
    assert [(e.record, e.field) for o in outcomes for e in o.errors] == [
        (2, "uln"), (3, "qualification_reference"), (7, "uln"), (8, "award_date")]
    created = store.events[outcomes[0].detail["event_id"]]
    assert (created.learner_uln, created.status, created.created_by_job_id) == (SAM, "F", 41)
    assert created.subject == "Horticulture" and created.credits == 13
    assert store.events[alex_owned].grade == "Distinction"
    assert outcomes[3].detail == {"event_id": alex_owned, "uln": ALEX, "status": "F",
                                  "changed": ["award_date", "credits", "grade", "level",
                                              "qualification_type", "subject"]}
    assert store.events[alex_shared].withdrawn and outcomes[4].detail["event_id"] == alex_shared
    merged = store.events[outcomes[5].detail["event_id"]]
    assert merged.learner_uln == SAM and outcomes[5].detail["uln"] == SAM
    assert len(store.events) == 4
    # bulk: each lookup once (the master of OLD came with the chunk's ULNs), one write each
    assert uow.achievements.calls == ["learners_by_ulns", "qualifications_by_references",
                                      "events_by_keys",
                                      "add_events", "update_events"]


def test_records_on_one_new_event_apply_in_order(world):
    store, uow, job, _ = world
    job = dataclasses.replace(job, submission_type="PROVISIONAL")
    chunk = [(1, record()), (2, record("UPDATE", Grade="Merit")), (3, record("PROMOTE")),
             (4, record("PROMOTE")), (5, record("WITHDRAW")), (6, record("UPDATE")),
             (7, record("REINSTATE")), (8, record())]
    outcomes = apply_records(uow, job, chunk, NOW)

    assert [o.code for o in outcomes] == ["CREATED", "UPDATED", "PROMOTED", "REJECTED",
                                          "WITHDRAWN", "REJECTED", "REINSTATED", "REJECTED"]
    assert [o.detail.get("status") for o in outcomes[:3]] == ["P", "P", "F"]
    (event,) = store.events.values()
    assert {o.detail.get("event_id") for o in outcomes if o.succeeded} == {event.id}
    assert (event.grade, event.status, event.withdrawn) == ("Merit", "F", False)
    assert "update_events" not in uow.achievements.calls  # folded into the insert


def test_records_on_one_stored_event_apply_in_order(world):
    store, uow, job, _ = world
    event_id = seed_event(store, SAM, "100/2510/8", job.organisation.id, status="P")
    chunk = [(1, record("WITHDRAW")), (2, record("PROMOTE")), (3, record("REINSTATE")),
             (4, record("PROMOTE")), (5, record("UPDATE", Grade="Merit"))]
    outcomes = apply_records(uow, job, chunk, NOW)

    assert [o.code for o in outcomes] == ["WITHDRAWN", "REJECTED", "REINSTATED", "PROMOTED",
                                          "UPDATED"]
    event = store.events[event_id]
    assert (event.withdrawn, event.status, event.grade, event.updated_at) == (
        False, "F", "Merit", NOW)
    assert len(store.events) == 1


def test_a_master_outside_the_chunk_is_looked_up(world):
    store, uow, job, _ = world
    outcomes = apply_records(uow, job, [(1, record(uln=OLD))], NOW)
    assert outcomes[0].code == "CREATED" and outcomes[0].detail["uln"] == SAM
    assert uow.achievements.calls[:2] == ["learners_by_ulns", "learners_by_ulns"]


def test_another_organisations_event_is_not_ours(world):
    store, uow, job, other = world
    theirs = seed_event(store, SAM, "Y/600/4321", other.id)
    outcomes = apply_records(uow, job, [(1, record("WITHDRAW", reference="Y/600/4321")),
                                        (2, record(reference="Y/600/4321"))], NOW)
    assert [o.code for o in outcomes] == ["REJECTED", "CREATED"]
    assert not store.events[theirs].withdrawn
    ours = store.events[outcomes[1].detail["event_id"]]
    assert ours.awarding_organisation_id == job.organisation.id and ours.id != theirs


def test_an_empty_or_all_invalid_chunk_writes_nothing(world):
    store, uow, job, _ = world
    assert apply_records(uow, job, [], NOW) == []
    outcomes = apply_records(uow, job, [(1, record(ULN=None))], NOW)
    assert outcomes[0].code == "REJECTED" and store.events == {}
