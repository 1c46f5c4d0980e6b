"""Updating some of a learner's details (R9 UpdateLearnerSubsetFields): the held details
with the given fields replaced, through the one UpdateLearner use case and its rules
(version check, WSRC0014, WSRC0020, normalisation, the audit row)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from lrs_soap.domain import find_by_uln
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.service import learners
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.learners import UpdateResult


@dataclass(frozen=True)
class SubsetChanges:
    """New values for LearnerDetails attributes; a field left None keeps the held value,
    an empty string clears an optional field."""

    email_address: str | None = None
    school_at_age_16: str | None = None
    preferred_given_name: str | None = None
    ability_to_share: str | None = None

    def given(self) -> dict[str, str]:
        return {name: value for name, value in dataclasses.asdict(self).items()
                if value is not None}


def update_learner_subset(ctx: ServiceContext, caller: Caller, uln: str, version_number: int,
                          changes: SubsetChanges) -> UpdateResult:
    return update_learner_fields(ctx, caller, uln, version_number, changes.given())


def update_learner_fields(ctx: ServiceContext, caller: Caller, uln: str, version_number: int,
                          fields: Mapping[str, object]) -> UpdateResult:
    """The held details with ``fields`` (LearnerDetails attributes) replaced: R9's subset
    update and the portal's edit page, which shows only some of the fields."""
    find_by_uln.check_uln(uln)
    with ctx.uow_factory() as uow:
        held = uow.learners.by_uln(uln)
    if held is None:  # nothing to start from; update_learner says the same of a retired ULN
        return UpdateResult(ResponseCode.ULN_NOT_FOUND_FOR_UPDATE)
    details = dataclasses.replace(held.details, **fields)
    return learners.update_learner(ctx, caller, uln, version_number, details)
