"""The request journal over real HTTP: what a harness asserts on, with no secret stored."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from lxml import etree

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.service import journal
from lrs_soap.service.journal import JournalOff
from lrs_soap.service.journal_ports import JournalEntry, JournalQuery
from lrs_soap.soap.journal_reading import NOT_STORED_MALFORMED, REDACTED
from tests.conftest import DEMO_LRB
from tests.observability.conftest import find_by_uln, mirror_learner_by_uln, serving

PASSWORD = DEMO_LRB["password"]
SHORT_SECRET = "Hunter2-secret!"  # the wrong length: a schema fault


def latest_id(url: str) -> int:
    with build_runtime(Settings(database_url=url)) as services:
        found = journal.find_calls(services, JournalQuery(limit=1))
    return found[-1].id if found else 0


def calls_since(url: str, after_id: int, **query) -> list[JournalEntry]:
    with build_runtime(Settings(database_url=url)) as services:
        return journal.find_calls(services, JournalQuery(after_id=after_id, **query))


def test_a_harness_sees_exactly_the_three_calls_it_made(demo_url):
    before = latest_id(demo_url)
    with serving(demo_url) as gateway:
        found = gateway.post("/soap/v1", find_by_uln(), **{"X-Request-Id": "harness-call-1"})
        mirror = gateway.post("/LearnerService.svc", mirror_learner_by_uln())
        refused = gateway.post("/soap/v1", find_by_uln(password="WrongPassword123"))
    calls = calls_since(demo_url, before)
    assert [(c.face, c.endpoint, c.operation, c.organisation, c.user_name, c.code,
             c.http_status) for c in calls] == [
        ("native", "/soap/v1", "FindByULN", "10000001", "demo", "WSRC0004", 200),
        ("mirror", "/LearnerService.svc", "learnerByULN", "10000001", "demo", "WSRC0004", 200),
        ("native", "/soap/v1", "FindByULN", "10000001", "demo", "WSEC0005", 500),
    ]
    assert [c.request_id for c in calls] == [
        "harness-call-1", mirror.headers["X-Request-Id"], refused.headers["X-Request-Id"]]
    assert found.headers["X-Request-Id"] == "harness-call-1"
    assert all(c.latency_ms > 0 and c.request_envelope is None for c in calls)
    assert [c.id for c in calls] == sorted(c.id for c in calls)
    # The same search, narrowed: by code, and by operation.
    assert [c.request_id for c in calls_since(demo_url, before, code="WSEC0005")] == [
        refused.headers["X-Request-Id"]]
    assert len(calls_since(demo_url, before, operation="learnerByULN")) == 1


def test_counts_by_operation_and_code_for_one_organisation(demo_url):
    since = dt.datetime.now(dt.UTC)
    with serving(demo_url) as gateway:
        for _ in range(2):
            gateway.post("/soap/v1", find_by_uln())
        gateway.post("/soap/v1", find_by_uln(password="WrongPassword123"))
    with build_runtime(Settings(database_url=demo_url)) as services:
        counts = journal.count_calls(services, since=since, organisation=("10000001", "DEMLRB"))
        other = journal.count_calls(services, since=since, organisation="10000002")
    assert [(c.operation, c.code, c.calls) for c in counts] == [
        ("FindByULN", "WSRC0004", 2), ("FindByULN", "WSEC0005", 1)]
    assert other == []


def test_full_mode_keeps_envelopes_with_every_secret_redacted(demo_url):
    before = latest_id(demo_url)
    with serving(demo_url, journal="full") as gateway:
        gateway.post("/soap/v1", find_by_uln())
        gateway.post("/soap/v1", find_by_uln(password=SHORT_SECRET))
        gateway.post("/LearnerService.svc", mirror_learner_by_uln())
        gateway.post("/soap/v1", b"<not-xml><OrgPassword>" + PASSWORD.encode())
    calls = calls_since(demo_url, before, envelopes=True)
    assert [c.code for c in calls] == ["WSRC0004", "WSEC0001", "WSRC0004", "WSEC0001"]
    native = etree.fromstring(calls[0].request_envelope)
    assert native.findtext(".//{*}OrgPassword") == REDACTED
    assert native.findtext(".//{*}ULN") == "1026893096"
    answer = etree.fromstring(calls[0].response_envelope)
    assert answer.findtext(".//{*}ResponseCode") == "WSRC0004"
    assert etree.fromstring(calls[2].request_envelope).findtext(".//OrgPassword") == REDACTED
    assert calls[3].request_envelope == NOT_STORED_MALFORMED
    assert etree.fromstring(calls[1].request_envelope).findtext(".//{*}OrgPassword") == REDACTED
    # Grep every stored row, every column, for the secrets.
    with build_runtime(Settings(database_url=demo_url)) as services:
        engine = services.journal._engine
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT * FROM request_journal")).all()
    stored = repr(rows).encode() + b"".join(
        value for row in rows for value in row if isinstance(value, bytes))
    assert PASSWORD.encode() not in stored and SHORT_SECRET.encode() not in stored


def test_off_records_nothing_and_says_so(demo_url):
    before = latest_id(demo_url)
    with serving(demo_url, journal="off") as gateway:
        answer = gateway.post("/soap/v1", find_by_uln())
        assert answer.status_code == 200 and "X-Request-Id" in answer.headers
    assert calls_since(demo_url, before) == []
    with build_runtime(Settings(database_url=demo_url, journal="off")) as services, \
            pytest.raises(JournalOff):
        journal.find_calls(services)


def test_retention_keeps_the_newest_rows_and_drops_old_ones(tmp_path):
    from lrs_soap.service import demo
    from lrs_soap.store import migrate
    from tests.databases import fresh_database

    with fresh_database(tmp_path) as url:
        migrate.upgrade(url)
        with build_runtime(Settings(database_url=url)) as services:
            demo.load(services)
            old = dt.datetime.now(dt.UTC) - dt.timedelta(hours=3)
            services.journal.append(JournalEntry(
                id=0, at=old, request_id="ancient", face="native", endpoint="/soap/v1",
                operation="FindByULN", organisation=None, user_name=None, code="WSRC0001",
                http_status=200, latency_ms=1.0))
        with serving(url, journal_max_rows=5, journal_max_age_hours=2) as gateway:
            ids = [gateway.post("/soap/v1", find_by_uln()).headers["X-Request-Id"]
                   for _ in range(7)]
        kept = calls_since(url, 0)
    assert [c.request_id for c in kept] == ids[-5:]


def test_request_ids_accepted_only_when_sane(demo_url):
    with serving(demo_url) as gateway:
        sane = gateway.post("/soap/v1", find_by_uln(), **{"X-Request-Id": "run-7.call_3:a"})
        forged = gateway.post("/soap/v1", find_by_uln(), **{"X-Request-Id": "x" * 65})
        spaced = gateway.post("/soap/v1", find_by_uln(), **{"X-Request-Id": "a b"})
        health = requests_get(gateway.url + "/healthz")
    assert sane.headers["X-Request-Id"] == "run-7.call_3:a"
    for answer in (forged, spaced, health):
        assert len(answer.headers["X-Request-Id"]) == 32
        int(answer.headers["X-Request-Id"], 16)


def requests_get(url: str):
    import requests

    return requests.get(url, timeout=10)


def test_an_endpoint_called_in_another_case_is_journalled_under_its_own_name(demo_url):
    before = latest_id(demo_url)
    with serving(demo_url) as gateway:
        assert gateway.post("/learnerservice.SVC", mirror_learner_by_uln()).status_code == 200
    [call] = calls_since(demo_url, before)
    assert (call.endpoint, call.operation, call.code) == (
        "/LearnerService.svc", "learnerByULN", "WSRC0004")
