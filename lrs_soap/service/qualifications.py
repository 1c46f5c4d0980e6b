"""The qualification register: import from a CSV modelled on Ofqual's export, and demo rows.

Columns (docs/qualifications.md): reference, title, type, level, owner_ukprn, shared,
credits, unit. Other columns are ignored, so a wider export can be imported as it is.
Every row is checked before anything is written: any bad row, and nothing is imported;
every problem is listed with its line and column (service.import_problems).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path

from lrs_soap.domain.achievements import Qualification
from lrs_soap.service.accounts import AdminError, Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.import_problems import refuse_if_any
from lrs_soap.service.ports import ImportReport, UnitOfWork

COLUMNS = ("reference", "title", "type", "level", "owner_ukprn", "shared", "credits", "unit")
REQUIRED = ("reference", "title", "shared")
MAX_LENGTHS = {"reference": 30, "title": 255, "type": 100, "level": 50}
TRUE = frozenset({"yes", "true", "1", "y"})
FALSE = frozenset({"no", "false", "0", "n"})

# (reference, title, type, level, owner UKPRN or None, shared, credits, unit)
DEMO_QUALIFICATIONS: tuple[tuple[str, str, str, str, str | None, bool, int | None, bool], ...] = (
    ("100/2510/8", "Demo Level 2 Certificate in Horticulture", "Certificate", "Level 2",
     "10000002", False, 13, False),
    ("600/1234/5", "Demo Level 3 Diploma in Digital Skills", "Diploma", "Level 3",
     "10000002", False, 37, False),
    ("K/501/5773", "Planting and establishing plants", "QCF Unit", "Level 2",
     "10000002", False, 3, True),
    ("Y/600/4321", "Health and safety in the workplace", "QCF Unit", "Level 1",
     None, True, 2, True),
    ("500/9999/1", "Functional Skills Qualification in English", "Functional Skills",
     "Entry Level", "10000001", True, None, False),
    ("601/0000/X", "Demo Level 1 Award in Catering (another owner)", "Award", "Level 1",
     "10000001", False, 6, False),
)


CHOICES_SHOWN = 100  # a picker lists at most this many; a search narrows it


def usable_qualifications(ctx: ServiceContext, caller: Caller,
                          containing: str | None = None) -> list[Qualification]:
    """What an awarding organisation may record achievements and entries for: its own
    qualifications and units and the shared ones (the rule: Qualification.usable_by)."""
    with ctx.uow_factory() as uow:
        return uow.qualifications.usable_by(caller.organisation.id,
                                            (containing or "").strip() or None, CHOICES_SHOWN)


class RegisterImportError(AdminError):
    """A row that cannot be imported; the message names the line and the column."""


def import_register(ctx: ServiceContext,
                    path_or_rows: str | Path | Iterable[Mapping[str, str | None]]
                    ) -> ImportReport:
    """Import a register CSV file (or rows as dicts keyed by column, line 2 first)."""
    if isinstance(path_or_rows, str | Path):
        path = Path(path_or_rows)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise RegisterImportError(f"{path}: cannot read it ({error})") from None
        reader = csv.DictReader(io.StringIO(text, newline=""))
        missing = [name for name in REQUIRED if name not in (reader.fieldnames or ())]
        if missing:
            raise RegisterImportError(f"{path.name} line 1: missing column(s) "
                                      + ", ".join(missing))
        numbered = ((reader.line_num, row) for row in reader)  # physical line numbers
        where = path.name
    else:
        numbered, where = enumerate(path_or_rows, start=2), "rows"
    with ctx.uow_factory() as uow:
        qualifications = _parse(uow, numbered, where)
        report = uow.qualifications.import_rows(qualifications)
        uow.commit()
    return report


def load_demo_qualifications(ctx: ServiceContext) -> ImportReport:
    """Load DEMO_QUALIFICATIONS (needs the demo organisations, UKPRNs 10000001/2)."""
    rows = [{"reference": reference, "title": title, "type": kind, "level": level,
             "owner_ukprn": owner, "shared": "yes" if shared else "no",
             "credits": None if credits is None else str(credits),
             "unit": "yes" if unit else "no"}
            for reference, title, kind, level, owner, shared, credits, unit
            in DEMO_QUALIFICATIONS]
    return import_register(ctx, rows)


def _parse(uow: UnitOfWork, rows: Iterable[tuple[int, Mapping[str, str | None]]],
           where: str) -> list[Qualification]:
    """Every row checked; every problem listed (import_problems), or the rows parsed."""
    owners: dict[str, int | None] = {}
    seen: dict[str, int] = {}
    parsed, problems = [], []
    for line, row in rows:
        found = _row_problems(uow, row, line, owners, seen)
        problems.extend((line, f"{where} line {line}, column {column}: {problem}")
                        for column, problem in found)
        if not found:
            parsed.append(_qualification(row, owners))
    refuse_if_any(problems, RegisterImportError)
    return parsed


def _values(row: Mapping[str, str | None]) -> dict[str, str]:
    return {name: (row.get(name) or "").strip() for name in COLUMNS}


def _row_problems(uow: UnitOfWork, row: Mapping[str, str | None], line: int,
                  owners: dict[str, int | None], seen: dict[str, int]) -> list[tuple[str, str]]:
    """(column, problem) for each thing wrong with one row; ``owners`` and ``seen`` carry
    the UKPRNs looked up and the references met on earlier lines."""
    value = _values(row)
    problems = [(name, "is required") for name in REQUIRED if not value[name]]
    problems += [(name, f"is longer than {limit} characters")
                 for name, limit in MAX_LENGTHS.items() if len(value[name]) > limit]
    reference = value["reference"].upper()
    if any(c.isspace() for c in reference):
        problems.append(("reference", "contains a space"))
    if reference and reference in seen:
        problems.append(("reference", f"{reference} appears already on line {seen[reference]}"))
    seen.setdefault(reference, line)
    ukprn = value["owner_ukprn"]
    if ukprn and ukprn not in owners:
        organisation = uow.organisations.by_ukprn(ukprn)
        owners[ukprn] = organisation.id if organisation else None
    if ukprn and owners[ukprn] is None:
        problems.append(("owner_ukprn", f"no registered organisation has UKPRN {ukprn}"))
    shared, unit = _flag(value["shared"]), _flag(value["unit"] or "no")
    for name, flag in (("shared", shared), ("unit", unit)):
        if flag is None and value[name]:
            problems.append((name, "is not yes/no, true/false or 1/0"))
    if not ukprn and shared is False:
        problems.append(("owner_ukprn", "is required unless the qualification is shared"))
    credits = value["credits"]
    if credits and not (credits.isascii() and credits.isdigit() and int(credits) <= 10_000):
        problems.append(("credits", "is not a whole number from 0 to 10000"))
    return problems


def _qualification(row: Mapping[str, str | None], owners: dict[str, int | None]
                   ) -> Qualification:
    """A row that has no problems, as a Qualification."""
    value = _values(row)
    ukprn, credits = value["owner_ukprn"], value["credits"]
    return Qualification(
        reference=value["reference"].upper(), title=value["title"],
        qualification_type=value["type"] or None, level=value["level"] or None,
        credits=int(credits) if credits else None,
        owner_organisation_id=owners[ukprn] if ukprn else None,
        shared=bool(_flag(value["shared"])), is_unit=bool(_flag(value["unit"] or "no")))


def _flag(text: str) -> bool | None:
    """True or False for yes/no, true/false, 1/0 (y/n), in any case; None for anything else."""
    lowered = text.lower()
    return True if lowered in TRUE else False if lowered in FALSE else None
