"""Fixture files: loaded through the service layer, whole or not at all, errors on their line,
and exported to the same format."""

from __future__ import annotations

import re

import pytest

from lrs_soap.control.fixture_file import FixtureError
from lrs_soap.domain.model import LearnerStatus
from lrs_soap.service import accounts, challenges
from lrs_soap.service.accounts import Credentials
from tests.conftest import REPO
from tests.control.conftest import DATA

COLLEGE = DATA / "college.yaml"


def test_a_fixture_loads_organisations_users_learners_merges_and_events(runtime, control):
    control.reset("empty")
    counts = control.load_fixture(COLLEGE)
    assert counts == {"organisations": 2, "qualifications": 2, "learners": 3, "events": 1,
                      "achievements": 1, "challenges": 2}
    caller = accounts.authenticate(runtime.services, Credentials(
        user_name="alice", password="HarnessCollege1!", ukprn="10012345"), "find_learner")
    assert caller.organisation.name == "Harness College"
    with pytest.raises(accounts.InsufficientAccess):  # bob is listed, but inactive
        accounts.authenticate(runtime.services, Credentials(
            user_name="bob", password="HarnessCollege1!", ukprn="10012345"), "find_learner")
    with runtime.services.uow_factory() as uow:
        turing = uow.learners.by_uln("1000000027")
        duplicate = uow.learners.by_uln("1000000035")
        register = uow.qualifications.by_references(["603/0001/1", "Y/600/0001"])
        events = uow.achievements.events_for_learners(["1000000019"])
    # normalised as RegisterLearner would: postcode form, e-mail domain lower-cased
    assert (turing.details.postcode, turing.details.email_address) == (
        "M13 9PL", "alan@example.org")
    assert (duplicate.status, duplicate.master_uln) == (LearnerStatus.MERGED, "1000000019")
    assert register["603/0001/1"].shared is False and register["Y/600/0001"].is_unit is True
    assert [(e.source, e.qualification_reference, e.grade) for e in events] == [
        ("ILR", "60312345", None), ("AO", "603/0001/1", "Merit")]
    raised = challenges.list_event_challenges(runtime.services, caller, "RAISED").challenges
    assert [(c.challenge.raised_by_user, c.challenge.reason, c.event.grade)
            for c in raised] == [("alice", "The grade should be Distinction", "Merit")]
    [shared] = challenges.list_uln_challenges(runtime.services, caller).challenges
    assert (shared.uln, shared.challenge_type, shared.status.value) == (
        "1000000027", "SHARED_ULN", "open")


@pytest.mark.parametrize(("change", "line", "problem"), [
    (('"1000000027"', '"1000000028"'), 37, "ULN '1000000028' is not a valid ULN "
                                           "(bad check digit)"),
    (("date_of_birth: 2004-06-23", "date_of_birth: 2024-06-23"), 37, "age"),
    (("roles: [LRB]", "roles: [XYZ]"), 5, "unknown role(s) ['XYZ']: use LRB and/or AO"),
    (("owner: \"10054321\"", "owner: \"10099999\""), 17,
     "column owner_ukprn: no registered organisation has UKPRN 10099999"),
    (("    gender: 1\n", "    gender: 1\n    shoe_size: 9\n"), 37, "unknown key(s) shoe_size"),
    (("merged_into: \"1000000019\"", "merged_into: \"1000000043\""), 44, "1000000043"),
    (("subject_code: \"60312345\"", "subject_code: \"\""), 52,
     "column subject_code: is required"),
    (("learners:\n", "learners:\n  - [not, a, mapping]\n"), 3,
     "learners must be a list of mappings"),
    (("  - name: Harness College", "  - name: [Harness"), 6, "not valid YAML"),
    (("grade: Merit\n    award_date: 2025-07-01", "grade: Merit\n    award_date: 2099-07-01"),
     61, "AwardDate is in the future"),
    (("    qualification: 603/0001/1\n    grade", "    qualification: 603/0009/9\n    grade"),
     61, "achievement refused (WSRC0021; QualificationReference is not in the qualification "
         "register)"),
    (("awarding_organisation: \"10054321\"\n    reason", "awarding_organisation: \"10012345\"\n"
      "    reason"), 70, "10012345 holds no achievement of 603/0001/1 for ULN 1000000019"),
    (("type: SHARED_ULN", "type: SHARED"), 78, "type must be one of CREATED_INCORRECTLY"),
])
def test_a_bad_entry_names_its_line_and_nothing_loads(runtime, control, tmp_path, change,
                                                      line, problem):
    control.reset("demo")
    bad = tmp_path / "bad.yaml"
    text = COLLEGE.read_text()
    assert change[0] in text
    bad.write_text(text.replace(change[0], change[1], 1))
    with pytest.raises(FixtureError) as raised:
        control.load_fixture(bad)
    assert str(raised.value).startswith(f"bad.yaml line {line}")
    assert problem in str(raised.value)
    names = sorted(o.ukprn for o, _ in accounts.list_organisations(runtime.services))
    assert names == ["10000001", "10000002", "10000005"]  # the demo only: nothing of the fixture


def test_export_then_load_gives_the_same_state(runtime, control, tmp_path):
    control.reset(COLLEGE)
    exported = control.export_fixture()
    saved = tmp_path / "exported.yaml"
    saved.write_text(exported)
    control.reset("empty")
    control.load_fixture(saved)
    assert control.export_fixture() == exported
    # the exported hash still signs in with the fixture's password
    caller = accounts.authenticate(runtime.services, Credentials(
        user_name="exams", password="HarnessAwarding1", ukprn="10054321"), "verify_learner")
    assert caller.organisation.ukprn == "10054321"


def test_the_demo_exports_and_reloads_too(control, tmp_path):
    control.reset("demo")
    exported = control.export_fixture()
    (tmp_path / "demo.yaml").write_text(exported)
    control.reset(tmp_path / "demo.yaml")
    assert control.export_fixture() == exported


def test_the_documented_example_loads(control, tmp_path):
    """docs/fixtures.md's example is a fixture that loads, every section of it."""
    page = (REPO / "docs" / "fixtures.md").read_text()
    (tmp_path / "example.yaml").write_text(re.search(r"```yaml\n(.*?)```", page, re.S)[1])
    control.reset("empty")
    assert control.load_fixture(tmp_path / "example.yaml") == {
        "organisations": 2, "qualifications": 1, "learners": 2, "events": 1, "achievements": 1,
        "challenges": 2}
