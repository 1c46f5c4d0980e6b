"""VerifyLearnerDetails: codes and failure flags (lrs-wire.md 3.11), table-driven."""

import dataclasses
import datetime as dt

import pytest

from lrs_soap.domain.model import Learner, LearnerDetails, LearnerStatus
from lrs_soap.domain.similarity import Comparison
from lrs_soap.domain.verification import (
    VerifyCode,
    VerifyQuery,
    gender_mismatch,
    name_comparisons,
    verify,
)

DOB = dt.date(2001, 4, 12)
AT = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
ULN = "1026893096"


def learner(given="Sarah", family="Jones", previous=None, dob=DOB, gender="2",
            status=LearnerStatus.ACTIVE):
    details = LearnerDetails(given, family, dob, gender, "CV4 9EE", previous_family_name=previous)
    return Learner(1, ULN, details, 1, status, "0", AT, AT)


HELD = learner()
MARRIED = learner(family="Jones", previous="Smith")


def q(given="Sarah", family="Jones", dob=None, gender=None):
    return VerifyQuery(ULN, given, family, dob, gender)


CASES = [
    # (id, query, held, linked, code, flags)
    ("exact names only", q(), HELD, False, "WSVRC001", ()),
    ("exact all four", q(dob=DOB, gender="2"), HELD, False, "WSVRC001", ()),
    ("exact, written differently", q("  SARAH ", "jones"), HELD, False, "WSVRC001", ()),
    ("exact linked", q(dob=DOB), HELD, True, "WSVRC002", ()),
    ("swapped names exact", q("Jones", "Sarah"), HELD, False, "WSVRC001", ()),
    ("previous family name", q("Sarah", "Smith"), MARRIED, False, "WSVRC001", ()),
    ("current family name of a married learner", q("Sarah", "Jones"), MARRIED, False,
     "WSVRC001", ()),
    ("similar given", q("Sara", "Jones"), HELD, False, "WSVRC003", ()),
    ("similar family", q("Sarah", "Jnoes"), HELD, False, "WSVRC003", ()),
    ("similar linked", q("Sara", "Jones", dob=DOB), HELD, True, "WSVRC004", ()),
    ("similar swapped", q("Jone", "Sarah"), HELD, False, "WSVRC003", ()),
    ("similar previous family", q("Sarah", "Smyth"), MARRIED, False, "WSVRC003", ()),
    ("double-barrelled held", q("Sarah", "Jones"), learner(family="Smith-Jones"), False,
     "WSVRC003", ()),
    ("dob mismatch", q(dob=dt.date(2001, 12, 4)), HELD, False, "WSVRC005", ("VRF7",)),
    ("gender mismatch", q(gender="1"), HELD, False, "WSVRC005", ("VRF8",)),
    ("dob and gender mismatch", q(dob=dt.date(2000, 4, 12), gender="1"), HELD, True,
     "WSVRC005", ("VRF7", "VRF8")),
    ("similar names but dob mismatch", q("Sara", dob=dt.date(2000, 1, 1)), HELD, False,
     "WSVRC005", ("VRF7",)),
    ("supplied gender 9 never fails", q(gender="9"), HELD, False, "WSVRC001", ()),
    ("supplied gender 0 never fails", q(gender="0"), HELD, False, "WSVRC001", ()),
    ("held gender 9 never fails", q(gender="1"), learner(gender="9"), False, "WSVRC001", ()),
    ("given wrong, no previous name held", q("Tom", "Jones"), HELD, False, "WSVRC005",
     ("VRF1", "VRF2", "VRF4")),
    ("both wrong, no previous name held", q("Tom", "Brown"), HELD, False, "WSVRC005",
     ("VRF1", "VRF2", "VRF4", "VRF5")),
    ("both wrong, previous name held", q("Tom", "Brown"), MARRIED, False, "WSVRC005",
     ("VRF1", "VRF2", "VRF3", "VRF4", "VRF5", "VRF6")),
    ("family wrong, previous name held", q("Sarah", "Brown", dob=dt.date(1999, 1, 1)),
     MARRIED, False, "WSVRC005", ("VRF2", "VRF3", "VRF4", "VRF5", "VRF6", "VRF7")),
    ("family wrong, gender 2 vs 1", q("Sarah", "Brown", gender="1"), HELD, False,
     "WSVRC005", ("VRF2", "VRF4", "VRF5", "VRF8")),
    ("unknown ULN", q(dob=DOB), None, False, "WSVRC006", ()),
    ("retired ULN", q(), learner(status=LearnerStatus.RETIRED), False, "WSVRC006", ()),
]


@pytest.mark.parametrize(("query", "held", "linked", "code", "flags"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_verify(query, held, linked, code, flags):
    outcome = verify(query, held, linked)
    assert outcome.code == code
    assert outcome.flags == flags


@pytest.mark.parametrize("code", ["WSVRC001", "WSVRC003"])
def test_learner_returned_on_a_match(code):
    outcome = verify(q("Sara" if code == "WSVRC003" else "Sarah"), HELD)
    assert outcome.code == code
    assert outcome.learner is HELD


@pytest.mark.parametrize("query", [q("Tom"), q(dob=dt.date(1990, 1, 1))])
def test_nothing_revealed_when_the_details_do_not_match(query):
    outcome = verify(query, HELD)
    assert outcome.code is VerifyCode.NO_MATCH
    assert outcome.learner is None


def test_name_comparisons_are_keyed_by_flag_in_order():
    compared = name_comparisons(q("Sarah", "Smith"), MARRIED)
    assert list(compared) == ["VRF1", "VRF2", "VRF3", "VRF4", "VRF5", "VRF6"]
    assert compared["VRF1"] is Comparison.EXACT
    assert compared["VRF6"] is Comparison.EXACT
    assert compared["VRF5"] is Comparison.DIFFERENT


def test_blank_previous_family_name_counts_as_not_held():
    held = dataclasses.replace(HELD, details=dataclasses.replace(HELD.details,
                                                                 previous_family_name="  "))
    assert verify(q("Tom", "Brown"), held).flags == ("VRF1", "VRF2", "VRF4", "VRF5")


@pytest.mark.parametrize(("supplied", "held", "mismatch"), [
    ("1", "2", True), ("2", "1", True), ("1", "1", False), ("0", "1", False),
    ("9", "2", False), ("1", "0", False), ("2", "9", False), (None, "1", False),
    ("", "1", False), (" 1 ", "2", True),
])
def test_gender_mismatch(supplied, held, mismatch):
    assert gender_mismatch(supplied, held) is mismatch
