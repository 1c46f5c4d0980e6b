"""Administrators' ULN actions (``lrs-soap learners merge|unmerge|split|delete|report``) and
the ULN report on the native face. Rules: lrs_soap.domain.learner_admin.

Each action runs in one transaction, is written to the audit log (organisation none, user
the administrator), and may close the open ULN data challenge it resolves
(``challenge_id``): the challenge must be about one of the ULNs acted on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass

from lrs_soap.domain import learner_admin, learner_formats, learner_rules
from lrs_soap.domain import uln as uln_rules
from lrs_soap.domain.calendar import UK, uk_date
from lrs_soap.domain.challenges import ChallengeStatus
from lrs_soap.domain.codes import ResponseCode
from lrs_soap.domain.errors import InvalidRequest
from lrs_soap.domain.learner_admin import DeletedEntry, LinkEntry
from lrs_soap.domain.learner_problems import worded
from lrs_soap.domain.model import Learner, LearnerDetails
from lrs_soap.service import uln_minting
from lrs_soap.service.accounts import AdminError, Caller
from lrs_soap.service.challenges import close_uln_challenge, open_uln_challenge
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.ports import DuplicateLearner, UnitOfWork


@dataclass(frozen=True)
class MergeResult:
    duplicate_uln: str
    master_uln: str
    relinked: tuple[str, ...] = ()  # ULNs that were merged into the duplicate


@dataclass(frozen=True)
class SplitResult:
    uln: str
    new_uln: str
    moved: tuple[int, ...]


@dataclass(frozen=True)
class UlnReport:
    code: ResponseCode  # WSRC0004 something to report, WSRC0024 nothing in the period
    start: dt.date
    end: dt.date
    merged: tuple[LinkEntry, ...] = ()
    unmerged: tuple[LinkEntry, ...] = ()
    deleted: tuple[DeletedEntry, ...] = ()
    learners: dict[str, Learner] | None = None  # administrators' report: who each ULN is


def _uln(uln: str) -> str:
    uln = (uln or "").strip()
    validity = uln_rules.validity(uln)
    if validity is not uln_rules.UlnValidity.VALID:
        raise AdminError(f"{uln or '(empty)'} is not a valid ULN ({validity.value})")
    return uln


def _refuse(problem: str | None) -> None:
    if problem:
        raise AdminError(problem)


def _audit(uow: UnitOfWork, now: dt.datetime, actor: str, action: str, uln: str,
           **detail: object) -> None:
    uow.audit.record(at=now, organisation_id=None, user_name=actor[:35], action=action,
                     uln=uln, detail=detail or None)


def _challenge(uow: UnitOfWork, challenge_id: int | None, ulns: set[str]) -> None:
    if challenge_id is not None:
        open_uln_challenge(uow, challenge_id, ulns)


def _resolve(uow: UnitOfWork, challenge_id: int | None, resolution: str, actor: str,
             now: dt.datetime) -> None:
    if challenge_id is not None:
        close_uln_challenge(uow, challenge_id, ChallengeStatus.RESOLVED, resolution,
                            actor=actor, now=now)


def merge(ctx: ServiceContext, duplicate_uln: str, master_uln: str, *, actor: str,
          challenge_id: int | None = None) -> MergeResult:
    duplicate_uln, master_uln = _uln(duplicate_uln), _uln(master_uln)
    now = ctx.clock()
    with ctx.uow_factory() as uow:
        duplicate, master = uow.learners.by_uln(duplicate_uln), uow.learners.by_uln(master_uln)
        _refuse(learner_admin.merge_problem(duplicate, master, duplicate_uln, master_uln))
        _challenge(uow, challenge_id, {duplicate_uln, master_uln})
        relinked = uow.learner_admin.relink(duplicate_uln, master_uln, by=actor, now=now)
        uow.learner_admin.merge(duplicate_uln, master_uln, by=actor, now=now)
        _audit(uow, now, actor, "learner.merge", duplicate_uln, master_uln=master_uln,
               relinked=relinked, challenge_id=challenge_id)
        _resolve(uow, challenge_id, f"ULN {duplicate_uln} merged into {master_uln}", actor, now)
        uow.commit()
    return MergeResult(duplicate_uln, master_uln, tuple(relinked))


def unmerge(ctx: ServiceContext, uln: str, *, actor: str,
            challenge_id: int | None = None) -> str:
    """Undo a merge; returns the master the ULN was merged into."""
    uln = _uln(uln)
    now = ctx.clock()
    with ctx.uow_factory() as uow:
        learner = uow.learners.by_uln(uln)
        _refuse(learner_admin.unmerge_problem(learner, uln))
        master_uln = learner.master_uln
        _challenge(uow, challenge_id, {uln, master_uln})
        clash = uow.learner_admin.active_uln_like(uln)
        if clash is not None:
            raise AdminError(f"cannot unmerge {uln}: the active learner {clash} has the same "
                             "five demographics (given and family name, date of birth, "
                             "gender, postcode); update one of them first (UpdateLearner)")
        try:
            uow.learner_admin.unmerge(uln, now=now)
        except DuplicateLearner:  # registered or updated since we looked
            raise AdminError(f"cannot unmerge {uln}: an active learner has the same five "
                             "demographics; update one of them first") from None
        _audit(uow, now, actor, "learner.unmerge", uln, master_uln=master_uln,
               challenge_id=challenge_id)
        _resolve(uow, challenge_id, f"ULN {uln} unmerged from {master_uln}", actor, now)
        uow.commit()
    return master_uln


def split(ctx: ServiceContext, uln: str, details: LearnerDetails, event_ids: Collection[int],
          *, actor: str, challenge_id: int | None = None) -> SplitResult:
    """Give the second person sharing ``uln`` a new ULN with ``details``, moving the events
    ``event_ids`` (held under ``uln``) to it."""
    uln = _uln(uln)
    problems = learner_formats.format_problems(details)  # no XSD checked these
    details = learner_rules.normalise_details(details)
    now = ctx.clock()
    broken = learner_rules.registration_problems(details, uk_date(now))
    problems += [worded(broken, ctx.field_label)] if broken else []
    if problems:
        raise AdminError("the second person's details: " + "; ".join(problems))
    moved = tuple(sorted(set(event_ids)))
    with ctx.uow_factory() as uow:
        learner = uow.learners.by_uln(uln)
        held = uow.achievements.events_for_learners([uln])
        _refuse(learner_admin.split_problem(learner, uln, moved, held))
        _challenge(uow, challenge_id, {uln})
        new_uln = uln_minting.mint(ctx, uow)
        try:
            uow.learners.add(new_uln, details, registered_by=None, now=now)
        except DuplicateLearner:
            raise AdminError("an active learner already has the second person's five "
                             "demographics: find them (FindByDemographics) and merge or "
                             "move the events there instead") from None
        if moved:
            uow.records.move_events(moved, new_uln, now=now)
        _audit(uow, now, actor, "learner.split", uln, new_uln=new_uln, events=list(moved),
               challenge_id=challenge_id)
        _audit(uow, now, actor, "learner.register", new_uln, split_from=uln)
        _resolve(uow, challenge_id, f"ULN {uln} split: the second person is ULN {new_uln}"
                 + (f" with event(s) {', '.join(map(str, moved))}" if moved else ""),
                 actor, now)
        uow.commit()
    return SplitResult(uln, new_uln, moved)


def delete(ctx: ServiceContext, uln: str, *, actor: str,
           challenge_id: int | None = None) -> None:
    uln = _uln(uln)
    now = ctx.clock()
    with ctx.uow_factory() as uow:
        learner = uow.learners.by_uln(uln)
        _refuse(learner_admin.delete_problem(learner, uln,
                                             uow.achievements.events_for_learners([uln])))
        _challenge(uow, challenge_id, {uln})
        uow.learner_admin.retire(uln, now=now)
        _audit(uow, now, actor, "learner.delete", uln, challenge_id=challenge_id)
        _resolve(uow, challenge_id, f"ULN {uln} deleted", actor, now)
        uow.commit()


def _period(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start 00:00, the day after end 00:00) on the UK calendar, as UTC instants."""
    since = dt.datetime.combine(start, dt.time(), tzinfo=UK).astimezone(dt.UTC)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time(),
                                tzinfo=UK).astimezone(dt.UTC)
    return since, until


