"""Native face: entries and results (docs/entries-results.md).

Entry and Result elements are read from the validated tree as batch records are, then once
into the domain's SentEntry and SentResult; a record's field is named by its element again on
the way out (record_elements.element_label).
"""

from spyne import AnyXml, Integer, ServiceBase, Unicode, rpc

from lrs_soap.domain.batches import reworded
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.entries import Entry, EntryStatus, ResultStatus
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.sent_entry import read_entry, read_result
from lrs_soap.record_elements import ENTRY_RECORD, RESULT_RECORD, by_attribute, element_label
from lrs_soap.service import entries, entry_results, entry_review
from lrs_soap.service.entry_ports import EntryFilter
from lrs_soap.soap.native import entry_types as t
from lrs_soap.soap.native import types
from lrs_soap.soap.native.batch_mapping import payloads
from lrs_soap.soap.native.plr_mapping import page_in, paging_out
from lrs_soap.soap.native.types import PAGING

_FILTERS = (Unicode, Unicode, Unicode, Unicode)  # Status, ResultStatus, reference, ULN


def _returns(*pairs):
    names, kinds = zip(*pairs, strict=True)
    return {"_returns": kinds, "_out_variable_names": names}


def _errors(reasons) -> list[types.RecordError]:
    return [types.RecordError(RecordNumber=r.record, Field=element_label(r.field),
                              Rule=r.rule)
            for r in reasons]


def _result_fields(outcome: entries.ResultOutcome) -> tuple:
    return (outcome.number, str(outcome.code), outcome.entry_id, outcome.result_id,
            outcome.status and outcome.status.value, outcome.event_id, _errors(outcome.reasons))


def _filters(status, result_status, reference, uln) -> EntryFilter:
    return EntryFilter(EntryStatus(status) if status else None,
                       ResultStatus(result_status) if result_status else None, reference, uln)


def entry_view(entry: Entry) -> t.EntryView:
    return t.EntryView(
        EntryID=entry.id, Status=entry.status.value, Version=entry.version,
        MISIdentifier=entry.mis_identifier, ULN=entry.uln, HolderULN=entry.holder_uln,
        QualificationReference=entry.qualification_reference, EntryDate=entry.entry_date,
        ExpectedAwardDate=entry.expected_award_date, ProviderUKPRN=entry.provider_ukprn,
        SubmittedBy=entry.submitted_by, SubmittedDateTime=entry.submitted_at,
        Error=_errors(entry.reasons),
        Result=[t.EntryResultView(
            ResultID=r.id, Action=r.action, Status=r.status.value, Grade=r.grade,
            AwardDate=r.award_date, EventID=r.event_id, SubmittedBy=r.submitted_by,
            SubmittedDateTime=r.submitted_at, Error=_errors(r.reasons))
            for r in entry.results])


_RESULT_OUTCOME = _returns(*zip(
    ("RecordNumber", "ResponseCode", "EntryID", "ResultID", "Status", "EventID", "Error"),
    (Integer, Unicode, Integer, Integer, Unicode, Integer,
     types.RecordError.customize(max_occurs="unbounded")), strict=True))


class EntryService(ServiceBase):
    @rpc(types.Credentials, AnyXml(max_occurs=1000), **_returns(
        ("ResponseCode", Unicode), ("Entry", t.EntryOutcome.customize(max_occurs=1000))))
    def SubmitEntries(ctx, Credentials, Entry):
        records = [read_entry(by_attribute(ENTRY_RECORD, values))
                   for values in payloads(ctx.in_body_doc, "Entry")]
        try:
            outcomes = entries.submit_entries(ctx.udc.services, ctx.udc.caller, records)
        except LrsError as error:  # refused records: their fields in this face's names
            raise reworded(error, element_label) from None
        return ResponseCode.BATCH_SUCCESSFUL.value, [t.EntryOutcome(
            RecordNumber=o.number, EntryID=o.entry_id, Status=o.status.value, ULN=o.holder_uln,
            Error=_errors(o.reasons)) for o in outcomes]

    @rpc(types.Credentials, AnyXml(max_occurs=1000), **_returns(
        ("ResponseCode", Unicode), ("Result", t.ResultOutcome.customize(max_occurs=1000))))
    def SubmitResults(ctx, Credentials, Result):
        records = [read_result(by_attribute(RESULT_RECORD, values))
                   for values in payloads(ctx.in_body_doc, "Result")]
        try:
            outcomes = entry_results.submit_results(ctx.udc.services, ctx.udc.caller, records)
        except LrsError as error:
            raise reworded(error, element_label) from None
        names = [name for name, _ in t.ResultOutcome._type_info.items()]
        return ResponseCode.BATCH_SUCCESSFUL.value, [
            t.ResultOutcome(**dict(zip(names, _result_fields(o), strict=True)))
            for o in outcomes]

    @rpc(types.Credentials, Integer, Unicode, Integer, **_RESULT_OUTCOME)
    def WithdrawResult(ctx, Credentials, EntryID, Reason, EntryVersion):
        return _result_fields(entry_results.withdraw_result(
            ctx.udc.services, ctx.udc.caller, EntryID, Reason, EntryVersion))

    @rpc(types.Credentials, Integer, Integer, **_RESULT_OUTCOME)
    def CancelEntry(ctx, Credentials, EntryID, EntryVersion):
        return _result_fields(entries.cancel_entry(ctx.udc.services, ctx.udc.caller, EntryID,
                                                   EntryVersion))

    @rpc(types.Credentials, *_FILTERS, Integer, Integer, **_returns(
        ("ResponseCode", Unicode), *PAGING, ("Entry", t.EntryView.customize(max_occurs=100))))
    def ListEntries(ctx, Credentials, Status, ResultStatus, QualificationReference, ULN, Page,
                    PageSize):
        listing = entry_review.review_entries(
            ctx.udc.services, ctx.udc.caller,
            _filters(Status, ResultStatus, QualificationReference, ULN), page_in(Page, PageSize))
        code = ResponseCode.EXACT_MATCH if listing.entries else ResponseCode.NO_MATCH
        return (code.value, *paging_out(listing.page, listing.total),
                [entry_view(entry) for entry in listing.entries])

    @rpc(types.Credentials, *_FILTERS, **_returns(("ResponseCode", Unicode), ("Csv", Unicode)))
    def ExportEntries(ctx, Credentials, Status, ResultStatus, QualificationReference, ULN):
        text = entry_review.entries_csv(ctx.udc.services, ctx.udc.caller,
                                        _filters(Status, ResultStatus, QualificationReference,
                                                 ULN), element_label)
        return ResponseCode.EXACT_MATCH.value, text
