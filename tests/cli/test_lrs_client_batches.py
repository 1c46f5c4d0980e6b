"""The batch commands of lrs-client against a fake transport that behaves like the server.

The fake validates each request body against xsd/lrs-native-v1.xsd as the server does: an
invalid one is answered with the server's WSEC0001 fault ("line N: Element 'X': why", one a
line); a valid one with the next canned reply (schema-valid too). So a submit goes
Submit*Batch -> WSRC0007, then Get*Batch -> WSRC0008 ... -> WSRC0009.
"""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from lrs_client.batches import server_errors
from lrs_client.batchfiles import ACH, LRB, RULE, read_batch_file
from lrs_client.batchmessage import build_message, plain
from lrs_client.cli import main
from lxml import etree

from tests.cli.test_lrs_client import (  # noqa: F401  (clean_environment: autouse fixture)
    CREDS,
    NS,
    SOAP_ENV,
    FakeTransport,
    _q,
    clean_environment,
    fault_reply,
)
from tests.cli.test_lrs_client import SCHEMA as CONTRACT
from tests.cli.test_lrs_client_identity import reply

DATA = Path(__file__).resolve().parent / "data"
LRB_FILE = "LRB_10000001_010520241200.CSV"
VLD_FILE = "VLD_10000001_010520241200.XML"
ACH_FILE = "ACH_10000001_010520241200.CSV"
SETTINGS_CREDENTIALS = {"UKPRN": "10000001", "OrganisationRef": None, "UserName": "flag-user",
                        "OrgPassword": "flagpassword0001"}
TIMES = [("SubmittedDateTime", "2024-05-01T12:00:00Z"),
         ("JobStartedDateTime", "2024-05-01T12:00:01Z")]
FINISHED = ("JobFinishedDateTime", "2024-05-01T12:00:05Z")


class BatchFake(FakeTransport):
    """Answers POSTs from a queue; an invalid request gets the server's WSEC0001 fault."""

    def __init__(self, *replies: tuple[int, bytes]) -> None:
        super().__init__()
        self.queue = list(replies)
        self.raw: list[bytes] = []

    def post(self, address, message, headers):
        self.raw.append(message)
        body = etree.fromstring(message).find(f"{{{SOAP_ENV}}}Body")[0]
        self.posts.append((address, body, dict(headers)))
        if CONTRACT.validate(body):
            self.reply = self.queue.pop(0)
        else:  # as lrs_soap.soap.native.app does it
            details = "\n".join(f"line {e.line}: {plain(e.message)}" for e in CONTRACT.error_log)
            self.reply = fault_reply("WSEC0001", "Invalid request, the request was badly formed",
                                     details)
        return self.respond(address)

    def operations(self) -> list[str]:
        return [etree.QName(body).localname for _, body, _ in self.posts]


def submitted(operation: str, code: str = "WSRC0007", job_id: str | None = "42",
              reason: str | None = None) -> tuple[int, bytes]:
    items = [("ResponseCode", code)] + ([("JobID", job_id)] if job_id else [])
    return reply(operation, items + ([("Reason", reason)] if reason else []))


def progress(operation: str, code: str, status: str, total: int, done: int,
             *extra: tuple) -> tuple[int, bytes]:
    items = [("ResponseCode", code), ("JobID", "42"), ("JobStatus", status),
             ("NumberOfRecords", str(total)), ("RecordsProcessed", str(done)), *TIMES]
    if status in ("successful", "failed"):
        items.append(FINISHED)
    return reply(operation, items + list(extra))


def learner_results() -> list[tuple]:
    return [
        ("NewLearnersCount", "1"), ("ExistsUpdatedLearnersCount", "1"),
        ("PossibleMatchLearnersCount", "1"), ("LearnersNotFoundCount", "0"),
        ("RejectedLearnersCount", "0"),
        ("Learner", [("RecordNumber", "1"), ("MISIdentifier", "A1"), ("ReturnCode", "WSRC0005"),
                     ("ULN", "5234567892")]),
        ("Learner", [("RecordNumber", "2"), ("MISIdentifier", "A2"), ("ReturnCode", "WSRC0003"),
                     ("PossibleMatchULN", "3234567890"), ("PossibleMatchULN", "4234567891")]),
        ("Learner", [("RecordNumber", "3"), ("MISIdentifier", "A3"), ("ReturnCode", "WSRC0004"),
                     ("ULN", "1234567899")]),
    ]


