"""The reference client against the real gateway: what a newcomer runs after the README."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from lrs_client.cli import main

from tests.conftest import DEMO_AO, DEMO_LRB


def run(gateway, *argv, who=DEMO_LRB):
    return main(["--url", gateway.url, "--ukprn", who["ukprn"], "--user", who["user"],
                 "--password", who["password"], *argv])


def test_find_by_uln_prints_the_learner_as_a_table(gateway, capsys):
    assert run(gateway, "find-by-uln", "1026893096", "Sam", "Example") == 0
    out = capsys.readouterr().out
    assert "WSRC0004" in out
    assert "1026893096" in out and "Example" in out and "2000-01-31" in out


def test_find_by_uln_json(gateway, capsys):
    assert run(gateway, "--json", "find-by-uln", "1026893096", "Sam", "Example") == 0
    document = json.loads(capsys.readouterr().out)
    assert document["ResponseCode"] == "WSRC0004"
    assert document["Learner"]["DateOfBirth"] == "2000-01-31"
    assert document["Learner"]["LinkedULNs"] == []


def test_a_fault_prints_its_code_and_exits_non_zero(gateway, capsys):
    assert run(gateway, "find-by-uln", "1026893096", "Sam", "Example", who=DEMO_AO) == 1
    assert "WSEC0006" in capsys.readouterr().err


def test_wrong_password_prints_wsec0005(gateway, capsys):
    who = dict(DEMO_LRB, password="NotThePassword!!")
    assert run(gateway, "find-by-uln", "1026893096", "Sam", "Example", who=who) == 1
    assert "WSEC0005" in capsys.readouterr().err


def test_malformed_uln_prints_wsec0001_and_the_reason(gateway, capsys):
    assert run(gateway, "find-by-uln", "12345", "Sam", "Example") == 1
    assert capsys.readouterr().err.splitlines() == [
        "WSEC0001: Invalid request, the request was badly formed",
        "ULN '12345': must be 10 digits, the first not 0",
        "(--json shows the schema's own words)",
    ]


def test_bad_values_are_named_by_field_with_what_a_valid_one_looks_like(gateway, capsys):
    assert run(gateway, "find-by-demographics", "Sam", "Example", "2000-01-31", "7",
               "NOWHERE") == 1
    assert capsys.readouterr().err.splitlines()[1:3] == [
        "gender '7': must be 0 (not known), 1 (male), 2 (female) or 9 (not specified)",
        "postcode 'NOWHERE': must be a UK postcode such as SW1A 1AA, M1 1AE or CV4 9EE (the "
        "outward code, a space, then a digit and two letters), or BFPO and up to 4 digits",
    ]


def test_json_keeps_the_schemas_exact_words(gateway, capsys):
    assert run(gateway, "--json", "find-by-uln", "12345", "Sam", "Example") == 1
    fault = json.loads(capsys.readouterr().out)
    assert fault["fault"]["FurtherDetails"] == (
        "line 2: Element 'ULN': [facet 'pattern'] The value '12345' is not accepted by the "
        "pattern '[1-9][0-9]{9}'.")
    assert fault["problems"] == ["ULN '12345': must be 10 digits, the first not 0"]


# ----- learner identity through lrs-client: every outcome code -----

def json_run(gateway, capsys, *argv, who=DEMO_LRB):
    code = run(gateway, "--json", *argv, who=who)
    out = capsys.readouterr().out
    return code, (json.loads(out) if out.strip() else None)


def test_identity_outcomes_through_the_client(gateway, capsys):
    person = ["Imogen", "Clientside", "2003-03-21", "2", "LS6 1AN"]
    _, found = json_run(gateway, capsys, "find-by-demographics", *person)
    assert found["ResponseCode"] == "WSRC0001"
    _, registered = json_run(gateway, capsys, "register-learner", "--given-name", "Imogen",
                             "--family-name", "Clientside", "--dob", "2003-03-21", "--gender",
                             "2", "--postcode", "LS6 1AN")
    assert registered["ResponseCode"] == "WSRC0005"
    uln = registered["ULN"]
    _, found = json_run(gateway, capsys, "find-by-demographics", *person)
    assert found["ResponseCode"] == "WSRC0004" and found["Learner"][0]["ULN"] == uln
    _, again = json_run(gateway, capsys, "register-learner", "--given-name", "Imogen",
                        "--family-name", "Clientside", "--dob", "2003-03-21", "--gender", "2",
                        "--postcode", "LS6 1AN")
    assert again["ResponseCode"] == "WSRC0021"

    update = ["update-learner", uln, "1", "--given-name", "Imogen", "--family-name",
              "Clientside", "--dob", "2003-03-21", "--gender", "2", "--postcode", "LS6 1AN",
              "--verification-type", "1", "--ability-to-share", "1"]
    assert json_run(gateway, capsys, *update, "--town", "Leeds")[1]["ResponseCode"] == "WSRC0006"
    assert json_run(gateway, capsys, *update, "--town", "York")[1]["ResponseCode"] == "WSRC0013"
    current = [*update[:2], "2", *update[3:], "--town", "Leeds"]
    assert json_run(gateway, capsys, *current)[1]["ResponseCode"] == "WSRC0020"
    opt_out = [arg if arg != "1" or i != len(update) - 1 else "2"
               for i, arg in enumerate(current[:-2])]
    assert json_run(gateway, capsys, *opt_out, "--town", "Leeds")[1]["ResponseCode"] == "WSRC0014"
    unknown = ["update-learner", "1748529632", *current[2:]]
    assert json_run(gateway, capsys, *unknown)[1]["ResponseCode"] == "WSRC0019"

    for args, expected in (([uln, "Imogen", "Clientside"], "WSVRC001"),
                           ([uln, "Imogene", "Clientside"], "WSVRC003"),
                           ([uln, "Tom", "Jones"], "WSVRC005"),
                           (["1748529632", "Tom", "Jones"], "WSVRC006")):
        _, verified = json_run(gateway, capsys, "verify-learner", *args, who=DEMO_AO)
        assert verified["ResponseCode"] == expected


@pytest.fixture(scope="module")
def namesakes(gateway):
    """Eleven people with the same name and birthday, in different places."""
    from lrs_soap.bootstrap import build_runtime
    from lrs_soap.domain.model import LearnerDetails
    from lrs_soap.service import uln_minting

    with build_runtime(gateway.settings) as services, services.uow_factory() as uow:
        for n in range(11):
            details = LearnerDetails("Jamie", "Commonname", dt.date(2001, 9, 15), "1",
                                     f"M{n + 1} 1AE")
            uow.learners.add(uln_minting.mint(services, uow), details, registered_by=None,
                             now=services.clock())
        uow.commit()


def test_possible_and_too_many_matches_through_the_client(gateway, capsys, namesakes):
    _, crowded = json_run(gateway, capsys, "find-by-demographics", "Jamie", "Commonname",
                          "2001-09-15", "1", "B1 1AA")
    assert crowded["ResponseCode"] == "WSRC0002" and crowded["Learner"] == []
    _, exact = json_run(gateway, capsys, "find-by-demographics", "Jamie", "Commonname",
                        "2001-09-15", "1", "M3 1AE")
    assert exact["ResponseCode"] == "WSRC0004"  # the namesake who lives there
    _, possible = json_run(gateway, capsys, "find-by-demographics", "Sam", "Example",
                           "2000-01-31", "2", "B1 1AA")  # the demo learner, moved away
    assert possible["ResponseCode"] == "WSRC0003"
    assert [learner["ULN"] for learner in possible["Learner"]] == ["1026893096"]
