"""In-memory fakes of the Personal Learning Record ports, on top of tests/unit/fakes.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from lrs_soap.domain.challenges import ChallengeKind, ChallengeStatus, DataChallenge
from lrs_soap.domain.learner_admin import DeletedEntry, LinkEntry
from lrs_soap.domain.matching import learner_demographics_key
from lrs_soap.domain.model import LearnerDetails, LearnerStatus, LearningEvent
from lrs_soap.record_elements import element_label
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.ports import AccessEntry, DuplicateLearner
from tests.unit.fakes import (
    NOW,
    FakeAchievements,
    FakeStore,
    FakeUnitOfWork,
    PlainPasswords,
)


class PlrStore(FakeStore):
    def __init__(self):
        super().__init__()
        self.challenges: dict[int, DataChallenge] = {}
        self.challenge_ids = itertools.count(1)
        self.links: list[LinkEntry] = []
        self.retired: list[DeletedEntry] = []

    def under_challenge(self, event: LearningEvent) -> LearningEvent:
        flag = any(c.learning_event_id == event.id and c.is_open
                   for c in self.challenges.values())
        return dataclasses.replace(event, under_data_challenge=flag)

    def add_event(self, uln: str, *, source: str = "AO", organisation_id: int | None = 2,
                  reference: str = "100/2510/8", **values) -> LearningEvent:
        event_id = next(self.event_ids)
        fields = {"qualification_reference": reference, "subject": "Horticulture",
                  "grade": "Merit", "award_date": dt.date(2025, 7, 1),
                  "awarding_organisation_id": organisation_id, **values}
        self.events[event_id] = LearningEvent(id=event_id, learner_uln=uln, source=source,
                                              status="F", date_loaded=NOW, **fields)
        return self.events[event_id]


class PlrAchievements(FakeAchievements):
    def events_for_learners(self, ulns):
        return [self.store.under_challenge(e) for e in super().events_for_learners(ulns)]


class FakeRecords:
    def __init__(self, store: PlrStore):
        self.store = store

    def events_by_ids(self, event_ids):
        return {i: self.store.under_challenge(self.store.events[i]) for i in event_ids
                if i in self.store.events}

    def move_events(self, event_ids, to_uln, *, now):
        for i in event_ids:
            self.store.events[i] = dataclasses.replace(self.store.events[i], learner_uln=to_uln,
                                                       updated_at=now)

    def participation_ids(self, keys):
        found = {}
        for event in self.store.events.values():
            key = (event.learner_uln, event.source, event.qualification_reference,
                   event.achievement_provider_ukprn, event.participation_start_date)
            if event.source in ("ILR", "NPD") and key in keys:
                found[key] = event.id
        return found

    @staticmethod
    def _values(record):
        values = dataclasses.asdict(record)
        values.pop("learner_uln")
        return values

    def add_participation(self, rows, *, now):
        for uln, record in rows:
            event_id = next(self.store.event_ids)
            self.store.events[event_id] = LearningEvent(
                id=event_id, learner_uln=uln, date_loaded=now, updated_at=now,
                **self._values(record))

    def update_participation(self, rows, *, now):
        for event_id, record in rows:
            self.store.events[event_id] = dataclasses.replace(
                self.store.events[event_id], updated_at=now, **self._values(record))


class FakeChallenges:
    def __init__(self, store: PlrStore):
        self.store = store

    def add(self, *, kind, organisation_id, user_name, reason, now, learning_event_id=None,
            uln=None, challenge_type=None):
        organisation = self.store.organisations.get(organisation_id)
        challenge = DataChallenge(
            id=next(self.store.challenge_ids), kind=kind, status=ChallengeStatus.OPEN,
            reason=reason, raised_by_organisation_id=organisation_id, raised_by_user=user_name,
            raised_at=now, learning_event_id=learning_event_id, uln=uln,
            challenge_type=challenge_type,
            raised_by_name=organisation.name if organisation else None,
            raised_by_ukprn=organisation.ukprn if organisation else None)
        self.store.challenges[challenge.id] = challenge
        return challenge

    def get(self, challenge_id):
        return self.store.challenges.get(challenge_id)

    def _first(self, **wanted):
        return next((c for c in self.store.challenges.values()
                     if c.is_open and all(getattr(c, k) == v for k, v in wanted.items())), None)

    def open_event_challenge(self, event_id, organisation_id):
        return self._first(kind=ChallengeKind.EVENT, learning_event_id=event_id,
                           raised_by_organisation_id=organisation_id)

    def open_uln_challenge(self, uln, challenge_type, organisation_id):
        return self._first(kind=ChallengeKind.ULN, uln=uln, challenge_type=challenge_type,
                           raised_by_organisation_id=organisation_id)

    def page(self, *, kind, offset, limit, raised_by=None, event_owner=None, status=None):
        found = [c for c in self.store.challenges.values() if c.kind is kind
                 and (raised_by is None or c.raised_by_organisation_id == raised_by)
                 and (status is None or c.status is status)
                 and (event_owner is None or self.store.events[c.learning_event_id]
                      .awarding_organisation_id == event_owner)]
        found.sort(key=lambda c: (c.raised_at, c.id))
        return len(found), found[offset:offset + limit]

    def resolve(self, challenge_id, *, status, resolution, organisation_id, now):
        challenge = self.store.challenges[challenge_id]
        if not challenge.is_open:
            return False
        self.store.challenges[challenge_id] = dataclasses.replace(
            challenge, status=status, resolution=resolution, resolved_at=now,
            resolved_by_organisation_id=organisation_id)
        return True


class FakeLearnerAdmin:
    def __init__(self, store: PlrStore):
        self.store = store

    def _set(self, uln, status, master, now):
        learner = self.store.learners[uln]
        self.store.learners[uln] = dataclasses.replace(
            learner, status=status, master_uln=master,
            version_number=learner.version_number + 1, updated_at=now)

    def _close(self, uln, now):
        self.store.links = [dataclasses.replace(link, unmerged_at=now)
                            if link.merged_uln == uln and link.unmerged_at is None else link
                            for link in self.store.links]

    def merge(self, duplicate_uln, master_uln, *, by, now):
        self._set(duplicate_uln, LearnerStatus.MERGED, master_uln, now)
        self.store.links.append(LinkEntry(master_uln, duplicate_uln, now, merged_by=by))

    def relink(self, from_master, to_master, *, by, now):
        moved = sorted(uln for uln, learner in self.store.learners.items()
                       if learner.master_uln == from_master
                       and learner.status is LearnerStatus.MERGED)
        for uln in moved:
            self._close(uln, now)
            self.merge(uln, to_master, by=by, now=now)
        return moved

    def unmerge(self, uln, *, now):
        if self.active_uln_like(uln):
            raise DuplicateLearner()
        self._set(uln, LearnerStatus.ACTIVE, None, now)
        self._close(uln, now)

    def retire(self, uln, *, now):
        self._set(uln, LearnerStatus.RETIRED, None, now)
        self.store.retired.append(DeletedEntry(uln, now))

    def active_uln_like(self, uln):
        key = learner_demographics_key(self.store.learners[uln].details)
        return next((other.uln for other in self.store.learners.values()
                     if other.uln != uln and other.status is LearnerStatus.ACTIVE
                     and learner_demographics_key(other.details) == key), None)

    def links(self, since, until):
        return [link for link in self.store.links if since <= link.merged_at <= until
                or (link.unmerged_at and since <= link.unmerged_at <= until)]

    def retired(self, since, until):
        return [entry for entry in self.store.retired if since <= entry.deleted_at < until]


class FakeAccessLog:
    def __init__(self, store: PlrStore):
        self.store = store

    def page(self, *, ulns, actions, offset, limit):
        found = [entry for entry in self.store.audit
                 if entry.get("uln") in ulns and entry["action"] in actions]
        found.reverse()  # newest first
        entries = []
        for entry in found[offset:offset + limit]:
            organisation = self.store.organisations.get(entry["organisation_id"])
            entries.append(AccessEntry(
                at=entry["at"], action=entry["action"], uln=entry["uln"],
                outcome=(entry.get("detail") or {}).get("outcome"),
                user_name=entry["user_name"], organisation_id=entry["organisation_id"],
                organisation_name=organisation.name if organisation else None,
                ukprn=organisation.ukprn if organisation else None))
        return len(found), entries


class PlrUnitOfWork(FakeUnitOfWork):
    def __init__(self, store: PlrStore):
        super().__init__(store)
        self.achievements = PlrAchievements(store)
        self.records = FakeRecords(store)
        self.challenges = FakeChallenges(store)
        self.learner_admin = FakeLearnerAdmin(store)
        self.access_log = FakeAccessLog(store)


def make_plr_context(store: PlrStore | None = None, clock=None
                     ) -> tuple[ServiceContext, PlrStore]:
    store = store or PlrStore()
    return ServiceContext(uow_factory=lambda: PlrUnitOfWork(store),
                          clock=clock or (lambda: NOW), passwords=PlainPasswords(),
                          field_label=element_label), store


def details(given="Sam", family="Example", dob=dt.date(2000, 1, 31), gender="2",
            postcode="AB12 3DF", **extra) -> LearnerDetails:
    return LearnerDetails(given, family, dob, gender, postcode, **extra)


__all__ = ["NOW", "PlrStore", "details", "make_plr_context"]
