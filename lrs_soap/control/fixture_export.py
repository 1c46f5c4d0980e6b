"""The current state as a fixture (the format control.fixture_file reads).

Written from a snapshot of the tables, so it is one consistent read. Passwords are never
stored, so organisations carry their Argon2 ``password_hash``, which loads back as it is.
Not exported (nor loadable from a fixture yet): awarding organisations' achievements (they
come from achievement batches), data challenges, retired learners, journals and jobs.
"""

from __future__ import annotations

from lrs_soap.control.fixture_file import FORMAT_KEY, FORMAT_VERSION, dump
from lrs_soap.control.fixtures import DETAIL_FIELDS
from lrs_soap.domain.model import LearnerStatus
from lrs_soap.domain.participation import SOURCES as PARTICIPATION_SOURCES

# fixture event column -> learning_events column
EVENT_COLUMNS = {
    "uln": "learner_uln", "source": "source", "subject_code": "qualification_reference",
    "subject": "subject", "start_date": "participation_start_date",
    "end_date": "participation_end_date", "award_date": "award_date", "grade": "grade",
    "qualification_type": "qualification_type", "level": "level", "credits": "credits",
    "provider_ukprn": "achievement_provider_ukprn", "provider_name": "achievement_provider_name",
    "collection_type": "collection_type", "return_number": "return_number",
    "status": "status", "restriction": "restriction",
}


def export(rows: dict[str, list[dict]]) -> str:
    """``rows``: table name -> rows (store.snapshots.Snapshot.rows)."""
    return dump(as_document(rows))


def as_document(rows: dict[str, list[dict]]) -> dict:
    organisations = sorted(rows.get("organisations", []), key=lambda r: r["id"])
    ukprn_of = {o["id"]: o["ukprn"] or o["reference"] for o in organisations}
    users: dict[int, list] = {}
    for user in sorted(rows.get("users", []), key=lambda r: r["id"]):
        users.setdefault(user["organisation_id"], []).append(
            user["user_name"] if user["active"]
            else {"name": user["user_name"], "active": False})
    document: dict = {FORMAT_KEY: FORMAT_VERSION}
    document["organisations"] = [_organisation(o, users.get(o["id"], []))
                                 for o in organisations]
    document["qualifications"] = [_qualification(q, ukprn_of)
                                  for q in sorted(rows.get("qualifications", []),
                                                  key=lambda r: r["id"])]
    document["learners"] = [_learner(learner)
                            for learner in sorted(rows.get("learners", []), key=lambda r: r["id"])
                            if learner["status"] != LearnerStatus.RETIRED.value]
    document["events"] = [_event(e) for e in sorted(rows.get("learning_events", []),
                                                    key=lambda r: r["id"])
                          if e["source"] in PARTICIPATION_SOURCES]
    return document


def _organisation(row: dict, users: list) -> dict:
    roles = [role for role, flag in (("LRB", row["is_learner_registration_body"]),
                                     ("AO", row["is_awarding_organisation"]),
                                     ("OLASS", row.get("is_olass"))) if flag]
    entry = {"name": row["name"], "ukprn": row["ukprn"], "reference": row["reference"],
             "roles": roles, "password_hash": row["password_hash"], "users": users}
    if not row["active"]:
        entry["active"] = False
    return _without_nones(entry)


def _qualification(row: dict, ukprn_of: dict[int, str]) -> dict:
    return _without_nones({
        "reference": row["reference"], "title": row["title"],
        "type": row["qualification_type"], "level": row["level"],
        "owner": ukprn_of.get(row["owner_organisation_id"]), "shared": row["shared"],
        "credits": row["credits"], "unit": row["is_unit"]})


def _learner(row: dict) -> dict:
    entry = {"uln": row["uln"], **{name: row[name] for name in DETAIL_FIELDS}}
    if row["status"] == LearnerStatus.MERGED.value:
        entry["merged_into"] = row["master_uln"]
    return _without_nones(entry)


def _event(row: dict) -> dict:
    return _without_nones({key: row[column] for key, column in EVENT_COLUMNS.items()})


def _without_nones(entry: dict) -> dict:
    return {key: value for key, value in entry.items() if value is not None}
