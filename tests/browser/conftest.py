"""Browser tests: Debian's chromium, driven by Playwright, against a real `lrs-soap serve`.

Playwright's own browser download cannot work on these machines, so the browser is the
system's (`apt-get install chromium`; .ci/run installs it when missing), launched through
``executable_path`` with ``--no-sandbox`` (CI runs as root). Every test is slow-marked: CI
runs them once. Screenshots land in tests/browser/screenshots/ (kept by CI, gitignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.databases import fresh_database

REPO = Path(__file__).parents[2]
SCREENSHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = os.environ.get("LRS_TEST_CHROMIUM") or shutil.which("chromium") or ""
COLLEGE = ("10000001", "demo", "DemoPortalCollege1")
AWARDING = ("10000002", "demo", "DemoPortalAwarding1")
# The demo organisations' SOAP passwords, for the "SOAP sees what the browser did" checks
COLLEGE_SOAP = ("10000001", "demo", "DemoCollege2026!")


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


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(database_url: str, **env: str) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    command = [str(Path(sys.executable).with_name("lrs-soap")), "serve", "--demo",
               "--database-url", database_url, "--bind", f"127.0.0.1:{port}",
               "--public-url", base, "--workers", "2", "--batch-workers", "1"]
    # the checkout under test, whichever one the venv was installed from
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    process = subprocess.Popen(command, env={**os.environ, "LRS_POSSIBLE_MATCH_WAIT_SECONDS": "2",
                                             "LRS_WORKER_POLL_MS": "100", "PYTHONPATH": path,
                                             **env},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("lrs-soap serve exited: " + process.stderr.read().decode()[-2000:])
        try:
            if requests.get(base + "/healthz", timeout=5).status_code == 200:
                return process, base
        except requests.RequestException:
            time.sleep(0.2)
    stop_server(process)
    raise RuntimeError("lrs-soap serve did not answer /healthz within 60 s")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()  # gunicorn's master stops its workers and the batch worker
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    process.stderr.close()


@pytest.fixture(scope="session")
def portal(tmp_path_factory) -> Iterator[Portal]:
    with fresh_database(tmp_path_factory.mktemp("portal-db")) as url:
        process, base = start_server(url)
        try:
            yield Portal(base, url)
        finally:
            stop_server(process)


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
