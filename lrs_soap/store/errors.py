"""Which database errors are worth retrying: the store's knowledge, handed to the service as
``ServiceContext.is_transient`` (the service knows no SQLAlchemy)."""

from __future__ import annotations

from sqlalchemy import exc

# serialization_failure, deadlock_detected, and the connection and availability classes
# (08: connection exception, 57P: operator intervention such as a restart, 53300: too many
# connections, 55000: a database not accepting connections for the moment).
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "53300", "55000"})
TRANSIENT_SQLSTATE_CLASSES = ("08", "57P")


def is_transient(error: BaseException) -> bool:
    """Connection lost or refused, serialisation failure, deadlock, a locked SQLite file."""
    if isinstance(error, exc.TimeoutError | exc.DisconnectionError):
        return True  # the pool could not hand out a connection in time
    if not isinstance(error, exc.DBAPIError):
        return False
    if error.connection_invalidated or isinstance(error, exc.InterfaceError):
        return True
    state = getattr(error.orig, "sqlstate", None) or ""
    if state in TRANSIENT_SQLSTATES or state.startswith(TRANSIENT_SQLSTATE_CLASSES):
        return True
    # Without a SQLSTATE (SQLite; psycopg when the socket broke) an OperationalError is
    # about the database's availability, never about our data.
    return isinstance(error, exc.OperationalError) and not state
