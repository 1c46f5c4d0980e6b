"""What administrators may do to ULNs when resolving ULN data challenges (lrs-rules 8.2).

- **merge** DUPLICATE into MASTER: both active, different. DUPLICATE gets status 2 (merged)
  and ``master_uln``; nothing moves: reads of either ULN show the master's record, which
  includes the events held under DUPLICATE. ULNs that were merged into DUPLICATE are
  re-linked to MASTER, so links never chain.
- **unmerge** ULN: it must be merged. It becomes active again with its own record; it is
  refused when an active learner now has the same five demographics (the database's
  one-active-learner rule), naming that learner so one of them can be updated first.
- **split** ULN: it must be active. The second person is registered under a new ULN with
  their own details (the registration rules apply, including one active learner per five
  demographics) and the chosen events, which must be held under ULN itself, move to it.
- **delete** ULN: it must be active, have no ULNs merged into it and hold no event that is
  not withdrawn (move them first with split, or merge instead). It gets status 0 (retired):
  finds, verification and reads treat it as unknown; the ULN is never issued again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from lrs_soap.domain.model import Learner, LearnerStatus, LearningEvent


def _state(learner: Learner) -> str:
    if learner.status is LearnerStatus.RETIRED:
        return f"ULN {learner.uln} is deleted"
    if learner.status is LearnerStatus.MERGED:
        return f"ULN {learner.uln} is merged into {learner.master_uln}"
    return f"ULN {learner.uln} is active"


def merge_problem(duplicate: Learner | None, master: Learner | None,
                  duplicate_uln: str, master_uln: str) -> str | None:
    if duplicate_uln == master_uln:
        return "a ULN cannot be merged into itself"
    if duplicate is None:
        return f"no learner holds ULN {duplicate_uln}"
    if master is None:
        return f"no learner holds ULN {master_uln}"
    if duplicate.status is not LearnerStatus.ACTIVE:
        return _state(duplicate) + ": only an active ULN can be merged"
    if master.status is LearnerStatus.MERGED:
        return _state(master) + f": merge into {master.master_uln} instead"
    if master.status is not LearnerStatus.ACTIVE:
        return _state(master) + ": the master must be active"
    return None


def unmerge_problem(learner: Learner | None, uln: str) -> str | None:
    if learner is None:
        return f"no learner holds ULN {uln}"
    if learner.status is not LearnerStatus.MERGED:
        return _state(learner) + ": only a merged ULN can be unmerged"
    return None


def split_problem(learner: Learner | None, uln: str, event_ids: Collection[int],
                  held: Iterable[LearningEvent]) -> str | None:
    """``held``: the events held under ``uln`` itself."""
    if learner is None:
        return f"no learner holds ULN {uln}"
    if learner.status is LearnerStatus.MERGED:
        return _state(learner) + f": split the master {learner.master_uln}, or unmerge first"
    if learner.status is not LearnerStatus.ACTIVE:
        return _state(learner) + ": only an active ULN can be split"
    held_ids = {event.id for event in held}
    foreign = sorted(set(event_ids) - held_ids)
    if foreign:
        return (f"event(s) {', '.join(map(str, foreign))} are not held under ULN {uln}"
                + (f" (it holds {', '.join(map(str, sorted(held_ids)))})" if held_ids
                   else " (it holds none)"))
    return None


def delete_problem(learner: Learner | None, uln: str,
                   held: Iterable[LearningEvent]) -> str | None:
    if learner is None:
        return f"no learner holds ULN {uln}"
    if learner.status is not LearnerStatus.ACTIVE:
        return _state(learner) + ": only an active ULN can be deleted"
    if learner.linked_ulns:
        return (f"ULN(s) {', '.join(learner.linked_ulns)} are merged into {uln}: unmerge or "
                "re-merge them first")
    shown = sorted(event.id for event in held if not event.withdrawn)
    if shown:
        return (f"ULN {uln} holds learning event(s) {', '.join(map(str, shown))}: move them "
                "with split, or merge the ULN instead of deleting it")
    return None


# ----- the ULN report (MIAPULNReport: merged, unmerged and deleted ULNs for a period) -----

MAX_REPORT_DAYS = 366


@dataclass(frozen=True)
class LinkEntry:
    """A merge of ``merged_uln`` into ``master_uln`` (learner_links), undone at
    ``unmerged_at`` if it was."""

    master_uln: str
    merged_uln: str
    merged_at: dt.datetime
    unmerged_at: dt.datetime | None = None
    merged_by: str | None = None


@dataclass(frozen=True)
class DeletedEntry:
    uln: str
    deleted_at: dt.datetime


def report_period_problem(start: dt.date, end: dt.date) -> str | None:
    if end < start:
        return "ToDate is before FromDate"
    if (end - start).days + 1 > MAX_REPORT_DAYS:
        return f"the period is longer than {MAX_REPORT_DAYS} days: ask for shorter periods"
    return None
