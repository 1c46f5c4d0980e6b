"""A CSV batch file: row 1 the headings (exactly the record type's element names, in
contract order), row 2 the header record, rows 3 onwards one record each
(docs/batch-files.md)."""

from __future__ import annotations

import csv
import io

from .batchkinds import HEADER, HEADINGS, KINDS, STRUCTURE, BatchFile, Kind, add_record


def csv_rows(batch: BatchFile, data: bytes) -> list[tuple[int, list[str]]] | None:
    """(first line, cells) of each row; blank rows are skipped."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        batch.readable = False
        batch.error(line, 0, "", "the file is not UTF-8 text", STRUCTURE)
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if any(cell != "" for cell in cells):
                rows.append((start, cells))
    except csv.Error as exc:
        batch.readable = False
        batch.error(reader.line_num, 0, "", f"not valid CSV: {exc}", STRUCTURE)
        return None
    return rows


def kind_of_csv(rows: list[tuple[int, list[str]]] | None) -> Kind | None:
    if not rows:
        return None
    headings = set(rows[0][1])
    scores = {kind: len(headings & set(kind.fields)) for kind in KINDS.values()}
    best = max(scores.values())
    matching = [kind for kind, score in scores.items() if score == best]
    return matching[0] if best >= 3 and len(matching) == 1 else None


def read_csv(batch: BatchFile, rows: list[tuple[int, list[str]]]) -> None:
    kind = batch.kind
    assert kind is not None
    if not rows:
        batch.readable = False
        batch.error(1, 0, "", f"the file is empty: row 1 must hold the headings "
                    f"({', '.join(kind.fields)})", STRUCTURE)
        return
    line, headings = rows[0]
    columns = _check_headings(batch, line, headings)
    if len(rows) < 2:
        batch.error(line + 1, 0, "FileVersion", "row 2 must hold the header record: "
                    + ", ".join(kind.header), HEADER)
        batch.header_lines = {name: line + 1 for name in kind.header}
        return
    header_line, cells = rows[1]
    batch.header_lines = {name: header_line for name in kind.header}
    batch.header = {name: value for name, value in zip(kind.header, cells, strict=False)
                    if value != ""}
    extra = [cell for cell in cells[len(kind.header):] if cell != ""]
    if extra:
        batch.error(header_line, 0, "", f"the header record holds only {', '.join(kind.header)}"
                    f": {len(extra)} more cell(s) are filled", HEADER)
    width = len(columns)
    for line, cells in rows[2:]:
        if len(cells) > width and any(cell != "" for cell in cells[width:]):
            batch.error(line, batch.total_records + 1, "", f"the row has {len(cells)} cells "
                        f"but there are {width} headings", STRUCTURE)
        add_record(batch, line, {name: cell for name, cell in zip(columns, cells, strict=False)
                                  if name is not None and cell != ""})


def _check_headings(batch: BatchFile, line: int, headings: list[str]) -> list[str | None]:
    """Row 1 must be exactly the record type's element names, in order, case-sensitive.

    Every deviation is an error, but the records are still read: each column as the element
    its heading names (a wrongly cased heading as the element it spells), an unknown or
    repeated heading's column not at all. Returns the element of each column.
    """
    kind = batch.kind
    assert kind is not None
    expected = list(kind.fields)
    while headings and headings[-1] == "" and len(headings) > len(expected):
        headings = headings[:-1]  # trailing empty cells (a spreadsheet's) are no heading
    if headings == expected:
        return list(expected)

    def error(name: str, rule: str) -> None:
        batch.error(line, 0, name, rule, HEADINGS)

    by_lower = {name.lower(): name for name in expected}
    columns: list[str | None] = []
    found = len(batch.errors)
    for position, heading in enumerate(headings, start=1):
        proper = by_lower.get(heading.strip().lower())
        if proper is not None and proper in columns:
            error(proper, f"column {position}: the heading {heading!r} appears twice; "
                  "this column is ignored")
            proper = None
        elif proper is not None and heading != proper:
            error(proper, f"column {position}: the heading is {proper}, not {heading!r} "
                  "(headings are case-sensitive)")
        elif proper is None:
            error(heading, f"column {position}: {heading!r} is not a {kind.record_type} "
                  "element; this column is ignored")
        columns.append(proper)
    for name in expected:
        if name not in columns:
            error(name, "the heading is missing (its column must be there, even if empty)")
    if len(batch.errors) == found:  # the right headings, in the wrong order
        error("", "the headings must be in contract order: " + ", ".join(expected))
    return columns
