"""The ceiling for FindByDemographics: the call answered with bare lxml and SQL, no spyne and
no SQLAlchemy on the way (SQLAlchemy only opens the connection, as in ceiling_app.py).

The same work as the gateway's native FindByDemographics, as cheaply as we know how:

1. parse with the safe parser, refuse a document type declaration, validate the request
   element against xsd/lrs-native-v1.xsd (ceiling_app's state: compiled once per process);
2. authenticate as ceiling_app does (one joined query, the password cache; it gives the
   organisation's id the search is recorded for);
3. the shortlist: the same covering-index query as the gateway's fast path
   (ix_learners_match), the names judged by ``lrs_soap.domain.matching.qualifier``, the few
   left read by id and classified by ``matching.classify`` (the domain's rules are plain
   Python: the ceiling uses them as ceiling_app uses ``name_key``);
4. each learner answered read whole, with its linked ULNs (ceiling_app's statement); a
   merged exact match answers with its master (WSRC0022);
5. a full search recorded (one INSERT, committed), for the find-before-register rule;
6. FindByDemographicsResponse built with lxml: the code, the demographics echoed, the
   learners.

Its answer equals the gateway's (response code and every learner field); the profile tool
(``profile_find_by_uln.py --call FindByDemographics``) checks so before it measures.
"""

from __future__ import annotations

import datetime as dt

from lxml import etree

from lrs_soap.domain import matching
from lrs_soap.domain.model import Learner, LearnerDetails, LearnerStatus
from lrs_soap.domain.names import name_key, postcode_key
from tests.perf import ceiling_app
from tests.perf.ceiling_app import NS, SOAP_NS, CeilingApp, _State

_FIND = f"{{{NS}}}FindByDemographics"
_ENVELOPE, _BODY = f"{{{SOAP_NS}}}Envelope", f"{{{SOAP_NS}}}Body"
NAME_KEY_LENGTH = 105  # lrs_soap.store.orm: keys are cut to this length

_EVIDENCE = (
    "(CASE WHEN date_of_birth = :dob THEN 2 ELSE 0 END"
    " + CASE WHEN postcode_key = :postcode THEN 2 WHEN (CASE WHEN length(postcode_key) >= 5"
    " THEN substr(postcode_key, 1, length(postcode_key) - 3) ELSE postcode_key END)"
    " = :outward THEN 1 ELSE 0 END"
    " + CASE WHEN gender = :gender THEN 1 WHEN gender IN ('0', '1', '2', '9') THEN 0"
    " ELSE 1 END)")
# S608: the expression above is a constant; values are bound parameters.
_SHORTLIST = (
    "SELECT id, given_name, family_name, previous_family_name, " + _EVIDENCE  # noqa: S608
    + " FROM learners WHERE date_of_birth IN (:dob, :swapped) AND status != '0' AND"
    " CASE WHEN family_name_key = :family THEN 4 ELSE 3 END"
    " + CASE WHEN given_name_key = :given THEN 4 ELSE 3 END + " + _EVIDENCE
    + " + :optional >= 9")
_MATCH_FIELDS = ("given_name", "family_name", "date_of_birth", "gender", "postcode",
                 "previous_family_name", "school_at_age_16", "place_of_birth", "email_address")
_BY_ID = ("SELECT id, uln, status, master_uln, " + ", ".join(_MATCH_FIELDS)  # noqa: S608
          + " FROM learners WHERE id = :id")
_RECORD = ("INSERT INTO demographic_searches (organisation_id, demographics_key, outcome_code,"
           " searched_at) VALUES (:organisation, :key, :outcome, :at)")
_OPTIONAL = {"PreviousFamilyName": "previous_family_name", "SchoolAtAge16": "school_at_age_16",
             "PlaceOfBirth": "place_of_birth", "EmailAddress": "email_address"}
_EPOCH = dt.datetime.min.replace(tzinfo=dt.UTC)


