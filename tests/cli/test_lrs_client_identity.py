"""lrs-client find-by-demographics, register-learner, update-learner and verify-learner.

Same fake transport as test_lrs_client.py: the contract files are served from the repository,
every reply is validated against xsd/lrs-native-v1.xsd before it is sent, and so is every
request the client makes.
"""

from __future__ import annotations

import io
import json

import pytest
from lrs_client.cli import main
from lxml import etree

from tests.cli import test_lrs_client as fake_module
from tests.cli.test_lrs_client import (  # noqa: F401  (clean_environment: autouse fixture)
    CREDS,
    LEARNER,
    NS,
    WSDL_FILE,
    FakeTransport,
    _envelope,
    _q,
    _valid,
    clean_environment,
    fault_reply,
    find_reply,
    unused_port,
)

# ----- contract-valid replies --------------------------------------------------------------

DEMOGRAPHICS = [
    ("GivenName", "Ann"),
    ("FamilyName", "Smith"),
    ("DateOfBirth", "2001-02-03"),
    ("Gender", "2"),
    ("LastKnownPostCode", "SW1A 1AA"),
]

OTHER = [  # a second, merged-into master learner
    ("GivenName", "Anne"),
    ("FamilyName", "Smyth"),
    ("LastKnownPostCode", "CV4 9EE"),
    ("DateOfBirth", "2001-02-03"),
    ("Gender", "2"),
    ("VerificationType", "0"),
    ("AbilityToShare", "1"),
    ("ULN", "4234567890"),
    ("VersionNumber", "1"),
    ("LearnerStatus", "1"),
    ("TierLevel", "0"),
    ("MasterSubstituted", "true"),
    ("CreatedDate", "2019-09-01"),
    ("LastUpdatedDate", "2019-09-01"),
    ("LinkedULNs", []),
]


def _fill(node: etree._Element, items: list) -> etree._Element:
    """(name, value) pairs: a string is text, a list of pairs nests, a list of strings is ULNs."""
    for name, value in items:
        child = etree.SubElement(node, _q(name))
        if isinstance(value, list) and value and isinstance(value[0], tuple):
            _fill(child, value)
        elif isinstance(value, list):
            for uln in value:
                etree.SubElement(child, _q("ULN")).text = uln
        else:
            child.text = value
    return node


def reply(operation: str, items: list) -> tuple[int, bytes]:
    element = _fill(etree.Element(_q(f"{operation}Response"), nsmap={"tns": NS}), items)
    return 200, _envelope(_valid(element))


def demographics_reply(code: str = "WSRC0003", learners=(LEARNER, OTHER)) -> tuple[int, bytes]:
    items = [("ResponseCode", code), ("Demographics", DEMOGRAPHICS)]
    return reply("FindByDemographics", items + [("Learner", learner) for learner in learners])


def register_reply(code: str = "WSRC0005", uln: str | None = "5234567890",
                   reason: str | None = None) -> tuple[int, bytes]:
    items = [("ResponseCode", code)]
    items += [("ULN", uln)] if uln else []
    items += [("Reason", reason)] if reason else []
    return reply("RegisterLearner", items)


def update_reply(code: str = "WSRC0006", version: str | None = "4") -> tuple[int, bytes]:
    return reply("UpdateLearner", [("ResponseCode", code)] + ([("VersionNumber", version)]
                                                             if version else []))


VERIFIED = [("ULN", "1234567890"), ("GivenName", "Ann"), ("FamilyName", "Smith"),
            ("DateOfBirth", "2001-02-03"), ("Gender", "2")]


def verify_reply(code: str = "WSVRC001", flags=(), verified=VERIFIED) -> tuple[int, bytes]:
    items = [("ResponseCode", code)] + [("FailureFlag", flag) for flag in flags]
    return reply("VerifyLearnerDetails", items + ([("VerifiedLearner", verified)]
                                                  if verified else []))


def children(element: etree._Element | None) -> dict[str, str]:
    assert element is not None
    return {etree.QName(child).localname: child.text for child in element}


def sent(fake: FakeTransport, name: str) -> dict[str, str]:
    return children(fake.request.find(_q(name)))


