"""The Personal Learning Record, challenges and ULN administration through the service layer
(in-memory fakes: tests/unit/plr_fakes.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from lrs_soap.domain.challenges import ChallengeStatus, EventCorrection
from lrs_soap.domain.codes import ErrorCode
from lrs_soap.domain.errors import InsufficientAccess, InvalidRequest, LrsError
from lrs_soap.domain.model import Learner, LearnerStatus, Organisation, Role
from lrs_soap.domain.plr import RecordQuery
from lrs_soap.service import challenges, learner_admin, participation, plr
from lrs_soap.service.accounts import AdminError, Caller
from lrs_soap.service.plr import Page
from tests.unit.plr_fakes import NOW, PlrStore, details, make_plr_context

SAM, DUP, TOM = "1026893096", "6936002314", "8383558804"
COLLEGE = Caller(Organisation(1, "College", "10000001", None,
                              frozenset({Role.LEARNER_REGISTRATION_BODY}), True, "x"), "alice")
OTHER_COLLEGE = Caller(Organisation(3, "Other College", "10000003", None,
                                    frozenset({Role.LEARNER_REGISTRATION_BODY}), True, "x"),
                       "carol")
AWARDING = Caller(Organisation(2, "Board", "10000002", None,
                               frozenset({Role.AWARDING_ORGANISATION}), True, "x"), "bob")
OTHER_BOARD = Caller(Organisation(4, "Other board", "10000004", None,
                                  frozenset({Role.AWARDING_ORGANISATION}), True, "x"), "dan")


@pytest.fixture
def world():
    store = PlrStore()
    for caller in (COLLEGE, AWARDING, OTHER_COLLEGE, OTHER_BOARD):
        store.organisations[caller.organisation.id] = caller.organisation
    for number, (uln, who) in enumerate(((SAM, details()),
                                         (DUP, details(postcode="M1 1AE")),
                                         (TOM, details("Tom", "Jones", dt.date(1998, 12, 24),
                                                       "1", "SW1A 1AA"))), start=1):
        store.learners[uln] = Learner(number, uln, who, 1, LearnerStatus.ACTIVE, "0", NOW, NOW)
        store.issued.add(uln)
    ctx, _ = make_plr_context(store)
    return ctx, store


def sam(uln=SAM, **extra) -> RecordQuery:
    return RecordQuery(uln, "Sam", "Example", **extra)


def read(ctx, query=None, **kwargs):
    return plr.get_learner_record(ctx, COLLEGE, query or sam(), **kwargs)


# ----- GetLearnerRecord -----

def test_the_record_shows_visible_events_in_order_and_is_audited(world):
    ctx, store = world
    late = store.add_event(SAM, award_date=dt.date(2025, 7, 1))
    store.add_event(SAM, reference="Y/600/4321", withdrawn=True)
    early = store.add_event(SAM, source="ILR", organisation_id=None, award_date=None,
                            participation_start_date=dt.date(2022, 9, 1))
    store.add_event(TOM)
    record = read(ctx)
    assert (record.code, record.found_uln, record.incoming_uln) == ("WSRC0004", SAM, SAM)
    assert [event.id for event in record.events] == [early.id, late.id]
    assert record.fields is None
    entry = store.audit[-1]
    assert (entry["action"], entry["uln"], entry["organisation_id"], entry["user_name"]) == (
        "plr.read", SAM, 1, "alice")
    assert entry["detail"]["outcome"] == "WSRC0004" and entry["detail"]["events"] == 2


def test_brief_records_name_their_fields(world):
    ctx, _ = world
    assert "qualification_reference" in read(ctx, get_type="BRIEF").fields


def test_a_merged_uln_reads_the_masters_record_with_the_duplicates_events(world):
    ctx, store = world
    mine = store.add_event(SAM)
    theirs = store.add_event(DUP, reference="Y/600/4321")
    learner_admin.merge(ctx, DUP, SAM, actor="admin")
    record = read(ctx, sam(DUP))
    assert (record.code, record.found_uln, record.incoming_uln) == ("WSRC0022", SAM, DUP)
    assert {event.id for event in record.events} == {mine.id, theirs.id}
    assert {event.id for event in read(ctx).events} == {mine.id, theirs.id}


def test_refusals_carry_no_events_and_are_audited(world):
    ctx, store = world
    store.add_event(SAM)
    refused = read(ctx, RecordQuery(SAM, "Tom", "Jones"))
    assert (refused.code, refused.found_uln, refused.events) == ("WSEC0208", None, ())
    store.learners[SAM] = dataclasses.replace(store.learners[SAM],
                                              details=details(ability_to_share="2"))
    opted = read(ctx)
    assert (opted.code, opted.found_uln, opted.events) == ("WSEC0206", SAM, ())
    assert [e["detail"]["outcome"] for e in store.audit] == ["WSEC0208", "WSEC0206"]


def test_a_bad_check_digit_is_wsec0136_and_names_nobody(world):
    ctx, store = world
    with pytest.raises(LrsError) as raised:
        read(ctx, sam("1026893097"))
    assert raised.value.code is ErrorCode.INVALID_ULN
    assert store.audit == []


# ----- GetLearnerRecordAudit -----

def test_the_audit_lists_every_read_of_the_record_newest_first_in_pages(world):
    ctx, store = world
    learner_admin.merge(ctx, DUP, SAM, actor="admin")
    read(ctx)
    read(ctx, sam(DUP))
    plr.get_learner_record(ctx, OTHER_COLLEGE, RecordQuery(SAM, "Wrong", "Names"))
    read(ctx, RecordQuery(TOM, "Tom", "Jones"))  # another learner: not listed
    first = plr.get_learner_record_audit(ctx, COLLEGE, sam(), Page(1, 2))
    assert (first.code, first.total, first.page_count, first.granted) == ("WSRC0004", 3, 2, True)
    assert [(e.uln, e.outcome, e.user_name) for e in first.entries] == [
        (SAM, "WSEC0208", "carol"), (DUP, "WSRC0022", "alice")]
    assert first.entries[0].organisation_name == "Other College"
    second = plr.get_learner_record_audit(ctx, COLLEGE, sam(), Page(2, 2))  # the view counts
    assert [(e.uln, e.action) for e in second.entries] == [(DUP, "plr.read"),
                                                            (SAM, "plr.read")]
    again = plr.get_learner_record_audit(ctx, COLLEGE, sam(), Page(1, 100))
    assert again.total == 5 and again.entries[0].action == "plr.audit"  # the views too


def test_the_audit_is_refused_like_the_record(world):
    ctx, _ = world
    refused = plr.get_learner_record_audit(ctx, COLLEGE, RecordQuery(SAM, "Tom", "Jones"))
    assert (refused.code, refused.granted, refused.entries) == ("WSEC0208", False, ())


def test_pages_are_bounded():
    assert (Page(0, 0).index, Page(0, 0).size) == (1, 20)
    assert Page(3, 500).size == 100 and Page(3, 10).offset == 20
    assert Page(1, 20).count(0) == 0 and Page(1, 20).count(41) == 3


# ----- learning event challenges -----

def raise_on(ctx, event_id, caller=COLLEGE, query=None, reason="wrong grade"):
    return challenges.raise_event_challenge(ctx, caller, query or sam(), event_id, reason)


def test_raise_puts_the_event_under_challenge_once_per_organisation(world):
    ctx, store = world
    event = store.add_event(SAM)
    raised = raise_on(ctx, event.id)
    assert (raised.code, raised.outcome) == ("WSRC0004", "RAISED")
    assert raised.challenge.event.under_data_challenge
    assert read(ctx).events[0].under_data_challenge
    again = raise_on(ctx, event.id, reason="still wrong")
    assert again.outcome == "ALREADY_OPEN"
    assert again.challenge.challenge.id == raised.challenge.challenge.id
    other = raise_on(ctx, event.id, caller=OTHER_COLLEGE)
    assert other.outcome == "RAISED"
    assert store.audit[-1]["action"] == "challenge.event.raise"


def test_raise_refusals(world):
    ctx, store = world
    toms = store.add_event(TOM)
    ilr = store.add_event(SAM, source="ILR", organisation_id=None)
    assert raise_on(ctx, toms.id).outcome == "EVENT_NOT_FOUND"
    assert raise_on(ctx, 999).outcome == "EVENT_NOT_FOUND"
    refused = raise_on(ctx, ilr.id)
    assert refused.outcome == "NOT_CHALLENGEABLE" and "ILR" in refused.reason
    stranger = raise_on(ctx, toms.id, query=RecordQuery(TOM, "Sam", "Example"))
    assert (stranger.code, stranger.outcome, stranger.challenge) == ("WSEC0208", None, None)
    with pytest.raises(InvalidRequest):
        raise_on(ctx, ilr.id, reason="  ")


def test_listing_by_scope_needs_the_matching_role(world):
    ctx, store = world
    event = store.add_event(SAM)
    foreign = store.add_event(SAM, reference="Y/600/4321", organisation_id=4)
    raise_on(ctx, event.id)
    raise_on(ctx, foreign.id)
    raised = challenges.list_event_challenges(ctx, COLLEGE, "RAISED")
    assert (raised.code, raised.total) == ("WSRC0004", 2)
    owned = challenges.list_event_challenges(ctx, AWARDING, "OWNED")
    assert [view.event.id for view in owned.challenges] == [event.id]
    assert challenges.list_event_challenges(ctx, AWARDING, "OWNED",
                                            ChallengeStatus.REJECTED).code == "WSRC0001"
    with pytest.raises(InsufficientAccess):
        challenges.list_event_challenges(ctx, COLLEGE, "OWNED")
    with pytest.raises(InsufficientAccess):
        challenges.list_event_challenges(ctx, AWARDING, "RAISED")


def test_only_the_owner_resolves_and_only_once(world):
    ctx, store = world
    event = store.add_event(SAM)
    challenge_id = raise_on(ctx, event.id).challenge.challenge.id
    assert challenges.resolve_event_challenge(ctx, OTHER_BOARD, challenge_id,
                                              "REJECT", reason="no").code == "WSRC0001"
    assert challenges.resolve_event_challenge(ctx, AWARDING, 999, "REJECT",
                                              reason="no").code == "WSRC0001"
    done = challenges.resolve_event_challenge(
        ctx, AWARDING, challenge_id, "CORRECT", reason="remarked",
        correction=EventCorrection(grade="Distinction"))
    assert (done.code, done.outcome) == ("WSRC0004", "ACCEPTED")
    assert done.challenge.challenge.status is ChallengeStatus.ACCEPTED
    assert done.challenge.event.grade == "Distinction"
    assert not done.challenge.event.under_data_challenge
    assert read(ctx).events[0].grade == "Distinction"
    again = challenges.resolve_event_challenge(ctx, AWARDING, challenge_id, "REJECT",
                                               reason="changed my mind")
    assert again.outcome == "ALREADY_RESOLVED"
    seen = challenges.list_event_challenges(ctx, COLLEGE, "RAISED").challenges[0]
    assert seen.challenge.resolution == "corrected: Grade (remarked)"
    assert "challenge.event.resolve" in [entry["action"] for entry in store.audit]


def test_withdrawing_takes_the_event_off_the_record(world):
    ctx, store = world
    event = store.add_event(SAM)
    challenge_id = raise_on(ctx, event.id).challenge.challenge.id
    done = challenges.resolve_event_challenge(ctx, AWARDING, challenge_id, "WITHDRAW")
    assert done.outcome == "ACCEPTED" and done.challenge.event.withdrawn
    assert read(ctx).events == ()


def test_rejecting_keeps_the_event_and_tells_the_raiser_why(world):
    ctx, store = world
    event = store.add_event(SAM)
    challenge_id = raise_on(ctx, event.id).challenge.challenge.id
    with pytest.raises(InvalidRequest):
        challenges.resolve_event_challenge(ctx, AWARDING, challenge_id, "REJECT")
    done = challenges.resolve_event_challenge(ctx, AWARDING, challenge_id, "REJECT",
                                              reason="the grade is right")
    assert done.outcome == "REJECTED" and done.challenge.event.grade == "Merit"
    assert done.challenge.challenge.resolution == "the grade is right"


# ----- ULN challenges -----

def test_uln_challenges_are_raised_once_per_type_and_listed_for_their_raiser(world):
    ctx, _ = world
    first = challenges.raise_uln_challenge(ctx, COLLEGE, SAM, "SHARED_ULN", "two Sams")
    assert (first.code, first.outcome) == ("WSRC0004", "RAISED")
    again = challenges.raise_uln_challenge(ctx, COLLEGE, SAM, "SHARED_ULN", "still two")
    assert again.outcome == "ALREADY_OPEN" and again.challenge.id == first.challenge.id
    challenges.raise_uln_challenge(ctx, AWARDING, SAM, "SHARED_ULN", "two Sams here too")
    mine = challenges.list_uln_challenges(ctx, COLLEGE)
    assert [c.id for c in mine.challenges] == [first.challenge.id]
    assert challenges.list_uln_challenges(ctx, None).total == 2
    with pytest.raises(LrsError) as raised:
        challenges.raise_uln_challenge(ctx, COLLEGE, "1026893097", "SHARED_ULN", "x")
    assert raised.value.code is ErrorCode.INVALID_ULN


def test_an_administrator_rejects_a_uln_challenge(world):
    ctx, store = world
    raised = challenges.raise_uln_challenge(ctx, COLLEGE, SAM, "CREATED_INCORRECTLY", "dup")
    done = challenges.reject_uln_challenge(ctx, raised.challenge.id, "not a duplicate",
                                           actor="admin:root")
    assert (done.status, done.resolution) == (ChallengeStatus.REJECTED, "not a duplicate")
    assert store.audit[-1]["action"] == "challenge.uln.rejected"
    with pytest.raises(AdminError, match="already"):
        challenges.reject_uln_challenge(ctx, raised.challenge.id, "again", actor="admin")
    with pytest.raises(AdminError, match="blank"):
        challenges.reject_uln_challenge(ctx, raised.challenge.id, " ", actor="admin")


# ----- merges, unmerges, splits, deletes -----

def test_merge_and_unmerge_resolve_their_challenges_and_are_audited(world):
    ctx, store = world
    raised = challenges.raise_uln_challenge(ctx, COLLEGE, DUP, "CREATED_INCORRECTLY",
                                            f"a duplicate of {SAM}")
    learner_admin.merge(ctx, DUP, SAM, actor="admin:root", challenge_id=raised.challenge.id)
    assert store.learners[DUP].status is LearnerStatus.MERGED
    assert store.learners[DUP].master_uln == SAM
    closed = store.challenges[raised.challenge.id]
    assert (closed.status, closed.resolution) == (ChallengeStatus.RESOLVED,
                                                  f"ULN {DUP} merged into {SAM}")
    assert [e["action"] for e in store.audit][-2:] == ["learner.merge", "challenge.uln.resolved"]
    wrong = challenges.raise_uln_challenge(ctx, AWARDING, DUP, "MERGED_INCORRECTLY", "oops")
    assert learner_admin.unmerge(ctx, DUP, actor="admin", challenge_id=wrong.challenge.id) == SAM
    assert store.learners[DUP].status is LearnerStatus.ACTIVE
    assert store.learners[DUP].master_uln is None


def test_merging_into_a_merged_uln_or_merging_twice_is_refused(world):
    ctx, _ = world
    learner_admin.merge(ctx, DUP, SAM, actor="admin")
    with pytest.raises(AdminError, match=f"merge into {SAM} instead"):
        learner_admin.merge(ctx, TOM, DUP, actor="admin")
    with pytest.raises(AdminError, match="only an active"):
        learner_admin.merge(ctx, DUP, TOM, actor="admin")
    with pytest.raises(AdminError, match="not a valid ULN"):
        learner_admin.merge(ctx, "1026893097", TOM, actor="admin")


def test_merging_a_master_relinks_its_merged_ulns(world):
    ctx, store = world
    learner_admin.merge(ctx, DUP, SAM, actor="admin")
    result = learner_admin.merge(ctx, SAM, TOM, actor="admin")
    assert result.relinked == (DUP,)
    assert store.learners[DUP].master_uln == TOM


def test_a_challenge_must_be_open_and_about_the_ulns_acted_on(world):
    ctx, store = world
    other = challenges.raise_uln_challenge(ctx, COLLEGE, TOM, "SHARED_ULN", "two Toms")
    with pytest.raises(AdminError, match=f"about ULN {TOM}"):
        learner_admin.merge(ctx, DUP, SAM, actor="admin", challenge_id=other.challenge.id)
    with pytest.raises(AdminError, match="no ULN data challenge"):
        learner_admin.merge(ctx, DUP, SAM, actor="admin", challenge_id=999)
    assert store.learners[DUP].status is LearnerStatus.ACTIVE


def test_unmerge_collides_with_an_active_learner_with_the_same_demographics(world):
    ctx, store = world
    learner_admin.merge(ctx, DUP, SAM, actor="admin")
    store.learners[SAM] = dataclasses.replace(store.learners[SAM],
                                              details=details(postcode="M1 1AE"))
    with pytest.raises(AdminError, match=f"the active learner {SAM} has the same five"):
        learner_admin.unmerge(ctx, DUP, actor="admin")
    with pytest.raises(AdminError, match="only a merged"):
        learner_admin.unmerge(ctx, TOM, actor="admin")


def test_split_registers_the_second_person_and_moves_the_chosen_events(world):
    ctx, store = world
    keep = store.add_event(SAM)
    move = store.add_event(SAM, reference="Y/600/4321")
    raised = challenges.raise_uln_challenge(ctx, COLLEGE, SAM, "SHARED_ULN", "two Sams")
    twin = details("Samuel", "Example", dt.date(2000, 1, 31), "1", "AB12 3DF")
    result = learner_admin.split(ctx, SAM, twin, [move.id], actor="admin",
                                 challenge_id=raised.challenge.id)
    assert result.moved == (move.id,)
    assert store.learners[result.new_uln].details.given_name == "Samuel"
    assert store.events[move.id].learner_uln == result.new_uln
    assert store.events[keep.id].learner_uln == SAM
    assert "split" in store.challenges[raised.challenge.id].resolution
    with pytest.raises(AdminError, match="not held under"):
        learner_admin.split(ctx, SAM, details("Other", "Person", postcode="LS1 1AA"),
                            [move.id], actor="admin")
    with pytest.raises(AdminError, match="same five demographics|already has"):
        learner_admin.split(ctx, SAM, details("Tom", "Jones", dt.date(1998, 12, 24), "1",
                                              "SW1A 1AA"), [], actor="admin")
    with pytest.raises(AdminError, match="aged 13 to 110"):
        learner_admin.split(ctx, SAM, details("Baby", "Example", dt.date(2024, 1, 1)), [],
                            actor="admin")


def test_delete_retires_an_empty_uln(world):
    ctx, store = world
    store.add_event(TOM)
    with pytest.raises(AdminError, match="holds learning event"):
        learner_admin.delete(ctx, TOM, actor="admin")
    learner_admin.delete(ctx, DUP, actor="admin")
    assert store.learners[DUP].status is LearnerStatus.RETIRED
    assert read(ctx, sam(DUP)).code == "WSEC0208"


def test_the_uln_report_lists_merges_unmerges_and_deletes_in_the_period(world):
    ctx, _ = world
    learner_admin.merge(ctx, DUP, SAM, actor="admin")
    learner_admin.unmerge(ctx, DUP, actor="admin")
    learner_admin.delete(ctx, DUP, actor="admin")
    day = NOW.date()
    report = learner_admin.uln_report(ctx, COLLEGE, day, day)
    assert report.code == "WSRC0004"
    assert [(link.master_uln, link.merged_uln) for link in report.merged] == [(SAM, DUP)]
    assert [link.merged_uln for link in report.unmerged] == [DUP]
    assert [entry.uln for entry in report.deleted] == [DUP]
    assert report.learners is None  # organisations get ULNs and dates only
    assert learner_admin.uln_report(ctx, None, day, day).learners[SAM].uln == SAM
    empty = learner_admin.uln_report(ctx, COLLEGE, day - dt.timedelta(days=9),
                                     day - dt.timedelta(days=1))
    assert empty.code == "WSRC0024"
    with pytest.raises(InvalidRequest):
        learner_admin.uln_report(ctx, COLLEGE, day, day - dt.timedelta(days=1))
    with pytest.raises(AdminError):
        learner_admin.uln_report(ctx, None, day - dt.timedelta(days=400), day)


# ----- participation imports -----

def row(**changes):
    return {"uln": SAM, "source": "ILR", "subject_code": "60312345", "subject": "Diploma",
            "start_date": "2023-09-04", "end_date": "2025-06-30", "provider_ukprn": "10000001",
            **changes}


def test_import_inserts_then_updates_by_key_under_the_master(world):
    ctx, store = world
    learner_admin.merge(ctx, DUP, SAM, actor="admin")
    report = participation.import_events(ctx, [row(), row(uln=DUP, subject_code="ZFS1")])
    assert (report.created, report.updated) == (2, 0)
    assert {e.learner_uln for e in store.events.values()} == {SAM}
    again = participation.import_events(ctx, [row(subject="Diploma (renamed)")])
    assert (again.created, again.updated) == (0, 1)
    assert sorted(e.subject for e in store.events.values()) == ["Diploma", "Diploma (renamed)"]
    assert store.audit[-1]["action"] == "events.import"


def test_import_reports_every_bad_row_and_imports_nothing(world):
    ctx, store = world
    with pytest.raises(AdminError) as raised:
        participation.import_events(ctx, [row(), row(uln="1748529632"), row(source="AO"),
                                          row()])
    message = str(raised.value)
    assert "rows line 3, column uln: is not the ULN of a known learner" in message
    assert "rows line 4, column source" in message
    assert "rows line 5: the same event as line 2" in message
    assert store.events == {}
