"""Learner identity use cases: find by ULN, find by demographics, register, update."""

from __future__ import annotations

from dataclasses import dataclass

from lrs_soap.domain import find_by_uln, learner_rules, matching, names
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.domain.find_by_uln import FindOutcome
from lrs_soap.domain.learner_problems import worded
from lrs_soap.domain.matching import DemographicQuery
from lrs_soap.domain.model import Learner, LearnerDetails
from lrs_soap.service import learner_updates, uln_minting
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.learner_updates import Actor, UpdateResult  # noqa: F401 (re-export)
from lrs_soap.service.lookups import learner_and_master
from lrs_soap.service.ports import DuplicateLearner, UnitOfWork


@dataclass(frozen=True)
class FindByUlnQuery:
    uln: str
    given_name: str
    family_name: str
    check_only: bool = False  # FindType CHK: the outcome without personal data


@dataclass(frozen=True)
class LearnerMatch:
    learner: Learner
    master_substituted: bool = False


@dataclass(frozen=True)
class DemographicSearchResult:
    code: ResponseCode
    matches: tuple[LearnerMatch, ...] = ()


@dataclass(frozen=True)
class RegistrationResult:
    code: ResponseCode
    uln: str | None = None
    reason: str | None = None


def find_learner_by_uln(ctx: ServiceContext, caller: Caller, query: FindByUlnQuery) -> FindOutcome:
    find_by_uln.check_uln(query.uln)
    names.check_query_names(query.given_name, query.family_name, ctx.field_label)
    with ctx.uow_factory() as uow:
        found, master = learner_and_master(uow, query.uln)
    outcome = find_by_uln.classify(found, master, query.given_name, query.family_name)
    if query.check_only:
        return FindOutcome(outcome.code)
    return outcome


def retrieve_ulns(ctx: ServiceContext, caller: Caller,
                  ulns: list[str]) -> list[tuple[str, FindOutcome]]:
    """retrieveULNs: each ULN asked for, in order, with what FindByULN would answer for it
    given its holder's own names: WSRC0004 and the learner; WSRC0022 and the master it was
    merged into; WSRC0001 for a ULN never issued or retired.

    A ULN failing its check digit refuses the whole request (WSEC0136), as on every operation.
    """
    for uln in ulns:
        find_by_uln.check_uln(uln)
    results = []
    with ctx.uow_factory() as uow:
        for uln in ulns:
            found, master = learner_and_master(uow, uln)
            names = (found.details.given_name, found.details.family_name) if found else ("", "")
            results.append((uln, find_by_uln.classify(found, master, *names)))
    return results


def find_learner_by_demographics(ctx: ServiceContext, caller: Caller, query: DemographicQuery,
                                 *, check_only: bool = False) -> DemographicSearchResult:
    """Classify the learners born on the date asked for (or with day and month swapped).

    A full search is recorded for the find-before-register rule; CHK is not (it is only an
    existence check) and returns the code without learners.
    """
    names.check_query_names(query.given_name, query.family_name, ctx.field_label)
    with ctx.uow_factory() as uow:
        outcome = matching.classify(query, uow.learners.demographic_candidates(query))
        code = outcome.code
        if outcome.merged_into:
            code, masters = matching.master_answer(uow.learners.by_uln(outcome.merged_into))
            matches = tuple(LearnerMatch(master, master_substituted=True) for master in masters)
        else:  # the candidates were read whole: answered as they are
            matches = tuple(LearnerMatch(learner) for learner in outcome.learners)
        if not check_only:
            uow.searches.record(organisation_id=caller.organisation.id,
                                demographics_key=matching.demographics_key(query),
                                outcome=code.value, at=ctx.clock())
            uow.commit()
    return DemographicSearchResult(code, () if check_only else matches)


def register_learner(ctx: ServiceContext, caller: Caller,
                     details: LearnerDetails) -> RegistrationResult:
    details = learner_rules.normalise_details(details)
    now = ctx.clock()
    problems = learner_rules.registration_problems(details, uk_date(now))
    if problems:
        raise InvalidRequest(worded(problems, ctx.field_label))
    key = matching.learner_demographics_key(details)
    with ctx.uow_factory() as uow:
        refusal = _procedure_refusal(ctx, uow, caller, key)
        if refusal:
            return RegistrationResult(ResponseCode.CANNOT_REGISTER, reason=refusal)
        uln = uln_minting.mint(ctx, uow)
        try:
            uow.learners.add(uln, details, registered_by=caller.organisation.id, now=now)
        except DuplicateLearner:
            return RegistrationResult(ResponseCode.CANNOT_REGISTER,
                                      reason="a learner with the same five demographics exists")
        uow.audit.record(at=now, organisation_id=caller.organisation.id,
                         user_name=caller.user_name, action="learner.register", uln=uln)
        uow.commit()
    return RegistrationResult(ResponseCode.REGISTERED, uln=uln)


def _procedure_refusal(ctx: ServiceContext, uow: UnitOfWork, caller: Caller,
                       key: str) -> str | None:
    """Why the find-before-register procedure was not followed, or None if it was."""
    policy, now = ctx.registration, ctx.clock()
    search = uow.searches.latest(organisation_id=caller.organisation.id, demographics_key=key,
                                 since=now - policy.search_window)
    if search is None:
        return ("no full FindByDemographics for these demographics by this organisation "
                f"in the last {_duration(policy.search_window)}")
    outcome, searched_at = search
    if outcome in (ResponseCode.EXACT_MATCH, ResponseCode.LINKED_MASTER_SUBSTITUTED):
        return "the search found this learner: use the ULN it returned"
    if outcome in (ResponseCode.POSSIBLE_MATCH, ResponseCode.TOO_MANY_MATCHES):
        ready = searched_at + policy.possible_match_wait
        if now < ready:
            return (f"the search found possible matches: check them, then register after "
                    f"{_duration(policy.possible_match_wait)}")
    return None


def update_learner(ctx: ServiceContext, caller: Caller, uln: str, version_number: int,
                   details: LearnerDetails) -> UpdateResult:
    find_by_uln.check_uln(uln)
    with ctx.uow_factory() as uow:
        try:
            result = learner_updates.apply_update(
                uow, Actor(caller.organisation.id, caller.user_name), uln, version_number,
                details, ctx.clock(), label=ctx.field_label)
        except DuplicateLearner:  # registered or updated since apply_update checked
            raise InvalidRequest(learner_updates.DUPLICATE) from None
        uow.commit()
    return result


def _duration(delta) -> str:
    seconds = int(delta.total_seconds())
    if seconds % 3600 == 0:
        return f"{seconds // 3600} hour(s)"
    if seconds % 60 == 0:
        return f"{seconds // 60} minute(s)"
    return f"{seconds} second(s)"
