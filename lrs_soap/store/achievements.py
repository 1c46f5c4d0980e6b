"""SQL for achievement batches: the qualification register and learning events, in bulk.

A chunk of records costs a fixed handful of statements whatever its size: lookups use IN
lists (at most ``IN_CHUNK`` values each), inserts and updates are executemany statements
(SQLAlchemy's insertmanyvalues batches them into multi-row statements on both dialects).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence

from sqlalchemy import bindparam, exists, func, insert, select, update
from sqlalchemy.orm import Session

from lrs_soap.domain.achievements import SOURCE, EventChange, NewEvent, Qualification
from lrs_soap.domain.model import Learner, LearningEvent
from lrs_soap.service.ports import EventKey, ImportReport
from lrs_soap.store.orm import (
    DataChallengeRow,
    LearnerLinkRow,
    LearnerRow,
    LearningEventRow,
    OrganisationRow,
    QualificationRow,
)
from lrs_soap.store.prepared import Prepared
from lrs_soap.store.repositories import LEARNER_ROWS, Hot, learner_from_row

IN_CHUNK = 500  # values per IN list, far below SQLite's and PostgreSQL's parameter limits
OPEN_CHALLENGE = "open"  # DataChallengeRow.status that puts an event under challenge
_QUALIFICATION_FIELDS = tuple(f.name for f in dataclasses.fields(Qualification))
_events = LearningEventRow.__table__


def _chunks(values: Iterable[str], size: int = IN_CHUNK) -> Iterator[list[str]]:
    values = sorted(set(values))
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _qualification(row: QualificationRow) -> Qualification:
    return Qualification(**{name: getattr(row, name) for name in _QUALIFICATION_FIELDS})


class SqlQualificationRegister:
    def __init__(self, session: Session):
        self._session = session

    def by_reference(self, reference: str) -> Qualification | None:
        return self.by_references([reference]).get(reference)

    def by_references(self, references: Collection[str]) -> dict[str, Qualification]:
        found: dict[str, Qualification] = {}
        for part in _chunks(references):
            rows = self._session.scalars(select(QualificationRow)
                                         .where(QualificationRow.reference.in_(part)))
            found.update((row.reference, _qualification(row)) for row in rows)
        return found

    def usable_by(self, organisation_id: int, containing: str | None,
                  limit: int) -> list[Qualification]:
        query = select(QualificationRow).where(
            QualificationRow.shared | (QualificationRow.owner_organisation_id == organisation_id))
        if containing:
            pattern = "%" + containing.lower().replace("\\", "").replace("%", "").replace(
                "_", "") + "%"
            query = query.where(func.lower(QualificationRow.reference).like(pattern)
                                | func.lower(QualificationRow.title).like(pattern))
        rows = self._session.scalars(query.order_by(QualificationRow.reference).limit(limit))
        return [_qualification(row) for row in rows]

    def import_rows(self, rows: Sequence[Qualification]) -> ImportReport:
        """Upsert by reference: new references inserted, known ones replaced."""
        ids: dict[str, int] = {}
        for part in _chunks(row.reference for row in rows):
            ids.update(self._session.execute(
                select(QualificationRow.reference, QualificationRow.id)
                .where(QualificationRow.reference.in_(part))).all())
        new = [dict(vars(row)) for row in rows if row.reference not in ids]
        known = [{"id": ids[row.reference], **vars(row)}
                 for row in rows if row.reference in ids]
        if new:
            self._session.execute(insert(QualificationRow), new)
        if known:
            self._session.execute(update(QualificationRow), known)  # bulk by primary key
        return ImportReport(created=len(new), updated=len(known))


def _event_columns() -> list:
    """Every LearningEvent field in the dataclass's order, labelled with its name: the
    columns, the awarding organisation's UKPRN and name, and whether an open data challenge
    names the event."""
    under_challenge = exists().where(DataChallengeRow.learning_event_id == _events.c.id,
                                     DataChallengeRow.status == OPEN_CHALLENGE)
    derived = {
        # an organisation known only by its OrganisationRef is named by that
        "awarding_organisation_ukprn": func.coalesce(OrganisationRow.ukprn,
                                                     OrganisationRow.reference),
        "awarding_organisation_name": OrganisationRow.name,
        "under_data_challenge": under_challenge,
    }
    return [_events.c[f.name] if f.name in _events.c else derived[f.name].label(f.name)
            for f in dataclasses.fields(LearningEvent)]


def _event_query():
    """Every LearningEvent field, labelled with its name (see :func:`_event_columns`)."""
    return (select(*_event_columns())
            .outerjoin(OrganisationRow, OrganisationRow.id == _events.c.awarding_organisation_id))


# A record is one learner's events and those of the few ULNs merged into it: read on the
# driver's cursor (store/prepared.py), one statement compiled per number of ULNs.
PREPARED_ULNS = 8
_EVENTS_OF = {count: Prepared(_event_query().where(_events.c.learner_uln.in_(
    [bindparam(f"u{index}") for index in range(count)])))
    for count in range(1, PREPARED_ULNS + 1)}


class SqlAchievementStore(Hot):
    """ports.AchievementStore on the unit of work (its Session opened only to write or for
    bulk reads); never commits."""

    @property
    def _register(self) -> SqlQualificationRegister:
        return SqlQualificationRegister(self._session)

    def learners_by_ulns(self, ulns: Collection[str]) -> dict[str, Learner]:
        found: dict[str, Learner] = {}
        for part in _chunks(ulns):
            rows = self._session.execute(LEARNER_ROWS.where(LearnerRow.uln.in_(part)))
            # linked_ulns are left empty: applying achievements never needs them.
            found.update((row.uln, learner_from_row(row)) for row in rows)
        return found

    def qualifications_by_references(self, references: Collection[str]
                                     ) -> dict[str, Qualification]:
        return self._register.by_references(references)

    def events_by_keys(self, keys: Collection[EventKey]) -> dict[EventKey, LearningEvent]:
        """The events held for each key; an event held under a ULN merged into the key's
        learner counts as the learner's (so a CREATE after a merge finds it)."""
        wanted = set(keys)
        ulns_by_organisation: dict[int, set[str]] = defaultdict(set)
        for uln, _reference, organisation_id in wanted:
            ulns_by_organisation[organisation_id].add(uln)
        master_of = self._merged_into({uln for uln, _, _ in wanted})
        found: dict[EventKey, LearningEvent] = {}
        for organisation_id, ulns in ulns_by_organisation.items():
            ulns = ulns | {merged for merged, master in master_of.items() if master in ulns}
            for part in _chunks(ulns):
                query = (_event_query()
                         .where(_events.c.source == SOURCE,
                                _events.c.awarding_organisation_id == organisation_id,
                                _events.c.learner_uln.in_(part))
                         .order_by(_events.c.id))
                for row in self._session.execute(query):
                    holder = master_of.get(row.learner_uln, row.learner_uln)
                    key = (holder, row.qualification_reference, organisation_id)
                    if key in wanted:
                        found[key] = LearningEvent(**row._mapping)  # the newest wins
        return found

    def _merged_into(self, masters: Collection[str]) -> dict[str, str]:
        """{merged ULN: master} for the ULNs currently merged into ``masters``."""
        links = LearnerLinkRow.__table__
        merged: dict[str, str] = {}
        for part in _chunks(masters):
            merged.update(self._session.execute(
                select(links.c.merged_uln, links.c.master_uln).where(
                    links.c.master_uln.in_(part), links.c.unmerged_at.is_(None))).all())
        return merged

    def events_for_learners(self, ulns: Collection[str]) -> list[LearningEvent]:
        ulns = sorted(set(ulns))
        if 0 < len(ulns) <= PREPARED_ULNS:  # a record: the Session's cost was most of it
            rows = self._source.flushed_reads().all(_EVENTS_OF[len(ulns)],
                                          {f"u{index}": uln for index, uln in enumerate(ulns)})
            return sorted((LearningEvent(*row) for row in rows),
                          key=lambda event: event.id)
        events = []
        for part in _chunks(ulns):
            rows = self._session.execute(_event_query().where(_events.c.learner_uln.in_(part)))
            events.extend(LearningEvent(**row._mapping) for row in rows)
        return sorted(events, key=lambda event: event.id)

    def add_events(self, events: Sequence[NewEvent], *, job_id: int | None,
                   now: dt.datetime) -> list[int]:
        if not events:
            return []
        names = self._provider_names(event.achievement_provider_ukprn for event in events)
        rows = [{**vars(event), "source": SOURCE, "date_loaded": now,
                 "updated_at": now, "created_by_job_id": job_id,
                 "achievement_provider_name": names.get(event.achievement_provider_ukprn)}
                for event in events]
        statement = insert(_events).returning(_events.c.id, sort_by_parameter_order=True)
        return list(self._session.execute(statement, rows).scalars())

    def update_events(self, changes: Sequence[EventChange], *, now: dt.datetime) -> None:
        names = self._provider_names(change.fields.get("achievement_provider_ukprn")
                                     for change in changes)
        groups: dict[tuple[str, ...], list[dict[str, object]]] = defaultdict(list)
        for change in changes:
            values = {**change.fields, "updated_at": now}
            if "achievement_provider_ukprn" in values:
                values["achievement_provider_name"] = names.get(
                    values["achievement_provider_ukprn"])
            groups[tuple(sorted(values))].append({"id": change.event_id, **values})
        for rows in groups.values():  # one executemany per set of changed columns
            self._session.execute(update(LearningEventRow), rows)  # bulk by primary key

    def lock_learner(self, uln: str) -> None:
        # An UPDATE takes PostgreSQL's row lock and SQLite's write lock alike; the statements
        # after it read what the transaction that held the lock before us committed.
        self._session.execute(update(LearnerRow).where(LearnerRow.uln == uln)
                              .values(uln=LearnerRow.uln))

    def _provider_names(self, ukprns: Iterable[object]) -> dict[str, str]:
        """Names of the registered organisations among these UKPRNs (for
        AchievementProviderName); providers that are not registered stay nameless."""
        wanted = [ukprn for ukprn in ukprns if isinstance(ukprn, str)]
        names: dict[str, str] = {}
        for part in _chunks(wanted):
            names.update(self._session.execute(
                select(OrganisationRow.ukprn, OrganisationRow.name)
                .where(OrganisationRow.ukprn.in_(part))).all())
        return names
