"""Entries and results in the portal (docs/entries-results.md): one entry, its result
recorded, amended (a stale Version told, not overwritten) and withdrawn, an entry cancelled,
a file whose every bad row is listed before anything is submitted, and the review filtered
and downloaded; another organisation's entry is "not found" like a missing one."""

from __future__ import annotations

import io
import re

from lrs_soap.domain.model import Role
from lrs_soap.service import accounts
from tests.portal.conftest import AWARDING, COLLEGE, post, signed_in, text
from tests.portal_accounts import organisation_with_portal_user

SAM = {"uln": "1026893096", "given_name": "Sam", "family_name": "Example",
       "date_of_birth": ["31", "1", "2000"], "gender": "2"}
DATES = {"entry_date": ["6", "1", "2025"], "expected_award_date": ["14", "8", "2025"]}


def entry_count(services) -> int:
    from lrs_soap.service import entry_review
    from lrs_soap.service.entry_ports import EntryFilter
    from lrs_soap.service.plr import Page

    caller = accounts.Caller(_ao(services), "demo")
    return entry_review.review_entries(services, caller, EntryFilter(), Page(1, 100)).total


def _ao(services):
    with services.uow_factory() as uow:
        return uow.organisations.by_ukprn("10000002")


def test_an_entry_gets_a_result_an_amendment_and_a_withdrawal(app):
    client = signed_in(app, AWARDING)
    entered = post(client, "/entries/new", {**SAM, **DATES, "qualification": "Y/600/4321",
                                            "mis_identifier": "CAND-9"})
    page = text(entered)
    assert entered.status_code == 200 and re.search(r"Entry \d+: ENTERED", page)
    entry_id = int(re.search(r"Entry (\d+): ENTERED", page).group(1))
    path = f"/entries/{entry_id}"
    recorded = text(post(client, path + "/result", {
        "version": "1", "grade": "Pass", "award_date": ["1", "8", "2025"]}, token_from=path))
    assert "Response code WSRC0006" in recorded and "Status RESULTED" in recorded
    # a second page opened before the result still says Version 1: it is told, not obeyed
    stale = text(post(client, path + "/result", {
        "version": "1", "amend": "y", "grade": "Merit", "award_date": ["1", "8", "2025"]},
        token_from=path))
    assert "Someone else changed this entry after you opened it" in stale
    assert "Response code WSRC0013" in stale and "the entry changed while" in stale
    amended = text(post(client, path + "/result", {
        "version": "2", "amend": "y", "grade": "Merit", "award_date": ["2", "8", "2025"]},
        token_from=path))
    assert "Response code WSRC0006" in amended and "SUPERSEDED" in amended
    withdrawn = text(post(client, path + "/withdraw", {"version": "3", "reason": "error"},
                          token_from=path))
    assert "Response code WSRC0006" in withdrawn and "Status ENTERED" in withdrawn
    cancelled = text(post(client, path + "/cancel", {"version": "4"}, token_from=path))
    assert "Status CANCELLED" in cancelled and "Record the result" not in cancelled

    listed = text(client.get("/entries/?status=CANCELLED&qualification=y/600/4321"))
    assert "1 entry" in listed and f"{entry_id} (Y/600/4321)" in listed
    download = client.get("/entries/entries.csv?status=CANCELLED")
    assert download.mimetype == "text/csv"
    rows = download.get_data(as_text=True).splitlines()
    assert rows[0].startswith("EntryID,Status,ULN") and len(rows) == 2
    assert rows[1].startswith(f"{entry_id},CANCELLED,1026893096,1026893096,Y/600/4321,")


