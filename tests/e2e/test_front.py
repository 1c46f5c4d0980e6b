"""The front of `lrs-soap serve` (gunicorn's asyncio worker and the buffering front): body
limits with and without Content-Length, on both faces, and a deadline for slow bodies."""

from __future__ import annotations

import contextlib
import signal
import socket
import time

import pytest
import requests

from tests.e2e.servers import served_gateway
from tests.e2e.test_serve import _children
from tests.hostile.test_slow_clients import FIND

LIMIT = 4096


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from tests.databases import fresh_database

    with fresh_database(tmp_path_factory.mktemp("front")) as url, served_gateway(
            url, "--batch-workers", "0", "--max-request-bytes", str(LIMIT),
            env={"LRS_REQUEST_TIMEOUT": "10"}) as gateway:
        yield gateway


def chunks(body: bytes, size: int = 1000):
    for start in range(0, len(body), size):
        yield body[start:start + size]


@pytest.mark.parametrize("path", ["/soap/v1", "/LearnerService.svc"])
def test_a_chunked_body_over_the_limit_is_413_on_both_faces(server, path):
    response = requests.post(server.url + path, data=chunks(b"<x>" + b" " * LIMIT + b"</x>"),
                             headers={"Content-Type": "text/xml"}, timeout=10)
    assert response.status_code == 413
    assert response.text == f"request bodies are limited to {LIMIT} bytes\n"


def test_a_declared_length_over_the_limit_is_413_before_the_body_is_sent(server):
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(f"POST /soap/v1 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
                     f"Content-Length: {LIMIT + 1}\r\n\r\n".encode())
        assert sock.recv(100).startswith(b"HTTP/1.1 413 ")


def test_a_chunked_body_within_the_limit_is_answered(server):
    response = requests.post(server.url + "/soap/v1", data=chunks(FIND, 100),
                             headers={"Content-Type": "text/xml"}, timeout=10)
    assert response.status_code == 200 and "WSRC0004" in response.text


def test_a_body_slower_than_the_request_timeout_is_408(server):
    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(f"POST /soap/v1 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
                     f"Content-Length: {len(FIND)}\r\n\r\n".encode() + FIND[:10])
        started = time.monotonic()
        answer = sock.recv(100)
        waited = time.monotonic() - started
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert 9 <= waited < 20


def _gone_within(pids: list[int], seconds: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if not [pid for pid in pids if _running(pid)]:
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"still running after {seconds} s: {[p for p in pids if _running(p)]}")


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return "\nState:\tZ" not in status.read()  # a zombie has exited
    except FileNotFoundError:
        return False


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGKILL])
def test_every_process_is_gone_soon_after_serve_stops_even_with_idle_clients(
        fresh_database_url, stop):
    with served_gateway(fresh_database_url, "--batch-workers", "1") as gateway:
        port = int(gateway.url.rsplit(":", 1)[1])
        with contextlib.ExitStack() as sockets:  # closed even when an assertion fails
            idle = [sockets.enter_context(socket.create_connection(("127.0.0.1", port)))
                    for _ in range(3)]
            idle[0].sendall(b"POST /soap/v1 HTTP/1.1\r\nHost: x\r\n")  # half a request
            time.sleep(0.5)
            children = _children(gateway.process.pid)
            assert len(children) == 3  # two web workers and a batch worker
            gateway.process.send_signal(stop)
            gateway.process.wait(timeout=30)
            took = _gone_within(children, 10)  # sync workers lingered 30 s
    print(f"\nafter {stop.name} every process was gone in {took:.1f} s")


def test_no_access_line_at_info(server):
    """The README: DEBUG adds an access log. At INFO (the default) a request leaves its call's
    line and no gunicorn access line (gunicorn would write one for any logging set-up)."""
    with requests.Session() as session:  # one connection, so one worker, in order
        for _ in range(2):
            response = session.post(server.url + "/soap/v1", data=FIND,
                                    headers={"Content-Type": "text/xml"}, timeout=10)
            assert response.status_code == 200
    deadline = time.monotonic() + 10
    while sum('"lrs_soap.calls"' in line for line in list(server._printed)) < 2:
        assert time.monotonic() < deadline, "".join(server._printed)[-2000:]
        time.sleep(0.05)
    assert not [line for line in list(server._printed) if '"gunicorn.access"' in line]


@pytest.mark.parametrize(("level", "access"), [("INFO", False), ("WARNING", False),
                                               ("DEBUG", True)])
def test_serve_asks_gunicorn_for_an_access_log_at_debug_only(level, access):
    from lrs_soap.config import Settings
    from lrs_soap.entrypoints.server import GatewayServer

    cfg = GatewayServer(Settings(log_level=level, batch_workers=0)).cfg
    assert cfg.logger_class(cfg).access_log_enabled is access
