"""FindByULN outcomes (lrs-rules.md 2.6, our documented choices in docs/decisions.md).

- a ULN that fails its check digit: refused with WSEC0136 (an invalid ULN), not a no-match;
- a ULN never issued, or retired: WSRC0001 no match;
- names that do not match the ULN's learner: WSRC0001, so a ULN alone reveals nothing;
- a match on a ULN merged into a master: WSRC0022 with the master;
- otherwise WSRC0004.
Names match when their keys (domain.names.name_key) are equal: case, spacing, accents,
hyphens and apostrophes are ignored.
"""

from dataclasses import dataclass

from lrs_soap.domain import uln as uln_rules
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.errors import InvalidRequest, InvalidUln
from lrs_soap.domain.model import Learner, LearnerStatus
from lrs_soap.domain.names import name_key


@dataclass(frozen=True)
class FindOutcome:
    code: ResponseCode
    learner: Learner | None = None  # the learner (or master) to return; None when no match
    master_substituted: bool = False


def check_uln(uln: str) -> None:
    problem = uln_rules.validity(uln)
    if problem is uln_rules.UlnValidity.BAD_CHECK_DIGIT:
        raise InvalidUln(f"ULN {uln} fails its check digit")
    if problem is not uln_rules.UlnValidity.VALID:
        raise InvalidRequest(f"ULN: {problem.value}")


def names_match(learner: Learner, given_name: str, family_name: str) -> bool:
    """Equal keys, never empty ones: a name reducing to nothing matches nothing."""
    given, family = name_key(given_name), name_key(family_name)
    return (bool(given) and bool(family) and given == name_key(learner.details.given_name)
            and family == name_key(learner.details.family_name))


def classify(found: Learner | None, master: Learner | None,
             given_name: str, family_name: str) -> FindOutcome:
    """``found`` is the learner holding the ULN asked for; ``master`` its master if merged."""
    if found is None or found.status is LearnerStatus.RETIRED:
        return FindOutcome(ResponseCode.NO_MATCH)
    if not names_match(found, given_name, family_name):
        return FindOutcome(ResponseCode.NO_MATCH)
    if found.master_uln and master is not None:
        return FindOutcome(ResponseCode.LINKED_MASTER_SUBSTITUTED, master, master_substituted=True)
    return FindOutcome(ResponseCode.EXACT_MATCH, found)
