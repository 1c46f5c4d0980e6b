"""LearnerService.svc batch messages in and out (lrs-wire.md 3.9, 3.10). No rules here.

Records are kept as submitted ({element name: text}, the same keys as the native face's), so
the batch worker processes them unchanged. Output:

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

from lrs_soap.domain.batches import JobKind, JobStatus, Payload
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

def payloads(request: etree._Element) -> list[Payload]:
    return [xml.children(learner) for learner in request.iterfind("Learner")]


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
    for _, payload, code, result in report.records:
        learner = etree.SubElement(response, "Learner")
        found = (result or {}).get("ULN")
        for tag in BATCH_LEARNER:
            add(learner, tag, found if tag == "ULN" and found else payload.get(tag))
        add(learner, "ReturnCode", code)
    return response


def verify_output(report: JobReport) -> etree._Element:
    """GetVerifyBatchOutputResponse."""
    response = xml.root(xml.VLDMSG, "GetVerifyBatchOutputResponse")
    _progress(response, report, counters=False)
    for _, payload, code, result in report.records:
        verified = etree.SubElement(response, "VerifiedLearner")
        add(verified, "MISIdentifier", payload.get("MISIdentifier"))
        for tag in SEARCHED:
            add(verified, f"Searched{tag}", payload.get(tag))
        add(verified, "ResponseCode", code)
        for flag in (result or {}).get("FailureFlags", []):
            add(verified, "FailureFlag", flag)
    return response
