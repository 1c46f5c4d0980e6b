"""The walk of one ULN through each SOAP face: how many calls cross a module boundary between
the request bytes and the answer bytes (issue 19's "hops"). In-process, no HTTP.

    python tests/perf/walk_one_uln.py

Builds a temporary SQLite database with the demo data, warms each endpoint up (so the
password check is a cache hit, as in steady service), then traces one FindByULN-style call
per face with ``sys.setprofile`` and counts the Python calls whose caller and callee live in
different modules: all of them (spyne, SQLAlchemy, lxml's Python parts included), those
between two ``lrs_soap`` modules, and those into spyne. Nothing here runs on import; not a test.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _support

ULN, GIVEN, FAMILY = "1026893096", "Sam", "Example"
SOAP = _support.SOAP_NS

LEARNER_SERVICE = (
    f'<s:Envelope xmlns:s="{SOAP}"><s:Body><FindLearnerByULN '
    'xmlns="http://api.lrs.miap.gov.uk/findmsg"><FindType xmlns="">FUL</FindType>'
    '<UKPRN xmlns="">10000001</UKPRN><OrgPassword xmlns="">DemoCollege2026!</OrgPassword>'
    f'<UserName xmlns="">demo</UserName><ULN xmlns="">{ULN}</ULN>'
    f'<FamilyName xmlns="">{FAMILY}</FamilyName><GivenName xmlns="">{GIVEN}</GivenName>'
    "</FindLearnerByULN></s:Body></s:Envelope>").encode()
R9 = (
    f'<s:Envelope xmlns:s="{SOAP}"><s:Body><LearnerByUln xmlns="http://tempuri.org/">'
    '<invokingOrganisation xmlns:a="http://schemas.datacontract.org/2004/07/Amor.Qcf.Common" '
    'xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><a:ChannelCode>None</a:ChannelCode>'
    '<a:Estab i:nil="true"/><a:LaNumber i:nil="true"/><a:Password>DemoCollege2026!'
    '</a:Password><a:Reference i:nil="true"/><a:Ukprn>10000001</a:Ukprn>'
    "<a:Username>demo</a:Username></invokingOrganisation><userType>LNR</userType>"
    f"<vendorId>1</vendorId><language>ENG</language><uln>{ULN}</uln>"
    f"<givenName>{GIVEN}</givenName><familyName>{FAMILY}</familyName>"
    "<findType>FUL</findType></LearnerByUln></s:Body></s:Envelope>").encode()

WALKS = (  # face, path, body, SOAPAction
    ("native FindByULN", "/soap/v1", _support.FIND_BY_ULN, None),
    ("LearnerService learnerByULN", "/LearnerService.svc", LEARNER_SERVICE, None),
    ("LearnerServiceR9 LearnerByUln", "/LearnerServiceR9.svc", R9,
     '"http://tempuri.org/ILearnerServiceR9/LearnerByUln"'),
)


def module_of(frame) -> str:
    return frame.f_globals.get("__name__", "?")


def walk(app, path: str, body: bytes, action: str | None) -> tuple[str, Counter]:
    hops: Counter = Counter()

    def profile(frame, event, arg):
        if event != "call" or frame.f_back is None:
            return
        callee, caller = module_of(frame), module_of(frame.f_back)
        if callee != caller:
            hops["all"] += 1
            hops["spyne"] += callee.startswith("spyne")
            if callee.startswith("lrs_soap") and caller.startswith("lrs_soap"):
                hops["lrs_soap"] += 1
                hops[f"{caller} -> {callee}"] += 1

    environ = _support.wsgi_environ(body, path)
    if action:
        environ["HTTP_SOAPACTION"] = action
    status = []
    sys.setprofile(profile)
    try:
        b"".join(app(environ, lambda code, headers, exc_info=None: status.append(code)))
    finally:
        sys.setprofile(None)
    return status[0], hops


def main() -> None:
    from lrs_soap.config import Settings
    from lrs_soap.entrypoints.wsgi import create_app

    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/walk.db"
        _support.prepare_database(url)
        app = create_app(Settings(database_url=url, journal="off"))
        try:
            for face, path, body, action in WALKS:
                for _ in range(3):  # warm: caches, compiled schemas, the password check
                    walk(app, path, body, action)
                status, hops = walk(app, path, body, action)
                print(f"{face}: {status}; {hops['all']} cross-module calls, "
                      f"{hops['lrs_soap']} between lrs_soap modules, {hops['spyne']} into spyne")
                if "-v" in sys.argv:
                    for edge, count in sorted(hops.items()):
                        if "->" in edge:
                            print(f"    {count:3d}  {edge}")
        finally:
            app.runtime.close()


if __name__ == "__main__":
    main()
