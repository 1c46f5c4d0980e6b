"""What a test harness steers, in one object: the clock, resets, fixtures, batch timing,
the minting seed and injected faults.

Built by the composition root when control is on (LRS_CONTROL=on or an admin token); the
CLI, the admin API and the pytest plugin all call this object, never the tables.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from lrs_soap.control import fixture_export, fixture_file, fixtures
from lrs_soap.control.atomic import held
from lrs_soap.control.clock import SETTING as CLOCK
from lrs_soap.control.clock import ClockState, ControlledClock
from lrs_soap.control.draws import SETTING as MINT
from lrs_soap.control.draws import SeededRandomness
from lrs_soap.control.faults import FaultRule, checked
from lrs_soap.service import demo, journal
from lrs_soap.service.context import BATCH_MODES, NORMAL_BATCHES, BatchTiming, ServiceContext
from lrs_soap.service.journal_ports import JournalEntry, JournalQuery
from lrs_soap.store import snapshots
from lrs_soap.store.control import SqlControlStore

NAMED_STATES = ("empty", "demo")
BATCHES, FAULTS = "batches", "faults"  # setting names (FAULTS: "some rule may be armed")
# Snapshots of named states and fixture files, built once per process and reused: a reset
# then costs a delete and an insert per table.
_SNAPSHOTS: dict[tuple, snapshots.Snapshot] = {}


@dataclass(frozen=True)
class ResetReport:
    state: str
    rows: int
    seconds: float
    cached: bool


class ControlledBatchTiming:
    """The ``batch_timing`` port: the shared setting as last refreshed."""

    def __init__(self) -> None:
        self.state = NORMAL_BATCHES

    def __call__(self) -> BatchTiming:
        return self.state


class HarnessControl:
    def __init__(self, store: SqlControlStore, services: ServiceContext,
                 clock: ControlledClock, timing: ControlledBatchTiming,
                 draws: SeededRandomness):
        self.store = store
        self.services = services
        self.clock, self.timing, self.draws = clock, timing, draws
        self.armed_faults: list[FaultRule] = []
        self._dialect = store.dialect

    # ----- shared state, read at the start of each request and worker round -----

    def refresh(self) -> None:
        """One query; a second one only while fault rules may be armed."""
        settings = self.store.settings()
        self.clock.state = ClockState.from_json(settings.get(CLOCK))
        batches = settings.get(BATCHES) or {}
        self.timing.state = BatchTiming(batches.get("mode", "normal"),
                                        float(batches.get("seconds", 0)))
        self.draws.seed = (settings.get(MINT) or {}).get("seed")
        self.armed_faults = self.faults() if settings.get(FAULTS) else []

    def describe(self) -> dict:
        self.refresh()
        return {"clock": {"now": self.clock().isoformat(), **self.clock.state.as_json()},
                "batches": self.timing.state.as_json(), "seed": self.draws.seed,
                "faults": [rule.as_json() for rule in self.armed_faults]}

    # ----- batch timing, minting seed, faults -----

    def set_batch_timing(self, mode: str, seconds: float = 0.0) -> BatchTiming:
        if mode not in BATCH_MODES:
            raise ValueError(f"batch mode must be one of {', '.join(BATCH_MODES)}")
        if mode == "delay" and not 0 < seconds <= 86_400:
            raise ValueError("delay needs seconds from 1 to 86400")
        timing = BatchTiming(mode, seconds if mode == "delay" else 0.0)
        self.store.put_setting(BATCHES, None if mode == "normal" else timing.as_json())
        self.timing.state = timing
        return timing

    def set_seed(self, seed: int | None) -> None:
        """Mint ULNs and JobIDs from ``seed`` (None: unpredictably), counting from here."""
        self.store.put_setting(MINT, None if seed is None else {"seed": seed})
        self.draws.seed = seed

    def add_fault(self, **rule: object) -> FaultRule:
        columns = checked(**rule)
        fault_id = self.store.add_fault(**columns, now=self.clock())
        self.store.put_setting(FAULTS, {"armed": True})
        return next(r for r in self.faults() if r.id == fault_id)

    def faults(self) -> list[FaultRule]:
        return [FaultRule(**{k: v for k, v in row.items() if k != "created_at"})
                for row in self.store.faults()]

    def clear_faults(self, fault_id: int | None = None) -> int:
        cleared = self.store.clear_faults(fault_id)
        if not self.store.faults():
            self.store.put_setting(FAULTS, None)
        self.armed_faults = self.faults()
        return cleared

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

    # ----- the request journal -----

    def journal(self, query: JournalQuery | None = None,
                **filters: object) -> list[JournalEntry]:
        """The calls the gateway received, oldest first (a reset empties the journal): a
        JournalQuery, or its fields, e.g. ``journal(operation="FindByULN",
        organisation="10000001", after_id=41)``. Raises JournalOff when LRS_JOURNAL=off."""
        if query is None:
            query = JournalQuery(**filters)
        elif filters:
            raise TypeError("give a JournalQuery or its fields, not both")
        return journal.find_calls(self.services, query)

    # ----- reset and fixtures -----

    def reset(self, state: str | Path = "empty") -> ResetReport:
        """Replace every row (control state included, except the minting seed, whose draws
        start again) with a named state or a fixture file, in one transaction. The first
        reset to a state loads it through the service layer; later ones restore its
        snapshot."""
        return self._reset(str(state), *self._state(state))

    def reset_text(self, text: str, name: str = "fixture") -> ResetReport:
        """Reset to a fixture given as text (the admin API's request body)."""
        digest = hashlib.sha256(text.encode()).hexdigest()
        sections = fixture_file.parse(text, name)
        return self._reset(name, (self._dialect, "text", digest),
                           lambda services: fixtures.load(services, sections))

    def _reset(self, state: str, key: tuple, load) -> ResetReport:
        started = time.perf_counter()
        seed = (self.store.settings().get(MINT) or {}).get("seed")
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
        if seed is not None:
            self.set_seed(seed)
        self.refresh()
        return ResetReport(state, snapshot.count(), time.perf_counter() - started, cached)

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
