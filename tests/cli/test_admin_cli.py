"""`lrs-soap` administration commands, run in-process against a real SQLite file."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain.achievements import EventChange
from lrs_soap.domain.codes import ErrorCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.entrypoints.cli import main
from lrs_soap.service import accounts, demo, learner_admin
from lrs_soap.service.accounts import Credentials


@pytest.fixture
def database(fresh_database_url, monkeypatch):
    url = fresh_database_url
    monkeypatch.setenv("LRS_DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    return url


def authenticate(url, ukprn, user, password, capability="find_learner"):
    runtime = build_runtime(Settings(database_url=url))
    try:
        return accounts.authenticate(runtime.services, Credentials(user, password, ukprn=ukprn),
                                     capability)
    finally:
        runtime.close()


def shown_password(output: str) -> str:
    match = re.search(r"OrgPassword: (\S{16})", output)
    assert match, output
    return match.group(1)


def test_create_organisation_shows_a_generated_password_once(database, capsys):
    assert main(["org", "create", "--name", "Test College", "--ukprn", "12345678",
                 "--role", "LRB"]) == 0
    password = shown_password(capsys.readouterr().out)
    assert main(["user", "create", "12345678", "alice"]) == 0
    assert authenticate(database, "12345678", "alice", password).organisation.name == "Test College"
    assert main(["org", "list"]) == 0
    listing = capsys.readouterr().out
    assert "Test College" in listing and password not in listing


def test_rotating_the_password_invalidates_the_old_one(database, capsys):
    main(["org", "create", "--name", "C", "--ukprn", "12345678", "--role", "LRB"])
    old = shown_password(capsys.readouterr().out)
    main(["user", "create", "12345678", "alice"])
    assert main(["org", "password", "12345678"]) == 0
    new = shown_password(capsys.readouterr().out)
    assert new != old
    authenticate(database, "12345678", "alice", new)
    with pytest.raises(LrsError) as raised:
        authenticate(database, "12345678", "alice", old)
    assert raised.value.code is ErrorCode.INCORRECT_PASSWORD


def test_revoke_and_reinstate_organisation_and_user(database, capsys):
    main(["org", "create", "--name", "C", "--ref", "ABC123", "--role", "LRB", "--role", "AO",
          "--password", "Sixteen-chars-ok"])
    main(["user", "create", "ABC123", "alice"])
    assert main(["org", "revoke", "ABC123"]) == 0
    runtime = build_runtime(Settings(database_url=database))
    creds = Credentials("alice", "Sixteen-chars-ok", organisation_ref="ABC123")
    with pytest.raises(LrsError) as raised:
        accounts.authenticate(runtime.services, creds, "find_learner")
    assert raised.value.code is ErrorCode.UNKNOWN_ORGANISATION
    assert main(["org", "reinstate", "ABC123"]) == 0
    assert main(["user", "revoke", "ABC123", "alice"]) == 0
    with pytest.raises(LrsError) as raised:
        accounts.authenticate(runtime.services, creds, "find_learner")
    assert raised.value.code is ErrorCode.INSUFFICIENT_ACCESS
    assert main(["user", "reinstate", "ABC123", "alice"]) == 0
    assert accounts.authenticate(runtime.services, creds, "verify_learner")
    runtime.close()


@pytest.mark.parametrize(("argv", "message"), [
    (["org", "create", "--name", "C", "--ukprn", "123", "--role", "LRB"], "exactly 8"),
    (["org", "password", "NOPE99"], "no organisation"),
    (["org", "create", "--name", "C", "--ukprn", "12345678", "--role", "LRB",
      "--password", "short"], "exactly 16"),
    (["user", "create", "NOPE99", "bob"], "no organisation"),
])
def test_mistakes_are_one_line_errors_with_exit_code_2(database, capsys, argv, message):
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err


@pytest.mark.parametrize("argv", [
    ["--password", "short"],                      # refused after the old code had written
    ["--password", " " * 16],
    ["--name", "   "],
    ["--ref", "TOOLONG"],
])
def test_a_refused_org_create_leaves_no_organisation(database, capsys, argv):
    base = ["org", "create", "--name", "Refused College", "--ukprn", "12345678", "--role", "LRB"]
    assert main(base + argv) == 2
    assert "error:" in capsys.readouterr().err
    runtime = build_runtime(Settings(database_url=database))
    try:
        assert accounts.list_organisations(runtime.services) == []
    finally:
        runtime.close()
    # and the retry with the mistake mended succeeds (no "UKPRN already registered")
    assert main(base + ["--password", "A" * 16]) == 0
    assert "created Refused College" in capsys.readouterr().out


def test_demo_load_prints_credentials_and_is_idempotent(database, capsys):
    assert main(["demo", "load"]) == 0
    first = capsys.readouterr().out
    assert "DemoCollege2026!" in first and "10000001" in first
    assert main(["demo", "load"]) == 0
    assert "already loaded" in capsys.readouterr().out
    assert authenticate(database, "10000001", "demo", "DemoCollege2026!")


def demo_state(url):
    """What the README documents about the demo: logins, learners, the merge, the grade."""
    runtime = build_runtime(Settings(database_url=url))
    try:
        with runtime.services.uow_factory() as uow:
            orgs = {(o.ukprn, o.active): [(u.user_name, u.active) for u in uow.users.list_for(o.id)]
                    for o in uow.organisations.list_all()}
            learners = {uln: uow.learners.by_uln(uln).details for uln, _ in demo.DEMO_LEARNERS}
            duplicate = uow.learners.by_uln(demo.DEMO_DUPLICATE_ULN)
            events = uow.achievements.events_for_learners([demo.DEMO_MASTER_ULN])
        return (orgs, learners, duplicate.master_uln, duplicate.details,
                [(e.qualification_reference, e.grade, e.award_date, e.withdrawn)
                 for e in events])
    finally:
        runtime.close()


def test_demo_load_again_restores_the_documented_demo_state(database, capsys):
    assert main(["demo", "load"]) == 0
    documented = demo_state(database)
    runtime = build_runtime(Settings(database_url=database))
    services = runtime.services
    try:  # what a user trying things out does to the demo data
        accounts.set_password(services, "10000001", "Changed-Pass-16!")
        accounts.set_organisation_active(services, "10000002", False)
        accounts.set_user_active(services, "10000001", "demo", False)
        learner_admin.unmerge(services, demo.DEMO_DUPLICATE_ULN, actor="test")
        with services.uow_factory() as uow:
            held = uow.learners.by_uln("1026893096")
            uow.learners.update_details("1026893096", replace(held.details, family_name="Other"),
                                        expected_version=held.version_number,
                                        now=services.clock())
            event = uow.achievements.events_for_learners([demo.DEMO_MASTER_ULN])[0]
            uow.achievements.update_events([EventChange(event.id, {"grade": "Distinction"})],
                                           now=services.clock())
            uow.commit()
    finally:
        runtime.close()
    assert demo_state(database) != documented
    capsys.readouterr()
    assert main(["demo", "load"]) == 0
    assert "already loaded" in capsys.readouterr().out
    assert demo_state(database) == documented
    assert authenticate(database, "10000001", "demo", "DemoCollege2026!")
    assert authenticate(database, "10000002", "demo", "DemoAwarding2026",
                        capability="submit_achievements")
    assert main(["demo", "load"]) == 0  # and again: nothing changes
    assert demo_state(database) == documented


def test_db_current_and_check(database, capsys):
    assert main(["db", "current"]) == 0
    assert capsys.readouterr().out.strip()
    assert main(["db", "check"]) == 0


def test_seed_learners_creates_findable_synthetic_learners(database, capsys):
    assert main(["seed", "learners", "--count", "300", "--seed", "7"]) == 0
    assert "seeded 300 learners" in capsys.readouterr().out
    runtime = build_runtime(Settings(database_url=database))
    with runtime.services.uow_factory() as uow:
        assert uow.learners.count() == 300
    runtime.close()
    with pytest.raises(SystemExit) as refused:
        main(["seed", "learners", "--count", "0"])
    assert refused.value.code == 2
