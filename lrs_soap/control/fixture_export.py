"""The current state as a fixture (the format control.fixture_file reads).

Written from a snapshot of the tables, so it is one consistent read. Passwords are never
stored, so organisations carry their Argon2 ``password_hash``, which loads back as it is.
Not exported (nor loadable from a fixture): withdrawn achievements, closed data challenges,
retired learners, entries and plans, journals and jobs.
"""

from __future__ import annotations

from lrs_soap.control.fixture_file import FORMAT_KEY, FORMAT_VERSION, dump
from lrs_soap.control.fixtures import DETAIL_FIELDS
from lrs_soap.domain.achievements import SOURCE as AO_SOURCE
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
    events = sorted(rows.get("learning_events", []), key=lambda r: r["id"])
    document["events"] = [_event(e) for e in events if e["source"] in PARTICIPATION_SOURCES]
    learners = {learner["uln"]: learner for learner in rows.get("learners", [])}
    achievements = {e["id"]: e for e in events if e["source"] == AO_SOURCE and not e["withdrawn"]}
    document["achievements"] = [_achievement(e, learners[e["learner_uln"]], ukprn_of)
                                for e in achievements.values()]
    document["challenges"] = [
        _challenge(c, achievements, learners, ukprn_of)
        for c in sorted(rows.get("data_challenges", []), key=lambda r: r["id"])
        if c["status"] == "open"]
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


def _achievement(row: dict, learner: dict, ukprn_of: dict[int, str]) -> dict:
    return _without_nones({
        "awarding_organisation": ukprn_of.get(row["awarding_organisation_id"]),
        "uln": row["learner_uln"], "given_name": learner["given_name"],
        "family_name": learner["family_name"], "qualification": row["qualification_reference"],
        "grade": row["grade"], "award_date": row["award_date"],
        "provider_ukprn": row["achievement_provider_ukprn"],
        "language": row["language_for_assessment"],
        "submission_type": "PROVISIONAL" if row["status"] == "P" else None})


def _challenge(row: dict, achievements: dict[int, dict], learners: dict[str, dict],
               ukprn_of: dict[int, str]) -> dict:
    entry = {"raised_by": ukprn_of.get(row["raised_by_organisation_id"]),
             "user": row["raised_by_user"], "uln": row["uln"], "type": row["challenge_type"]}
    event = achievements.get(row["learning_event_id"])
    if event is not None:  # an event challenge: the achievement, and its learner's names
        learner = learners[event["learner_uln"]]
        entry.update(uln=event["learner_uln"], given_name=learner["given_name"],
                     family_name=learner["family_name"],
                     qualification=event["qualification_reference"],
                     awarding_organisation=ukprn_of.get(event["awarding_organisation_id"]))
    return _without_nones({**entry, "reason": row["reason"]})


def _without_nones(entry: dict) -> dict:
    return {key: value for key, value in entry.items() if value is not None}
