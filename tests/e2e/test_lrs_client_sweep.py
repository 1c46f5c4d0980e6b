"""Every `lrs-client` command with bad values of each of its options, against the real
gateway: a short message naming the problem, a non-zero exit (1 the service refused, 2 usage
or settings, 3 no usable answer), never a traceback.

SWEEP is the list the closing note of issue #17 quotes; test_every_command_is_swept fails
for a command left out.
"""

from __future__ import annotations

import argparse

import pytest
from lrs_client.cli import build_parser, main

from tests.conftest import DEMO_AO, DEMO_LRB, REPO

ULN = "1026893096"
SAM = [ULN, "Sam", "Example"]
LEARNER = ["--given-name", "A", "--family-name", "X", "--dob", "2005-01-01", "--gender", "1",
           "--postcode", "LS2 9JT"]
AWARD = [*SAM, "--dob", "2000-01-31", "--gender", "2", "--qualification", "600/1234/5",
         "--provider-ukprn", "10000001", "--grade", "Merit"]
LRB_FILE = str(REPO / "tests" / "cli" / "data" / "LRB_10000001_010520241200.CSV")
FIND = ["find-by-uln", *SAM]
LRB, AO, NONE = "lrb", "ao", "none"

# (who calls, arguments, exit code, what the message says)
SWEEP = [
    # connection and credentials (every command takes them)
    (NONE, ["--url", "not a url", "--ukprn", "10000001", "--user", "u", "--password", "p" * 16,
            *FIND], 2, "the service URL must be http(s)://host[:port], got 'not a url'"),
    (NONE, ["--url", "http://127.0.0.1:1", "--ukprn", "10000001", "--user", "u",
            "--password", "p" * 16, *FIND], 3, "cannot connect to http://127.0.0.1:1"),
    (NONE, FIND, 2, "missing user (--user"),
    (LRB, ["--wsdl", "/no/such.wsdl", *FIND], 2, "--wsdl: no such file: /no/such.wsdl"),
    (LRB, ["--timeout", "-1", *FIND], 2, "--timeout must be a positive number of seconds"),
    (LRB, ["--timeout", "0", *FIND], 2, "--timeout must be a positive number of seconds"),
    (LRB, ["--timeout", "abc", *FIND], 2, "argument --timeout: invalid float value: 'abc'"),
    (LRB, ["--config", "/no/such.toml", *FIND], 2, "config file not found: /no/such.toml"),
    (LRB, ["--config", "bad.toml", *FIND], 2, "config file bad.toml is not valid TOML"),
    (LRB, ["--cert", "/no/cert.pem", *FIND], 2, "no such file '/no/cert.pem'"),
    (LRB, ["--key", "/no/key.pem", *FIND], 2, "no such file '/no/key.pem'"),
    (LRB, ["--ca", "/no/ca.pem", *FIND], 2, "no such file '/no/ca.pem'"),
    (LRB, ["--ukprn", "123", *FIND], 1, "UKPRN (--ukprn) '123': must be 8 letters or digits"),
    (LRB, ["--org-ref", "TOOLONG7", *FIND], 1, "OrganisationRef (--org-ref) 'TOOLONG7'"),
    (LRB, ["--user", "x" * 36, *FIND], 1, "user name (--user): is 36 characters long"),
    (LRB, ["--password", "Wrong-Password!!", *FIND], 1, "WSEC0005"),
    # find-by-uln, find-by-demographics, verify-learner
    (LRB, ["find-by-uln", "12345", "Sam", "Example"], 1,
     "ULN '12345': must be 10 digits, the first not 0"),
    (LRB, ["find-by-uln", ULN, "", "Example"], 1, "given name: must not be empty"),
    (LRB, ["find-by-uln", ULN, "Sam"], 2, "the following arguments are required: FAMILY"),
    (LRB, ["find-by-demographics", "Sam", "Example", "2000-13-01", "2", "AB12 3DF"], 2,
     "'2000-13-01' is not a calendar date (YYYY-MM-DD)"),
    (LRB, ["find-by-demographics", "Sam", "Example", "2000-01-31", "7", "AB12 3DF"], 1,
     "gender '7': must be 0 (not known), 1 (male), 2 (female) or 9 (not specified)"),
    (LRB, ["find-by-demographics", "Sam", "Example", "2000-01-31", "2", "NOWHERE"], 1,
     "postcode 'NOWHERE': must be a UK postcode such as SW1A 1AA"),
    (LRB, ["find-by-demographics", "Sam", "Example", "2000-01-31", "2", "AB12 3DF", "--email",
           "not-an-email"], 1, "e-mail address 'not-an-email': must be an e-mail address"),
    (LRB, ["find-by-demographics", "Sam", "Example", "2000-01-31", "2", "AB12 3DF",
           "--school-at-16", "x" * 300], 1, "is 300 characters long: at most 254"),
    (AO, ["verify-learner", *SAM, "--dob", "31/01/2000"], 2,
     "'31/01/2000' is not a date in the form YYYY-MM-DD"),
    (AO, ["verify-learner", *SAM, "--gender", "5"], 1, "gender '5': must be 0 (not known)"),
    (AO, ["verify-learner", "1026893097", "Sam", "Example"], 1,
     "ULN 1026893097 fails its check digit"),
    # register-learner, update-learner
    (LRB, ["register-learner", *LEARNER[2:]], 2, "missing --given-name"),
    (LRB, ["register-learner", *LEARNER[:5], "2005-02-30", *LEARNER[6:]], 2,
     "'2005-02-30' is not a calendar date"),
    (LRB, ["register-learner", *LEARNER[:7], "5", *LEARNER[8:]], 1, "gender '5': must be 0"),
    (LRB, ["register-learner", *LEARNER[:9], "NOWHERE"], 1,
     "postcode 'NOWHERE': must be a UK postcode"),
    (LRB, ["register-learner", *LEARNER, "--email", "nope"], 1, "e-mail address 'nope'"),
    (LRB, ["register-learner", *LEARNER, "--verification-type", "8"], 1,
     "verification type '8': must be one of 0, 1, 2, 3, 4, 5, 6, 7, 999"),
    (LRB, ["register-learner", *LEARNER, "--ability-to-share", "3"], 1,
     "ability to share '3': must be one of 0, 1, 2"),
    (LRB, ["register-learner", *LEARNER, "--date-of-address-capture", "yesterday"], 2,
     "'yesterday' is not a date in the form YYYY-MM-DD"),
    (LRB, ["register-learner", *LEARNER, "--nationality", "ENGL"], 1,
     "nationality: is 4 characters long: at most 3"),
    (LRB, ["register-learner", *LEARNER, "--scottish-candidate-number", "12"], 1,
     "scottish candidate number '12': must be 9 digits"),
    (LRB, ["register-learner", "--from-json", "/no/such.json"], 2,
     "--from-json /no/such.json: cannot read it"),
    (LRB, ["register-learner", "--from-json", "bad.json"], 2,
     "--from-json bad.json: not valid JSON"),
    (LRB, ["update-learner", ULN, "abc", *LEARNER], 2, "argument VERSION: invalid int value"),
    (LRB, ["update-learner", ULN, "1", "--given-name", "Sam"], 2,
     "missing --family-name (or FamilyName in --from-json)"),
    (LRB, ["update-learner", "12345", "1", *LEARNER, "--verification-type", "0",
           "--ability-to-share", "1"], 1, "ULN '12345': must be 10 digits"),
    # validate and the batch commands
    (NONE, ["validate", "/no/such/LRB_10000001_010520241200.CSV"], 2,
     "cannot read /no/such/LRB_10000001_010520241200.CSV: No such file or directory"),
    (NONE, ["validate", "bad.json"], 1, "the file name must be <LRB|VLD|ACH>_<UKPRN>_"),
    (LRB, ["submit-learner-batch", "/no/such/LRB_10000001_010520241200.CSV"], 2,
     "cannot read /no/such/LRB_10000001_010520241200.CSV"),
    (LRB, ["submit-learner-batch", LRB_FILE, "--poll", "-1"], 2,
     "argument --poll: must be a number of seconds, not '-1'"),
    (LRB, ["submit-learner-batch", LRB_FILE, "--job-timeout", "abc"], 2,
     "argument --job-timeout"),
    (LRB, ["submit-learner-batch", LRB_FILE, "--output", "/no/such/folder/out.csv"], 2,
     "cannot write /no/such/folder/out.csv: the folder /no/such/folder does not exist"),
    (LRB, ["submit-verify-batch", LRB_FILE], 2,
     "is a learner registration file: use submit-learner-batch"),
    (AO, ["submit-achievement-batch", "/no/such/ACH_10000002_010520241200.CSV"], 2,
     "cannot read /no/such/ACH_10000002_010520241200.CSV"),
    (AO, ["submit-achievement-batch", LRB_FILE, "--errors", "/no/such/e.csv"], 2,
     "is a learner registration file"),
    (LRB, ["get-batch", "sideways", "1"], 2, "KIND is learner (LRB), verify (VLD) or achievement"),
    (LRB, ["get-batch", "learner", "abc"], 2, "argument JOBID: invalid int value: 'abc'"),
    (LRB, ["get-batch", "learner", "0"], 1, "job id '0': is outside the allowed range"),
    (LRB, ["get-batch", "learner", "999999"], 1, "WSRC0018"),
    (LRB, ["get-batch", "learner", "1", "--output", "/no/such/folder/r.csv"], 2,
     "cannot write /no/such/folder/r.csv"),
    # the Personal Learning Record and challenges
    (LRB, ["get-learner-record", "12345", "Sam", "Example"], 1, "ULN '12345'"),
    (LRB, ["get-learner-record", *SAM, "--dob", "tomorrow"], 2, "'tomorrow' is not a date"),
    (LRB, ["get-learner-record", *SAM, "--gender", "4"], 1, "gender '4'"),
    (LRB, ["learner-record-audit", *SAM, "--page", "0"], 1, "is outside the allowed range"),
    (LRB, ["learner-record-audit", *SAM, "--page-size", "abc"], 2, "invalid int value: 'abc'"),
    (LRB, ["uln-report", "2026-13-01", "2026-01-31"], 2, "'2026-13-01' is not a calendar date"),
    (LRB, ["uln-report", "2026-02-01", "2026-01-31"], 1, "WSEC"),
    (LRB, ["raise-event-challenge", *SAM, "abc", "--reason", "x"], 2, "invalid int value: 'abc'"),
    (LRB, ["raise-event-challenge", *SAM, "1"], 2,
     "the following arguments are required: --reason"),
    (LRB, ["event-challenges", "--raised", "--status", "lost"], 2, "invalid choice: 'lost'"),
    (LRB, ["event-challenges"], 2, "one of the arguments --raised --owned is required"),
    (LRB, ["event-challenges", "--raised", "--page", "0"], 1, "is outside the allowed range"),
    (AO, ["resolve-event-challenge", "abc", "--correct"], 2, "invalid int value: 'abc'"),
    (AO, ["resolve-event-challenge", "1"], 2, "one of the arguments --correct --withdraw"),
    (AO, ["resolve-event-challenge", "1", "--correct", "--award-date", "someday"], 2,
     "'someday' is not a date in the form YYYY-MM-DD"),
    (LRB, ["raise-uln-challenge", ULN, "--type", "bad", "--reason", "x"], 2,
     "invalid choice: 'bad'"),
    (LRB, ["raise-uln-challenge", "12345", "--type", "shared-uln", "--reason", "x"], 1,
     "ULN '12345'"),
    (LRB, ["uln-challenges", "--status", "lost"], 2, "invalid choice: 'lost'"),
    (LRB, ["uln-challenges", "--page-size", "0"], 1, "is outside the allowed range"),
    (LRB, ["submit-learner-batch", "schema/LRB_10000001_010520241200.CSV", "--send-anyway"], 1,
     "FamilyName: is required but missing"),  # not a rule: --send-anyway does not send it
    # batch jobs
    (LRB, ["jobs", "--kind", "lost"], 2, "invalid choice: 'lost'"),
    (LRB, ["jobs", "--status", "done"], 2, "invalid choice: 'done'"),
    (LRB, ["jobs", "--page-size", "0"], 1, "is outside the allowed range"),
    # batch exceptions
    (LRB, ["batch-exceptions", "--status", "lost"], 2, "invalid choice: 'lost'"),
    (LRB, ["batch-exceptions", "--job", "abc"], 2, "invalid int value: 'abc'"),
    (LRB, ["batch-exceptions", "--page", "0"], 1, "is outside the allowed range"),
    (LRB, ["resolve-exception", "1"], 2, "one of the arguments --link --register --discard"),
    (LRB, ["resolve-exception", "abc", "--discard"], 2, "invalid int value: 'abc'"),
    (LRB, ["resolve-exception", "1", "--link", "12345"], 1, "ULN '12345'"),
    # single achievements
    (AO, ["achievement", "explode", *SAM], 2, "invalid choice: 'explode'"),
    (AO, ["achievement", "create", *AWARD, "--award-date", "soon"], 2,
     "'soon' is not a date in the form YYYY-MM-DD"),
    (AO, ["achievement", "create", *AWARD[:7], *AWARD[9:], "--award-date", "2025-07-01"], 2,
     "the following arguments are required: --qualification"),
    (AO, ["achievement", "create", *AWARD, "--award-date", "2025-07-01", "--provider-ukprn",
          "123"], 1, "123"),
    # entries and results
    (AO, ["enter", *SAM, "--dob", "2000-01-31", "--gender", "2", "--qualification",
          "600/1234/5", "--entry-date", "soon"], 2, "'soon' is not a date in the form"),
    (AO, ["submit-entries", "/no/such.csv"], 2, "/no/such.csv: No such file or directory"),
    (AO, ["result", "abc", "--grade", "Pass", "--award-date", "2025-07-01"], 2,
     "argument ENTRY_ID: invalid int value: 'abc'"),
    (AO, ["submit-results", "/no/such.csv"], 2, "/no/such.csv: No such file or directory"),
    (AO, ["withdraw-result", "1"], 2, "the following arguments are required: --reason"),
    (AO, ["cancel-entry", "abc"], 2, "argument ENTRY_ID: invalid int value: 'abc'"),
    (AO, ["entries", "--status", "lost"], 2, "invalid choice: 'lost'"),
    # learner plans
    (LRB, ["plan", *SAM, "--dob", "never"], 2, "'never' is not a date in the form"),
    (LRB, ["save-plan", *SAM, "--aim", "nonsense"], 2,
     "'nonsense': expected REF:START:END:STATUS[:OUTCOME]"),
    (LRB, ["plans", "--page", "abc"], 2, "argument --page: invalid int value: 'abc'"),
    (LRB, ["share-plan", "abc", "10000001"], 2, "argument PLAN_ID: invalid int value: 'abc'"),
]


