"""Every `lrs-soap` command with bad values of each of its options: a one-line message (or a
list, for an importer), a non-zero exit, no traceback, and nothing written.

SWEEP is the list the closing note of issue #17 quotes: keep it complete when a command or
an option is added (test_every_command_group_is_swept fails for a group left out).
"""

from __future__ import annotations

import sys

import pytest

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.domain import participation
from lrs_soap.entrypoints import server
from lrs_soap.entrypoints.cli import main
from lrs_soap.service import accounts, demo
from lrs_soap.store import migrate
from tests.databases import fresh_database

SAM, ALEX = demo.DEMO_LEARNERS[0][0], demo.DEMO_LEARNERS[1][0]
UNREACHABLE_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:1/lrs"

# One valid form of each command: the database URLs below are swept over all of them.
EVERY_COMMAND = [
    ["serve"], ["worker"], ["db", "upgrade"], ["db", "downgrade", "base"], ["db", "current"],
    ["db", "check"],
    ["org", "create", "--name", "New", "--ukprn", "12345678", "--role", "LRB"],
    ["org", "password", "10000001"], ["org", "revoke", "10000001"],
    ["org", "reinstate", "10000001"], ["org", "list"],
    ["user", "create", "10000001", "bob"], ["user", "revoke", "10000001", "demo"],
    ["user", "reinstate", "10000001", "demo"],
    ["demo", "load"], ["qualifications", "import", "register.csv"],
    ["events", "import", "events.csv"], ["seed", "learners", "--count", "1"],
    ["learners", "merge", ALEX, SAM], ["learners", "unmerge", demo.DEMO_DUPLICATE_ULN],
    ["learners", "split", SAM, "--given-name", "A", "--family-name", "B", "--dob",
     "2001-01-01", "--gender", "1", "--postcode", "LS2 9JT"],
    ["learners", "delete", SAM],
    ["learners", "report", "--from", "2026-01-01", "--to", "2026-01-31"],
    ["challenges", "list"], ["challenges", "reject", "1", "--reason", "no"],
    ["control", "reset", "empty"], ["control", "load", "fixture.yaml"], ["control", "export"],
    ["control", "clock", "freeze"], ["lockouts", "list"], ["lockouts", "clear", "10000001"],
    ["journal"],
]
BAD_DATABASE_URLS = [
    ("sqlite://", "in-memory database"),
    ("sqlite:///:memory:", "in-memory database"),
    ("sqlite:////no/such/folder/lrs.db", "the folder /no/such/folder does not exist"),
    ("sqlite:////proc/lrs.db", "cannot use the database: unable to open database file"),
    ("not a url", "'not a url' is not a database URL"),
    ("mysql://user@localhost/lrs", "runs on SQLite or PostgreSQL only"),
    ("postgresql+psycopg2://user@localhost/lrs", "the driver 'psycopg2' is not installed"),
    (UNREACHABLE_POSTGRES, "cannot use the database: connection failed"),
]

