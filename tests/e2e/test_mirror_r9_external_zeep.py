"""End to end: zeep clients built from the WSDLs the gateway serves at
/LearnerServiceR9.svc?singleWsdl and /ExternalService.svc?singleWsdl call every operation,
down to the database (a client written for the live LRS, pointed at us)."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
import zeep
from lxml import etree
from zeep.exceptions import Fault

from lrs_soap.bootstrap import build_runtime
from lrs_soap.service.batches import RunSettings, run_next_job
from tests.conftest import DEMO_AO, DEMO_LRB
from tests.contract.mirror_data import seed

FAULTS_NS = "http://api.lrs.qcf.gov.uk/faults"


@pytest.fixture(scope="module")
def people(gateway):
    return seed(gateway.settings, 2)


@pytest.fixture(scope="module")
def r9(gateway):
    return zeep.Client(f"{gateway.url}/LearnerServiceR9.svc?singleWsdl").service


@pytest.fixture(scope="module")
def external(gateway):
    return zeep.Client(f"{gateway.url}/ExternalService.svc?singleWsdl").service


def r10(who=DEMO_LRB, **changes):
    return {"Ukprn": who["ukprn"], "Username": who["user"], "Password": who["password"],
            **changes}


def organisation(who=DEMO_LRB, **changes):
    return {"Ukprn": who["ukprn"], "Username": who["user"], "Password": who["password"],
            "ChannelCode": "WebServices", **changes}


def learning_events(r9, people, uln=None, given="Ada", family="Golden", get_type="FULL",
                    **extra):
    return r9.GetLearnerLearningEvents(
        invokingOrganisation=r10(**extra), userType="LNR", vendorID=1, language="ENG",
        uln=uln or people.ada, givenName=given, familyName=family,
        dateOfBirth=f"{people.year}-02-03", gender=None, getType=get_type)


def fault_code(call) -> str:
    with pytest.raises(Fault) as raised:
        call()
    return raised.value.detail.findtext(f"{{{FAULTS_NS}}}DomainFault/{{{FAULTS_NS}}}ErrorCode")


def test_the_served_wsdls_point_at_the_gateway(gateway):
    for path in ("/LearnerServiceR9.svc", "/ExternalService.svc"):
        client = zeep.Client(f"{gateway.url}{path}?wsdl")
        (service,) = client.wsdl.services.values()
        (port,) = service.ports.values()
        assert port.binding_options["address"] == gateway.url + path


def test_get_learner_learning_events_full_record(r9, people):
    result = learning_events(r9, people)
    assert (result.ResponseCode, result.FoundULN, result.IncomingULN) == (
        "WSRC0004", people.ada, people.ada)
    events = result.LearnerRecord.LearningEvent
    assert [(e.Source, e.SubjectCode) for e in events] == [("ILR", "60312345"),
                                                           ("AO", "100/2510/8")]
    achievement = events[1]
    assert (achievement.Grade, achievement.AchievementAwardDate, achievement.Credits,
            achievement.AwardingOrganisationUkprn, achievement.LanguageForAssessment) == (
        "Distinction", "2024-06-30", 13, "10000002", "English")
    # Live's placeholders for what an ILR event does not hold (issue 18 item 3)
    assert (events[0].Grade, events[0].AwardingOrganisationUkprn, events[0].Restriction,
            events[0].LanguageForAssessment) == ("9999999999", "UNKNWN", "0", None)


def test_get_learner_learning_events_brief_linked_not_shared_not_verified(r9, people):
    brief = learning_events(r9, people, get_type="BRIEF").LearnerRecord.LearningEvent
    assert brief[1].Grade == "Distinction" and brief[1].AwardingOrganisationName is None
    linked = learning_events(r9, people, uln=people.ada_duplicate)
    assert (linked.ResponseCode, linked.FoundULN, linked.IncomingULN) == (
        "WSRC0022", people.ada, people.ada_duplicate)
    assert len(linked.LearnerRecord.LearningEvent) == 2
    private = learning_events(r9, people, uln=people.cyd, given="Cyd", family="Private")
    assert (private.ResponseCode, private.FoundULN) == ("WSEC0206", people.cyd)
    assert private.LearnerRecord is None  # zeep's reading of the empty <a:LearnerRecord/>
    wrong = learning_events(r9, people, given="Ida")
    assert (wrong.ResponseCode, wrong.FoundULN) == ("WSEC0208", None)


def test_learner_by_uln(r9, people):
    found = r9.LearnerByUln(invokingOrganisation=organisation(), userType="LNR", vendorId=1,
                            language="ENG", uln=people.ada, givenName="Ada",
                            familyName="Golden", findType="FUL")
    assert found.ResponseCode == "WSRC0004" and found.Uln == people.ada
    learner = found.Learner
    assert (learner.Uln, learner.GivenName, learner.Gender, learner.LastKnownPostCode) == (
        people.ada, "Ada", 2, "LS1 4AP")
    assert learner.DateOfBirth == dt.datetime(people.year, 2, 3)
    assert learner.LinkedUlns.string == [people.ada_duplicate]
    check = r9.LearnerByUln(invokingOrganisation=organisation(), userType="LNR", vendorId=1,
                            language="ENG", uln=people.ada, givenName="Ada",
                            familyName="Golden", findType="CHK")
    assert check.ResponseCode == "WSRC0004" and check.Learner is None


def test_update_learner_subset_fields(r9, people):
    def update(version, **fields):
        return r9.UpdateLearnerSubsetFields(
            invokingOrganisation=organisation(), userType="LNR", vendorId=1, language="ENG",
            uln=people.dee, versionNumber=version, emailAddress=fields.get("email"),
            telephoneNumber=None, abilityToShare=fields.get("share", "NotProvided"),
            schoolAtAge16=None, preferredGivenName=fields.get("preferred"))

    assert update(1, preferred="Deedee") == "WSRC0006"
    assert update(1, preferred="Dee-Dee") == "WSRC0013"
    assert update(2, preferred="Deedee") == "WSRC0020"
    assert update(2, share="FPNNotSeen") == "WSRC0014"
    assert update(2, email="") == "WSRC0006"  # empty clears
    found = r9.LearnerByUln(invokingOrganisation=organisation(), userType="LNR", vendorId=1,
                            language="ENG", uln=people.dee, givenName="Dee",
                            familyName="Update", findType="FUL").Learner
    assert (found.PreferredGivenName, found.EmailAddress, found.VersionNumber) == (
        "Deedee", None, 3)


def test_view_audit_pages_the_reads(r9, people):
    for _ in range(3):
        learning_events(r9, people, uln=people.eve, given="Eve", family="Audit")

    def page(number):
        return r9.ViewAudit(invokingOrganisation=organisation(), userType="LNR", vendorId=1,
                            language="ENG", learnerUln=people.eve, learnerGivenName="Eve",
                            learnerFamilyName="Audit", page=number)

    first = page(1)
    assert (first.TotalItems, first.PageIndex, first.PageCount) == (3, 1, 1)
    entries = first.List.PlrAccessEntryResponse
    assert {(e.Action, e.Organisation, e.User) for e in entries} == {
        ("GetLearnerLearningEvents", "Demo College", "demo")}
    assert entries[0].DateTime >= entries[-1].DateTime
    assert page(2).List is None  # an empty <a:List/>


def test_get_organisation(r9):
    def look_up(user_type="ORG", **asked):
        return r9.GetOrganisation(invokingOrganisation=organisation(), userType=user_type,
                                  vendorId=1, language="ENG", ukPrn=asked.get("ukprn"),
                                  orgRef=asked.get("reference"))

    own = look_up()
    assert (own.ResponseCode, own.DisplayName, own.Ukprn, own.OrgRef, own.Status) == (
        "WSRC0004", "Demo College", "10000001", "DEMLRB", "Active")
    assert look_up("SER", ukprn="10000002").DisplayName == "Demo Awarding Body"
    assert look_up(ukprn="10000002", reference="DEMLRB").ResponseCode == "WSRC0001"
    unknown = look_up("Unknown", reference="NOSUCH")
    assert (unknown.ResponseCode, unknown.DisplayName) == ("WSRC0001", None)


def test_r9_refusals_are_domain_faults(r9, people):
    assert fault_code(lambda: learning_events(r9, people, Password="Wrong-password-16")) \
        == "WSEC0005"
    assert fault_code(lambda: learning_events(r9, people, Ukprn="99999999")) == "WSEC0003"
    assert fault_code(lambda: learning_events(r9, people, **{"Ukprn": DEMO_AO["ukprn"],
                                                             "Password": DEMO_AO["password"]})
                      ) == "WSEC0006"
    bad_digit = people.ada[:9] + str((int(people.ada[9]) + 1) % 10)
    assert fault_code(lambda: learning_events(r9, people, uln=bad_digit)) == "WSEC0136"
    assert fault_code(lambda: r9.ViewAudit(
        invokingOrganisation=organisation(), userType="LNR", vendorId=1, language="ENG",
        learnerUln=people.cyd, learnerGivenName="Cyd", learnerFamilyName="Private", page=1)
    ) == "WSEC0206"


def test_fault_detail_reads_as_a_domain_fault(r9, people):
    with pytest.raises(Fault) as raised:
        learning_events(r9, people, Password="Wrong-password-16")
    fault = raised.value
    assert fault.message == "Incorrect organisation password"
    detail = fault.detail.find(f"{{{FAULTS_NS}}}DomainFault")
    assert base64.b64decode(detail.findtext(f"{{{FAULTS_NS}}}ErrorDetail")).startswith(
        b"WSEC0005")


# ----- ExternalService.svc -----

def user(who=DEMO_AO, reference="DEMOAO"):
    return {"OrganisationRef": reference, "UserName": who["user"], "OrgPassword": who["password"]}


def achievement(people, action, reference="100/2510/8", **changes):
    values = {"AchievementAwardDate": dt.datetime(2025, 6, 30), "Action": action,
              "ActionDate": dt.datetime(2025, 7, 1, 9, 30),
              "DateofBirth": dt.datetime(people.year, 2, 3), "FamilyName": "Award",
              "Gender": 2, "GivenName": "Fay", "Grade": "Pass",
              "LanguageForAssessment": "Welsh", "MisIdentifier": f"Z-{action}",
              "ProviderUkprn": "10000001", "Uln": people.fay,
              "UnitOrQualificationReferenceNumber": reference}
    return {**values, **changes}


def run_jobs(gateway) -> None:
    with build_runtime(gateway.settings) as services:
        while run_next_job(services, RunSettings(worker="zeep-tests")) is not None:
            pass


def submit(external, records, submission_type="FINAL", who=DEMO_AO, reference="DEMOAO"):
    return external.SubmitAchievementBatchJob(
        invokingUser=user(who, reference), emailAddress="results@example.org",
        submissionType=submission_type, achievements={"Achievement": records})


def test_achievement_lifecycle_through_every_action(gateway, external, r9, people):
    steps = [
        ("PROVISIONAL", [achievement(people, 1)], "AchievementsCreated", "P"),
        ("FINAL", [achievement(people, 5)], "AchievementsPromotedToFinal", "F"),
        ("FINAL", [achievement(people, 2, Grade="Merit")], "AchievementsUpdated", "F"),
        ("FINAL", [achievement(people, 3, ActionReason="Issued in error")],
         "AchievementsWithdrawn", "F"),
        ("FINAL", [achievement(people, 4)], "AchievementsReinstated", "F"),
    ]
    for submission_type, records, counter, status in steps:
        submitted = submit(external, records, submission_type)
        assert submitted.ResponseCode == "WSRC0007" and submitted.JobId > 0
        waiting = external.GetAchievementBatchJob(invokingUser=user(), jobId=submitted.JobId)
        assert (waiting.ResponseCode, waiting.Status) == ("WSRC0008", "Waiting")
        run_jobs(gateway)
        done = external.GetAchievementBatchJob(invokingUser=user(), jobId=submitted.JobId)
        assert (done.ResponseCode, done.Status, done.JobID, getattr(done, counter)) == (
            "WSRC0009", "Successful", submitted.JobId, 1), counter
        assert done.PercentageSuccessfulRecords == 100 and done.AchievementBatchErrorFile is None
        assert (done.SuccessfulFinalAchievements, done.SuccessfulProvisionalAchievements) == (
            (1, 0) if status == "F" else (0, 1))
        assert done.StartDate <= done.EndDate and done.Type == submission_type
    record = learning_events(r9, people, uln=people.fay, given="Fay", family="Award")
    (event,) = [e for e in record.LearnerRecord.LearningEvent if e.Source == "AO"]
    assert (event.Grade, event.Status, event.AchievementAwardDate,
            event.LanguageForAssessment) == ("Merit", "F", "2025-06-30", "Welsh")


def test_rejected_records_are_counted_and_listed(gateway, external, people):
    records = [achievement(people, 1, reference="K/501/5773"),
               achievement(people, 1, reference="Y/600/4321", GivenName="Nobody"),
               achievement(people, 2, reference="600/1234/5"),
               achievement(people, 7, reference="Y/600/4321", Uln="1234567890")]
    job = submit(external, records).JobId
    run_jobs(gateway)
    done = external.GetAchievementBatchJob(invokingUser=user(), jobId=job)
    assert (done.AchievementsCreated, done.LearnerDataErrors, done.BusinessRuleErrors,
            done.FieldDataErrors, done.NumberOfRecords) == (1, 1, 1, 1, 4)
    lines = done.AchievementBatchErrorFile.splitlines()
    assert lines[0] == "RecordNumber,MisIdentifier,Uln,ErrorType,Field,Error"
    assert lines[1].startswith("2,Z-1,") and ",LearnerData,GivenName," in lines[1]
    assert lines[2].startswith("3,Z-2,") and ",BusinessRule,Action," in lines[2]
    assert any(line.startswith("4,Z-7,1234567890,FieldData,Uln,") for line in lines)


def test_external_refusals(external, people):
    assert submit(external, [achievement(people, 1)], who=DEMO_LRB,
                  reference="DEMLRB").ResponseCode == "WSRC0043"
    assert fault_code(lambda: submit(external, [])) == "WSEC0047"
    assert fault_code(lambda: submit(external, [achievement(people, 1)], "SOMETIMES")) \
        == "WSEC0001"
    assert fault_code(lambda: external.GetAchievementBatchJob(
        invokingUser={**user(), "OrgPassword": "Wrong-password-16"}, jobId=1)) == "WSEC0005"
    unknown = external.GetAchievementBatchJob(invokingUser=user(), jobId=None)
    assert (unknown.ResponseCode, unknown.JobID, unknown.Status) == ("WSRC0018", 0, "Failed")


def test_the_r9_request_elements_zeep_writes_are_the_live_ones(r9, people):
    """zeep sends null parameters as i:nil (minOccurs=1 nillable in the live WSDL)."""
    client = zeep.Client(r9._binding.wsdl.location)
    message = client.create_message(
        client.service, "GetLearnerLearningEvents", invokingOrganisation=r10(),
        userType="LNR", vendorID=1, language="ENG", uln=people.ada, givenName="Ada",
        familyName="Golden", dateOfBirth=None, gender=None, getType="FULL")
    body = message.find("{http://schemas.xmlsoap.org/soap/envelope/}Body")[0]
    names = [etree.QName(child).localname for child in body]
    assert names == ["invokingOrganisation", "userType", "vendorID", "language", "uln",
                     "givenName", "familyName", "dateOfBirth", "gender", "getType"]
