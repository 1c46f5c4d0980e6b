"""Slow and idle clients against a real `lrs-soap serve`: they must not starve valid callers.

200 connections are held open for about 15 s: a third send nothing, a third send their
headers one byte at a time, a third send headers and then a body one byte at a time. Valid
FindByULN calls made meanwhile must all be answered, with p99 under 1 s. (Under sync workers
two such clients were enough to stall every caller until the 60 s worker timeout.)
Loopback only; bounded in connections and time.
"""

from __future__ import annotations

import itertools
import socket
import statistics
import threading
import time

import pytest
import requests

from tests.conftest import NATIVE_NS
from tests.e2e.servers import served_gateway

pytestmark = [pytest.mark.slow, pytest.mark.timing]  # timing: run alone (-m timing)

SLOW_CONNECTIONS, HOLD_SECONDS = 200, 15
FIND = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:v="{NATIVE_NS}"><s:Body><v:FindByULN><v:Credentials>'
        "<v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
        "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>"
        "<v:FindType>FUL</v:FindType><v:ULN>1026893096</v:ULN><v:GivenName>Sam</v:GivenName>"
        "<v:FamilyName>Example</v:FamilyName></v:FindByULN></s:Body></s:Envelope>").encode()


def slow_request(kind: str, port: int) -> bytes:
    head = (f"POST /soap/v1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: text/xml\r\n"
            f"Content-Length: {len(FIND)}\r\n\r\n").encode()
    return b"" if kind == "idle" else head + FIND


class SlowClients:
    """Opens the connections, then drips one byte a second into each dripping one."""

    def __init__(self, port: int, count: int):
        self.port, self.stop = port, threading.Event()
        kinds = itertools.islice(itertools.cycle(("idle", "headers", "body")), count)
        self.clients = []
        for kind in kinds:
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            payload = slow_request(kind, port)
            if kind == "body":  # the headers at once, then the body byte by byte
                split = payload.index(b"\r\n\r\n") + 4
                sock.sendall(payload[:split])
                payload = payload[split:]
            self.clients.append([sock, payload])
        self.thread = threading.Thread(target=self.drip, daemon=True)

    def drip(self) -> None:
        while not self.stop.wait(1.0):
            for client in self.clients:
                sock, payload = client
                if payload[:-1]:  # never the last byte: the request stays incomplete
                    try:
                        sock.send(payload[:1])
                    except OSError:
                        continue  # the server may close slow connections; that is fine
                    client[1] = payload[1:]

    def still_open(self) -> int:
        alive = 0
        for sock, _ in self.clients:
            sock.setblocking(False)
            try:
                alive += sock.recv(1, socket.MSG_PEEK) != b""
            except BlockingIOError:
                alive += 1  # nothing to read and not closed
            except OSError:
                pass
        return alive

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        for sock, _ in self.clients:
            sock.close()


def test_slow_and_idle_connections_do_not_starve_valid_calls(fresh_database_url):
    with served_gateway(fresh_database_url, "--batch-workers", "0") as gateway:
        url = f"{gateway.url}/soap/v1"
        port = int(gateway.url.rsplit(":", 1)[1])
        session = requests.Session()
        session.post(url, data=FIND, headers={"Content-Type": "text/xml"}, timeout=10)
        slow = SlowClients(port, SLOW_CONNECTIONS)
        slow.thread.start()
        times, answers = [], []
        deadline = time.monotonic() + HOLD_SECONDS
        try:
            while time.monotonic() < deadline:
                started = time.perf_counter()
                try:
                    response = session.post(url, data=FIND, timeout=5,
                                            headers={"Content-Type": "text/xml"})
                    answers.append("WSRC0004" if "WSRC0004" in response.text
                                   else response.text[:120])
                except requests.RequestException as error:
                    answers.append(type(error).__name__)
                times.append(time.perf_counter() - started)
                time.sleep(0.05)
            held = slow.still_open()
        finally:
            slow.close()
    p99 = statistics.quantiles(times, n=100)[98] if len(times) >= 2 else times[0]
    print(f"\n{len(answers)} valid calls beside {SLOW_CONNECTIONS} slow connections "
          f"({held} still open after {HOLD_SECONDS} s): median "
          f"{statistics.median(times) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")
    assert len(answers) >= 50
    assert set(answers) == {"WSRC0004"}
    assert p99 < 1.0
    assert held >= SLOW_CONNECTIONS * 0.9  # the attack really was held open throughout
