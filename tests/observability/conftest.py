"""A demo database per module, and gateways with chosen observability settings served over
real loopback HTTP in a thread (tests/conftest.py's session gateway has the defaults)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import requests

from lrs_soap.config import Settings
from tests.conftest import DEMO_LRB, NATIVE_NS, demo_database_in, served_in_a_thread

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


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory) -> Iterator[str]:
    with demo_database_in(tmp_path_factory.mktemp("obs")) as url:
        yield url


@contextlib.contextmanager
def serving(database_url: str, **settings: object) -> Iterator[Served]:
    from lrs_soap.entrypoints.wsgi import create_app

    made = {}

    def make_app(url: str):
        made["settings"] = Settings(database_url=database_url, public_url=url, **settings)
        made["app"] = create_app(made["settings"])
        return made["app"]

    try:
        with served_in_a_thread(make_app) as (url, app):
            yield Served(url, made["settings"], app)
    finally:
        if "app" in made:
            made["app"].close()  # after the server stopped
