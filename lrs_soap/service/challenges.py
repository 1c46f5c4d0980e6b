"""Data challenges: learning event challenges (raised by learner registration bodies,
resolved by the owning awarding organisation) and ULN challenges (raised by either,
resolved by administrators). The rules are in lrs_soap.domain.challenges."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from lrs_soap.domain import find_by_uln
from lrs_soap.domain.calendar import uk_date
from lrs_soap.domain.challenges import (
    NOT_CHALLENGEABLE_REASON,
    ChallengeKind,
    ChallengeStatus,
    DataChallenge,
    EventCorrection,
    EventDecision,
    RaiseOutcome,
    ResolveOutcome,
    UlnChallengeType,
    clean_reason,
    owns,
    raise_event_outcome,
    resolve_event,
)
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.errors import InsufficientAccess, InvalidRequest
from lrs_soap.domain.model import LearningEvent, Role
from lrs_soap.domain.plr import RecordQuery
from lrs_soap.service import plr
from lrs_soap.service.accounts import AdminError, Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.plr import Page
from lrs_soap.service.ports import DuplicateChallenge, UnitOfWork


class Scope(StrEnum):
    RAISED = "RAISED"  # challenges my organisation raised (learner registration bodies)
    OWNED = "OWNED"  # challenges on my organisation's events (awarding organisations)


@dataclass(frozen=True)
class EventChallengeView:
    """A learning event challenge with its event as it stands now."""

    challenge: DataChallenge
    event: LearningEvent | None


@dataclass(frozen=True)
class RaiseResult:
    code: str  # the record's access code (domain.plr)
    incoming_uln: str
    found_uln: str | None
    outcome: RaiseOutcome | None = None  # None when the record could not be read
    challenge: EventChallengeView | None = None
    reason: str | None = None


@dataclass(frozen=True)
class ChallengePage:
    code: ResponseCode  # WSRC0004 some, WSRC0001 none
    page: Page
    total: int
    challenges: tuple = ()  # EventChallengeView or DataChallenge (ULN challenges)

    @property
    def page_count(self) -> int:
        return self.page.count(self.total)


@dataclass(frozen=True)
class ResolveResult:
    code: ResponseCode  # WSRC0004 the challenge is yours, WSRC0001 no such challenge
    outcome: ResolveOutcome | None = None
    challenge: EventChallengeView | None = None


@dataclass(frozen=True)
class UlnRaiseResult:
    code: ResponseCode
    outcome: RaiseOutcome
    challenge: DataChallenge


# ----- learning event challenges -----

def raise_event_challenge(ctx: ServiceContext, caller: Caller, query: RecordQuery,
                          event_id: int, reason: str) -> RaiseResult:
    """The learner is identified as for GetLearnerRecord (and the attempt audited like a
    read of the record); then the event must be one the record shows."""
    find_by_uln.check_uln(query.uln)
    reason = clean_reason(reason)
    with ctx.uow_factory() as uow:
        access = plr.open_record(ctx, uow, query)
        result = RaiseResult(access.code, query.uln, access.found_uln)
        if access.granted:
            result = _raise_on_record(ctx, uow, caller, query, access.ulns, event_id, reason,
                                      result)
        plr.audit_access(uow, ctx, caller, "challenge.event.raise", query, access,
                         event_id=event_id, result=result.outcome and result.outcome.value,
                         challenge_id=result.challenge and result.challenge.challenge.id)
        uow.commit()
    return result


def _raise_on_record(ctx: ServiceContext, uow: UnitOfWork, caller: Caller, query: RecordQuery,
                     record_ulns: tuple[str, ...], event_id: int, reason: str,
                     refused: RaiseResult) -> RaiseResult:
    event = uow.records.events_by_ids([event_id]).get(event_id)
    own = uow.challenges.open_event_challenge(event_id, caller.organisation.id)
    outcome = raise_event_outcome(event, record_ulns, own)
    challenge = own if outcome is RaiseOutcome.ALREADY_OPEN else None
    if outcome is RaiseOutcome.RAISED:
        try:
            challenge = uow.challenges.add(
                kind=ChallengeKind.EVENT, organisation_id=caller.organisation.id,
                user_name=caller.user_name, reason=reason, now=ctx.clock(),
                learning_event_id=event_id)
        except DuplicateChallenge:  # a racing raise of the same one committed first
            outcome = RaiseOutcome.ALREADY_OPEN
            challenge = uow.challenges.open_event_challenge(event_id, caller.organisation.id)
    shown = None
    if challenge is not None:  # the event as it is now (UnderDataChallenge Y)
        shown = EventChallengeView(challenge, uow.records.events_by_ids([event_id])[event_id])
    why = NOT_CHALLENGEABLE_REASON if outcome is RaiseOutcome.NOT_CHALLENGEABLE else None
    return RaiseResult(refused.code, refused.incoming_uln, refused.found_uln, outcome, shown,
                       why)


def list_event_challenges(ctx: ServiceContext, caller: Caller, scope: Scope | str,
                          status: ChallengeStatus | None = None,
                          page: Page | None = None) -> ChallengePage:
    """RAISED needs the learner registration body role, OWNED the awarding organisation's
    (WSEC0006 otherwise). Oldest first."""
    scope, page = Scope(scope), page or Page()
    role = (Role.LEARNER_REGISTRATION_BODY if scope is Scope.RAISED
            else Role.AWARDING_ORGANISATION)
    if not caller.organisation.has_role(role):
        raise InsufficientAccess(f"Scope {scope.value} needs the "
                                 f"{'LRB' if scope is Scope.RAISED else 'AO'} role")
    organisation = caller.organisation.id
    with ctx.uow_factory() as uow:
        total, found = uow.challenges.page(
            kind=ChallengeKind.EVENT, offset=page.offset, limit=page.size, status=status,
            raised_by=organisation if scope is Scope.RAISED else None,
            event_owner=organisation if scope is Scope.OWNED else None)
        views = _event_views(uow, found)
    code = ResponseCode.EXACT_MATCH if total else ResponseCode.NO_MATCH
    return ChallengePage(code, page, total, tuple(views))


def resolve_event_challenge(ctx: ServiceContext, caller: Caller, challenge_id: int,
                            decision: EventDecision | str, *, reason: str | None = None,
                            correction: EventCorrection | None = None) -> ResolveResult:
    """Only the awarding organisation owning the challenged event may resolve it; to any
    other caller the challenge does not exist (WSRC0001)."""
    now = ctx.clock()
    with ctx.uow_factory() as uow:
        owned = _owned_event_challenge(uow, caller, challenge_id)
        if owned is None:
            return ResolveResult(ResponseCode.NO_MATCH)
        challenge, event = owned.challenge, owned.event
        if not challenge.is_open:
            return ResolveResult(ResponseCode.EXACT_MATCH, ResolveOutcome.ALREADY_RESOLVED,
                                 EventChallengeView(challenge, event))
        learner = uow.learners.by_uln(event.learner_uln)
        resolution = resolve_event(decision, event, reason=reason, correction=correction,
                                   date_of_birth=learner.details.date_of_birth if learner
                                   else None, today=uk_date(now))
        if not uow.challenges.resolve(challenge_id, status=resolution.status,
                                      resolution=resolution.text,
                                      organisation_id=caller.organisation.id, now=now):
            uow.rollback()
            return ResolveResult(ResponseCode.EXACT_MATCH, ResolveOutcome.ALREADY_RESOLVED,
                                 EventChallengeView(uow.challenges.get(challenge_id), event))
        if resolution.change is not None:
            uow.achievements.update_events([resolution.change], now=now)
        uow.audit.record(at=now, organisation_id=caller.organisation.id,
                         user_name=caller.user_name, action="challenge.event.resolve",
                         uln=event.learner_uln,
                         detail={"challenge_id": challenge_id, "decision": str(decision),
                                 "changed": sorted(resolution.change.fields)
                                 if resolution.change else []})
        view = EventChallengeView(uow.challenges.get(challenge_id),
                                  uow.records.events_by_ids([event.id]).get(event.id))
        uow.commit()
    outcome = (ResolveOutcome.REJECTED if resolution.status is ChallengeStatus.REJECTED
               else ResolveOutcome.ACCEPTED)
    return ResolveResult(ResponseCode.EXACT_MATCH, outcome, view)


def event_challenge_for_owner(ctx: ServiceContext, caller: Caller,
                              challenge_id: int) -> EventChallengeView | None:
    """A challenge on one of the caller's events (the portal's resolve page); None for any
    other id, exactly as for one that does not exist."""
    with ctx.uow_factory() as uow:
        return _owned_event_challenge(uow, caller, challenge_id)


def _owned_event_challenge(uow: UnitOfWork, caller: Caller,
                           challenge_id: int) -> EventChallengeView | None:
    challenge = uow.challenges.get(challenge_id)
    if challenge is None or challenge.kind is not ChallengeKind.EVENT:
        return None
    event = uow.records.events_by_ids([challenge.learning_event_id]).get(
        challenge.learning_event_id)
    return EventChallengeView(challenge, event) if owns(event, caller.organisation.id) else None


def _event_views(uow: UnitOfWork, challenges: list[DataChallenge]) -> list[EventChallengeView]:
    events = uow.records.events_by_ids({c.learning_event_id for c in challenges
                                        if c.learning_event_id is not None})
    return [EventChallengeView(c, events.get(c.learning_event_id)) for c in challenges]


# ----- ULN challenges -----

def raise_uln_challenge(ctx: ServiceContext, caller: Caller, uln: str,
                        challenge_type: UlnChallengeType | str, reason: str) -> UlnRaiseResult:
    """Any valid ULN may be challenged: whether it was issued is not revealed (an
    administrator rejects a challenge on a ULN nobody holds)."""
    find_by_uln.check_uln(uln)
    challenge_type, reason = UlnChallengeType(challenge_type), clean_reason(reason)
    now = ctx.clock()
    with ctx.uow_factory() as uow:
        own = uow.challenges.open_uln_challenge(uln, challenge_type.value,
                                                caller.organisation.id)
        if own is not None:
            return UlnRaiseResult(ResponseCode.EXACT_MATCH, RaiseOutcome.ALREADY_OPEN, own)
        try:
            challenge = uow.challenges.add(kind=ChallengeKind.ULN,
                                           organisation_id=caller.organisation.id,
                                           user_name=caller.user_name, reason=reason, now=now,
                                           uln=uln, challenge_type=challenge_type.value)
        except DuplicateChallenge:  # a racing raise of the same one committed first
            own = uow.challenges.open_uln_challenge(uln, challenge_type.value,
                                                    caller.organisation.id)
            return UlnRaiseResult(ResponseCode.EXACT_MATCH, RaiseOutcome.ALREADY_OPEN, own)
        uow.audit.record(at=now, organisation_id=caller.organisation.id,
                         user_name=caller.user_name, action="challenge.uln.raise", uln=uln,
                         detail={"challenge_id": challenge.id, "type": challenge_type.value})
        uow.commit()
    return UlnRaiseResult(ResponseCode.EXACT_MATCH, RaiseOutcome.RAISED, challenge)


def list_uln_challenges(ctx: ServiceContext, caller: Caller | None,
                        status: ChallengeStatus | None = None,
                        page: Page | None = None) -> ChallengePage:
    """The ULN challenges the caller's organisation raised, oldest first; every
    organisation's when ``caller`` is None (administrators)."""
    page = page or Page()
    with ctx.uow_factory() as uow:
        total, found = uow.challenges.page(
            kind=ChallengeKind.ULN, offset=page.offset, limit=page.size, status=status,
            raised_by=caller.organisation.id if caller else None)
    code = ResponseCode.EXACT_MATCH if total else ResponseCode.NO_MATCH
    return ChallengePage(code, page, total, tuple(found))


