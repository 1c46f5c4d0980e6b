"""The sign-in failure counts on real databases: atomic across concurrent writers, and a
refused call's failure is kept although the request rolls back."""

from __future__ import annotations

import datetime as dt
import threading

from lrs_soap.domain.model import Role
from lrs_soap.service import accounts, sign_in_throttle
from lrs_soap.service.accounts import Credentials
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.request_scope import RequestScope
from tests.unit.fakes import PlainPasswords

NOW = dt.datetime(2026, 12, 4, 12, 0, tzinfo=dt.UTC)


def test_concurrent_failures_are_all_counted(uow_factory):
    def count(times: int) -> None:
        for _ in range(times):
            with uow_factory() as uow:
                uow.sign_ins.add_failure("UKPRN 10000001", "alice", NOW,
                                         NOW - dt.timedelta(minutes=15))
                uow.commit()

    threads = [threading.Thread(target=count, args=(25,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with uow_factory() as uow:
        held = uow.sign_ins.counts("UKPRN 10000001", ["alice", "bob"])
    assert list(held) == ["alice"]
    assert held["alice"].failures == 100
    assert held["alice"].last_failure_at == NOW


def test_an_old_count_starts_again_and_blocks_are_kept(uow_factory):
    later = NOW + dt.timedelta(minutes=20)
    with uow_factory() as uow:
        for _ in range(3):
            uow.sign_ins.add_failure("REF ABC123", "", NOW, NOW - dt.timedelta(minutes=15))
        uow.sign_ins.block("REF ABC123", "", later)
        assert uow.sign_ins.add_failure("REF ABC123", "", later,
                                        later - dt.timedelta(minutes=15)) == 1
        uow.commit()
    with uow_factory() as uow:
        assert uow.sign_ins.all()[0][2].blocked_until == later
        assert uow.sign_ins.clear("REF ABC123") == 1
        uow.commit()


def test_a_refused_call_keeps_its_failure_count(uow_factory):
    ctx = ServiceContext(uow_factory=uow_factory, detached_uow_factory=uow_factory,
                         clock=lambda: NOW, passwords=PlainPasswords())
    accounts.create_organisation(ctx, name="College", ukprn="10000001", reference=None,
                                 roles=frozenset({Role.LEARNER_REGISTRATION_BODY}))
    accounts.set_password(ctx, "10000001", "Correct-Horse-16")
    for _ in range(4):
        try:
            with RequestScope(ctx) as services:  # rolls back, as a refused SOAP call does
                accounts.authenticate(services, Credentials("alice", "wrong", ukprn="10000001"),
                                      "find_learner")
        except accounts.IncorrectPassword:
            pass
    held = {user: count for _, user, count in sign_in_throttle.held(ctx)}
    assert {user: count.failures for user, count in held.items()} == {"": 4, "alice": 4}
    assert held["alice"].blocked_until == NOW + dt.timedelta(seconds=1)


def test_the_counts_read_with_the_caller_equal_the_two_reads_apart(uow_factory):
    # Every SOAP call reads both in one statement: it must answer as the two reads do, for a
    # known or unknown organisation, user and counts, by UKPRN or by OrganisationRef.
    blocked = NOW + dt.timedelta(minutes=5)
    with uow_factory() as uow:
        college = uow.organisations.add(name="College", ukprn="10000001", reference="ABC123",
                                        roles=frozenset({Role.LEARNER_REGISTRATION_BODY}))
        uow.users.add(college.id, "alice")
        for user_name in ("alice", "", "bob"):
            uow.sign_ins.add_failure("UKPRN 10000001", user_name, NOW, NOW)
        uow.sign_ins.block("UKPRN 10000001", "", blocked)
        uow.commit()
    asked = [("UKPRN 10000001", ("alice", ""), "ukprn", "10000001", "alice"),
             ("UKPRN 10000001", ("carol", ""), "ukprn", "10000001", "carol"),
             ("UKPRN 10000001", ("", ""), "ukprn", "10000001", ""),
             ("REF ABC123", ("alice", ""), "reference", "ABC123", "alice"),
             ("UKPRN 99999999", ("bob", ""), "ukprn", "99999999", "bob")]
    with uow_factory() as uow:
        for key, names, column, value, user_name in asked:
            together = uow.sign_ins.counts_with_caller(key, names, column, value, user_name)
            apart = (uow.sign_ins.counts(key, names),
                     uow.organisations.with_user(column, value, user_name))
            assert together == apart, (key, names, user_name)
    assert together[1] is None and together[0] == {}  # no such organisation, no failures