def learner_job(*final: tuple) -> BatchFake:
    return BatchFake(
        submitted("SubmitLearnerBatch"),
        progress("GetLearnerBatch", "WSRC0008", "waiting", 3, 0),
        progress("GetLearnerBatch", "WSRC0008", "in_progress", 3, 1),
        progress("GetLearnerBatch", "WSRC0009", "successful", 3, 3, *(final or learner_results())),
    )


@pytest.fixture
def copy(tmp_path):
    def copy_(name: str, text: str | None = None, as_name: str | None = None) -> Path:
        path = tmp_path / (as_name or name)
        if text is None:
            shutil.copy(DATA / name, path)
        else:
            path.write_text(text, encoding="utf-8", newline="")
        return path
    return copy_


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def submit(kind: str, path: Path, *extra: str, transport: FakeTransport) -> int:
    return main(CREDS + [f"submit-{kind}-batch", str(path), "--poll", "0", *extra],
                transport=transport)


# ----- submit, poll, results ----------------------------------------------------------------


def test_submit_learner_batch_polls_and_writes_the_results(copy, capsys):
    path = copy(LRB_FILE)
    fake = learner_job()
    assert submit("learner", path, transport=fake) == 0

    assert fake.operations() == ["SubmitLearnerBatch"] + ["GetLearnerBatch"] * 3
    _, body, headers = fake.posts[0]
    assert headers["SOAPAction"] == '"urn:lrs-soap:native:v1/SubmitLearnerBatch"'
    assert body.findtext(_q("JobType")) == "FUL"
    assert body.findtext(_q("LearnerRecordCount")) == "3"
    # the very bytes validate checks: one record a line, the settings' credentials
    expected = build_message(read_batch_file(path), SETTINGS_CREDENTIALS)
    assert fake.raw[0] == expected.data
    assert all(b.findtext(_q("JobID")) == "42" for _, b, _ in fake.posts[1:])

    results = path.with_name("LRB_10000001_010520241200.results.csv")
    assert read_csv(results) == [
        ["RecordNumber", "MISIdentifier", "ReturnCode", "ULN", "PossibleMatchULN", "Reason"],
        ["1", "A1", "WSRC0005", "5234567892", "", ""],
        ["2", "A2", "WSRC0003", "", "3234567890 4234567891", ""],
        ["3", "A3", "WSRC0004", "1234567899", "", ""],
    ]
    assert results.stat().st_mode & 0o077 == 0
    out, err = capsys.readouterr()
    assert "ResponseCode: WSRC0009 (batch successful)" in out
    assert "JobID 42: successful, 3 of 3 records processed" in out
    for counter in ("NewLearnersCount", "PossibleMatchLearnersCount", "RejectedLearnersCount"):
        assert counter in out
    assert f"written: {results}" in out
    assert "submitted as job 42" in err and "3/3" in err  # the progress bar, on stderr


def test_check_and_output_options(copy, tmp_path):
    fake = learner_job()
    output = tmp_path / "out.csv"
    assert submit("learner", copy(LRB_FILE), "--check", "--output", str(output),
                  transport=fake) == 0
    assert fake.posts[0][1].findtext(_q("JobType")) == "CHK"
    assert read_csv(output)[1][:3] == ["1", "A1", "WSRC0005"]


def test_json_prints_the_final_reply(copy, capsys):
    assert main(["--json"] + CREDS + ["submit-learner-batch", str(copy(LRB_FILE)),
                                      "--poll", "0"], transport=learner_job()) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["ResponseCode"] == "WSRC0009" and data["NewLearnersCount"] == 1
    assert data["Learner"][1]["PossibleMatchULN"] == ["3234567890", "4234567891"]
    assert "records" not in err  # no progress bar in JSON mode


def test_no_wait_prints_the_job_id_only(copy, capsys):
    fake = BatchFake(submitted("SubmitVerifyBatch", job_id="7"))
    assert submit("verify", copy(VLD_FILE), "--no-wait", transport=fake) == 0
    out, err = capsys.readouterr()
    assert out == "7\n"
    assert "lrs-client get-batch verify 7" in err
    assert fake.operations() == ["SubmitVerifyBatch"]
    assert fake.posts[0][1].findtext(_q("OrgEmail")) == "exams@ao.example.org"


