"""The service clock: real time, or frozen, or moved, for every process at once.

The state lives in the database (store.control) and each process reads it at the start of a
request or a worker's round (``refresh``); between refreshes ``now()`` is one comparison
away from ``datetime.now``. Without control configured the composition root hands out
``utc_now`` itself, and nothing here runs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SETTING = "clock"


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class ClockState:
    frozen_at: dt.datetime | None = None
    offset: dt.timedelta = dt.timedelta(0)

    @property
    def real(self) -> bool:
        return self.frozen_at is None and not self.offset

    def now(self) -> dt.datetime:
        return self.frozen_at if self.frozen_at is not None else utc_now() + self.offset

    def frozen(self, at: dt.datetime | None = None) -> ClockState:
        """Stopped at ``at`` (default: the time it shows now)."""
        return ClockState(aware(at) if at is not None else self.now())

    def moved(self, by: dt.timedelta) -> ClockState:
        """Moved forward (or back) by ``by``, frozen or running as it was."""
        if self.frozen_at is not None:
            return ClockState(self.frozen_at + by)
        return ClockState(None, self.offset + by)

    def running_from(self, at: dt.datetime) -> ClockState:
        """Running again, showing ``at`` now."""
        return ClockState(None, aware(at) - utc_now())

    def as_json(self) -> dict:
        return {"frozen_at": self.frozen_at.isoformat() if self.frozen_at else None,
                "offset_seconds": self.offset.total_seconds()}

    @classmethod
    def from_json(cls, value: dict | None) -> ClockState:
        if not value:
            return cls()
        frozen = value.get("frozen_at")
        return cls(dt.datetime.fromisoformat(frozen) if frozen else None,
                   dt.timedelta(seconds=float(value.get("offset_seconds") or 0)))


def aware(moment: dt.datetime) -> dt.datetime:
    """A naive datetime is taken as UTC (a harness's fixture file rarely says)."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


class ControlledClock:
    """ports.Clock whose state is refreshed from the shared control state."""

    def __init__(self) -> None:
        self.state = ClockState()

    def __call__(self) -> dt.datetime:
        state = self.state
        if state.frozen_at is not None:
            return state.frozen_at
        return utc_now() + state.offset


_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(text: str) -> dt.timedelta:
    """``90``, ``90s``, ``-15m``, ``2h``, ``1d`` (seconds when no unit is given)."""
    value = text.strip().lower()
    unit = value[-1:] if value[-1:] in _UNITS else "s"
    number = value[:-1] if value[-1:] in _UNITS else value
    try:
        return dt.timedelta(seconds=float(number) * _UNITS[unit])
    except ValueError:
        raise ValueError(f"not a duration: {text!r} (say 90s, -15m, 2h or 1d)") from None


def parse_moment(text: str) -> dt.datetime:
    """An ISO 8601 date or date-time; without a zone it is UTC."""
    try:
        return aware(dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00")))
    except ValueError:
        raise ValueError(f"not an ISO 8601 date-time: {text!r} "
                         "(say 2026-09-01T09:00:00Z)") from None
