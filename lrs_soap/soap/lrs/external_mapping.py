"""ExternalService messages in and out: live Achievement records to the domain's
SentAchievement (lrs_soap.domain.sent_achievement), job reports to AchievementBatchJobResponse.

Action codes (the live values are unpublished; lrs-wire 5): 1 create, 2 update, 3 withdraw,
4 reinstate, 5 promote to final. Dates are xs:dateTime, or any other XSD date form the live
serializer reads (a bare date, with or without a zone: xsd/lrs-external.xsd DateOrDateTime);
the calendar date as written is used (``2025-07-15T00:00:00+01:00`` and ``2025-07-15Z`` are
15 July), the time of day is ignored.
"""

from __future__ import annotations

import csv
import io

from lxml import etree

from lrs_soap.domain import sent_achievement
from lrs_soap.domain.achievements import (
    AchievementOutcome,
    Action,
    ErrorKind,
    SubmissionType,
)
from lrs_soap.domain.batches import JobStatus
from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.domain.sent_achievement import SentAchievement
from lrs_soap.service.accounts import Credentials
from lrs_soap.service.batches import JobReport
from lrs_soap.soap.lrs.r9_contracts import SERVICE_RESPONSE
from lrs_soap.soap.lrs.wcf import MODEL_NS, SERVICES_NS, Contract, nil, omit, value
from lrs_soap.soap.request_values import blank_to_none, child, child_text, is_nil, iter_children

ACTIONS = {1: Action.CREATE, 2: Action.UPDATE, 3: Action.WITHDRAW, 4: Action.REINSTATE,
           5: Action.PROMOTE}
SUBMISSION_TYPES = {"FINAL": SubmissionType.FINAL, "F": SubmissionType.FINAL,
                    "PROVISIONAL": SubmissionType.PROVISIONAL, "P": SubmissionType.PROVISIONAL}
# live Achievement member -> SentAchievement attribute, for members read as text
_TEXT = {"ActionReason": "action_reason", "FamilyName": "family_name",
         "GivenName": "given_name", "Grade": "grade",
         "LanguageForAssessment": "language_for_assessment", "MisIdentifier": "mis_identifier",
         "ProviderUkprn": "provider_ukprn", "Uln": "uln",
         "UnitOrQualificationReferenceNumber": "qualification_reference", "Gender": "gender"}
_DATES = {"AchievementAwardDate": "award_date", "ActionDate": "action_date",
          "DateofBirth": "date_of_birth"}
# a RecordError's field (a SentAchievement attribute) -> live member, in the error file
LIVE_NAMES = {attribute: live for live, attribute in (*_TEXT.items(), *_DATES.items())
              } | {"action": "Action"}
STATUS_NAMES = {JobStatus.WAITING: "Waiting", JobStatus.IN_PROGRESS: "InProgress",
                JobStatus.SUCCESSFUL: "Successful", JobStatus.FAILED: "Failed"}
ERROR_TYPES = {ErrorKind.FIELD_DATA.value: "FieldData",
               ErrorKind.LEARNER_DATA.value: "LearnerData",
               ErrorKind.BUSINESS_RULE.value: "BusinessRule"}
ERROR_FILE_COLUMNS = ("RecordNumber", "MisIdentifier", "Uln", "ErrorType", "Field", "Error")

SUBMIT_RESPONSE = Contract("SubmitAchievementBatchJobResponse", MODEL_NS,
                           (SERVICE_RESPONSE, (value("JobId", 0),)))
BATCH_JOB_RESPONSE = Contract("AchievementBatchJobResponse", MODEL_NS, (SERVICE_RESPONSE, (
    omit("AchievementBatchErrorFile"), omit("AchievementsCreated"),
    omit("AchievementsPromotedToFinal"), omit("AchievementsReinstated"),
    omit("AchievementsUpdated"), omit("AchievementsWithdrawn"), omit("BusinessRuleErrors"),
    omit("Duration"), omit("EndDate"), omit("FieldDataErrors"), omit("Filename"),
    value("JobID", 0), omit("LearnerDataErrors"), omit("NumberOfRecords"),
    omit("PercentageSuccessfulRecords"), omit("RejectionReason"), nil("StartDate"),
    # default(AchievementBatchJobStatus) is its first member, Failed: what an unknown job gets
    value("Status", "Failed"), omit("SubmittedDate"), omit("SuccessfulFinalAchievements"),
    omit("SuccessfulProvisionalAchievements"), omit("Type"), omit("User"),
)))


def credentials_in(request: etree._Element) -> Credentials:
    """invokingUser (model:User): the organisation by OrganisationRef."""
    user = child(request, SERVICES_NS, "invokingUser")
    return Credentials(user_name=child_text(user, MODEL_NS, "UserName") or "",
                       password=child_text(user, MODEL_NS, "OrgPassword") or "",
                       organisation_ref=blank_to_none(child_text(user, MODEL_NS,
                                                                 "OrganisationRef")))


