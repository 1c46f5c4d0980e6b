"""The gateway survives a PostgreSQL restart: clean faults during the outage (no hang, no
crash), then service again without restarting the gateway.

Needs PostgreSQL's server binaries (Debian's postgresql package) and root, to run a private
cluster that the test may stop and start; skipped otherwise.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
import time
from io import BytesIO
from pathlib import Path

import pytest

from lrs_soap.bootstrap import build_runtime
from lrs_soap.config import Settings
from lrs_soap.entrypoints.wsgi import create_app
from lrs_soap.service import demo
from lrs_soap.store import migrate
from tests.e2e.servers import free_port
from tests.e2e.test_serve import FIND

BINARIES = sorted(glob.glob("/usr/lib/postgresql/*/bin"))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(not BINARIES or os.geteuid() != 0 or not shutil.which("runuser"),
                       reason="needs PostgreSQL server binaries and root to run a private "
                              "cluster"),
]


class Cluster:
    def __init__(self, directory: Path):
        # pytest's tmp_path sits under a directory only root may enter; postgres must.
        self.bin, self.data, self.port = BINARIES[-1], directory / "data", free_port()
        directory.chmod(0o755)
        shutil.chown(directory, "postgres")
        subprocess.run(["runuser", "-u", "postgres", "--", f"{self.bin}/initdb", "-D",
                        str(self.data), "-A", "trust", "-U", "postgres"], check=True,
                       capture_output=True)

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(["runuser", "-u", "postgres", "--", f"{self.bin}/pg_ctl", "-D",
                        str(self.data), "-w", *args], check=True, capture_output=True)

    def start(self) -> None:
        self.pg_ctl("-l", str(self.data / "log"), "-o",
                    f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        self.pg_ctl("-m", "fast", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"


def call(app, path="/soap/v1", body=b"", method="POST"):
    environ = {"REQUEST_METHOD": method, "CONTENT_TYPE": "text/xml", "PATH_INFO": path,
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": BytesIO(body),
               "QUERY_STRING": "", "SERVER_NAME": "x", "SERVER_PORT": "80",
               "wsgi.url_scheme": "http"}
    status = []
    payload = b"".join(app(environ, lambda s, h, e=None: status.append(s)))
    return status[0], payload.decode()


@pytest.fixture
def cluster_directory():
    directory = Path(tempfile.mkdtemp(prefix="lrs-pg-"))
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


def test_requests_fail_cleanly_during_an_outage_and_recover_after(cluster_directory):
    cluster = Cluster(cluster_directory)
    cluster.start()
    try:
        migrate.upgrade(cluster.url)
        with build_runtime(Settings(database_url=cluster.url)) as services:
            demo.load(services)
        app = create_app(Settings(database_url=cluster.url))
        find = FIND.format(password="DemoCollege2026!").encode()
        assert "WSRC0004" in call(app, body=find)[1]

        cluster.stop()
        started = time.monotonic()
        status, body = call(app, body=find)
        assert time.monotonic() - started < 15  # no hang
        assert status.startswith("500") and "WSEC0999" in body  # a clean SOAP fault
        assert call(app, "/healthz", method="GET")[0].startswith("503")

        cluster.start()
        assert "WSRC0004" in call(app, body=find)[1]  # same app, same pool: recovered
        assert call(app, "/healthz", method="GET")[0].startswith("200")
        app.close()
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop()
