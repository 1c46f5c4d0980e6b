"""Native face: ListJobs, the charter's "View Achievement Batch Jobs" for every kind of batch.
Map in, call lrs_soap.service.batches.list_jobs, map out."""

from __future__ import annotations

from spyne import DateTime, Integer, ServiceBase, Unicode, rpc

from lrs_soap.domain import batches as jobs
from lrs_soap.service import batches
from lrs_soap.service.ports import JobView
from lrs_soap.soap.native import types
from lrs_soap.soap.native.plr_mapping import page_in, paging_out
from lrs_soap.soap.native.types import PAGING


class BatchJob(types.NativeModel):
    _type_info = [
        ("JobID", Integer),
        ("JobKind", Unicode),
        ("JobStatus", Unicode),
        ("NumberOfRecords", Integer),
        ("RecordsProcessed", Integer),
        ("SubmittedDateTime", DateTime),
        ("JobStartedDateTime", DateTime),
        ("JobFinishedDateTime", DateTime),
        ("JobType", Unicode),
        ("SubmissionType", Unicode),
        ("FailureReason", Unicode),
    ]


def job_out(job: JobView) -> BatchJob:
    return BatchJob(
        JobID=job.id, JobKind=job.kind.value, JobStatus=job.status.value,
        NumberOfRecords=job.record_count, RecordsProcessed=job.processed,
        SubmittedDateTime=job.submitted_at, JobStartedDateTime=job.started_at,
        JobFinishedDateTime=job.finished_at, JobType=job.job_type,
        SubmissionType=job.submission_type, FailureReason=job.failure_reason)


_LIST_RETURNS = (("ResponseCode", Unicode), *PAGING, ("Job", BatchJob.customize(max_occurs=100)))


class JobService(ServiceBase):
    @rpc(types.Credentials, Unicode, Unicode, Integer, Integer,
         _returns=tuple(kind for _, kind in _LIST_RETURNS),
         _out_variable_names=tuple(name for name, _ in _LIST_RETURNS))
    def ListJobs(ctx, Credentials, JobKind, JobStatus, Page, PageSize):
        listing = batches.list_jobs(
            ctx.udc.services, ctx.udc.caller, kind=jobs.JobKind(JobKind) if JobKind else None,
            status=jobs.JobStatus(JobStatus) if JobStatus else None,
            page=page_in(Page, PageSize))
        return (listing.code.value, *paging_out(listing.page, listing.total),
                [job_out(job) for job in listing.jobs])
