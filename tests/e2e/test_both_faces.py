"""One scenario (register, verify, achievement batch, record, merge) run through both faces
gives the same outcomes.

The native face (/soap/v1) and the LRS mirror face (LearnerService.svc, ExternalService.svc,
LearnerServiceR9.svc) sit on the same services: the same story, told through each face for
two equivalent new people, must pass through the same response codes. Each face is wrapped
in a small adapter returning plain values, so the scenario itself is written once. The merge
is an administrator's action (the `lrs-soap learners merge` command), the same for both.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

import pytest
import zeep

from lrs_soap.bootstrap import build_runtime
from lrs_soap.entrypoints.cli import main as lrs_soap
from lrs_soap.service.batches import RunSettings, run_next_job
from tests.conftest import DEMO_AO, DEMO_LRB, NATIVE_NS, REPO

QUALIFICATION = "100/2510/8"  # owned by the demo awarding organisation, 10000002
UNKNOWN_ULN = "1748529632"  # valid check digit, held by nobody
POSSIBLE_MATCH_WAIT = 1.05  # the gateway fixture's possible-match wait is one second


@dataclass(frozen=True)
class Person:
    given: str
    family: str
    born: dt.date
    gender: str
    postcode: str


# Two equivalent people, one per face, with names and birth dates no other test uses.
PEOPLE = {
    "native": Person("Ottoline", "Bothfacesnative", dt.date(1987, 3, 20), "2", "LS6 2QT"),
    "mirror": Person("Ottoline", "Bothfacesmirror", dt.date(1987, 4, 20), "2", "LS6 2QT"),
}
DUPLICATE_POSTCODE = "YO24 1AB"


@dataclass(frozen=True)
class Found:
    code: str
    uln: str | None = None


@dataclass(frozen=True)
class BatchResult:
    code: str
    created: int
    rejected: int


@dataclass(frozen=True)
class Record:
    code: str
    found_uln: str | None
    subject_codes: list[str]


def _credentials(who) -> dict:
    return {"UKPRN": who["ukprn"], "UserName": who["user"], "OrgPassword": who["password"]}


class NativeFace:
    """/soap/v1 through a zeep client built from wsdl/lrs-native-v1.wsdl."""

    name = "native"

    def __init__(self, gateway):
        client = zeep.Client(str(REPO / "wsdl" / "lrs-native-v1.wsdl"))
        self.soap = client.create_service(f"{{{NATIVE_NS}}}LrsNativeBinding",
                                          f"{gateway.url}/soap/v1")

    def find_by_demographics(self, p: Person) -> Found:
        response = self.soap.FindByDemographics(
            Credentials=_credentials(DEMO_LRB), FindType="FUL", Demographics={
                "GivenName": p.given, "FamilyName": p.family, "DateOfBirth": p.born,
                "Gender": p.gender, "LastKnownPostCode": p.postcode})
        return Found(response.ResponseCode, *[learner.ULN for learner in response.Learner][:1])

    def register(self, p: Person) -> Found:
        response = self.soap.RegisterLearner(Credentials=_credentials(DEMO_LRB), Learner={
            "GivenName": p.given, "FamilyName": p.family, "DateOfBirth": p.born,
            "Gender": p.gender, "LastKnownPostCode": p.postcode, "VerificationType": "1",
            "AbilityToShare": "1"})
        return Found(response.ResponseCode, response.ULN)

    def find_by_uln(self, uln: str, p: Person) -> Found:
        response = self.soap.FindByULN(Credentials=_credentials(DEMO_LRB), FindType="FUL",
                                       ULN=uln, GivenName=p.given, FamilyName=p.family)
        return Found(response.ResponseCode, response.Learner.ULN if response.Learner else None)

    def verify(self, uln: str, p: Person) -> Found:
        response = self.soap.VerifyLearnerDetails(Credentials=_credentials(DEMO_AO), ULN=uln,
                                                  GivenName=p.given, FamilyName=p.family)
        verified = response.VerifiedLearner
        return Found(response.ResponseCode, verified.ULN if verified else None)

    def submit_achievements(self, uln: str, p: Person) -> tuple[str, int]:
        def record(for_uln):
            return {"Action": "CREATE", "ULN": for_uln, "GivenName": p.given,
                    "FamilyName": p.family, "DateOfBirth": p.born, "Gender": p.gender,
                    "QualificationReference": QUALIFICATION, "Grade": "Merit",
                    "AwardDate": dt.date(2024, 7, 1), "ActionDate": dt.date(2024, 7, 2),
                    "ProviderUKPRN": DEMO_LRB["ukprn"]}

        response = self.soap.SubmitAchievementBatch(
            Credentials=_credentials(DEMO_AO), RecordCount=2,
            Achievement=[record(uln), record(UNKNOWN_ULN)])
        return response.ResponseCode, response.JobID

    def get_achievements(self, job: int) -> BatchResult:
        response = self.soap.GetAchievementBatch(Credentials=_credentials(DEMO_AO), JobID=job)
        return BatchResult(response.ResponseCode, response.AchievementsCreated,
                           response.RejectedRecords)

    def learner_record(self, uln: str, p: Person) -> Record:
        response = self.soap.GetLearnerRecord(Credentials=_credentials(DEMO_LRB), ULN=uln,
                                              GivenName=p.given, FamilyName=p.family,
                                              GetType="FULL")
        events = response.LearnerRecord.LearningEvent if response.LearnerRecord else []
        return Record(response.ResponseCode, response.FoundULN,
                      [event.SubjectCode for event in events])


class MirrorFace:
    """The LRS mirror: zeep clients built from the live-shaped WSDLs the gateway serves."""

    name = "mirror"

    def __init__(self, gateway):
        self.learners = zeep.Client(str(REPO / "wsdl" / "LearnerService.wsdl")).create_service(
            "{http://tempuri.org/}BasicHttpBinding_LearnerPortType",
            f"{gateway.url}/LearnerService.svc")
        self.r9 = zeep.Client(f"{gateway.url}/LearnerServiceR9.svc?singleWsdl").service
        self.external = zeep.Client(f"{gateway.url}/ExternalService.svc?singleWsdl").service

    @staticmethod
    def _header(who) -> dict:
        return {"OrganisationRef": None, "UKPRN": who["ukprn"], "OrgPassword": who["password"],
                "UserName": who["user"]}

    @staticmethod
    def _user() -> dict:  # ExternalService.svc names the organisation by its reference
        return {"OrganisationRef": "DEMOAO", "UserName": DEMO_AO["user"],
                "OrgPassword": DEMO_AO["password"]}

    def find_by_demographics(self, p: Person) -> Found:
        response = self.learners.learnerByDemographics(
            FindType="FUL", **self._header(DEMO_LRB), FamilyName=p.family, GivenName=p.given,
            DateOfBirth=p.born.isoformat(), Gender=p.gender, LastKnownPostCode=p.postcode,
            PreviousFamilyName=None, SchoolAtAge16=None, PlaceOfBirth=None, EmailAddress=None)
        return Found(response.ResponseCode, *[learner.ULN for learner in response.Learner][:1])

    def register(self, p: Person) -> Found:
        response = self.learners.registerSingleLearner(**self._header(DEMO_LRB), Learner={
            "GivenName": p.given, "FamilyName": p.family, "LastKnownPostCode": p.postcode,
            "DateOfBirth": p.born.isoformat(), "Gender": p.gender, "VerificationType": "1",
            "AbilityToShare": "1"})
        return Found(response.ResponseCode, response.ULN)

    def find_by_uln(self, uln: str, p: Person) -> Found:
        response = self.learners.learnerByULN(FindType="FUL", **self._header(DEMO_LRB), ULN=uln,
                                              FamilyName=p.family, GivenName=p.given)
        return Found(response.ResponseCode, *[learner.ULN for learner in response.Learner][:1])

    def verify(self, uln: str, p: Person) -> Found:
        # zeep unwraps VerifyLearnerResponse's only child
        response = self.learners.verifyLearner(**self._header(DEMO_AO), LearnerToVerify={
            "ULN": uln, "FamilyName": p.family, "GivenName": p.given, "DateOfBirth": None,
            "Gender": None})
        return Found(response.ResponseCode, response.ULN)

    def submit_achievements(self, uln: str, p: Person) -> tuple[str, int]:
        def record(for_uln, number):
            return {"AchievementAwardDate": dt.datetime(2024, 7, 1), "Action": 1,
                    "ActionDate": dt.datetime(2024, 7, 2, 9, 30),
                    "DateofBirth": dt.datetime.combine(p.born, dt.time()),
                    "FamilyName": p.family, "Gender": int(p.gender), "GivenName": p.given,
                    "Grade": "Merit", "MisIdentifier": f"BF-{number}",
                    "ProviderUkprn": DEMO_LRB["ukprn"], "Uln": for_uln,
                    "UnitOrQualificationReferenceNumber": QUALIFICATION}

        response = self.external.SubmitAchievementBatchJob(
            invokingUser=self._user(), emailAddress="results@example.org",
            submissionType="FINAL",
            achievements={"Achievement": [record(uln, 1), record(UNKNOWN_ULN, 2)]})
        return response.ResponseCode, response.JobId

    def get_achievements(self, job: int) -> BatchResult:
        response = self.external.GetAchievementBatchJob(invokingUser=self._user(), jobId=job)
        rejected = sum(count or 0 for count in (response.LearnerDataErrors,
                                                response.BusinessRuleErrors,
                                                response.FieldDataErrors))
        return BatchResult(response.ResponseCode, response.AchievementsCreated, rejected)

    def learner_record(self, uln: str, p: Person) -> Record:
        response = self.r9.GetLearnerLearningEvents(
            invokingOrganisation={"Ukprn": DEMO_LRB["ukprn"], "Username": DEMO_LRB["user"],
                                  "Password": DEMO_LRB["password"]},
            userType="LNR", vendorID=1, language="ENG", uln=uln, givenName=p.given,
            familyName=p.family, dateOfBirth=p.born.isoformat(), gender=None, getType="FULL")
        events = response.LearnerRecord.LearningEvent if response.LearnerRecord else []
        return Record(response.ResponseCode, response.FoundULN,
                      [event.SubjectCode for event in events])


FACES = {"native": NativeFace, "mirror": MirrorFace}


def process_jobs(gateway) -> int:
    done = 0
    with build_runtime(gateway.settings) as services:
        while run_next_job(services, RunSettings(worker="both-faces-test")) is not None:
            done += 1
    return done


def merge(gateway, duplicate: str, master: str) -> None:
    """An administrator links the duplicate ULN to its master: the same for both faces."""
    assert lrs_soap(["learners", "merge", duplicate, master, "--by", "both-faces-admin",
                     "--database-url", gateway.settings.database_url]) == 0


def run_scenario(face, gateway, p: Person) -> list[str]:
    """The story, step by step; returns the response code of every step in order."""
    codes: list[str] = []

    # 1-3: a search finds nobody, so the provider registers the learner, then finds them
    searched = face.find_by_demographics(p)
    codes.append(searched.code)
    registered = face.register(p)
    codes.append(registered.code)
    master = registered.uln
    assert master and master != UNKNOWN_ULN
    found = face.find_by_uln(master, p)
    codes.append(found.code)
    assert found.uln == master

    # 4: the awarding organisation verifies the learner
    verified = face.verify(master, p)
    codes.append(verified.code)
    assert verified.uln == master

    # 5: an achievement for the learner, and one for a ULN nobody holds
    submitted, job = face.submit_achievements(master, p)
    codes.append(submitted)
    assert job
    assert process_jobs(gateway) >= 1
    batch = face.get_achievements(job)
    codes.append(batch.code)
    assert (batch.created, batch.rejected) == (1, 1), batch

    # 6: the record holds the one achievement
    record = face.learner_record(master, p)
    codes.append(record.code)
    assert (record.found_uln, record.subject_codes) == (master, [QUALIFICATION])

    # 7: the same person registered again (moved house), then merged into the master
    moved = Person(p.given, p.family, p.born, p.gender, DUPLICATE_POSTCODE)
    possible = face.find_by_demographics(moved)
    codes.append(possible.code)
    assert possible.uln == master
    time.sleep(POSSIBLE_MATCH_WAIT)
    second = face.register(moved)
    codes.append(second.code)
    duplicate = second.uln
    assert duplicate and duplicate != master
    merge(gateway, duplicate, master)

    # 8-10: the duplicate ULN now answers with the master and the master's record
    through = face.find_by_uln(duplicate, p)
    codes.append(through.code)
    assert through.uln == master
    verified_duplicate = face.verify(duplicate, p)
    codes.append(verified_duplicate.code)
    assert verified_duplicate.uln == master
    merged_record = face.learner_record(duplicate, p)
    codes.append(merged_record.code)
    assert (merged_record.found_uln, merged_record.subject_codes) == (master, [QUALIFICATION])
    return codes


EXPECTED = [
    "WSRC0001",  # find by demographics: nobody
    "WSRC0005",  # registered
    "WSRC0004",  # found by ULN
    "WSVRC001",  # verified by the awarding organisation
    "WSRC0007",  # achievement batch accepted
    "WSRC0009",  # achievement batch done: 1 created, 1 rejected
    "WSRC0004",  # learner record with the achievement
    "WSRC0003",  # the duplicate is first a possible match
    "WSRC0005",  # the duplicate registered after the wait
    "WSRC0022",  # found by the duplicate ULN: the master
    "WSVRC002",  # verified by the duplicate ULN: the master
    "WSRC0022",  # the record read through the duplicate ULN: the master's
]


@pytest.mark.parametrize("face", list(FACES))
def test_the_scenario_through_one_face(gateway, face):
    assert run_scenario(FACES[face](gateway), gateway, PEOPLE[face]) == EXPECTED


def test_both_faces_give_the_same_codes(gateway):
    """Run both faces here, for their own people, so this test does not depend on the order
    of the others."""
    results = {}
    for face, adapter in FACES.items():
        p = PEOPLE[face]
        person = Person(p.given, p.family + "again", p.born.replace(year=1986), p.gender,
                        p.postcode)
        results[face] = run_scenario(adapter(gateway), gateway, person)
    print(f"native: {results['native']}\nmirror: {results['mirror']}")
    assert results["native"] == results["mirror"]
