"""Applying a chunk of achievement records inside the caller's unit of work.

For one chunk: the offline rules (domain.achievements.record_errors) on every record; then
the learners, masters, qualifications and events the chunk needs, each in one bulk lookup;
then :func:`~lrs_soap.domain.achievements.decide` per record in submission order against a
working copy of those events, so that a record sees what the records before it did (CREATE
then UPDATE of one achievement, WITHDRAW then REINSTATE...); then every change written in
two bulk statements. The caller records the outcomes and commits, all in one transaction.

A merged ULN is resolved to its master by following ``master_uln`` (at most
``MAX_LINK_DEPTH`` links), and the achievement is held under the master's ULN.

Withdrawals and reinstatements write no audit-log row each: the job's stored records (the
payload with its ActionReason, the outcome, when it was processed, for which organisation
and user) are their audit trail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection

from lrs_soap.domain.achievements import (
    ErrorKind,
    EventChange,
    NewEvent,
    decide,
    record_errors,
    rejected,
)
from lrs_soap.domain.batches import RecordOutcome
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.model import Learner, LearningEvent
from lrs_soap.domain.sent_achievement import SentAchievement
from lrs_soap.service.ports import AchievementJob, AchievementStore, EventKey, UnitOfWork

MAX_LINK_DEPTH = 5  # merged-into-merged chains longer than this are treated as unknown


def apply_records(uow: UnitOfWork, job: AchievementJob,
                  records: list[tuple[int, SentAchievement]],
                  now: dt.datetime) -> list[RecordOutcome]:
    """One outcome per ``(record number, record)``, in order; changes are made in ``uow``
    but not committed."""
    today = uk_date(now)
    outcomes: list[RecordOutcome | None] = []
    valid: list[tuple[int, int, SentAchievement]] = []  # (position in records, number, record)
    for position, (number, record) in enumerate(records):
        errors = record_errors(record, number, today)
        outcomes.append(rejected(errors, ErrorKind.FIELD_DATA) if errors else None)
        if not errors:
            valid.append((position, number, record))

    store = uow.achievements
    holders = holders_of(store, {record.uln for _, _, record in valid})
    qualifications = store.qualifications_by_references(
        {record.qualification_reference for _, _, record in valid})
    keys: dict[int, EventKey | None] = {}
    for position, _, record in valid:
        learner = holders.get(record.uln)
        keys[position] = None if learner is None else (
            learner.uln, record.qualification_reference, job.organisation.id)
    events = _WorkingEvents(store.events_by_keys({k for k in keys.values() if k}))
    event_ids: dict[int, int] = {}  # position -> the (maybe temporary) id of its changed event

    for position, number, record in valid:
        key = keys[position]
        decision = decide(record, number, learner=holders.get(record.uln),
                          qualification=qualifications.get(record.qualification_reference),
                          existing=events.current(key), job_organisation=job.organisation,
                          submission_type=job.submission_type, today=today)
        if decision.change is not None and key is not None:
            event_ids[position] = events.apply(key, decision.change, now, job.job_id)
        outcomes[position] = decision.outcome

    real_ids = events.write(store, job_id=job.job_id, now=now)
    # An outcome names its event once its id is known: a new event's after the insert.
    return [_with_event_id(outcome, real_ids.get(event_id, event_id))
            if (event_id := event_ids.get(position, outcome.detail.get("event_id")))
            in real_ids or position in event_ids else outcome
            for position, outcome in enumerate(outcomes) if outcome is not None]


def holders_of(store: AchievementStore, ulns: Collection[str]) -> dict[str, Learner]:
    """Each known ULN's learner, or for a merged ULN the master it was merged into."""
    learners = store.learners_by_ulns(ulns)
    for _ in range(MAX_LINK_DEPTH):
        masters = {learner.master_uln for learner in learners.values()
                   if learner.master_uln and learner.master_uln not in learners}
        if not masters:
            break
        learners.update(store.learners_by_ulns(masters))
    holders = {}
    for uln in ulns:
        learner = learners.get(uln)
        for _ in range(MAX_LINK_DEPTH):
            if learner is None or not learner.master_uln:
                break
            learner = learners.get(learner.master_uln)
        if learner is not None:
            holders[uln] = learner  # still linked after MAX_LINK_DEPTH: decide refuses it
    return holders


def _with_event_id(outcome: RecordOutcome, event_id: int) -> RecordOutcome:
    return dataclasses.replace(outcome, detail={**outcome.detail, "event_id": event_id})


class _WorkingEvents:
    """The chunk's events as the records so far left them, and what to write.

    An event created in this chunk has a temporary negative id until it is inserted.
    """

    def __init__(self, stored: dict[EventKey, LearningEvent]):
        self._events = dict(stored)
        self._new: dict[int, NewEvent] = {}  # temporary id (-1, -2, ...) -> values
        self._changed: dict[int, dict[str, object]] = {}  # stored event id -> new values

    def current(self, key: EventKey | None) -> LearningEvent | None:
        return None if key is None else self._events.get(key)

    def apply(self, key: EventKey, change: NewEvent | EventChange, now: dt.datetime,
              job_id: int) -> int:
        """Apply ``change`` to the event at ``key``; its (possibly temporary) id."""
        if isinstance(change, NewEvent):
            event_id = -(len(self._new) + 1)
            self._new[event_id] = change
            self._events[key] = change.as_event(event_id, now, job_id)
            return event_id
        event_id = change.event_id
        self._events[key] = dataclasses.replace(self._events[key], **change.fields)
        if event_id < 0:
            self._new[event_id] = dataclasses.replace(self._new[event_id], **change.fields)
        else:
            self._changed.setdefault(event_id, {}).update(change.fields)
        return event_id

    def write(self, store: AchievementStore, *, job_id: int,
              now: dt.datetime) -> dict[int, int]:
        """Insert the new events and update the changed ones; temporary id -> real id."""
        temporary = sorted(self._new, reverse=True)
        ids = store.add_events([self._new[t] for t in temporary], job_id=job_id, now=now)
        if self._changed:
            store.update_events([EventChange(event_id, fields)
                                 for event_id, fields in self._changed.items()], now=now)
        return dict(zip(temporary, ids, strict=True))
