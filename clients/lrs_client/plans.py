"""ULN Learner Plans (OLASS): plan, save-plan, plans, share-plan."""

from __future__ import annotations

import argparse
from typing import Any

from rich.table import Table
from rich.text import Text

from .codes import response_code_line
from .connection import Connection
from .learners import date_error
from .plr import add_identity, add_paging, cell_text, counted, identity
from .render import Renderer
from .replydata import to_data

AIM_HELP = ("REF:START:END:STATUS[:OUTCOME], e.g. 500/9999/1:2025-09-01:2026-03-31:IN_LEARNING; "
            "STATUS PLANNED, IN_LEARNING, COMPLETED or WITHDRAWN; repeat for each aim")


def aim(text: str) -> dict[str, Any]:
    parts = text.split(":", 4)
    if len(parts) < 4:
        raise argparse.ArgumentTypeError(f"{text!r}: expected {AIM_HELP}")
    reference, start, end, status = parts[:4]
    for value in (start, end):
        if problem := date_error(value):
            raise argparse.ArgumentTypeError(f"{value!r}: {problem}")
    found = {"Reference": reference, "PlannedStartDate": start, "PlannedEndDate": end,
             "Status": status.upper()}
    if len(parts) == 5 and parts[4]:
        found["Outcome"] = parts[4]
    return found


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]
             ) -> None:
    show = subparsers.add_parser(
        "plan", parents=parents, help="a learner's plans (GetLearnerPlans; OLASS)",
        description="The learner's plans your organisation made or that were shared with it, "
                    "with aims and the history of changes. The learner is identified as for "
                    "get-learner-record. WSRC0004 some, WSRC0001 none, WSEC0208 not verified.")
    add_identity(show)
    show.set_defaults(handler=get_plans)

    save = subparsers.add_parser(
        "save-plan", parents=parents, help="create or change a learner plan (SaveLearnerPlan)",
        description="Save the whole plan: goals, notes and every aim (a save replaces them). "
                    "Without --version a new plan is created; to change yours, give the "
                    "Version `plan` showed: if someone saved since, WSRC0013 shows their plan "
                    "and nothing of yours is kept.")
    add_identity(save)
    save.add_argument("--version", type=int, metavar="N", help="the Version you read")
    save.add_argument("--goals")
    save.add_argument("--notes")
    save.add_argument("--aim", type=aim, action="append", default=[], help=AIM_HELP)
    save.set_defaults(handler=save_plan)

    listing = subparsers.add_parser(
        "plans", parents=parents, help="your organisation's learner plans (ListLearnerPlans)")
    add_paging(listing)
    listing.set_defaults(handler=list_plans)

    share = subparsers.add_parser(
        "share-plan", parents=parents,
        help="let another OLASS organisation read your plan (ShareLearnerPlan)")
    share.add_argument("plan_id", metavar="PLAN_ID", type=int)
    share.add_argument("ukprn", metavar="UKPRN")
    share.set_defaults(handler=share_plan)


def show_plan(console, plan: dict[str, Any]) -> None:
    console.print(Text(f"Plan {plan['PlanID']} of {plan['Organisation']} for ULN {plan['ULN']}"
                       f", Version {plan['Version']} (saved {plan['UpdatedDateTime']} by "
                       f"{plan['UpdatedBy']})"))
    for name in ("Goals", "Notes"):
        if plan.get(name):
            console.print(Text(f"{name}: {plan[name]}"), soft_wrap=True)
    aims = Table(title=counted(len(plan.get("Aim") or []), "aim"), title_justify="left")
    for column in ("Reference", "Title", "Start", "End", "Status", "Outcome"):
        aims.add_column(column, overflow="fold")
    for item in plan.get("Aim") or []:
        aims.add_row(*(Text(cell_text(item.get(name))) for name in (
            "Reference", "Title", "PlannedStartDate", "PlannedEndDate", "Status", "Outcome")))
    console.print(aims)
    history = Table(title="History", title_justify="left")
    for column in ("Version", "When (UTC)", "Who", "What"):
        history.add_column(column, overflow="fold")
    for change in plan.get("History") or []:
        history.add_row(Text(cell_text(change["Version"])),
                        Text(cell_text(change["DateTime"])[:16].replace("T", " ")),
                        Text(f"{change['UserName']} ({change['Organisation']})"),
                        Text("; ".join(change.get("Change") or [])))
    console.print(history)


def _answer(out: Renderer, data: dict[str, Any]) -> int:
    def show(console) -> None:
        if data.get("Reason"):
            console.print(Text(f"Reason: {data['Reason']}"), soft_wrap=True)
        plans = data.get("Plan")
        for plan in plans if isinstance(plans, list) else [plans] if plans else []:
            show_plan(console, plan)
    out.answer(data, show)
    return 0


def get_plans(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    return _answer(out, to_data(conn.call("GetLearnerPlans", **identity(args))))


def save_plan(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    request: dict[str, Any] = {**identity(args), "Aim": args.aim}
    for name, value in (("Version", args.version), ("Goals", args.goals),
                        ("Notes", args.notes)):
        if value is not None:
            request[name] = value
    return _answer(out, to_data(conn.call("SaveLearnerPlan", **request)))


def list_plans(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    data = to_data(conn.call("ListLearnerPlans", Page=args.page, PageSize=args.page_size))
    if out.json_mode:
        out.print_json(data)
        return 0
    console = out.console()
    console.print(response_code_line(data["ResponseCode"]))
    table = Table(title=f"{counted(data['TotalItems'], 'plan')}, page {data['PageIndex']} of "
                        f"{max(1, data['PageCount'])}", title_justify="left")
    for column in ("Plan", "ULN", "Organisation", "Version", "Aims", "Saved (UTC)"):
        table.add_column(column, overflow="fold")
    for plan in data.get("Plan") or []:
        table.add_row(*(Text(cell) for cell in (
            cell_text(plan["PlanID"]), plan["ULN"], plan["Organisation"],
            cell_text(plan["Version"]), cell_text(len(plan.get("Aim") or [])),
            cell_text(plan["UpdatedDateTime"])[:16].replace("T", " "))))
    console.print(table)
    return 0


def share_plan(args: argparse.Namespace, conn: Connection, out: Renderer) -> int:
    return _answer(out, to_data(conn.call("ShareLearnerPlan", PlanID=args.plan_id,
                                          UKPRN=args.ukprn)))
