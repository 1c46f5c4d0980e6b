"""The ceiling for GetLearnerRecord: the Personal Learning Record read with bare lxml and SQL,
no spyne and no SQLAlchemy on the way (SQLAlchemy only opens the connection, as in
ceiling_app.py).

The same work as the gateway's native GetLearnerRecord, as cheaply as we know how:

1. parse with the safe parser, refuse a document type declaration, validate the request
   element against xsd/lrs-native-v1.xsd (ceiling_app's ``request``);
2. authenticate as ceiling_app does (one joined query, the password cache);
3. the ULN's check digit; the learner read with its linked ULNs (ceiling_app's statement),
   and its master when the ULN was merged; who may be read decided by
   ``lrs_soap.domain.plr.access`` (the domain's rules are plain Python: the ceiling uses
   them as ceiling_app uses ``name_key``);
4. the events of the learner and of every ULN merged into it in one statement: each with
   its awarding organisation (joined) and whether an open data challenge names it, the
   withdrawn left out, in the record's order (by the event's date, then ID) by SQL;
5. the read audited: one INSERT into audit_log with the gateway's detail, committed;
6. GetLearnerRecordResponse built with lxml: the code, FoundULN, IncomingULN, the events.

Its answer equals the gateway's element by element; the profile tool
(``profile_find_by_uln.py --call GetLearnerRecord``) checks so before it measures.
"""

from __future__ import annotations

import datetime as dt
import json

from lxml import etree

from lrs_soap.domain import plr
from lrs_soap.domain.model import Learner, LearnerDetails, LearnerStatus
from lrs_soap.domain.uln import check_digit
from tests.perf import ceiling_app
from tests.perf.ceiling_app import NS, SOAP_NS, CeilingApp, CeilingFault, _State

_GET = f"{{{NS}}}GetLearnerRecord"
_ENVELOPE, _BODY = f"{{{SOAP_NS}}}Envelope", f"{{{SOAP_NS}}}Body"

# LearningEvent element (the contract's order), its domain attribute (getType BRIEF keeps
# domain.plr.BRIEF_FIELDS), the SQL giving it.
_EVENT_COLUMNS = (
    ("AchievementAwardDate", "award_date", "e.award_date"),
    ("AchievementProviderName", "achievement_provider_name", "e.achievement_provider_name"),
    ("AchievementProviderUkprn", "achievement_provider_ukprn", "e.achievement_provider_ukprn"),
    ("AwardingOrganisationName", "awarding_organisation_name", "o.name"),
    ("AwardingOrganisationUkprn", "awarding_organisation_ukprn", "coalesce(o.ukprn, o.reference)"),
    ("CollectionType", "collection_type", "e.collection_type"),
    ("Credits", "credits", "e.credits"),
    ("DateLoaded", "date_loaded", "e.date_loaded"),
    ("Grade", "grade", "e.grade"),
    ("ID", "id", "e.id"),
    ("LanguageForAssessment", "language_for_assessment", "e.language_for_assessment"),
    ("Level", "level", "e.level"),
    ("ParticipationEndDate", "participation_end_date", "e.participation_end_date"),
    ("ParticipationStartDate", "participation_start_date", "e.participation_start_date"),
    ("QualificationType", "qualification_type", "e.qualification_type"),
    ("Restriction", "restriction", "e.restriction"),
    ("ReturnNumber", "return_number", "e.return_number"),
    ("Source", "source", "e.source"),
    ("Status", "status", "e.status"),
    ("Subject", "subject", "e.subject"),
    ("SubjectCode", "qualification_reference", "e.qualification_reference"),
    ("UnderDataChallenge", "under_data_challenge",
     "EXISTS (SELECT 1 FROM data_challenges c WHERE c.learning_event_id = e.id"
     " AND c.status = 'open')"),
)
_TAGS = tuple(f"{{{NS}}}{element}" for element, _, _ in _EVENT_COLUMNS)
_DATE_LOADED = 7
_UNDER_CHALLENGE = len(_EVENT_COLUMNS) - 1
# The record's order (domain.plr.event_date): the award date, else the start, else the day
# the event was loaded (a UTC timestamp: SQLite holds it as ISO text).
_EVENT_DAY = {
    "sqlite": "coalesce(e.award_date, e.participation_start_date, substr(e.date_loaded, 1, 10))",
    "postgresql": "coalesce(e.award_date, e.participation_start_date, "
                  "(e.date_loaded AT TIME ZONE 'UTC')::date)",
}
# S608: the column list and the day expression are the constants above; values are bound.
_EVENTS = ("SELECT " + ", ".join(sql for _, _, sql in _EVENT_COLUMNS)  # noqa: S608
           + " FROM learning_events e LEFT JOIN organisations o"
           " ON o.id = e.awarding_organisation_id"
           " WHERE e.learner_uln IN ({ulns}) AND NOT e.withdrawn ORDER BY {day}, e.id")
_AUDIT = {
    "sqlite": "INSERT INTO audit_log (at, organisation_id, user_name, action, uln, detail) "
              "VALUES (:at, :organisation, :user, 'plr.read', :uln, :detail)",
    "postgresql": "INSERT INTO audit_log (at, organisation_id, user_name, action, uln, detail) "
                  "VALUES (:at, :organisation, :user, 'plr.read', :uln, CAST(:detail AS JSON))",
}
_N = len(ceiling_app.DETAIL_COLUMNS)


