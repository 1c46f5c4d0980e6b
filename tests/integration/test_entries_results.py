"""Entries and results on a real database (SQLite, and PostgreSQL when available): an entry
is verified like an achievement, its result becomes the achievement on the learner's record,
amendments and withdrawals follow it there, and of two results racing for one entry one wins
and the other is told."""

from __future__ import annotations

import threading

import pytest

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.batches import reworded
from lrs_soap.domain.entries import EntryStatus, ResultStatus
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.sent_entry import read_entry, read_result
from lrs_soap.record_elements import element_label
from lrs_soap.service import accounts, demo, entries, entry_results, entry_review
from lrs_soap.service.accounts import Credentials
from lrs_soap.service.entry_ports import EntryFilter
from lrs_soap.service.plr import Page

AO = Credentials("demo", "DemoAwarding2026", ukprn="10000002")
SAM = {"uln": "1026893096", "given_name": "Sam", "family_name": "Example",
       "date_of_birth": "2000-01-31", "gender": "2", "entry_date": "2025-01-06",
       "expected_award_date": "2025-08-14", "provider_ukprn": "10000001"}
PRIYA_DUPLICATE = {**SAM, "uln": "2468013572", "given_name": "Priya", "family_name": "Shah",
                   "date_of_birth": "2007-03-09"}


def entry(**values):
    return read_entry({**SAM, **values})


@pytest.fixture
def services(migrated_url):
    with build_runtime(Settings(database_url=migrated_url)) as services:
        demo.load(services)
        yield services


@pytest.fixture
def caller(services):
    return accounts.authenticate(services, AO, "entries_results")


def held_events(services, uln):
    with services.uow_factory() as uow:
        return [(e.qualification_reference, e.grade, e.withdrawn)
                for e in uow.achievements.events_for_learners([uln]) if e.source == "AO"]


def result(entry_id, action="RECORD", grade="Merit", awarded="2025-08-14", **more):
    return read_result({"entry_id": str(entry_id), "action": action, "grade": grade,
                        "award_date": awarded, **more})


def test_an_entry_and_its_results_follow_the_achievement_rules(services, caller):
    outcomes = entries.submit_entries(services, caller, [
        entry(qualification_reference="600/1234/5", mis_identifier="CAND-1"),
        entry(qualification_reference="601/0000/x"),
        entry(qualification_reference="600/1234/5"),
        entry(given_name="Bob", qualification_reference="K/501/5773"),
        read_entry({**PRIYA_DUPLICATE, "qualification_reference": "Y/600/4321"})])
    # an entry's own rules and the achievement rules it passes both name attributes
    assert [(o.status, [(r.field, r.rule) for r in o.reasons]) for o in outcomes] == [
        (EntryStatus.ENTERED, []),
        (EntryStatus.REJECTED, [("qualification_reference",
                                 "is neither owned by this awarding organisation nor shared")]),
        (EntryStatus.REJECTED, [("qualification_reference",
                                 f"the learner is already entered for it (entry "
                                 f"{outcomes[0].entry_id}): cancel that entry first")]),
        (EntryStatus.REJECTED, [("given_name",
                                 "does not match the learner held for this ULN")]),
        (EntryStatus.ENTERED, [])]
    assert outcomes[4].holder_uln == "1964986809"  # the merged ULN's master
    diploma = outcomes[0].entry_id

    recorded = entry_results.submit_results(services, caller, [
        result(diploma), result(diploma), result(outcomes[4].entry_id, grade="Pass"),
        result(outcomes[1].entry_id), result(999_999)])
    assert [(str(r.code), r.status) for r in recorded] == [
        ("WSRC0006", ResultStatus.ACCEPTED), ("WSRC0021", ResultStatus.REJECTED),
        ("WSRC0006", ResultStatus.ACCEPTED), ("WSRC0021", ResultStatus.REJECTED),
        ("WSRC0001", None)]
    assert [(r.field, r.rule) for r in recorded[1].reasons] == [
        ("action", "a result is recorded for this entry: AMEND it")]
    assert ("600/1234/5", "Merit", False) in held_events(services, "1026893096")
    assert ("Y/600/4321", "Pass", False) in held_events(services, "1964986809")

    [amended] = entry_results.submit_results(services, caller,
                                             [result(diploma, "AMEND", grade="Distinction")])
    assert (str(amended.code), amended.event_id) == ("WSRC0006", recorded[0].event_id)
    assert ("600/1234/5", "Distinction", False) in held_events(services, "1026893096")

    withdrawn = entry_results.withdraw_result(services, caller, diploma, "marked in error")
    assert (str(withdrawn.code), withdrawn.status) == ("WSRC0006", ResultStatus.WITHDRAWN)
    assert ("600/1234/5", "Distinction", True) in held_events(services, "1026893096")
    [again] = entry_results.submit_results(services, caller, [result(diploma, grade="Pass")])
    assert str(again.code) == "WSRC0006"  # the achievement reinstated and updated
    assert ("600/1234/5", "Pass", False) in held_events(services, "1026893096")

    refused = entries.cancel_entry(services, caller, diploma)
    assert [r.rule for r in refused.reasons] == ["the entry has a result: withdraw it first"]
    assert str(entries.cancel_entry(services, caller, outcomes[4].entry_id).code) == "WSRC0021"

    listing = entry_review.review_entries(services, caller,
                                          EntryFilter(status=EntryStatus.REJECTED,
                                                      uln=SAM["uln"]), Page(1, 10))
    assert [entry.id for entry in listing.entries] == [o.entry_id for o in outcomes[1:4]]
    assert listing.total == 3
    with_rejected_results = entry_review.review_entries(
        services, caller, EntryFilter(result_status=ResultStatus.REJECTED), Page())
    assert [entry.id for entry in with_rejected_results.entries] == [
        diploma, outcomes[1].entry_id]
    csv_text = entry_review.entries_csv(services, caller, EntryFilter(uln="1964986809"))
    lines = csv_text.splitlines()
    assert lines[0].split(",")[:4] == ["EntryID", "Status", "ULN", "HolderULN"]
    assert lines[1].split(",")[:9] == [str(outcomes[4].entry_id), "RESULTED", "2468013572",
                                       "1964986809", "Y/600/4321", "2025-01-06", "2025-08-14",
                                       "", "ACCEPTED"]
    assert len(lines) == 2


