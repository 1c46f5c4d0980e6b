"""Batch jobs: submit (validate the whole message, store every record in one transaction),
report, and run (claim with a lease, process in chunks, exactly once per record)."""

from __future__ import annotations

import datetime as dt
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from lrs_soap.domain import sent_achievement, sent_learner
from lrs_soap.domain.batches import (
    MAX_RECORDS,
    JobKind,
    JobStatus,
    Payload,
    RecordError,
    RecordOutcome,
)
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.errors import NoAchievements, TooManyAchievements
from lrs_soap.domain.model import Role
from lrs_soap.domain.sent_achievement import SentAchievement
from lrs_soap.domain.sent_learner import SentLearner
from lrs_soap.service import achievements, learner_batches
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.plr import Page
from lrs_soap.service.ports import AchievementJob, ClaimedJob, JobView, UnitOfWork

log = logging.getLogger(__name__)

# What a wrong record count is answered with, per kind (lrs-rules 4 and 5).
_COUNT_WRONG = {JobKind.LEARNER_REGISTRATION: ResponseCode.RECORD_COUNT_WRONG,
                JobKind.VERIFICATION: ResponseCode.VERIFY_RECORD_COUNT_WRONG,
                JobKind.ACHIEVEMENT: ResponseCode.RECORD_COUNT_WRONG}


@dataclass(frozen=True)
class Submission:
    kind: JobKind
    payloads: list[SentLearner] | list[SentAchievement]  # the records, as the face read them
    declared_count: int
    job_type: str | None = None
    submission_type: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class SubmitResult:
    code: ResponseCode
    job_id: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class JobReport:
    code: ResponseCode
    job: JobView | None = None
    # (sequence, SentLearner, outcome code, result: domain.learner_outcomes) of a learner job;
    # (sequence, record, outcome) of an achievement job (AchievementReport)
    records: tuple[tuple, ...] = ()


def submit(ctx: ServiceContext, caller: Caller, submission: Submission) -> SubmitResult:
    kind, count = submission.kind, len(submission.payloads)
    if kind is JobKind.ACHIEVEMENT:
        if not caller.organisation.has_role(Role.AWARDING_ORGANISATION):
            return SubmitResult(ResponseCode.NOT_AN_AWARDING_ORGANISATION,
                                reason="only awarding organisations submit achievements")
        if count == 0:
            raise NoAchievements()
        if count > MAX_RECORDS[kind]:
            raise TooManyAchievements(f"{count} achievements; at most {MAX_RECORDS[kind]} "
                                      "per batch")
    if submission.declared_count != count:
        return SubmitResult(_COUNT_WRONG[kind], reason=f"the record count says "
                            f"{submission.declared_count} but {count} records were sent")
    now = ctx.clock()
    with ctx.uow_factory() as uow:
        records = submission.payloads
        if kind is JobKind.LEARNER_REGISTRATION:
            records = learner_batches.with_submitted_versions(uow, records)
        payloads = _Stored(records)  # by attribute name: no face's element names
        job_id = uow.jobs.create(job_id=_new_job_id(ctx, uow),
                                 kind=kind, organisation_id=caller.organisation.id,
                                 user_name=caller.user_name, job_type=submission.job_type,
                                 submission_type=submission.submission_type,
                                 email=submission.email, payloads=payloads, now=now)
        uow.audit.record(at=now, organisation_id=caller.organisation.id,
                         user_name=caller.user_name, action=f"batch.submit.{kind.value}",
                         detail={"job_id": job_id, "records": count})
        uow.commit()
    if ctx.batch_timing().mode == "immediate":
        run_job_now(ctx, job_id)
    return SubmitResult(ResponseCode.BATCH_SUBMITTED, job_id)


def _new_job_id(ctx: ServiceContext, uow: UnitOfWork) -> int:
    """A JobID nobody can guess from their own (random, 1 .. 2^31 - 1), not yet used."""
    for _ in range(20):
        job_id = ctx.randomness.job_id(uow)
        if uow.jobs.view(job_id) is None:
            return job_id
    raise RuntimeError("no free JobID after 20 draws")


