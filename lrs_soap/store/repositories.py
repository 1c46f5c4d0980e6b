"""SQL implementations of the repositories in lrs_soap.service.ports.

Each repository works inside the unit of work's Session and never commits: the service
decides. What leaves here is a domain dataclass, never a row.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import operator

from sqlalchemy import (
    Date,
    Integer,
    Row,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lrs_soap.domain import matching
from lrs_soap.domain.learner_formats import GENDERS
from lrs_soap.domain.matching import learner_demographics_key
from lrs_soap.domain.model import (
    Learner,
    LearnerDetails,
    LearnerStatus,
    Organisation,
    PortalRole,
    Role,
    User,
)
from lrs_soap.domain.names import name_key, postcode_key
from lrs_soap.service.ports import DuplicateLearner
from lrs_soap.store.orm import (
    NAME_KEY_LENGTH,
    AuditLogRow,
    DemographicSearchRow,
    LearnerLinkRow,
    LearnerRow,
    OrganisationRow,
    UlnRegistryRow,
    UserRow,
    utcnow,
)
from lrs_soap.store.prepared import Prepared, Source

_DETAIL_FIELDS = tuple(f.name for f in dataclasses.fields(LearnerDetails))
_DETAIL_COLUMNS = tuple(LearnerRow.__table__.c[name] for name in _DETAIL_FIELDS)


def _roles(row: OrganisationRow) -> frozenset[Role]:
    roles = set()
    if row.is_learner_registration_body:
        roles.add(Role.LEARNER_REGISTRATION_BODY)
    if row.is_awarding_organisation:
        roles.add(Role.AWARDING_ORGANISATION)
    if row.is_olass:
        roles.add(Role.OLASS)
    return frozenset(roles)


def _organisation(row: OrganisationRow) -> Organisation:
    return Organisation(id=row.id, name=row.name, ukprn=row.ukprn, reference=row.reference,
                        roles=_roles(row), active=row.active, password_hash=row.password_hash)



# Every call reads these: Core statements built once (bound parameters), rows mapped by
# hand. Through the ORM they were half of a FindByULN call (docs/performance.md, R1).
_ORGANISATIONS, _USERS = OrganisationRow.__table__, UserRow.__table__
_LEARNERS, _LINKS = LearnerRow.__table__, LearnerLinkRow.__table__
_ORGANISATION_BY = {column: select(_ORGANISATIONS).where(_ORGANISATIONS.c[column] == bindparam("k"))
                    for column in ("ukprn", "reference", "id")}
# The caller: an organisation and, if it has one by that name (bound "u"), its user. Only
# the organisation's columns that make an Organisation: its timestamps would each cost a
# datetime conversion on every call. SOAP calls read it with their sign-in counts
# (store/sign_ins.py); with_user reads it alone.
CALLER_COLUMNS = (*(_ORGANISATIONS.c[name] for name in (
    "id", "name", "ukprn", "reference", "is_learner_registration_body",
    "is_awarding_organisation", "is_olass", "active", "password_hash")),
    _USERS.c.id.label("user_id"), _USERS.c.active.label("user_active"))
ITS_USER = (_USERS.c.organisation_id == _ORGANISATIONS.c.id) & (_USERS.c.user_name
                                                               == bindparam("u"))
_WITH_USER = {column: select(*CALLER_COLUMNS)
              .select_from(_ORGANISATIONS.outerjoin(_USERS, ITS_USER))
              .where(_ORGANISATIONS.c[column] == bindparam("k"))
              for column in ("ukprn", "reference")}
_USER = select(_USERS).where(_USERS.c.organisation_id == bindparam("o"),
                             _USERS.c.user_name == bindparam("u"))
LEARNER_ROWS = select(_LEARNERS)  # whole rows, for learner_from_row
_LEARNER_BY_ULN = LEARNER_ROWS.where(_LEARNERS.c.uln == bindparam("uln"))
# What matching reads, and no more: a demographic search looks at every learner born on
# the day (about a hundred in a million), and loading whole rows was most of its time.
_MATCH_FIELDS = ("given_name", "family_name", "date_of_birth", "gender", "postcode",
                 "previous_family_name", "school_at_age_16", "place_of_birth", "email_address")
_MATCH_ROWS = select(
    _LEARNERS.c.id, _LEARNERS.c.uln, _LEARNERS.c.status, _LEARNERS.c.master_uln,
    *(_LEARNERS.c[name] for name in _MATCH_FIELDS),
)
_MATCH_CANDIDATES = _MATCH_ROWS.where(
    _LEARNERS.c.date_of_birth.in_(bindparam("dates", expanding=True)))


def _number(value: int):
    """A constant written into the SQL, not a parameter bound on every call."""
    return literal_column(str(value), Integer)


def _demographic_shortlist():
    """The fast path's first step, read from ix_learners_match alone (no table rows): the
    learners born on one of the dates whose score could still reach the minimum when
    judged by what SQL can see. Names count 4 when their keys are equal and 3 otherwise
    (SQL cannot tell SIMILAR from DIFFERENT); ``evidence`` is the learner's points for birth
    date, postcode and gender exactly as domain.matching.possible_score counts them (a
    gender outside the codes counts as agreeing: an upper bound, never less)."""
    c, n = _LEARNERS.c, _number
    key = c.postcode_key
    outward = case((func.length(key) >= n(5), func.substr(key, n(1), func.length(key) - n(3))),
                   else_=key)
    evidence = (case((c.date_of_birth == bindparam("dob", type_=Date), n(2)), else_=n(0))
                + case((key == bindparam("postcode"), n(2)),
                       (outward == bindparam("outward"), n(1)), else_=n(0))
                + case((c.gender == bindparam("gender"), n(1)),
                       (or_(*(c.gender == literal_column(f"'{code}'")
                              for code in sorted(GENDERS))), n(0)), else_=n(1)))
    names = (case((c.family_name_key == bindparam("family"), n(4)), else_=n(3))
             + case((c.given_name_key == bindparam("given"), n(4)), else_=n(3)))
    return (select(c.id, c.given_name, c.family_name, c.previous_family_name,
                   evidence.label("evidence"))
            # Two plain parameters, not an expanding IN: no SQL to render on each call.
            .where(c.date_of_birth.in_([bindparam("dob", type_=Date),
                                        bindparam("swapped", type_=Date)]),
                   c.status != literal_column(f"'{LearnerStatus.RETIRED.value}'"),
                   names + evidence + bindparam("optional")
                   >= n(matching.MIN_POSSIBLE_SCORE)))


_DEMOGRAPHIC_SHORTLIST = _demographic_shortlist()
_NOT_LOADED = dt.datetime.min.replace(tzinfo=dt.UTC)
# The same statements, run on the driver's cursor (store/prepared.py): a call's reads.
_P_ORGANISATION_BY = {column: Prepared(statement)
                      for column, statement in _ORGANISATION_BY.items()}
_P_WITH_USER = {column: Prepared(statement) for column, statement in _WITH_USER.items()}
_P_USER = Prepared(_USER)


def _learner_with_linked_ulns(dialect: str, key: str = "uln"):
    """The learner by ULN (or by ``key``) and, in the same statement, the ULNs merged into
    it and not unmerged (space separated, in no order: _whole sorts them, drops repeats)."""
    aggregate = (func.string_agg if dialect == "postgresql" else func.group_concat)(
        _LINKS.c.merged_uln, " ")
    linked = (select(aggregate)
              .where(_LINKS.c.master_uln == _LEARNERS.c.uln, _LINKS.c.unmerged_at.is_(None))
              .scalar_subquery().label("linked_ulns"))
    return select(_LEARNERS, linked).where(_LEARNERS.c[key] == bindparam(key))


_P_LEARNER_BY_ULN = Prepared(_learner_with_linked_ulns)
_P_LEARNER_BY_ID = Prepared(lambda dialect: _learner_with_linked_ulns(dialect, "id"))
_P_DEMOGRAPHIC_SHORTLIST = Prepared(_DEMOGRAPHIC_SHORTLIST)
_DETAILS_OF = operator.attrgetter(*_DETAIL_FIELDS)


class Hot:
    """A repository whose reads are prepared statements (store/prepared.py); built on a unit
    of work, or on a bare Session."""

    def __init__(self, session):
        self._source = Source(session)

    @property
    def _session(self) -> Session:
        return self._source.session


def caller_from_row(row, user_name: str) -> tuple[Organisation, User | None] | None:
    """The organisation and its user (None without one) from a row of CALLER_COLUMNS;
    None when the row, or its organisation, is missing."""
    if row is None or row.id is None:
        return None
    organisation = _organisation(row)
    user = (None if row.user_id is None else
            User(row.user_id, organisation.id, user_name, row.user_active))
    return organisation, user


class SqlOrganisationRepository(Hot):
    def _one(self, column: str, key: object) -> Organisation | None:
        row = self._source.reads.first(_P_ORGANISATION_BY[column], {"k": key})
        return None if row is None else _organisation(row)

    def by_ukprn(self, ukprn: str) -> Organisation | None:
        return self._one("ukprn", ukprn)

    def by_reference(self, reference: str) -> Organisation | None:
        return self._one("reference", reference)

    def by_id(self, organisation_id: int) -> Organisation | None:
        return self._one("id", organisation_id)

    def with_user(self, column: str, key: str,
                  user_name: str) -> tuple[Organisation, User | None] | None:
        """The organisation whose ``column`` (ukprn or reference) is ``key``, and its user
        ``user_name`` if there is one."""
        return caller_from_row(
            self._source.reads.first(_P_WITH_USER[column], {"k": key, "u": user_name}),
            user_name)

    def list_all(self) -> list[Organisation]:
        rows = self._session.scalars(select(OrganisationRow).order_by(OrganisationRow.id))
        return [_organisation(row) for row in rows]

    def add(self, *, name: str, ukprn: str | None, reference: str | None,
            roles: frozenset[Role]) -> Organisation:
        if ukprn is None and reference is None:
            raise ValueError("an organisation needs a UKPRN or an organisation reference")
        # A key in use is the service's refusal (accounts.create_organisation checks first:
        # a failed INSERT would spoil the caller's transaction); here the unique index holds.
        row = OrganisationRow(
            name=name, ukprn=ukprn, reference=reference, active=True,
            is_learner_registration_body=Role.LEARNER_REGISTRATION_BODY in roles,
            is_awarding_organisation=Role.AWARDING_ORGANISATION in roles,
            is_olass=Role.OLASS in roles,
        )
        self._session.add(row)
        self._session.flush()
        return _organisation(row)

    def _set(self, organisation_id: int, **values) -> None:
        self._session.execute(update(OrganisationRow)
                              .where(OrganisationRow.id == organisation_id)
                              .values(updated_at=utcnow(), **values))

    def set_password_hash(self, organisation_id: int, password_hash: str) -> None:
        self._set(organisation_id, password_hash=password_hash)

    def set_active(self, organisation_id: int, active: bool) -> None:
        self._set(organisation_id, active=active)


def _user(row: UserRow) -> User:
    return User(id=row.id, organisation_id=row.organisation_id, user_name=row.user_name,
                active=row.active, portal_role=PortalRole(row.portal_role),
                portal_password_hash=row.portal_password_hash)


class SqlUserRepository(Hot):
    def get(self, organisation_id: int, user_name: str) -> User | None:
        row = self._source.reads.first(_P_USER, {"o": organisation_id, "u": user_name})
        return None if row is None else _user(row)

    def list_for(self, organisation_id: int) -> list[User]:
        rows = self._session.scalars(select(UserRow)
                                     .where(UserRow.organisation_id == organisation_id)
                                     .order_by(UserRow.user_name))
        return [_user(row) for row in rows]

    def by_id(self, user_id: int) -> User | None:
        row = self._session.get(UserRow, user_id)
        return None if row is None else _user(row)

    def add(self, organisation_id: int, user_name: str, *,
            portal_role: PortalRole = PortalRole.USER,
            portal_password_hash: str | None = None) -> User:
        row = UserRow(organisation_id=organisation_id, user_name=user_name, active=True,
                      portal_role=portal_role.value, portal_password_hash=portal_password_hash)
        self._session.add(row)
        self._session.flush()
        return _user(row)

    def set_active(self, user_id: int, active: bool) -> None:
        self._session.execute(update(UserRow).where(UserRow.id == user_id).values(active=active))

    def set_portal_password_hash(self, user_id: int, password_hash: str) -> None:
        self._session.execute(update(UserRow).where(UserRow.id == user_id)
                              .values(portal_password_hash=password_hash))

    def set_portal_role(self, user_id: int, role: PortalRole) -> None:
        self._session.execute(update(UserRow).where(UserRow.id == user_id)
                              .values(portal_role=role.value))


def _key(name: str | None) -> str:
    return name_key(name)[:NAME_KEY_LENGTH]


def learner_columns(details: LearnerDetails) -> dict[str, object]:
    """The detail columns of a learner row plus the match keys derived from them."""
    return {
        **{name: getattr(details, name) for name in _DETAIL_FIELDS},
        "given_name_key": _key(details.given_name),
        "family_name_key": _key(details.family_name),
        "previous_family_name_key": _key(details.previous_family_name) or None,
        "postcode_key": postcode_key(details.postcode),
        "demographics_key": learner_demographics_key(details),
    }


class SqlLearnerRepository(Hot):
    def by_uln(self, uln: str) -> Learner | None:
        return _whole(self._source.reads.first(_P_LEARNER_BY_ULN, {"uln": uln}))

    def add(self, uln: str, details: LearnerDetails, *, registered_by: int | None,
            now: dt.datetime) -> Learner:
        row = LearnerRow(
            uln=uln,
            **learner_columns(details),
            version_number=1,
            status=LearnerStatus.ACTIVE.value,
            tier_level="0",
            registered_by_organisation_id=registered_by,
            created_at=now,
            updated_at=now,
        )
        self._session.add(row)
        try:
            self._session.flush()
        except IntegrityError as error:
            # The active-demographics unique index: someone registered this learner first.
            raise DuplicateLearner() from error
        return _learner(row, LearnerDetails(
            **{name: getattr(row, name) for name in _DETAIL_FIELDS}), ())

    def match_candidates(self, dates: tuple[dt.date, ...]) -> list[Learner]:
        """Learners born on one of ``dates``, with only what matching compares: names,
        birth date, gender, postcode, the optional match fields, status and master. Load a
        chosen one with by_uln before showing it to anyone."""
        return self._match_rows(_MATCH_CANDIDATES, {"dates": list(dates)})

    def demographic_candidates(self, query: matching.DemographicQuery) -> list[Learner]:
        """The learners :func:`match_candidates` would give for the query's birth dates,
        less those that can be neither an exact match nor a possible one (so
        ``matching.classify`` answers the same), each read whole (as by_uln reads it, so an
        answer needs no second read). SQL narrows on the index ix_learners_match,
        matching.qualifier on the names, and only the few left are read from the table."""
        postcode = postcode_key(query.postcode)
        reads = self._source.reads
        shortlist = reads.all(_P_DEMOGRAPHIC_SHORTLIST, {
            "dob": query.date_of_birth,
            "swapped": matching.candidate_birth_dates(query.date_of_birth)[-1],
            "postcode": postcode,
            "outward": matching.outward_code(postcode), "gender": query.gender.strip(),
            "family": _key(query.family_name), "given": _key(query.given_name),
            "optional": matching.optional_points_bound(query)})
        may_qualify = matching.qualifier(query)
        # One by one: usually one or two, and a plain statement needs no SQL rendered per
        # call (an expanding IN does).
        return [_whole(reads.first(_P_LEARNER_BY_ID, {"id": row[0]}))
                for row in shortlist if may_qualify(*row[1:])]

    def _match_rows(self, statement, params: dict) -> list[Learner]:
        found = []
        for row in self._session.connection().execute(statement, params):
            details = LearnerDetails(**dict(zip(_MATCH_FIELDS, row[4:], strict=True)))
            found.append(Learner(id=row[0], uln=row[1], details=details, version_number=0,
                                 status=LearnerStatus(row[2]), tier_level="0",
                                 created_at=_NOT_LOADED, updated_at=_NOT_LOADED,
                                 master_uln=row[3]))
        return found

    def update_details(self, uln: str, details: LearnerDetails, *, expected_version: int,
                       now: dt.datetime) -> int | None:
        """Replace the details if the version is still ``expected_version``; the new version,
        or None when someone else updated first (optimistic locking in one statement)."""
        try:
            result = self._session.execute(
                update(LearnerRow)
                .where(LearnerRow.uln == uln, LearnerRow.version_number == expected_version)
                .values(**learner_columns(details), version_number=expected_version + 1,
                        updated_at=now)
                .execution_options(synchronize_session=False, preserve_rowcount=True))
        except IntegrityError as error:
            raise DuplicateLearner() from error
        return expected_version + 1 if result.rowcount == 1 else None

    def count(self) -> int:
        return self._session.scalar(select(func.count()).select_from(LearnerRow)) or 0

    def active_uln_with_key(self, demographics_key: str) -> str | None:
        return self._session.scalar(
            select(LearnerRow.uln).where(LearnerRow.demographics_key == demographics_key,
                                         LearnerRow.status == LearnerStatus.ACTIVE.value)
            .limit(1))


def _whole(row) -> Learner | None:
    """The learner in a row of ``_learner_with_linked_ulns``."""
    if row is None:
        return None
    linked = tuple(sorted(set(row.linked_ulns.split()))) if row.linked_ulns else ()
    return _learner(row, LearnerDetails(*_DETAILS_OF(row)), linked)


def learner_from_row(row: Row, linked_ulns: tuple[str, ...] = ()) -> Learner:
    """The learner in a Core row of the learners table (``LEARNER_ROWS``)."""
    # By column, not by attribute: cheaper per field, and a learner is read on most calls.
    return _learner(row, LearnerDetails(*map(row._mapping.__getitem__, _DETAIL_COLUMNS)),
                    linked_ulns)


def _learner(row: Row | LearnerRow, details: LearnerDetails,
             linked_ulns: tuple[str, ...]) -> Learner:
    return Learner(
        id=row.id, uln=row.uln, details=details, version_number=row.version_number,
        status=LearnerStatus(row.status), tier_level=row.tier_level,
        # A freshly added row still holds the caller's datetimes: report them in UTC too.
        created_at=row.created_at.astimezone(dt.UTC),
        updated_at=row.updated_at.astimezone(dt.UTC),
        master_uln=row.master_uln, linked_ulns=linked_ulns,
    )


class SqlUlnRegistry:
    def __init__(self, session: Session):
        self._session = session

    def claim(self, uln: str, now: dt.datetime) -> bool:
        # INSERT ... ON CONFLICT DO NOTHING: the database decides atomically, across
        # processes, which claim wins; a concurrent claim waits for ours to commit.
        dialect = self._session.get_bind().dialect.name
        if dialect == "sqlite":
            insert = sqlite.insert
        elif dialect == "postgresql":
            insert = postgresql.insert
        else:
            raise NotImplementedError(f"ULN claims are not implemented for {dialect}")
        table = UlnRegistryRow.__table__
        statement = (insert(table).values(uln=uln, issued_at=now)
                     .on_conflict_do_nothing(index_elements=[table.c.uln])
                     # SQLAlchemy only keeps an INSERT's rowcount when asked (psycopg: -1).
                     .execution_options(preserve_rowcount=True))
        return self._session.execute(statement).rowcount == 1


def _insert(table, *names: str) -> Prepared:
    """INSERT INTO table (names) VALUES (:names), prepared (store/prepared.py); no RETURNING
    of the new id (inline), which nobody reads."""
    return Prepared(table.insert().inline().values({name: bindparam(name) for name in names}))


_RECORD_AUDIT = _insert(AuditLogRow.__table__, "at", "organisation_id", "user_name", "action",
                        "uln", "detail")


class SqlAuditLog(Hot):
    def record(self, *, at: dt.datetime, organisation_id: int | None, user_name: str | None,
               action: str, uln: str | None = None, detail: dict | None = None) -> None:
        # A Core INSERT, without a Session when none is open: every GetLearnerRecord writes
        # one, and the ORM's add and flush cost more than the record's own reads.
        self._source.write(_RECORD_AUDIT, {
            "at": at, "organisation_id": organisation_id, "user_name": user_name,
            "action": action, "uln": uln, "detail": detail})


_RECORD_SEARCH = _insert(DemographicSearchRow.__table__, "organisation_id", "demographics_key",
                         "outcome_code", "searched_at")


class SqlDemographicSearchLog(Hot):
    def record(self, *, organisation_id: int, demographics_key: str, outcome: str,
               at: dt.datetime) -> None:
        # A Core INSERT (without a Session when none is open): every full FindByDemographics
        # writes one, and the ORM's flush cost more than the search's own shortlist.
        self._source.write(_RECORD_SEARCH, {
            "organisation_id": organisation_id, "demographics_key": demographics_key,
            "outcome_code": outcome, "searched_at": at})

    def latest(self, *, organisation_id: int, demographics_key: str,
               since: dt.datetime) -> tuple[str, dt.datetime] | None:
        row = self._session.execute(
            select(DemographicSearchRow.outcome_code, DemographicSearchRow.searched_at)
            .where(DemographicSearchRow.organisation_id == organisation_id,
                   DemographicSearchRow.demographics_key == demographics_key,
                   DemographicSearchRow.searched_at >= since)
            .order_by(DemographicSearchRow.searched_at.desc(), DemographicSearchRow.id.desc())
            .limit(1)).first()
        return None if row is None else (row[0], row[1].astimezone(dt.UTC))
