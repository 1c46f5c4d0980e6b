"""The portal's pages over a real (SQLite) database with the demo loaded, through Flask's
test client: input handling, roles, CSRF and cross-organisation ids without a browser.
One database per module (migrating and loading the demo take a few seconds)."""

from __future__ import annotations

import html
import re

import pytest

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.portal.app import PortalConfig, create_portal
from lrs_soap.service import demo
from lrs_soap.store import migrate

COLLEGE = ("10000001", "demo", "DemoPortalCollege1")
AWARDING = ("10000002", "demo", "DemoPortalAwarding1")
TRAINER = ("10000005", "trainer", "DemoPortalTrainer1")


@pytest.fixture(scope="module")
def services(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('portal') / 'lrs.db'}"
    migrate.upgrade(url)
    with build_runtime(Settings(database_url=url)) as services:
        demo.load(services)
        yield services


@pytest.fixture(scope="module")
def app(services):
    app = create_portal(services, PortalConfig(secret_key="k" * 32))
    app.config["TESTING"] = True
    return app


def csrf_token(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page).group(1)


def signed_in(app, account):
    client = app.test_client()
    organisation, user_name, password = account
    answer = client.post("/sign-in", data={
        "organisation": organisation, "user_name": user_name, "password": password,
        "csrf_token": csrf_token(client, "/sign-in")})
    assert answer.status_code == 302, answer.get_data(as_text=True)[:500]
    return client


def post(client, path: str, data: dict, *, token_from: str | None = None):
    """A form POST with the page's CSRF token (taken from ``token_from`` or the path)."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, token_from or path)})


def text(answer) -> str:
    """The page's text without tags, whitespace collapsed: what a reader sees."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", answer.get_data(as_text=True), flags=re.S)
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    return words.replace("( ", "(").replace(" )", ")").replace(" :", ":")
