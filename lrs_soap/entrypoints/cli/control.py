"""`lrs-soap control reset|load|export|clock`: steer a gateway under test (LRS_CONTROL=on)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lrs_soap.entrypoints.cli.common import add_database_options, err, out, settings_from
from lrs_soap.service.accounts import AdminError

CLOCK_ACTIONS = ("show", "freeze", "move", "run-from", "real")


def register(commands: argparse._SubParsersAction) -> None:
    group = commands.add_parser(
        "control", help="harness control: reset, fixtures, the clock (servers started with "
                        "LRS_CONTROL=on follow it)")
    actions = group.add_subparsers(dest="action", required=True)
    reset = actions.add_parser("reset", help="replace everything with empty, demo or a "
                                              "fixture file (control state too)")
    reset.add_argument("state", help="empty, demo or a fixture file (docs/fixtures.md)")
    load = actions.add_parser("load", help="add a fixture file to what is there")
    load.add_argument("fixture", type=Path)
    export = actions.add_parser("export", help="write the current state as a fixture")
    export.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    clock = actions.add_parser(
        "clock", help="show, freeze [AT], move BY (90s, -15m, 2h, 1d), run-from AT, real")
    clock.add_argument("clock_action", choices=CLOCK_ACTIONS, nargs="?", default="show")
    clock.add_argument("value", nargs="?", help="a date-time (freeze, run-from) or a "
                                                "duration (move)")
    for sub in (reset, load, export, clock):
        add_database_options(sub)
    group.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lrs_soap.bootstrap import build_runtime
    from lrs_soap.control.fixture_file import FixtureError

    settings = settings_from(args).with_overrides(control="on")
    if os.environ.get("LRS_CONTROL", "off") != "on" and args.action == "clock":
        err.print("[yellow]note:[/yellow] a server follows the shared clock only when "
                  "started with LRS_CONTROL=on")
    runtime = build_runtime(settings)
    try:
        control = runtime.control
        if args.action == "reset":
            report = control.reset(args.state)
            out.print(f"reset to {report.state}: {report.rows} rows in "
                      f"{report.seconds * 1000:.0f} ms")
        elif args.action == "load":
            counts = control.load_fixture(args.fixture)
            out.print("loaded " + ", ".join(f"{n} {name}" for name, n in counts.items()))
        elif args.action == "export":
            text = control.export_fixture()
            if args.output:
                args.output.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        else:
            out.print(_clock(control, args.clock_action, args.value))
    except (FixtureError, ValueError) as error:
        raise AdminError(str(error)) from None
    finally:
        runtime.close()
    return 0


def _clock(control, action: str, value: str | None) -> str:
    from lrs_soap.control.clock import parse_duration, parse_moment

    if action in ("move", "run-from") and not value:
        raise AdminError(f"clock {action} needs a value")
    if action == "freeze":
        state = control.freeze(parse_moment(value) if value else None)
    elif action == "move":
        state = control.move(parse_duration(value))
    elif action == "run-from":
        state = control.run_from(parse_moment(value))
    elif action == "real":
        state = control.real_time()
    else:
        state = control.clock_state()
    shown = state.now().isoformat(timespec="seconds")
    if state.real:
        return f"real time: {shown}"
    if state.frozen_at is not None:
        return f"frozen at {shown}"
    return f"running, {state.offset.total_seconds():+.0f} s from real time: {shown}"
