"""The ceiling: FindByULN answered by a minimal WSGI handler with bare lxml, no spyne.

It does the same work as the gateway's native FindByULN, as cheaply as we know how:

1. read the body (Content-Length bounded), parse it with a safe lxml parser (no entities,
   no DTD, no network) and refuse a document type declaration;
2. take the SOAP 1.1 Body's first element and validate it against xsd/lrs-native-v1.xsd,
   compiled once per process (per thread, should a threaded worker ever run it);
3. one indexed query for the organisation by UKPRN (or OrganisationRef) joined with the user,
   and a password check through ``lrs_soap.passwords.Argon2Passwords`` - the same cache the
   gateway uses, so Argon2 runs once per process, not once per request;
4. the ULN check digit, then one indexed query for the learner by ULN (its linked ULNs come
   from a correlated sub-query of the same statement); a merged ULN costs one more lookup for
   its master, as in the gateway; names compare by ``lrs_soap.domain.names.name_key``;
5. build the FindByULNResponse envelope with lxml and return it.

Faults are minimal SOAP 1.1 faults with an LrsFault detail; the bench only measures success.
The bench (bench_http.py) checks that one answer from here equals the gateway's (response code
and every learner field) before it measures anything.

Serve it with the gateway's server settings, e.g. from the repository root:

    LRS_DATABASE_URL=sqlite:////tmp/x.db python -m gunicorn -w 2 -k sync \\
        --bind 127.0.0.1:8001 tests.perf.ceiling_app:app
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

from lxml import etree

from lrs_soap.domain.names import name_key
from lrs_soap.domain.uln import check_digit
from lrs_soap.passwords import Argon2Passwords
from lrs_soap.record_elements import DETAIL_FIELDS

REPO = Path(__file__).resolve().parents[2]
XSD_PATH = REPO / "xsd" / "lrs-native-v1.xsd"
SOAP_NS = "http://schemas.xmlsoap.org/soap/envelope/"
NS = "urn:lrs-soap:native:v1"
MAX_REQUEST_BYTES = 8 * 1024 * 1024  # the gateway's default limit

_ENVELOPE = f"{{{SOAP_NS}}}Envelope"
_BODY = f"{{{SOAP_NS}}}Body"
_FIND = f"{{{NS}}}FindByULN"
_NSMAP = {"soap11env": SOAP_NS, "tns": NS}

# The gateway's parser options (lrs_soap.soap.contract.SAFE_PARSER_OPTIONS), restated here so
# that this module imports neither spyne nor the soap package.
_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False,
                       dtd_validation=False, huge_tree=False, remove_comments=True,
                       remove_pis=True)

# Learner element (contract order) -> learners column (= LearnerDetails field): the
# domain's table (standard library only, so the ceiling stays free of spyne and SQLAlchemy).
DETAIL_COLUMNS = DETAIL_FIELDS
_DATE_COLUMNS = frozenset({"date_of_address_capture", "date_of_birth"})

# One indexed lookup each: uq_organisations_ukprn / uq_organisations_reference (+ the
# users (organisation_id, user_name) unique index), and uq_learners_uln (+ the
# learner_links master_uln index for the linked ULNs).
_ORG_SQL = (
    "SELECT o.active, o.password_hash, o.is_learner_registration_body, u.active, o.id "
    "FROM organisations o LEFT JOIN users u "
    "ON u.organisation_id = o.id AND u.user_name = :user_name WHERE {where}"
)
_LINKED = {
    "sqlite": "(SELECT group_concat(merged_uln, ' ') FROM (SELECT DISTINCT merged_uln "
              "FROM learner_links WHERE master_uln = l.uln AND unmerged_at IS NULL "
              "ORDER BY merged_uln))",
    "postgresql": "(SELECT string_agg(DISTINCT merged_uln, ' ' ORDER BY merged_uln) "
                  "FROM learner_links WHERE master_uln = l.uln AND unmerged_at IS NULL)",
}
_LEARNER_SQL = (  # S608: column names are the constants above; values are bound parameters
    "SELECT " + ", ".join(f"l.{column}" for _, column in DETAIL_COLUMNS)  # noqa: S608
    + ", l.uln, l.version_number, l.status, l.tier_level, l.master_uln, l.created_at, "
    "l.updated_at, {linked} FROM learners l WHERE l.uln = :uln"
)

_DESCRIPTIONS = {
    "WSEC0001": "Invalid request, the request was badly formed",
    "WSEC0002": "Unknown request",
    "WSEC0003": "Unknown or unauthorised organisation",
    "WSEC0005": "Incorrect organisation password",
    "WSEC0006": "Insufficient access to use this service",
    "WSEC0136": "The supplied ULN is invalid",
    "WSEC0999": "Unknown exception",
}


class CeilingFault(Exception):
    def __init__(self, code: str, further: str = ""):
        super().__init__(code)
        self.code, self.further = code, further


class _Database:
    """One DB-API connection per process, opened after the fork, with the gateway's engine
    settings (SQLite: WAL, busy timeout). Queries are written with ``:name`` parameters."""

    def __init__(self, database_url: str):
        from lrs_soap.store.engine import create_engine  # SQLAlchemy only to open the connection

        self.engine = create_engine(database_url)
        self.dialect = self.engine.dialect.name
        if self.dialect not in _LINKED:
            raise RuntimeError(f"the ceiling knows SQLite and PostgreSQL, not {self.dialect}")
        self.connection = self.engine.raw_connection()

    def sql(self, statement: str) -> str:
        if self.dialect == "sqlite":
            return statement
        import re

        return re.sub(r":(\w+)", r"%(\1)s", statement)

    def one(self, statement: str, params: dict) -> tuple | None:
        cursor = self.connection.cursor()
        try:
            cursor.execute(statement, params)
            row = cursor.fetchone()
        finally:
            cursor.close()
        if self.dialect != "sqlite":
            self.connection.rollback()  # end the read transaction; SQLite autocommits reads
        return row


class _State:
    def __init__(self, database_url: str):
        self.parser = etree.XMLParser(**_PARSER_OPTIONS)
        self.schema = etree.XMLSchema(etree.parse(str(XSD_PATH)))
        self.db = _Database(database_url)
        self.learner_sql = self.db.sql(_LEARNER_SQL.format(linked=_LINKED[self.db.dialect]))
        self.org_sql = {
            key: self.db.sql(_ORG_SQL.format(where=where)) for key, where in (
                ("ukprn", "o.ukprn = :ukprn"),
                ("reference", "o.reference = :reference"),
                ("both", "o.ukprn = :ukprn AND o.reference = :reference"),
            )
        }


class CeilingApp:
    def __init__(self, database_url: str | None = None):
        self.database_url = database_url or os.environ.get("LRS_DATABASE_URL",
                                                           "sqlite:///lrs-soap.db")
        self.passwords = Argon2Passwords()
        self._local = threading.local()

    def state(self) -> _State:
        state = getattr(self._local, "state", None)
        if state is None:
            state = self._local.state = _State(self.database_url)
        return state

    def work(self, body: bytes) -> bytes:
        """The one operation this ceiling answers (FindByULN here; subclasses, others)."""
        return self.find_by_uln(body)

    def close(self) -> None:
        """Close this thread's connection and engine (the profile tool's clean-up)."""
        state = getattr(self._local, "state", None)
        if state is not None:
            state.db.connection.close()
            state.db.engine.dispose()
            self._local.state = None

    # ----- WSGI -----

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        if environ.get("PATH_INFO") == "/healthz" and method == "GET":
            return _answer(start_response, "200 OK", b'{"status": "ok"}', "application/json")
        if method != "POST":
            return _answer(start_response, "405 Method Not Allowed", b"use POST\n", "text/plain")
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if not 0 < length <= MAX_REQUEST_BYTES:
            return _answer(start_response, "413 Request Entity Too Large", b"bad length\n",
                           "text/plain")
        body = environ["wsgi.input"].read(length)
        try:
            payload = self.work(body)
            status = "200 OK"
        except CeilingFault as fault:
            payload, status = _fault(fault), "500 Internal Server Error"
        return _answer(start_response, status, payload, "text/xml; charset=utf-8")

    # ----- the work -----

    def find_by_uln(self, body: bytes) -> bytes:
        state = self.state()
        request = self.request(state, body, _FIND)
        # Validated: the children are Credentials, FindType, ULN, GivenName, FamilyName.
        credentials, find_type, uln, given, family = request
        fields = {etree.QName(child).localname: child.text or "" for child in credentials}
        self.authenticate(state, fields)

        uln = uln.text
        if check_digit(uln[:9]) != int(uln[9]):
            raise CeilingFault("WSEC0136", f"ULN {uln} fails its check digit")
        code, learner, substituted = self.classify(state, uln, given.text, family.text)
        if find_type.text == "CHK":
            learner = None
        return _response(code, learner, substituted)

    def request(self, state: _State, body: bytes, tag: str) -> etree._Element:
        """The Body's element, parsed safely and valid against the XSD, or a fault."""
        try:
            envelope = etree.fromstring(body, state.parser)
        except etree.XMLSyntaxError as error:
            raise CeilingFault("WSEC0001", f"not well-formed XML: {error}") from None
        docinfo = envelope.getroottree().docinfo
        if docinfo.doctype or docinfo.internalDTD is not None:
            raise CeilingFault("WSEC0001", "document type declarations are not accepted")
        soap_body = envelope.find(_BODY) if envelope.tag == _ENVELOPE else None
        request = None
        if soap_body is not None:
            request = next((child for child in soap_body if isinstance(child.tag, str)), None)
        if request is None:
            raise CeilingFault("WSEC0001", "not a SOAP 1.1 envelope")
        if request.tag != tag:
            raise CeilingFault("WSEC0002", "no operation takes that element")
        if not state.schema.validate(request):
            error = state.schema.error_log.last_error
            raise CeilingFault("WSEC0001", f"line {error.line}: {error.message}")
        return request

    def authenticate(self, state: _State, fields: dict[str, str]) -> int:
        """The caller checked as the gateway checks it; the organisation's id (a call that
        writes, a search or an audit entry, writes it)."""
        ukprn, reference = fields.get("UKPRN") or None, fields.get("OrganisationRef") or None
        if ukprn and reference:
            key = "both"
        elif ukprn or reference:
            key = "ukprn" if ukprn else "reference"
        else:
            raise CeilingFault("WSEC0001", "UKPRN or OrganisationRef is required")
        row = state.db.one(state.org_sql[key], {"ukprn": ukprn, "reference": reference,
                                                "user_name": fields.get("UserName", "")})
        if row is None or not row[0]:
            raise CeilingFault("WSEC0003")
        _, password_hash, is_lrb, user_active, organisation_id = row
        if not (password_hash
                and self.passwords.verify(password_hash, fields.get("OrgPassword", ""))):
            raise CeilingFault("WSEC0005")
        if not user_active:
            raise CeilingFault("WSEC0006", "the user name is not an active user")
        if not is_lrb:
            raise CeilingFault("WSEC0006", "the organisation's roles do not include this")
        return organisation_id

    def classify(self, state: _State, uln: str, given: str, family: str):
        row = state.db.one(state.learner_sql, {"uln": uln})
        n = len(DETAIL_COLUMNS)
        if row is None or row[n + 2] == "0":  # no such learner, or retired
            return "WSRC0001", None, False
        if (name_key(given) != name_key(row[1])  # GivenName
                or name_key(family) != name_key(row[3])):  # FamilyName
            return "WSRC0001", None, False
        master_uln = row[n + 4]
        if master_uln:
            master = state.db.one(state.learner_sql, {"uln": master_uln})
            if master is not None:
                return "WSRC0022", master, True
        return "WSRC0004", row, False


