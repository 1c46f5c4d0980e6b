"""`lrs-soap journal`: searching the calls a harness made, as a table or JSON."""

from __future__ import annotations

import json
import uuid

import pytest
from lxml import etree

from lrs_soap.entrypoints.cli import main
from tests.observability.conftest import find_by_uln, mirror_learner_by_uln, serving


@pytest.fixture(scope="module")
def three_calls(demo_url) -> str:
    """A FindByULN, a refused FindByULN and a mirror learnerByULN, from org 10000001."""
    run = uuid.uuid4().hex[:8]
    with serving(demo_url, journal="full") as gateway:
        gateway.post("/soap/v1", find_by_uln(), **{"X-Request-Id": f"{run}-1"})
        gateway.post("/soap/v1", find_by_uln(password="WrongPassword123"),
                     **{"X-Request-Id": f"{run}-2"})
        gateway.post("/LearnerService.svc", mirror_learner_by_uln(),
                     **{"X-Request-Id": f"{run}-3"})
    return run


def journal_json(capsys, demo_url, *options: str) -> list[dict]:
    capsys.readouterr()
    assert main(["journal", "--database-url", demo_url, "--since", "10m", "--json",
                 *options]) == 0
    return json.loads(capsys.readouterr().out)


def test_search_by_operation_and_code(capsys, demo_url, three_calls):
    refused = journal_json(capsys, demo_url, "--operation", "FindByULN", "--code", "WSEC0005",
                           "--org", "10000001")
    assert [(c["request_id"], c["code"], c["http_status"]) for c in refused
            if c["request_id"].startswith(three_calls)] == [(f"{three_calls}-2", "WSEC0005", 500)]
    mine = [c for c in journal_json(capsys, demo_url) if c["request_id"].startswith(three_calls)]
    assert [(c["operation"], c["face"], c["code"]) for c in mine] == [
        ("FindByULN", "native", "WSRC0004"), ("FindByULN", "native", "WSEC0005"),
        ("learnerByULN", "mirror", "WSRC0004")]
    assert mine[0]["request_envelope"] is None  # only with --envelopes


def test_envelopes_on_request_with_the_password_redacted(capsys, demo_url, three_calls):
    [call] = journal_json(capsys, demo_url, "--request-id", f"{three_calls}-1", "--envelopes")
    request = etree.fromstring(call["request_envelope"].encode())
    assert request.findtext(".//{*}OrgPassword") == "***"
    assert etree.fromstring(call["response_envelope"].encode()).findtext(
        ".//{*}ResponseCode") == "WSRC0004"
    capsys.readouterr()
    assert main(["journal", "--database-url", demo_url, "--request-id", f"{three_calls}-3",
                 "--envelopes"]) == 0
    table = capsys.readouterr().out
    assert "#" in table and "WSRC0004" in table
    assert "DemoCollege2026!" not in table and "<OrgPassword>***</OrgPassword>" in table


def test_a_journal_that_is_off_is_an_error_not_an_empty_answer(capsys, demo_url, monkeypatch):
    monkeypatch.setenv("LRS_JOURNAL", "off")
    assert main(["journal", "--database-url", demo_url]) == 2
    assert "journal is off" in capsys.readouterr().err


def test_since_takes_a_time_ago_or_an_iso_time(capsys, demo_url, three_calls):
    assert journal_json(capsys, demo_url, "--since", "2099-01-01T00:00:00") == []
    with pytest.raises(SystemExit):
        main(["journal", "--database-url", demo_url, "--since", "yesterday"])
