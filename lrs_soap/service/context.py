"""What every use case is given: built once by the composition root (lrs_soap.bootstrap)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lrs_soap.domain.sign_in_policy import SignInPolicy
from lrs_soap.service.ports import Clock, PasswordHasher, UnitOfWork
from lrs_soap.service.randomness import Randomness, SecureRandomness

if TYPE_CHECKING:
    from lrs_soap.service.journal_ports import JournalStore


@dataclass(frozen=True)
class RegistrationPolicy:
    """The find-before-register procedure (lrs-rules 3.3; the live timings are unpublished).

    A RegisterLearner needs a full (FUL) FindByDemographics by the same organisation for the
    same five demographics within ``search_window``; if that search found possible matches
    (or too many), ``possible_match_wait`` must have passed since it.
    """

    search_window: dt.timedelta = dt.timedelta(hours=1)
    possible_match_wait: dt.timedelta = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class BatchTiming:
    """How batch jobs run. ``normal`` unless a test harness says otherwise (control):
    ``immediate`` processes a job within its Submit call; ``hold`` leaves jobs waiting;
    ``delay`` holds each job until it has waited ``seconds`` on the service clock; ``fail``
    fails each job a worker takes (WSRC0010)."""

    mode: str = "normal"
    seconds: float = 0.0

    def as_json(self) -> dict:
        return {"mode": self.mode, "seconds": self.seconds}


BATCH_MODES = ("normal", "immediate", "hold", "delay", "fail")
NORMAL_BATCHES = BatchTiming()


def _normal_batches() -> BatchTiming:
    return NORMAL_BATCHES


@dataclass(frozen=True)
class ServiceContext:
    uow_factory: Callable[[], UnitOfWork]
    clock: Clock
    passwords: PasswordHasher
    registration: RegistrationPolicy = field(default_factory=RegistrationPolicy)
    sign_in_policy: SignInPolicy = field(default_factory=SignInPolicy)
    # A unit of work never shared with a request scope, for writes that must outlive the
    # request's rollback (a failed sign-in is counted although the call is refused).
    detached_uow_factory: Callable[[], UnitOfWork] | None = None
    # The request journal (lrs_soap.service.journal); None when LRS_JOURNAL=off.
    journal: JournalStore | None = None
    batch_timing: Callable[[], BatchTiming] = _normal_batches
    randomness: Randomness = field(default_factory=SecureRandomness)
    # Whether an error from the store is worth retrying (a lost connection, a deadlock):
    # the store knows its errors (store/errors.py); by default nothing is.
    is_transient: Callable[[BaseException], bool] = lambda error: False
    # How a refusal or a batch record's Reason names a learner's field (a LearnerProblem's
    # attribute): the faces' wording (record_elements.element_label), given by the
    # composition root since no use case may read the faces' table; by default the attribute.
    field_label: Callable[[str], str] = str
    # Sign-ins this process has seen blocked: (organisation, user name) -> (blocked until,
    # when seen, monotonic), so a flood of blocked guesses costs no database read
    # (service/sign_in_throttle.py). Shared by every request scope made from this context;
    # None: always ask the database (a test harness's resets must count at once everywhere).
    blocked_sign_ins: dict[tuple[str, str], tuple[dt.datetime, float]] | None = field(
        default_factory=dict)
