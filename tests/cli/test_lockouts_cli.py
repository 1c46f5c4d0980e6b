"""`lrs-soap lockouts`: an administrator sees who is locked out and lifts the lockout."""

from __future__ import annotations

import pytest

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.errors import LrsError
from lrs_soap.entrypoints.cli import main
from lrs_soap.service import accounts
from lrs_soap.service.accounts import Credentials

PASSWORD = "Correct-Horse-16"


def attempt(url: str, password: str) -> str:
    with build_runtime(Settings(database_url=url)) as services:
        try:
            accounts.authenticate(services, Credentials("jsmith", password, ukprn="10001234"),
                                  "find_learner")
        except LrsError as error:
            return error.code.value
    return "ok"


@pytest.fixture
def locked_out(fresh_database_url, monkeypatch):
    monkeypatch.setenv("LRS_DATABASE_URL", fresh_database_url)
    assert main(["db", "upgrade"]) == 0
    assert main(["org", "create", "--name", "Leeds College", "--ukprn", "10001234",
                 "--role", "LRB", "--password", PASSWORD]) == 0
    assert main(["user", "create", "10001234", "jsmith"]) == 0
    answers = [attempt(fresh_database_url, "Wrong-Horse-1234") for _ in range(5)]
    assert answers == ["WSEC0005"] * 4 + ["WSEC0007"]
    assert attempt(fresh_database_url, PASSWORD) == "WSEC0007"
    return fresh_database_url


def test_list_shows_the_blocked_user_and_clear_lifts_the_lockout(locked_out, capsys):
    capsys.readouterr()
    assert main(["lockouts", "list"]) == 0
    listing = capsys.readouterr().out
    rows = [line.split("│")[1:4] for line in listing.splitlines() if "UKPRN 10001234" in line]
    assert [[cell.strip() for cell in row] for row in rows] == [
        ["UKPRN 10001234", "(all users)", "4"], ["UKPRN 10001234", "jsmith", "4"]]
    assert main(["lockouts", "clear", "10001234", "--user", "jsmith", "--by", "ops"]) == 0
    assert capsys.readouterr().out.strip() == "10001234: 1 failure count(s) cleared"
    assert attempt(locked_out, PASSWORD) == "ok"


def test_clearing_an_unknown_organisation_clears_nothing(locked_out, capsys):
    capsys.readouterr()
    assert main(["lockouts", "clear", "19999999"]) == 0
    assert capsys.readouterr().out.strip() == "19999999: 0 failure count(s) cleared"
    assert main(["lockouts", "clear", "10001234"]) == 0
    assert capsys.readouterr().out.strip() == "10001234: 2 failure count(s) cleared"
