import dataclasses
import datetime as dt
import multiprocessing
import queue
import time

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, StatementError

from lrs_soap.domain.model import LearnerDetails, LearnerStatus, Role
from lrs_soap.service.ports import DuplicateLearner
from lrs_soap.store import SqlUnitOfWork, create_engine, session_factory
from lrs_soap.store.orm import (
    AuditLogRow,
    LearnerLinkRow,
    LearnerRow,
    OrganisationRow,
    UserRow,
)

NOW = dt.datetime(2024, 3, 5, 14, 30, 15, 123456, tzinfo=dt.UTC)
LRB = frozenset({Role.LEARNER_REGISTRATION_BODY})

FULL_DETAILS = LearnerDetails(
    given_name="Zoë", family_name="O'Brien-Smith", date_of_birth=dt.date(2004, 2, 29),
    gender="2", postcode="CV4 9EE", verification_type="999", ability_to_share="2",
    title="Ms", middle_other_name="Anne Marie", preferred_given_name="Zo",
    previous_family_name="Brown", family_name_at_16="Brown",
    school_at_age_16="Coventry School " + "x" * 200, address_line1="1 University Road",
    address_line2="Westwood", address_town="Coventry", address_county_or_city="West Midlands",
    date_of_address_capture=dt.date(2023, 12, 31), place_of_birth="Leamington Spa",
    email_address="zoe@example.co.uk", nationality="GBR", scottish_candidate_number="123456789",
    other_verification_description="Birth certificate", notes="n" * 4000,
)


def _org(uow, ukprn="10000001", reference=None, roles=LRB):
    return uow.organisations.add(name=f"Org {ukprn or reference}", ukprn=ukprn,
                                 reference=reference, roles=roles)


def test_organisations_by_ukprn_reference_and_id(uow_factory):
    with uow_factory() as uow:
        lrb = _org(uow, ukprn="10000001")
        ao = _org(uow, ukprn=None, reference="AO0001",
                  roles=frozenset({Role.AWARDING_ORGANISATION, Role.LEARNER_REGISTRATION_BODY}))
        uow.commit()
    with uow_factory() as uow:
        found = uow.organisations.by_ukprn("10000001")
        assert found == lrb
        assert found.roles == LRB and found.active and found.password_hash is None
        assert uow.organisations.by_reference("AO0001") == ao
        assert ao.has_role(Role.AWARDING_ORGANISATION) and ao.ukprn is None
        assert uow.organisations.by_id(ao.id) == ao
        assert uow.organisations.by_ukprn("99999999") is None
        assert uow.organisations.by_reference("ZZZZZZ") is None
        assert uow.organisations.list_all() == [lrb, ao]

        uow.organisations.set_password_hash(lrb.id, "$argon2id$hash")
        uow.organisations.set_active(ao.id, False)
        uow.commit()
    with uow_factory() as uow:
        assert uow.organisations.by_id(lrb.id).password_hash == "$argon2id$hash"
        assert uow.organisations.by_id(ao.id).active is False


def test_organisation_keys_are_unique_and_one_is_required(uow_factory):
    with uow_factory() as uow:
        _org(uow, ukprn="10000001", reference="REF001")
        with pytest.raises(ValueError):
            _org(uow, ukprn=None, reference=None)
        uow.commit()
    # A key in use: the unique indexes refuse it (the service checks before adding).
    for keys in ({"ukprn": "10000001"}, {"ukprn": "10000002", "reference": "REF001"}):
        with uow_factory() as uow, pytest.raises(IntegrityError):
            _org(uow, **keys)
    # The database enforces the same rule for writers that bypass the repository.
    with uow_factory() as uow:
        uow.session.add(OrganisationRow(name="neither key"))
        with pytest.raises(IntegrityError, match="ck_organisations_ukprn_or_reference"):
            uow.session.flush()


def test_user_names_are_unique_within_an_organisation(uow_factory):
    with uow_factory() as uow:
        first, second = _org(uow, "10000001"), _org(uow, "10000002")
        alice = uow.users.add(first.id, "alice")
        uow.users.add(second.id, "alice")  # another organisation: allowed
        uow.users.add(first.id, "bob")
        uow.commit()
    with uow_factory() as uow, pytest.raises(IntegrityError):
        uow.users.add(first.id, "alice")
    with uow_factory() as uow:
        assert uow.users.get(first.id, "alice") == alice and alice.active
        assert uow.users.get(first.id, "carol") is None
        assert [u.user_name for u in uow.users.list_for(first.id)] == ["alice", "bob"]
        uow.users.set_active(alice.id, False)
        uow.commit()
    with uow_factory() as uow:
        assert uow.users.get(first.id, "alice").active is False
        uow.session.add(UserRow(organisation_id=first.id, user_name="bob", active=True))
        with pytest.raises(IntegrityError):
            uow.session.flush()