def _date(value) -> str:
    """A DATE or DATETIME column as an xs:date (SQLite gives text, PostgreSQL objects)."""
    if isinstance(value, dt.datetime):
        value = value.astimezone(dt.UTC) if value.tzinfo else value
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)[:10]


def _response(code: str, row: tuple | None, substituted: bool) -> bytes:
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap=_NSMAP)
    response = etree.SubElement(etree.SubElement(envelope, _BODY),
                                f"{{{NS}}}FindByULNResponse")
    add = etree.SubElement
    add(response, f"{{{NS}}}ResponseCode").text = code
    if row is not None:
        learner_element(response, row, substituted)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def learner_element(parent: etree._Element, row: tuple, substituted: bool) -> None:
    """One Learner element from a learner row (``_LEARNER_SQL``'s columns)."""
    add = etree.SubElement
    learner = add(parent, f"{{{NS}}}Learner")
    for index, (element, column) in enumerate(DETAIL_COLUMNS):
        value = row[index]
        if value is None or value == "":
            continue
        add(learner, f"{{{NS}}}{element}").text = (
            _date(value) if column in _DATE_COLUMNS else str(value))
    n = len(DETAIL_COLUMNS)
    uln, version, status, tier, _, created, updated, linked = row[n:n + 8]
    for element, text in (("ULN", uln), ("VersionNumber", str(version)),
                          ("LearnerStatus", status), ("TierLevel", tier),
                          ("MasterSubstituted", "true" if substituted else "false"),
                          ("CreatedDate", _date(created)),
                          ("LastUpdatedDate", _date(updated))):
        add(learner, f"{{{NS}}}{element}").text = text
    linked_element = add(learner, f"{{{NS}}}LinkedULNs")
    for merged in (linked or "").split():
        add(linked_element, f"{{{NS}}}ULN").text = merged


