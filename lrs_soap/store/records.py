"""SQL for the Personal Learning Record: events by id, moves and participation imports; data
challenges; the access audit. Queries and writes only: the rules are in the domain."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Collection, Sequence

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lrs_soap.domain.challenges import ChallengeKind, ChallengeStatus, DataChallenge
from lrs_soap.domain.model import LearningEvent
from lrs_soap.domain.participation import SOURCES as PARTICIPATION_SOURCES
from lrs_soap.domain.participation import Participation, ParticipationKey
from lrs_soap.service.ports import AccessEntry, DuplicateChallenge
from lrs_soap.store.achievements import _chunks, _event_query
from lrs_soap.store.orm import (
    AuditLogRow,
    DataChallengeRow,
    LearningEventRow,
    OrganisationRow,
)

_events = LearningEventRow.__table__
_PARTICIPATION_FIELDS = tuple(f.name for f in dataclasses.fields(Participation))


def _ids(values: Collection[int]) -> list[list[int]]:
    ordered = sorted(set(values))
    return [ordered[start:start + 500] for start in range(0, len(ordered), 500)]


class SqlLearningRecords:
    """ports.LearningRecords on the unit of work's Session; never commits."""

    def __init__(self, session: Session):
        self._session = session

    def events_by_ids(self, event_ids: Collection[int]) -> dict[int, LearningEvent]:
        found: dict[int, LearningEvent] = {}
        for part in _ids(event_ids):
            for row in self._session.execute(_event_query().where(_events.c.id.in_(part))):
                found[row.id] = LearningEvent(**row._mapping)
        return found

    def move_events(self, event_ids: Collection[int], to_uln: str, *,
                    now: dt.datetime) -> None:
        for part in _ids(event_ids):
            self._session.execute(update(LearningEventRow)
                                  .where(LearningEventRow.id.in_(part))
                                  .values(learner_uln=to_uln, updated_at=now))

    def participation_ids(self, keys: Collection[ParticipationKey]
                          ) -> dict[ParticipationKey, int]:
        wanted = set(keys)
        found: dict[ParticipationKey, int] = {}
        for part in _chunks(uln for uln, *_ in wanted):
            rows = self._session.execute(
                select(_events.c.id, _events.c.learner_uln, _events.c.source,
                       _events.c.qualification_reference, _events.c.achievement_provider_ukprn,
                       _events.c.participation_start_date)
                .where(_events.c.learner_uln.in_(part),
                       _events.c.source.in_(sorted(PARTICIPATION_SOURCES)))
                .order_by(_events.c.id))
            for event_id, *key in rows:
                if tuple(key) in wanted:
                    found[tuple(key)] = event_id  # the newest wins
        return found

    @staticmethod
    def _values(record: Participation) -> dict[str, object]:
        return {name: getattr(record, name) for name in _PARTICIPATION_FIELDS
                if name != "learner_uln"}

    def add_participation(self, rows: Sequence[tuple[str, Participation]], *,
                          now: dt.datetime) -> None:
        if rows:
            self._session.execute(insert(LearningEventRow), [
                {**self._values(record), "learner_uln": uln, "withdrawn": False,
                 "date_loaded": now, "updated_at": now} for uln, record in rows])

    def update_participation(self, rows: Sequence[tuple[int, Participation]], *,
                             now: dt.datetime) -> None:
        if rows:
            self._session.execute(update(LearningEventRow), [
                {"id": event_id, **self._values(record), "updated_at": now}
                for event_id, record in rows])


def _challenge_query():
    return (select(DataChallengeRow, OrganisationRow.name, OrganisationRow.ukprn,
                   OrganisationRow.reference)
            .join(OrganisationRow,
                  OrganisationRow.id == DataChallengeRow.raised_by_organisation_id))


def _challenge(row: DataChallengeRow, name: str | None, ukprn: str | None,
               reference: str | None) -> DataChallenge:
    return DataChallenge(
        id=row.id, kind=ChallengeKind(row.kind), status=ChallengeStatus(row.status),
        reason=row.reason, raised_by_organisation_id=row.raised_by_organisation_id,
        raised_by_user=row.raised_by_user, raised_at=row.raised_at,
        learning_event_id=row.learning_event_id, uln=row.uln,
        challenge_type=row.challenge_type, resolution=row.resolution,
        resolved_at=row.resolved_at, resolved_by_organisation_id=row.resolved_by_organisation_id,
        raised_by_name=name, raised_by_ukprn=ukprn, raised_by_reference=reference)


