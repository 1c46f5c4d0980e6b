"""Replies on the terminal: rich tables for people, JSON for scripts, one-line errors.

Personal data (the user's own query results) goes to stdout only; errors go to stderr.
Batch files and jobs are written by job_output.py, faults by fault_output.py, both through
a :class:`Renderer`'s streams.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from .codes import FAILURE_FLAGS, response_code_line
from .replydata import cell, is_empty, to_data
from .tables import TableConsole

PROG = "lrs-client"

# The compact learner table (find-by-demographics): column heading, Learner element. It fits
# 80 columns (a pipe) unless the names are long; long names fold onto a second line.
LEARNER_COLUMNS = (
    ("ULN", "ULN"),
    ("Given", "GivenName"),
    ("Family", "FamilyName"),
    ("DOB", "DateOfBirth"),
    ("Gender", "Gender"),
    ("Postcode", "LastKnownPostCode"),
    ("Master\nsubst.", "MasterSubstituted"),
    ("Linked\nULNs", "LinkedULNs"),
)


class Renderer:
    """Writes replies and errors; streams are looked up at call time (capsys-friendly)."""

    def __init__(self, json_mode: bool = False, *, stdout: TextIO | None = None,
                 stderr: TextIO | None = None) -> None:
        self.json_mode = json_mode
        self._stdout = stdout
        self._stderr = stderr

    @property
    def stdout(self) -> TextIO:
        return self._stdout or sys.stdout

    @property
    def stderr(self) -> TextIO:
        return self._stderr or sys.stderr

    # ----- replies --------------------------------------------------------------------------

    def reply(self, reply: Any) -> None:
        """Any operation's reply: ResponseCode first, then one table per record in it."""
        data = to_data(reply)
        if self.json_mode:
            self.print_json(data)
            return
        console = self.console()
        for key, value in data.items():
            if key == "ResponseCode":
                console.print(response_code_line(value))
            elif isinstance(value, dict):
                console.print(self.record_table(key, value))
            elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
                for number, record in enumerate(value, start=1):
                    console.print(self.record_table(f"{key} {number} of {len(value)}", record))
            elif not is_empty(value):  # a long Reason is left for the terminal to wrap
                console.print(Text(f"{key}: {cell(value)}"), soft_wrap=True)

    def answer(self, data: dict[str, Any], show: Callable[[Console], None] | None = None,
               labels: Mapping[str, str] | None = None) -> None:
        """A reply already turned into data: all of it as JSON, or its response code (named
        by ``labels`` first, see codes.py) and then whatever ``show`` prints."""
        if self.json_mode:
            self.print_json(data)
            return
        console = self.console()
        console.print(response_code_line(data["ResponseCode"], labels))
        if show is not None:
            show(console)

    def learners(self, reply: Any) -> None:
        """A reply holding ``Learner`` records (FindByDemographics): one compact row each.

        JSON mode prints the whole reply (the Demographics echo and every Learner field).
        """
        data = to_data(reply)

        def show(console: Console) -> None:
            if data.get("Learner"):
                console.print(self.learner_table(data["Learner"]))
        self.answer(data, show)

    def verification(self, reply: Any) -> None:
        """A VerifyLearnerDetails reply: the code, each FailureFlag explained, the learner."""
        data = to_data(reply)

        def show(console: Console) -> None:
            flags = data.get("FailureFlag") or []
            if flags:
                table = Table(title="FailureFlag (supplied vs held)", title_justify="left")
                table.add_column("Flag", no_wrap=True)
                table.add_column("Did not match", overflow="fold")
                for flag in flags:
                    table.add_row(Text(flag), Text(FAILURE_FLAGS.get(flag, "")))
                console.print(table)
            if data.get("VerifiedLearner"):
                console.print(self.record_table("VerifiedLearner", data["VerifiedLearner"]))
        self.answer(data, show)

    @staticmethod
    def learner_table(learners: list[dict[str, Any]]) -> Table:
        """One row per learner, in the order the service ranked them."""
        title = "1 learner" if len(learners) == 1 else f"{len(learners)} learners"
        table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD, show_edge=False,
                      pad_edge=False, collapse_padding=True)
        for heading, name in LEARNER_COLUMNS:
            wrap = name in ("GivenName", "FamilyName")
            table.add_column(heading, no_wrap=not wrap, overflow="fold")
        for learner in learners:
            cells = []
            for _, name in LEARNER_COLUMNS:
                value = learner.get(name)
                if isinstance(value, list):  # one linked ULN a line keeps the table narrow
                    cells.append(Text("\n".join(cell(item) for item in value)))
                else:
                    cells.append(Text("" if value is None else cell(value)))
            table.add_row(*cells)
        return table

    @staticmethod
    def record_table(title: str, record: dict[str, Any]) -> Table:
        """Field / value rows in contract order; empty optional fields left out."""
        table = Table(title=title, title_justify="left")
        table.add_column("Field", no_wrap=True)
        table.add_column("Value", overflow="fold")
        for name, value in record.items():
            if not is_empty(value):
                table.add_row(Text(name), Text(cell(value)))
        return table

    # ----- errors ------------------------------------------------------------------------------

    def error(self, message: str) -> None:
        """A one-line error on stderr (also in --json mode: stdout stays empty)."""
        print(f"{PROG}: {message}", file=self.stderr)

    def console(self) -> Console:
        return TableConsole(file=self.stdout, highlight=False)

    def print_json(self, data: Any) -> None:
        print(json.dumps(data, indent=2, ensure_ascii=False), file=self.stdout)
