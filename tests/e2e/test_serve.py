"""`lrs-soap serve` as a user runs it: a real gunicorn with worker processes."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import requests
from lxml import etree

from tests.conftest import NATIVE_NS, SOAP_ENV
from tests.e2e.servers import served_gateway

FIND = (f'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
        f'xmlns:v="{NATIVE_NS}"><s:Body><v:FindByULN><v:Credentials>'
        "<v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
        "<v:OrgPassword>{password}</v:OrgPassword></v:Credentials>"
        "<v:FindType>FUL</v:FindType><v:ULN>1026893096</v:ULN><v:GivenName>Sam</v:GivenName>"
        "<v:FamilyName>Example</v:FamilyName></v:FindByULN></s:Body></s:Envelope>")


def test_serve_migrates_loads_demo_data_answers_and_stops_on_sigterm(fresh_database_url):
    with served_gateway(fresh_database_url) as gateway:
        url = gateway.url
        response = requests.post(f"{url}/soap/v1", data=FIND.format(password="DemoCollege2026!"),
                                 headers={"Content-Type": "text/xml"}, timeout=10)
        assert response.status_code == 200
        answer = etree.fromstring(response.content).find(f"{SOAP_ENV}Body")[0]
        assert answer.tag == f"{{{NATIVE_NS}}}FindByULNResponse"
        assert answer.findtext(f"{{{NATIVE_NS}}}ResponseCode") == "WSRC0004"
        wrong = requests.post(f"{url}/soap/v1", data=FIND.format(password="Wrong-Password!!"),
                              headers={"Content-Type": "text/xml"}, timeout=10)
        fault = etree.fromstring(wrong.content).find(f"{SOAP_ENV}Body/{SOAP_ENV}Fault")
        assert fault.find("detail")[0].findtext(f"{{{NATIVE_NS}}}ErrorCode") == "WSEC0005"
        wsdl = etree.fromstring(requests.get(f"{url}/soap/v1?wsdl", timeout=10).content)
        addresses = wsdl.iterfind(".//{http://schemas.xmlsoap.org/wsdl/soap/}address")
        assert [address.get("location") for address in addresses] == [f"{url}/soap/v1"]

        gateway.process.send_signal(signal.SIGTERM)
        assert gateway.process.wait(timeout=40) == 0
        output = gateway.output()
    assert "DemoCollege2026!" in output  # the demo credentials were printed at start
    server_log = output.split("lrs-soap serving", 1)[1]
    # Nothing about the learner, and no password, in the server's log at INFO.
    for personal in ("Sam", "Example", "2000-01-31", "Wrong-Password!!", "DemoCollege2026!"):
        assert personal not in server_log


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def _is_batch_worker(pid: int) -> bool:
    try:
        return b"worker" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except FileNotFoundError:
        return False


def test_batch_workers_do_not_outlive_a_killed_server(fresh_database_url):
    with served_gateway(fresh_database_url, "--batch-workers", "1") as gateway:
        workers = [pid for pid in _children(gateway.process.pid) if _is_batch_worker(pid)]
        assert len(workers) == 1
        gateway.process.send_signal(signal.SIGKILL)  # no chance to stop its children
        gateway.process.wait()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and Path(f"/proc/{workers[0]}").exists() \
                and _is_batch_worker(workers[0]):
            time.sleep(0.2)
        assert not _is_batch_worker(workers[0]), "the batch worker outlived lrs-soap serve"
