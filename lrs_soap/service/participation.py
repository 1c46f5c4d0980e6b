"""Importing participation events (ILR/NPD-style sources): ``lrs-soap events import``.

Every row is checked first (domain.participation); if any row is wrong nothing is imported
and every problem is reported with its line and column (service.import_problems). Otherwise the
rows are upserted in one transaction: a row whose key is already held replaces that
event's values (so a file can be imported again), the others are inserted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from lrs_soap.domain import participation
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.participation import Participation, ParticipationKey
from lrs_soap.service.accounts import AdminError
from lrs_soap.service.achievements import holders_of
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.import_problems import refuse_if_any


class EventImportError(AdminError):
    """Rows that cannot be imported; the message lists them, one per line."""


@dataclass(frozen=True)
class EventImportReport:
    created: int
    updated: int


Rows = Iterable[tuple[int, Mapping[str, str | None]]]


def _read(path: Path) -> tuple[Rows, str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise EventImportError(f"{path}: cannot read it ({error})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    columns = [name.strip() for name in reader.fieldnames or ()]
    reader.fieldnames = columns
    missing = [name for name in participation.REQUIRED if name not in columns]
    if missing:
        raise EventImportError(f"{path.name} line 1: missing column(s) " + ", ".join(missing))
    return ((reader.line_num, row) for row in reader), path.name


def import_events(ctx: ServiceContext,
                  path_or_rows: str | Path | Iterable[Mapping[str, str | None]], *,
                  actor: str = "import") -> EventImportReport:
    """Import a CSV file (or rows as dicts keyed by column, line 2 first)."""
    if isinstance(path_or_rows, str | Path):
        numbered, where = _read(Path(path_or_rows))
    else:
        numbered, where = enumerate(path_or_rows, start=2), "rows"
    now = ctx.clock()
    today = uk_date(now)
    problems: list[tuple[int, str]] = []  # (line, what is wrong)
    parsed: list[tuple[int, Participation]] = []
    for line, row in numbered:
        record, errors = participation.row_errors(row, today)
        problems.extend((line, f"{where} line {line}, column {column}: {rule}")
                        for column, rule in errors)
        if record is not None:
            parsed.append((line, record))
    with ctx.uow_factory() as uow:
        holders = holders_of(uow.achievements, {record.learner_uln for _, record in parsed})
        keyed: dict[ParticipationKey, tuple[int, str, Participation]] = {}
        for line, record in parsed:
            holder = holders.get(record.learner_uln)
            error = participation.learner_error(record, holder)
            if error is not None:
                problems.append((line, f"{where} line {line}, column {error[0]}: {error[1]}"))
                continue
            key = record.key(holder.uln)
            if key in keyed:
                problems.append((line, f"{where} line {line}: the same event as line "
                                 f"{keyed[key][0]} (uln, source, subject_code, provider_ukprn, "
                                 "start_date)"))
                continue
            keyed[key] = (line, holder.uln, record)
        refuse_if_any(problems, EventImportError)
        held = uow.records.participation_ids(keyed)
        new = [(uln, record) for key, (_, uln, record) in keyed.items() if key not in held]
        known = [(held[key], record) for key, (_, _, record) in keyed.items() if key in held]
        uow.records.add_participation(new, now=now)
        uow.records.update_participation(known, now=now)
        uow.audit.record(at=now, organisation_id=None, user_name=actor[:35],
                         action="events.import",
                         detail={"source": where, "created": len(new), "updated": len(known)})
        uow.commit()
    return EventImportReport(created=len(new), updated=len(known))