def _fault(fault: CeilingFault) -> bytes:
    envelope = etree.Element(f"{{{SOAP_NS}}}Envelope", nsmap=_NSMAP)
    body = etree.SubElement(envelope, _BODY)
    element = etree.SubElement(body, f"{{{SOAP_NS}}}Fault")
    description = _DESCRIPTIONS.get(fault.code, "")
    etree.SubElement(element, "faultcode").text = (
        "soap11env:Server" if fault.code == "WSEC0999" else "soap11env:Client")
    etree.SubElement(element, "faultstring").text = f"{fault.code}: {description}"
    detail = etree.SubElement(etree.SubElement(element, "detail"), f"{{{NS}}}LrsFault")
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for name, value in (("ErrorCode", fault.code), ("Description", description),
                        ("FurtherDetails", fault.further), ("ErrorTimestamp", now)):
        etree.SubElement(detail, f"{{{NS}}}{name}").text = value
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def _answer(start_response, status: str, body: bytes, content_type: str) -> list[bytes]:
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


# ----- VerifyLearnerDetails -----

_VERIFY = f"{{{NS}}}VerifyLearnerDetails"
# What verification compares, and no more (one indexed lookup by ULN).
_VERIFY_SQL = ("SELECT given_name, family_name, previous_family_name, date_of_birth, gender, "
               "status, master_uln, uln FROM learners WHERE uln = :uln")


