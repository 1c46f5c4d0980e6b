"""Reading batch files (batchfiles.py) and building their SOAP message (batchmessage.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lrs_client import batchfiles as bf
from lrs_client.batchmessage import (
    MISSING,
    NS,
    build_message,
    field_and_rule,
    map_fault,
    schema_errors,
)
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(__file__).resolve().parent / "data"
XSD = etree.parse(str(ROOT / "xsd" / "lrs-native-v1.xsd"))
SCHEMA = etree.XMLSchema(XSD)
XS = "http://www.w3.org/2001/XMLSchema"
CREDENTIALS = {"UKPRN": "10000001", "UserName": "u", "OrgPassword": "p" * 16}

GOOD = {"LRB": "LRB_10000001_010520241200", "VLD": "VLD_10000001_010520241200",
        "ACH": "ACH_10000001_010520241200"}


def contract_elements(type_name: str) -> list[str]:
    declared = XSD.find(f"{{{XS}}}complexType[@name='{type_name}']")
    names = []
    extension = declared.find(f"{{{XS}}}complexContent/{{{XS}}}extension")
    if extension is not None:
        names += contract_elements(extension.get("base").split(":")[1])
        declared = extension
    return names + [e.get("name") for e in declared.iterfind(f"{{{XS}}}sequence/{{{XS}}}element")]


def lines_of(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def csv_file(tmp_path: Path, kind: bf.Kind, rows: list[dict[str, str]], *,
             header: list[str] | None = None, name: str | None = None) -> Path:
    header = header or [kind.version, "test", "10000001",
                        {"ACH": "FINAL"}.get(kind.code, "a@example.org")]
    text = ",".join(kind.fields) + "\r\n" + ",".join(header) + "\r\n"
    text += "".join(",".join(row.get(f, "") for f in kind.fields) + "\r\n" for row in rows)
    return write(tmp_path, name or f"{kind.code}_10000001_010520241200.CSV", text)


LEARNER = {"GivenName": "Ann", "FamilyName": "Smith", "LastKnownPostCode": "SW1A 1AA",
           "DateOfBirth": "2001-02-03", "Gender": "2", "VerificationType": "1",
           "AbilityToShare": "1"}


# ----- the kinds follow the contract --------------------------------------------------------


@pytest.mark.parametrize("kind", bf.KINDS.values(), ids=bf.KINDS)
def test_headings_are_the_record_types_elements_in_contract_order(kind):
    assert list(kind.fields) == contract_elements(kind.record_type)


def test_record_elements_and_limits_match_the_submit_operations():
    for kind in bf.KINDS.values():
        submit = XSD.find(f"{{{XS}}}element[@name='{kind.submit}']")
        records = submit.find(f".//{{{XS}}}element[@name='{kind.record}']")
        assert records.get("type") == f"tns:{kind.record_type}"
        assert records.get("maxOccurs") in (str(kind.limit), "unbounded")
        assert XSD.find(f"{{{XS}}}element[@name='{kind.get}']") is not None
    assert (bf.LRB.limit, bf.VLD.limit, bf.ACH.limit) == (200, 200, 10_000)


# ----- good files ---------------------------------------------------------------------------


@pytest.mark.parametrize("code", GOOD)
def test_csv_and_xml_samples_read_alike_and_cleanly(code):
    csv_batch = bf.read_batch_file(DATA / f"{GOOD[code]}.CSV", ukprn="10000001")
    xml_batch = bf.read_batch_file(DATA / f"{GOOD[code]}.XML", ukprn="10000001")
    for batch, fmt in ((csv_batch, "CSV"), (xml_batch, "XML")):
        assert batch.errors == []
        assert batch.kind is bf.KINDS[code] and batch.format == fmt
        assert batch.name_ukprn == "10000001"
        assert batch.header["FileVersion"] == batch.kind.version
    assert csv_batch.header == xml_batch.header
    assert [r.values for r in csv_batch.records] == [r.values for r in xml_batch.records]
    assert [r.number for r in csv_batch.records] == list(range(1, len(csv_batch.records) + 1))


def test_csv_records_know_their_lines_even_after_a_quoted_line_break():
    batch = bf.read_batch_file(DATA / "LRB_10000001_010520241200.CSV")
    assert [r.line for r in batch.records] == [3, 4, 6]  # record 2's Notes spans two lines
    assert batch.records[1].values["Notes"] == "first line\nsecond line, with a comma"
    assert batch.header_lines["ContactEmail"] == 2
    # empty cells are absent fields, kept in contract order
    assert list(batch.records[2].values) == ["GivenName", "FamilyName", "LastKnownPostCode",
                                             "DateOfBirth", "Gender", "VerificationType",
                                             "AbilityToShare", "ULN", "MISIdentifier"]


def test_xml_records_know_each_fields_line():
    batch = bf.read_batch_file(DATA / "LRB_10000001_010520241200.XML")
    text = lines_of(DATA / "LRB_10000001_010520241200.XML")
    record = batch.records[2]
    assert text[record.line - 1].strip() == "<Learner>"
    assert text[record.line_of("ULN") - 1].strip() == "<ULN>1234567899</ULN>"
    assert record.line_of("Title") == record.line  # absent: the record's line


def test_a_utf8_bom_and_trailing_blank_lines_and_empty_trailing_headings_are_fine(tmp_path):
    path = csv_file(tmp_path, bf.VLD, [{"ULN": "1234567899", "GivenName": "Ann",
                                        "FamilyName": "Smith"}])
    data = path.read_bytes().replace(b"Gender\r\n", b"Gender,,\r\n", 1)
    path.write_bytes(b"\xef\xbb\xbf" + data + b"\r\n,,,\r\n")
    batch = bf.read_batch_file(path)
    assert batch.errors == [] and len(batch.records) == 1


# ----- file names ---------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), [
    ("LRB_10000001_010520241200.CSV", []),
    ("LRB_A1B2C3D4_290220242359.XML", []),  # UKPRN letters and digits; a leap day
    ("LRB_10000001_010520241200.csv", ["extension must be upper case: .CSV"]),
    ("LRB_1000001_010520241200.CSV", ["UKPRN in the file name must be 8"]),
    ("LRB_10000001_300220241200.CSV", ["300220241200, is not a real date and time"]),
    ("LRB_10000001_010520242400.CSV", ["not a real date and time"]),
    ("LRB_10000001_0105202412.CSV", ["must be DDMMYYYYHHMM"]),
    ("LRB_10000001_010520241200.TXT", ["must be .CSV or .XML, not .TXT"]),
    ("XYZ_10000001_010520241200.CSV", ["must start LRB_, VLD_ or ACH_"]),
    ("learners.csv", ["the file name must be <LRB|VLD|ACH>_<UKPRN>_<DDMMYYYYHHMM>"]),
])
def test_file_name_rules(tmp_path, name, expected):
    source = DATA / "LRB_10000001_010520241200.CSV"
    path = tmp_path / name
    shutil.copy(source, path)
    batch = bf.read_batch_file(path)
    found = [e for e in batch.errors if e.category == bf.NAME]
    assert len(found) == len(expected), found
    for error, text in zip(found, expected, strict=True):
        assert text in error.rule
        assert (error.line, error.record, error.field) == (0, 0, bf.NAME_FIELD)
    assert batch.kind is bf.LRB  # from the name or, failing that, from the headings


def test_the_kind_comes_from_the_xml_root_when_the_name_does_not_say(tmp_path):
    path = tmp_path / "achievements.xml"
    shutil.copy(DATA / "ACH_10000001_010520241200.XML", path)
    batch = bf.read_batch_file(path)
    assert batch.kind is bf.ACH and batch.format == "XML" and len(batch.records) == 3


def test_a_file_of_no_known_kind_is_one_error(tmp_path):
    path = write(tmp_path, "data.csv", "a,b,c\r\n1,2,3\r\n")
    batch = bf.read_batch_file(path)
    assert batch.kind is None and not batch.readable
    assert [e.field for e in batch.errors] == [bf.NAME_FIELD, bf.NAME_FIELD]
    assert "cannot tell the kind" in batch.errors[-1].rule


def test_an_unreadable_file_raises(tmp_path):
    with pytest.raises(bf.FileUnreadable, match="cannot read"):
        bf.read_batch_file(tmp_path / "LRB_10000001_010520241200.CSV")


# ----- header record ------------------------------------------------------------------------


def test_header_rules(tmp_path):
    path = csv_file(tmp_path, bf.LRB, [LEARNER], header=["2B", "", "20000002"])
    batch = bf.read_batch_file(path, ukprn="10000001")
    found = {e.field: e.rule for e in batch.errors}
    assert all(e.category == bf.HEADER and e.line == 2 and e.record == 0
               for e in batch.errors)
    assert found["FileVersion"] == "must be 2A in a LRB file, not '2B'"
    assert "required" in found["FileName"] and "required" in found["ContactEmail"]
    assert found["UKPRN"] == "20000002 is not the UKPRN in the file name (10000001)"


def test_the_header_ukprn_must_be_the_submitting_organisations(tmp_path):
    path = csv_file(tmp_path, bf.VLD, [{"ULN": "1234567899", "GivenName": "A",
                                        "FamilyName": "B"}])
    assert bf.read_batch_file(path, ukprn="10000001").errors == []
    errors = bf.read_batch_file(path, ukprn="99999999").errors
    assert [(e.field, e.rule) for e in errors] == [
        ("UKPRN", "10000001 is not your organisation's UKPRN (99999999)")]


def test_achievement_submission_type_may_be_left_empty(tmp_path):
    path = csv_file(tmp_path, bf.ACH, [], header=["1A", "x", "10000001", ""])
    errors = bf.read_batch_file(path).errors
    assert [e.category for e in errors] == [bf.STRUCTURE]  # no records; header fine


def test_a_missing_header_row_and_extra_header_cells(tmp_path):
    path = write(tmp_path, "VLD_10000001_010520241200.CSV", ",".join(bf.VLD.fields) + "\r\n")
    errors = bf.read_batch_file(path).errors
    assert errors[0].line == 2 and "row 2 must hold the header record" in errors[0].rule
    path = csv_file(tmp_path, bf.VLD, [{"ULN": "1234567899", "GivenName": "A",
                                        "FamilyName": "B"}],
                    header=["1A", "x", "10000001", "a@example.org", "", "surplus"])
    errors = bf.read_batch_file(path).errors
    assert [(e.line, e.category) for e in errors] == [(2, bf.HEADER)]
    assert "1 more cell(s)" in errors[0].rule


# ----- headings -----------------------------------------------------------------------------


def test_headings_errors_are_listed_but_records_still_read(tmp_path):
    fields = list(bf.VLD.fields)
    headings = ["MISIdentifier", "uln", "GivenName", "FamilyName", "Gender", "Colour"]
    text = ",".join(headings) + "\r\n1A,x,10000001,a@example.org\r\n"
    text += "M1,1234567899,Ann,Smith,2,red\r\n"
    batch = bf.read_batch_file(write(tmp_path, "VLD_10000001_010520241200.CSV", text))
    found = [(e.line, e.field, e.category) for e in batch.errors]
    assert found == [(1, "ULN", bf.HEADINGS), (1, "Colour", bf.HEADINGS),
                     (1, "DateOfBirth", bf.HEADINGS)]
    assert "case-sensitive" in batch.errors[0].rule
    assert batch.records[0].values == {"MISIdentifier": "M1", "ULN": "1234567899",
                                       "GivenName": "Ann", "FamilyName": "Smith",
                                       "Gender": "2"}
    assert fields == list(bf.VLD.fields)


def test_headings_in_the_wrong_order(tmp_path):
    headings = list(bf.VLD.fields)
    headings[0], headings[1] = headings[1], headings[0]
    text = ",".join(headings) + "\r\n1A,x,10000001,a@example.org\r\n1234567899,M1,A,B,,\r\n"
    batch = bf.read_batch_file(write(tmp_path, "VLD_10000001_010520241200.CSV", text))
    assert [e.rule for e in batch.errors] == [
        "the headings must be in contract order: " + ", ".join(bf.VLD.fields)]
    assert batch.records[0].values["ULN"] == "1234567899"  # read by heading, not position


def test_a_row_longer_than_the_headings(tmp_path):
    path = csv_file(tmp_path, bf.VLD, [])
    with path.open("a", encoding="utf-8", newline="") as fh:
        fh.write("M1,1234567899,A,B,,,surplus\r\n")
    errors = bf.read_batch_file(path).errors
    assert [(e.line, e.record, e.category) for e in errors] == [(3, 1, bf.STRUCTURE)]


def test_invalid_utf8_and_broken_csv_quoting(tmp_path):
    path = csv_file(tmp_path, bf.VLD, [{"ULN": "1234567899", "GivenName": "A",
                                        "FamilyName": "B"}])
    path.write_bytes(path.read_bytes() + b"M2,1234567899,Ren\xe9,B,,\r\n")
    batch = bf.read_batch_file(path)
    assert not batch.readable and batch.errors[0].line == 4
    assert "not UTF-8" in batch.errors[0].rule
    path.write_text(path.read_text(encoding="latin-1").replace("Ren\xe9", '"Rene'),
                    encoding="utf-8")
    batch = bf.read_batch_file(path)
    assert not batch.readable and "not valid CSV" in batch.errors[0].rule


def test_control_characters_are_reported_and_removed(tmp_path):
    path = csv_file(tmp_path, bf.VLD, [{"ULN": "1234567899", "GivenName": "A\x01nn",
                                        "FamilyName": "B"}])
    batch = bf.read_batch_file(path)
    assert [(e.record, e.field) for e in batch.errors] == [(1, "GivenName")]
    assert batch.records[0].values["GivenName"] == "Ann"


# ----- counts -------------------------------------------------------------------------------


def test_no_records(tmp_path):
    errors = bf.read_batch_file(csv_file(tmp_path, bf.LRB, [])).errors
    assert [(e.line, e.record, e.field, e.category) for e in errors] == [
        (3, 0, "Learner", bf.STRUCTURE)]


def test_more_records_than_the_limit(tmp_path):
    batch = bf.read_batch_file(csv_file(tmp_path, bf.LRB, [LEARNER] * 202))
    assert batch.total_records == 202 and len(batch.records) == 200
    assert [(e.line, e.record, e.category) for e in batch.errors] == [(203, 201, bf.STRUCTURE)]
    assert "202 records" in batch.errors[0].rule and "at most 200" in batch.errors[0].rule


# ----- XML ----------------------------------------------------------------------------------


XML_HEAD = ('<?xml version="1.0"?>\n<VLDBatch><Header><FileVersion>1A</FileVersion>'
            '<FileName>x</FileName><UKPRN>10000001</UKPRN>'
            '<ContactEmail>a@example.org</ContactEmail></Header>\n')


def test_xml_with_a_doctype_or_entities_is_refused(tmp_path):
    text = ('<?xml version="1.0"?>\n<!DOCTYPE VLDBatch [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
            "\n<VLDBatch><Header/>&e;</VLDBatch>\n")
    batch = bf.read_batch_file(write(tmp_path, "VLD_10000001_010520241200.XML", text))
    assert not batch.readable and batch.records == []
    assert len(batch.errors) == 1
    assert "root" not in batch.errors[0].rule
    assert "passwd" not in repr(batch)


def test_malformed_xml_names_its_line(tmp_path):
    text = XML_HEAD + "<Learner><ULN>1234567899</ULN>\n<GivenName>A</FamilyName></Learner>"
    batch = bf.read_batch_file(write(tmp_path, "VLD_10000001_010520241200.XML", text))
    assert not batch.readable
    assert batch.errors[0].line == 4 and "not well-formed" in batch.errors[0].rule


def test_xml_structure_errors(tmp_path):
    text = (XML_HEAD + "<Learner><ULN>1234567899</ULN><ULN>2</ULN><GivenName><b>A</b>"
            "</GivenName><FamilyName>B</FamilyName></Learner>\n<Other/>\n"
            '<Learner xmlns:x="urn:x"><x:ULN>1</x:ULN><FamilyName>B</FamilyName></Learner>\n'
            "</VLDBatch>")
    batch = bf.read_batch_file(write(tmp_path, "VLD_10000001_010520241200.XML", text))
    found = [(e.line, e.record, e.field) for e in batch.errors]
    assert found == [(3, 1, "ULN"), (3, 1, "GivenName"), (4, 0, "Other"),
                     (5, 2, "{urn:x}ULN")]
    assert [r.values for r in batch.records] == [
        {"ULN": "1234567899", "FamilyName": "B"}, {"FamilyName": "B"}]


def test_xml_root_must_match_the_file_name(tmp_path):
    text = XML_HEAD.replace("VLDBatch", "ACHBatch") + "</ACHBatch>"
    batch = bf.read_batch_file(write(tmp_path, "VLD_10000001_010520241200.XML", text))
    assert not batch.readable
    assert batch.errors[0].rule == "the root element must be <VLDBatch>, not <ACHBatch>"


# ----- the message --------------------------------------------------------------------------


@pytest.mark.parametrize("code", GOOD)
def test_the_message_is_schema_valid_with_one_record_a_line(code):
    batch = bf.read_batch_file(DATA / f"{GOOD[code]}.CSV")
    message = build_message(batch, CREDENTIALS)
    text = message.data.decode("utf-8").splitlines()
    envelope = etree.fromstring(message.data)
    body = envelope[0][0]
    assert body.tag == f"{{{NS}}}{batch.kind.submit}"
    SCHEMA.assertValid(body)
    assert schema_errors(message, SCHEMA) == []
    records = body.findall(f"{{{NS}}}{batch.kind.record}")
    assert len(records) == len(batch.records)
    for element, record in zip(records, batch.records, strict=True):
        assert message.places[element.sourceline].record is record
        assert text[element.sourceline - 1].startswith(f"<tns:{batch.kind.record}>")
        assert text[element.sourceline - 1].endswith(f"</tns:{batch.kind.record}>")
        assert {etree.QName(f).localname: f.text for f in element} == record.values
    assert message.records == tuple(batch.records)


def test_line_breaks_in_values_stay_on_the_records_line():
    batch = bf.read_batch_file(DATA / "LRB_10000001_010520241200.CSV")
    message = build_message(batch, CREDENTIALS)
    assert b"first line&#10;second line" in message.data
    body = etree.fromstring(message.data)[0][0]
    notes = body.find(f".//{{{NS}}}Notes")
    assert notes.text == "first line\nsecond line, with a comma"
    lines = [e.sourceline for e in body.iterfind(f"{{{NS}}}Learner")]
    assert lines == list(range(lines[0], lines[0] + 3))


def test_operation_elements_per_kind():
    lrb = build_message(bf.read_batch_file(DATA / "LRB_10000001_010520241200.XML"),
                        CREDENTIALS, job_type="CHK")
    body = etree.fromstring(lrb.data)[0][0]
    assert [etree.QName(c).localname for c in body][:3] == [
        "Credentials", "JobType", "LearnerRecordCount"]
    assert body.findtext(f"{{{NS}}}JobType") == "CHK"
    assert body.findtext(f"{{{NS}}}LearnerRecordCount") == "3"
    assert body.findtext(f"{{{NS}}}Credentials/{{{NS}}}UKPRN") == "10000001"

    vld = build_message(bf.read_batch_file(DATA / "VLD_10000001_010520241200.XML"),
                        CREDENTIALS)
    body = etree.fromstring(vld.data)[0][0]
    assert body.findtext(f"{{{NS}}}OrgEmail") == "exams@ao.example.org"
    email_line = body.find(f"{{{NS}}}OrgEmail").sourceline
    assert vld.places[email_line].header == "ContactEmail"

    batch = bf.read_batch_file(DATA / "ACH_10000001_010520241200.CSV")
    ach = build_message(batch, CREDENTIALS)
    body = etree.fromstring(ach.data)[0][0]
    assert body.findtext(f"{{{NS}}}SubmissionType") == "FINAL"
    assert body.findtext(f"{{{NS}}}RecordCount") == "3"
    batch.header.pop("SubmissionType")
    body = etree.fromstring(build_message(batch, CREDENTIALS,
                                          submission_type="PROVISIONAL").data)[0][0]
    assert body.findtext(f"{{{NS}}}SubmissionType") == "PROVISIONAL"


@pytest.mark.parametrize(("text", "expected"), [
    ("Element 'ULN': [facet 'pattern'] The value '1' is not accepted by the pattern 'x'.",
     ("ULN", "[facet 'pattern'] The value '1' is not accepted by the pattern 'x'.")),
    ("Element 'LastKnownPostCode': This element is not expected. Expected is one of "
     "( MiddleOtherName, FamilyName ).", ("FamilyName", MISSING)),
    ("Element 'FamilyName': This element is not expected. Expected is ( GivenName ).",
     ("GivenName", MISSING)),
    ("Element 'Learner': Missing child element(s). Expected is one of ( "
     "{urn:lrs-soap:native:v1}OtherVerificationDescription, "
     "{urn:lrs-soap:native:v1}AbilityToShare ).", ("AbilityToShare", MISSING)),
    ("Element 'Learner': This element is not expected.",
     ("Learner", "This element is not expected.")),
    ("something else", ("", "something else")),
])
def test_field_and_rule(text, expected):
    assert field_and_rule(text) == expected


def test_fault_lines_map_to_records_and_header_fields():
    batch = bf.read_batch_file(DATA / "VLD_10000001_010520241200.XML")
    message = build_message(batch, CREDENTIALS)
    places = {place.element or "": line for line, place in message.places.items()}
    record_lines = [line for line, place in message.places.items() if place.record]
    details = "\n".join([
        f"line {record_lines[1]}: Element 'DateOfBirth': 'x' is not a valid value of the "
        "atomic type 'Date'.",
        f"line {places['OrgEmail']}: Element 'OrgEmail': [facet 'pattern'] bad",
        f"line {places['Credentials']}: Element 'UKPRN': [facet 'pattern'] bad",
        "... and 3 more",
    ])
    mapped = map_fault(details, message)
    text = lines_of(DATA / "VLD_10000001_010520241200.XML")
    first = mapped[0]
    assert (first.record, first.field, first.category) == (2, "DateOfBirth", bf.SCHEMA)
    assert text[first.line - 1].strip() == "<Learner>"  # record 2 has no DateOfBirth
    assert (mapped[1].line, mapped[1].record, mapped[1].field) == (
        batch.header_lines["ContactEmail"], 0, "ContactEmail")
    assert (mapped[2].line, mapped[2].record, mapped[2].field) == (0, 0, "UKPRN")
    assert (mapped[3].line, mapped[3].rule) == (0, "... and 3 more")
