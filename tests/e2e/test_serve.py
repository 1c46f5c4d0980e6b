"""`lrs-soap serve` as a user runs it: a real gunicorn with worker processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

from tests.conftest import NATIVE_NS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early:\n{process.stdout.read()}")
        try:
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError("server did not become healthy")


@pytest.fixture
def served(fresh_database_url):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LRS_DATABASE_URL": fresh_database_url,
           "PYTHONWARNINGS": "ignore"}
    process = subprocess.Popen(
        [sys.executable, "-m", "lrs_soap.entrypoints.cli", "serve", "--demo",
         "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        wait_healthy(url, process)
        yield url, process
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()


def test_serve_migrates_loads_demo_data_answers_and_stops_on_sigterm(served):
    url, process = served
    body = (f'<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns:v="{NATIVE_NS}"><s:Body><v:FindByULN><v:Credentials>'
            "<v:UKPRN>10000001</v:UKPRN><v:UserName>demo</v:UserName>"
            "<v:OrgPassword>DemoCollege2026!</v:OrgPassword></v:Credentials>"
            "<v:FindType>FUL</v:FindType><v:ULN>1026893096</v:ULN><v:GivenName>Sam</v:GivenName>"
            "<v:FamilyName>Example</v:FamilyName></v:FindByULN></s:Body></s:Envelope>")
    response = requests.post(f"{url}/soap/v1", data=body,
                             headers={"Content-Type": "text/xml"}, timeout=10)
    assert response.status_code == 200
    assert "<tns:ResponseCode>WSRC0004</tns:ResponseCode>" in response.text
    wsdl = requests.get(f"{url}/soap/v1?wsdl", timeout=10).text
    assert f'location="{url}/soap/v1"' in wsdl

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=40) == 0
    output = process.stdout.read()
    assert "DemoCollege2026!" in output  # the demo credentials were printed
    server_log = output.split("lrs-soap serving", 1)[1]
    for personal in ("Sam", "Example", "2000-01-31"):  # nothing about the learner in the log
        assert personal not in server_log
