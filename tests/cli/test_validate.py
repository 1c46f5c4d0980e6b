"""``lrs-client validate``: the offline Validation Tool, on the sample files in data/.

The broken samples hold errors of every category; the expected lists below are the whole
truth for them (judged on a fixed day). That the server finds the same schema and rule
errors in them is the end-to-end tests' to prove (tests/e2e).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lrs_client import rules
from lrs_client.batchfiles import FIELD, HEADER, HEADINGS, NAME, RULE, SCHEMA, STRUCTURE
from lrs_client.cli import main
from lrs_client.validate import FileError, check_file, validate_file

from tests.cli.test_lrs_client import clean_environment  # noqa: F401  (autouse fixture)

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
TODAY = dt.date(2024, 6, 1)

GOOD = sorted(p.name for p in DATA.glob("*_010520241200.*") if p.suffix in (".CSV", ".XML"))

# (line, record, field, category) of every error in each broken sample
BROKEN = {
    "LRB_1000001_310220241200.csv": [
        (0, 0, "(file name)", NAME), (0, 0, "(file name)", NAME), (0, 0, "(file name)", NAME),
        (1, 0, "GivenName", HEADINGS), (1, 0, "ShoeSize", HEADINGS), (1, 0, "Notes", HEADINGS),
        (2, 0, "FileName", HEADER), (2, 0, "FileVersion", HEADER), (2, 0, "UKPRN", HEADER),
        (2, 0, "ContactEmail", HEADER),
        (3, 1, "LastKnownPostCode", SCHEMA), (3, 1, "LastKnownPostCode", SCHEMA),
        (3, 1, "DateOfBirth", SCHEMA), (3, 1, "Gender", SCHEMA),
        (4, 2, "FamilyName", SCHEMA), (4, 2, "EmailAddress", FIELD), (4, 2, "Nationality", FIELD),
        (5, 3, "DateOfBirth", RULE), (6, 4, "DateOfBirth", RULE),
        (7, 5, "OtherVerificationDescription", RULE), (8, 6, "ULN", RULE),
    ],
    "LRB_10000001_010520241260.xml": [
        (0, 0, "(file name)", NAME), (0, 0, "(file name)", NAME),
        (3, 0, "ContactEmail", HEADER), (4, 0, "FileVersion", HEADER), (6, 0, "UKPRN", HEADER),
        (12, 1, "DateOfBirth", SCHEMA), (13, 1, "Gender", SCHEMA), (17, 1, "ShoeSize", HEADINGS),
        (19, 2, "FamilyName", SCHEMA), (24, 2, "EmailAddress", FIELD),
        (33, 3, "DateOfBirth", RULE), (40, 4, "GivenName", HEADINGS),
    ],
    "VLD_10000001_0105202412.XML": [
        (0, 0, "(file name)", NAME), (4, 0, "FileVersion", HEADER),
        (7, 0, "ContactEmail", SCHEMA),
        (11, 1, "ULN", SCHEMA), (14, 1, "Gender", SCHEMA),
        (16, 2, "GivenName", SCHEMA), (20, 2, "DateOfBirth", FIELD),
        (24, 3, "ULN", RULE), (27, 3, "DateOfBirth", HEADINGS),
    ],
    "ACH_10000001_010520241200.TXT": [
        (0, 0, "(file name)", NAME), (1, 0, "Grade", HEADINGS),
        (1, 0, "LanguageForAssessment", HEADINGS), (2, 0, "FileVersion", HEADER),
        (2, 0, "SubmissionType", SCHEMA),
        (3, 1, "Action", SCHEMA), (3, 1, "ActionDate", SCHEMA), (3, 1, "ProviderUKPRN", SCHEMA),
        (4, 2, "QualificationReference", SCHEMA), (4, 2, "AwardDate", FIELD),
        (5, 3, "Grade", RULE), (6, 4, "AwardDate", RULE), (7, 5, "ActionReason", RULE),
        (8, 6, "ULN", RULE), (9, 7, "AwardDate", RULE),
    ],
}


def summary(errors: list[FileError]) -> list[tuple]:
    return [(e.line, e.record, e.field, e.category) for e in errors]


@pytest.mark.parametrize("name", GOOD)
def test_the_good_samples_are_clean(name, capsys):
    assert validate_file(DATA / name, TODAY) == []
    assert main(["validate", str(DATA / name)]) == 0
    out, err = capsys.readouterr()
    assert out.strip().endswith("no errors") and err == ""


@pytest.mark.parametrize("name", BROKEN)
def test_every_error_of_the_broken_samples(name):
    errors = validate_file(DATA / name, TODAY)
    assert summary(errors) == BROKEN[name]
    assert {e.category for e in errors} >= {NAME, HEADER, HEADINGS, SCHEMA, FIELD, RULE}
    assert all(e.key() == (e.record, e.field) for e in errors)


def test_rule_texts_come_from_the_server_rules():
    errors = {(e.record, e.field): e.rule for e in
              validate_file(DATA / "LRB_1000001_310220241200.csv", TODAY) if e.category == RULE}
    assert errors == {
        (3, "DateOfBirth"): "must not be in the future",
        (4, "DateOfBirth"): "The learner must be aged 13 to 110 at registration (is 124)",
        (5, "OtherVerificationDescription"): "is required when VerificationType is 999",
        (6, "ULN"): rules.CHECK_DIGIT,
    }
    ach = {(e.record, e.field): e.rule for e in
           validate_file(DATA / "ACH_10000001_010520241200.TXT", TODAY) if e.category == RULE}
    assert ach[(3, "Grade")] == "is required for CREATE"
    assert ach[(7, "AwardDate")] == "is before the DateOfBirth"


def test_schema_texts_are_libxml2s_as_the_server_reports_them():
    errors = validate_file(DATA / "VLD_10000001_0105202412.XML", TODAY)
    by_key = {e.key(): e.rule for e in errors if e.category in (SCHEMA, FIELD)}
    assert by_key[(1, "ULN")] == ("[facet 'pattern'] The value '12345' is not accepted by the "
                                  "pattern '[1-9][0-9]{9}'.")
    assert by_key[(2, "GivenName")] == "is required but missing"
    assert by_key[(2, "DateOfBirth")] == ("'2001-13-01' is not a valid value of the atomic "
                                          "type 'Date'.")
    assert "nobody" in by_key[(0, "ContactEmail")]  # OrgEmail in the message: the header line


def test_a_record_missing_several_required_elements_names_them_all(tmp_path):
    path = tmp_path / "VLD_10000001_010520241200.CSV"
    path.write_text("MISIdentifier,ULN,GivenName,FamilyName,DateOfBirth,Gender\r\n"
                    "1A,x,10000001,a@example.org\r\nM1,,,,2001-02-31,7\r\n", encoding="utf-8")
    errors = validate_file(path, TODAY)
    assert [(e.field, e.category) for e in errors] == [
        ("ULN", SCHEMA), ("GivenName", FIELD), ("FamilyName", FIELD), ("DateOfBirth", FIELD),
        ("Gender", FIELD)]
    assert all(e.line == 3 and e.record == 1 for e in errors)


def test_records_with_a_uln_are_judged_by_update_learners_rules():
    """An update has no age window (record 3, aged 126, passes; record 6, the same learner
    without a ULN, is a registration and fails); its other rules hold."""
    errors = {e.key(): e.rule for e in
              validate_file(DATA / "LRB_10000001_040120261200.CSV", TODAY) if e.category == RULE}
    assert errors == {
        (1, "OtherVerificationDescription"): "is required when VerificationType is 999",
        (2, "DateOfAddressCapture"): "must not be in the future",
        (4, "DateOfBirth"): "must not be in the future",
        (6, "DateOfBirth"): "The learner must be aged 13 to 110 at registration (is 124)",
    }
    check_job = validate_file(DATA / "LRB_10000001_040120261200.CSV", TODAY, register=False)
    assert [e.key() for e in check_job if e.category == RULE] == []


def test_check_jobs_skip_the_registration_rules():
    errors = validate_file(DATA / "LRB_1000001_310220241200.csv", TODAY, register=False)
    assert [e.key() for e in errors if e.category == RULE] == [(6, "ULN")]


def test_rules_depend_on_the_day():
    later = validate_file(DATA / "LRB_1000001_310220241200.csv", dt.date(2091, 1, 1))
    rules_broken = {e.key(): e.rule for e in later if e.category == RULE}
    assert rules_broken[(3, "DateOfBirth")] == ("The learner must be aged 13 to 110 at "
                                                "registration (is 1)")


def test_only_the_records_within_the_limit_are_checked(tmp_path):
    lines = (DATA / "VLD_10000001_010520241200.CSV").read_text(encoding="utf-8").splitlines()
    head, row = lines[:2], lines[2]
    bad = row.replace("1234567899", "1234567890")  # fails its check digit
    path = tmp_path / "VLD_10000001_010520241200.CSV"
    path.write_text("\r\n".join(head + [row] * 199 + [bad, bad]) + "\r\n", encoding="utf-8")
    errors = validate_file(path, TODAY)
    assert summary(errors) == [(202, 200, "ULN", RULE), (203, 201, "Learner", STRUCTURE)]


# ----- the command --------------------------------------------------------------------------


def test_command_lists_errors_with_lines_and_exits_1(capsys):
    name = "VLD_10000001_0105202412.XML"
    assert main(["validate", str(DATA / name)]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.strip().splitlines()
    assert lines[0] == (f"{name}: (file name): the timestamp in the file name must be "
                        "DDMMYYYYHHMM, not '0105202412'")
    assert f"{name}:24: record 3: ULN: fails its check digit" in lines
    assert lines[-1] == f"{name}: verification file, 4 records, 9 errors"


def test_command_json(capsys):
    assert main(["validate", "--json", str(DATA / "ACH_10000001_010520241200.TXT")]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == "ACH" and data["records"] == 8
    assert data["errors"][-1] == {"line": 9, "record": 7, "field": "AwardDate",
                                  "rule": "is before the DateOfBirth", "category": RULE}


def test_command_needs_no_credentials_and_sends_nothing(capsys):
    # the clean_environment fixture leaves no LRS_CLIENT_* settings and no config file
    assert main(["validate", str(DATA / "LRB_10000001_010520241200.XML"),
                 "--url", "http://127.0.0.1:9"]) == 0


def test_command_usage_errors_exit_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "LRB_10000001_010520241200.CSV")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert main(["validate"]) == 2


def test_the_xsd_is_taken_from_beside_a_local_wsdl(tmp_path, capsys):
    (tmp_path / "wsdl").mkdir()
    (tmp_path / "xsd").mkdir()
    shutil.copy(ROOT / "wsdl" / "lrs-native-v1.wsdl", tmp_path / "wsdl")
    xsd = (ROOT / "xsd" / "lrs-native-v1.xsd").read_text(encoding="utf-8")
    stricter = xsd.replace('<xs:maxLength value="128"/>', '<xs:maxLength value="1"/>')
    (tmp_path / "xsd" / "lrs-native-v1.xsd").write_text(stricter, encoding="utf-8")
    wsdl = str(tmp_path / "wsdl" / "lrs-native-v1.wsdl")
    assert rules.contract_xsd(wsdl) == tmp_path / "xsd" / "lrs-native-v1.xsd"
    path = DATA / "VLD_10000001_010520241200.CSV"
    assert main(["validate", str(path), "--wsdl", wsdl]) == 1  # MISIdentifier V1 too long now
    assert "MISIdentifier" in capsys.readouterr().out
    assert main(["validate", str(path)]) == 0


def test_the_xsd_is_found_in_an_installed_wheel_without_importing_it(tmp_path, monkeypatch):
    package = tmp_path / "site" / "lrs_soap"
    (package / "_bundled" / "xsd").mkdir(parents=True)
    (package / "__init__.py").write_text("raise ImportError('must not be imported')\n")
    shutil.copy(ROOT / "xsd" / "lrs-native-v1.xsd", package / "_bundled" / "xsd")

    class Spec:
        submodule_search_locations = [str(package)]

    real = rules.importlib.util.find_spec
    monkeypatch.setattr(rules.importlib.util, "find_spec",
                        lambda name, *a: Spec() if name == "lrs_soap" else real(name, *a))
    assert rules.contract_xsd(None) == package / "_bundled" / "xsd" / "lrs-native-v1.xsd"
    assert rules.contract_xsd("http://lrs.example/soap/v1?wsdl") == (
        package / "_bundled" / "xsd" / "lrs-native-v1.xsd")


def test_check_file_reports_the_batch_too():
    report = check_file(DATA / "ACH_10000001_010520241200.XML", TODAY)
    assert report.errors == [] and report.records == 3 and report.batch.kind.code == "ACH"


def test_validating_loads_only_the_servers_domain_package_and_the_faces_element_table():
    code = ("import sys; from lrs_client.cli import main; "
            f"rc = main(['validate', {str(DATA / 'ACH_10000001_010520241200.TXT')!r}]); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'lrs_soap'))")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "clients"), str(ROOT)])}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, check=True, cwd=ROOT)
    loaded = eval(result.stdout.strip().splitlines()[-1])  # noqa: S307  (our own output)
    assert "lrs_soap.domain.achievements" in loaded
    assert all(name in ("lrs_soap", "lrs_soap.domain", "lrs_soap.record_elements")
               or name.startswith("lrs_soap.domain.")
               for name in loaded), loaded


def test_the_validator_reads_an_achievement_by_the_native_faces_element_names():
    # One record form: the validator reads a file's Achievement as the native face reads one.
    from lrs_client.rules import ACHIEVEMENT_FIELDS

    from lrs_soap.soap.native.achievement_mapping import ACHIEVEMENT_ELEMENTS
    assert ACHIEVEMENT_FIELDS == ACHIEVEMENT_ELEMENTS