FIND_DEMO = ["find-by-demographics", "Ann", "Smith", "2001-02-03", "2", "SW1A 1AA"]
REGISTER = ["register-learner", "--given-name", "Ann", "--family-name", "Smith",
            "--dob", "2001-02-03", "--gender", "2", "--postcode", "SW1A 1AA"]
UPDATE = ["update-learner", "1234567890", "3", "--given-name", "Ann", "--family-name", "Smith",
          "--dob", "2001-02-03", "--gender", "2", "--postcode", "SW1A 1AA",
          "--verification-type", "1", "--ability-to-share", "1"]
VERIFY = ["verify-learner", "1234567890", "Ann", "Smith"]
MANDATORY = {"GivenName": "Ann", "FamilyName": "Smith", "DateOfBirth": "2001-02-03",
             "Gender": "2", "LastKnownPostCode": "SW1A 1AA"}

# every LearnerToRegister option but the five mandatory demographics: flag, element, value
OPTIONAL_FIELDS = [
    ("--title", "Title", "Ms"),
    ("--middle-other-name", "MiddleOtherName", "Jane"),
    ("--preferred-given-name", "PreferredGivenName", "Annie"),
    ("--previous-family-name", "PreviousFamilyName", "Jones"),
    ("--family-name-at-16", "FamilyNameAtAge16", "Jones"),
    ("--school-at-16", "SchoolAtAge16", "Coventry High"),
    ("--address-line1", "LastKnownAddressLine1", "1 High Street"),
    ("--address-line2", "LastKnownAddressLine2", "Flat 2"),
    ("--town", "LastKnownAddressTown", "London"),
    ("--county-or-city", "LastKnownAddressCountyOrCity", "Westminster"),
    ("--date-of-address-capture", "DateOfAddressCapture", "2024-01-31"),
    ("--place-of-birth", "PlaceOfBirth", "Leeds"),
    ("--email", "EmailAddress", "ann@example.org"),
    ("--nationality", "Nationality", "GBR"),
    ("--scottish-candidate-number", "ScottishCandidateNumber", "123456789"),
    ("--verification-type", "VerificationType", "999"),
    ("--other-verification-description", "OtherVerificationDescription", "bank card"),
    ("--ability-to-share", "AbilityToShare", "2"),
    ("--notes", "Notes", "moved from Leeds"),
]


def run(argv: list[str], fake: FakeTransport) -> int:
    return main(CREDS + argv, transport=fake)


def write_json(tmp_path, data) -> str:
    path = tmp_path / "learner.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


# ----- find-by-demographics ----------------------------------------------------------------


def test_demographics_table_has_one_row_per_learner(capsys):
    fake = FakeTransport(demographics_reply())
    assert run(FIND_DEMO, fake) == 0

    out, err = capsys.readouterr()
    assert err == ""
    assert "ResponseCode: WSRC0003 (possible match)" in out
    assert "2 learners" in out
    for heading in ("ULN", "Given", "Family", "DOB", "Gender", "Postcode", "Master", "subst.",
                    "Linked", "ULNs"):
        assert heading in out
    rows = [line for line in out.splitlines() if "1234567890" in line or "4234567890" in line]
    assert len(rows) == 2  # one line each: nothing of the row was wrapped away
    first, second = rows
    for text in ("1234567890", "Ann", "Smith", "2001-02-03", "2", "SW1A 1AA", "false",
                 "2234567890"):
        assert text in first
    for text in ("4234567890", "Anne", "Smyth", "CV4 9EE", "true"):
        assert text in second
    assert "3234567890" in out  # the second linked ULN, on its own line
    assert out.index("1234567890") < out.index("4234567890")  # the service's ranking kept
    assert "Annie" not in out and "ann.smith@example.org" not in out  # compact: five + LRS


