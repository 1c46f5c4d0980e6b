"""Batch messages in and out of the native face.

Records are read straight from the validated request tree with lxml (never as Spyne objects:
a 10,000-record batch would cost a second): learner records into the domain's SentLearner
(:func:`learner_records`), achievement records into SentAchievement (achievement_mapping).
"""

from __future__ import annotations

from lxml import etree

from lrs_soap.domain import learner_outcomes, sent_learner
from lrs_soap.domain.sent_learner import SentLearner
from lrs_soap.record_elements import element_label, learner_record
from lrs_soap.service.batches import JobReport
from lrs_soap.service.learner_batches import LEARNER_COUNTERS
from lrs_soap.soap.contract import NATIVE_NS
from lrs_soap.soap.native import types

ACHIEVEMENT_COUNTERS = {
    "AchievementsCreated": ("CREATED",),
    "AchievementsUpdated": ("UPDATED",),
    "AchievementsWithdrawn": ("WITHDRAWN",),
    "AchievementsReinstated": ("REINSTATED",),
    "AchievementsPromotedToFinal": ("PROMOTED",),
    "RejectedRecords": ("REJECTED",),
}


def payloads(body: etree._Element, record_element: str) -> list[dict[str, str | None]]:
    """Every ``record_element`` child of the request, as {element name: text}.

    Names and repeated values (dates, grades, codes) are shared between records, not copied
    into each: a 10,000-record batch's payloads cost about as much as its body, not four times.
    """
    tag = f"{{{NATIVE_NS}}}{record_element}"
    names: dict[str, str] = {}
    texts: dict[str | None, str | None] = {}
    return [{_name(names, field.tag): _shared(texts, field.text) for field in record}
            for record in body.iterchildren(tag)]


def learner_records(body: etree._Element) -> list[SentLearner]:
    """Every Learner of a learner or verification batch, as the domain's record."""
    return [sent_learner.read(learner_record(values)) for values in payloads(body, "Learner")]


def _shared(texts: dict[str | None, str | None], text: str | None) -> str | None:
    return texts.setdefault(text, text)


def _name(names: dict[str, str], tag: str) -> str:
    name = names.get(tag)
    if name is None:
        name = names[tag] = etree.QName(tag).localname
    return name


def progress(report: JobReport) -> list:
    job = report.job
    if job is None:
        return [report.code.value] + [None] * 8
    return [report.code.value, job.id, job.status.value, job.record_count, job.processed,
            job.submitted_at, job.started_at, job.finished_at, job.failure_reason]


def counters(report: JobReport, names: dict[str, tuple[str, ...]]) -> list[int | None]:
    if report.job is None or not report.records:
        return [None] * len(names)
    counts = report.job.counters
    return [sum(counts.get(code, 0) for code in codes) for codes in names.values()]


def learner_results(report: JobReport) -> list[types.BatchLearnerResult]:
    return [types.BatchLearnerResult(
        RecordNumber=sequence, MISIdentifier=record.mis_identifier, ReturnCode=code,
        ULN=(result or {}).get("uln"), PossibleMatchULN=(result or {}).get("possible_match_ulns"),
        Reason=learner_outcomes.reason(result, element_label))
        for sequence, record, code, result in report.records]


def verify_results(report: JobReport) -> list[types.VerifyBatchResult]:
    return [types.VerifyBatchResult(
        RecordNumber=sequence, MISIdentifier=record.mis_identifier,
        SearchedULN=record.uln, ResponseCode=code,
        FailureFlag=(result or {}).get("failure_flags"),
        Reason=learner_outcomes.reason(result, element_label))
        for sequence, record, code, result in report.records]


def record_errors(report: JobReport) -> list[types.RecordError]:
    return [types.RecordError(RecordNumber=error.record, MISIdentifier=record.mis_identifier,
                              Field=element_label(error.field), Rule=error.rule)
            for _, record, outcome in report.records if outcome is not None
            for error in outcome.errors]


__all__ = ["ACHIEVEMENT_COUNTERS", "LEARNER_COUNTERS", "counters", "learner_records",
           "learner_results", "payloads", "progress", "record_errors", "verify_results"]