# (arguments, what the one-line message says): each option of each command, badly.
SWEEP = [
    # global to every command
    (["org", "list", "--log-level", "LOUD"], "log_level must be DEBUG, INFO"),
    # serve
    (["serve", "--bind", "127.0.0.1:99999"], "port from 0 to 65535, not '127.0.0.1:99999'"),
    (["serve", "--bind", "localhost"], "bind must be host:port"),
    (["serve", "--bind", "127.0.0.1:http"], "bind must be host:port"),
    (["serve", "--bind", "no-such-host.invalid:8000"], "cannot listen on no-such-host.invalid"),
    (["serve", "--bind", "192.0.2.1:8000"], "cannot listen on 192.0.2.1:8000"),
    (["serve", "--public-url", "ftp://example.org"], "public_url must start with http://"),
    (["serve", "--workers", "0"], "workers must be at least 1"),
    (["serve", "--workers", "two"], "invalid int value: 'two'"),
    (["serve", "--max-request-bytes", "10"], "max_request_bytes must be at least 1024"),
    (["serve", "--tls-certfile", "/no/cert.pem", "--tls-keyfile", "/no/key.pem"],
     "tls_certfile: no such file '/no/cert.pem'"),
    (["serve", "--tls-keyfile", "/no/key.pem"], "tls_certfile and tls_keyfile go together"),
    (["serve", "--tls-client-ca", "/no/ca.pem"], "tls_client_ca needs tls_certfile"),
    (["serve", "--batch-workers", "-1"], "batch_workers cannot be negative"),
    # db
    (["db", "sideways"], "invalid choice: 'sideways'"),
    (["db", "downgrade"], "downgrade needs a revision"),
    (["db", "downgrade", "nosuchrevision"], "database migration: Can't locate revision"),
    (["db", "upgrade", "nosuchrevision"], "database migration: Can't locate revision"),
    # org
    (["org", "create", "--ukprn", "12345678", "--role", "LRB"], "required: --name"),
    (["org", "create", "--name", " ", "--ukprn", "12345678", "--role", "LRB"],
     "a name is 1 to 200 characters"),
    (["org", "create", "--name", "X" * 201, "--ukprn", "12345678", "--role", "LRB"],
     "a name is 1 to 200 characters"),
    (["org", "create", "--name", "X", "--role", "LRB"], "needs a UKPRN or an OrganisationRef"),
    (["org", "create", "--name", "X", "--ukprn", "123", "--role", "LRB"], "exactly 8"),
    (["org", "create", "--name", "X", "--ukprn", "10000001", "--role", "LRB"],
     "UKPRN 10000001 is already registered"),
    (["org", "create", "--name", "X", "--ref", "TOOLONG", "--role", "LRB"], "exactly 6"),
    (["org", "create", "--name", "X", "--ref", "DEMLRB", "--role", "LRB"],
     "OrganisationRef DEMLRB is already registered"),
    (["org", "create", "--name", "X", "--ukprn", "12345678", "--role", "XX"],
     "invalid choice: 'XX'"),
    (["org", "create", "--name", "X", "--ukprn", "12345678"], "required: --role"),
    (["org", "create", "--name", "X", "--ukprn", "12345678", "--role", "LRB", "--password",
      "short"], "exactly 16 characters"),
    (["org", "password", "NOPE99"], "no organisation with UKPRN or OrganisationRef 'NOPE99'"),
    (["org", "password", "10000001", "--password", "short"], "exactly 16 characters"),
    (["org", "password", "10000001", "--password", " " * 16], "cannot be blank"),
    (["org", "revoke", "NOPE99"], "no organisation"),
    (["org", "reinstate", "NOPE99"], "no organisation"),
    # user
    (["user", "create", "NOPE99", "bob"], "no organisation"),
    (["user", "create", "10000001", "x" * 36], "a user name is 1 to 35 characters"),
    (["user", "create", "10000001", " "], "a user name is 1 to 35 characters"),
    (["user", "create", "10000001", "demo"], "user 'demo' already exists"),
    (["user", "revoke", "10000001", "nobody"], "no user 'nobody' in Demo College"),
    (["user", "reinstate", "NOPE99", "demo"], "no organisation"),
    # qualifications and events
    (["qualifications", "import", "/no/such.csv"], "cannot read it"),
    (["qualifications", "import", "bad-register.csv"],
     "bad-register.csv line 2, column title: is required"),
    (["qualifications", "import", "binary.csv"], "cannot read it"),
    (["events", "import", "/no/such.csv"], "cannot read it"),
    (["events", "import", "bad-register.csv"], "line 1: missing column(s)"),
    (["events", "import", "binary.csv"], "cannot read it"),
    # seed
    (["seed", "learners", "--count", "0"], "'0' is not a whole number of at least 1"),
    (["seed", "learners", "--count", "many"], "'many' is not a whole number"),
    (["seed", "learners", "--count", "1", "--seed", "x"], "invalid int value: 'x'"),
    # learners
    (["learners", "merge", "123", SAM], "123 is not a valid ULN"),
    (["learners", "merge", SAM, SAM], "itself"),
    (["learners", "merge", ALEX, "9999999999"], "is not a valid ULN"),
    (["learners", "merge", ALEX, SAM, "--challenge", "999"], "no ULN data challenge 999"),
    (["learners", "merge", ALEX, SAM, "--challenge", "one"], "invalid int value: 'one'"),
    (["learners", "unmerge", SAM], "only a merged ULN can be unmerged"),
    (["learners", "split", SAM], "the second person needs --given-name, --family-name, --dob"),
    (["learners", "split", SAM, "--given-name", "A", "--family-name", "B", "--dob", "01/01/2001",
      "--gender", "1", "--postcode", "LS2 9JT"], "DateOfBirth is not a date (YYYY-MM-DD)"),
    (["learners", "split", SAM, "--given-name", "A", "--family-name", "B", "--dob",
      "2001-01-01", "--gender", "7", "--postcode", "LS2 9JT"], "Gender"),
    (["learners", "split", SAM, "--given-name", "A", "--family-name", "B", "--dob",
      "2001-01-01", "--gender", "1", "--postcode", "NOWHERE"], "PostCode"),
    (["learners", "split", SAM, "--event", "x"], "invalid int value: 'x'"),
    (["learners", "split", SAM, "--from-json", "/no/such.json"], "--from-json /no/such.json"),
    (["learners", "split", SAM, "--from-json", "binary.csv"], "--from-json binary.csv"),
    (["learners", "split", SAM, "--from-json", "list.json"], "expected a JSON object"),
    (["learners", "split", SAM, "--from-json", "unknown.json"], "unknown field(s) Shoe"),
    (["learners", "delete", "0000000000"], "is not a valid ULN"),
    (["learners", "report", "--from", "2026-13-01", "--to", "2026-01-31"],
     "'2026-13-01' is not a date"),
    (["learners", "report", "--from", "2026-02-01", "--to", "2026-01-31"],
     "ToDate is before FromDate"),
    # challenges
    (["challenges", "list", "--kind", "other"], "invalid choice: 'other'"),
    (["challenges", "list", "--status", "lost"], "invalid choice: 'lost'"),
    (["challenges", "list", "--page", "0"], "'0' is not a whole number of at least 1"),
    (["challenges", "list", "--page-size", "0"], "'0' is not a whole number from 1 to"),
    (["challenges", "list", "--page-size", "100000"], "'100000' is not a whole number from 1"),
    (["challenges", "list", "--page-size", "many"], "'many' is not a whole number"),
    (["challenges", "reject", "999", "--reason", "no"], "no ULN data challenge 999"),
    (["challenges", "reject", "1"], "required: --reason"),
    (["challenges", "reject", "one", "--reason", "no"], "invalid int value: 'one'"),
    # control
    (["control", "reset", "/no/such.yaml"], "neither a named state (empty, demo) nor a fixture"),
    (["control", "reset", "binary.csv"], "binary.csv"),
    (["control", "load", "/no/such.yaml"], "/no/such.yaml: cannot read it"),
    (["control", "load", "list.json"], "list.json"),
    (["control", "export", "-o", "/no/such/folder/out.yaml"],
     "/no/such/folder/out.yaml: No such file or directory"),
    (["control", "clock", "sideways"], "invalid choice: 'sideways'"),
    (["control", "clock", "move", "soon"], "not a duration: 'soon'"),
    (["control", "clock", "move"], "clock move needs a value"),
    (["control", "clock", "freeze", "notadate"], "not an ISO 8601 date-time: 'notadate'"),
    (["control", "clock", "run-from", "2026-99-01"], "not an ISO 8601 date-time"),
    # lockouts
    (["lockouts", "list", "--user", "x"], "unrecognized arguments: --user x"),
    (["lockouts", "clear"], "the following arguments are required: organisation"),
    # journal
    (["journal", "--since", "yesterday"], "'yesterday' is neither a time ago"),
    (["journal", "--until", "soon"], "'soon' is neither a time ago"),
    (["journal", "--limit", "many"], "invalid int value: 'many'"),
    (["journal", "--face", "moon"], "invalid choice: 'moon'"),
]


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """A demo database, and the files some sweeps read, in the working directory."""
    folder = tmp_path_factory.mktemp("sweep")
    (folder / "register.csv").write_text("reference,title,shared\nA/1,T,yes\n")
    (folder / "events.csv").write_text(",".join(participation.REQUIRED) + "\n")
    (folder / "bad-register.csv").write_text("reference,title,shared\nA/1,,yes\n")
    (folder / "binary.csv").write_bytes(b"\xff\xfe\x00\x81 not text")
    (folder / "list.json").write_text("[]")
    (folder / "fixture.yaml").write_text(  # (loaded only over unusable databases)
        "organisations:\n  - {name: Swept, ukprn: '10012345', roles: [LRB], "
        "password: HarnessCollege1!}\n")
    (folder / "unknown.json").write_text('{"Shoe": "9"}')
    with fresh_database(folder) as url:
        migrate.upgrade(url)
        with build_runtime(Settings(database_url=url)) as services:
            demo.load(services)
        yield folder, url


