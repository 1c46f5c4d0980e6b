"""Composition root: turns Settings into ready services (engine, unit of work, clock)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, text

from lrs_soap.config import Settings
from lrs_soap.control.clock import ControlledClock, utc_now
from lrs_soap.control.draws import SeededRandomness
from lrs_soap.control.harness import ControlledBatchTiming, HarnessControl
from lrs_soap.passwords import Argon2Passwords
from lrs_soap.record_elements import element_label
from lrs_soap.service.context import RegistrationPolicy, ServiceContext
from lrs_soap.service.randomness import SecureRandomness
from lrs_soap.store.control import SqlControlStore
from lrs_soap.store.engine import create_engine, session_factory
from lrs_soap.store.errors import is_transient
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
        if isinstance(self.services.journal, SqlJournal):
            self.services.journal.close()  # its held connection, before the pool goes
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
        detached_uow_factory=lambda: SqlUnitOfWork(sessions),
        is_transient=is_transient,
        clock=utc_now,  # the one clock every use case reads
        passwords=Argon2Passwords(),
        registration=RegistrationPolicy(
            search_window=dt.timedelta(seconds=settings.find_before_register_window_seconds),
            possible_match_wait=dt.timedelta(seconds=settings.possible_match_wait_seconds)),
        journal=None if settings.journal == "off" else SqlJournal(
            engine, sole_writer=settings.workers == 1),
        randomness=SecureRandomness(),
        field_label=element_label,
    )
    if not settings.control_enabled:
        return Runtime(services, engine)
    # Harness control: the clock, batch timing and minting follow the shared control state.
    clock, timing, draws = ControlledClock(), ControlledBatchTiming(), SeededRandomness()
    services = dataclasses.replace(services, clock=clock, batch_timing=timing,
                                   randomness=draws, blocked_sign_ins=None)
    control = HarnessControl(SqlControlStore(engine), services, clock, timing, draws)
    return Runtime(services, engine, control)
