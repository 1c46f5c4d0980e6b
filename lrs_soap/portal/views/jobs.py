"""Charter batches: the organisation's jobs with status and progress (the page refreshes its
progress table in place when JavaScript runs, and has a link to check again when it does
not), and each finished job's output file and error file of failed records as CSV."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, g, render_template
from lrs_client.batchkinds import ACH, LRB, VLD

from lrs_soap.domain import learner_outcomes
from lrs_soap.domain.access import JOB_CAPABILITIES
from lrs_soap.domain.batches import JobKind, RecordOutcome
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.sent_achievement import SentAchievement
from lrs_soap.portal.session import current, requires
from lrs_soap.record_elements import (
    ACHIEVEMENT_LABELS,
    LEARNER_LABELS,
    LEARNER_OUTCOME_ELEMENTS,
    element_label,
)
from lrs_soap.service import batches

blueprint = Blueprint("jobs", __name__, url_prefix="/jobs")

# the capability each kind of job stands for: domain.access's one table decides
CAPABILITY = JOB_CAPABILITIES
# the batch file a job's records came in (or could have): its columns are the output's
BATCH_FILE_KINDS = {JobKind.LEARNER_REGISTRATION: LRB, JobKind.VERIFICATION: VLD,
                    JobKind.ACHIEVEMENT: ACH}
KIND_NAMES = {JobKind.LEARNER_REGISTRATION: "Learner registration",
              JobKind.VERIFICATION: "Verification", JobKind.ACHIEVEMENT: "Achievement"}


@blueprint.route("/")
@requires("portal_home")
def index():
    jobs = batches.recent_jobs(g.ctx, current().caller, limit=50)
    return render_template("jobs/index.html", jobs=jobs, kind_names=KIND_NAMES, width="full")


@blueprint.route("/<kind>/<int:job_id>")
@requires("portal_home")
def job(kind: str, job_id: int):
    report = _report(kind, job_id)
    return render_template("jobs/job.html", report=report, job=report.job,
                           kind_names=KIND_NAMES, width="full",
                           done=report.code is ResponseCode.BATCH_SUCCESSFUL)


@blueprint.route("/<kind>/<int:job_id>/output.csv")
@requires("portal_home")
def output(kind: str, job_id: int):
    return _csv(_report(kind, job_id), failed_only=False, name=f"job-{job_id}-output.csv")


@blueprint.route("/<kind>/<int:job_id>/errors.csv")
@requires("portal_home")
def errors(kind: str, job_id: int):
    return _csv(_report(kind, job_id), failed_only=True, name=f"job-{job_id}-errors.csv")


def _report(kind: str, job_id: int) -> batches.JobReport:
    """Another organisation's job, an unknown job and a wrong kind are all "not found"."""
    try:
        job_kind = JobKind(kind)
    except ValueError:
        abort(404)
    if not current().may(CAPABILITY[job_kind]):
        abort(404)
    report = batches.report(g.ctx, current().caller, job_kind, job_id)
    if report.code is ResponseCode.UNKNOWN_JOB:
        abort(404)
    return report


def _csv(report: batches.JobReport, *, failed_only: bool, name: str) -> Response:
    if report.code is not ResponseCode.BATCH_SUCCESSFUL:
        abort(404)  # no file until the job has finished
    records = report.records
    if report.job.kind is JobKind.ACHIEVEMENT:
        records = [_achievement_row(*record) for record in records]
    else:  # its fields named as the batch file names them; the ULN the job found or
        # issued in the ULN column, as the faces' outputs give it
        records = [(sequence, {**{LEARNER_LABELS[name]: value
                                  for name, value in record.stored().items()},
                               **({"ULN": result["uln"]} if (result or {}).get("uln") else {})},
                    code, _learner_outcome(result))
                   for sequence, record, code, result in records]
    rows = [(sequence, payload, code, result or {})
            for sequence, payload, code, result in records
            if not failed_only or (result or {}).get("errors")]
    # the batch file's columns, in its order (a field sent empty, or by no record, is an
    # empty column: the layout does not depend on what was sent), then any it does not know
    known = list(BATCH_FILE_KINDS[report.job.kind].fields)
    fields = known + sorted({key for _, payload, _, _ in rows for key in payload} - {*known})
    details = sorted({key for *_, result in rows for key in result}
                     - {"errors", *fields})  # what the outcome adds to the record
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Record", "Outcome", *fields, *details, "Errors"])
    for sequence, payload, code, result in rows:
        problems = "; ".join(f"{element_label(e['field'])}: {e['rule']}"
                             for e in result.get("errors", []))
        writer.writerow([sequence, code or "", *(_cell(payload.get(f)) for f in fields),
                         *(_cell(result.get(d)) for d in details), _cell(problems)])
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _learner_outcome(result: dict | None) -> dict | None:
    """A learner or verification record's outcome named as the output file names it."""
    if result is None:
        return None
    reason = learner_outcomes.reason(result, element_label)
    return {LEARNER_OUTCOME_ELEMENTS.get(name, name): reason if name == "problems" else value
            for name, value in result.items()}


def _achievement_row(sequence: int, record: SentAchievement, outcome: RecordOutcome | None):
    """An achievement record's row: its fields named as the batch file names them."""
    result = None if outcome is None else {
        **outcome.detail, "errors": [error.as_dict() for error in outcome.errors]}
    return (sequence, {ACHIEVEMENT_LABELS[name]: text
                       for name, text in record.stored().items()},
            outcome and outcome.code, result)


def _cell(value: object) -> str:
    if isinstance(value, list | tuple):
        value = "; ".join(map(str, value))
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text  # never a formula