@pytest.fixture
def in_sweep(swept, monkeypatch):
    folder, url = swept
    monkeypatch.chdir(folder)
    monkeypatch.setenv("LRS_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "80")

    def never_serve(settings):
        raise AssertionError("serve started despite a bad value")
    monkeypatch.setattr(server, "serve", never_serve)
    return url


def state(url):
    with build_runtime(Settings(database_url=url)) as services:
        organisations = [(org.name, org.active, org.password_hash,
                          [(u.user_name, u.active) for u in users])
                         for org, users in accounts.list_organisations(services)]
        with services.uow_factory() as uow:
            return organisations, uow.learners.count()


def refused(argv, capsys) -> str:
    """Run lrs-soap; assert it refused cleanly; return its stderr."""
    try:
        status = main(argv)
    except SystemExit as exit_:  # argparse: usage line, then one error line
        status = exit_.code
    captured = capsys.readouterr()
    assert status == 2, (argv, captured)
    assert "Traceback" not in captured.err
    errors = [line for line in captured.err.splitlines() if "error:" in line]
    assert len(errors) == 1, captured.err
    return captured.err


@pytest.mark.parametrize(("argv", "message"), SWEEP, ids=[" ".join(a)[:60] for a, _ in SWEEP])
def test_a_bad_value_is_refused_in_one_line_and_changes_nothing(in_sweep, capsys, argv,
                                                                message):
    before = state(in_sweep)
    assert message in refused(argv, capsys)
    assert state(in_sweep) == before


@pytest.mark.parametrize(("url", "message"), BAD_DATABASE_URLS, ids=[u for u, _ in
                                                                     BAD_DATABASE_URLS])
@pytest.mark.parametrize("argv", EVERY_COMMAND, ids=[" ".join(a[:2]) for a in EVERY_COMMAND])
def test_every_command_refuses_an_unusable_database_in_one_line(in_sweep, capsys, argv, url,
                                                                message):
    assert message in refused([*argv, "--database-url", url], capsys)


def test_postgresql_without_its_driver_names_the_extra_to_install(in_sweep, capsys,
                                                                  monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    for argv in EVERY_COMMAND:
        stderr = refused([*argv, "--database-url", "postgresql://user@db.example/lrs"], capsys)
        assert ("PostgreSQL needs its driver, which is not installed: "
                "pip install 'lrs-soap[postgres]'") in stderr


def test_every_command_group_is_swept():
    from lrs_soap.entrypoints.cli import COMMAND_GROUPS

    groups = {group.__name__.rsplit(".", 1)[1] for group in COMMAND_GROUPS}
    assert groups == {argv[0] for argv in EVERY_COMMAND}
    assert groups - {"serve", "worker", "demo"} <= {argv[0] for argv, _ in SWEEP}
