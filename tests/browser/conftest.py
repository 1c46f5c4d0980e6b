"""Browser tests: Debian's chromium, driven by Playwright, against a real `lrs-soap serve`.

Playwright's own browser download cannot work on these machines, so the browser is the
system's (`apt-get install chromium`; .ci/run installs it when missing), launched through
``executable_path`` with ``--no-sandbox`` (CI runs as root). Every test is slow-marked: CI
runs them once. Screenshots land in tests/browser/screenshots/ (kept by CI, gitignored).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.databases import fresh_database
from tests.e2e.servers import served_gateway

SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = os.environ.get("LRS_TEST_CHROMIUM") or shutil.which("chromium") or ""
COLLEGE = ("10000001", "demo", "DemoPortalCollege1")
AWARDING = ("10000002", "demo", "DemoPortalAwarding1")
# The demo organisations' SOAP passwords, for the "SOAP sees what the browser did" checks
COLLEGE_SOAP = ("10000001", "demo", "DemoCollege2026!")
TRAINER = ("10000005", "trainer", "DemoPortalTrainer1")


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.slow)


@dataclass(frozen=True)
class Portal:
    base: str  # http://127.0.0.1:PORT
    database_url: str

    @property
    def url(self) -> str:
        return self.base + "/portal/"


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    """Environment variables set while a server process starts (it copies them)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name)
            else:
                os.environ[name] = value


@pytest.fixture(scope="session")
def portal(tmp_path_factory) -> Iterator[Portal]:
    with contextlib.ExitStack() as stack:
        url = stack.enter_context(fresh_database(tmp_path_factory.mktemp("portal-db")))
        # WARNING: served_gateway reads the server's output only at the end, and an access
        # line per request (INFO) would fill the pipe and stall the server mid-suite.
        with _environment(LRS_POSSIBLE_MATCH_WAIT_SECONDS="2", LRS_WORKER_POLL_MS="100",
                          LRS_LOG_LEVEL="WARNING"):
            served = stack.enter_context(served_gateway(url, "--batch-workers", "1"))
        yield Portal(served.url, url)


@pytest.fixture(scope="session")
def admin(portal):
    """The service layer on the portal's database, for what an administrator does aside."""
    from lrs_soap.bootstrap import build_runtime
    from lrs_soap.config import Settings

    with build_runtime(Settings(database_url=portal.database_url)) as services:
        yield services


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM:
        pytest.skip("no chromium: apt-get install -y chromium (or set LRS_TEST_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM,
                                              args=["--no-sandbox", "--disable-gpu"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def sign_in(page, portal: Portal, account: tuple[str, str, str]) -> None:
    organisation, user_name, password = account
    page.goto(portal.url + "sign-in")
    page.get_by_label("Organisation").fill(organisation)
    page.get_by_label("User name").fill(user_name)
    page.get_by_label("Password", exact=True).fill(password)
    press(page, "Sign in")


def press(page, button: str) -> None:
    """Click a button that submits a form, and wait for the page it leads to."""
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()


def follow(page, link: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=link, exact=True).click()


def accessible(page) -> None:
    """No axe-core violation of serious or critical impact on the page as it stands."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"axe violations on {page.url}: {bad}"


def screenshot(page, name: str, *, width: int | None = None) -> Path:
    """A full-page screenshot (optionally at a given viewport width) for reviewers."""
    SCREENSHOTS.mkdir(exist_ok=True)
    if width:
        page.set_viewport_size({"width": width, "height": 800})
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


FOCUSED = """() => { const e = document.activeElement;
  return [e.labels && e.labels.length ? e.labels[0].innerText : '', e.innerText || '']
    .map(t => t.trim()); }"""


def tab_to(page, text: str, limit: int = 80) -> None:
    """Press Tab until the focused element's label (or a button's or link's text) is
    ``text``: the element is reachable with the keyboard alone, in the page's order."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        label, shown = page.evaluate(FOCUSED)
        if label.split("\n")[0] == text or shown == text:
            return
    raise AssertionError(f"{text!r} not reached with Tab on {page.url}")


def keyboard_sign_in(page, portal, account) -> None:
    page.goto(portal.url + "sign-in")
    for label, value in zip(("Organisation", "User name", "Password"), account, strict=True):
        tab_to(page, label)
        page.keyboard.type(value)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def enter_page(page) -> None:
    with page.expect_navigation():
        page.keyboard.press("Enter")
