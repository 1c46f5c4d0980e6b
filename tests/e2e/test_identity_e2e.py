"""Learner identity end to end: zeep from wsdl/ through the WSGI app to the database.

Every outcome code of FindByDemographics, RegisterLearner, UpdateLearner and
VerifyLearnerDetails is reached here with real state.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time

import pytest
import zeep

from lrs_soap.domain import uln as uln_rules
from tests.conftest import DEMO_AO, DEMO_LRB, NATIVE_NS, REPO
from tests.e2e.test_find_by_uln_e2e import credentials, fault_code

BINDING = f"{{{NATIVE_NS}}}LrsNativeBinding"
_postcodes = (f"LS{n} {m}AB" for n in itertools.count(1) for m in range(1, 10))
# A fresh birth date per person keeps tests independent in the shared database.
_birth_dates = (dt.date(1990, 1, 1) + dt.timedelta(days=n) for n in itertools.count())


@pytest.fixture(scope="module")
def native(gateway):
    client = zeep.Client(str(REPO / "wsdl" / "lrs-native-v1.wsdl"))
    return client.create_service(BINDING, f"{gateway.url}/soap/v1")


def person(given="Morgan", family="Fairweather", dob=None, gender="1", postcode=None, **extra):
    return {"GivenName": given, "FamilyName": family, "DateOfBirth": dob or next(_birth_dates),
            "Gender": gender,
            "LastKnownPostCode": postcode or next(_postcodes), "VerificationType": "1",
            "AbilityToShare": "1", **extra}


def demographics(details, **changes):
    keys = ("GivenName", "FamilyName", "DateOfBirth", "Gender", "LastKnownPostCode")
    return {**{k: details[k] for k in keys}, **changes}


def search(native, details, find_type="FUL", who=DEMO_LRB, **changes):
    return native.FindByDemographics(Credentials=credentials(who), FindType=find_type,
                                     Demographics=demographics(details, **changes))


def register(native, details, who=DEMO_LRB):
    return native.RegisterLearner(Credentials=credentials(who), Learner=details)


def search_and_register(native, details):
    assert search(native, details).ResponseCode == "WSRC0001"
    response = register(native, details)
    assert response.ResponseCode == "WSRC0005", response.Reason
    return response.ULN


# ----- FindByDemographics -----

def test_exact_match_returns_the_learner_and_echoes_the_search(native):
    response = search(native, {"GivenName": "sam", "FamilyName": "EXAMPLE",
                               "DateOfBirth": dt.date(2000, 1, 31), "Gender": "2",
                               "LastKnownPostCode": "ab123df"})
    assert response.ResponseCode == "WSRC0004"
    assert response.Demographics.LastKnownPostCode == "ab123df"  # echoed as sent
    (learner,) = response.Learner
    assert learner.ULN == "1026893096" and learner.LastKnownPostCode == "AB12 3DF"


def test_no_match(native):
    response = search(native, person(given="Nobody", family="Atall"))
    assert response.ResponseCode == "WSRC0001" and response.Learner == []


def test_possible_match_then_too_many(native):
    base = person(given="Quinn", family="Lockhart", dob=dt.date(2004, 2, 2))
    uln = search_and_register(native, base)
    moved = dict(base, LastKnownPostCode="CV4 9EE")
    response = search(native, moved)
    assert response.ResponseCode == "WSRC0003"
    assert [learner.ULN for learner in response.Learner] == [uln]
    for _ in range(10):  # ten more namesakes born the same day, each after waiting
        other = dict(base, LastKnownPostCode=next(_postcodes))
        search(native, other)
        time.sleep(1.05)
        assert register(native, other).ResponseCode == "WSRC0005"
    crowded = search(native, dict(base, LastKnownPostCode="B1 1AA"))
    assert crowded.ResponseCode == "WSRC0002" and crowded.Learner == []


def test_check_search_returns_the_code_without_learners(native):
    response = search(native, {"GivenName": "Sam", "FamilyName": "Example",
                               "DateOfBirth": dt.date(2000, 1, 31), "Gender": "2",
                               "LastKnownPostCode": "AB12 3DF"}, find_type="CHK")
    assert response.ResponseCode == "WSRC0004" and response.Learner == []


def test_awarding_organisation_may_not_search(native):
    assert fault_code(lambda: search(native, person(), who=DEMO_AO)) == "WSEC0006"


# ----- RegisterLearner -----

def test_register_after_a_search_issues_a_valid_uln_findable_by_uln(native):
    details = person(given="Rowan", family="Ashby", MiddleOtherName="Lee",
                     EmailAddress="rowan.ashby@example.org")
    uln = search_and_register(native, details)
    assert uln_rules.is_valid(uln)
    found = native.FindByULN(Credentials=credentials(), FindType="FUL", ULN=uln,
                             GivenName="Rowan", FamilyName="Ashby")
    assert found.ResponseCode == "WSRC0004"
    assert found.Learner.MiddleOtherName == "Lee"
    assert found.Learner.EmailAddress == "rowan.ashby@example.org"


def test_register_without_search_is_wsrc0021_with_a_reason(native):
    response = register(native, person(given="Skipper", family="Nosearch"))
    assert response.ResponseCode == "WSRC0021" and response.ULN is None
    assert "FindByDemographics" in response.Reason


def test_register_the_same_learner_twice_is_wsrc0021(native):
    details = person(given="Taylor", family="Twice")
    search_and_register(native, details)
    assert search(native, details).ResponseCode == "WSRC0004"
    assert register(native, details).ResponseCode == "WSRC0021"


def test_register_with_a_bad_postcode_is_wsec0001(native):
    details = person(given="Una", family="Badpost", postcode="ZZZ")
    assert fault_code(lambda: register(native, details)) == "WSEC0001"


def test_register_under_13_is_wsec0001(native):
    details = person(given="Vic", family="Young", dob=dt.date.today() - dt.timedelta(days=365))
    search(native, details)
    assert fault_code(lambda: register(native, details)) == "WSEC0001"


# ----- UpdateLearner -----

@pytest.fixture
def registered(native):
    details = person(given="Wren", family="Updater")
    return details, search_and_register(native, details)


def update(native, details, uln, version):
    return native.UpdateLearner(Credentials=credentials(),
                                Learner={**details, "ULN": uln, "VersionNumber": version})


def test_update_then_stale_then_no_change(native, registered):
    details, uln = registered
    moved = dict(details, LastKnownAddressTown="Leeds")
    response = update(native, moved, uln, 1)
    assert (response.ResponseCode, response.VersionNumber) == ("WSRC0006", 2)
    assert update(native, dict(moved, Title="Dr"), uln, 1).ResponseCode == "WSRC0013"
    assert update(native, moved, uln, 2).ResponseCode == "WSRC0020"
    found = native.FindByULN(Credentials=credentials(), FindType="FUL", ULN=uln,
                             GivenName="Wren", FamilyName="Updater")
    assert found.Learner.LastKnownAddressTown == "Leeds" and found.Learner.VersionNumber == 2


def test_update_unknown_uln_is_wsrc0019(native, registered):
    details, _ = registered
    assert update(native, details, "1748529632", 1).ResponseCode == "WSRC0019"


def test_update_to_opt_out_is_wsrc0014(native, registered):
    details, uln = registered
    assert update(native, dict(details, AbilityToShare="2"), uln, 1).ResponseCode == "WSRC0014"


# ----- VerifyLearnerDetails -----

def verify(native, uln, given, family, who=DEMO_AO, **extra):
    return native.VerifyLearnerDetails(Credentials=credentials(who), ULN=uln, GivenName=given,
                                       FamilyName=family, **extra)


def test_verify_outcomes_for_an_awarding_organisation(native):
    exact = verify(native, "1026893096", "Sam", "Example", DateOfBirth=dt.date(2000, 1, 31))
    assert exact.ResponseCode == "WSVRC001" and exact.FailureFlag == []
    assert exact.VerifiedLearner.ULN == "1026893096"
    similar = verify(native, "1026893096", "Samuel", "Example")
    assert similar.ResponseCode == "WSVRC003"
    wrong = verify(native, "1026893096", "Tom", "Jones", DateOfBirth=dt.date(2000, 2, 1))
    assert wrong.ResponseCode == "WSVRC005" and wrong.VerifiedLearner is None
    assert {"VRF1", "VRF5", "VRF7"} <= set(wrong.FailureFlag)
    assert verify(native, "1748529632", "Sam", "Example").ResponseCode == "WSVRC006"


def test_verify_accepts_swapped_names_and_previous_family_name(native):
    assert verify(native, "1026893096", "Example", "Sam").ResponseCode == "WSVRC001"
    assert verify(native, "6936002314", "Alex", "Smith").ResponseCode == "WSVRC001"


def test_learner_registration_body_may_verify_too(native):
    assert verify(native, "1026893096", "Sam", "Example", who=DEMO_LRB).ResponseCode == "WSVRC001"
