"""Persistence: SQLAlchemy models, repositories and the unit of work (sqlalchemy lives here
and in migrations/ only)."""

from lrs_soap.store.engine import create_engine, session_factory
from lrs_soap.store.unit_of_work import SqlUnitOfWork

__all__ = ["SqlUnitOfWork", "create_engine", "session_factory"]
