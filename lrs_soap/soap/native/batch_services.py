"""Native face batch operations: submit (records read with lxml) and get (job reports)."""

from spyne import AnyXml, Integer, ServiceBase, Unicode, rpc

from lrs_soap.domain.batches import JobKind
from lrs_soap.service import batches
from lrs_soap.soap.native import batch_mapping as out
from lrs_soap.soap.native import types
from lrs_soap.soap.native.achievement_mapping import achievements
from lrs_soap.soap.native.types import JOB_PROGRESS, SUBMIT_RESULT


def _returns(*extra):
    names, kinds = zip(*(*JOB_PROGRESS, *extra), strict=True)
    return {"_returns": kinds, "_out_variable_names": names}


_SUBMIT = {"_returns": tuple(k for _, k in SUBMIT_RESULT),
           "_out_variable_names": tuple(n for n, _ in SUBMIT_RESULT)}
_RECORDS = AnyXml(max_occurs="unbounded")  # read from the tree, not turned into objects


def _submit(ctx, submission: batches.Submission):
    result = batches.submit(ctx.udc.services, ctx.udc.caller, submission)
    return result.code.value, result.job_id, result.reason


def _report(ctx, kind: JobKind, job_id: int) -> batches.JobReport:
    return batches.report(ctx.udc.services, ctx.udc.caller, kind, job_id)


class BatchService(ServiceBase):
    @rpc(types.Credentials, Unicode, Integer, _RECORDS, **_SUBMIT)
    def SubmitLearnerBatch(ctx, Credentials, JobType, LearnerRecordCount, Learner):
        return _submit(ctx, batches.Submission(
            JobKind.LEARNER_REGISTRATION, out.learner_records(ctx.in_body_doc),
            LearnerRecordCount, job_type=JobType))

    @rpc(types.Credentials, Integer, **_returns(
        *((name, Integer) for name in out.LEARNER_COUNTERS),
        ("Learner", types.BatchLearnerResult.customize(max_occurs=200))))
    def GetLearnerBatch(ctx, Credentials, JobID):
        report = _report(ctx, JobKind.LEARNER_REGISTRATION, JobID)
        return (*out.progress(report), *out.counters(report, out.LEARNER_COUNTERS),
                out.learner_results(report))

    @rpc(types.Credentials, Integer, Unicode, _RECORDS, **_SUBMIT)
    def SubmitVerifyBatch(ctx, Credentials, LearnerRecordCount, OrgEmail, Learner):
        return _submit(ctx, batches.Submission(
            JobKind.VERIFICATION, out.learner_records(ctx.in_body_doc),
            LearnerRecordCount, email=OrgEmail))

    @rpc(types.Credentials, Integer, **_returns(
        ("VerifiedLearner", types.VerifyBatchResult.customize(max_occurs=200))))
    def GetVerifyBatch(ctx, Credentials, JobID):
        report = _report(ctx, JobKind.VERIFICATION, JobID)
        return (*out.progress(report), out.verify_results(report))

    @rpc(types.Credentials, Unicode, Unicode, Integer, _RECORDS, **_SUBMIT)
    def SubmitAchievementBatch(ctx, Credentials, SubmissionType, EmailAddress, RecordCount,
                               Achievement):
        return _submit(ctx, batches.Submission(
            JobKind.ACHIEVEMENT, achievements(ctx.in_body_doc), RecordCount,
            submission_type=SubmissionType or "FINAL", email=EmailAddress))

    @rpc(types.Credentials, Integer, **_returns(
        *((name, Integer) for name in out.ACHIEVEMENT_COUNTERS),
        ("Error", types.RecordError.customize(max_occurs="unbounded"))))
    def GetAchievementBatch(ctx, Credentials, JobID):
        report = _report(ctx, JobKind.ACHIEVEMENT, JobID)
        return (*out.progress(report), *out.counters(report, out.ACHIEVEMENT_COUNTERS),
                out.record_errors(report))
