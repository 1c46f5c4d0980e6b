"""How failed sign-ins slow a password guesser down (the rule; the service keeps the counts).

Failures are counted per organisation and user name *as sent* (so an unknown organisation
is throttled exactly like a known one, and throttling reveals nothing), and per
organisation across all user names (the password belongs to the organisation: rotating
user names must not buy more guesses). After ``free_failures`` each further failure blocks
the key for a doubling delay; at ``lockout_after`` it is locked for ``lockout``. While
blocked, attempts are refused before any password is checked, so they cost no hashing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

# The user-name slot of the organisation-wide count.
ANY_USER = ""


@dataclass(frozen=True)
class ThrottlePolicy:
    free_failures: int
    lockout_after: int
    first_delay: dt.timedelta = dt.timedelta(seconds=1)
    lockout: dt.timedelta = dt.timedelta(minutes=15)
    # A count whose last failure is older than this starts again from one.
    forget_after: dt.timedelta = dt.timedelta(minutes=15)

    def blocked_until(self, failures: int, now: dt.datetime) -> dt.datetime | None:
        """When the key may be tried again after its ``failures``-th failure (None: now)."""
        if failures <= self.free_failures:
            return None
        if failures >= self.lockout_after:
            return now + self.lockout
        delay = self.first_delay * 2 ** (failures - self.free_failures - 1)
        return now + min(delay, self.lockout)


@dataclass(frozen=True)
class SignInPolicy:
    per_user: ThrottlePolicy = ThrottlePolicy(free_failures=3, lockout_after=10)
    per_organisation: ThrottlePolicy = ThrottlePolicy(free_failures=10, lockout_after=30)

    def for_user(self, user_name: str) -> ThrottlePolicy:
        return self.per_organisation if user_name == ANY_USER else self.per_user


def organisation_key(ukprn: str | None, reference: str | None) -> str:
    """The organisation as the caller named it: ``UKPRN 10000001`` or ``REF ABC123``."""
    return f"UKPRN {ukprn}" if ukprn else f"REF {reference or ''}"
