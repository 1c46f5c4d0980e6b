"""Failed sign-ins: growing delays, lockout (WSEC0007), clearing, and what is counted."""

import datetime as dt

import pytest

from lrs_soap.domain.codes import ErrorCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.domain.model import Role
from lrs_soap.domain.sign_in_policy import SignInPolicy, ThrottlePolicy
from lrs_soap.service import accounts, sign_in_throttle
from lrs_soap.service.accounts import Credentials
from tests.unit.fakes import FakeClock, make_context

PASSWORD = "Correct-Horse-16"


@pytest.fixture
def world():
    clock = FakeClock()
    ctx, store = make_context(clock=clock)
    accounts.create_organisation(ctx, name="College", ukprn="10000001", reference=None,
                                 roles=frozenset({Role.LEARNER_REGISTRATION_BODY}))
    accounts.set_password(ctx, "10000001", PASSWORD)
    for user in ("alice", "bob"):
        accounts.create_user(ctx, "10000001", user)
    return ctx, clock, store


def sign_in(ctx, password, user="alice", ukprn="10000001") -> str:
    try:
        accounts.authenticate(ctx, Credentials(user, password, ukprn=ukprn), "find_learner")
    except LrsError as error:
        return error.code.value
    return "ok"


def test_schedule_of_blocks(world):
    ctx, clock, store = world
    blocked_for = []
    for _ in range(10):
        assert sign_in(ctx, "wrong-password-1") == "WSEC0005"
        held = store.sign_in_failures["UKPRN 10000001", "alice"]
        until = held.blocked_until
        blocked_for.append(0 if until is None else int((until - clock()).total_seconds()))
        if until is not None:
            assert sign_in(ctx, PASSWORD) == "WSEC0007"
            clock.now = until
    assert blocked_for == [0, 0, 0, 1, 2, 4, 8, 16, 32, 900]


def test_the_lockout_fault_says_how_long_to_wait(world):
    ctx, clock, _ = world
    for _ in range(4):
        sign_in(ctx, "wrong-password-1")
    with pytest.raises(sign_in_throttle.SignInLocked) as raised:
        accounts.authenticate(ctx, Credentials("alice", PASSWORD, ukprn="10000001"),
                              "find_learner")
    assert raised.value.code is ErrorCode.SIGN_IN_LOCKED
    assert raised.value.further_details == "too many failed sign-ins: try again in 1 seconds"


def test_a_success_clears_the_users_count_but_not_the_organisations(world):
    ctx, _, store = world
    for _ in range(3):
        sign_in(ctx, "wrong-password-1")
    assert sign_in(ctx, PASSWORD) == "ok"
    assert ("UKPRN 10000001", "alice") not in store.sign_in_failures
    assert store.sign_in_failures["UKPRN 10000001", ""].failures == 3


def test_rotating_user_names_does_not_buy_more_guesses(world):
    ctx, _, _ = world
    answers = [sign_in(ctx, "wrong-password-1", user=f"user{n}") for n in range(12)]
    assert answers == ["WSEC0005"] * 11 + ["WSEC0007"]  # organisation-wide: 10 free, then 1 s


def test_an_unknown_organisation_is_throttled_exactly_like_a_known_one(world):
    ctx, _, _ = world
    known = [sign_in(ctx, "wrong-password-1") for _ in range(5)]
    unknown = [sign_in(ctx, "wrong-password-1", ukprn="19999999") for _ in range(5)]
    assert known == ["WSEC0005"] * 4 + ["WSEC0007"]
    assert unknown == ["WSEC0003"] * 4 + ["WSEC0007"]


def test_failures_are_forgotten_after_a_quiet_quarter_hour(world):
    ctx, clock, store = world
    for _ in range(3):
        sign_in(ctx, "wrong-password-1")
    clock.advance(minutes=16)
    sign_in(ctx, "wrong-password-1")
    assert store.sign_in_failures["UKPRN 10000001", "alice"].failures == 1


def lock_out(ctx, clock, store, user="alice"):
    for _ in range(10):
        sign_in(ctx, "wrong-password-1", user=user)
        until = store.sign_in_failures["UKPRN 10000001", user].blocked_until
        if until is not None and until - clock() < dt.timedelta(minutes=15):
            clock.now = until
    assert sign_in(ctx, PASSWORD, user=user) == "WSEC0007"


def test_an_administrator_clears_one_users_lockout(world):
    ctx, clock, store = world
    lock_out(ctx, clock, store)
    assert sign_in_throttle.clear(ctx, "10000001", "alice") == 1
    assert sign_in(ctx, PASSWORD) == "ok"
    assert [(org, user, count.failures) for org, user, count in sign_in_throttle.held(ctx)
            ] == [("UKPRN 10000001", "", 10)]


def test_clearing_an_organisation_clears_every_count_of_it(world):
    ctx, clock, store = world
    lock_out(ctx, clock, store)
    sign_in(ctx, "wrong-password-1", user="bob")
    assert sign_in_throttle.clear(ctx, "10000001") == 3  # alice, bob, organisation
    assert sign_in(ctx, PASSWORD) == "ok"
    assert sign_in_throttle.held(ctx) == []


def test_the_policy_caps_a_delay_at_the_lockout():
    policy = ThrottlePolicy(free_failures=0, lockout_after=100,
                            lockout=dt.timedelta(seconds=60))
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert policy.blocked_until(20, now) == now + dt.timedelta(seconds=60)
    assert SignInPolicy().for_user("").free_failures == 10


def test_a_block_seen_is_refused_without_reading_the_database_for_a_second(world):
    ctx, clock, store = world
    for _ in range(4):
        sign_in(ctx, "wrong-password-1")
    assert sign_in(ctx, PASSWORD) == "WSEC0007"  # read from the database, and remembered
    # Lifted behind this process's back (another host's administrator): still refused here
    # for up to REMEMBERED_SECONDS, without a read...
    del store.sign_in_failures["UKPRN 10000001", "alice"]
    assert sign_in(ctx, PASSWORD) == "WSEC0007"
    # ...then read again, and the caller is let in.
    key, (until, seen) = next(iter(ctx.blocked_sign_ins.items()))
    ctx.blocked_sign_ins[key] = (until, seen - sign_in_throttle.REMEMBERED_SECONDS - 0.01)
    assert sign_in(ctx, PASSWORD) == "ok"


def test_clearing_a_lockout_in_this_process_lifts_it_at_once(world):
    ctx, _, _ = world
    for _ in range(4):
        sign_in(ctx, "wrong-password-1")
    assert sign_in(ctx, PASSWORD) == "WSEC0007"
    sign_in_throttle.clear(ctx, "10000001")
    assert sign_in(ctx, PASSWORD) == "ok"
