"""Charter "Batch - portal": upload a learner, verification or achievement batch file. It is
checked first with the offline Validation Tool's rules and every problem is listed before
anything is submitted; a clean file is submitted as the SOAP Submit*Batch would be."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, current_app, g, redirect, render_template, url_for
from werkzeug.utils import secure_filename

from lrs_soap.domain.batches import JobKind
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.portal.forms.batches import UploadForm
from lrs_soap.portal.session import current, requires
from lrs_soap.portal.uploads import CheckedFile, FileProblem
from lrs_soap.portal.views.jobs import CAPABILITY, KIND_NAMES
from lrs_soap.portal.wording import refusal
from lrs_soap.service import batches

blueprint = Blueprint("batches", __name__, url_prefix="/batches")


@blueprint.route("/upload", methods=["GET", "POST"])
@requires("portal_home")
def upload():
    form, checked, problem = UploadForm(), None, None
    if form.validate_on_submit():
        checked = _check(form.batch_file.data)
        problem = _refused(checked)
        if problem is None:
            try:
                submitted = batches.submit(g.ctx, current().caller, _submission(checked))
            except LrsError as error:
                problem = refusal(error)
            else:
                if submitted.code is ResponseCode.BATCH_SUBMITTED:
                    return redirect(url_for("jobs.job", kind=checked.kind.value,
                                            job_id=submitted.job_id))
                problem = f"{submitted.reason} ({submitted.code.value})"
    return render_template("batches/upload.html", form=form, checked=checked, problem=problem,
                           problem_href="#batch_file", kind_names=KIND_NAMES)


def _check(storage) -> CheckedFile:
    """Save the upload under its own (sanitised) name, which says its kind, and check it."""
    name = secure_filename(storage.filename or "") or "upload"
    with tempfile.TemporaryDirectory(prefix="lrs-portal-") as directory:
        path = Path(directory) / name
        storage.save(path)
        return current_app.config["PORTAL_FILE_CHECKER"](path, uk_date(g.ctx.clock()))


def _refused(checked: CheckedFile) -> str | None:
    if checked.unreadable:
        return f"The file could not be read: {checked.unreadable}"
    if checked.problems:
        count = len(checked.problems)
        return f"The file has {count} problem{'s' if count > 1 else ''}: nothing was submitted"
    if checked.kind is None:
        return "This is not a batch file"
    me = current()
    if not me.may(CAPABILITY[checked.kind]):
        return f"Your organisation cannot submit {KIND_NAMES[checked.kind].lower()} batches"
    if checked.header.get("UKPRN") not in (me.organisation.ukprn, me.organisation.reference):
        checked.problems.append(FileProblem(0, 0, "UKPRN", "the header's UKPRN must be your "
                                            "organisation's"))
        return "The file is another organisation's: nothing was submitted"
    return None


def _submission(checked: CheckedFile) -> batches.Submission:
    header = checked.header
    return batches.Submission(
        checked.kind, checked.records, len(checked.records),
        job_type="FUL" if checked.kind is JobKind.LEARNER_REGISTRATION else None,
        email=header.get("ContactEmail") or None,
        submission_type=(header.get("SubmissionType") or "FINAL")
        if checked.kind is JobKind.ACHIEVEMENT else None)