def test_a_job_still_running_at_the_timeout_exits_4(copy, capsys):
    fake = BatchFake(submitted("SubmitLearnerBatch"),
                     progress("GetLearnerBatch", "WSRC0008", "in_progress", 3, 2))
    assert submit("learner", copy(LRB_FILE), "--job-timeout", "0", transport=fake) == 4
    out, _ = capsys.readouterr()
    assert "WSRC0008" in out and "lrs-client get-batch learner 42" in out
    assert fake.operations() == ["SubmitLearnerBatch", "GetLearnerBatch"]


def test_a_failed_job_exits_1_with_its_reason(copy, capsys):
    fake = BatchFake(submitted("SubmitLearnerBatch"),
                     progress("GetLearnerBatch", "WSRC0010", "failed", 3, 1,
                              ("FailureReason", "processing failed 3 times")))
    path = copy(LRB_FILE)
    assert submit("learner", path, transport=fake) == 1
    out, _ = capsys.readouterr()
    assert "WSRC0010 (batch failed)" in out and "processing failed 3 times" in out
    assert not path.with_name("LRB_10000001_010520241200.results.csv").exists()


def test_a_refused_submission_exits_1(copy, capsys):
    fake = BatchFake(submitted("SubmitAchievementBatch", "WSRC0043", job_id=None,
                               reason="only awarding organisations submit achievements"))
    assert submit("achievement", copy(ACH_FILE), transport=fake) == 1
    out, _ = capsys.readouterr()
    assert "WSRC0043" in out and "only awarding organisations" in out
    assert fake.operations() == ["SubmitAchievementBatch"]


# ----- faults and file errors ---------------------------------------------------------------


BAD_LEARNERS = (
    ",".join(LRB.fields) + "\r\n2A,x,10000001,a@example.org\r\n"
    + ",Ann,,Smith,,,,,,,,,SW1A 1AA,,2001-02-03,,2,,,,1,,1,,,M1\r\n"
    + ",Bob,,,,,,,,,,,CV4 9EE,,2001-02-30,,2,,,,1,,1,,,M2\r\n"
    + ",Cara,,Brown,,,,,,,,,LS2 9JT,,2001-02-03,,5,,,,1,,1,,,M3\r\n"
)


def test_a_file_validate_faults_is_refused_with_validates_full_list(copy, capsys):
    path = copy(LRB_FILE, BAD_LEARNERS)
    fake = BatchFake()
    assert submit("learner", path, transport=fake) == 1
    out, err = capsys.readouterr()
    assert out == "" and fake.posts == []  # nothing was sent
    assert err.splitlines() == [
        f"{path.name}:4: record 2: FamilyName: is required but missing",
        f"{path.name}:4: record 2: DateOfBirth: '2001-02-30' is not a valid value of the atomic "
        "type 'Date'.",
        f"{path.name}:5: record 3: Gender: [facet 'enumeration'] The value '5' is not an "
        "element of the set {'0', '1', '2', '9'}.",
        f"{path.name}: learner registration file, 3 records, 3 errors: not submitted (check "
        "it with lrs-client validate)",
    ]
    # exactly validate's list: schema, field and rule errors alike
    assert main(["validate", str(path)]) == 1
    listed = capsys.readouterr().out.splitlines()
    assert listed[:-1] == err.splitlines()[:-1]


def test_a_refused_file_in_json(copy, capsys):
    path = copy(LRB_FILE, BAD_LEARNERS)
    fake = BatchFake()
    assert main(["--json"] + CREDS + ["submit-learner-batch", str(path)], transport=fake) == 1
    data = json.loads(capsys.readouterr().out)
    assert fake.posts == [] and "fault" not in data
    assert [(e["line"], e["record"], e["field"]) for e in data["errors"]] == [
        (4, 2, "FamilyName"), (4, 2, "DateOfBirth"), (5, 3, "Gender")]


def test_a_schema_fault_the_client_did_not_foresee_is_shown_at_the_files_lines(copy, capsys):
    """A server whose contract differs from the client's copy: its WSEC0001 is mapped back."""
    path = copy(LRB_FILE)
    details = "line 7: Element 'Gender': [facet 'enumeration'] The value '2' is not allowed."
    fake = BatchFake(fault_reply("WSEC0001", "Invalid request, the request was badly formed",
                                 details))
    assert submit("learner", path, transport=fake) == 1
    out, err = capsys.readouterr()
    assert fake.operations() == ["SubmitLearnerBatch"]
    assert err.splitlines() == [
        "WSEC0001: Invalid request, the request was badly formed",
        f"{path.name}:4: record 2: Gender: [facet 'enumeration'] The value '2' is not allowed.",
    ]


