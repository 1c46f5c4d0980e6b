"""Failed sign-in throttling and lockout: the one module every face calls.

SOAP calls (``accounts.authenticate``) and browser sign-ins (the portal) use it the same way:

    attempt = sign_in_throttle.check(ctx, organisation_key(ukprn, ref), user_name)
    ...verify the password...
    sign_in_throttle.record_failure(ctx, attempt)   # or record_success(ctx, attempt)

``check`` refuses a blocked key with ``SignInLocked`` (WSEC0007) before any password is
hashed, from memory for a second after it last read the block, so a flood of guesses costs
no Argon2 hash and next to no database reads. Counts live in the database
(table ``sign_in_failures``), shared by every worker and host. The rule itself:
``domain/sign_in_policy.py``; administrators clear a lockout with ``lrs-soap lockouts clear``.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

from lrs_soap.domain.codes import ErrorCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.sign_in_policy import ANY_USER, organisation_key
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.ports import FailureCount

# Longer user names are cut for counting (the column's length); the schema allows 35.
MAX_KEY_PART = 100
REMEMBERED_SECONDS = 1.0
REMEMBERED_AT_MOST = 10_000


class SignInLocked(LrsError):
    code = ErrorCode.SIGN_IN_LOCKED


@dataclass(frozen=True)
class SignInAttempt:
    """What ``check`` saw: the keys to count against, and whether any failures were held."""

    organisation: str
    user_name: str
    had_failures: bool


def check(ctx: ServiceContext, organisation: str, user_name: str) -> SignInAttempt:
    """Refuse (SignInLocked) while this organisation, or this user of it, is blocked.

    A block this process saw less than REMEMBERED_SECONDS ago is taken as still standing
    without asking the database: a flood of blocked guesses then costs no read at all. A
    lockout cleared from another process is seen within that time.
    """
    return check_reading(ctx, organisation, user_name,
                         lambda key, names: _counts(ctx, key, names))


def _counts(ctx: ServiceContext, organisation: str,
            names: tuple[str, str]) -> dict[str, FailureCount]:
    with ctx.uow_factory() as uow:
        return uow.sign_ins.counts(organisation, names)


def check_reading(ctx: ServiceContext, organisation: str, user_name: str,
                  read: Callable[[str, tuple[str, str]], dict[str, FailureCount]]
                  ) -> SignInAttempt:
    """``check`` with the counts read by ``read(organisation key, (user name, ANY_USER))``
    (both as counted: cut to the columns' length), called at most once and not at all for
    a block remembered from the last second, so a caller may read them in the statement it
    needs anyway."""
    organisation, user_name = organisation[:MAX_KEY_PART], user_name[:MAX_KEY_PART]
    now = ctx.clock()
    until = _remembered_block(ctx, (organisation, user_name), now)
    if until is None:
        counts = read(organisation, (user_name, ANY_USER))
        until = max((c.blocked_until for c in counts.values()
                     if c.blocked_until is not None and c.blocked_until > now), default=None)
        if until is None:
            return SignInAttempt(organisation, user_name, user_name in counts)
        if ctx.blocked_sign_ins is not None:
            if len(ctx.blocked_sign_ins) >= REMEMBERED_AT_MOST:
                ctx.blocked_sign_ins.clear()  # a guesser cycling through names: start again
            ctx.blocked_sign_ins[organisation, user_name] = (until, time.monotonic())
    wait = max(1, int((until - now).total_seconds() + 0.999))
    raise SignInLocked(f"too many failed sign-ins: try again in {wait} seconds")


def _remembered_block(ctx: ServiceContext, key: tuple[str, str],
                      now: dt.datetime) -> dt.datetime | None:
    seen = ctx.blocked_sign_ins.get(key) if ctx.blocked_sign_ins is not None else None
    if seen is None:
        return None
    until, at = seen
    if until <= now or time.monotonic() - at > REMEMBERED_SECONDS:
        ctx.blocked_sign_ins.pop(key, None)  # another thread of this worker may have, too
        return None
    return until


def record_failure(ctx: ServiceContext, attempt: SignInAttempt) -> None:
    """Count a failed sign-in for the user and for the organisation, and block as due."""
    now = ctx.clock()
    with _detached(ctx) as uow:
        for user_name in (attempt.user_name, ANY_USER):
            policy = ctx.sign_in_policy.for_user(user_name)
            failures = uow.sign_ins.add_failure(attempt.organisation, user_name, now,
                                                now - policy.forget_after)
            until = policy.blocked_until(failures, now)
            if until is not None:
                uow.sign_ins.block(attempt.organisation, user_name, until)
        uow.commit()


def record_success(ctx: ServiceContext, attempt: SignInAttempt) -> None:
    """A good password clears this user's count (the organisation's decays with time, so
    a guesser cannot reset it by riding on other users' successful calls)."""
    if not attempt.had_failures:
        return  # the common case writes nothing
    with _detached(ctx) as uow:
        uow.sign_ins.clear(attempt.organisation, attempt.user_name)
        uow.commit()


def clear(ctx: ServiceContext, organisation: str, user_name: str | None = None,
          by: str = "admin") -> int:
    """Administrators: forget the failures held for an organisation named by its UKPRN or
    OrganisationRef (under either name it has), all of them or one user name's."""
    if ctx.blocked_sign_ins is not None:
        ctx.blocked_sign_ins.clear()  # this process sees it at once, others within a second
    with _detached(ctx) as uow:
        found = uow.organisations.by_ukprn(organisation) or uow.organisations.by_reference(
            organisation)
        names = ({organisation_key(found.ukprn, None), organisation_key(None, found.reference)}
                 if found else {organisation_key(organisation, None),
                                organisation_key(None, organisation)})
        cleared = sum(uow.sign_ins.clear(name, user_name) for name in sorted(names))
        uow.audit.record(at=ctx.clock(), organisation_id=found.id if found else None,
                         user_name=user_name, action="sign-ins.clear",
                         detail={"organisation": organisation, "cleared": cleared, "by": by})
        uow.commit()
    return cleared


def held(ctx: ServiceContext) -> list[tuple[str, str, FailureCount]]:
    """Every count held, blocked or not (organisation, user name or '' for all, count)."""
    with _detached(ctx) as uow:
        return uow.sign_ins.all()


def _detached(ctx: ServiceContext):
    return (ctx.detached_uow_factory or ctx.uow_factory)()


def blocked_now(count: FailureCount, now: dt.datetime) -> bool:
    return count.blocked_until is not None and count.blocked_until > now
