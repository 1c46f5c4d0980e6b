"""ULN Learner Plans (docs/learner-plans.md): OLASS trainers plan the learning of learners in
custody. A plan belongs to one learner (the ULN holding it: the master for a merged ULN) and
the organisation that made it; it holds planned learning aims, goals and notes, and a history
of every change (who, when, what). The rules here are ours: the LRS publishes none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

MAX_AIMS = 50
MAX_TEXT = 4000  # goals, notes


class AimStatus(StrEnum):
    PLANNED = "PLANNED"
    IN_LEARNING = "IN_LEARNING"
    COMPLETED = "COMPLETED"
    WITHDRAWN = "WITHDRAWN"


# An aim's outcome (achieved, grade, why it stopped) is recorded when it has ended.
ENDED = frozenset({AimStatus.COMPLETED, AimStatus.WITHDRAWN})


@dataclass(frozen=True)
class PlannedAim:
    reference: str  # qualification or unit reference in the register (upper case)
    planned_start: dt.date
    planned_end: dt.date
    status: AimStatus = AimStatus.PLANNED
    outcome: str | None = None
    title: str | None = None  # from the register, filled in by the service
    is_unit: bool = False


@dataclass(frozen=True)
class PlanContent:
    """What a trainer saves: the whole plan (a save replaces goals, notes and aims)."""

    goals: str | None = None
    notes: str | None = None
    aims: tuple[PlannedAim, ...] = ()


@dataclass(frozen=True)
class PlanChange:
    version: int
    at: dt.datetime
    organisation_id: int
    user_name: str
    changes: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    id: int
    uln: str
    organisation_id: int
    content: PlanContent
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    updated_by: str
    history: tuple[PlanChange, ...] = ()
    shared_with: tuple[int, ...] = ()  # organisation ids that may read it

    def visible_to(self, organisation_id: int) -> bool:
        """The one sharing rule: the owner, and organisations it shared the plan with."""
        return organisation_id == self.organisation_id or organisation_id in self.shared_with


@dataclass
class PlanProblems:
    """Field rules a plan breaks, each naming its element (``Aim[2].PlannedEndDate``)."""

    errors: list[str] = field(default_factory=list)

    def add(self, where: str, rule: str) -> None:
        self.errors.append(f"{where} {rule}")


def content_problems(content: PlanContent, known_references: set[str]) -> list[str]:
    """Every rule the plan breaks on its own; ``known_references`` are in the register."""
    problems = PlanProblems()
    for name, text in (("Goals", content.goals), ("Notes", content.notes)):
        if text is not None and len(text) > MAX_TEXT:
            problems.add(name, f"is longer than {MAX_TEXT} characters")
    if len(content.aims) > MAX_AIMS:
        problems.add("Aim", f"more than {MAX_AIMS} aims")
    seen: set[str] = set()
    for number, aim in enumerate(content.aims, 1):
        where = f"Aim[{number}]"
        if aim.reference not in known_references:
            problems.add(f"{where}.Reference", "is not in the qualification register")
        if aim.reference in seen:
            problems.add(f"{where}.Reference", "is planned twice")
        seen.add(aim.reference)
        if aim.planned_end < aim.planned_start:
            problems.add(f"{where}.PlannedEndDate", "is before the PlannedStartDate")
        if aim.outcome and aim.status not in ENDED:
            problems.add(f"{where}.Outcome", "is only recorded for a COMPLETED or "
                                              "WITHDRAWN aim")
    return problems.errors


def changes(before: PlanContent | None, after: PlanContent) -> tuple[str, ...]:
    """What a save changed, in words for the history (no personal data beyond the plan)."""
    if before is None:
        return ("plan created with " + _count(len(after.aims), "aim"),)
    said = [f"{name} changed" for name, old, new in (
        ("goals", before.goals, after.goals), ("notes", before.notes, after.notes))
        if (old or None) != (new or None)]
    old_aims = {aim.reference: aim for aim in before.aims}
    new_aims = {aim.reference: aim for aim in after.aims}
    said += [f"aim {ref} added ({new_aims[ref].status})" for ref in new_aims
             if ref not in old_aims]
    said += [f"aim {ref} removed" for ref in old_aims if ref not in new_aims]
    for ref in new_aims.keys() & old_aims.keys():
        old, new = old_aims[ref], new_aims[ref]
        if old.status != new.status:
            said.append(f"aim {ref} status {old.status} -> {new.status}")
        if (old.planned_start, old.planned_end) != (new.planned_start, new.planned_end):
            said.append(f"aim {ref} dates {old.planned_start}..{old.planned_end} -> "
                        f"{new.planned_start}..{new.planned_end}")
        if (old.outcome or None) != (new.outcome or None):
            said.append(f"aim {ref} outcome {new.outcome or 'cleared'}")
    return tuple(sorted(said))


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