def test_other_faults_are_shown_as_they_are(copy, capsys):
    fake = BatchFake(fault_reply())
    assert submit("learner", copy(LRB_FILE), transport=fake) == 1
    assert "WSEC0005: Incorrect organisation password" in capsys.readouterr().err


def test_a_file_with_errors_is_not_sent(copy, capsys):
    path = copy("LRB_1000001_310220241200.csv")
    fake = BatchFake()
    assert submit("learner", path, transport=fake) == 1
    out, err = capsys.readouterr()
    assert out == "" and fake.posts == [] and fake.loaded == []
    assert f"{path.name}:1: GivenName: column 2" in err
    assert err.strip().endswith("not submitted (check it with lrs-client validate)")


def test_the_header_ukprn_must_be_the_callers(copy, capsys):
    fake = BatchFake()
    argv = ["--ukprn", "20000002", "--user", "u", "--password", "p" * 16,
            "submit-learner-batch", str(copy(LRB_FILE))]
    assert main(argv, transport=fake) == 1
    assert "10000001 is not your organisation's UKPRN (20000002)" in capsys.readouterr().err
    assert fake.posts == []


def test_usage_errors_exit_2(copy, tmp_path, capsys):
    assert submit("learner", tmp_path / "LRB_10000001_010520241200.CSV",
                  transport=BatchFake()) == 2
    assert "cannot read" in capsys.readouterr().err
    assert submit("verify", copy(LRB_FILE), transport=BatchFake()) == 2
    assert "use submit-learner-batch" in capsys.readouterr().err
    assert submit("achievement", copy(ACH_FILE), "--provisional", transport=BatchFake()) == 2
    assert "header says SubmissionType FINAL" in capsys.readouterr().err
    assert main(CREDS + ["get-batch", "grades", "1"]) == 2


# ----- the other kinds ----------------------------------------------------------------------


def test_submit_verify_batch_writes_flags(copy):
    fake = BatchFake(
        submitted("SubmitVerifyBatch"),
        progress("GetVerifyBatch", "WSRC0009", "successful", 2, 2,
                 ("VerifiedLearner", [("RecordNumber", "1"), ("MISIdentifier", "V1"),
                                      ("SearchedULN", "1234567899"), ("ResponseCode", "WSVRC001")]),
                 ("VerifiedLearner", [("RecordNumber", "2"), ("MISIdentifier", "V2"),
                                      ("SearchedULN", "3234567890"), ("ResponseCode", "WSVRC005"),
                                      ("FailureFlag", "VRF1"), ("FailureFlag", "VRF7")])))
    path = copy(VLD_FILE)
    assert submit("verify", path, transport=fake) == 0
    assert read_csv(path.with_name("VLD_10000001_010520241200.results.csv")) == [
        ["RecordNumber", "MISIdentifier", "SearchedULN", "ResponseCode", "FailureFlag",
         "Reason"],
        ["1", "V1", "1234567899", "WSVRC001", "", ""],
        ["2", "V2", "3234567890", "WSVRC005", "VRF1 VRF7", ""],
    ]


ACH_COUNTERS = [("AchievementsCreated", "1"), ("AchievementsUpdated", "0"),
                ("AchievementsWithdrawn", "1"), ("AchievementsReinstated", "0"),
                ("AchievementsPromotedToFinal", "0"), ("RejectedRecords", "1")]
ACH_ERROR = ("Error", [("RecordNumber", "2"), ("MISIdentifier", "C2"), ("Field", "ULN"),
                       ("Rule", "is not the ULN of a known learner")])


