"""Issue 18 item 4: ExternalService.svc reads its xs:dateTime members (AchievementAwardDate,
ActionDate, DateofBirth) in every XSD date form the live WCF serializer reads: a date or a
date and time, with or without a zone, with or without fractional seconds; the achievement
is stored with the calendar date as written."""

from __future__ import annotations

import re

import pytest

from tests.contract.conftest import EXTERNAL_PATH, R9_PATH
from tests.contract.mirror_data import golden, parse, seed
from tests.contract.test_mirror_r9_external import (
    EXTERNAL_ACTION,
    R9_ACTION,
    call,
    record_request,
    run_jobs,
    values,
)

MODEL = "{http://api.lrs.qcf.gov.uk/model}"
# learner -> (AchievementAwardDate, ActionDate, DateofBirth as sent; {year} her birth year)
FORMS = {
    ("Fay", "Award", "fay"): ("2025-06-30", "2025-07-01", "{year}-02-03"),
    ("Eve", "Audit", "eve"): ("2025-06-30Z", "2025-07-01T09:30:00", "{year}-02-03+01:00"),
    ("Dee", "Update", "dee"): ("2025-06-30T23:30:00-05:00", "2025-07-01T09:30:00.1234567Z",
                               "{year}-02-03T00:00:00.0000000"),
}


@pytest.fixture(scope="module")
def people(gateway):
    return seed(gateway.settings, 5)


def submission(people) -> bytes:
    template = golden("external/submit_php.request.xml", **values(people)).decode()
    first = re.search(r"<ns1:Achievement>.*?</ns1:Achievement>", template, re.S)[0]
    records = []
    for (given, family, role), (award, action, birth) in FORMS.items():
        record = first.replace(">Fay<", f">{given}<").replace(">Award<", f">{family}<")
        record = record.replace(people.fay, getattr(people, role))
        record = re.sub(r"(<ns1:AchievementAwardDate>)[^<]*", rf"\g<1>{award}", record)
        record = re.sub(r"(<ns1:ActionDate>)[^<]*", rf"\g<1>{action}", record)
        birth = birth.format(year=people.year)
        records.append(re.sub(r"(<ns1:DateofBirth>)[^<]*", rf"\g<1>{birth}", record))
    start, end = template.index("<ns1:achievements>"), template.index("</ns1:achievements>")
    return (template[:start] + "<ns1:achievements>" + "".join(records)
            + template[end:]).encode()


def test_every_xsd_date_form_is_accepted_and_stored_as_written(gateway, people):
    response = call(gateway, EXTERNAL_PATH, submission(people),
                    f'"{EXTERNAL_ACTION}SubmitAchievementBatchJob"')
    assert response.status_code == 200, response.text
    job = parse(response.content).findtext(f".//{MODEL}JobId")
    run_jobs(gateway.settings)
    get = golden("external/get_job_wcf.request.xml", **values(people, job=job))
    report = parse(call(gateway, EXTERNAL_PATH, get,
                        f'"{EXTERNAL_ACTION}GetAchievementBatchJob"').content)
    assert (report.findtext(f".//{MODEL}Status"), report.findtext(f".//{MODEL}AchievementsCreated"),
            report.findtext(f".//{MODEL}FieldDataErrors")) == ("Successful", "3", "0")
    for given, family, role in FORMS:
        record = parse(call(gateway, R9_PATH, record_request(people, role, given, family),
                            f'"{R9_ACTION}GetLearnerLearningEvents"').content)
        awards = [event.findtext(f"{MODEL}AchievementAwardDate")
                  for event in record.iter(f"{MODEL}LearningEvent")
                  if event.findtext(f"{MODEL}SubjectCode") == "100/2510/8"]
        assert awards == ["2025-06-30"], role
