"""The admin HTTP API: harness control over HTTP, behind its own token, off by default."""

from __future__ import annotations

import pytest
import requests
import yaml

from lrs_soap.config import Settings, SettingsError
from tests.control.conftest import DATA


def admin(gateway, method, path, token=None, **kwargs):
    token = gateway.admin_token if token is None else token
    return requests.request(method, gateway.admin_url + path, timeout=10,
                            headers={"Authorization": f"Bearer {token}",
                                     **kwargs.pop("headers", {})}, **kwargs)


def ukprns(response) -> list[str]:
    return [o["ukprn"] for o in yaml.safe_load(response.text)["organisations"]]


def test_without_the_token_nothing_is_done(lrs_gateway):
    for token in ("", "wrong-token-wrong-token", lrs_gateway.admin_token + "x"):
        response = admin(lrs_gateway, "POST", "/reset", token=token, json={"state": "empty"})
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"] == "Bearer"
    assert ukprns(admin(lrs_gateway, "GET", "/fixture")) == ["10000001", "10000002", "10000005"]


def test_state_clock_batches_faults_and_seed(lrs_gateway):
    frozen = admin(lrs_gateway, "POST", "/clock",
                   json={"action": "freeze", "at": "2026-09-01T09:00:00Z"}).json()
    assert frozen["now"] == "2026-09-01T09:00:00+00:00"
    moved = admin(lrs_gateway, "POST", "/clock", json={"action": "move", "seconds": 90}).json()
    assert moved["now"] == "2026-09-01T09:01:30+00:00"
    assert admin(lrs_gateway, "POST", "/batches", json={"mode": "hold"}).json() == {
        "mode": "hold", "seconds": 0.0}
    rule = admin(lrs_gateway, "POST", "/faults",
                 json={"action": "fault", "code": "WSEC0999", "count": 2}).json()
    assert admin(lrs_gateway, "POST", "/seed", json={"seed": 42}).json() == {"seed": 42}
    state = admin(lrs_gateway, "GET", "/state").json()
    assert state["clock"]["now"] == "2026-09-01T09:01:30+00:00"
    assert state["batches"] == {"mode": "hold", "seconds": 0.0}
    assert state["seed"] == 42
    assert state["faults"] == [{"id": rule["id"], "action": "fault", "remaining": 2,
                                "operation": None, "organisation": None, "code": "WSEC0999",
                                "delay_ms": None}]
    assert admin(lrs_gateway, "DELETE", f"/faults/{rule['id']}").json() == {"cleared": 1}
    assert admin(lrs_gateway, "GET", "/faults").json() == []


def test_reset_to_a_posted_fixture_and_export(lrs_gateway):
    body = (DATA / "college.yaml").read_bytes()
    response = admin(lrs_gateway, "POST", "/reset", data=body,
                     headers={"Content-Type": "application/yaml"})
    assert response.status_code == 200
    assert response.json()["rows"] > 0
    exported = admin(lrs_gateway, "GET", "/fixture")
    assert exported.headers["Content-Type"].startswith("application/yaml")
    assert ukprns(exported) == ["10012345", "10054321"]
    learners = yaml.safe_load(exported.text)["learners"]
    assert [learner["uln"] for learner in learners] == ["1000000019", "1000000027",
                                                        "1000000035"]


def test_mistakes_are_400_with_the_reason(lrs_gateway):
    bad = (DATA / "college.yaml").read_text().replace('"1000000027"', '"1000000028"')
    response = admin(lrs_gateway, "POST", "/fixture", data=bad.encode(),
                     headers={"Content-Type": "application/yaml"})
    assert response.status_code == 400
    assert response.json()["error"] == ("request line 37: ULN '1000000028' is not a valid ULN "
                                        "(bad check digit)")
    assert admin(lrs_gateway, "POST", "/batches", json={"mode": "later"}).status_code == 400
    assert admin(lrs_gateway, "POST", "/faults", json={"action": "x"}).status_code == 400
    assert admin(lrs_gateway, "GET", "/nothing").status_code == 404


@pytest.mark.lrs_gateway(admin_token="")
def test_the_api_is_off_without_a_token(lrs_gateway):
    response = requests.post(lrs_gateway.admin_url + "/reset", json={"state": "empty"},
                             timeout=10)
    assert response.status_code == 404


def test_a_short_token_is_refused():
    with pytest.raises(SettingsError, match="admin_token must be at least 16 characters"):
        Settings().with_overrides(admin_token="short")
