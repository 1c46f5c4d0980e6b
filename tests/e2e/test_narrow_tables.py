"""Tables at 80 columns, as a default terminal shows them: identifiers (ULNs, UKPRNs, codes,
dates) are never broken across lines; free text (names, subjects) wraps."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from lrs_client.cli import main as lrs_client

from lrs_soap.entrypoints.cli import common
from lrs_soap.entrypoints.cli import main as lrs_soap
from lrs_soap.service import demo
from tests.conftest import DEMO_LRB

MASTER, DUPLICATE = demo.DEMO_MASTER_ULN, demo.DEMO_DUPLICATE_ULN


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")  # read when a table prints (TableConsole)


def test_a_console_made_before_columns_was_set_prints_at_its_width_now(monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    assert common.out.width == 250  # lrs-soap's console, made at import


def tokens(output: str) -> set[str]:
    """Every whitespace- and border-separated word of the output."""
    return set(re.split(r"[\s│┃|]+", output))


def assert_whole_and_narrow(output: str, identifiers: list[str]) -> None:
    assert max(len(line) for line in output.splitlines()) <= 80, output
    missing = [identifier for identifier in identifiers if identifier not in tokens(output)]
    assert missing == [], output


def client(gateway, *argv):
    return lrs_client(["--url", gateway.url, "--ukprn", DEMO_LRB["ukprn"], "--user",
                       DEMO_LRB["user"], "--password", DEMO_LRB["password"], *argv])


def test_a_learning_record_keeps_codes_ukprns_and_dates_whole(gateway, capsys):
    assert client(gateway, "get-learner-record", MASTER, "Priya", "Shah") == 0
    assert_whole_and_narrow(capsys.readouterr().out, [
        "50079116", "60312345", "ZFS00001", "100/2510/8", "10000001", "10000002",
        "2021-09-01", "2023-06-30", "2023-08-24", "2025-07-15", "Mathematics"])


def test_learner_tables_keep_ulns_and_postcodes_whole(gateway, capsys):
    assert client(gateway, "find-by-uln", DUPLICATE, "Priya", "Shah") == 0
    assert_whole_and_narrow(capsys.readouterr().out, [MASTER, DUPLICATE, "WSRC0022"])
    assert client(gateway, "find-by-demographics", "Sam", "Example", "2000-01-31", "2",
                  "AB12 3DF") == 0
    out = capsys.readouterr().out
    assert_whole_and_narrow(out, ["1026893096", "2000-01-31", "WSRC0004"])
    assert "AB12 3DF" in out  # the postcode on one line


def test_lrs_soap_tables_keep_identifiers_whole(gateway, capsys, monkeypatch):
    monkeypatch.setenv("LRS_DATABASE_URL", gateway.settings.database_url)
    assert lrs_soap(["org", "list"]) == 0
    assert_whole_and_narrow(capsys.readouterr().out, ["10000001", "10000002", "DEMLRB",
                                                      "DEMOAO"])
    today = dt.date.today()
    assert lrs_soap(["learners", "report", "--from", str(today - dt.timedelta(days=300)),
                     "--to", str(today)]) == 0
    assert_whole_and_narrow(capsys.readouterr().out, [MASTER, DUPLICATE])
