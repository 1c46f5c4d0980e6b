"""`lrs-soap serve` as a user runs it: a real gunicorn with worker processes."""

from __future__ import annotations

import signal

import requests

from tests.conftest import NATIVE_NS
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
        assert "<tns:ResponseCode>WSRC0004</tns:ResponseCode>" in response.text
        wrong = requests.post(f"{url}/soap/v1", data=FIND.format(password="Wrong-Password!!"),
                              headers={"Content-Type": "text/xml"}, timeout=10)
        assert "WSEC0005" in wrong.text
        wsdl = requests.get(f"{url}/soap/v1?wsdl", timeout=10).text
        assert f'location="{url}/soap/v1"' in wsdl

        gateway.process.send_signal(signal.SIGTERM)
        assert gateway.process.wait(timeout=40) == 0
        output = gateway.output()
    assert "DemoCollege2026!" in output  # the demo credentials were printed at start
    server_log = output.split("lrs-soap serving", 1)[1]
    # Nothing about the learner, and no password, in the server's log at INFO.
    for personal in ("Sam", "Example", "2000-01-31", "Wrong-Password!!", "DemoCollege2026!"):
        assert personal not in server_log
