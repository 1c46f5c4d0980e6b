"""The reference client against the real gateway: what a newcomer runs after the README."""

from __future__ import annotations

import json

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
    err = capsys.readouterr().err
    assert "WSEC0001" in err and "ULN" in err