def test_a_rejected_entry_shows_its_reasons_and_bad_input_is_named(app):
    client = signed_in(app, AWARDING)
    rejected = text(post(client, "/entries/new", {**SAM, **DATES, "given_name": "Bob",
                                                  "qualification": "100/2510/8"}))
    assert re.search(r"Entry \d+: REJECTED", rejected) and "GivenName" in rejected
    early = post(client, "/entries/new", {**SAM, "qualification": "100/2510/8",
                                          "entry_date": ["6", "1", "2025"],
                                          "expected_award_date": ["1", "1", "2024"]})
    assert early.status_code == 400
    assert "ExpectedAwardDate is before the EntryDate" in text(early)
    garbled = post(client, "/entries/new", {**SAM, **DATES, "qualification": "100/2510/8",
                                            "date_of_birth": ["31"]})
    assert garbled.status_code == 400  # a date of one part: refused in words, no crash
    assert "Enter the date of birth as day, month and year" in text(garbled)


def test_a_file_with_bad_rows_lists_every_one_and_submits_nothing(app, services):
    client = signed_in(app, AWARDING)
    before = entry_count(services)
    bad = ("ULN,GivenName,FamilyName,DateOfBirth,Gender,QualificationReference,EntryDate,"
           "ExpectedAwardDate\n"
           "1026893096,Sam,Example,2000-01-31,2,500/9999/1,2025-01-06,2025-08-14\n"
           "1026893097,Sam,Example,2000-01-31,7,500/9999/1,2025-01-06,2025-08-14\n"
           "1026893096,Sam,Example,31/01/2000,2,500/9999/1,2025-01-06,2024-08-14\n")
    answer = post(client, "/entries/upload",
                  {"entry_file": (io.BytesIO(bad.encode()), "entries.csv")})
    page = text(answer)
    assert answer.status_code == 400 and "The file has 4 problems: nothing was submitted" in page
    assert "2 ULN fails its check digit" in page and "2 Gender is not 0, 1, 2 or 9" in page
    assert "3 DateOfBirth is not a date (YYYY-MM-DD)" in page
    assert "3 ExpectedAwardDate is before the EntryDate" in page
    assert entry_count(services) == before
    good = bad.splitlines()[:2]
    answer = post(client, "/entries/upload", {"entry_file": (
        io.BytesIO("\n".join(good).encode()), "entries.csv")})
    assert answer.status_code == 200 and "1 entries submitted" in text(answer)
    assert entry_count(services) == before + 1
    results = "EntryID,Action,Grade,AwardDate\nabc,RECORD,Pass,2025-08-01\n"
    answer = post(client, "/entries/upload", {"entry_file": (
        io.BytesIO(results.encode()), "results.csv")})
    assert "1 EntryID is not a number" in text(answer)
    wrong = post(client, "/entries/upload", {"entry_file": (io.BytesIO(b"\xff\xfe"), "x.csv")})
    assert "File file is not UTF-8 text" in text(wrong)


def test_a_results_file_with_a_version_that_is_not_a_number_is_told_so(app, services):
    # it used to get as far as recording the result, and fail the page there
    client = signed_in(app, AWARDING)
    results = "EntryID,Action,Grade,AwardDate,EntryVersion\n1,RECORD,Pass,2025-08-01,two\n"
    answer = post(client, "/entries/upload", {"entry_file": (
        io.BytesIO(results.encode()), "results.csv")})
    page = text(answer)
    assert answer.status_code == 400 and "The file has 1 problem: nothing was submitted" in page
    assert "1 EntryVersion is not a number" in page


def test_entries_are_the_organisations_own(app, services):
    assert signed_in(app, COLLEGE).get("/entries/").status_code == 403
    client = signed_in(app, AWARDING)
    assert client.get("/entries/1").status_code == 200  # the demo's
    other = signed_in(app, organisation_with_portal_user(
        services, name="Second AO", ukprn="10000008", reference="SECOAO",
        roles={Role.AWARDING_ORGANISATION}, password="SecondAoPassword1"))
    theirs, missing = other.get("/entries/1"), other.get("/entries/999999")
    assert theirs.status_code == missing.status_code == 404
    assert text(theirs) == text(missing)
    refused = post(other, "/entries/1/cancel", {"version": "1"}, token_from="/entries/")
    assert refused.status_code == 404
    assert "0 entries" in text(other.get("/entries/"))
    assert client.post("/entries/1/cancel", data={"version": "1"}).status_code == 400  # CSRF
