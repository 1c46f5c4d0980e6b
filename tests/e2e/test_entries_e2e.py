"""Entries and results over SOAP (every answer checked against the XSD) and from lrs-client:
a newcomer enters a learner, records the result, sees it on the learner's record, reviews
and downloads the entries."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import zeep
from lrs_client.cli import main

from lrs_soap.domain.model import LearnerDetails
from tests.conftest import DEMO_AO, DEMO_LRB, NATIVE_NS
from tests.e2e.own_learners import add_learners, native_service
from tests.e2e.test_find_by_uln_e2e import credentials, fault_code
from tests.ulns import valid_ulns

[ULN] = valid_ulns(1, 777_200_000)
NOAH = LearnerDetails("Noah", "Entrycase", dt.date(2006, 2, 1), "1", "LS6 2AB",
                      verification_type="1", ability_to_share="1")
ENTRY = {"ULN": ULN, "GivenName": "Noah", "FamilyName": "Entrycase",
         "DateOfBirth": dt.date(2006, 2, 1), "Gender": "1", "EntryDate": dt.date(2025, 1, 6),
         "ExpectedAwardDate": dt.date(2025, 8, 14)}


@pytest.fixture(scope="module")
def native(gateway):
    return native_service(gateway)


@pytest.fixture(scope="module")
def learner(gateway):
    add_learners(gateway, {ULN: NOAH})
    return ULN


def test_entry_then_result_appears_on_the_record(native, learner):
    ao = credentials(DEMO_AO)
    entered = native.SubmitEntries(Credentials=ao, Entry=[
        {**ENTRY, "QualificationReference": "600/1234/5", "MISIdentifier": "C-77"},
        {**ENTRY, "QualificationReference": "601/0000/X"}])
    assert entered.ResponseCode == "WSRC0009"
    assert [(e.Status, e.ULN) for e in entered.Entry] == [("ENTERED", ULN), ("REJECTED", ULN)]
    assert [e.Field for e in entered.Entry[1].Error] == ["QualificationReference"]
    entry_id = entered.Entry[0].EntryID
    recorded = native.SubmitResults(Credentials=ao, Result=[
        {"EntryID": entry_id, "Action": "RECORD", "Grade": "Merit",
         "AwardDate": dt.date(2025, 8, 14), "EntryVersion": 1}])
    [outcome] = recorded.Result
    assert (outcome.ResponseCode, outcome.Status) == ("WSRC0006", "ACCEPTED")
    record = native.GetLearnerRecord(Credentials=credentials(DEMO_LRB), ULN=ULN,
                                     GivenName="Noah", FamilyName="Entrycase", GetType="FULL")
    assert [(e.ID, e.SubjectCode, e.Grade) for e in record.LearnerRecord.LearningEvent] == [
        (outcome.EventID, "600/1234/5", "Merit")]
    stale = native.WithdrawResult(Credentials=ao, EntryID=entry_id, Reason="x", EntryVersion=1)
    assert stale.ResponseCode == "WSRC0013"
    listing = native.ListEntries(Credentials=ao, ULN=ULN)
    assert (listing.ResponseCode, listing.TotalItems) == ("WSRC0004", 2)
    first = listing.Entry[0]
    assert (first.Status, first.Version, first.MISIdentifier) == ("RESULTED", 2, "C-77")
    assert [(r.Status, r.Grade) for r in first.Result] == [("ACCEPTED", "Merit")]
    exported = native.ExportEntries(Credentials=ao, Status="REJECTED", ULN=ULN)
    assert exported.Csv.splitlines()[1].split(",")[:3] == [
        str(entered.Entry[1].EntryID), "REJECTED", ULN]


def test_bad_fields_and_the_wrong_role_are_faults(native, learner):
    ao = credentials(DEMO_AO)
    assert fault_code(lambda: native.SubmitEntries(Credentials=ao, Entry=[
        {**ENTRY, "QualificationReference": "K/501/5773",
         "ExpectedAwardDate": dt.date(2024, 1, 1)}])) == "WSEC0001"
    assert fault_code(lambda: native.ListEntries(Credentials=credentials(DEMO_LRB))) == (
        "WSEC0006")
    with pytest.raises(zeep.exceptions.Fault) as fault:
        native.SubmitResults(Credentials=ao, Result=[
            {"EntryID": 1, "Action": "RECORD", "Grade": "A", "AwardDate": dt.date(2099, 1, 1)}])
    assert fault.value.detail[0].findtext(f"{{{NATIVE_NS}}}FurtherDetails") == (
        "AwardDate is in the future")


def run(gateway, *argv):
    return main(["--url", gateway.url, "--ukprn", DEMO_AO["ukprn"], "--user", DEMO_AO["user"],
                 "--password", DEMO_AO["password"], *argv])


def test_lrs_client_enters_results_reviews_and_downloads(gateway, learner, capsys, tmp_path,
                                                         monkeypatch):
    monkeypatch.setenv("COLUMNS", "250")
    assert run(gateway, "--json", "enter", ULN, "Noah", "Entrycase", "--dob", "2006-02-01",
               "--gender", "1", "--qualification", "Y/600/4321", "--entry-date", "2025-02-01",
               "--expected-award-date", "2025-06-30") == 0
    [entry] = json.loads(capsys.readouterr().out)["Entry"]
    assert entry["Status"] == "ENTERED"
    results = tmp_path / "results.csv"
    results.write_text(f"EntryID,Action,Grade,AwardDate\n{entry['EntryID']},RECORD,Pass,"
                       "2025-06-30\n")
    assert run(gateway, "submit-results", str(results)) == 0
    out = capsys.readouterr().out
    assert "WSRC0009" in out and "ACCEPTED" in out
    assert run(gateway, "withdraw-result", str(entry["EntryID"]), "--reason", "re-mark") == 0
    assert "result WITHDRAWN" in capsys.readouterr().out
    assert run(gateway, "cancel-entry", str(entry["EntryID"])) == 0
    assert capsys.readouterr().out.splitlines()[0] == "ResponseCode: WSRC0006 (done)"
    broken = tmp_path / "entries.csv"
    broken.write_text("ULN,GivenName,FamilyName,DateOfBirth,Gender,QualificationReference,"
                      f"EntryDate,ExpectedAwardDate\n{ULN},Noah,Entrycase,2006-02-01,1,"
                      "K/501/5773,2025-02-01,2024-06-30\n")
    assert run(gateway, "submit-entries", str(broken)) == 1
    assert "ExpectedAwardDate is before the EntryDate" in capsys.readouterr().err
    download = tmp_path / "review.csv"
    assert run(gateway, "entries", "--uln", ULN, "--status", "cancelled", "--csv",
               str(download)) == 0
    assert "1 entry written" in capsys.readouterr().out
    assert download.read_text().splitlines()[1].split(",")[1:4] == ["CANCELLED", ULN, ULN]
    assert run(gateway, "entries", "--uln", ULN) == 0
    assert "CANCELLED" in capsys.readouterr().out
