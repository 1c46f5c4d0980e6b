"""Every SOAP endpoint goes through the one intake: each operation has one row in the one
capability table, and a call is authenticated once, in the same unit of work as its
operation. In-process (the WSGI app called directly), on the demo database."""

from __future__ import annotations

import io

import pytest
from lxml import etree

from lrs_soap.config import Settings
from lrs_soap.domain.access import ALLOWED_ROLES, OPERATIONS
from lrs_soap.service import accounts
from lrs_soap.soap.lrs import external_service, learner_service, r9_service
from lrs_soap.soap.native.app import native_face
from lrs_soap.store.unit_of_work import SqlUnitOfWork
from tests.hostile.test_hostile_xml import ENDPOINTS, SOAP

FACE_OPERATIONS = {"native": native_face().operations,
                   "LearnerService": learner_service.OPERATIONS,
                   "LearnerServiceR9": r9_service.OPERATIONS,
                   "ExternalService": external_service.OPERATIONS}


@pytest.mark.parametrize("face", sorted(FACE_OPERATIONS))
def test_every_operation_of_a_face_has_exactly_its_row_in_the_capability_table(face):
    names = [operation.name for operation in FACE_OPERATIONS[face]]
    assert sorted(names) == sorted(OPERATIONS[face])
    assert {OPERATIONS[face][name] for name in names} <= ALLOWED_ROLES.keys()


@pytest.fixture(scope="module")
def app(demo_database):
    from lrs_soap.entrypoints.wsgi import create_app

    gateway = create_app(Settings(database_url=demo_database, journal="off"))
    yield gateway
    gateway.close()


def call(app, path: str, body: bytes) -> bytes:
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": path, "CONTENT_TYPE": "text/xml",
               "CONTENT_LENGTH": str(len(body)), "wsgi.input": io.BytesIO(body),
               "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "wsgi.url_scheme": "http"}
    return b"".join(app(environ, lambda status, headers, exc_info=None: None))


@pytest.mark.parametrize("endpoint", sorted(ENDPOINTS))
def test_a_call_is_authenticated_once_in_one_unit_of_work(app, endpoint, monkeypatch):
    counts = {"authenticate": 0, "unit of work": 0}
    authenticate, enter = accounts.authenticate, SqlUnitOfWork.__enter__

    def counted_authenticate(*args, **kwargs):
        counts["authenticate"] += 1
        return authenticate(*args, **kwargs)

    def counted_enter(uow):
        counts["unit of work"] += 1
        return enter(uow)

    monkeypatch.setattr(accounts, "authenticate", counted_authenticate)
    monkeypatch.setattr(SqlUnitOfWork, "__enter__", counted_enter)
    answer = etree.fromstring(call(app, ENDPOINTS[endpoint].path,
                                   ENDPOINTS[endpoint].valid.encode()))
    assert answer.findtext(f"{{{SOAP}}}Body//{{*}}ResponseCode") == ENDPOINTS[endpoint].code
    assert counts == {"authenticate": 1, "unit of work": 1}
