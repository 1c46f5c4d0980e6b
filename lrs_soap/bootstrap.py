"""Composition root: turns Settings into ready services (engine, unit of work, clock)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, text

from lrs_soap.config import Settings
from lrs_soap.passwords import Argon2Passwords
from lrs_soap.service.context import RegistrationPolicy, ServiceContext
from lrs_soap.store.engine import create_engine, session_factory
from lrs_soap.store.unit_of_work import SqlUnitOfWork


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Runtime:
    services: ServiceContext
    engine: Engine

    def check_database(self) -> None:
        with self.engine.connect() as connection:
            connection.execute(text("SELECT 1"))

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> ServiceContext:
        return self.services

    def __exit__(self, *exc: object) -> None:
        self.close()


def build_runtime(settings: Settings) -> Runtime:
    engine = create_engine(settings.database_url)
    sessions = session_factory(engine)
    services = ServiceContext(
        uow_factory=lambda: SqlUnitOfWork(sessions),
        clock=utc_now,
        passwords=Argon2Passwords(),
        registration=RegistrationPolicy(
            search_window=dt.timedelta(seconds=settings.find_before_register_window_seconds),
            possible_match_wait=dt.timedelta(seconds=settings.possible_match_wait_seconds)),
    )
    return Runtime(services, engine)
