"""`lrs-soap seed learners --count N`: synthetic learners for load and matching tests."""

from __future__ import annotations

import argparse
import datetime as dt

from rich.progress import Progress

from lrs_soap.entrypoints.cli.common import (
    add_database_options,
    err,
    out,
    settings_from,
    whole_number,
)


def register(commands: argparse._SubParsersAction) -> None:
    seed = commands.add_parser("seed", help="synthetic data for load and matching tests")
    actions = seed.add_subparsers(dest="action", required=True)
    learners = actions.add_parser(
        "learners", help="realistic synthetic learners (near-duplicates and merged pairs too)")
    add_database_options(learners)
    learners.add_argument("--count", type=whole_number(1), required=True)
    learners.add_argument("--seed", type=int, default=0,
                          help="the same seed gives the same learners (default 0)")
    seed.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lrs_soap.store import migrate
    from lrs_soap.store.engine import create_engine
    from lrs_soap.store.seed import seed_learners

    settings = settings_from(args)
    migrate.upgrade(settings.database_url)
    engine = create_engine(settings.database_url)
    with Progress(console=err, transient=True) as progress:
        task = progress.add_task("seeding learners", total=args.count)
        try:
            report = seed_learners(engine, args.count, seed=args.seed,
                                   now=dt.datetime.now(dt.UTC),
                                   progress=lambda done: progress.update(task, completed=done))
        finally:
            engine.dispose()
    out.print(f"seeded {report.inserted} learners ({report.merged} merged into a master, "
              f"{report.skipped} skipped as already issued) in {report.seconds:.1f} s "
              f"({report.rows_per_second:,.0f} a second)")
    return 0