def test_demographics_json_has_the_echo_and_every_learner_field(capsys):
    fake = FakeTransport(demographics_reply())
    assert run(["--json"] + FIND_DEMO, fake) == 0

    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["ResponseCode", "Demographics", "Learner"]
    assert data["ResponseCode"] == "WSRC0003"
    assert data["Demographics"] == {**MANDATORY, "PreviousFamilyName": None,
                                    "SchoolAtAge16": None, "PlaceOfBirth": None,
                                    "EmailAddress": None}
    first, second = data["Learner"]
    assert first["PreferredGivenName"] == "Annie"
    assert first["EmailAddress"] == "ann.smith@example.org"
    assert first["LinkedULNs"] == ["2234567890", "3234567890"]
    assert first["VersionNumber"] == 3
    assert first["MiddleOtherName"] is None
    assert second["ULN"] == "4234567890"
    assert second["MasterSubstituted"] is True
    assert second["LinkedULNs"] == []


def test_demographics_sends_the_five_and_leaves_out_the_optional_ones():
    fake = FakeTransport(demographics_reply())
    assert run(FIND_DEMO, fake) == 0
    assert fake.posts[0][2]["SOAPAction"].strip('"') == f"{NS}/FindByDemographics"
    assert fake.field("FindType") == "FUL"
    assert sent(fake, "Demographics") == MANDATORY


def test_demographics_sends_the_optional_ones_when_given():
    fake = FakeTransport(demographics_reply())
    argv = FIND_DEMO + ["--previous-family-name", "Jones", "--school-at-16", "Coventry High",
                        "--place-of-birth", "Leeds", "--email", "ann@example.org"]
    assert run(argv, fake) == 0
    assert sent(fake, "Demographics") == {
        **MANDATORY, "PreviousFamilyName": "Jones", "SchoolAtAge16": "Coventry High",
        "PlaceOfBirth": "Leeds", "EmailAddress": "ann@example.org"}


def test_demographics_check_prints_the_code_only(capsys):
    fake = FakeTransport(demographics_reply("WSRC0004", learners=()))
    assert run(FIND_DEMO + ["--check"], fake) == 0
    assert fake.field("FindType") == "CHK"
    assert capsys.readouterr().out.strip() == "ResponseCode: WSRC0004 (exact match)"


def test_demographics_without_learners_is_an_empty_list_in_json(capsys):
    fake = FakeTransport(demographics_reply("WSRC0002", learners=()))
    assert run(["--json"] + FIND_DEMO, fake) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ResponseCode"] == "WSRC0002"
    assert data["Learner"] == []


@pytest.mark.parametrize("dob", ["03/02/2001", "2001-2-3", "2001-02-30", "yesterday"])
def test_demographics_dob_not_yyyy_mm_dd_is_a_usage_error(capsys, dob):
    fake = FakeTransport(demographics_reply())
    argv = ["find-by-demographics", "Ann", "Smith", dob, "2", "SW1A 1AA"]
    assert run(argv, fake) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert "YYYY-MM-DD" in err and dob in err
    assert "Traceback" not in err
    assert fake.loaded == [] and fake.posts == []  # nothing sent


def test_demographics_out_of_range_dob_is_left_to_the_server(monkeypatch, capsys):
    fake = FakeTransport(fault_reply("WSEC0001", "Invalid request", "DateOfBirth: range"))
    monkeypatch.setattr(fake_module, "_valid", lambda element: element)  # a lax fake server
    argv = ["find-by-demographics", "Ann", "Smith", "1700-01-01", "2", "SW1A 1AA"]
    assert run(argv, fake) == 1
    assert fake.field("Demographics/DateOfBirth") == "1700-01-01"  # sent as given
    assert "WSEC0001" in capsys.readouterr().err


# ----- register-learner --------------------------------------------------------------------


def test_register_sends_the_mandatory_fields_and_the_defaults(capsys):
    fake = FakeTransport(register_reply())
    assert run(REGISTER, fake) == 0

    assert fake.posts[0][2]["SOAPAction"].strip('"') == f"{NS}/RegisterLearner"
    assert sent(fake, "Learner") == {**MANDATORY, "VerificationType": "0",
                                     "AbilityToShare": "1"}
    out = capsys.readouterr().out
    assert "ResponseCode: WSRC0005 (learner registered)" in out
    assert "ULN: 5234567890" in out
    assert "Reason" not in out