def test_learner_round_trips_every_field(uow_factory):
    created_in_bst = NOW.astimezone(dt.timezone(dt.timedelta(hours=1)))
    with uow_factory() as uow:
        org = _org(uow)
        added = uow.learners.add("1748529632", FULL_DETAILS, registered_by=org.id,
                                 now=created_in_bst)
        uow.commit()
    with uow_factory() as uow:
        learner = uow.learners.by_uln("1748529632")
        row = uow.session.scalars(sa.select(LearnerRow)).one()
        keys = (row.given_name_key, row.family_name_key, row.previous_family_name_key,
                row.postcode_key, row.registered_by_organisation_id)
    assert learner == added
    assert learner.details == FULL_DETAILS
    assert learner.uln == "1748529632" and learner.version_number == 1
    assert learner.status is LearnerStatus.ACTIVE and learner.tier_level == "0"
    assert learner.master_uln is None and learner.linked_ulns == ()
    for stamp in (learner.created_at, learner.updated_at):
        assert stamp == NOW and stamp.utcoffset() == dt.timedelta(0)
    assert keys == ("zoe", "obriensmith", "brown", "CV49EE", org.id)


def test_learner_minimal_fields_count_and_unknown_uln(uow_factory):
    minimal = LearnerDetails(given_name="Al", family_name="Li", gender="9",
                             date_of_birth=dt.date(1990, 1, 1), postcode="M1 1AE")
    with uow_factory() as uow:
        assert uow.learners.count() == 0
        uow.learners.add("1026893096", minimal, registered_by=None, now=NOW)
        uow.learners.add("6936002314", dataclasses.replace(minimal, given_name="Bo"),
                         registered_by=None, now=NOW)
        uow.commit()
    with uow_factory() as uow:
        assert uow.learners.count() == 2
        assert uow.learners.by_uln("1026893096").details == minimal
        assert uow.learners.by_uln("9276308686") is None
        row = uow.session.scalars(sa.select(LearnerRow).limit(1)).one()
        assert row.previous_family_name_key is None


def test_a_second_active_learner_with_the_same_five_demographics_is_refused(uow_factory):
    same = LearnerDetails(given_name="Al", family_name="Li", gender="9",
                          date_of_birth=dt.date(1990, 1, 1), postcode="M1 1AE")
    with uow_factory() as uow:
        uow.learners.add("1026893096", same, registered_by=None, now=NOW)
        uow.commit()
    with uow_factory() as uow, pytest.raises(DuplicateLearner):
        uow.learners.add("6936002314", dataclasses.replace(same, given_name="AL ", title="Mr"),
                         registered_by=None, now=NOW)


def test_update_details_is_optimistic(uow_factory):
    details = LearnerDetails(given_name="Al", family_name="Li", gender="9",
                             date_of_birth=dt.date(1990, 1, 1), postcode="M1 1AE")
    with uow_factory() as uow:
        uow.learners.add("1026893096", details, registered_by=None, now=NOW)
        uow.commit()
    moved = dataclasses.replace(details, postcode="CV4 9EE")
    with uow_factory() as uow:
        assert uow.learners.update_details("1026893096", moved, expected_version=1, now=NOW) == 2
        assert uow.learners.update_details("1026893096", moved, expected_version=1,
                                           now=NOW) is None
        uow.commit()
    with uow_factory() as uow:
        learner = uow.learners.by_uln("1026893096")
        assert (learner.version_number, learner.details.postcode) == (2, "CV4 9EE")
        assert [found.uln for found in uow.learners.match_candidates((dt.date(1990, 1, 1),))] == [
            "1026893096"]
        assert uow.learners.match_candidates((dt.date(1990, 1, 2),)) == []


