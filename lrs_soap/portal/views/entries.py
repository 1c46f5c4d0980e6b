"""Charter "Entries & Results" (docs/entries-results.md): an awarding organisation enters a
learner for a qualification, records, amends and withdraws results, cancels entries, uploads
a file of either (every bad row listed before anything is submitted), and reviews "the result
of processing", filtered, as a page or as CSV. Each page calls service.entries/entry_review,
the functions the SOAP operations call."""

from __future__ import annotations

from flask import Blueprint, Response, abort, g, render_template, request

from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.entries import EntryStatus, ResultAction, ResultStatus
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.sent_entry import SentEntry, read_entry, read_result
from lrs_soap.portal import entry_files
from lrs_soap.portal.forms.entries import (
    ChangeForm,
    EntryFileForm,
    EntryForm,
    ResultForm,
    ReviewFilterForm,
    WithdrawForm,
)
from lrs_soap.portal.session import current, requires
from lrs_soap.portal.views.achievements import offer_qualifications
from lrs_soap.portal.wording import refusal
from lrs_soap.record_elements import element_label
from lrs_soap.service import entries, entry_results, entry_review
from lrs_soap.service.entry_ports import EntryFilter
from lrs_soap.service.plr import Page

blueprint = Blueprint("entries", __name__, url_prefix="/entries")
CAPABILITY = "entries_results"
PAGE_SIZE = 50


@blueprint.route("/")
@requires(CAPABILITY)
def review():
    form = ReviewFilterForm(request.args)
    number = request.args.get("page", "1")
    page = Page(int(number) if number.isdigit() and 0 < int(number) < 10_000 else 1, PAGE_SIZE)
    listing = entry_review.review_entries(g.ctx, current().caller, _filters(form), page)
    return render_template("entries/review.html", form=form, listing=listing, width="full",
                           query={k: v for k, v in request.args.items() if k != "page"},
                           reasons=_reasons_text)


@blueprint.route("/entries.csv")
@requires(CAPABILITY)
def export():
    text = entry_review.entries_csv(g.ctx, current().caller,
                                    _filters(ReviewFilterForm(request.args)),
                                    element_label)
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=entries.csv"})


def _filters(form: ReviewFilterForm) -> EntryFilter:
    """The filters as entered; a value that is not a choice filters nothing."""
    form.validate()
    data = {name: (value.strip() if isinstance(value, str) else value) or None
            for name, value in form.data.items()}
    return EntryFilter(
        status=EntryStatus(data["status"]) if data["status"] in set(EntryStatus) else None,
        result_status=(ResultStatus(data["result_status"])
                       if data["result_status"] in set(ResultStatus) else None),
        qualification_reference=(data["qualification"] or "").upper() or None,
        uln=data["uln"])


@blueprint.route("/new", methods=["GET", "POST"])
@requires(CAPABILITY)
def enter():
    form, outcome, problem = EntryForm(), None, None
    offer_qualifications(form)
    if not form.narrow.data and form.validate_on_submit():
        try:
            [outcome] = entries.submit_entries(g.ctx, current().caller, [_entry(form)])
        except LrsError as error:
            problem = refusal(error)
    status = 400 if problem or form.errors else 200
    return render_template("entries/new.html", form=form, outcome=outcome, problem=problem,
                           problem_href="#uln"), status


def _entry(form: EntryForm) -> SentEntry:
    return read_entry({
        "uln": form.uln.data, "given_name": form.given_name.data,
        "family_name": form.family_name.data,
        "date_of_birth": form.date_of_birth.data.isoformat(), "gender": form.gender.data,
        "qualification_reference": form.qualification.data,
        "entry_date": form.entry_date.data.isoformat(),
        "expected_award_date": form.expected_award_date.data.isoformat(),
        "provider_ukprn": form.provider_ukprn.data, "mis_identifier": form.mis_identifier.data})


