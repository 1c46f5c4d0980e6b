"""The clock port's state: frozen, moved, running from a given time, and stored as JSON."""

from __future__ import annotations

import datetime as dt

import time_machine

from lrs_soap.control.clock import ClockState, ControlledClock

NINE = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


def test_a_real_clock_shows_the_real_time():
    with time_machine.travel(NINE, tick=False):
        assert ClockState().now() == NINE
        assert ControlledClock()() == NINE


def test_a_frozen_clock_stays_put_while_real_time_passes():
    clock = ControlledClock()
    clock.state = ClockState().frozen(NINE)
    with time_machine.travel(NINE + dt.timedelta(days=3), tick=False):
        assert clock() == NINE


def test_moving_a_frozen_clock_keeps_it_frozen():
    state = ClockState().frozen(NINE).moved(dt.timedelta(hours=2))
    assert state.frozen_at == dt.datetime(2026, 9, 1, 11, 0, tzinfo=dt.UTC)


def test_moving_a_running_clock_keeps_it_running_ahead():
    with time_machine.travel(NINE, tick=False) as traveller:
        clock = ControlledClock()
        clock.state = ClockState().moved(dt.timedelta(minutes=90))
        assert clock() == dt.datetime(2026, 9, 1, 10, 30, tzinfo=dt.UTC)
        traveller.shift(dt.timedelta(seconds=10))
        assert clock() == dt.datetime(2026, 9, 1, 10, 30, 10, tzinfo=dt.UTC)


def test_running_from_a_given_time_then_ticks():
    with time_machine.travel(NINE, tick=False) as traveller:
        clock = ControlledClock()
        clock.state = ClockState().running_from(dt.datetime(2020, 1, 1))  # naive: UTC
        assert clock() == dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        traveller.shift(dt.timedelta(seconds=5))
        assert clock() == dt.datetime(2020, 1, 1, 0, 0, 5, tzinfo=dt.UTC)


def test_state_survives_json():
    for state in (ClockState(), ClockState().frozen(NINE),
                  ClockState(None, dt.timedelta(seconds=-30.5))):
        assert ClockState.from_json(state.as_json()) == state
    assert ClockState.from_json(None) == ClockState()
    assert ClockState().real and not ClockState().frozen(NINE).real