@pytest.fixture
def in_folder(tmp_path, monkeypatch):
    (tmp_path / "bad.toml").write_text("url = [unterminated\n")
    (tmp_path / "bad.json").write_text("{not json")
    sample = (REPO / "tests" / "cli" / "data" / "LRB_10000001_010520241200.CSV").read_text()
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "LRB_10000001_010520241200.CSV").write_text(
        sample.replace(",Bob,,Jones,", ",Bob,,,"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LRS_CLIENT_CONFIG", raising=False)
    for name in ("URL", "UKPRN", "ORG_REF", "USER", "PASSWORD"):
        monkeypatch.delenv(f"LRS_CLIENT_{name}", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.config/lrs-client/config.toml


def credentials(gateway, who: str) -> list[str]:
    if who == NONE:
        return ["--url", gateway.url]
    caller = DEMO_LRB if who == LRB else DEMO_AO
    return ["--url", gateway.url, "--ukprn", caller["ukprn"], "--user", caller["user"],
            "--password", caller["password"]]


@pytest.mark.slow  # a WSDL load per call: about a second each, eighty of them
@pytest.mark.parametrize(("who", "argv", "status", "message"), SWEEP,
                         ids=[" ".join(argv)[:60] for _, argv, _, _ in SWEEP])
def test_a_bad_value_is_refused_with_a_message_not_a_traceback(gateway, in_folder, capsys,
                                                               who, argv, status, message):
    base = credentials(gateway, who)
    if argv and argv[0] == "--url":
        base = []
    assert main([*base, *argv]) == status
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert message in captured.err + captured.out


def test_every_command_is_swept():
    parser = build_parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    swept = {next((word for word in argv if word in commands.choices), None)
             for _, argv, _, _ in SWEEP}
    assert set(commands.choices) - swept == set()
