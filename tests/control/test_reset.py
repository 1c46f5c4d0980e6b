"""Reset: empty, demo or a fixture file, in one transaction, control state included."""

from __future__ import annotations

import datetime as dt

import pytest

from lrs_soap.control.fixture_file import FixtureError
from lrs_soap.domain.model import LearnerDetails
from lrs_soap.service import accounts, chosen_ulns
from tests.control.conftest import DATA


def organisations(runtime) -> list[str]:
    return sorted(o.ukprn or o.reference for o, _ in accounts.list_organisations(runtime.services))


def learner(runtime, uln):
    with runtime.services.uow_factory() as uow:
        return uow.learners.by_uln(uln)


def test_reset_to_demo_then_empty_then_a_fixture(runtime, control):
    report = control.reset("demo")
    assert organisations(runtime) == ["10000001", "10000002", "10000005"]
    assert learner(runtime, "1026893096").details.given_name == "Sam"
    assert report.state == "demo" and report.rows > 0

    control.reset("empty")
    assert organisations(runtime) == []
    assert learner(runtime, "1026893096") is None

    control.reset(DATA / "college.yaml")
    assert organisations(runtime) == ["10012345", "10054321"]
    assert learner(runtime, "1000000027").details.postcode == "M13 9PL"


def test_a_reset_undoes_what_tests_did_and_the_second_uses_the_snapshot(runtime, control):
    first = control.reset("demo")
    chosen_ulns.add_learner(runtime.services, "1000000019", LearnerDetails(
        "Extra", "Learner", dt.date(2001, 1, 1), "1", "LS1 4AP"), actor="test")
    accounts.create_organisation(runtime.services, name="Later", ukprn="10099999",
                                 reference=None, roles=frozenset({"LRB"}))
    second = control.reset("demo")
    assert organisations(runtime) == ["10000001", "10000002", "10000005"]
    assert learner(runtime, "1000000019") is None
    assert second.cached and second.rows == first.rows
    # ids start again where the snapshot left them: a new organisation gets the next one
    created = accounts.create_organisation(runtime.services, name="Next", ukprn="10099998",
                                           reference=None, roles=frozenset({"LRB"}))
    assert created.id == 4  # after the three demo organisations


def test_a_reset_returns_the_clock_to_real_time(runtime, control):
    control.reset("empty")
    control.freeze(dt.datetime(2020, 5, 5, tzinfo=dt.UTC))
    assert runtime.services.clock() == dt.datetime(2020, 5, 5, tzinfo=dt.UTC)
    control.reset("empty")
    assert control.clock_state().real
    assert abs(runtime.services.clock() - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=5)


def test_an_unknown_state_is_refused_and_nothing_changes(runtime, control):
    control.reset("demo")
    with pytest.raises(FixtureError, match="neither a named state"):
        control.reset("nonsense")
    assert organisations(runtime) == ["10000001", "10000002", "10000005"]


def test_a_bad_fixture_on_reset_leaves_the_database_as_it_was(runtime, control, tmp_path):
    control.reset("demo")
    bad = tmp_path / "bad.yaml"
    bad.write_text((DATA / "college.yaml").read_text().replace('"1000000027"', '"1000000028"'))
    with pytest.raises(FixtureError, match=r"bad.yaml line 37: ULN '1000000028' is not a "
                                           r"valid ULN \(bad check digit\)"):
        control.reset(bad)
    assert organisations(runtime) == ["10000001", "10000002", "10000005"]
