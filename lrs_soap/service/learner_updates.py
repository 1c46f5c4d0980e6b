"""Updating a learner's details: the one implementation behind UpdateLearner (both faces)
and the updates of learner batches (lrs-rules 3.4).

Codes, in the order they are decided: WSRC0019 the ULN is not an active learner; WSRC0013
the version given is not the learner's (someone updated it since; also when another update
commits between our read and our write: the write is a compare-and-set on the version);
WSRC0020 nothing would change; WSRC0014 a change of AbilityToShare that is not allowed;
then the rules (InvalidRequest: the details break a rule, or another active learner has
the same five demographics); else WSRC0006 and the new version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from lrs_soap.domain import learner_rules, matching
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.domain.learner_problems import LearnerProblem, worded
from lrs_soap.domain.model import LearnerDetails, LearnerStatus
from lrs_soap.service.ports import UnitOfWork

DUPLICATE = "another learner already has these five demographics"
# the five demographics together, not one field: said as a sentence of its own
DUPLICATE_PROBLEM = LearnerProblem(None, DUPLICATE, sentence=True)


class BrokenRules(InvalidRequest):
    """The details break these rules (worded by the caller's label, kept as pairs for a
    batch record's outcome)."""

    def __init__(self, problems: list[LearnerProblem], label: Callable[[str], str]):
        super().__init__(worded(problems, label))
        self.problems = problems


@dataclass(frozen=True)
class UpdateResult:
    code: ResponseCode
    version_number: int | None = None


@dataclass(frozen=True)
class Actor:
    """Who an update is audited as: the organisation and its user."""

    organisation_id: int
    user_name: str | None


def apply_update(uow: UnitOfWork, actor: Actor, uln: str, version_number: int,
                 details: LearnerDetails, now: dt.datetime, audit: dict | None = None, *,
                 label: Callable[[str], str] = str) -> UpdateResult:
    """Update inside the caller's transaction (the caller commits). Raises BrokenRules
    (fields named by ``label``) before writing; lets DuplicateLearner through when another
    transaction gave a learner these demographics after our check (it is then spoilt)."""
    details = learner_rules.normalise_details(details)
    held = uow.learners.by_uln(uln)
    if held is None or held.status is not LearnerStatus.ACTIVE:
        return UpdateResult(ResponseCode.ULN_NOT_FOUND_FOR_UPDATE)
    if held.version_number != version_number:
        return UpdateResult(ResponseCode.STALE_VERSION)
    changes = learner_rules.changed_fields(held.details, details)
    if not changes:
        return UpdateResult(ResponseCode.NO_CHANGES)
    if not learner_rules.ability_to_share_change_allowed(held.details.ability_to_share,
                                                         details.ability_to_share):
        return UpdateResult(ResponseCode.INVALID_ABILITY_TO_SHARE_CHANGE)
    if problems := learner_rules.update_problems(details, uk_date(now), held.details):
        raise BrokenRules(problems, label)
    key = matching.learner_demographics_key(details)
    if (key != matching.learner_demographics_key(held.details)
            and uow.learners.active_uln_with_key(key) not in (None, uln)):
        raise BrokenRules([DUPLICATE_PROBLEM], label)
    version = uow.learners.update_details(uln, details, expected_version=version_number,
                                          now=now)
    if version is None:  # another update won the race since we read
        return UpdateResult(ResponseCode.STALE_VERSION)
    uow.audit.record(at=now, organisation_id=actor.organisation_id, user_name=actor.user_name,
                     action="learner.update", uln=uln,
                     detail={"changed": {name: [_jsonable(old), _jsonable(new)]
                                         for name, (old, new) in changes.items()},
                             "version": version, **(audit or {})})
    return UpdateResult(ResponseCode.UPDATED, version)


def _jsonable(value: object) -> object:
    return value.isoformat() if hasattr(value, "isoformat") else value
