"""Batches in the browser: a file with bad rows listed whole before anything is submitted, a
file that is not what it claims, a good file submitted, its job's progress, output and error
files; a batch submitted over SOAP seen on the jobs page; another organisation's job not
found."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

from lrs_soap.domain.model import Role
from tests.browser.conftest import (
    AWARDING,
    COLLEGE,
    COLLEGE_SOAP,
    accessible,
    follow,
    press,
    screenshot,
    sign_in,
)
from tests.portal_accounts import organisation_with_portal_user

HEADINGS = "MISIdentifier,ULN,GivenName,FamilyName,DateOfBirth,Gender"


def verify_file(tmp_path: Path, rows: list[str], name="VLD_10000001_010520241200.CSV") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([HEADINGS, "1A,Exam entries,10000001,exams@college.example.org",
                               *rows]) + "\n")
    return path


def upload(page, path: Path) -> None:
    page.get_by_label("Batch file").set_input_files(str(path))
    press(page, "Check and submit")


def test_every_bad_row_is_listed_and_nothing_is_submitted(page, portal, tmp_path):
    sign_in(page, portal, COLLEGE)
    follow(page, "Upload a batch")
    bad = verify_file(tmp_path, ["V1,1026893097,Sam,Example,2000-01-31,2",
                                 "V2,1026893096,,Example,2000-01-31,2",
                                 "V3,1026893096,Sam,Example,2000-01-31,7"])
    upload(page, bad)
    assert "The file has 3 problems: nothing was submitted" in \
        page.locator(".govuk-error-summary").inner_text()
    problems = [row.split("\t") for row in page.locator("#problems tbody tr").all_inner_texts()]
    assert [(p[1], p[2]) for p in problems] == [("1", "ULN"), ("2", "GivenName"),
                                                 ("3", "Gender")]
    assert "fails its check digit" in problems[0][3]
    accessible(page)
    screenshot(page, "batch-problems")
    page.goto(portal.url + "jobs/")
    assert "No jobs yet." in page.inner_text("main")

    binary = tmp_path / "VLD_10000001_010520241201.CSV"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    page.goto(portal.url + "batches/upload")
    upload(page, binary)
    assert "nothing was submitted" in page.locator(".govuk-error-summary").inner_text()
    assert page.locator("#problems tbody tr").all_inner_texts() == [
        "1\t\t\tthe file is not UTF-8 text"]


def test_a_good_file_becomes_a_job_with_progress_and_files(page, portal, tmp_path):
    sign_in(page, portal, COLLEGE)
    page.goto(portal.url + "batches/upload")
    good = verify_file(tmp_path, ["V1,1026893096,Sam,Example,2000-01-31,2",
                                  "V2,1026893096,Sam,Smith,,"])
    upload(page, good)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Verification job")
    page.locator("#progress", has_text="Successful").wait_for(timeout=30_000)
    assert "2 of 2 records processed" in page.locator("#progress").inner_text()
    accessible(page)
    screenshot(page, "batch-job")
    with page.expect_download() as output:
        page.get_by_role("link", name="Download the output file (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(output.value.path().read_text())))
    assert [(r["Record"], r["MISIdentifier"], r["Outcome"]) for r in rows] == [
        ("1", "V1", "WSVRC001"), ("2", "V2", "WSVRC005")]
    with page.expect_download() as errors:
        page.get_by_role("link", name="Download the error file of failed records (CSV)").click()
    assert errors.value.path().read_text().splitlines()[0].startswith("Record,Outcome")


def test_a_batch_submitted_over_soap_shows_on_the_jobs_page(page, portal, tmp_path):
    path = verify_file(tmp_path, ["S1,1026893096,Sam,Example,2000-01-31,2"],
                       name="VLD_10000001_020520241200.CSV")
    ukprn, user, password = COLLEGE_SOAP
    job_id = subprocess.run(
        [str(Path(sys.executable).with_name("lrs-client")), "--url", portal.base, "--ukprn",
         ukprn, "--user", user, "--password", password, "submit-verify-batch", str(path),
         "--no-wait"], capture_output=True, text=True, timeout=60, check=True).stdout.strip()
    sign_in(page, portal, COLLEGE)
    follow(page, "Batch jobs")
    follow(page, f"{job_id} (job)")
    assert page.get_by_role("heading", level=1).inner_text() == f"Verification job {job_id}"
    # the awarding organisation asking for it gets what a missing job gets
    other = page.context.browser.new_context().new_page()
    sign_in(other, portal, AWARDING)
    assert other.goto(portal.url + f"jobs/verification/{job_id}").status == 404
    assert other.goto(portal.url + "jobs/verification/999999").status == 404
    other.context.close()


def test_without_javascript_the_job_page_offers_a_link_to_check_again(browser, portal,
                                                                     tmp_path):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, portal, COLLEGE)
    page.goto(portal.url + "batches/upload")
    upload(page, verify_file(tmp_path, ["N1,1026893096,Sam,Example,2000-01-31,2"],
                             name="VLD_10000001_030520241200.CSV"))
    for _ in range(60):
        if "Successful" in page.locator("#progress").inner_text():
            break
        follow(page, "Check progress again")
        page.wait_for_timeout(500)
    assert "1 of 1 records processed" in page.locator("#progress").inner_text()
    context.close()


def test_a_good_achievement_file_becomes_a_job_whose_output_says_created(page, portal, admin,
                                                                         tmp_path):
    board = organisation_with_portal_user(
        admin, name="Batch Board", ukprn="10000065", roles={Role.AWARDING_ORGANISATION},
        password="BatchBoardPass1")
    path = tmp_path / "ACH_10000065_010520241200.CSV"
    path.write_text("\n".join([
        "MISIdentifier,Action,ULN,GivenName,FamilyName,DateOfBirth,Gender,"
        "QualificationReference,Grade,AwardDate,ActionDate,ActionReason,ProviderUKPRN,"
        "LanguageForAssessment",
        "1A,Results,10000065,FINAL",
        "A1,CREATE,4444599390,Chloé,Dupont,2006-11-02,2,Y/600/4321,Pass,2025-06-30,"
        f"{dt.date.today():%Y-%m-%d},,10000001,"]) + "\n")
    sign_in(page, portal, board)
    follow(page, "Upload a batch")
    upload(page, path)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Achievement job")
    page.locator("#progress", has_text="1 of 1 records processed").wait_for(timeout=30_000)
    assert "WSRC0009 Batch processed" in page.locator("#progress").inner_text()
    accessible(page)
    screenshot(page, "achievement-batch-job")
    with page.expect_download() as output:
        page.get_by_role("link", name="Download the output file (CSV)").click()
    rows = list(csv.DictReader(io.StringIO(output.value.path().read_text())))
    assert [(r["Record"], r["MISIdentifier"], r["Outcome"]) for r in rows] == [
        ("1", "A1", "CREATED")]
