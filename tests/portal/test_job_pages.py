"""A job's page: a job that failed says why; one that did not fail has no "Failure" row
(it used to read "Failure: None")."""

from __future__ import annotations

import csv
import io
import random

import pytest

from lrs_soap.domain.batches import JobKind
from lrs_soap.entrypoints.batch_files import check_batch_file
from lrs_soap.portal.app import PortalConfig, create_portal
from lrs_soap.service import batches
from lrs_soap.service.batches import RetryPolicy, RunSettings, run_next_job
from tests.portal.conftest import COLLEGE, csrf_token, signed_in, text

FILE = "\n".join([
    "MISIdentifier,ULN,GivenName,FamilyName,DateOfBirth,Gender",
    "1A,Exam entries,10000001,exams@college.example.org",
    "V1,1026893096,Sam,Example,2000-01-31,2",
]) + "\n"


@pytest.fixture(scope="module")
def app(services):
    """The portal as served, with the batch file checker (the shared app has none)."""
    app = create_portal(services, PortalConfig(secret_key="k" * 32, file_checker=check_batch_file))
    app.config["TESTING"] = True
    return app


def submitted_job(client, name: str, file: str = FILE) -> str:
    answer = client.post("/batches/upload", data={
        "batch_file": (io.BytesIO(file.encode()), name),
        "csrf_token": csrf_token(client, "/batches/upload")},
        content_type="multipart/form-data")
    assert answer.status_code == 302, text(answer)[:500]
    return answer.headers["Location"].removeprefix("/portal")  # the test client has no mount


def run_one(services) -> None:
    run_next_job(services, RunSettings("test", retry=RetryPolicy(), sleep=lambda _: None,
                                       rng=random.Random(1)))


def test_a_successful_job_shows_no_failure(app, services):
    client = signed_in(app, COLLEGE)
    job_page = submitted_job(client, "VLD_10000001_010520241300.CSV")
    run_one(services)
    page = text(client.get(job_page))
    assert "Status Successful" in page
    assert "Failure" not in page


def test_a_failed_job_says_why(app, services, monkeypatch):
    client = signed_in(app, COLLEGE)
    job_page = submitted_job(client, "VLD_10000001_010520241301.CSV")

    def broken(*_):
        raise ValueError("a bug in the verifier")

    monkeypatch.setitem(batches.PROCESSORS, JobKind.VERIFICATION, broken)
    run_one(services)
    page = text(client.get(job_page))
    assert "Status Failed" in page
    assert "Failure processing failed: ValueError" in page


def csv_rows(answer) -> list[list[str]]:
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(answer.get_data(as_text=True))))


def test_output_and_error_files_list_the_fields_in_the_batch_files_order(app, services):
    client = signed_in(app, COLLEGE)
    file = "\n".join([
        "MISIdentifier,ULN,GivenName,FamilyName,DateOfBirth,Gender",
        "1A,Exam entries,10000001,exams@college.example.org",
        "V1,1026893096,Sam,Example,2000-01-31,",
        "V2,1026893096,Sam,Exampel,2099-01-31,2",
    ]) + "\n"
    job_page = submitted_job(client, "VLD_10000001_010520241302.CSV", file)
    assert client.get(f"{job_page}/output.csv").status_code == 404  # not finished yet
    run_one(services)
    output = csv_rows(client.get(f"{job_page}/output.csv"))
    header = output[0]
    # the verification file's columns, in its order, the one sent empty too
    assert header == ["Record", "Outcome", "MISIdentifier", "ULN", "GivenName", "FamilyName",
                      "DateOfBirth", "Gender", *header[8:]]
    assert header[-1] == "Errors"
    assert [row[:6] for row in output[1:]] == [["1", output[1][1], "V1", "1026893096", "Sam",
                                                "Example"], ["2", output[2][1], "V2",
                                                             "1026893096", "Sam", "Exampel"]]
    assert output[1][header.index("Gender")] == ""
    assert output[2][header.index("FailureFlags")] == "VRF7"  # a list, one cell
    assert header.count("MISIdentifier") == 1  # the outcome's copy is not a second column
    errors = csv_rows(client.get(f"{job_page}/errors.csv"))
    assert errors == [[*header[:8], "Errors"]]  # the same columns; no record was refused


def test_a_registration_jobs_output_gives_the_uln_it_issued(app, services):
    from lrs_client.batchkinds import LRB

    from lrs_soap.domain.uln import is_valid

    sent = {"GivenName": "Ada", "FamilyName": "Newlearner", "DateOfBirth": "2001-02-03",
            "Gender": "2", "LastKnownPostCode": "ZZ9 9ZZ", "MISIdentifier": "R1",
            "VerificationType": "1", "AbilityToShare": "1"}
    file = "\n".join([",".join(LRB.fields), "2A,Learners,10000001,exams@college.example.org",
                      ",".join(sent.get(name, "") for name in LRB.fields)]) + "\n"
    client = signed_in(app, COLLEGE)
    job_page = submitted_job(client, "LRB_10000001_010520241303.CSV", file)
    run_one(services)
    header, row = csv_rows(client.get(f"{job_page}/output.csv"))
    assert header.count("ULN") == 1
    issued = row[header.index("ULN")]
    assert is_valid(issued), row  # sent empty: the ULN the job issued
    assert row[header.index("MISIdentifier")] == "R1"