def report(ctx: ServiceContext, caller: Caller, kind: JobKind, job_id: int) -> JobReport:
    """Another organisation's job is as unknown as a job that does not exist (WSRC0018)."""
    with ctx.uow_factory() as uow:
        job = uow.jobs.view(job_id)
        if job is None or job.organisation_id != caller.organisation.id or job.kind is not kind:
            return JobReport(ResponseCode.UNKNOWN_JOB)
        if job.status is JobStatus.SUCCESSFUL:
            records = uow.jobs.outcomes(job_id)
            if kind is JobKind.ACHIEVEMENT:
                records = [_achievement_report(*record) for record in records]
            else:
                records = [(sequence, sent_learner.read(stored), code, result)
                           for sequence, stored, code, result in records]
            return JobReport(ResponseCode.BATCH_SUCCESSFUL, job, tuple(records))
    if job.status is JobStatus.FAILED:
        return JobReport(ResponseCode.BATCH_FAILED, job)
    return JobReport(ResponseCode.BATCH_INCOMPLETE, job)


class _Stored(Sequence):
    """Records as a job stores them, made as the store takes them (a slice at a time): a
    10,000-record achievement batch is not held a second time while it is written."""

    def __init__(self, records: Sequence[SentAchievement] | Sequence[SentLearner]):
        self._records = records

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [record.stored() for record in self._records[index]]
        return self._records[index].stored()


AchievementReport = tuple[int, SentAchievement, RecordOutcome | None]


def _achievement_report(sequence: int, stored: Payload, code: str | None,
                        result: dict | None) -> AchievementReport:
    """A stored achievement record and its outcome, in their domain forms."""
    outcome = None
    if code is not None:
        detail = {name: value for name, value in (result or {}).items() if name != "errors"}
        outcome = RecordOutcome(code, detail, tuple(
            RecordError(**error) for error in (result or {}).get("errors", ())))
    return sequence, sent_achievement.read(stored), outcome


@dataclass(frozen=True)
class JobPage:
    code: ResponseCode  # WSRC0004 when any job matches, WSRC0001 when none
    page: Page
    total: int
    jobs: tuple[JobView, ...]


def list_jobs(ctx: ServiceContext, caller: Caller, *, kind: JobKind | None = None,
              status: JobStatus | None = None, page: Page | None = None) -> JobPage:
    """The caller's own organisation's jobs (of one kind and status, if given), newest
    first, a page at a time; no other organisation's job is ever listed."""
    page = page or Page()
    with ctx.uow_factory() as uow:
        total, jobs = uow.jobs.page(organisation_id=caller.organisation.id, kind=kind,
                                    status=status, offset=page.offset, limit=page.size)
    code = ResponseCode.EXACT_MATCH if total else ResponseCode.NO_MATCH
    return JobPage(code, page, total, tuple(jobs))


def recent_jobs(ctx: ServiceContext, caller: Caller, limit: int = 10) -> list[JobView]:
    """The caller's organisation's newest jobs of every kind (the portal's home and jobs
    pages), newest first."""
    with ctx.uow_factory() as uow:
        return uow.jobs.recent(caller.organisation.id, limit)


# ----- running jobs (lrs-soap worker) -----

Processor = Callable[[ServiceContext, UnitOfWork, ClaimedJob, list[tuple[int, Payload]],
                      dt.datetime], list[RecordOutcome]]


def _achievements(ctx, uow, job, records, now):
    organisation = uow.organisations.by_id(job.organisation_id)
    return achievements.apply_records(
        uow, AchievementJob(job.id, organisation, job.submission_type),
        [(number, sent_achievement.read(stored)) for number, stored in records], now)


PROCESSORS: dict[JobKind, Processor] = {
    JobKind.LEARNER_REGISTRATION: learner_batches.process_learner_records,
    JobKind.VERIFICATION: learner_batches.process_verify_records,
    JobKind.ACHIEVEMENT: _achievements,
}


@dataclass(frozen=True)
class RetryPolicy:
    """How a chunk that failed for a transient reason (a lost connection, a deadlock) is
    tried again: at most ``attempts`` tries, waits doubling from ``first_wait`` up to
    ``max_wait``, each drawn between half and all of that (jitter: workers hit by one outage
    do not all come back at the same instant), and never more than ``budget`` seconds of
    waiting in all. Any other error fails the job at once: trying again changes nothing."""

    attempts: int = 8
    first_wait: float = 0.25
    max_wait: float = 8.0
    budget: float = 30.0

    def wait(self, failures: int, rng: random.Random) -> float:
        """Seconds to wait after the ``failures``-th failure in a row."""
        return min(self.max_wait, self.first_wait * 2 ** (failures - 1)) * rng.uniform(0.5, 1)


