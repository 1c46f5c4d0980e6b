"""30,000 mixed valid and invalid requests from 16 concurrent connections against a real
gunicorn server: every response belongs to its own request, and memory stays bounded."""

from __future__ import annotations

import http.client
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from tests.conftest import NATIVE_NS
from tests.e2e.servers import served_gateway

pytestmark = pytest.mark.slow

REQUESTS, CONNECTIONS = 30_000, 16
DEMO = {"1026893096": ("Sam", "Example"), "6936002314": ("Alex", "O'Brien-Smith"),
        "4444599390": ("Chloé", "Dupont"), "8383558804": ("Tom", "Jones")}
ENVELOPE = ('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns:v="{NATIVE_NS}"><s:Body><v:FindByULN><v:Credentials>'
            "<v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
            "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>"
            "<v:FindType>FUL</v:FindType><v:ULN>{uln}</v:ULN><v:GivenName>{given}</v:GivenName>"
            "<v:FamilyName>{family}</v:FamilyName></v:FindByULN></s:Body></s:Envelope>")


def make_request(n: int, rng: random.Random) -> tuple[str, str, str]:
    """(body, kind, what the answer must contain): a third each of exact matches, wrong
    names (no match) and malformed ULNs whose fault names the request's own value."""
    kind = ("exact", "nomatch", "invalid")[n % 3]
    uln = rng.choice(sorted(DEMO))
    given, family = DEMO[uln]
    if kind == "nomatch":
        given = f"Nobody{n}"
        return ENVELOPE.format(uln=uln, given=given, family=family), kind, "WSRC0001"
    if kind == "invalid":
        bad = f"9{n:08d}"  # nine digits: a schema violation quoting this request's value
        return ENVELOPE.format(uln=bad, given=given, family=family), kind, f"'{bad}'"
    return ENVELOPE.format(uln=uln, given=given, family=family), kind, f">{uln}<"


def worker_rss_kib(master_pid: int) -> int:
    total = 0
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    for pid in [str(master_pid), *children]:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def test_no_response_carries_another_requests_data(fresh_database_url):
    rng = random.Random(2026)
    work = [make_request(n, rng) for n in range(REQUESTS)]
    local, opened = threading.local(), []
    with served_gateway(fresh_database_url, "--batch-workers", "0") as gateway:
        address = urlsplit(gateway.url)

        def post(body: str) -> tuple[int, bytes]:
            connection = getattr(local, "connection", None)
            if connection is None:
                connection = local.connection = http.client.HTTPConnection(
                    address.hostname, address.port, timeout=60)
                opened.append(connection)
            connection.request("POST", "/soap/v1", body.encode(), {"Content-Type": "text/xml"})
            response = connection.getresponse()
            return response.status, response.read()

        def send(item: tuple[str, str, str]) -> str | None:
            # http.client, one kept-alive connection a thread: the client shares the cores
            # with the server, and requests' machinery would cost more than the server does
            body, kind, expected = item
            try:
                status, content = post(body)
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                local.connection = None  # the server closed a kept-alive connection: redial
                status, content = post(body)
            text = content.decode()
            ok = (status == (500 if kind == "invalid" else 200)
                  and expected in text)
            if kind == "exact":  # exactly one learner, the one asked for
                ok = ok and text.count("<tns:ULN>") == 1
            if kind != "invalid":
                etree.fromstring(content)
            return None if ok else f"{kind}: {body[-160:]} -> {text[:300]}"

        with ThreadPoolExecutor(CONNECTIONS) as pool:
            list(pool.map(send, work[:2000]))  # warm up workers and caches
            before = worker_rss_kib(gateway.process.pid)
            wrong = [problem for problem in pool.map(send, work) if problem]
            after = worker_rss_kib(gateway.process.pid)
        for connection in opened:
            connection.close()
    assert wrong == [], f"{len(wrong)} responses were not their request's: {wrong[:3]}"
    print(f"\nserver RSS {before // 1024} MiB before, {after // 1024} MiB after "
          f"{REQUESTS} requests")
    assert after < before * 1.5 + 20 * 1024  # bounded: no growth with the request count