class VerifyCeilingApp(CeilingApp):
    """VerifyLearnerDetails's work with bare lxml and SQL: the request validated, the
    caller authenticated as above, one indexed lookup (one more for a merged ULN's master),
    the rules of ``lrs_soap.domain.verification`` (pure Python, the gateway's own), and the
    VerifyLearnerDetailsResponse built with lxml."""

    def work(self, body: bytes) -> bytes:
        from types import SimpleNamespace

        from lrs_soap.domain.model import LearnerStatus
        from lrs_soap.domain.verification import VerifyQuery, verify

        state = self.state()
        request = self.request(state, body, _VERIFY)
        credentials, uln, given, family, *optional = request
        fields = {etree.QName(child).localname: child.text or "" for child in credentials}
        self.authenticate(state, fields)
        uln = uln.text
        if check_digit(uln[:9]) != int(uln[9]):
            raise CeilingFault("WSEC0136", f"ULN {uln} fails its check digit")
        extra = {etree.QName(child).localname: child.text for child in optional}
        birth = extra.get("DateOfBirth")
        query = VerifyQuery(uln, given.text, family.text,
                            dt.date.fromisoformat(birth) if birth else None,
                            extra.get("Gender"))
        sql = state.db.sql(_VERIFY_SQL)
        row, linked = state.db.one(sql, {"uln": uln}), False
        if row is not None and row[6]:
            row, linked = state.db.one(sql, {"uln": row[6]}), True

        held = None
        if row is not None:
            born = row[3] if isinstance(row[3], dt.date) else dt.date.fromisoformat(row[3])
            held = SimpleNamespace(uln=row[7], status=LearnerStatus(row[5]),
                                   details=SimpleNamespace(
                                       given_name=row[0], family_name=row[1],
                                       previous_family_name=row[2], date_of_birth=born,
                                       gender=row[4]))
        outcome = verify(query, held, linked=linked)
        return _verify_response(outcome)


def _verify_response(outcome) -> bytes:
    envelope = etree.Element(_ENVELOPE, nsmap=_NSMAP)
    response = etree.SubElement(etree.SubElement(envelope, _BODY),
                                f"{{{NS}}}VerifyLearnerDetailsResponse")
    add = etree.SubElement
    add(response, f"{{{NS}}}ResponseCode").text = str(outcome.code)
    for flag in outcome.flags:
        add(response, f"{{{NS}}}FailureFlag").text = flag
    held = outcome.learner
    if held is not None:
        learner = add(response, f"{{{NS}}}VerifiedLearner")
        for element, text in (("ULN", held.uln), ("GivenName", held.details.given_name),
                              ("FamilyName", held.details.family_name),
                              ("DateOfBirth", held.details.date_of_birth.isoformat()),
                              ("Gender", held.details.gender)):
            add(learner, f"{{{NS}}}{element}").text = text
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


app = CeilingApp()
