"""Tables that never break an identifier: ULNs, UKPRNs, codes, dates and numbers stay on one
line, whole, however narrow the terminal; only free text (names, subjects, reasons) wraps.

Both command-line tools print through TableConsole (lrs-client's Renderer, lrs-soap's
``out``), so the rule is in one place: a column is free text when its heading is in
FREE_TEXT (and was not added with ``no_wrap=True``), and an identifier otherwise.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

FREE_TEXT = frozenset({
    "Given", "Family", "Name", "Organisation", "Learner", "Master", "Merged", "Unmerged",
    "Subject", "Event", "Reason", "Resolution", "Rule", "Did not match", "Value", "Raised by",
    "Users", "Title", "Dates", "Provider", "Awarded by",
})


def keep_identifiers_whole(table: Table) -> Table:
    """Identifier columns: one line, never narrower than their longest value. Free text
    wraps between words, and no column is narrower than its longest word."""
    for column in table.columns:
        lines = [line for cell in (column.header, *column.cells)
                 for line in str(cell).split("\n")]
        if str(column.header) in FREE_TEXT and not column.no_wrap:  # no_wrap: said so
            column.no_wrap, column.overflow = False, "fold"
            pieces = [word for line in lines for word in line.split()]
        else:
            column.no_wrap, pieces = True, lines
        column.min_width = max([cell_len(piece) for piece in pieces] + [column.min_width or 1])
    return table


class TableConsole(Console):
    """A rich Console whose tables keep their identifiers whole, at the width the terminal
    (or COLUMNS) has when it prints: rich reads COLUMNS once, when the console is made, and
    a console made at import would keep that width for the life of the process."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kwargs.get("width") is None:
            self._width = None  # rich's own field: None makes its size read COLUMNS each time

    def print(self, *objects: Any, **kwargs: Any) -> None:
        for thing in objects:
            if isinstance(thing, Table):
                keep_identifiers_whole(thing)
        super().print(*objects, **kwargs)