class SqlChallengeStore:
    """ports.ChallengeStore on the unit of work's Session; never commits."""

    def __init__(self, session: Session):
        self._session = session

    def _one(self, *where) -> DataChallenge | None:
        row = self._session.execute(_challenge_query().where(*where)
                                    .order_by(DataChallengeRow.id).limit(1)).first()
        return None if row is None else _challenge(*row)

    def add(self, *, kind: ChallengeKind, organisation_id: int, user_name: str, reason: str,
            now: dt.datetime, learning_event_id: int | None = None, uln: str | None = None,
            challenge_type: str | None = None) -> DataChallenge:
        row = DataChallengeRow(kind=kind.value, learning_event_id=learning_event_id, uln=uln,
                               challenge_type=challenge_type,
                               raised_by_organisation_id=organisation_id,
                               raised_by_user=user_name, reason=reason,
                               status=ChallengeStatus.OPEN.value, raised_at=now)
        try:
            with self._session.begin_nested():  # a refused insert spoils only itself
                self._session.add(row)
                self._session.flush()
        except IntegrityError:
            raise DuplicateChallenge() from None
        return self.get(row.id)

    def get(self, challenge_id: int) -> DataChallenge | None:
        return self._one(DataChallengeRow.id == challenge_id)

    def open_event_challenge(self, event_id: int,
                             organisation_id: int) -> DataChallenge | None:
        return self._one(DataChallengeRow.kind == ChallengeKind.EVENT.value,
                         DataChallengeRow.learning_event_id == event_id,
                         DataChallengeRow.raised_by_organisation_id == organisation_id,
                         DataChallengeRow.status == ChallengeStatus.OPEN.value)

    def open_uln_challenge(self, uln: str, challenge_type: str,
                           organisation_id: int) -> DataChallenge | None:
        return self._one(DataChallengeRow.kind == ChallengeKind.ULN.value,
                         DataChallengeRow.uln == uln,
                         DataChallengeRow.challenge_type == challenge_type,
                         DataChallengeRow.raised_by_organisation_id == organisation_id,
                         DataChallengeRow.status == ChallengeStatus.OPEN.value)

    def page(self, *, kind: ChallengeKind, offset: int, limit: int,
             raised_by: int | None = None, event_owner: int | None = None,
             status: ChallengeStatus | None = None) -> tuple[int, list[DataChallenge]]:
        where = [DataChallengeRow.kind == kind.value]
        if raised_by is not None:
            where.append(DataChallengeRow.raised_by_organisation_id == raised_by)
        if status is not None:
            where.append(DataChallengeRow.status == status.value)
        if event_owner is not None:
            where.append(DataChallengeRow.learning_event_id.in_(
                select(LearningEventRow.id)
                .where(LearningEventRow.awarding_organisation_id == event_owner)))
        total = self._session.scalar(select(func.count()).select_from(DataChallengeRow)
                                     .where(*where)) or 0
        rows = self._session.execute(_challenge_query().where(*where)
                                     .order_by(DataChallengeRow.raised_at, DataChallengeRow.id)
                                     .offset(offset).limit(limit))
        return total, [_challenge(*row) for row in rows]

    def resolve(self, challenge_id: int, *, status: ChallengeStatus, resolution: str,
                organisation_id: int | None, now: dt.datetime) -> bool:
        result = self._session.execute(
            update(DataChallengeRow)
            .where(DataChallengeRow.id == challenge_id,
                   DataChallengeRow.status == ChallengeStatus.OPEN.value)
            .values(status=status.value, resolution=resolution, resolved_at=now,
                    resolved_by_organisation_id=organisation_id)
            .execution_options(synchronize_session=False, preserve_rowcount=True))
        return result.rowcount == 1


class SqlAccessLog:
    """ports.AccessLog: reads of the audit log."""

    def __init__(self, session: Session):
        self._session = session

    def page(self, *, ulns: Collection[str], actions: Collection[str], offset: int,
             limit: int) -> tuple[int, list[AccessEntry]]:
        where = [AuditLogRow.uln.in_(sorted(set(ulns))),
                 AuditLogRow.action.in_(sorted(set(actions)))]
        total = self._session.scalar(select(func.count()).select_from(AuditLogRow)
                                     .where(*where)) or 0
        rows = self._session.execute(
            select(AuditLogRow, OrganisationRow.name, OrganisationRow.ukprn,
                   OrganisationRow.reference)
            .outerjoin(OrganisationRow, OrganisationRow.id == AuditLogRow.organisation_id)
            .where(*where).order_by(AuditLogRow.at.desc(), AuditLogRow.id.desc())
            .offset(offset).limit(limit))
        return total, [AccessEntry(at=entry.at, action=entry.action, uln=entry.uln,
                                   outcome=(entry.detail or {}).get("outcome"),
                                   user_name=entry.user_name,
                                   organisation_id=entry.organisation_id,
                                   organisation_name=name, ukprn=ukprn, reference=reference)
                       for entry, name, ukprn, reference in rows]