@dataclass(frozen=True)
class RunSettings:
    worker: str
    chunk_size: int = 500
    lease: dt.timedelta = dt.timedelta(seconds=60)
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    sleep: Callable[[float], None] = time.sleep
    rng: random.Random = field(default_factory=random.Random)


def run_next_job(ctx: ServiceContext, run: RunSettings,
                 stop: Callable[[], bool] = lambda: False, *,
                 job_id: int | None = None) -> int | None:
    """Claim one job (``job_id``, or the oldest claimable) and process it to the end, or
    until ``stop()`` says so after a chunk (the job's lease then runs out and any worker
    carries on); the job's id, or None. Follows ``ctx.batch_timing``."""
    timing = ctx.batch_timing()
    if timing.mode == "hold":
        return None
    with ctx.uow_factory() as uow:
        now = ctx.clock()
        submitted_before = (now - dt.timedelta(seconds=timing.seconds)
                            if timing.mode == "delay" else None)
        job = uow.jobs.claim(run.worker, now, run.lease, job_id=job_id,
                             submitted_before=submitted_before)
        uow.commit()
    if job is None:
        return None
    log.info("job %s (%s): claimed by %s", job.id, job.kind.value, run.worker)
    if timing.mode == "fail":
        _fail(ctx, run, job, "failed on purpose (harness control: batches fail)")
        return job.id
    failures, waited = 0, 0.0
    while True:
        try:
            if _process_chunk(ctx, run, job):
                return job.id
            failures, waited = 0, 0.0
            if stop():
                log.info("job %s: stopping after a committed chunk", job.id)
                return job.id
        except Exception as error:  # a chunk that fails rolls back whole
            failures += 1
            kind = type(error).__name__
            wait = run.retry.wait(failures, run.rng)
            if not ctx.is_transient(error):
                log.exception("job %s: chunk failed (%s), not a transient error: job failed",
                              job.id, kind)
                _fail(ctx, run, job, f"processing failed: {kind}")
                return job.id
            if failures >= run.retry.attempts or waited + wait > run.retry.budget:
                log.error("job %s: chunk failed %s times (%s), %.1f s of retrying: job failed",
                          job.id, failures, kind, waited)
                _fail(ctx, run, job, f"processing failed {failures} times: {kind}")
                return job.id
            log.warning("job %s: chunk failed (%s, transient), attempt %s of %s; "
                        "retrying in %.2f s", job.id, kind, failures, run.retry.attempts, wait)
            run.sleep(wait)
            waited += wait


def run_job_now(ctx: ServiceContext, job_id: int) -> None:
    """Process a job in this call (batch timing ``immediate``)."""
    run_next_job(ctx, RunSettings(worker=f"inline:{job_id}"), job_id=job_id)


def _process_chunk(ctx: ServiceContext, run: RunSettings, job: ClaimedJob) -> bool:
    """One chunk in one transaction; True when the job has ended (or is no longer ours)."""
    with ctx.uow_factory() as uow:
        now = ctx.clock()
        if not uow.jobs.renew(job.id, run.worker, now, run.lease):
            log.warning("job %s: lease lost; another worker carries on", job.id)
            return True
        records = uow.jobs.pending(job.id, run.chunk_size)
        if not records:
            counters = dict(uow.jobs.outcome_counts(job.id))
            uow.jobs.finish(job.id, run.worker, JobStatus.SUCCESSFUL, now, counters=counters)
            uow.commit()
            log.info("job %s: finished", job.id)
            return True
        outcomes = PROCESSORS[job.kind](ctx, uow, job, records, now)
        uow.jobs.record(job.id, [(sequence, outcome) for (sequence, _), outcome
                                 in zip(records, outcomes, strict=True)], now)
        uow.commit()
    return False


def _fail(ctx: ServiceContext, run: RunSettings, job: ClaimedJob, reason: str) -> None:
    with ctx.uow_factory() as uow:
        uow.jobs.finish(job.id, run.worker, JobStatus.FAILED, ctx.clock(),
                        counters=dict(uow.jobs.outcome_counts(job.id)), failure_reason=reason)
        uow.commit()
