"""Fixtures shared by every tier: a migrated database with demo data, the WSGI app behind a
real HTTP server in a thread, and a check that every SOAP response honours the contract."""

from __future__ import annotations

import contextlib
import functools
import inspect
import logging
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from lxml import etree

from lrs_soap.config import Settings
from tests.databases import backend, fresh_database

REPO = Path(__file__).resolve().parent.parent
SOAP_ENV = "{http://schemas.xmlsoap.org/soap/envelope/}"
NATIVE_NS = "urn:lrs-soap:native:v1"
DEMO_LRB = dict(ukprn="10000001", user="demo", password="DemoCollege2026!")
DEMO_AO = dict(ukprn="10000002", user="demo", password="DemoAwarding2026")


@dataclass
class ContractChecker:
    """Validates the body of every SOAP response against the hand-written XSD."""

    schema: etree.XMLSchema = field(default_factory=lambda: etree.XMLSchema(
        etree.parse(str(REPO / "xsd" / "lrs-native-v1.xsd"))))
    checked: int = 0
    failures: list[str] = field(default_factory=list)

    def check(self, body: bytes) -> None:
        envelope = etree.fromstring(body)
        payload = envelope.find(f"{SOAP_ENV}Body")[0]
        if payload.tag == f"{SOAP_ENV}Fault":
            detail = payload.find("detail")
            payload = detail[0] if detail is not None and len(detail) else None
            if payload is None:
                self.failures.append("fault without LrsFault detail")
                return
        self.checked += 1
        if not self.schema.validate(payload):
            self.failures.append(f"{payload.tag}: {self.schema.error_log.last_error}")