@blueprint.route("/<int:entry_id>")
@requires(CAPABILITY)
def entry(entry_id: int):
    return _entry_page(entry_id)


def _entry_page(entry_id: int, *, answer=None, problem=None, forms=None, status=200):
    shown = entry_review.get_entry(g.ctx, current().caller, entry_id)
    if shown is None:
        abort(404)  # another organisation's entry looks exactly like a missing one
    version = str(shown.version)
    forms = forms or {}
    for name, kind in (("result", ResultForm), ("withdraw", WithdrawForm),
                       ("cancel", ChangeForm)):
        forms.setdefault(name, kind(formdata=None, version=version))
    return render_template("entries/entry.html", entry=shown, answer=answer, problem=problem,
                           forms=forms, reasons=_reasons_text), status


@blueprint.route("/<int:entry_id>/result", methods=["POST"])
@requires(CAPABILITY)
def result(entry_id: int):
    form = ResultForm()
    if not form.validate_on_submit():
        return _entry_page(entry_id, forms={"result": form}, status=400)
    action = ResultAction.AMEND if request.form.get("amend") else ResultAction.RECORD
    try:
        [answer] = entry_results.submit_results(g.ctx, current().caller, [read_result({
            "entry_id": str(entry_id), "action": action.value, "grade": form.grade.data,
            "award_date": form.award_date.data.isoformat(),
            "entry_version": _version(form.version.data)})])
    except LrsError as error:
        return _entry_page(entry_id, forms={"result": form},
                           problem=refusal(error), status=400)
    return _answered(entry_id, answer)


@blueprint.route("/<int:entry_id>/withdraw", methods=["POST"])
@requires(CAPABILITY)
def withdraw(entry_id: int):
    form = WithdrawForm()
    if not form.validate_on_submit():
        return _entry_page(entry_id, forms={"withdraw": form}, status=400)
    answer = entry_results.withdraw_result(g.ctx, current().caller, entry_id, form.reason.data,
                                     _int(form.version.data))
    return _answered(entry_id, answer)


@blueprint.route("/<int:entry_id>/cancel", methods=["POST"])
@requires(CAPABILITY)
def cancel(entry_id: int):
    form = ChangeForm()
    if not form.validate_on_submit():
        return _entry_page(entry_id, status=400)
    return _answered(entry_id, entries.cancel_entry(g.ctx, current().caller, entry_id,
                                                    _int(form.version.data)))


def _answered(entry_id: int, answer: entries.ResultOutcome):
    if answer.code == ResponseCode.NO_MATCH:  # another organisation's entry, or none
        abort(404)
    return _entry_page(entry_id, answer=answer)


def _version(text: str | None) -> str | None:
    return text if text and text.isdigit() else None


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


@blueprint.route("/upload", methods=["GET", "POST"])
@requires(CAPABILITY)
def upload():
    form, checked, outcomes, problem = EntryFileForm(), None, None, None
    if form.validate_on_submit():
        checked = entry_files.read_entry_file(form.entry_file.data.read(),
                                              uk_date(g.ctx.clock()))
        if not checked.ready:
            count = len(checked.problems)
            problem = (f"The file has {count} problem{'s' if count != 1 else ''}: nothing "
                       "was submitted")
        else:
            submit = (entry_results.submit_results if checked.kind == entry_files.RESULTS
                      else entries.submit_entries)
            try:
                outcomes = submit(g.ctx, current().caller, checked.records)
            except LrsError as error:
                problem = refusal(error)
    status = 400 if problem or form.errors else 200
    return render_template("entries/upload.html", form=form, checked=checked,
                           outcomes=outcomes, problem=problem,
                           entry_columns=entry_files.ENTRY_COLUMNS,
                           result_columns=entry_files.RESULT_COLUMNS,
                           problem_href="#entry_file"), status


def _reasons_text(entry) -> str:
    return entry_review.reasons_text(entry, element_label)
