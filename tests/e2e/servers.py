"""Start `lrs-soap serve` as a real process (gunicorn, worker processes) for a test."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import requests


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class ServedGateway:
    url: str
    process: subprocess.Popen
    # The server's output is read as it comes (a thread), so a chatty server (an access line
    # a request) never fills the pipe and blocks; output() hands it over once it stopped.
    _printed: list[str] = field(default_factory=list)
    _reader: threading.Thread | None = None

    def start_reading(self) -> None:
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self._printed.append(line)

    def output(self) -> str:
        """Everything the server printed (call after it stopped)."""
        if self._reader is not None:
            self._reader.join(timeout=30)
        return "".join(self._printed)


@contextlib.contextmanager
def served_gateway(database_url: str, *args: str, scheme: str = "http",
                   health: dict | None = None, workers: int = 2,
                   env: dict[str, str] | None = None) -> Iterator[ServedGateway]:
    port = free_port()
    url = f"{scheme}://127.0.0.1:{port}"
    env = {**os.environ, "LRS_DATABASE_URL": database_url, "PYTHONWARNINGS": "ignore",
           **(env or {})}
    process = subprocess.Popen(
        [sys.executable, "-m", "lrs_soap.entrypoints.cli", "serve", "--demo",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), *args],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    gateway = ServedGateway(url, process)
    try:
        _wait_healthy(url, process, health or {})
        gateway.start_reading()
        yield gateway
    finally:
        if process.poll() is None:
            process.terminate()  # serve stops its batch workers on the way out
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        gateway.output()  # the reader has met the end of the output
        process.stdout.close()


def _wait_healthy(url: str, process: subprocess.Popen, request_options: dict,
                  seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early:\n{process.stdout.read()}")
        try:
            if requests.get(f"{url}/healthz", timeout=1, **request_options).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not become healthy")