def test_submit_achievement_batch_writes_results_and_errors(copy, capsys):
    text = (DATA / ACH_FILE).read_text(encoding="utf-8").replace(",FINAL", ",")
    path = copy(ACH_FILE, text)
    fake = BatchFake(submitted("SubmitAchievementBatch"),
                     progress("GetAchievementBatch", "WSRC0009", "successful", 3, 3,
                              *ACH_COUNTERS, ACH_ERROR))
    assert submit("achievement", path, "--provisional", transport=fake) == 0
    assert fake.posts[0][1].findtext(_q("SubmissionType")) == "PROVISIONAL"
    assert read_csv(path.with_name("ACH_10000001_010520241200.results.csv")) == [
        ["RecordNumber", "MISIdentifier", "Action", "Result"],
        ["1", "C1", "CREATE", "accepted"], ["2", "C2", "UPDATE", "rejected"],
        ["3", "C3", "WITHDRAW", "accepted"]]
    assert read_csv(path.with_name("ACH_10000001_010520241200.errors.csv")) == [
        ["RecordNumber", "MISIdentifier", "Field", "Rule"],
        ["2", "C2", "ULN", "is not the ULN of a known learner"]]
    out = capsys.readouterr().out
    assert "AchievementsCreated" in out and "RejectedRecords" in out


def test_the_header_submission_type_is_sent_by_default(copy):
    fake = BatchFake(submitted("SubmitAchievementBatch"),
                     progress("GetAchievementBatch", "WSRC0009", "successful", 3, 3,
                              *ACH_COUNTERS))
    assert submit("achievement", copy(ACH_FILE), transport=fake) == 0
    assert fake.posts[0][1].findtext(_q("SubmissionType")) == "FINAL"


# ----- get-batch ----------------------------------------------------------------------------


def test_get_batch_prints_the_results(capsys):
    fake = BatchFake(progress("GetLearnerBatch", "WSRC0009", "successful", 3, 3,
                              *learner_results()))
    assert main(CREDS + ["get-batch", "learner", "42"], transport=fake) == 0
    out = capsys.readouterr().out
    assert "3 results" in out and "5234567892" in out and "WSRC0003" in out


def test_get_batch_waits_and_writes_the_achievement_errors(tmp_path):
    fake = BatchFake(progress("GetAchievementBatch", "WSRC0008", "in_progress", 3, 1),
                     progress("GetAchievementBatch", "WSRC0009", "successful", 3, 3,
                              *ACH_COUNTERS, ACH_ERROR))
    output = tmp_path / "errors.csv"
    argv = CREDS + ["get-batch", "ACH", "42", "--wait", "--poll", "0", "--output", str(output)]
    assert main(argv, transport=fake) == 0
    assert fake.operations() == ["GetAchievementBatch"] * 2
    assert read_csv(output)[1] == ["2", "C2", "ULN", "is not the ULN of a known learner"]


def test_get_batch_of_an_unknown_job_exits_1(capsys):
    fake = BatchFake(reply("GetVerifyBatch", [("ResponseCode", "WSRC0018")]))
    assert main(CREDS + ["get-batch", "verify", "9"], transport=fake) == 1
    assert "WSRC0018 (unknown job)" in capsys.readouterr().out


# ----- the server's verdicts as file errors -------------------------------------------------


def test_server_errors_map_to_file_records():
    batch = read_batch_file(DATA / "LRB_10000001_010520241200.XML")
    sent = build_message(batch, SETTINGS_CREDENTIALS).records[1:]  # say record 1 was left out
    data = {"Learner": [
        {"RecordNumber": 1, "ReturnCode": "RC011",
         "Reason": "DateOfBirth must not be in the future; OtherVerificationDescription is "
                   "required when VerificationType is 999"},
        {"RecordNumber": 2, "ReturnCode": "RC011", "Reason": "ULN 1234567890 fails its check "
                                                             "digit"},
        {"RecordNumber": 2, "ReturnCode": "WSRC0004"}]}
    found = server_errors(LRB, data, sent)
    assert [(e.record, e.field, e.category) for e in found] == [
        (2, "DateOfBirth", RULE), (2, "OtherVerificationDescription", RULE), (3, "ULN", RULE)]
    assert found[2].line == batch.records[2].line_of("ULN")
    errors = server_errors(ACH, {"Error": [{"RecordNumber": 4, "Field": "Grade",
                                            "Rule": "is required for CREATE"}]})
    assert [e.key() for e in errors] == [(4, "Grade")]


def test_the_fault_lines_of_the_message_name_its_records():
    """The server counts lines in the request it received: the message as built."""
    batch = read_batch_file(DATA / "LRB_10000001_010520241200.CSV")
    message = build_message(batch, SETTINGS_CREDENTIALS)
    body = etree.fromstring(message.data).find(f"{{{SOAP_ENV}}}Body")[0]
    for element, record in zip(body.iterfind(f"{{{NS}}}Learner"), batch.records, strict=True):
        assert message.places[element.sourceline].record is record
