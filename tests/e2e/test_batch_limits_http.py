"""The charter's batch limits over HTTP, at the limit and one past it: 200 learner or
verification records are taken and 201 are refused; 10,001 achievements are WSEC0046; and a
WSEC0001 lists every violation up to its cap of 100."""

from __future__ import annotations

import pytest
import requests
from lxml import etree

from tests.conftest import NATIVE_NS
from tests.e2e.test_find_by_uln_e2e import CREDS, envelope, fault_of

AO_CREDS = ("<v:Credentials><v:UKPRN>10000002</v:UKPRN><v:UserName>demo</v:UserName>"
            "<v:OrgPassword>DemoAwarding2026</v:OrgPassword></v:Credentials>")
LEARNER = ("<v:Learner><v:GivenName>Many</v:GivenName><v:FamilyName>People</v:FamilyName>"
           "<v:LastKnownPostCode>LS2 9JT</v:LastKnownPostCode>"
           "<v:DateOfBirth>2001-07-08</v:DateOfBirth><v:Gender>{gender}</v:Gender>"
           "<v:VerificationType>1</v:VerificationType><v:AbilityToShare>1</v:AbilityToShare>"
           "</v:Learner>")
TO_VERIFY = ("<v:Learner><v:ULN>1026893096</v:ULN><v:GivenName>Sam</v:GivenName>"
             "<v:FamilyName>Example</v:FamilyName><v:Gender>{gender}</v:Gender></v:Learner>")
ACHIEVEMENT = ("<v:Achievement><v:Action>CREATE</v:Action><v:ULN>1026893096</v:ULN>"
               "<v:GivenName>Sam</v:GivenName><v:FamilyName>Example</v:FamilyName>"
               "<v:DateOfBirth>2000-01-31</v:DateOfBirth><v:Gender>2</v:Gender>"
               "<v:QualificationReference>100/2510/8</v:QualificationReference>"
               "<v:Grade>Pass</v:Grade><v:AwardDate>2025-07-01</v:AwardDate>"
               "<v:ActionDate>2025-07-02</v:ActionDate><v:ProviderUKPRN>10000001</v:ProviderUKPRN>"
               "</v:Achievement>")


def post(gateway, body: str) -> requests.Response:
    return requests.post(f"{gateway.url}/soap/v1", data=body.encode(), timeout=120,
                         headers={"Content-Type": "text/xml; charset=utf-8"})


def learners(count: int, gender: str = "2") -> str:
    # CHK: finds only, so the 200 taken here register nobody in the shared database
    return envelope(f"<v:SubmitLearnerBatch>{CREDS}<v:JobType>CHK</v:JobType>"
                    f"<v:LearnerRecordCount>{count}</v:LearnerRecordCount>"
                    f"{LEARNER.format(gender=gender) * count}</v:SubmitLearnerBatch>")


def to_verify(count: int, gender: str = "2") -> str:
    return envelope(f"<v:SubmitVerifyBatch>{CREDS}<v:LearnerRecordCount>{count}"
                    f"</v:LearnerRecordCount>{TO_VERIFY.format(gender=gender) * count}"
                    "</v:SubmitVerifyBatch>")


def submitted(response: requests.Response) -> str:
    assert response.status_code == 200, response.text
    tree = etree.fromstring(response.content)
    code = tree.findtext(f".//{{{NATIVE_NS}}}ResponseCode")
    job = tree.findtext(f".//{{{NATIVE_NS}}}JobID")
    assert job and int(job) >= 1
    return code


@pytest.mark.parametrize("message", [learners, to_verify], ids=["learner", "verification"])
def test_two_hundred_records_are_taken_and_two_hundred_and_one_refused(gateway, message):
    assert submitted(post(gateway, message(200))) == "WSRC0007"
    response = post(gateway, message(201))
    assert response.status_code == 500
    code, details = fault_of(response)
    assert code == "WSEC0001"
    # the 201st record is where the schema's maxOccurs="200" ends (all on line 1 here)
    assert details == "line 1: Element 'Learner': This element is not expected."


def test_a_schema_fault_lists_every_violation_up_to_one_hundred(gateway):
    response = post(gateway, to_verify(105, gender="5"))  # 105 records, each a bad Gender
    code, details = fault_of(response)
    lines = details.splitlines()
    assert code == "WSEC0001" and len(lines) == 101
    assert all("Element 'Gender': [facet 'enumeration'] The value '5' is not an element of "
               "the set {'0', '1', '2', '9'}." in line for line in lines[:100])
    assert lines[100] == "... and 5 more"


@pytest.mark.slow  # a 4 MB request of 10,001 records
def test_ten_thousand_and_one_achievements_are_wsec0046(gateway):
    body = envelope(f"<v:SubmitAchievementBatch>{AO_CREDS}<v:RecordCount>10001</v:RecordCount>"
                    f"{ACHIEVEMENT * 10_001}</v:SubmitAchievementBatch>")
    response = post(gateway, body)
    assert response.status_code == 500
    code, details = fault_of(response)
    assert (code, details) == ("WSEC0046", "10001 achievements; at most 10000 per batch")
