"""LearnerService.svc batch messages in and out (lrs-wire.md 3.9, 3.10). No rules here.

Records are read into the domain's SentLearner (the texts as submitted, by attribute name),
as the native face reads its own. Output:

- JobStatus: ``Waiting``, ``InProgress``, ``Successful`` or ``Failed`` (the live vocabulary is
  unpublished; these are the names the LRS gives achievement batch jobs on ExternalService);
- the counters, once the job has finished;
- JobStartedDateTime / JobFinishedDateTime ``YYYY-MM-DD HH:MM:SS`` (UK time) once known;
- each record once the job has succeeded: OutputBatchLearner is the BatchLearner as
  submitted, its ULN the one found or issued, plus ReturnCode; MIAPVerifiedBatchLearner the
  Searched* values as submitted, the ResponseCode and the FailureFlags.
"""

from __future__ import annotations

from lxml import etree

from lrs_soap.domain import sent_learner
from lrs_soap.domain.batches import JobKind, JobStatus
from lrs_soap.domain.sent_learner import SentLearner
from lrs_soap.record_elements import LEARNER_RECORD, learner_record
from lrs_soap.service.batches import JobReport, Submission
from lrs_soap.service.learner_batches import LEARNER_COUNTERS
from lrs_soap.soap.lrs import learner_xml as xml
from lrs_soap.soap.lrs.learner_xml import add, child_text

JOB_STATUS = {JobStatus.WAITING: "Waiting", JobStatus.IN_PROGRESS: "InProgress",
              JobStatus.SUCCESSFUL: "Successful", JobStatus.FAILED: "Failed"}
FINISHED = frozenset({JobStatus.SUCCESSFUL, JobStatus.FAILED})

# BatchLearner (lrs-wire 3.9): not LearnerToRegister's order.
BATCH_LEARNER = (
    "ULN", "MISIdentifier", "Title", "GivenName", "PreferredGivenName", "MiddleOtherName",
    "FamilyName", "PreviousFamilyName", "FamilyNameAtAge16", "SchoolAtAge16",
    "LastKnownAddressLine1", "LastKnownAddressLine2", "LastKnownAddressTown",
    "LastKnownAddressCountyOrCity", "LastKnownPostCode", "DateOfAddressCapture", "DateOfBirth",
    "PlaceOfBirth", "EmailAddress", "Gender", "Nationality", "ScottishCandidateNumber",
    "AbilityToShare", "VerificationType", "OtherVerificationDescription", "Notes",
)
# MIAPVerifiedBatchLearner's Searched* values, from the submitted record's elements.
SEARCHED = ("ULN", "FamilyName", "GivenName", "DateOfBirth", "Gender")

# A JobID the live Java back end writes as a primitive long: 0 when no job was created.
NO_JOB = 0


# ----- in -----

def payloads(request: etree._Element) -> list[SentLearner]:
    return [sent_learner.read(learner_record(xml.children(learner)))
            for learner in request.iterfind("Learner")]


def learner_submission(request: etree._Element) -> Submission:
    return Submission(JobKind.LEARNER_REGISTRATION, payloads(request),
                      int(child_text(request, "LearnerRecordCount")),
                      job_type=child_text(request, "JobType"))


def verify_submission(request: etree._Element) -> Submission:
    return Submission(JobKind.VERIFICATION, payloads(request),
                      int(child_text(request, "LearnerRecordCount")),
                      email=child_text(request, "OrgEmail"))


def job_id_in(request: etree._Element) -> int:
    return int(child_text(request, "JobID"))


# ----- out -----

def submitted(namespace: str, name: str, code: str, job_id: int | None) -> etree._Element:
    response = xml.root(namespace, name)
    add(response, "ResponseCode", code)
    add(response, "JobID", job_id if job_id is not None else NO_JOB)
    return response


def _progress(response: etree._Element, report: JobReport, *, counters: bool) -> None:
    add(response, "ResponseCode", report.code)
    job = report.job
    if job is None:
        return
    add(response, "JobStatus", JOB_STATUS[job.status])
    if counters and job.status in FINISHED:
        for name, codes in LEARNER_COUNTERS.items():
            add(response, name, sum(job.counters.get(code, 0) for code in codes))
    add(response, "JobStartedDateTime", job.started_at)
    add(response, "JobFinishedDateTime", job.finished_at)


def learner_output(report: JobReport) -> etree._Element:
    """GetSubmitBatchOutputResponse."""
    response = xml.root(xml.BATCHMSG, "GetSubmitBatchOutputResponse")
    _progress(response, report, counters=True)
    for _, record, code, result in report.records:
        learner = etree.SubElement(response, "Learner")
        found = (result or {}).get("uln")
        for tag in BATCH_LEARNER:
            add(learner, tag, found if tag == "ULN" and found
                else getattr(record, LEARNER_RECORD[tag]))
        add(learner, "ReturnCode", code)
    return response


def verify_output(report: JobReport) -> etree._Element:
    """GetVerifyBatchOutputResponse."""
    response = xml.root(xml.VLDMSG, "GetVerifyBatchOutputResponse")
    _progress(response, report, counters=False)
    for _, record, code, result in report.records:
        verified = etree.SubElement(response, "VerifiedLearner")
        add(verified, "MISIdentifier", record.mis_identifier)
        for tag in SEARCHED:
            add(verified, f"Searched{tag}", getattr(record, LEARNER_RECORD[tag]))
        add(verified, "ResponseCode", code)
        for flag in (result or {}).get("failure_flags", []):
            add(verified, "FailureFlag", flag)
    return response