def test_a_file_with_one_broken_field_stores_nothing(services, caller):
    with pytest.raises(LrsError) as refused:
        entries.submit_entries(services, caller, [
            entry(qualification_reference="600/1234/5"),
            entry(qualification_reference="K/501/5773", entry_date="2025-13-01",
                  expected_award_date="2024-01-01")])
    assert refused.value.code.value == "WSEC0001"
    assert refused.value.further_details == "record 2: entry_date is not a date (YYYY-MM-DD)"
    # the face that answers names the field by its element
    assert (reworded(refused.value, element_label).further_details
            == "record 2: EntryDate is not a date (YYYY-MM-DD)")
    listing = entry_review.review_entries(services, caller, EntryFilter(uln=SAM["uln"]),
                                          Page())
    assert listing.total == 0


def test_two_results_for_one_entry_at_once_one_wins_the_other_is_told(migrated_url):
    with build_runtime(Settings(database_url=migrated_url)) as services:
        demo.load(services)
        caller = accounts.authenticate(services, AO, "entries_results")
        [entered] = entries.submit_entries(services, caller,
                                           [entry(qualification_reference="K/501/5773")])
    start, answers = threading.Barrier(2), []

    def record(grade):
        with build_runtime(Settings(database_url=migrated_url)) as services:
            caller = accounts.authenticate(services, AO, "entries_results")
            start.wait(timeout=30)
            answers.extend(entry_results.submit_results(
                services, caller, [result(entered.entry_id, grade=grade, entry_version="1")]))

    threads = [threading.Thread(target=record, args=(grade,)) for grade in ("Pass", "Merit")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(str(answer.code) for answer in answers) == ["WSRC0006", "WSRC0013"]
    winner = next(a for a in answers if str(a.code) == "WSRC0006")
    with build_runtime(Settings(database_url=migrated_url)) as services:
        caller = accounts.authenticate(services, AO, "entries_results")
        [stored] = entry_review.review_entries(services, caller, EntryFilter(uln=SAM["uln"]),
                                              Page()).entries
        events = held_events(services, "1026893096")
    assert [(r.id, r.status) for r in stored.results] == [(winner.result_id,
                                                          ResultStatus.ACCEPTED)]
    assert (stored.status, stored.version) == (EntryStatus.RESULTED, 2)
    assert len([e for e in events if e[0] == "K/501/5773"]) == 1


def test_the_demo_shows_an_entry_resulted_one_awaiting_and_one_rejected(services, caller):
    from lrs_soap.service import demo_entries

    demo_entries.load_entries(services)  # loaded by demo.load already: nothing more
    listing = entry_review.review_entries(services, caller, EntryFilter(), Page())
    assert [(e.uln, e.qualification_reference, e.status) for e in listing.entries] == [
        ("4444599390", "600/1234/5", EntryStatus.RESULTED),
        ("6936002314", "K/501/5773", EntryStatus.ENTERED),
        ("6936002314", "601/0000/X", EntryStatus.REJECTED)]
    assert ("600/1234/5", "Distinction", False) in held_events(services, "4444599390")