class DemographicsCeiling(CeilingApp):
    def work(self, body: bytes) -> bytes:
        return self.find_by_demographics(body)

    def find_by_demographics(self, body: bytes) -> bytes:
        state = self.state()
        if not hasattr(state, "shortlist"):
            state.shortlist, state.by_id = state.db.sql(_SHORTLIST), state.db.sql(_BY_ID)
            state.record = state.db.sql(_RECORD)
        credentials, find_type, demographics = self.request(state, body, _FIND)
        fields = {etree.QName(child).localname: child.text or "" for child in credentials}
        organisation = self.authenticate(state, fields)
        given = {etree.QName(child).localname: child.text for child in demographics}
        query = matching.DemographicQuery(
            given["GivenName"], given["FamilyName"],
            dt.date.fromisoformat(given["DateOfBirth"]), given["Gender"],
            given["LastKnownPostCode"],
            **{attribute: given.get(element) for element, attribute in _OPTIONAL.items()})
        code, rows, substituted = self.search(state, query)
        if find_type.text == "FUL":
            cursor = state.db.connection.cursor()
            cursor.execute(state.record, {
                "organisation": organisation, "key": matching.demographics_key(query),
                "outcome": code, "at": _timestamp(state)})
            cursor.close()
            state.db.connection.commit()
        else:
            rows = []
        return _response(code, demographics, rows, substituted)

    def search(self, state: _State, query: matching.DemographicQuery):
        postcode = postcode_key(query.postcode)
        cursor = state.db.connection.cursor()
        try:
            cursor.execute(state.shortlist, {
                "dob": query.date_of_birth.isoformat(),
                "swapped": matching.candidate_birth_dates(query.date_of_birth)[-1].isoformat(),
                "postcode": postcode, "outward": matching.outward_code(postcode),
                "gender": query.gender.strip(),
                "family": name_key(query.family_name)[:NAME_KEY_LENGTH],
                "given": name_key(query.given_name)[:NAME_KEY_LENGTH],
                "optional": matching.optional_points_bound(query)})
            may_qualify = matching.qualifier(query)
            ids = [row[0] for row in cursor.fetchall() if may_qualify(*row[1:])]
            candidates = []
            for learner_id in ids:
                cursor.execute(state.by_id, {"id": learner_id})
                candidates.append(_candidate(cursor.fetchone()))
        finally:
            cursor.close()
        outcome = matching.classify(query, candidates)
        if outcome.merged_into:
            master = state.db.one(state.learner_sql, {"uln": outcome.merged_into})
            return ("WSRC0022", [master], True) if master else ("WSRC0001", [], False)
        rows = [state.db.one(state.learner_sql, {"uln": learner.uln})
                for learner in outcome.learners]
        return outcome.code.value, rows, False


def _timestamp(state: _State):
    now = dt.datetime.now(dt.UTC)
    # The gateway's UtcDateTime column: SQLite holds ISO text, PostgreSQL a timestamptz.
    return now.isoformat(sep=" ") if state.db.dialect == "sqlite" else now


def _candidate(row) -> Learner:
    values = dict(zip(_MATCH_FIELDS, row[4:], strict=True))
    values["date_of_birth"] = dt.date.fromisoformat(str(values["date_of_birth"])[:10])
    return Learner(row[0], row[1], LearnerDetails(**values), 0, LearnerStatus(row[2]), "0",
                   _EPOCH, _EPOCH, master_uln=row[3])


def _response(code: str, demographics, rows: list, substituted: bool) -> bytes:
    envelope = etree.Element(_ENVELOPE, nsmap={"soap11env": SOAP_NS, "tns": NS})
    answer = etree.SubElement(etree.SubElement(envelope, _BODY),
                              f"{{{NS}}}FindByDemographicsResponse")
    etree.SubElement(answer, f"{{{NS}}}ResponseCode").text = code
    echo = etree.SubElement(answer, f"{{{NS}}}Demographics")
    for child in demographics:
        etree.SubElement(echo, child.tag).text = child.text
    for row in rows:
        ceiling_app.learner_element(answer, row, substituted)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