def test_register_sends_every_optional_field_given():
    fake = FakeTransport(register_reply())
    argv = REGISTER + [arg for flag, _, value in OPTIONAL_FIELDS for arg in (flag, value)]
    assert run(argv, fake) == 0
    assert sent(fake, "Learner") == {**MANDATORY, **{e: v for _, e, v in OPTIONAL_FIELDS}}


def test_register_refused_prints_the_reason(capsys):
    reason = ("no full FindByDemographics for these demographics by this organisation in the "
              "last 1 hour(s)")
    fake = FakeTransport(register_reply("WSRC0021", uln=None, reason=reason))
    assert run(REGISTER, fake) == 0
    out = capsys.readouterr().out
    assert "ResponseCode: WSRC0021 (cannot register)" in out
    assert f"Reason: {reason}\n" in out  # whole, not wrapped at 80 columns
    assert "ULN" not in out


def test_register_json(capsys):
    fake = FakeTransport(register_reply())
    assert run(["--json"] + REGISTER, fake) == 0
    assert json.loads(capsys.readouterr().out) == {
        "ResponseCode": "WSRC0005", "ULN": "5234567890", "Reason": None}


def test_register_from_json_with_flags_overriding(tmp_path):
    path = write_json(tmp_path, {**MANDATORY, "FamilyName": "Jones", "Title": "Ms",
                                 "Notes": "from the file", "VerificationType": 2,
                                 "EmailAddress": None})
    fake = FakeTransport(register_reply())
    argv = ["register-learner", "--from-json", path, "--family-name", "Smith", "--title", ""]
    assert run(argv, fake) == 0
    assert sent(fake, "Learner") == {
        **MANDATORY,                 # FamilyName: the flag wins over the file
        "Notes": "from the file",    # Title: the empty flag leaves it out
        "VerificationType": "2",     # the file wins over the default; a number is accepted
        "AbilityToShare": "1",       # the default; EmailAddress: null is absent
    }


def test_register_from_json_on_standard_input(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(MANDATORY)))
    fake = FakeTransport(register_reply())
    assert run(["register-learner", "--from-json", "-"], fake) == 0
    assert sent(fake, "Learner")["GivenName"] == "Ann"


def test_register_missing_fields_is_a_usage_error(capsys):
    fake = FakeTransport(register_reply())
    assert run(["register-learner", "--given-name", "Ann", "--dob", "2001-02-03"], fake) == 2

    out, err = capsys.readouterr()
    assert out == ""
    for flag in ("--family-name", "--gender", "--postcode"):
        assert flag in err
    assert "--given-name" not in err and "--dob" not in err
    assert "--verification-type" not in err  # defaulted
    assert len(err.strip().splitlines()) == 1
    assert fake.loaded == [] and fake.posts == []


@pytest.mark.parametrize("flag", ["--dob", "--date-of-address-capture"])
def test_register_bad_date_is_a_usage_error(capsys, flag):
    fake = FakeTransport(register_reply())
    assert run(REGISTER + [flag, "3 Feb 2001"], fake) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert fake.posts == []


@pytest.mark.parametrize(("content", "message"), [
    ({**MANDATORY, "Givenname": "Ann"}, "unknown key(s) Givenname"),
    ({**MANDATORY, "DateOfBirth": "03/02/2001"}, "DateOfBirth"),
    ({**MANDATORY, "Notes": ["a", "b"]}, "Notes must be a string"),
    ({**MANDATORY, "Gender": True}, "Gender must be a string"),
    (["Ann", "Smith"], "JSON object"),
    ("{not json", "not valid JSON"),
])
def test_register_bad_json_is_a_usage_error(tmp_path, capsys, content, message):
    path = tmp_path / "learner.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content),
                    encoding="utf-8")
    fake = FakeTransport(register_reply())
    assert run(["register-learner", "--from-json", str(path)], fake) == 2
    err = capsys.readouterr().err
    assert message in err and str(path) in err
    assert "Traceback" not in err
    assert fake.posts == []