class PlrCeiling(CeilingApp):
    def work(self, body: bytes) -> bytes:
        return self.get_learner_record(body)

    def get_learner_record(self, body: bytes) -> bytes:
        state = self.state()
        credentials, uln, given, family, *rest = self.request(state, body, _GET)
        fields = {etree.QName(child).localname: child.text or "" for child in credentials}
        organisation = self.authenticate(state, fields)
        uln = uln.text
        if check_digit(uln[:9]) != int(uln[9]):
            raise CeilingFault("WSEC0136", f"ULN {uln} fails its check digit")
        extra = {etree.QName(child).localname: child.text for child in rest}
        birth = extra.get("DateOfBirth")
        query = plr.RecordQuery(uln, given.text, family.text,
                                dt.date.fromisoformat(birth) if birth else None,
                                extra.get("Gender"))
        access = self.access(state, query)
        get_type = plr.GetType(extra["GetType"])
        events = self.events(state, access.ulns) if access.granted else []
        self.audit(state, organisation, fields.get("UserName"), query, access, get_type,
                   len(events))
        return _response(access, uln, events, plr.fields_for(get_type))

    def access(self, state: _State, query: plr.RecordQuery) -> plr.RecordAccess:
        asked = _learner(state.db.one(state.learner_sql, {"uln": query.uln}))
        master = None
        if asked is not None and asked.master_uln:
            master = _learner(state.db.one(state.learner_sql, {"uln": asked.master_uln}))
        return plr.access(query, asked, master)

    def events(self, state: _State, ulns: tuple[str, ...]) -> list[tuple]:
        statements = state.__dict__.setdefault("plr_events", {})
        sql = statements.get(len(ulns))
        if sql is None:
            sql = statements[len(ulns)] = state.db.sql(_EVENTS.format(
                ulns=", ".join(f":u{index}" for index in range(len(ulns))),
                day=_EVENT_DAY[state.db.dialect]))
        cursor = state.db.connection.cursor()
        try:
            cursor.execute(sql, {f"u{index}": uln for index, uln in enumerate(ulns)})
            return cursor.fetchall()
        finally:
            cursor.close()

    def audit(self, state: _State, organisation: int, user_name: str | None,
              query: plr.RecordQuery, access: plr.RecordAccess, get_type: plr.GetType,
              count: int) -> None:
        """The gateway's audit entry (service.plr.audit_access), committed with the read."""
        sqlite = state.db.dialect == "sqlite"
        now = dt.datetime.now(dt.UTC)
        cursor = state.db.connection.cursor()
        try:
            cursor.execute(state.db.sql(_AUDIT[state.db.dialect]), {
                # SQLAlchemy's SQLite DateTime: naive UTC text, microseconds always written
                "at": now.strftime("%Y-%m-%d %H:%M:%S.%f") if sqlite else now,
                "organisation": organisation, "user": user_name, "uln": query.uln,
                "detail": json.dumps({"outcome": access.code, "found_uln": access.found_uln,
                                      "get_type": get_type.value, "events": count})})
        finally:
            cursor.close()
        state.db.connection.commit()


def _learner(row: tuple | None) -> Learner | None:
    """The domain's learner from ceiling_app's learner row (for plr.access)."""
    if row is None:
        return None
    values = {column: row[index]
              for index, (_, column) in enumerate(ceiling_app.DETAIL_COLUMNS)}
    for column in ("date_of_birth", "date_of_address_capture"):
        if isinstance(values[column], str):
            values[column] = dt.date.fromisoformat(values[column][:10])
    uln, version, status, tier, master, created, updated, linked = row[_N:_N + 8]
    return Learner(0, uln, LearnerDetails(**values), version, LearnerStatus(status), tier,
                   created, updated, master_uln=master,
                   linked_ulns=tuple(sorted(set(linked.split()))) if linked else ())


def _text(index: int, value) -> str:
    if index == _UNDER_CHALLENGE:
        return "Y" if value else "N"
    if index == _DATE_LOADED:  # an aware UTC timestamp, as the gateway writes it
        if isinstance(value, str):
            value = dt.datetime.fromisoformat(value)
        value = value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(
            dt.UTC)
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _response(access: plr.RecordAccess, incoming: str, events: list[tuple],
              fields: frozenset[str] | None) -> bytes:
    wanted = range(len(_TAGS)) if fields is None else [
        index for index, (_, attribute, _) in enumerate(_EVENT_COLUMNS) if attribute in fields]
    envelope = etree.Element(_ENVELOPE, nsmap={"soap11env": SOAP_NS, "tns": NS})
    answer = etree.SubElement(etree.SubElement(envelope, _BODY),
                              f"{{{NS}}}GetLearnerRecordResponse")
    add = etree.SubElement
    add(answer, f"{{{NS}}}ResponseCode").text = access.code
    if access.found_uln:
        add(answer, f"{{{NS}}}FoundULN").text = access.found_uln
    add(answer, f"{{{NS}}}IncomingULN").text = incoming
    record = add(answer, f"{{{NS}}}LearnerRecord")
    for row in events:
        event = add(record, f"{{{NS}}}LearningEvent")
        for index in wanted:
            value = row[index]
            if value is not None and value != "":
                add(event, _TAGS[index]).text = _text(index, value)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
