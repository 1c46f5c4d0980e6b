"""`lrs-soap control reset|load|export|clock|batches|faults|seed`: steer a gateway under test."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from lrs_soap.entrypoints.cli.common import add_database_options, err, out, settings_from
from lrs_soap.service.accounts import AdminError
from lrs_soap.service.context import BATCH_MODES

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
    batches = actions.add_parser(
        "batches", help="normal, immediate (done within Submit), hold, delay SECONDS, fail")
    batches.add_argument("mode", choices=BATCH_MODES)
    batches.add_argument("seconds", nargs="?", type=float, default=0.0)
    faults = actions.add_parser("faults", help="list, add or clear injected faults")
    fault_actions = faults.add_subparsers(dest="fault_action", required=True)
    fault_actions.add_parser("list", help="the armed faults")
    add = fault_actions.add_parser(
        "add", help="the next N calls answer: fault CODE, http STATUS, delay MS, drop")
    add.add_argument("kind", choices=("fault", "http", "delay", "drop"))
    add.add_argument("value", nargs="?", help="WSEC code (fault), 500/502/503/504 (http), "
                                              "milliseconds (delay)")
    add.add_argument("--count", type=int, default=1, help="how many calls (default 1)")
    add.add_argument("--operation", help="only this operation (e.g. FindByULN, learnerByULN)")
    add.add_argument("--organisation", help="only calls naming this UKPRN or OrganisationRef")
    clear = fault_actions.add_parser("clear", help="clear every fault, or one by its id")
    clear.add_argument("id", nargs="?", type=int)
    seed = actions.add_parser("seed", help="mint ULNs and JobIDs from a seed (or 'off')")
    seed.add_argument("seed", help="a whole number, or off")
    for sub in (reset, load, export, clock, batches, faults, seed):
        add_database_options(sub)
    group.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lrs_soap.bootstrap import build_runtime
    from lrs_soap.control.faults import FaultRuleError
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
            out.print("loaded " + ", ".join(f"{n} {name}" for name, n in counts.items()),
                      soft_wrap=True)  # one line, whatever the width
        elif args.action == "export":
            text = control.export_fixture()
            if args.output:
                args.output.write_text(text, encoding="utf-8")
            else:
                sys.stdout.write(text)
        elif args.action == "batches":
            timing = control.set_batch_timing(args.mode, args.seconds)
            out.print(f"batches: {timing.mode}" + (f" {timing.seconds:g} s"
                                                   if timing.mode == "delay" else ""))
        elif args.action == "faults":
            _faults(control, args)
        elif args.action == "seed":
            value = None if args.seed == "off" else _whole(args.seed)
            control.set_seed(value)
            out.print("minting unpredictably" if value is None else f"minting from seed {value}")
        else:
            out.print(_clock(control, args.clock_action, args.value))
    except (FixtureError, FaultRuleError, ValueError) as error:
        raise AdminError(str(error)) from None
    finally:
        runtime.close()
    return 0


def _whole(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise AdminError(f"a seed is a whole number or off, not {text!r}") from None


def _faults(control, args: argparse.Namespace) -> None:
    if args.fault_action == "add":
        value = args.value
        if args.kind == "delay" and not (value or "").isdigit():
            raise AdminError("delay needs milliseconds, e.g. faults add delay 2000")
        rule = control.add_fault(
            action=args.kind, code=value if args.kind in ("fault", "http") else None,
            delay_ms=int(value) if args.kind == "delay" else None, count=args.count,
            operation=args.operation, organisation=args.organisation)
        out.print(f"armed {rule.describe()}")
    elif args.fault_action == "clear":
        out.print(f"cleared {control.clear_faults(args.id)} armed fault(s)")
    else:
        rules = control.faults()
        for rule in rules:
            out.print(rule.describe())
        if not rules:
            out.print("no faults armed")


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