def test_register_json_file_not_found_is_a_usage_error(tmp_path, capsys):
    fake = FakeTransport(register_reply())
    assert run(["register-learner", "--from-json", str(tmp_path / "nope.json")], fake) == 2
    assert "nope.json" in capsys.readouterr().err


# ----- update-learner ----------------------------------------------------------------------


def test_update_sends_uln_version_and_the_fields(capsys):
    fake = FakeTransport(update_reply())
    assert run(UPDATE, fake) == 0

    assert fake.posts[0][2]["SOAPAction"].strip('"') == f"{NS}/UpdateLearner"
    assert sent(fake, "Learner") == {**MANDATORY, "VerificationType": "1",
                                     "AbilityToShare": "1", "ULN": "1234567890",
                                     "VersionNumber": "3"}
    out = capsys.readouterr().out
    assert "ResponseCode: WSRC0006 (learner updated)" in out
    assert "VersionNumber: 4" in out


def test_update_json(capsys):
    fake = FakeTransport(update_reply())
    assert run(UPDATE + ["--json"], fake) == 0
    assert json.loads(capsys.readouterr().out) == {"ResponseCode": "WSRC0006",
                                                   "VersionNumber": 4}


def test_update_stale_version_prints_the_code_only(capsys):
    fake = FakeTransport(update_reply("WSRC0013", version=None))
    assert run(UPDATE, fake) == 0
    out = capsys.readouterr().out
    assert out.strip() == "ResponseCode: WSRC0013 (the learner was updated since you read it)"


def test_update_has_no_defaults_for_verification_and_sharing(capsys):
    fake = FakeTransport(update_reply())
    assert run(UPDATE[:-4], fake) == 2
    err = capsys.readouterr().err
    assert "--verification-type" in err and "--ability-to-share" in err
    assert fake.posts == []


def test_update_from_find_by_uln_json_round_trip(tmp_path, capsys):
    """The documented workflow: save the Learner from --json find-by-uln, edit, feed back."""
    assert run(["--json", "find-by-uln", "1234567890", "Ann", "Smith"],
               FakeTransport(find_reply())) == 0
    learner = json.loads(capsys.readouterr().out)["Learner"]
    learner["LastKnownPostCode"] = "CV4 9EE"
    path = write_json(tmp_path, learner)

    fake = FakeTransport(update_reply())
    assert run(["update-learner", "1234567890", "3", "--from-json", path, "--email", ""],
               fake) == 0
    expected = {name: value for name, value in LEARNER
                if name not in ("ULN", "VersionNumber", "LearnerStatus", "TierLevel",
                                "MasterSubstituted", "CreatedDate", "LastUpdatedDate",
                                "LinkedULNs", "EmailAddress")}
    expected.update(LastKnownPostCode="CV4 9EE", ULN="1234567890", VersionNumber="3")
    assert sent(fake, "Learner") == expected


def test_update_json_for_another_uln_is_a_usage_error(tmp_path, capsys):
    path = write_json(tmp_path, {**MANDATORY, "ULN": "9234567890"})
    fake = FakeTransport(update_reply())
    assert run(UPDATE + ["--from-json", path], fake) == 2
    assert "9234567890" in capsys.readouterr().err
    assert fake.posts == []


@pytest.mark.parametrize("version", ["three", "3.0"])
def test_update_version_must_be_a_number(capsys, version):
    fake = FakeTransport(update_reply())
    assert run(["update-learner", "1234567890", version] + UPDATE[3:], fake) == 2
    assert "VERSION" in capsys.readouterr().err
    assert fake.posts == []


# ----- verify-learner ----------------------------------------------------------------------


def test_verify_match_shows_the_verified_learner(capsys):
    fake = FakeTransport(verify_reply())
    assert run(VERIFY, fake) == 0

    assert fake.posts[0][2]["SOAPAction"].strip('"') == f"{NS}/VerifyLearnerDetails"
    out, err = capsys.readouterr()
    assert err == ""
    assert "ResponseCode: WSVRC001 (successful match)" in out
    assert "VerifiedLearner" in out
    for text in ("1234567890", "Ann", "Smith", "2001-02-03"):
        assert text in out
    assert "FailureFlag" not in out


