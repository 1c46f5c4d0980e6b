"""`lrs-soap control`: resets, fixtures and the clock from the command line."""

from __future__ import annotations

import datetime as dt

import pytest

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.entrypoints.cli import main
from lrs_soap.service import accounts
from tests.control.conftest import DATA


@pytest.fixture
def database(fresh_database_url, monkeypatch):
    monkeypatch.setenv("LRS_DATABASE_URL", fresh_database_url)
    assert main(["db", "upgrade"]) == 0
    return fresh_database_url


def organisations(url) -> list[str]:
    runtime = build_runtime(Settings(database_url=url))
    try:
        return sorted(o.ukprn for o, _ in accounts.list_organisations(runtime.services))
    finally:
        runtime.close()


def test_reset_load_and_export(database, capsys, tmp_path):
    assert main(["control", "reset", "demo"]) == 0
    assert capsys.readouterr().out.startswith("reset to demo: 55 rows in ")
    assert organisations(database) == ["10000001", "10000002", "10000005"]
    assert main(["control", "load", str(DATA / "college.yaml")]) == 0
    assert capsys.readouterr().out.strip() == (
        "loaded 2 organisations, 2 qualifications, 3 learners, 1 events, 1 achievements, "
        "2 challenges")
    assert organisations(database) == ["10000001", "10000002", "10000005", "10012345", "10054321"]
    exported = tmp_path / "state.yaml"
    assert main(["control", "export", "-o", str(exported)]) == 0
    assert main(["control", "reset", str(exported)]) == 0
    assert organisations(database) == ["10000001", "10000002", "10000005", "10012345", "10054321"]


def test_the_clock_from_the_command_line(database, capsys, monkeypatch):
    monkeypatch.setenv("LRS_CONTROL", "on")
    assert main(["control", "clock", "freeze", "2026-09-01T09:00:00Z"]) == 0
    assert main(["control", "clock", "move", "--", "-15m"]) == 0
    assert main(["control", "clock"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "frozen at 2026-09-01T09:00:00+00:00", "frozen at 2026-09-01T08:45:00+00:00",
        "frozen at 2026-09-01T08:45:00+00:00"]
    runtime = build_runtime(Settings(database_url=database, control="on"))
    try:
        runtime.control.refresh()
        assert runtime.services.clock() == dt.datetime(2026, 9, 1, 8, 45, tzinfo=dt.UTC)
    finally:
        runtime.close()
    assert main(["control", "clock", "real"]) == 0
    assert capsys.readouterr().out.startswith("real time: ")


@pytest.mark.parametrize(("argv", "message"), [
    (["control", "reset", "nonsense"], "nonsense: neither a named state (empty, demo) nor a "
                                       "fixture file"),
    (["control", "clock", "move", "soon"], "not a duration: 'soon' (say 90s, -15m, 2h or 1d)"),
    (["control", "clock", "freeze", "tuesday"], "not an ISO 8601 date-time: 'tuesday'"),
    (["control", "clock", "move"], "clock move needs a value"),
])
def test_mistakes_are_one_line_and_exit_2(database, capsys, argv, message):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


def test_faults_batches_and_seed_from_the_command_line(database, capsys):
    assert main(["control", "faults", "add", "fault", "WSEC0004", "--count", "3",
                 "--operation", "FindByULN", "--organisation", "10000001"]) == 0
    assert main(["control", "faults", "add", "delay", "1500"]) == 0
    assert main(["control", "faults", "list"]) == 0
    assert main(["control", "faults", "clear"]) == 0
    assert main(["control", "faults", "list"]) == 0
    assert main(["control", "batches", "delay", "30"]) == 0
    assert main(["control", "batches", "hold"]) == 0
    assert main(["control", "seed", "42"]) == 0
    assert main(["control", "seed", "off"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "armed #1: the next 3 call(s) of FindByULN by 10000001: fault WSEC0004",
        "armed #2: the next 1 call(s) of any operation by anyone: delay 1500 ms",
        "#1: the next 3 call(s) of FindByULN by 10000001: fault WSEC0004",
        "#2: the next 1 call(s) of any operation by anyone: delay 1500 ms",
        "cleared 2 armed fault(s)",
        "no faults armed",
        "batches: delay 30 s",
        "batches: hold",
        "minting from seed 42",
        "minting unpredictably",
    ]


@pytest.mark.parametrize(("argv", "message"), [
    (["control", "faults", "add", "fault", "WSEC9999"], "fault needs an LRS error code"),
    (["control", "faults", "add", "delay", "soon"], "delay needs milliseconds"),
    (["control", "batches", "delay"], "delay needs seconds from 1 to 86400"),
    (["control", "seed", "many"], "a seed is a whole number or off, not 'many'"),
])
def test_control_mistakes_are_one_line(database, capsys, argv, message):
    assert main(argv) == 2
    assert message in capsys.readouterr().err
