"""Composition root: turns Settings into ready services (engine, unit of work, clock)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, text

from lrs_soap.config import Settings
from lrs_soap.control.clock import ControlledClock, utc_now
from lrs_soap.control.harness import HarnessControl
from lrs_soap.passwords import Argon2Passwords
from lrs_soap.service.context import RegistrationPolicy, ServiceContext
from lrs_soap.store.control import SqlControlStore
from lrs_soap.store.engine import create_engine, session_factory
from lrs_soap.store.journal import SqlJournal
from lrs_soap.store.unit_of_work import SqlUnitOfWork


@dataclass(frozen=True)
class Runtime:
    services: ServiceContext
    engine: Engine
    # Harness control; None unless configured, and then nothing reads control state.
    control: HarnessControl | None = None

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
    # The one clock every use case reads: real time, or the harness's shared clock.
    clock = ControlledClock() if settings.control_enabled else utc_now
    services = ServiceContext(
        uow_factory=lambda: SqlUnitOfWork(sessions),
        detached_uow_factory=lambda: SqlUnitOfWork(sessions),
        clock=clock,
        passwords=Argon2Passwords(),
        registration=RegistrationPolicy(
            search_window=dt.timedelta(seconds=settings.find_before_register_window_seconds),
            possible_match_wait=dt.timedelta(seconds=settings.possible_match_wait_seconds)),
        journal=None if settings.journal == "off" else SqlJournal(engine),
    )
    if isinstance(clock, ControlledClock):
        return Runtime(services, engine, HarnessControl(SqlControlStore(engine), services, clock))
    return Runtime(services, engine)
