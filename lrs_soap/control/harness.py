"""What a test harness steers, in one object: the clock, resets and fixtures.

Built by the composition root when control is on (LRS_CONTROL=on or an admin token); the
CLI, the admin API and the pytest plugin all call this object, never the tables.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from lrs_soap.control import fixture_export, fixture_file, fixtures
from lrs_soap.control.atomic import held
from lrs_soap.control.clock import SETTING as CLOCK
from lrs_soap.control.clock import ClockState, ControlledClock
from lrs_soap.service import demo
from lrs_soap.service.context import ServiceContext
from lrs_soap.store import snapshots
from lrs_soap.store.control import SqlControlStore

NAMED_STATES = ("empty", "demo")
# Snapshots of named states and fixture files, built once per process and reused: a reset
# then costs a delete and an insert per table.
_SNAPSHOTS: dict[tuple, snapshots.Snapshot] = {}


@dataclass(frozen=True)
class ResetReport:
    state: str
    rows: int
    seconds: float
    cached: bool


class HarnessControl:
    def __init__(self, store: SqlControlStore, services: ServiceContext,
                 clock: ControlledClock):
        self.store = store
        self.services = services
        self.clock = clock
        self._dialect = store.dialect

    # ----- shared state, read at the start of each request and worker round -----

    def refresh(self) -> None:
        settings = self.store.settings()
        self.clock.state = ClockState.from_json(settings.get(CLOCK))

    # ----- the clock -----

    def clock_state(self) -> ClockState:
        return ClockState.from_json(self.store.settings().get(CLOCK))

    def _set_clock(self, state: ClockState) -> ClockState:
        self.store.put_setting(CLOCK, None if state.real else state.as_json())
        self.clock.state = state
        return state

    def freeze(self, at: dt.datetime | None = None) -> ClockState:
        return self._set_clock(self.clock_state().frozen(at))

    def move(self, by: dt.timedelta) -> ClockState:
        return self._set_clock(self.clock_state().moved(by))

    def run_from(self, at: dt.datetime) -> ClockState:
        return self._set_clock(self.clock_state().running_from(at))

    def real_time(self) -> ClockState:
        return self._set_clock(ClockState())

    # ----- reset and fixtures -----

    def reset(self, state: str | Path = "empty") -> ResetReport:
        """Replace every row (control state included) with a named state or a fixture file,
        in one transaction. The first reset to a state loads it through the service layer;
        later ones restore its snapshot."""
        started = time.perf_counter()
        key, load = self._state(state)
        snapshot = _SNAPSHOTS.get(key)
        cached = snapshot is not None
        with self.services.uow_factory() as uow:
            snapshots.restore(uow, snapshot or snapshots.EMPTY)
            if snapshot is None:
                self.clock.state = ClockState()  # loaded at real time, like a fresh database
                load(held(self.services, uow))
                snapshot = snapshots.take(uow)
            uow.commit()
        _SNAPSHOTS[key] = snapshot
        self.refresh()
        return ResetReport(str(state), snapshot.count(), time.perf_counter() - started, cached)

    def _state(self, state: str | Path):
        if str(state) == "empty":
            return ("empty",), lambda services: None
        if str(state) == "demo":
            return (self._dialect, "demo"), demo.load
        path = Path(state)
        if not path.is_file():
            raise fixture_file.FixtureError(
                f"{state}: neither a named state ({', '.join(NAMED_STATES)}) nor a fixture file")
        stat = path.stat()  # the file is read only when its snapshot is not cached
        return ((self._dialect, str(path.resolve()), stat.st_mtime_ns, stat.st_size),
                lambda services: fixtures.load(services, fixture_file.read(path)))

    def load_fixture(self, source: str | Path, *, text: str | None = None) -> dict[str, int]:
        """Add a fixture (a file, or ``text`` named ``source``) to what is there, whole or
        not at all."""
        sections = (fixture_file.parse(text, str(source)) if text is not None
                    else fixture_file.read(source))
        with self.services.uow_factory() as uow:
            counts = fixtures.load(held(self.services, uow), sections)
            uow.commit()
        return counts

    def export_fixture(self) -> str:
        with self.services.uow_factory() as uow:
            return fixture_export.export(snapshots.take(uow).rows)