class CheckedApp:
    """WSGI middleware: passes everything through, checking SOAP responses on the way out."""

    def __init__(self, app, checker: ContractChecker):
        self.app, self.checker = app, checker

    def __call__(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured["type"] = dict(headers).get("Content-Type", "")
            return start_response(status, headers, exc_info)

        body = b"".join(self.app(environ, capture))
        # The native contract only: the mirror faces (/LearnerService.svc…) have their own.
        native = environ.get("PATH_INFO", "").rstrip("/") == "/soap/v1"
        if (native and environ["REQUEST_METHOD"] == "POST"
                and captured["type"].startswith("text/xml")):
            self.checker.check(body)
        return [body]


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # the access log would clutter test output
        pass


class _ThreadedServer(WSGIServer):
    daemon_threads = True


@pytest.fixture(scope="session")
def contract_checker() -> Iterator[ContractChecker]:
    checker = ContractChecker()
    yield checker
    assert not checker.failures, f"responses broke the contract: {checker.failures}"


@pytest.fixture
def fresh_database_url(tmp_path) -> Iterator[str]:
    """An empty database on this run's backend (SQLite, or PostgreSQL: tests/databases.py)."""
    with fresh_database(tmp_path) as url:
        yield url


@contextlib.contextmanager
def demo_database_in(folder: Path) -> Iterator[str]:
    """A migrated database with the demo data, on this run's backend."""
    from lrs_soap.bootstrap import build_runtime
    from lrs_soap.service import demo
    from lrs_soap.store import migrate

    with fresh_database(folder) as url:
        migrate.upgrade(url)
        with build_runtime(Settings(database_url=url)) as services:
            demo.load(services)
        yield url


@contextlib.contextmanager
def served_in_a_thread(make_app) -> Iterator[tuple[str, object]]:
    """``make_app(url)``'s WSGI app behind a real HTTP server on a free loopback port, in a
    thread of this process; yields (url, app)."""
    holder: dict = {}
    server = make_server("127.0.0.1", 0, lambda e, s: holder["app"](e, s),
                         server_class=_ThreadedServer, handler_class=_QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    holder["app"] = make_app(url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield url, holder["app"]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Iterator[str]:
    with demo_database_in(tmp_path_factory.mktemp("db")) as url:
        yield url


@dataclass
class RunningGateway:
    url: str
    settings: Settings
    app: object
    runtime: object = None  # the gateway's own services (for test housekeeping)

    @property
    def wsdl_url(self) -> str:
        return f"{self.url}/soap/v1?wsdl"


@pytest.fixture(scope="session")
def gateway(demo_database, contract_checker) -> Iterator[RunningGateway]:
    """The real WSGI app behind a real HTTP server on a free loopback port."""
    from lrs_soap.entrypoints.wsgi import create_app

    made = {}

    def make_app(url: str):
        made["settings"] = Settings(database_url=demo_database, public_url=url,
                                    bind=url.removeprefix("http://"),
                                    possible_match_wait_seconds=1)
        made["app"] = create_app(made["settings"])
        return CheckedApp(made["app"], contract_checker)

    with served_in_a_thread(make_app) as (url, app):
        yield RunningGateway(url, made["settings"], app, made["app"].runtime)
    made["app"].close()


@pytest.fixture(scope="session", autouse=True)
def _one_argon2_hash_per_password() -> Iterator[None]:
    """Most tests make their accounts afresh, and an Argon2 hash costs tens of milliseconds
    on purpose: in the test process each password is hashed once, with the product's hasher
    and parameters, and that real hash is stored again for the next account with the same
    password (only the salt is shared). Servers run as processes hash as in production."""
    from lrs_soap.passwords import Argon2Passwords

    real, made = Argon2Passwords.hash, {}
    lock = threading.Lock()

    def hash_once(self, password: str) -> str:
        hasher = self._hasher
        key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism, password)
        with lock:
            known = made.get(key)
        if known is None:
            known = real(self, password)
            with lock:
                known = made.setdefault(key, known)
        return known

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Argon2Passwords, "hash", hash_once)
        yield


@pytest.fixture(autouse=True)
def _logging_restored():
    """A command run in-process configures logging for its process (observability.logs):
    in the test process that would outlive the test, and the session gateway's per-call
    lines would land in later tests' captured stderr."""
    loggers = [logging.getLogger(name) for name in ("", "gunicorn.error", "gunicorn.access")]
    saved = [(logger.handlers[:], logger.level, logger.propagate) for logger in loggers]
    yield
    for logger, (handlers, level, propagate) in zip(loggers, saved, strict=True):
        logger.handlers[:] = handlers
        logger.setLevel(level)
        logger.propagate = propagate


@pytest.fixture(autouse=True)
def _demo_sign_ins_forgotten(request):
    """The session gateway is shared by many modules: a test that sends wrong passwords on
    purpose must not leave the demo organisations locked out (sign_in_throttle) for the
    tests that run after it."""
    yield
    if "gateway" not in request.fixturenames:
        return
    running = request.getfixturevalue("gateway")
    if not isinstance(running, RunningGateway):
        return
    from lrs_soap.service import sign_in_throttle

    services = running.runtime.services
    for demo in (DEMO_LRB, DEMO_AO):
        sign_in_throttle.clear(services, demo["ukprn"], by="tests")


@pytest.hookimpl(trylast=True)  # after -m and -k chose the tests
def pytest_collection_modifyitems(config, items):
    """On LRS_TEST_BACKEND=postgresql, run only the tests whose database comes from
    tests.databases (fresh_database or backend()): every other test does not depend on the
    backend and would repeat the SQLite run exactly (CI runs both). Under pytest -n, the
    longest tests start first, each at the head of a worker's share (_longest_first)."""
    if backend() == "postgresql":
        kept, dropped = [], []
        for item in items:
            (kept if _uses_the_backend(item) else dropped).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = kept
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers > 1 and config.getoption("dist", "no") == "worksteal":
        items[:] = _longest_first(items, workers)


# Minutes-long tests (seconds on an idle 2-core machine, roughly): one of them starting late
# would run on alone after everything else had finished.
LONGEST = {
    "tests/e2e/test_docs_commands.py::test_every_sh_block_runs_against_a_served_gateway": 270,
    "tests/hostile/test_concurrency.py::test_no_response_carries_another_requests_data": 165,
    "tests/integration/test_scale_out.py::test_two_gateways_and_two_workers_keep_every_rule": 145,
    "tests/hostile/test_request_memory.py::test_no_request_costs_more_than_ten_times_its_size":
        80,
}


def _longest_first(items: list, workers: int) -> list:
    """The order for --dist worksteal, which hands worker k the k-th of ``workers`` equal
    consecutive shares and lets an idle worker take the tail of a busy one's: the LONGEST
    tests go to the heads of the shares, longest first, each to the share least loaded so far,
    so they all start at once and on different workers when they can."""
    longest = sorted((item for item in items if item.nodeid in LONGEST),
                     key=lambda item: -LONGEST[item.nodeid])
    if not longest:
        return items
    rest = [item for item in items if item.nodeid not in LONGEST]
    heads: list[list] = [[] for _ in range(workers)]
    for item in longest:
        min(heads, key=lambda head: sum(LONGEST[i.nodeid] for i in head)).append(item)
    # the share sizes worksteal cuts: a remainder's even split, worker after worker
    sizes, left = [], len(items)
    for remaining in range(workers, 0, -1):
        sizes.append(left // remaining)
        left -= sizes[-1]
    ordered, start = [], 0
    for head, size in zip(heads, sizes, strict=True):
        take = max(0, size - len(head))
        ordered += head + rest[start:start + take]
        start += take
    return ordered + rest[start:]


_BACKEND_CALLS = ("fresh_database(", "backend()")


@functools.cache
def _calls_the_backend(code) -> bool:
    try:
        source = inspect.getsource(code)
    except (OSError, TypeError):
        return False
    return any(call in source for call in _BACKEND_CALLS)


def _uses_the_backend(item) -> bool:
    module = getattr(item, "module", None)
    if module is not None and _calls_the_backend(module):
        return True
    return any(_calls_the_backend(definition.func)
               for definitions in item._fixtureinfo.name2fixturedefs.values()
               for definition in definitions)
