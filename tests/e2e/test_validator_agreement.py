"""The offline validator (`lrs-client validate`) and the server agree on every error in a
deliberately broken file of each kind: the schema errors the server's WSEC0001 fault lists,
and the rule errors its finished job reports."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import requests
import zeep
from lrs_client.batches import server_errors
from lrs_client.batchfiles import RULE, SCHEMA, read_batch_file
from lrs_client.batchmessage import build_message, map_fault
from lrs_client.replydata import to_data
from lrs_client.validate import validate_file
from lxml import etree

from lrs_soap.bootstrap import build_runtime
from lrs_soap.domain.calendar import uk_date
from lrs_soap.service.batches import RunSettings, run_next_job
from tests.conftest import DEMO_AO, DEMO_LRB, NATIVE_NS, REPO

DATA = REPO / "tests" / "cli" / "data"
BROKEN = {"LRB_1000001_310220241200.csv": DEMO_LRB, "VLD_10000001_0105202412.XML": DEMO_LRB,
          "ACH_10000001_010520241200.TXT": DEMO_AO,
          # records with a ULN (updates: UpdateLearner's rules) beside one without
          "LRB_10000001_040120261200.CSV": DEMO_LRB}


def credentials(who: dict) -> dict:
    return {"UKPRN": who["ukprn"], "UserName": who["user"], "OrgPassword": who["password"]}


def post(gateway, data: bytes) -> requests.Response:
    return requests.post(f"{gateway.url}/soap/v1", data=data, timeout=60,
                         headers={"Content-Type": "text/xml; charset=utf-8"})


def today() -> dt.date:
    return uk_date(dt.datetime.now(dt.UTC))


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_schema_errors_are_the_servers_fault_word_for_word(gateway, name):
    offline = {e.key() for e in validate_file(DATA / name, today()) if e.category == SCHEMA}
    assert offline, "the sample should break the schema"
    message = build_message(read_batch_file(DATA / name), credentials(BROKEN[name]))
    response = post(gateway, message.data)
    assert response.status_code == 500
    tree = etree.fromstring(response.content)
    assert tree.findtext(f".//{{{NATIVE_NS}}}ErrorCode") == "WSEC0001"
    details = tree.findtext(f".//{{{NATIVE_NS}}}FurtherDetails")
    assert {e.key() for e in map_fault(details, message)} == offline


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_rule_errors_are_the_jobs_record_errors(gateway, name):
    errors = validate_file(DATA / name, today())
    schema_broken = {e.record for e in errors if e.category != RULE}
    offline = {e.key() for e in errors if e.category == RULE and e.record not in schema_broken}
    if name.startswith("ACH"):
        assert len(offline) >= 4, "the sample should break several record rules"
    batch = read_batch_file(DATA / name)
    # Keep the records whose only errors are rules, and drop the broken header values.
    header = {k: v for k, v in batch.header.items() if k not in ("ContactEmail",
                                                                  "SubmissionType")}
    clean = dataclasses.replace(batch, header=header, records=[
        r for r in batch.records if r.number not in schema_broken])
    message = build_message(clean, credentials(BROKEN[name]))
    reply = etree.fromstring(post(gateway, message.data).content)
    assert reply.findtext(f".//{{{NATIVE_NS}}}ResponseCode") == "WSRC0007"
    job_id = int(reply.findtext(f".//{{{NATIVE_NS}}}JobID"))
    with build_runtime(gateway.settings) as services:
        while run_next_job(services, RunSettings(worker="agreement")) is not None:
            pass
    client = zeep.Client(str(REPO / "wsdl" / "lrs-native-v1.wsdl"))
    native = client.create_service(f"{{{NATIVE_NS}}}LrsNativeBinding", f"{gateway.url}/soap/v1")
    data = to_data(getattr(native, message.kind.get)(Credentials=credentials(BROKEN[name]),
                                                     JobID=job_id))
    assert data["ResponseCode"] == "WSRC0009"
    found = server_errors(message.kind, data, message.records)
    # The server also knows what no offline tool can: learners and qualifications it holds.
    stored_state = {e.key() for e in found if e.field in ("ULN", "GivenName", "FamilyName",
                                                          "DateOfBirth", "Gender",
                                                          "QualificationReference", "Action")
                    and e.key() not in offline}
    assert {e.key() for e in found} - stored_state == offline

