"""A whole gateway in this process: its own database, a free loopback port, control on.

The server is the real WSGI application behind a threaded HTTP server, and a batch worker
runs in a thread, so a test pays no interpreter start: the first gateway of a process costs
a migration (kept as a template file, copied for each later one) and the state's first load
(kept as a snapshot); later ones start in a fraction of a second.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import shutil
import tempfile
import threading
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from lrs_soap.config import Settings
from lrs_soap.control.harness import HarnessControl
from lrs_soap.soap.contract import NATIVE_PATH

_TEMPLATE: dict[str, Path] = {}
_TEMPLATE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Credentials:
    ukprn: str
    user: str
    password: str


DEMO_CREDENTIALS = {
    "lrb": Credentials("10000001", "demo", "DemoCollege2026!"),
    "ao": Credentials("10000002", "demo", "DemoAwarding2026"),
}


@dataclass
class Gateway:
    """A running gateway: where to call it, who may call it, and how to steer it."""

    url: str
    database_url: str
    control: HarnessControl
    credentials: dict[str, Credentials] = field(default_factory=dict)
    admin_token: str = ""  # for the admin HTTP API at admin_url (a fresh one per gateway)
    _counted_before: dict = field(default_factory=dict, repr=False)

    def metric(self, name: str, **labels: str) -> float:
        """A Prometheus sample from this gateway's /metrics (``lrs_soap_requests_total``,
        ``lrs_soap_batch_queue_depth``...), summed over the series whose labels include
        ``labels``. Counters and histograms count from this gateway's start (gateways in
        one test process share the process's counters); gauges are as they are now."""
        total = 0.0
        for (sample, series), (value, cumulative) in _scrape(self.url).items():
            if sample == name and labels.items() <= dict(series).items():
                total += value - (self._counted_before.get((sample, series), 0.0)
                                  if cumulative else 0.0)
        return total

    @property
    def admin_url(self) -> str:
        return self.url + "/admin"

    @property
    def native_url(self) -> str:
        return self.url + NATIVE_PATH

    @property
    def wsdl_url(self) -> str:
        return self.native_url + "?wsdl"

    def mirror_url(self, service: str = "LearnerService") -> str:
        """``LearnerService``, ``LearnerServiceR9`` or ``ExternalService``."""
        return f"{self.url}/{service}.svc"


def _scrape(url: str) -> dict[tuple[str, tuple], tuple[float, bool]]:
    """(sample name, its labels) -> (value, whether it only grows), from GET /metrics."""
    from prometheus_client.parser import text_string_to_metric_families

    with urllib.request.urlopen(url + "/metrics", timeout=10) as response:  # noqa: S310
        text = response.read().decode()
    return {(sample.name, tuple(sorted(sample.labels.items()))):
            (sample.value, family.type in ("counter", "histogram", "summary"))
            for family in text_string_to_metric_families(text) for sample in family.samples}


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:  # the access log would clutter test output
        pass

    def get_environ(self) -> dict:
        environ = super().get_environ()
        environ["lrs_soap.socket"] = self.connection  # for an injected dropped connection
        return environ


class _ThreadedServer(WSGIServer):
    daemon_threads = True


def migrated_template() -> Path:
    """An empty database at the newest migration, made once per process and copied."""
    with _TEMPLATE_LOCK:
        if "path" not in _TEMPLATE:
            from lrs_soap.store import migrate

            path = Path(tempfile.mkdtemp(prefix="lrs-soap-template-")) / "template.db"
            migrate.upgrade(f"sqlite:///{path}")
            _TEMPLATE["path"] = path
        return _TEMPLATE["path"]


@contextlib.contextmanager
def start_gateway(state: str | Path = "demo", *, frozen_at: dt.datetime | None = None,
                  seed: int | None = None, database_url: str | None = None,
                  directory: Path | None = None, batch_workers: int = 1,
                  **settings: object) -> Iterator[Gateway]:
    """Run a gateway for the ``with`` block.

    ``state``: "demo", "empty" or a fixture file. ``seed``: mint ULNs and JobIDs from it
    (the same run, the same values). ``database_url``: use this (empty or
    lrs-soap) database instead of a new SQLite file, e.g. PostgreSQL; it is migrated and
    reset. ``settings``: any other Settings field (e.g. ``possible_match_wait_seconds=0``).
    """
    from lrs_soap.entrypoints.worker import run_worker
    from lrs_soap.entrypoints.wsgi import create_app

    owned = None
    if database_url is None:
        owned = Path(tempfile.mkdtemp(prefix="lrs-soap-gateway-", dir=directory))
        target = owned / "lrs.db"
        shutil.copyfile(migrated_template(), target)
        database_url = f"sqlite:///{target}"
    else:
        from lrs_soap.store import migrate

        migrate.upgrade(database_url)
    server = make_server("127.0.0.1", 0, lambda e, s: app(e, s), server_class=_ThreadedServer,
                         handler_class=_QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    config = Settings(database_url=database_url, public_url=url,
                      bind=f"127.0.0.1:{server.server_port}", control="on",
                      admin_token=secrets.token_urlsafe(24), batch_workers=batch_workers,
                      workers=1).with_overrides(**settings)  # one process answers: this one
    app = create_app(config)
    control = app.runtime.control
    control.set_seed(seed)
    control.reset(state)
    if frozen_at is not None:
        control.freeze(frozen_at)
    stop = threading.Event()
    threads = [threading.Thread(target=server.serve_forever, daemon=True)]
    threads += [threading.Thread(target=run_worker, args=(config, stop), daemon=True)
                for _ in range(batch_workers)]
    for thread in threads:
        thread.start()
    try:
        gateway = Gateway(url, database_url, control,
                          dict(DEMO_CREDENTIALS) if str(state) == "demo" else {},
                          config.admin_token)
        gateway._counted_before = {key: value for key, (value, cumulative)
                                   in _scrape(url).items() if cumulative}
        yield gateway
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        for thread in threads[1:]:
            thread.join(timeout=30)
        app.close()
        if owned is not None:
            shutil.rmtree(owned, ignore_errors=True)