def list_event_challenges_admin(ctx: ServiceContext, status: ChallengeStatus | None = None,
                                page: Page | None = None) -> ChallengePage:
    page = page or Page()
    with ctx.uow_factory() as uow:
        total, found = uow.challenges.page(kind=ChallengeKind.EVENT, offset=page.offset,
                                           limit=page.size, status=status)
        views = _event_views(uow, found)
    code = ResponseCode.EXACT_MATCH if total else ResponseCode.NO_MATCH
    return ChallengePage(code, page, total, tuple(views))


def open_uln_challenge(uow: UnitOfWork, challenge_id: int, ulns: set[str]) -> DataChallenge:
    """An administrator's ULN challenge that is open and names one of ``ulns``."""
    challenge = uow.challenges.get(challenge_id)
    if challenge is None or challenge.kind is not ChallengeKind.ULN:
        raise AdminError(f"no ULN data challenge {challenge_id}")
    if not challenge.is_open:
        raise AdminError(f"ULN data challenge {challenge_id} is {challenge.status.value} "
                         "already")
    if challenge.uln not in ulns:
        raise AdminError(f"ULN data challenge {challenge_id} is about ULN {challenge.uln}, "
                         f"not {' or '.join(sorted(ulns))}")
    return challenge


def close_uln_challenge(uow: UnitOfWork, challenge_id: int, status: ChallengeStatus,
                        resolution: str, *, actor: str, now) -> None:
    if not uow.challenges.resolve(challenge_id, status=status, resolution=resolution,
                                  organisation_id=None, now=now):
        raise AdminError(f"ULN data challenge {challenge_id} was closed meanwhile")
    uow.audit.record(at=now, organisation_id=None, user_name=actor[:35],
                     action=f"challenge.uln.{status.value}",
                     uln=uow.challenges.get(challenge_id).uln,
                     detail={"challenge_id": challenge_id, "resolution": resolution})


def reject_uln_challenge(ctx: ServiceContext, challenge_id: int, reason: str, *,
                         actor: str) -> DataChallenge:
    """An administrator rejects a ULN challenge (``lrs-soap challenges reject``)."""
    try:
        reason = clean_reason(reason)
    except InvalidRequest as error:  # shown to an administrator as a usage error
        raise AdminError(error.further_details) from None
    now = ctx.clock()
    with ctx.uow_factory() as uow:
        challenge = uow.challenges.get(challenge_id)
        if challenge is None or challenge.kind is not ChallengeKind.ULN:
            raise AdminError(f"no ULN data challenge {challenge_id}")
        if not challenge.is_open:
            raise AdminError(f"ULN data challenge {challenge_id} is "
                             f"{challenge.status.value} already")
        close_uln_challenge(uow, challenge_id, ChallengeStatus.REJECTED, reason, actor=actor,
                            now=now)
        challenge = uow.challenges.get(challenge_id)
        uow.commit()
    return challenge
