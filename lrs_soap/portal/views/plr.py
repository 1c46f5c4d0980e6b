"""Charter "Personal Learning Record": view a learner's record (GetLearnerRecord's
verification, sharing and audit rules: every view, download and print is a read, audited),
download it as CSV, print it, and raise a learning event data challenge from an event."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, g, render_template

from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.plr import RecordQuery
from lrs_soap.portal.forms.plr import EventChallengeForm, RecordForm
from lrs_soap.portal.session import current, requires
from lrs_soap.portal.wording import refusal
from lrs_soap.service import challenges, plr

blueprint = Blueprint("plr", __name__, url_prefix="/record")

# CSV column -> LearningEvent attribute, in the order of the record's page
CSV_COLUMNS = (
    ("ID", "id"), ("Source", "source"), ("Subject code", "qualification_reference"),
    ("Subject", "subject"), ("Qualification type", "qualification_type"), ("Level", "level"),
    ("Credits", "credits"), ("Grade", "grade"), ("Award date", "award_date"),
    ("Start date", "participation_start_date"), ("End date", "participation_end_date"),
    ("Provider UKPRN", "achievement_provider_ukprn"),
    ("Provider", "achievement_provider_name"),
    ("Awarding organisation UKPRN", "awarding_organisation_ukprn"),
    ("Awarding organisation", "awarding_organisation_name"), ("Status", "status"),
    ("Under data challenge", "under_data_challenge"),
)


@blueprint.route("/", methods=["GET", "POST"])
@requires("read_learner_record")
def view():
    form, record, problem = RecordForm(), None, None
    if form.validate_on_submit():
        record, problem = _read(form)
    return render_template("plr/record.html", form=form, record=record, problem=problem,
                           problem_href="#uln", width="full")


@blueprint.route("/download", methods=["POST"])
@requires("read_learner_record")
def download():
    form = RecordForm()
    record = _read(form)[0] if form.validate_on_submit() else None
    if record is None or not record.events and record.code != "WSRC0004":
        return render_template("plr/record.html", form=form, record=record, width="full",
                               problem="The record could not be read: view it first"), 400
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([heading for heading, _ in CSV_COLUMNS])
    for event in record.events:
        writer.writerow([_csv_value(getattr(event, name)) for _, name in CSV_COLUMNS])
    return Response(out.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition":
            f'attachment; filename="learning-record-{record.found_uln or "learner"}.csv"'})


@blueprint.route("/print", methods=["POST"])
@requires("read_learner_record")
def printable():
    form = RecordForm()
    record, problem = _read(form) if form.validate_on_submit() else (None, "Nothing to print")
    return render_template("plr/print.html", form=form, record=record, problem=problem,
                           width="full")


@blueprint.route("/challenge", methods=["POST"])
@requires("raise_event_challenge")
def challenge():
    """The reason box for a challenge of one event (learner and event carried along)."""
    form = EventChallengeForm()
    form.reason.errors = []
    return render_template("plr/challenge.html", form=form, result=None)


@blueprint.route("/challenge/raise", methods=["POST"])
@requires("raise_event_challenge")
def raise_challenge():
    form, result, problem = EventChallengeForm(), None, None
    if form.validate_on_submit():
        try:
            result = challenges.raise_event_challenge(
                g.ctx, current().caller, _query(form), _int(form.event_id.data),
                form.reason.data)
        except LrsError as error:
            problem = refusal(error)
    return render_template("plr/challenge.html", form=form, result=result, problem=problem)


def _read(form: RecordForm):
    try:
        return plr.get_learner_record(g.ctx, current().caller, _query(form)), None
    except LrsError as error:
        return None, refusal(error)


def _query(form: RecordForm) -> RecordQuery:
    return RecordQuery(uln=form.uln.data.strip(), given_name=form.given_name.data,
                       family_name=form.family_name.data,
                       date_of_birth=form.date_of_birth.data, gender=form.gender.data or None)


def _int(text: str) -> int:
    return int(text) if text and text.isdigit() else 0


def _csv_value(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    # a cell a spreadsheet would run as a formula is written as text
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text
