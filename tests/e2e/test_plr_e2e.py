"""The Personal Learning Record end to end: zeep from wsdl/ through the WSGI app to the
database, with a real batch worker and the administrators' `lrs-soap` commands.

One story, in order: a provider registers a learner (and, by mistake, the same person again
under a second ULN); an awarding organisation submits achievements for both; participation
data is imported; the provider reads the record and challenges an achievement, which the
awarding organisation corrects; the provider reports the duplicate ULN, an administrator
merges it, and the record is read through the old ULN. Every GetLearnerRecord outcome code
is reached, and the audit lists every read.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
import zeep

from lrs_soap.bootstrap import build_runtime
from lrs_soap.domain.model import Role
from lrs_soap.entrypoints.cli import main as lrs_soap
from lrs_soap.service import accounts
from lrs_soap.service.batches import RunSettings, run_next_job
from tests.conftest import DEMO_AO, DEMO_LRB, NATIVE_NS, REPO
from tests.e2e.test_find_by_uln_e2e import CREDS, credentials, envelope, fault_code, fault_of, post

BINDING = f"{{{NATIVE_NS}}}LrsNativeBinding"
BORN = dt.date(2006, 5, 17)
HARPER = {"GivenName": "Harper", "FamilyName": "Plrtest", "DateOfBirth": BORN, "Gender": "2",
          "LastKnownPostCode": "YO1 7HH", "VerificationType": "1", "AbilityToShare": "1"}
SECOND_AO = dict(ukprn="10000077", user="boardie", password="SecondBoard2026!")


@pytest.fixture(scope="module")
def native(gateway):
    client = zeep.Client(str(REPO / "wsdl" / "lrs-native-v1.wsdl"))
    return client.create_service(BINDING, f"{gateway.url}/soap/v1")


@pytest.fixture(scope="module")
def second_board(gateway):
    """Another awarding organisation: it must not be able to resolve the demo AO's
    challenges."""
    with build_runtime(gateway.settings) as services:
        accounts.create_organisation(services, name="Second Board", ukprn=SECOND_AO["ukprn"],
                                     reference=None,
                                     roles=frozenset({Role.AWARDING_ORGANISATION}))
        accounts.set_password(services, SECOND_AO["ukprn"], SECOND_AO["password"])
        accounts.create_user(services, SECOND_AO["ukprn"], SECOND_AO["user"])
    return SECOND_AO


def process_jobs(gateway):
    with build_runtime(gateway.settings) as services:
        while run_next_job(services, RunSettings(worker="plr-test")) is not None:
            pass


def admin(gateway, *argv):
    assert lrs_soap([*argv, "--database-url", gateway.settings.database_url]) == 0


def register_after_search(native, details, *, expect_possible=False):
    found = native.FindByDemographics(Credentials=credentials(), FindType="FUL",
                                      Demographics={k: details[k] for k in (
                                          "GivenName", "FamilyName", "DateOfBirth", "Gender",
                                          "LastKnownPostCode")})
    assert found.ResponseCode == ("WSRC0003" if expect_possible else "WSRC0001")
    if expect_possible:
        time.sleep(1.05)  # the test gateway's possible-match wait is one second
    response = native.RegisterLearner(Credentials=credentials(), Learner=details)
    assert response.ResponseCode == "WSRC0005", response.Reason
    return response.ULN


def achievement(uln, reference, grade="Merit", **changes):
    return {"Action": "CREATE", "ULN": uln, "GivenName": "Harper", "FamilyName": "Plrtest",
            "DateOfBirth": BORN, "Gender": "2", "QualificationReference": reference,
            "Grade": grade, "AwardDate": dt.date(2024, 7, 1), "ActionDate": dt.date(2024, 7, 2),
            "ProviderUKPRN": "10000001", **changes}


def record(native, uln, given="Harper", family="Plrtest", get_type="FULL", who=DEMO_LRB,
           **extra):
    return native.GetLearnerRecord(Credentials=credentials(who), ULN=uln, GivenName=given,
                                   FamilyName=family, GetType=get_type, **extra)


def events(response) -> list:
    return list(response.LearnerRecord.LearningEvent) if response.LearnerRecord else []


def by_code(response, code):
    return next(event for event in events(response) if event.SubjectCode == code)


@pytest.fixture(scope="module")
def story(native, gateway, tmp_path_factory):
    """The learner, the duplicate, their achievements and participation data."""
    harper = register_after_search(native, HARPER)
    duplicate = register_after_search(native, dict(HARPER, LastKnownPostCode="YO10 5DD"),
                                      expect_possible=True)
    submitted = native.SubmitAchievementBatch(
        Credentials=credentials(DEMO_AO), RecordCount=3, Achievement=[
            achievement(harper, "100/2510/8"), achievement(harper, "K/501/5773", "Pass"),
            achievement(duplicate, "600/1234/5", "Distinction")])
    assert submitted.ResponseCode == "WSRC0007"
    process_jobs(gateway)
    done = native.GetAchievementBatch(Credentials=credentials(DEMO_AO), JobID=submitted.JobID)
    assert (done.ResponseCode, done.AchievementsCreated) == ("WSRC0009", 3), done.Error
    csv = tmp_path_factory.mktemp("events") / "participation.csv"
    csv.write_text(
        "uln,source,subject_code,subject,qualification_type,level,start_date,end_date,"
        "provider_ukprn,provider_name,collection_type,return_number\n"
        f"{harper},ILR,60312345,Level 3 Diploma in Digital Skills,Diploma,Level 3,"
        "2022-09-05,2024-06-28,10000001,Demo College,W,12\n")
    admin(gateway, "events", "import", str(csv))
    return harper, duplicate


def test_the_whole_story(native, gateway, story, second_board):
    harper, duplicate = story
    reads = []  # (ULN, operation, outcome) of every access, for the audit at the end

    def read(uln, **kwargs):
        response = record(native, uln, **kwargs)
        reads.append((uln, "GetLearnerRecord", response.ResponseCode))
        return response

    # ----- the record -----
    full = read(harper)
    assert (full.ResponseCode, full.FoundULN, full.IncomingULN) == ("WSRC0004", harper, harper)
    assert [e.SubjectCode for e in events(full)] == ["60312345", "100/2510/8", "K/501/5773"]
    horticulture = by_code(full, "100/2510/8")
    assert (horticulture.Source, horticulture.Grade, horticulture.Status) == ("AO", "Merit", "F")
    assert horticulture.AwardingOrganisationUkprn == "10000002"
    assert horticulture.AwardingOrganisationName == "Demo Awarding Body"
    assert horticulture.AchievementProviderName == "Demo College"
    assert (horticulture.Credits, horticulture.UnderDataChallenge) == (13, "N")
    assert horticulture.DateLoaded is not None
    diploma = by_code(full, "60312345")
    assert (diploma.Source, diploma.CollectionType, diploma.ReturnNumber) == ("ILR", "W", "12")
    assert diploma.ParticipationStartDate == dt.date(2022, 9, 5)
    assert diploma.AwardingOrganisationUkprn is None

    brief = read(harper, get_type="BRIEF", DateOfBirth=BORN, Gender="2")
    assert brief.ResponseCode == "WSRC0004"
    short = by_code(brief, "100/2510/8")
    assert (short.ID, short.Grade, short.Credits, short.Subject) == (
        horticulture.ID, "Merit", 13, horticulture.Subject)
    assert (short.Status, short.DateLoaded, short.UnderDataChallenge,
            short.AwardingOrganisationName) == (None, None, None, None)

    # ----- the refusals -----
    unverified = read(harper, given="Harriet")
    assert (unverified.ResponseCode, unverified.FoundULN, unverified.IncomingULN) == (
        "WSEC0208", None, harper)
    assert events(unverified) == []
    assert read(harper, DateOfBirth=BORN + dt.timedelta(days=1)).ResponseCode == "WSEC0208"
    assert fault_code(lambda: record(native, "1026893097")) == "WSEC0136"
    assert fault_code(lambda: record(native, harper, who=DEMO_AO)) == "WSEC0006"

    # ----- a learning event data challenge, corrected -----
    raised = native.RaiseEventChallenge(Credentials=credentials(), ULN=harper,
                                        GivenName="Harper", FamilyName="Plrtest",
                                        EventID=horticulture.ID, Reason="Grade was Distinction")
    assert (raised.ResponseCode, raised.Outcome) == ("WSRC0004", "RAISED")
    challenge_id = raised.Challenge.ChallengeID
    assert raised.Challenge.LearningEvent.UnderDataChallenge == "Y"
    assert by_code(read(harper), "100/2510/8").UnderDataChallenge == "Y"
    again = native.RaiseEventChallenge(Credentials=credentials(), ULN=harper,
                                       GivenName="Harper", FamilyName="Plrtest",
                                       EventID=horticulture.ID, Reason="again")
    assert (again.Outcome, again.Challenge.ChallengeID) == ("ALREADY_OPEN", challenge_id)
    ilr = native.RaiseEventChallenge(Credentials=credentials(), ULN=harper, GivenName="Harper",
                                     FamilyName="Plrtest", EventID=diploma.ID, Reason="no")
    assert ilr.Outcome == "NOT_CHALLENGEABLE" and ilr.Challenge is None

    owned = native.ListEventChallenges(Credentials=credentials(DEMO_AO), Scope="OWNED",
                                       Status="OPEN", PageSize=100)
    assert owned.ResponseCode == "WSRC0004"
    assert challenge_id in [c.ChallengeID for c in owned.Challenge]
    assert native.ResolveEventChallenge(
        Credentials=credentials(second_board), ChallengeID=challenge_id, Decision="REJECT",
        Reason="not ours").ResponseCode == "WSRC0001"
    assert fault_code(lambda: native.ResolveEventChallenge(
        Credentials=credentials(DEMO_AO), ChallengeID=challenge_id,
        Decision="CORRECT")) == "WSEC0001"
    resolved = native.ResolveEventChallenge(
        Credentials=credentials(DEMO_AO), ChallengeID=challenge_id, Decision="CORRECT",
        Reason="remarked", Correction={"Grade": "Distinction"})
    assert (resolved.ResponseCode, resolved.Outcome) == ("WSRC0004", "ACCEPTED")
    assert resolved.Challenge.Status == "ACCEPTED"
    assert resolved.Challenge.LearningEvent.Grade == "Distinction"
    corrected = by_code(read(harper), "100/2510/8")
    assert (corrected.Grade, corrected.UnderDataChallenge) == ("Distinction", "N")
    mine = native.ListEventChallenges(Credentials=credentials(), Scope="RAISED", PageSize=100)
    outcome = next(c for c in mine.Challenge if c.ChallengeID == challenge_id)
    assert (outcome.Status, outcome.Resolution) == ("ACCEPTED", "corrected: Grade (remarked)")
    assert native.ResolveEventChallenge(
        Credentials=credentials(DEMO_AO), ChallengeID=challenge_id, Decision="WITHDRAW",
    ).Outcome == "ALREADY_RESOLVED"

    # ----- a second challenge, rejected -----
    unit = by_code(full, "K/501/5773")
    second = native.RaiseEventChallenge(Credentials=credentials(), ULN=harper,
                                        GivenName="Harper", FamilyName="Plrtest",
                                        EventID=unit.ID, Reason="never took this unit")
    rejected = native.ResolveEventChallenge(
        Credentials=credentials(DEMO_AO), ChallengeID=second.Challenge.ChallengeID,
        Decision="REJECT", Reason="the centre's register shows it")
    assert (rejected.Outcome, rejected.Challenge.Status) == ("REJECTED", "REJECTED")
    assert by_code(read(harper), "K/501/5773").Grade == "Pass"

    # ----- the duplicate ULN: reported, merged, read through -----
    before = read(duplicate)
    assert before.ResponseCode == "WSRC0004"
    assert [e.SubjectCode for e in events(before)] == ["600/1234/5"]
    uln_challenge = native.RaiseULNChallenge(
        Credentials=credentials(), ULN=duplicate, ChallengeType="CREATED_INCORRECTLY",
        Reason=f"the same person as {harper}")
    assert (uln_challenge.ResponseCode, uln_challenge.Outcome) == ("WSRC0004", "RAISED")
    uln_challenge_id = uln_challenge.Challenge.ChallengeID
    admin(gateway, "learners", "merge", duplicate, harper, "--challenge", str(uln_challenge_id),
          "--by", "e2e-admin")

    found = native.FindByULN(Credentials=credentials(), FindType="FUL", ULN=duplicate,
                             GivenName="Harper", FamilyName="Plrtest")
    assert (found.ResponseCode, found.Learner.ULN) == ("WSRC0022", harper)
    assert found.Learner.MasterSubstituted is True
    verified = native.VerifyLearnerDetails(Credentials=credentials(DEMO_AO), ULN=duplicate,
                                           GivenName="Harper", FamilyName="Plrtest")
    assert (verified.ResponseCode, verified.VerifiedLearner.ULN) == ("WSVRC002", harper)
    assert native.VerifyLearnerDetails(Credentials=credentials(DEMO_AO), ULN=duplicate,
                                       GivenName="Harpe", FamilyName="Plrtest"
                                       ).ResponseCode == "WSVRC004"
    merged = read(duplicate)
    assert (merged.ResponseCode, merged.FoundULN, merged.IncomingULN) == (
        "WSRC0022", harper, duplicate)
    everything = ["60312345", "100/2510/8", "K/501/5773", "600/1234/5"]  # date, then ID
    assert [e.SubjectCode for e in events(merged)] == everything  # nothing moved, all shown
    assert [e.SubjectCode for e in events(read(harper))] == everything

    listed = native.ListULNChallenges(Credentials=credentials(), Status="RESOLVED",
                                      PageSize=100)
    closed = next(c for c in listed.Challenge if c.ChallengeID == uln_challenge_id)
    assert closed.Resolution == f"ULN {duplicate} merged into {harper}"

    today = dt.date.today()
    report = native.GetULNReport(Credentials=credentials(), FromDate=today - dt.timedelta(1),
                                 ToDate=today + dt.timedelta(1))
    assert report.ResponseCode == "WSRC0004"
    assert (harper, duplicate) in [(m.MasterULN, m.MergedULN) for m in report.MergedLearner]
    assert native.GetULNReport(Credentials=credentials(DEMO_AO), FromDate=dt.date(2001, 1, 1),
                               ToDate=dt.date(2001, 12, 31)).ResponseCode == "WSRC0024"

    # ----- the audit shows every read -----
    audit = native.GetLearnerRecordAudit(Credentials=credentials(), ULN=duplicate,
                                         GivenName="Harper", FamilyName="Plrtest", PageSize=100)
    assert (audit.ResponseCode, audit.FoundULN) == ("WSRC0022", harper)
    assert audit.TotalItems == len(reads) and audit.PageCount == 1
    listed = [(e.ULN, e.Action, e.Outcome) for e in audit.Entry]
    assert listed == list(reversed(reads))  # newest first
    assert {(e.Organisation, e.UKPRN, e.UserName) for e in audit.Entry} == {
        ("Demo College", "10000001", "demo")}
    paged = native.GetLearnerRecordAudit(Credentials=credentials(), ULN=harper,
                                         GivenName="Harper", FamilyName="Plrtest", Page=2,
                                         PageSize=5)
    assert (paged.PageIndex, paged.PageSize, paged.TotalItems) == (2, 5, len(reads) + 1)
    first = paged.Entry[0]  # page 1: the audit view itself, then the four newest reads
    assert (first.ULN, first.Action, first.Outcome) == reads[-5]

    # ----- unmerged again -----
    admin(gateway, "learners", "unmerge", duplicate)
    assert read(duplicate).FoundULN == duplicate
    report = native.GetULNReport(Credentials=credentials(), FromDate=today, ToDate=today)
    assert duplicate in [u.UnmergedULN for u in report.UnmergedLearner]


def test_an_opted_out_learner_is_wsec0206(native):
    opted = register_after_search(native, dict(HARPER, GivenName="Oakley", FamilyName="Optout",
                                               AbilityToShare="2"))
    response = record(native, opted, given="Oakley", family="Optout")
    assert (response.ResponseCode, response.FoundULN, response.IncomingULN) == (
        "WSEC0206", opted, opted)
    assert events(response) == []
    audit = native.GetLearnerRecordAudit(Credentials=credentials(), ULN=opted,
                                         GivenName="Oakley", FamilyName="Optout")
    assert audit.ResponseCode == "WSEC0206" and audit.Entry == [] and audit.TotalItems is None


def test_the_demo_duplicate_reads_the_masters_record(native):
    response = record(native, "2468013572", given="Priya", family="Shah")
    assert (response.ResponseCode, response.FoundULN) == ("WSRC0022", "1964986809")
    assert {e.Source for e in events(response)} == {"AO", "ILR", "NPD"}


def test_challenge_scopes_need_their_role(native):
    assert fault_code(lambda: native.ListEventChallenges(
        Credentials=credentials(), Scope="OWNED")) == "WSEC0006"
    assert fault_code(lambda: native.ListEventChallenges(
        Credentials=credentials(DEMO_AO), Scope="RAISED")) == "WSEC0006"
    assert fault_code(lambda: native.RaiseEventChallenge(
        Credentials=credentials(DEMO_AO), ULN="1964986809", GivenName="Priya",
        FamilyName="Shah", EventID=1, Reason="x")) == "WSEC0006"
    assert native.ListULNChallenges(Credentials=credentials(DEMO_AO),
                                    Status="REJECTED").ResponseCode in ("WSRC0001", "WSRC0004")


def test_report_periods_and_page_sizes_are_checked(native, gateway):
    assert fault_code(lambda: native.GetULNReport(
        Credentials=credentials(), FromDate=dt.date(2020, 1, 1),
        ToDate=dt.date(2021, 6, 1))) == "WSEC0001"
    code, details = fault_of(post(gateway, envelope(
        f"<v:GetLearnerRecordAudit>{CREDS}<v:ULN>1964986809</v:ULN>"
        "<v:GivenName>Priya</v:GivenName><v:FamilyName>Shah</v:FamilyName>"
        "<v:PageSize>101</v:PageSize></v:GetLearnerRecordAudit>")))
    assert code == "WSEC0001" and "PageSize" in details
    code, details = fault_of(post(gateway, envelope(
        f"<v:GetLearnerRecord>{CREDS}<v:ULN>1964986809</v:ULN>"
        "<v:GivenName>Priya</v:GivenName><v:FamilyName>Shah</v:FamilyName>"
        "<v:GetType>SHORT</v:GetType></v:GetLearnerRecord>")))
    assert code == "WSEC0001" and "GetType" in details
