"""In-memory fakes of the service ports, for fast service-layer tests."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from lrs_soap.domain.achievements import Qualification
from lrs_soap.domain.matching import candidate_birth_dates, learner_demographics_key
from lrs_soap.domain.model import (
    Learner,
    LearnerStatus,
    LearningEvent,
    Organisation,
    PortalRole,
    User,
)
from lrs_soap.record_elements import element_label
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.ports import DuplicateLearner, FailureCount, ImportReport

NOW = dt.datetime(2026, 11, 28, 12, 0, tzinfo=dt.UTC)


class FakeStore:
    """The shared state behind every FakeUnitOfWork (what a database would hold)."""

    def __init__(self):
        self.organisations: dict[int, Organisation] = {}
        self.users: dict[int, User] = {}
        self.learners: dict[str, Learner] = {}
        self.issued: set[str] = set()
        self.audit: list[dict] = []
        self.searches: list[dict] = []
        self.ids = itertools.count(1)
        self.qualifications: dict[str, Qualification] = {}
        self.events: dict[int, LearningEvent] = {}
        self.event_ids = itertools.count(1)
        self.sign_in_failures: dict[tuple[str, str], FailureCount] = {}
        self.portal_sessions: dict[str, list] = {}  # token hash -> [user id, start, end]


class FakeOrganisations:
    def __init__(self, store: FakeStore):
        self.store = store

    def by_ukprn(self, ukprn):
        return next((o for o in self.store.organisations.values() if o.ukprn == ukprn), None)

    def by_reference(self, reference):
        return next((o for o in self.store.organisations.values() if o.reference == reference),
                    None)

    def by_id(self, organisation_id):
        return self.store.organisations.get(organisation_id)

    def with_user(self, column, key, user_name):
        organisation = self.by_ukprn(key) if column == "ukprn" else self.by_reference(key)
        if organisation is None:
            return None
        return organisation, next((u for u in self.store.users.values()
                                   if u.organisation_id == organisation.id
                                   and u.user_name == user_name), None)

    def list_all(self):
        return list(self.store.organisations.values())

    def add(self, *, name, ukprn, reference, roles):
        org = Organisation(next(self.store.ids), name, ukprn, reference, roles, True, None)
        self.store.organisations[org.id] = org
        return org

    def set_password_hash(self, organisation_id, password_hash):
        org = self.store.organisations[organisation_id]
        self.store.organisations[org.id] = dataclasses.replace(org, password_hash=password_hash)

    def set_active(self, organisation_id, active):
        org = self.store.organisations[organisation_id]
        self.store.organisations[org.id] = dataclasses.replace(org, active=active)


class FakeUsers:
    def __init__(self, store: FakeStore):
        self.store = store

    def get(self, organisation_id, user_name):
        return next((u for u in self.store.users.values()
                     if u.organisation_id == organisation_id and u.user_name == user_name), None)

    def list_for(self, organisation_id):
        return [u for u in self.store.users.values() if u.organisation_id == organisation_id]

    def by_id(self, user_id):
        return self.store.users.get(user_id)

    def add(self, organisation_id, user_name, *, portal_role=PortalRole.USER,
            portal_password_hash=None):
        user = User(next(self.store.ids), organisation_id, user_name, True, portal_role,
                    portal_password_hash)
        self.store.users[user.id] = user
        return user

    def set_active(self, user_id, active):
        self.store.users[user_id] = dataclasses.replace(self.store.users[user_id], active=active)

    def set_portal_password_hash(self, user_id, password_hash):
        self.store.users[user_id] = dataclasses.replace(self.store.users[user_id],
                                                        portal_password_hash=password_hash)

    def set_portal_role(self, user_id, role):
        self.store.users[user_id] = dataclasses.replace(self.store.users[user_id],
                                                        portal_role=role)


class FakeLearners:
    def __init__(self, store: FakeStore):
        self.store = store

    def by_uln(self, uln):
        learner = self.store.learners.get(uln)
        if learner is None:
            return None
        linked = tuple(sorted(other.uln for other in self.store.learners.values()
                             if other.master_uln == uln))
        return dataclasses.replace(learner, linked_ulns=linked)

    def add(self, uln, details, *, registered_by, now):
        self._refuse_duplicate(uln, details)
        learner = Learner(next(self.store.ids), uln, details, 1, LearnerStatus.ACTIVE, "0",
                          now, now)
        self.store.learners[uln] = learner
        return learner

    def _refuse_duplicate(self, uln, details):
        key = learner_demographics_key(details)
        if any(other.uln != uln and other.status is LearnerStatus.ACTIVE
               and learner_demographics_key(other.details) == key
               for other in self.store.learners.values()):
            raise DuplicateLearner()

    def match_candidates(self, dates):
        return [learner for learner in self.store.learners.values()
                if learner.details.date_of_birth in dates]

    def demographic_candidates(self, query):  # the reference: every candidate by birth date
        return [self.by_uln(learner.uln)  # read whole, as the store reads them
                for learner in self.match_candidates(candidate_birth_dates(query.date_of_birth))]

    def update_details(self, uln, details, *, expected_version, now):
        held = self.store.learners[uln]
        if held.version_number != expected_version:
            return None
        self._refuse_duplicate(uln, details)
        self.store.learners[uln] = dataclasses.replace(
            held, details=details, version_number=expected_version + 1, updated_at=now)
        return expected_version + 1

    def count(self):
        return len(self.store.learners)

    def active_uln_with_key(self, demographics_key):
        return next((other.uln for other in self.store.learners.values()
                     if other.status is LearnerStatus.ACTIVE
                     and learner_demographics_key(other.details) == demographics_key), None)


class FakeRegistry:
    def __init__(self, store: FakeStore):
        self.store = store

    def claim(self, uln, now):
        if uln in self.store.issued:
            return False
        self.store.issued.add(uln)
        return True


class FakeAudit:
    def __init__(self, store: FakeStore):
        self.store = store

    def record(self, **entry):
        self.store.audit.append(entry)


class FakeSearches:
    def __init__(self, store: FakeStore):
        self.store = store

    def record(self, **entry):
        self.store.searches.append(entry)

    def latest(self, *, organisation_id, demographics_key, since):
        found = [s for s in self.store.searches
                 if s["organisation_id"] == organisation_id
                 and s["demographics_key"] == demographics_key and s["at"] >= since]
        return (found[-1]["outcome"], found[-1]["at"]) if found else None


class FakeQualifications:
    def __init__(self, store: FakeStore):
        self.store = store

    def by_reference(self, reference):
        return self.store.qualifications.get(reference)

    def by_references(self, references):
        return {r: self.store.qualifications[r] for r in references
                if r in self.store.qualifications}

    def usable_by(self, organisation_id, containing, limit):
        wanted = (containing or "").lower()
        return sorted((q for q in self.store.qualifications.values()
                       if q.usable_by(organisation_id)
                       and (wanted in q.reference.lower() or wanted in q.title.lower())),
                      key=lambda q: q.reference)[:limit]

    def import_rows(self, rows):
        known = sum(row.reference in self.store.qualifications for row in rows)
        self.store.qualifications.update((row.reference, row) for row in rows)
        return ImportReport(created=len(rows) - known, updated=known)


class FakeAchievements:
    """Records its bulk calls in ``calls`` so tests can check a chunk stays bulk."""

    def __init__(self, store: FakeStore):
        self.store = store
        self.calls: list[str] = []

    def learners_by_ulns(self, ulns):
        self.calls.append("learners_by_ulns")
        return {u: self.store.learners[u] for u in ulns if u in self.store.learners}

    def qualifications_by_references(self, references):
        self.calls.append("qualifications_by_references")
        return FakeQualifications(self.store).by_references(references)

    def events_by_keys(self, keys):
        self.calls.append("events_by_keys")
        found = {}
        for event in sorted(self.store.events.values(), key=lambda e: e.id):
            key = (event.learner_uln, event.qualification_reference,
                   event.awarding_organisation_id)
            if event.source == "AO" and key in keys:
                found[key] = event
        return found

    def events_for_learners(self, ulns):
        return [e for _, e in sorted(self.store.events.items()) if e.learner_uln in ulns]

    def add_events(self, events, *, job_id, now):
        self.calls.append("add_events")
        ids = []
        for new in events:
            event_id = next(self.store.event_ids)
            self.store.events[event_id] = dataclasses.replace(
                new.as_event(event_id, now, job_id), updated_at=now)
            ids.append(event_id)
        return ids

    def update_events(self, changes, *, now):
        self.calls.append("update_events")
        for change in changes:
            self.store.events[change.event_id] = dataclasses.replace(
                self.store.events[change.event_id], **change.fields, updated_at=now)

    def lock_learner(self, uln):
        self.calls.append("lock_learner")


class FakeSignIns:
    def __init__(self, store: FakeStore):
        self.rows = store.sign_in_failures
        self.organisations = FakeOrganisations(store)

    def counts(self, organisation, user_names):
        return {user: self.rows[organisation, user] for user in user_names
                if (organisation, user) in self.rows}

    def counts_with_caller(self, organisation, user_names, column, key, user_name):
        return (self.counts(organisation, user_names),
                self.organisations.with_user(column, key, user_name))

    def add_failure(self, organisation, user_name, now, forget_before):
        held = self.rows.get((organisation, user_name))
        failures = 1 if held is None or held.last_failure_at < forget_before else held.failures + 1
        self.rows[organisation, user_name] = FailureCount(
            failures, now, held.blocked_until if held else None)
        return failures

    def block(self, organisation, user_name, until):
        held = self.rows[organisation, user_name]
        self.rows[organisation, user_name] = dataclasses.replace(held, blocked_until=until)

    def clear(self, organisation, user_name=None):
        keys = [k for k in self.rows if k[0] == organisation and user_name in (None, k[1])]
        for key in keys:
            del self.rows[key]
        return len(keys)

    def all(self):
        return [(org, user, count) for (org, user), count in sorted(self.rows.items())]


class FakePortalSessions:
    def __init__(self, store: FakeStore):
        self.rows = store.portal_sessions

    def start(self, token_hash, user_id, now):
        self.rows[token_hash] = [user_id, now, None]

    def is_live(self, token_hash, user_id):
        row = self.rows.get(token_hash)
        return row is not None and row[0] == user_id and row[2] is None

    def end(self, token_hash, now):
        if token_hash in self.rows and self.rows[token_hash][2] is None:
            self.rows[token_hash][2] = now

    def forget(self, started_before):
        old = [key for key, row in self.rows.items() if row[1] < started_before]
        for key in old:
            del self.rows[key]
        return len(old)


class FakeUnitOfWork:
    """Commits are recorded; like the real one, nothing is rolled back in memory, so tests
    assert on what a service committed via ``committed``."""

    def __init__(self, store: FakeStore):
        self.organisations = FakeOrganisations(store)
        self.users = FakeUsers(store)
        self.learners = FakeLearners(store)
        self.uln_registry = FakeRegistry(store)
        self.audit = FakeAudit(store)
        self.searches = FakeSearches(store)
        self.achievements = FakeAchievements(store)
        self.qualifications = FakeQualifications(store)
        self.sign_ins = FakeSignIns(store)
        self.portal_sessions = FakePortalSessions(store)
        self.committed = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def commit(self):
        self.committed = True

    def rollback(self):
        pass


class PlainPasswords:
    """A transparent 'hasher' so tests need not pay for Argon2."""

    def hash(self, password):
        return "plain$" + password

    def verify(self, password_hash, password):
        return password_hash == "plain$" + password

    def verify_nothing(self, password):
        return None


class FakeClock:
    """A clock tests can move forward."""

    def __init__(self, now: dt.datetime = NOW):
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta) -> None:
        self.now += dt.timedelta(**delta)


def make_context(store: FakeStore | None = None,
                 clock=None) -> tuple[ServiceContext, FakeStore]:
    store = store or FakeStore()
    return ServiceContext(uow_factory=lambda: FakeUnitOfWork(store), clock=clock or (lambda: NOW),
                          passwords=PlainPasswords(), field_label=element_label), store
