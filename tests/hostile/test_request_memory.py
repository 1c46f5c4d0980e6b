"""Memory per request against a real `lrs-soap serve` (one web worker). A 16 MiB body of
tiny elements cost 650-750 MiB before element counts were bounded: it is now refused before
any tree is built, at about its own size. Bodies of the densest shapes still allowed (one
element per 20 bytes) are measured and printed: they still cost more than 10 times their
size (issue 14 item 6 is not fully met; see docs/decisions.md). Deep nesting is refused
cleanly. Loopback only; a handful of requests."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from tests.conftest import NATIVE_NS
from tests.e2e.servers import served_gateway
from tests.e2e.test_serve import _children, _is_batch_worker

pytestmark = pytest.mark.slow

LIMIT = 16 * 1024 * 1024
NATIVE = (f'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
          f'xmlns:v="{NATIVE_NS}"><s:Body><v:FindByULN>').encode()
NATIVE_END = b"</v:FindByULN></s:Body></s:Envelope>"
MIRROR = (b'<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
          b'xmlns:fin="http://api.lrs.miap.gov.uk/findmsg"><soapenv:Body>'
          b"<fin:FindLearnerByULN>")
MIRROR_END = b"</fin:FindLearnerByULN></soapenv:Body></soapenv:Envelope>"


def filled(start: bytes, element: bytes, end: bytes) -> bytes:
    room = LIMIT - 1024 - len(start) - len(end)
    return start + element * (room // len(element)) + end


def status_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(field)


def peak_cost_mib(url: str, worker: int, path: str, body: bytes,
                  baseline_kib: int) -> tuple[float, str]:
    """The worker's peak memory while answering, above what it held when idle."""
    Path(f"/proc/{worker}/clear_refs").write_text("5")  # the peak starts again from now
    response = requests.post(url + path, data=body, headers={"Content-Type": "text/xml"},
                             timeout=120)
    peak = status_kib(worker, "VmHWM")
    return (peak - baseline_kib) / 1024, response.text


@pytest.mark.parametrize("face", ["native", "mirror"])
def test_a_body_of_tiny_elements_is_refused_before_it_costs_memory(fresh_database_url, face):
    path, start, end = (("/soap/v1", NATIVE, NATIVE_END) if face == "native"
                        else ("/LearnerService.svc", MIRROR, MIRROR_END))
    shapes = {
        "tiny elements": filled(start, b"<a/>", end),  # refused before parsing
        "the most allowed": filled(start, b"<abcdefghijklmnop/>" + b" ", end),  # 20 bytes
        "elements with text": filled(start, b"<ab>text text text</ab>", end),
    }
    with served_gateway(fresh_database_url, "--batch-workers", "0", workers=1) as gateway:
        worker = next(pid for pid in _children(gateway.process.pid)
                      if not _is_batch_worker(pid))
        requests.post(gateway.url + path, data=start + end, timeout=30)  # warm up
        baseline = status_kib(worker, "VmRSS")
        costs = {}
        for shape, body in shapes.items():
            cost, answer = peak_cost_mib(gateway.url, worker, path, body, baseline)
            costs[shape] = round(cost / (len(body) / 2**20), 1)
            assert "WSEC0001" in answer, answer[:300]
            if shape == "tiny elements":
                assert "elements in" in answer and "are accepted for its size" in answer
    print(f"\n{face}: peak worker memory per byte of request: {costs}")
    # was 40-45 times; now the body itself, the front's buffer and the journal's copy of the
    # request (it reads only the first elements: soap/journal_reading.py)
    assert costs["tiny elements"] <= 3
    assert max(costs.values()) <= 40  # the densest allowed shapes: bounded, not yet 10


def test_deep_nesting_is_refused_cleanly(fresh_database_url):
    body = NATIVE + (b"<a>" + b" " * 20) * 300 + b"</a>" * 300 + NATIVE_END  # within budget
    with served_gateway(fresh_database_url, "--batch-workers", "0", workers=1) as gateway:
        response = requests.post(gateway.url + "/soap/v1", data=body,
                                 headers={"Content-Type": "text/xml"}, timeout=60)
        after = requests.post(gateway.url + "/soap/v1", data=NATIVE + NATIVE_END,
                              headers={"Content-Type": "text/xml"}, timeout=60)
    assert response.status_code == 500 and "WSEC0001" in response.text
    assert "depth" in response.text.lower()
    assert "WSEC0001" in after.text  # the worker lived on
