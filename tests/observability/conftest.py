"""A demo database per module, and gateways with chosen observability settings served over
real loopback HTTP in a thread (tests/conftest.py's session gateway has the defaults)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
import requests

from lrs_soap.config import Settings
from tests.conftest import DEMO_LRB, NATIVE_NS
from tests.databases import fresh_database

SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"


def find_by_uln(password: str = DEMO_LRB["password"], uln: str = "1026893096") -> bytes:
    return (
        f'<s:Envelope xmlns:s="{SOAP_NS}" xmlns:v="{NATIVE_NS}"><s:Body><v:FindByULN>'
        f"<v:Credentials><v:UKPRN>{DEMO_LRB['ukprn']}</v:UKPRN>"
        f"<v:UserName>{DEMO_LRB['user']}</v:UserName>"
        f"<v:OrgPassword>{password}</v:OrgPassword></v:Credentials>"
        f"<v:FindType>FUL</v:FindType><v:ULN>{uln}</v:ULN><v:GivenName>Sam</v:GivenName>"
        "<v:FamilyName>Example</v:FamilyName></v:FindByULN></s:Body></s:Envelope>").encode()


def mirror_learner_by_uln(password: str = DEMO_LRB["password"]) -> bytes:
    return (
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_NS}" '
        'xmlns:fin="http://api.lrs.miap.gov.uk/findmsg"><soapenv:Body>'
        "<fin:FindLearnerByULN><FindType>FUL</FindType><UKPRN>10000001</UKPRN>"
        f"<OrgPassword>{password}</OrgPassword><UserName>demo</UserName>"
        "<ULN>1026893096</ULN><FamilyName>Example</FamilyName><GivenName>Sam</GivenName>"
        "</fin:FindLearnerByULN></soapenv:Body></soapenv:Envelope>").encode()


@dataclass
class Served:
    url: str
    settings: Settings
    app: object

    def post(self, path: str, body: bytes, **headers: str) -> requests.Response:
        return requests.post(self.url + path, data=body, timeout=30,
                             headers={"Content-Type": "text/xml; charset=utf-8", **headers})


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class _Threaded(WSGIServer):
    daemon_threads = True


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> Iterator[str]:
    from lrs_soap.bootstrap import build_runtime
    from lrs_soap.service import demo
    from lrs_soap.store import migrate

    with fresh_database(tmp_path_factory.mktemp("obs")) as url:
        migrate.upgrade(url)
        with build_runtime(Settings(database_url=url)) as services:
            demo.load(services)
        yield url


@contextlib.contextmanager
def serving(database_url: str, **settings: object) -> Iterator[Served]:
    from lrs_soap.entrypoints.wsgi import create_app

    holder: dict = {}
    server = make_server("127.0.0.1", 0, lambda e, s: holder["app"](e, s),
                         server_class=_Threaded, handler_class=_Quiet)
    url = f"http://127.0.0.1:{server.server_port}"
    configured = Settings(database_url=database_url, public_url=url, **settings)
    app = holder["app"] = create_app(configured)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(url, configured, app)
    finally:
        server.shutdown()
        server.server_close()
        app.close()