def test_demographic_searches_remember_the_latest_outcome(uow_factory):
    with uow_factory() as uow:
        org = uow.organisations.add(name="C", ukprn="10000001", reference=None,
                                    roles=frozenset({Role.LEARNER_REGISTRATION_BODY}))
        uow.searches.record(organisation_id=org.id, demographics_key="k" * 64,
                            outcome="WSRC0003", at=NOW - dt.timedelta(minutes=5))
        uow.searches.record(organisation_id=org.id, demographics_key="k" * 64,
                            outcome="WSRC0001", at=NOW)
        uow.commit()
    with uow_factory() as uow:
        assert uow.searches.latest(organisation_id=org.id, demographics_key="k" * 64,
                                   since=NOW - dt.timedelta(hours=1)) == ("WSRC0001", NOW)
        assert uow.searches.latest(organisation_id=org.id, demographics_key="x" * 64,
                                   since=NOW - dt.timedelta(hours=1)) is None


def test_linked_ulns_are_the_active_merges_into_this_master(uow_factory):
    with uow_factory() as uow:
        uow.learners.add("1748529632", FULL_DETAILS, registered_by=None, now=NOW)
        for merged, unmerged_at in (("8383558804", None), ("1026893096", None),
                                    ("6936002314", NOW), ("4444599390", None)):
            master = "9276308686" if merged == "4444599390" else "1748529632"
            uow.session.add(LearnerLinkRow(merged_uln=merged, master_uln=master, merged_at=NOW,
                                           unmerged_at=unmerged_at, merged_by="test"))
        uow.commit()
    with uow_factory() as uow:
        assert uow.learners.by_uln("1748529632").linked_ulns == ("1026893096", "8383558804")


def test_naive_timestamps_are_refused(uow_factory):
    with uow_factory() as uow, pytest.raises(StatementError, match="timezone-aware"):
        uow.learners.add("1748529632", FULL_DETAILS, registered_by=None,
                         now=NOW.replace(tzinfo=None))


def test_a_uln_can_be_claimed_once(uow_factory):
    with uow_factory() as uow:
        assert uow.uln_registry.claim("1748529632", NOW) is True
        assert uow.uln_registry.claim("1748529632", NOW) is False
        uow.commit()
    with uow_factory() as uow:
        assert uow.uln_registry.claim("1748529632", NOW) is False
        assert uow.uln_registry.claim("9276308686", NOW) is True
        # not committed: the claim is released


def _claim_in_own_process(url, uln, barrier, results):
    engine = create_engine(url)
    try:
        with SqlUnitOfWork(session_factory(engine)) as uow:
            barrier.wait(timeout=30)
            won = uow.uln_registry.claim(uln, dt.datetime.now(dt.UTC))
            # Hold the claim a moment: the other process's INSERT must wait on our lock.
            time.sleep(0.3)
            uow.commit()
        results.put(won)
    except Exception as error:  # reported to the test, which fails on it
        results.put(repr(error))
    finally:
        engine.dispose()


@pytest.mark.slow
def test_two_processes_claiming_one_uln_exactly_one_wins(migrated_url):
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_claim_in_own_process,
                               args=(migrated_url, "1748529632", barrier, results))
               for _ in range(2)]
    for worker in workers:
        worker.start()
    try:
        outcomes = [results.get(timeout=60) for _ in workers]
    except queue.Empty:
        outcomes = ["timed out"]
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(outcomes, key=str) == [False, True]


def test_audit_record_is_written(uow_factory):
    with uow_factory() as uow:
        uow.audit.record(at=NOW, organisation_id=7, user_name="alice", action="learner.register",
                         uln="1748529632", detail={"code": "WSRC0005", "fields": ["a", 1]})
        uow.audit.record(at=NOW, organisation_id=None, user_name=None, action="org.create")
        uow.commit()
    with uow_factory() as uow:
        first, second = uow.session.scalars(sa.select(AuditLogRow).order_by(AuditLogRow.id))
        uow.session.expunge_all()  # keep the loaded values after the unit of work closes
    assert (first.at, first.organisation_id, first.user_name, first.action, first.uln) == (
        NOW, 7, "alice", "learner.register", "1748529632")
    assert first.at.tzinfo is not None
    assert first.detail == {"code": "WSRC0005", "fields": ["a", 1]}
    assert (second.organisation_id, second.uln, second.detail) == (None, None, None)


