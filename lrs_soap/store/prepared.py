"""The hot reads, run on the driver's own cursor: SELECTs compiled once per dialect.

Every SOAP call reads the sign-in counts, its caller and usually a learner. Through a
Session each of those cost about 65 µs of SQLAlchemy's per-statement machinery (compile
cache lookup, execution context, result object) and the Session's own transaction
bookkeeping about 100 µs more, while the query itself costs the database about 10 µs
(docs/performance.md). A :class:`Prepared` statement is compiled once for each dialect;
:class:`Reads` executes it on the DBAPI cursor of the unit of work's connection (so in the
same transaction as anything else the unit of work does) and converts the columns with
SQLAlchemy's own result processors, so the values equal what the Core path returns.

Errors are raised as SQLAlchemy's (``DBAPIError.instance``), a lost connection invalidated,
as SQLAlchemy would: ``store.errors.is_transient`` reads them unchanged.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable

from sqlalchemy import Connection, Insert, Select, exc
from sqlalchemy.orm import Session

from lrs_soap.service import tracing


class _Compiled:
    def __init__(self, statement: Select, dialect):
        compiled = statement.compile(dialect=dialect)
        self.sql = str(compiled)
        self.positions = compiled.positiontup  # the bind names in order; None if named
        # Literals the statement binds itself (a separator, say): sent with every call.
        self.literals = {name: value for name, value in compiled.params.items()
                         if value is not None}
        # Values the dialect converts before binding them (a date, on SQLite), as Core does.
        self.binds = dict(compiled._bind_processors)
        columns = list(getattr(statement, "selected_columns", ()))  # none for a write
        self.processors = tuple(
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in columns)
        # (column index, processor) for the columns that need converting, and only those
        self.converting = tuple((index, process) for index, process in
                                enumerate(self.processors) if process is not None)
        self.row = namedtuple("Row", [column.key for column in columns])  # noqa: PYI024

    def parameters(self, values: dict) -> tuple | dict:
        if self.literals:
            values = self.literals | values
        if self.binds:
            values = values | {name: process(values[name])
                               for name, process in self.binds.items() if name in values}
        return values if self.positions is None else tuple(map(values.__getitem__,
                                                               self.positions))

    def convert(self, raw: tuple):
        if not self.converting:
            return self.row._make(raw)
        values = list(raw)
        for index, process in self.converting:
            values[index] = process(values[index])
        return self.row._make(values)


class Prepared:
    """A SELECT with bound parameters, compiled once per dialect. Its rows are named
    tuples whose fields are the selected columns' keys (labels). (Or an INSERT whose
    values are bound parameters, for :meth:`Reads.write`.)

    ``statement`` is the SELECT, or a function of the dialect's name giving it (for SQL
    that differs between SQLite and PostgreSQL)."""

    def __init__(self, statement: Select | Insert | Callable[[str], Select]):
        self._statement = statement
        self._compiled: dict[str, _Compiled] = {}

    @property
    def statement(self) -> Select | Insert:
        """The statement itself, for Core (one that is the same on every dialect)."""
        if callable(self._statement):
            raise TypeError("this statement differs by dialect")
        return self._statement

    def compiled(self, dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            statement = self._statement
            if callable(statement):
                statement = statement(dialect.name)
            found = self._compiled[dialect.name] = _Compiled(statement, dialect)
        return found


class Reads:
    """Prepared statements on one unit of work's connection, opened when first needed."""

    def __init__(self, connection: Callable[[], Connection]):
        self._connection = connection

    def all(self, prepared: Prepared, values: dict) -> list:
        connection = self._connection()
        compiled = prepared.compiled(connection.dialect)
        return [compiled.convert(row) for row in _run(connection, compiled, values, True)]

    def write(self, prepared: Prepared, values: dict) -> None:
        """A prepared INSERT (or UPDATE) on the same cursor. The connection's transaction is
        begun first, as Core would, so that the unit of work's commit ends it."""
        connection = self._connection()
        if not connection.in_transaction():
            connection.begin()
        _run(connection, prepared.compiled(connection.dialect), values, False)

    def first(self, prepared: Prepared, values: dict):
        rows = self.all(prepared, values)
        return rows[0] if rows else None


def _run(connection: Connection, compiled: _Compiled, values: dict, fetch: bool) -> list:
    parameters = compiled.parameters(values)
    # The "database" span store/tracing.py gives every statement (a no-op when off).
    span = tracing.start("database", {"db.system": connection.dialect.name,
                                      "db.statement": compiled.sql})
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(compiled.sql, parameters)
        return cursor.fetchall() if fetch else []
    except connection.dialect.loaded_dbapi.Error as error:
        raise _as_sqlalchemy(connection, compiled.sql, parameters, error) from error
    finally:
        cursor.close()
        span.end()


def _as_sqlalchemy(connection: Connection, sql: str, parameters, error: Exception):
    dialect = connection.dialect
    lost = dialect.is_disconnect(error, connection.connection.driver_connection, None)
    if lost:
        connection.invalidate(error)
    return exc.DBAPIError.instance(sql, parameters, error, dialect.loaded_dbapi.Error,
                                   hide_parameters=True, dialect=dialect,
                                   connection_invalidated=lost)


class Source:
    """What a hot repository is built on: a unit of work (its lazy Session and its
    :class:`Reads`), or a bare Session, as scripts and tests build them."""

    def __init__(self, source):
        self._source = source

    @property
    def session(self) -> Session:
        source = self._source
        return source if isinstance(source, Session) else source.session

    @property
    def reads(self) -> Reads:
        source = self._source
        return Reads(source.connection) if isinstance(source, Session) else source.reads

    def flushed_reads(self) -> Reads:
        """:attr:`reads`, after flushing the Session if one is open: a read on the cursor does
        not flush pending ORM work first, as the Session's own reads do."""
        source = self._source
        if isinstance(source, Session) or source.session_open:
            self.session.flush()
        return self.reads

    def write(self, prepared: Prepared, values: dict) -> None:
        """A prepared INSERT in the unit of work's transaction: through its Session when one
        is open (flushed first, so the writes keep their order), else on its connection's
        cursor, without building a Session (most of a small write's cost)."""
        source = self._source
        if isinstance(source, Session) or source.session_open:
            session = self.session
            session.flush()
            session.execute(prepared.statement, values)
        else:
            source.reads.write(prepared, values)