def test_verify_no_match_explains_each_failure_flag(capsys):
    fake = FakeTransport(verify_reply("WSVRC005", flags=["VRF1", "VRF2", "VRF4", "VRF7"],
                                      verified=None))
    assert run(VERIFY + ["--dob", "2001-12-04"], fake) == 0

    out = capsys.readouterr().out
    assert "ResponseCode: WSVRC005 (learner does not match)" in out
    lines = out.splitlines()
    for flag, meaning in (("VRF1", "given name vs given name"),
                          ("VRF2", "given name vs family name"),
                          ("VRF4", "family name vs given name"),
                          ("VRF7", "date of birth")):
        assert any(flag in line and meaning in line for line in lines), flag
    assert "VRF3" not in out and "VRF8" not in out
    assert "VerifiedLearner" not in out


@pytest.mark.parametrize(("code", "label"), [
    ("WSVRC002", "successful linked match"),
    ("WSVRC003", "similar match"),
    ("WSVRC004", "similar linked match"),
])
def test_verify_labels_for_the_matches(capsys, code, label):
    assert run(VERIFY, FakeTransport(verify_reply(code))) == 0
    assert f"ResponseCode: {code} ({label})" in capsys.readouterr().out


def test_verify_uln_not_found(capsys):
    assert run(VERIFY, FakeTransport(verify_reply("WSVRC006", verified=None))) == 0
    assert capsys.readouterr().out.strip() == "ResponseCode: WSVRC006 (ULN not found)"


def test_verify_json(capsys):
    fake = FakeTransport(verify_reply("WSVRC005", flags=["VRF7", "VRF8"], verified=None))
    assert run(["--json"] + VERIFY, fake) == 0
    assert json.loads(capsys.readouterr().out) == {
        "ResponseCode": "WSVRC005", "FailureFlag": ["VRF7", "VRF8"], "VerifiedLearner": None}

    assert run(["--json"] + VERIFY, FakeTransport(verify_reply())) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["FailureFlag"] == []
    assert data["VerifiedLearner"] == dict(VERIFIED)


def test_verify_sends_dob_and_gender_only_when_given():
    fake = FakeTransport(verify_reply())
    assert run(VERIFY, fake) == 0
    assert children(fake.request) == {"Credentials": None, "ULN": "1234567890",
                                      "GivenName": "Ann", "FamilyName": "Smith"}

    fake = FakeTransport(verify_reply())
    assert run(VERIFY + ["--dob", "2001-02-03", "--gender", "2"], fake) == 0
    assert fake.field("DateOfBirth") == "2001-02-03"
    assert fake.field("Gender") == "2"


def test_verify_bad_dob_is_a_usage_error(capsys):
    fake = FakeTransport(verify_reply())
    assert run(VERIFY + ["--dob", "2001/02/03"], fake) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert fake.posts == []


# ----- exit codes shared with find-by-uln --------------------------------------------------

COMMANDS = [FIND_DEMO, REGISTER, UPDATE, VERIFY]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: argv[0])
def test_fault_exits_1(capsys, argv):
    assert run(argv, FakeTransport(fault_reply("WSEC0001", "Invalid request", "x"))) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "WSEC0001: Invalid request" in err


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: argv[0])
def test_fault_with_json_is_a_fault_object(capsys, argv):
    assert run(["--json"] + argv, FakeTransport(fault_reply())) == 1
    assert json.loads(capsys.readouterr().out)["fault"]["ErrorCode"] == "WSEC0005"


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda argv: argv[0])
def test_connection_refused_exits_3(capsys, argv):
    url = f"http://127.0.0.1:{unused_port()}"
    assert main(["--url", url, "--wsdl", str(WSDL_FILE), "--timeout", "5"] + CREDS + argv) == 3
    assert f"{url}/soap/v1" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [
    ["find-by-demographics", "Ann", "Smith", "2001-02-03", "2"],
    ["verify-learner", "1234567890", "Ann"],
    ["update-learner", "1234567890"],
])
def test_missing_arguments_exit_2(argv):
    assert run(argv, FakeTransport()) == 2
