"""What a learner or verification batch record's outcome holds beside its code, as the job
stores it: face-neutral, by attribute (``mis_identifier``, ``uln``, ``possible_match_ulns``,
``searched_uln``, ``failure_flags``), and a refusal as its broken rules, ``problems``: a
list of {field, rule} pairs (``sentence`` when the rule is said without the field's name).
Each face names the keys and words the problems at its edge (record_elements).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from lrs_soap.domain.learner_problems import LearnerProblem, worded


def detail(mis_identifier: str | None, *, problems: Iterable[LearnerProblem] = (),
           **found: object) -> dict:
    """The stored detail: the record's MIS identifier, what was found, any broken rules."""
    kept = [_stored(problem) for problem in problems]
    return {"mis_identifier": mis_identifier, **found, **({"problems": kept} if kept else {})}


def problems(stored: dict | None) -> list[LearnerProblem]:
    return [LearnerProblem(**problem) for problem in (stored or {}).get("problems", ())]


def reason(stored: dict | None, label: Callable[[str], str]) -> str | None:
    """The broken rules as one Reason in the face's words; None when none was broken."""
    broken = problems(stored)
    return worded(broken, label) if broken else None


def _stored(problem: LearnerProblem) -> dict:
    return {"field": problem.field, "rule": problem.rule,
            **({"sentence": True} if problem.sentence else {})}
