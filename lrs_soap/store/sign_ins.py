"""ports.SignInFailures on SQLAlchemy: counts kept atomic by the database (upsert)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from sqlalchemy import bindparam, case, delete, literal_column, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from lrs_soap.domain.model import Organisation, User
from lrs_soap.service.ports import FailureCount
from lrs_soap.store.orm import OrganisationRow, SignInFailureRow, UserRow
from lrs_soap.store.prepared import Prepared, Source
from lrs_soap.store.repositories import CALLER_COLUMNS, ITS_USER, caller_from_row

_TABLE = SignInFailureRow.__table__
_INSERTS = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}
# Every sign-in asks for a user's count and the organisation's: a prepared statement
# (store/prepared.py), as it runs on every call.
_TWO_COUNTS = Prepared(select(_TABLE).where(
    _TABLE.c.organisation == bindparam("o"),
    _TABLE.c.user_name.in_([bindparam("u1"), bindparam("u2")])))


def _caller_and_counts(column: str):
    """The caller (organisation by ``column``, its user by name) and the two sign-in counts
    in one statement. Every SOAP call reads both; as two statements the first also paid for
    starting the transaction (about 35 µs). The counts come back whether or not the
    organisation exists: everything is joined to one constant row."""
    organisations = OrganisationRow.__table__
    mine, anyone = _TABLE.alias("mine"), _TABLE.alias("anyone")
    one_row = select(literal_column("1").label("one")).subquery("one_row")
    counted = [alias.c[name].label(f"{alias.name}_{name}") for alias in (mine, anyone)
               for name in ("user_name", "failures", "last_failure_at", "blocked_until")]
    return (select(*CALLER_COLUMNS, *counted)
            .select_from(
                one_row
                .outerjoin(organisations, organisations.c[column] == bindparam("k"))
                .outerjoin(UserRow.__table__, ITS_USER)
                .outerjoin(mine, (mine.c.organisation == bindparam("o"))
                           & (mine.c.user_name == bindparam("u1")))
                .outerjoin(anyone, (anyone.c.organisation == bindparam("o"))
                           & (anyone.c.user_name == bindparam("u2")))))


_CALLER_AND_COUNTS = {column: Prepared(_caller_and_counts(column))
                      for column in ("ukprn", "reference")}


def _count(row) -> FailureCount:
    return FailureCount(row.failures, row.last_failure_at, row.blocked_until)


class SqlSignInFailures:
    def __init__(self, session):  # a unit of work (store/prepared.Source), or a Session
        self._source = Source(session)

    @property
    def _session(self) -> Session:
        return self._source.session

    def counts(self, organisation: str, user_names: Collection[str]) -> dict[str, FailureCount]:
        names = list(user_names)
        if len(names) == 2:
            rows = self._source.reads.all(_TWO_COUNTS, {"o": organisation, "u1": names[0],
                                                        "u2": names[1]})
        else:
            rows = self._session.execute(select(_TABLE).where(
                _TABLE.c.organisation == organisation, _TABLE.c.user_name.in_(names)))
        return {row.user_name: _count(row) for row in rows}

    def counts_with_caller(self, organisation: str, user_names: tuple[str, str], column: str,
                           key: str, user_name: str
                           ) -> tuple[dict[str, FailureCount],
                                      tuple[Organisation, User | None] | None]:
        row = self._source.reads.first(_CALLER_AND_COUNTS[column], {
            "k": key, "u": user_name, "o": organisation, "u1": user_names[0],
            "u2": user_names[1]})
        counts = {}
        for name, failures, last, blocked in ((row.anyone_user_name, row.anyone_failures,
                                                row.anyone_last_failure_at,
                                                row.anyone_blocked_until),
                                               (row.mine_user_name, row.mine_failures,
                                                row.mine_last_failure_at,
                                                row.mine_blocked_until)):
            if name is not None:
                counts[name] = FailureCount(failures, last, blocked)
        return counts, caller_from_row(row, user_name)

    def add_failure(self, organisation: str, user_name: str, now: dt.datetime,
                    forget_before: dt.datetime) -> int:
        # One statement: two workers counting at once both land (no lost update).
        insert = _INSERTS[self._session.get_bind().dialect.name]
        statement = insert(_TABLE).values(organisation=organisation, user_name=user_name,
                                          failures=1, last_failure_at=now)
        statement = statement.on_conflict_do_update(
            index_elements=[_TABLE.c.organisation, _TABLE.c.user_name],
            set_={"failures": case((_TABLE.c.last_failure_at < forget_before, 1),
                                   else_=_TABLE.c.failures + 1),
                  "last_failure_at": now},
        ).returning(_TABLE.c.failures)
        return self._session.execute(statement).scalar_one()

    def block(self, organisation: str, user_name: str, until: dt.datetime | None) -> None:
        self._session.execute(update(_TABLE).where(
            _TABLE.c.organisation == organisation, _TABLE.c.user_name == user_name,
        ).values(blocked_until=until))

    def clear(self, organisation: str, user_name: str | None = None) -> int:
        statement = delete(_TABLE).where(_TABLE.c.organisation == organisation)
        if user_name is not None:
            statement = statement.where(_TABLE.c.user_name == user_name)
        return self._session.execute(
            statement.execution_options(preserve_rowcount=True)).rowcount

    def all(self) -> list[tuple[str, str, FailureCount]]:
        rows = self._session.execute(select(_TABLE).order_by(_TABLE.c.organisation,
                                                             _TABLE.c.user_name))
        return [(row.organisation, row.user_name, _count(row)) for row in rows]
