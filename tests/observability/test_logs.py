"""Structured logs: one JSON object a line, the request id on every line of a request (the
same id the answer's header carries), and no personal data or password at INFO."""

from __future__ import annotations

import io
import json
import logging

import pytest

from lrs_soap.observability import logs
from tests.conftest import NATIVE_NS
from tests.observability.conftest import SOAP_NS, find_by_uln, mirror_learner_by_uln, serving

CREDS = ("<v:Credentials><v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
         "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>")
DEMOGRAPHICS = ("<v:GivenName>Quentin</v:GivenName><v:FamilyName>Zebedee-Loggs</v:FamilyName>"
                "<v:DateOfBirth>2003-04-05</v:DateOfBirth><v:Gender>1</v:Gender>"
                "<v:LastKnownPostCode>YO1 7HH</v:LastKnownPostCode>")
PERSONAL = ("Quentin", "Zebedee", "2003-04-05", "YO1 7HH", "Sam", "Example", "1026893096",
            "DemoCollege2026!", "WrongPassword123")


def envelope(body: str) -> bytes:
    return (f'<s:Envelope xmlns:s="{SOAP_NS}" xmlns:v="{NATIVE_NS}"><s:Body>{body}'
            "</s:Body></s:Envelope>").encode()


@pytest.fixture
def json_log():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logs.JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream
    root.removeHandler(handler)
    root.setLevel(level)


def test_one_json_event_a_line_with_the_request_id_and_nothing_personal(demo_url, json_log):
    with serving(demo_url) as gateway:
        answers = [
            gateway.post("/soap/v1", find_by_uln()),
            gateway.post("/soap/v1", find_by_uln(password="WrongPassword123")),
            gateway.post("/soap/v1", envelope(
                f"<v:FindByDemographics>{CREDS}<v:FindType>FUL</v:FindType>"
                f"<v:Demographics>{DEMOGRAPHICS}</v:Demographics></v:FindByDemographics>")),
            gateway.post("/soap/v1", envelope(  # incomplete learner: a schema fault
                f"<v:RegisterLearner>{CREDS}<v:Learner>{DEMOGRAPHICS}</v:Learner>"
                "</v:RegisterLearner>")),
            gateway.post("/soap/v1", envelope(f"<v:FindByULN>{CREDS}<v:ULN>Quentin 2003-04-05"
                                              "</v:ULN></v:FindByULN>")),
            gateway.post("/LearnerService.svc", mirror_learner_by_uln()),
            gateway.post("/LearnerService.svc", b"<broken>Zebedee-Loggs YO1 7HH"),
        ]
    lines = json_log.getvalue().splitlines()
    events = [json.loads(line) for line in lines]  # every line is one JSON object
    calls = [e for e in events if e.get("event") == "soap_call"]
    assert [e["request_id"] for e in calls] == [a.headers["X-Request-Id"] for a in answers]
    assert [e["code"] for e in calls] == [
        "WSRC0004", "WSEC0005", "WSRC0001", "WSEC0001", "WSEC0001", "WSRC0004", "WSEC0001"]
    assert {e["level"] for e in calls} == {"INFO"}
    # Every line logged while a request was answered carries that request's id.
    ids = {a.headers["X-Request-Id"] for a in answers}
    during = [e for e in events if e["logger"].startswith("lrs_soap")]
    assert during and all(e["request_id"] in ids for e in during)
    for personal in PERSONAL:
        assert personal not in json_log.getvalue()


def test_text_format_also_names_the_request_id():
    config = logs.logging_config("INFO", "text")
    assert "%(request_id)s" in config["formatters"]["lrs"]["format"]
    record = logging.LogRecord("x", logging.INFO, "", 0, "hello %s", ("you",), None)
    logs.RequestIdFilter().filter(record)
    assert record.request_id == "-"
    event = json.loads(logs.JsonFormatter().format(record))
    assert (event["message"], event["request_id"], event["level"]) == ("hello you", None, "INFO")


def test_a_line_logged_after_stderr_was_swapped_and_closed_reaches_the_new_stderr(monkeypatch):
    # serve's CLI configures logging once; a batch worker thread may log after whoever held
    # sys.stderr then (a test runner's capture) closed it: the line goes to today's stderr.
    first, second = io.StringIO(), io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        monkeypatch.setattr("sys.stderr", first)
        logs.configure("INFO", "json")
        first.close()
        monkeypatch.setattr("sys.stderr", second)
        logging.getLogger("lrs_soap.test").info("worker %s stopped", "w1")
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    lines = second.getvalue().splitlines()
    assert [json.loads(line)["message"] for line in lines] == ["worker w1 stopped"]
