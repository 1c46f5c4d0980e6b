"""The Personal Learning Record's pure rules: who may read, what it shows (domain.plr)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from lrs_soap.domain import plr
from lrs_soap.domain.model import Learner, LearnerStatus, LearningEvent
from lrs_soap.domain.plr import GetType, RecordQuery
from tests.unit.plr_fakes import NOW, details

SAM = Learner(1, "1026893096", details(previous_family_name="Smith"), 1, LearnerStatus.ACTIVE,
              "0", NOW, NOW, linked_ulns=("6936002314",))
DUPLICATE = Learner(2, "6936002314", details(postcode="M1 1AE"), 2, LearnerStatus.MERGED, "0",
                    NOW, NOW, master_uln=SAM.uln)


def query(uln=SAM.uln, given="Sam", family="Example", **extra) -> RecordQuery:
    return RecordQuery(uln, given, family, **extra)


@pytest.mark.parametrize(("asked", "master", "q", "code", "found"), [
    (SAM, None, query(), "WSRC0004", SAM.uln),
    (SAM, None, query(given="SAM", family="example"), "WSRC0004", SAM.uln),  # keys compare
    (SAM, None, query(given="Example", family="Sam"), "WSRC0004", SAM.uln),  # swapped
    (SAM, None, query(family="Smith"), "WSRC0004", SAM.uln),  # previous family name
    (SAM, None, query(date_of_birth=dt.date(2000, 1, 31), gender="2"),
     "WSRC0004", SAM.uln),
    (SAM, None, query(given="Samuel"), "WSEC0208", None),  # similar is not enough
    (SAM, None, query(family="Jones"), "WSEC0208", None),
    (SAM, None, query(date_of_birth=dt.date(2000, 1, 30)), "WSEC0208", None),
    (SAM, None, query(gender="1"), "WSEC0208", None),
    (SAM, None, query(gender="9"), "WSRC0004", SAM.uln),  # says nothing, never fails
    (None, None, query(), "WSEC0208", None),
    (dataclasses.replace(SAM, status=LearnerStatus.RETIRED), None, query(), "WSEC0208", None),
    (DUPLICATE, SAM, query(uln=DUPLICATE.uln), "WSRC0022", SAM.uln),
    (DUPLICATE, None, query(uln=DUPLICATE.uln), "WSEC0208", None),  # a broken link
], ids=lambda value: value if isinstance(value, str) else None)
def test_access_codes(asked, master, q, code, found):
    outcome = plr.access(q, asked, master)
    assert (outcome.code, outcome.found_uln) == (code, found)
    assert outcome.granted is (code in ("WSRC0004", "WSRC0022"))


def test_a_merged_uln_verifies_against_its_own_details_or_the_masters():
    renamed = dataclasses.replace(DUPLICATE, details=details(given="Samantha", postcode="M1 1AE"))
    assert plr.access(query(uln=renamed.uln, given="Samantha"), renamed, SAM).code == "WSRC0022"
    assert plr.access(query(uln=renamed.uln), renamed, SAM).code == "WSRC0022"  # the master's


def test_the_record_covers_the_master_and_the_ulns_merged_into_it():
    outcome = plr.access(query(uln=DUPLICATE.uln), DUPLICATE, SAM)
    assert outcome.ulns == (SAM.uln, DUPLICATE.uln)
    assert plr.access(query(given="Tom"), SAM, None).ulns == ()


@pytest.mark.parametrize("who", ["holder", "asked"])
def test_an_opt_out_on_either_record_is_wsec0206_with_no_events(who):
    opted = details(ability_to_share="2")
    master = dataclasses.replace(SAM, details=opted) if who == "holder" else SAM
    asked = dataclasses.replace(DUPLICATE, details=dataclasses.replace(
        DUPLICATE.details, ability_to_share="2")) if who == "asked" else DUPLICATE
    outcome = plr.access(query(uln=DUPLICATE.uln), asked, master)
    assert (outcome.code, outcome.found_uln, outcome.granted) == ("WSEC0206", SAM.uln, False)


def test_names_are_checked_before_the_sharing_preference():
    opted = dataclasses.replace(SAM, details=details(ability_to_share="2"))
    assert plr.access(query(given="Tom"), opted, None).code == "WSEC0208"


def event(event_id, **values) -> LearningEvent:
    return LearningEvent(event_id, SAM.uln, "AO", "F", NOW, **values)


def test_shown_events_leave_out_withdrawn_ones_and_run_oldest_first():
    events = [event(1, award_date=dt.date(2024, 7, 1)),
              event(2, award_date=dt.date(2020, 7, 1), withdrawn=True),
              event(3, participation_start_date=dt.date(2022, 9, 1)),
              event(4),  # no dates: the date it was loaded
              event(5, award_date=dt.date(2024, 7, 1))]
    assert [e.id for e in plr.shown_events(events)] == [3, 1, 5, 4]


def test_brief_keeps_the_always_present_members_only():
    assert plr.fields_for(GetType.FULL) is None
    assert plr.fields_for("BRIEF") == {"award_date", "achievement_provider_ukprn", "credits",
                                       "grade", "id", "level", "source", "subject",
                                       "qualification_reference"}
    with pytest.raises(ValueError):
        plr.fields_for("SHORT")
