"""Learner identity use cases."""

from __future__ import annotations

from dataclasses import dataclass

from lrs_soap.domain import find_by_uln
from lrs_soap.domain.find_by_uln import FindOutcome
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext


@dataclass(frozen=True)
class FindByUlnQuery:
    uln: str
    given_name: str
    family_name: str
    check_only: bool = False  # FindType CHK: the outcome without personal data


def find_learner_by_uln(ctx: ServiceContext, caller: Caller, query: FindByUlnQuery) -> FindOutcome:
    find_by_uln.check_uln(query.uln)
    with ctx.uow_factory() as uow:
        found = uow.learners.by_uln(query.uln)
        master = uow.learners.by_uln(found.master_uln) if found and found.master_uln else None
    outcome = find_by_uln.classify(found, master, query.given_name, query.family_name)
    if query.check_only:
        return FindOutcome(outcome.code)
    return outcome
