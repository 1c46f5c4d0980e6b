"""Native face: the exceptions process of learner batches (ListBatchExceptions,
ResolveBatchException). Map in, call one service function, map out; rules and codes are in
lrs_soap.service.batch_exceptions and lrs_soap.domain.batch_exceptions."""

from __future__ import annotations

import datetime as dt

from spyne import DateTime, Integer, ServiceBase, Unicode, rpc

from lrs_soap.domain.batch_exceptions import BatchException, ExceptionStatus
from lrs_soap.record_elements import DATE_FIELDS, LEARNER_LABELS
from lrs_soap.service import batch_exceptions
from lrs_soap.soap.native import types
from lrs_soap.soap.native.plr_mapping import page_in, paging_out
from lrs_soap.soap.native.types import PAGING


class BatchLearner(types.LearnerToRegister):
    _type_info = [("ULN", Unicode), ("MISIdentifier", Unicode)]


class BatchExceptionModel(types.NativeModel):
    __type_name__ = "BatchException"
    _type_info = [
        ("ExceptionID", Integer),
        ("JobID", Integer),
        ("RecordNumber", Integer),
        ("ReturnCode", Unicode),
        ("Status", Unicode),
        ("RaisedDateTime", DateTime),
        ("PossibleMatchULN", Unicode(max_occurs=10)),
        ("Learner", BatchLearner),
        ("ResolvedULN", Unicode),
        ("ResolvedDateTime", DateTime),
        ("ResolvedBy", Unicode),
        ("Reason", Unicode),
    ]


def exception_out(exception: BatchException | None) -> BatchExceptionModel | None:
    if exception is None:
        return None
    names = BatchLearner.get_flat_type_info(BatchLearner)
    record = {name: dt.date.fromisoformat(value) if name in DATE_FIELDS else value
              for attribute, value in exception.record.stored().items()
              if (name := LEARNER_LABELS[attribute]) in names}
    return BatchExceptionModel(
        ExceptionID=exception.id, JobID=exception.job_id, RecordNumber=exception.record_number,
        ReturnCode=exception.code, Status=exception.status.value,
        RaisedDateTime=exception.raised_at, PossibleMatchULN=list(exception.possible_ulns),
        Learner=BatchLearner(**record), ResolvedULN=exception.resolved_uln,
        ResolvedDateTime=exception.resolved_at, ResolvedBy=exception.resolved_by,
        Reason=exception.reason)


def _returns(*pairs):
    names, kinds = zip(*pairs, strict=True)
    return {"_returns": kinds, "_out_variable_names": names}


class ExceptionService(ServiceBase):
    @rpc(types.Credentials, Unicode, Integer, Integer, Integer, **_returns(
        ("ResponseCode", Unicode), *PAGING,
        ("Exception", BatchExceptionModel.customize(max_occurs=100))))
    def ListBatchExceptions(ctx, Credentials, Status, JobID, Page, PageSize):
        listing = batch_exceptions.list_exceptions(
            ctx.udc.services, ctx.udc.caller,
            status=ExceptionStatus(Status) if Status else ExceptionStatus.OPEN, job_id=JobID,
            page=page_in(Page, PageSize))
        return (listing.code.value, *paging_out(listing.page, listing.total),
                [exception_out(exception) for exception in listing.exceptions])

    @rpc(types.Credentials, Integer, Unicode, Unicode, Unicode, **_returns(
        ("ResponseCode", Unicode), ("Outcome", Unicode), ("ULN", Unicode), ("Reason", Unicode),
        ("Exception", BatchExceptionModel)))
    def ResolveBatchException(ctx, Credentials, ExceptionID, Decision, ULN, Reason):
        result = batch_exceptions.resolve_exception(ctx.udc.services, ctx.udc.caller,
                                                    ExceptionID, Decision, uln=ULN,
                                                    reason=Reason)
        return (result.code.value, result.outcome and result.outcome.value, result.uln,
                result.reason, exception_out(result.exception))
