"""A rule a learner's details break (registration, update, a learner batch record), as a
pair: the field by its attribute (``given_name``) and the rule (``must not be blank``).

Each face names the field in its own words (the LRS's element names on every face today:
record_elements.LEARNER_LABELS); the service words a refusal or a batch record's Reason with
the label the composition root gives it (ServiceContext.field_label), and a batch record's
outcome keeps the pairs (domain.learner_outcomes) for each face to word, so no element name
is in the rules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LearnerProblem:
    field: str | None  # None: the rule is about no one field (sentence only)
    rule: str
    # the rule is a sentence of its own, not said after the field's name (the age window)
    sentence: bool = False

    def worded(self, label: Callable[[str], str]) -> str:
        return self.rule if self.sentence else f"{label(self.field)} {self.rule}"


def worded(problems: Iterable[LearnerProblem], label: Callable[[str], str]) -> str:
    """The problems as one Reason: each worded by ``label``, "; " between them."""
    return "; ".join(problem.worded(label) for problem in problems)