def submission_type_in(text: str | None) -> SubmissionType:
    given = (blank_to_none(text) or "FINAL").upper()
    if given not in SUBMISSION_TYPES:
        raise InvalidRequest(f"submissionType {text!r} is not FINAL or PROVISIONAL")
    return SUBMISSION_TYPES[given]


def achievements(request: etree._Element) -> list[SentAchievement]:
    """Every Achievement of the request, in order (a nil Achievement is a record with
    nothing in it, so record numbers stay those of the request). Repeated values (dates,
    grades, codes) are shared between records, not copied into each."""
    found = child(request, SERVICES_NS, "achievements")
    shared: dict = {}
    return [achievement(record, shared) for record in iter_children(found, SERVICES_NS,
                                                                    "Achievement")]


def achievement(record: etree._Element, shared: dict | None = None) -> SentAchievement:
    if is_nil(record):
        return SentAchievement()
    texts = {attribute: child_text(record, SERVICES_NS, live)
             for live, attribute in _TEXT.items()}
    for live, attribute in _DATES.items():
        text = child_text(record, SERVICES_NS, live)
        texts[attribute] = text.strip()[:10] if text else text
    action = child_text(record, SERVICES_NS, "Action")
    code = int(action) if action is not None else None
    texts["action"] = ACTIONS[code].value if code in ACTIONS else action
    return sent_achievement.read(texts, shared)


def job_response(report: JobReport) -> dict[str, object]:
    """AchievementBatchJobResponse member values for a job report (docs/compatibility.md)."""
    job = report.job
    values: dict[str, object] = {"ResponseCode": report.code.value}
    if job is None:
        return values
    values.update(JobID=job.id, NumberOfRecords=job.record_count, StartDate=job.started_at,
                  Status=STATUS_NAMES[job.status], SubmittedDate=job.submitted_at,
                  Type=job.submission_type, RejectionReason=job.failure_reason)
    if job.finished_at is None:
        return values
    values.update(EndDate=job.finished_at, Duration=_duration(job))
    if job.status is not JobStatus.SUCCESSFUL:
        return values
    counts = job.counters
    values.update(AchievementsCreated=counts.get(AchievementOutcome.CREATED, 0),
                  AchievementsUpdated=counts.get(AchievementOutcome.UPDATED, 0),
                  AchievementsWithdrawn=counts.get(AchievementOutcome.WITHDRAWN, 0),
                  AchievementsReinstated=counts.get(AchievementOutcome.REINSTATED, 0),
                  AchievementsPromotedToFinal=counts.get(AchievementOutcome.PROMOTED, 0))
    kinds = {kind: 0 for kind in ERROR_TYPES}
    finals = provisionals = 0
    for _, _, outcome in report.records:
        detail = outcome.detail if outcome is not None else {}
        if outcome is not None and outcome.code == AchievementOutcome.REJECTED:
            kind = detail.get("error_kind")
            kinds[kind] = kinds.get(kind, 0) + 1
        elif detail.get("status") == "F":
            finals += 1
        elif detail.get("status") == "P":
            provisionals += 1
    rejected = sum(kinds.values())
    values.update(FieldDataErrors=kinds[ErrorKind.FIELD_DATA.value],
                  LearnerDataErrors=kinds[ErrorKind.LEARNER_DATA.value],
                  BusinessRuleErrors=kinds[ErrorKind.BUSINESS_RULE.value],
                  SuccessfulFinalAchievements=finals,
                  SuccessfulProvisionalAchievements=provisionals,
                  PercentageSuccessfulRecords=(100.0 * (job.record_count - rejected)
                                               / job.record_count if job.record_count else 0.0),
                  AchievementBatchErrorFile=error_file(report) if rejected else None)
    return values


def _duration(job) -> str:
    """A TimeSpan as WCF writes it in a string: hh:mm:ss."""
    seconds = max(0, int((job.finished_at - (job.started_at or job.submitted_at))
                         .total_seconds()))
    hours, rest = divmod(seconds, 3600)
    return f"{hours:02d}:{rest // 60:02d}:{rest % 60:02d}"


def error_file(report: JobReport) -> str:
    """The rejected records as CSV text (ERROR_FILE_COLUMNS, one row per broken rule, in
    record order), fields named as in the live Achievement."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(ERROR_FILE_COLUMNS)
    for _, record, outcome in report.records:
        if outcome is None or outcome.code != AchievementOutcome.REJECTED:
            continue
        kind = ERROR_TYPES.get(outcome.detail.get("error_kind"), "")
        for error in outcome.errors:
            writer.writerow((error.record, record.mis_identifier or "", record.uln or "", kind,
                             LIVE_NAMES.get(error.field, error.field),
                             _rule(error.field, error.rule)))
    return out.getvalue()


def _rule(field: str, rule: str) -> str:
    if field == "action" and rule.startswith("is not one of"):
        return "is not 1 (create), 2 (update), 3 (withdraw), 4 (reinstate) or 5 (promote)"
    return rule.replace(" for CREATE", " for Action 1").replace(" for UPDATE", " for Action 2") \
        .replace(" for WITHDRAW", " for Action 3")