def uln_report(ctx: ServiceContext, caller: Caller | None, start: dt.date,
               end: dt.date) -> UlnReport:
    """The ULNs merged, unmerged and deleted from ``start`` to ``end`` (UK dates,
    inclusive), oldest first. ``caller`` None: an administrator's report, which also names
    the learners."""
    problem = learner_admin.report_period_problem(start, end)
    if problem:
        if caller is None:
            raise AdminError(problem)
        raise InvalidRequest(problem)
    since, until = _period(start, end)
    with ctx.uow_factory() as uow:
        links = uow.learner_admin.links(since, until)
        deleted = uow.learner_admin.retired(since, until)
        learners = None
        if caller is None:
            ulns = {link.master_uln for link in links} | {link.merged_uln for link in links}
            learners = uow.achievements.learners_by_ulns(ulns | {d.uln for d in deleted})
    merged = tuple(sorted((link for link in links if since <= link.merged_at < until),
                          key=lambda link: link.merged_at))
    unmerged = tuple(sorted((link for link in links if link.unmerged_at is not None
                             and since <= link.unmerged_at < until),
                            key=lambda link: link.unmerged_at))
    deleted = tuple(sorted(deleted, key=lambda entry: entry.deleted_at))
    code = (ResponseCode.EXACT_MATCH if merged or unmerged or deleted
            else ResponseCode.NO_ULNS_FOR_REPORT)
    return UlnReport(code, start, end, merged, unmerged, deleted, learners)
