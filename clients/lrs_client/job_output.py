"""Batch files and jobs on the terminal: a file's errors, the progress bar of a running job,
the JobID of a submitted one and a Get*Batch reply (status, counters, results).

The errors ``validate`` finds go to stdout (they are its result), the errors that stop a
submit go to stderr; the progress bar is drawn on stderr.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .codes import response_code_line
from .render import Renderer


def file_errors(out: Renderer, batch: Any, errors: Sequence[Any], *,
                refused: bool = False) -> None:
    """A batch file's errors (FileError), one a line: ``FILE:LINE: record N: FIELD: rule``.

    ``refused``: the errors that stop a submit (stderr, "not submitted"); otherwise
    validate's result (stdout). JSON: ``{"file", "kind", "records", "errors": [...]}``.
    """
    name = batch.path.name
    if out.json_mode:
        out.print_json({"file": str(batch.path),
                         "kind": batch.kind.code if batch.kind else None,
                         "records": batch.total_records,
                         "errors": [error.as_dict() for error in errors]})
        return
    stream = out.stderr if refused else out.stdout
    for error in errors:
        print(file_error_line(name, error), file=stream)
    kind = f"{batch.kind.title} file, " if batch.kind else ""
    records = f"{batch.total_records} record" + ("" if batch.total_records == 1 else "s")
    if errors:
        count = f"{len(errors)} error" + ("" if len(errors) == 1 else "s")
        tail = ": not submitted (check it with lrs-client validate)" if refused else ""
        print(f"{name}: {kind}{records}, {count}{tail}", file=stream)
    else:
        print(f"{name}: {kind}{records}, no errors", file=stream)

def file_error_line(name: str, error: Any) -> str:
    where = f"{name}:{error.line}" if error.line else name
    record = f" record {error.record}:" if error.record else ""
    field = f" {error.field}:" if error.field else ""
    return f"{where}:{record}{field} {error.rule}"

@contextlib.contextmanager
def progress(out: Renderer, label: str) -> Iterator[Callable[[int | None, int | None], None]]:
    """A progress bar of records processed (stderr; none in JSON mode). Yields
    ``update(processed, total)``."""
    if out.json_mode:
        yield lambda processed, total: None
        return
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("records"), TimeElapsedColumn(),
                   console=Console(file=out.stderr, highlight=False))
    task = bar.add_task(label, total=None)

    def update(processed: int | None, total: int | None) -> None:
        bar.update(task, completed=processed or 0, total=total)

    with bar:
        yield update

def job_id(out: Renderer, job_id: int, kind: Any, records: int) -> None:
    """submit --no-wait: the JobID alone on stdout (``{"JobID": n}`` with --json)."""
    if out.json_mode:
        out.print_json({"ResponseCode": "WSRC0007", "JobID": job_id})
        return
    print(job_id, file=out.stdout)
    print(f"submitted {records} records as job {job_id}; fetch the results with "
          f"lrs-client get-batch {kind.name} {job_id}", file=out.stderr)

def submitted(out: Renderer, job_id: int, kind: Any, batch: Any) -> None:
    if not out.json_mode:
        print(f"{batch.path.name}: {batch.total_records} records submitted as job "
              f"{job_id} (WSRC0007)", file=out.stderr)

def job(out: Renderer, kind: Any, data: dict[str, Any], counters: Sequence[str],
        written: Sequence[Path], table: tuple[Sequence[str], list[list[str]]] | None
        ) -> None:
    """A Get*Batch reply: the code, the job's status and times, its counters, the CSV
    files written and (get-batch without --output) the results as a table."""
    if out.json_mode:
        out.print_json(data)
        return
    console = out.console()
    code = data.get("ResponseCode", "")
    console.print(response_code_line(code))
    if data.get("JobID") is not None:
        done = data.get("RecordsProcessed")
        total = data.get("NumberOfRecords")
        console.print(Text(f"JobID {data['JobID']}: {data.get('JobStatus') or ''}"
                           + (f", {done} of {total} records processed"
                              if total is not None else "")))
    for name in ("SubmittedDateTime", "JobStartedDateTime", "JobFinishedDateTime",
                 "FailureReason"):
        if data.get(name):
            console.print(Text(f"{name}: {data[name]}"), soft_wrap=True)
    shown = [(name, data.get(name)) for name in counters if data.get(name) is not None]
    if shown:
        counts = Table(title="Counters", title_justify="left")
        counts.add_column("Counter", no_wrap=True)
        counts.add_column("Records", justify="right")
        for name, value in shown:
            counts.add_row(Text(name), Text(str(value)))
        console.print(counts)
    if code == "WSRC0008":
        console.print(Text(f"the job has not finished: fetch it later with lrs-client "
                           f"get-batch {kind.name} {data.get('JobID', '')}"), soft_wrap=True)
    if table is not None and table[1]:
        columns, rows = table
        results = Table(title=f"{len(rows)} result" + ("" if len(rows) == 1 else "s"),
                        title_justify="left")
        for column in columns:
            results.add_column(column, overflow="fold")
        for row in rows:
            results.add_row(*(Text(cell) for cell in row))
        console.print(results)
    for path in written:
        console.print(Text(f"written: {path}"), soft_wrap=True)