def test_a_write_before_the_session_is_built_is_committed_with_it(uow_factory):
    # The audit entry is written on the connection (no Session yet); the organisation then
    # needs the ORM, whose Session joins that transaction: one commit keeps both.
    with uow_factory() as uow:
        uow.audit.record(at=NOW, organisation_id=None, user_name=None, action="first")
        _org(uow)
        uow.audit.record(at=NOW, organisation_id=None, user_name=None, action="second")
        uow.commit()
    with uow_factory() as uow:
        actions = uow.session.scalars(sa.select(AuditLogRow.action).order_by(AuditLogRow.id))
        assert list(actions) == ["first", "second"]
        assert [org.ukprn for org in uow.organisations.list_all()] == ["10000001"]


def test_a_write_before_the_session_is_built_is_rolled_back_with_it(uow_factory):
    with uow_factory() as uow:
        uow.audit.record(at=NOW, organisation_id=None, user_name=None, action="first")
        _org(uow)
        uow.rollback()
        uow.commit()
    _nothing_kept(uow_factory)


def test_a_write_without_a_session_is_kept_only_when_committed(uow_factory):
    for end in ("rollback", "close", "commit"):
        with uow_factory() as uow:
            uow.audit.record(at=NOW, organisation_id=None, user_name=None, action=end)
            assert not uow.session_open  # written on the connection's cursor
            if end != "close":
                getattr(uow, end)()
    with uow_factory() as uow:
        actions = uow.session.scalars(sa.select(AuditLogRow.action))
        assert list(actions) == ["commit"]


def _write_one_of_everything(uow):
    org = _org(uow)
    uow.users.add(org.id, "alice")
    uow.learners.add("1748529632", FULL_DETAILS, registered_by=org.id, now=NOW)
    uow.uln_registry.claim("1748529632", NOW)
    uow.audit.record(at=NOW, organisation_id=org.id, user_name="alice", action="x")


def _nothing_kept(uow_factory):
    with uow_factory() as uow:
        assert uow.organisations.list_all() == []
        assert uow.learners.count() == 0
        assert uow.uln_registry.claim("1748529632", NOW) is True
        assert uow.session.scalar(sa.select(sa.func.count()).select_from(AuditLogRow)) == 0


def test_a_unit_of_work_left_without_commit_keeps_nothing(uow_factory):
    with uow_factory() as uow:
        _write_one_of_everything(uow)
    _nothing_kept(uow_factory)


def test_rollback_and_exceptions_keep_nothing(uow_factory):
    with uow_factory() as uow:
        _write_one_of_everything(uow)
        uow.rollback()
        uow.commit()  # commits an empty transaction
    with pytest.raises(RuntimeError), uow_factory() as uow:
        _write_one_of_everything(uow)
        raise RuntimeError("the use case failed")
    _nothing_kept(uow_factory)


def test_a_unit_of_work_is_reusable_but_not_reentrant(uow_factory):
    uow = uow_factory()
    for ukprn in ("10000001", "10000002"):
        with uow:
            _org(uow, ukprn)
            uow.commit()
            with pytest.raises(RuntimeError), uow:
                pass
    with uow:
        assert len(uow.organisations.list_all()) == 2
    with pytest.raises(RuntimeError):
        uow.commit()


def test_sqlite_connections_are_set_up_for_concurrent_workers(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'pragmas.db'}")
    try:
        with engine.connect() as connection:
            pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
            assert pragma("journal_mode") == "wal"
            assert pragma("busy_timeout") == 30000
            assert pragma("foreign_keys") == 1
    finally:
        engine.dispose()


def test_foreign_keys_are_enforced(uow_factory):
    with uow_factory() as uow:
        uow.session.add(UserRow(organisation_id=424242, user_name="ghost", active=True))
        with pytest.raises(IntegrityError):
            uow.session.flush()


def test_with_user_finds_the_organisation_and_its_user_in_one_query(uow_factory):
    with uow_factory() as uow:
        org = uow.organisations.add(name="C", ukprn="10000009", reference="CCCCCC",
                                    roles=frozenset({Role.LEARNER_REGISTRATION_BODY}))
        uow.users.add(org.id, "alice")
        uow.commit()
    with uow_factory() as uow:
        found, user = uow.organisations.with_user("ukprn", "10000009", "alice")
        assert (found.id, user.user_name, user.active) == (org.id, "alice", True)
        assert uow.organisations.with_user("reference", "CCCCCC", "bob") == (found, None)
        assert uow.organisations.with_user("ukprn", "99999999", "alice") is None
