"""The batched journal's edges: a count does not hold its thread, entries after close, a
forked child, a writer connection that died with the database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import threading
import warnings

import pytest

from lrs_soap.service.journal_ports import JournalQuery
from lrs_soap.store import journal as journal_module
from lrs_soap.store import migrate
from lrs_soap.store.engine import create_engine
from lrs_soap.store.journal import SqlJournal
from tests.observability.test_journal_batches import entry, request_ids


def test_counting_calls_does_not_wait_for_other_workers(fresh_database_url, monkeypatch):
    # The portal's home page counts on every load, on the server's only thread: the count
    # writes this process's queue but never sleeps SETTLE_SECONDS (a search still does).
    migrate.upgrade(fresh_database_url)
    engine = create_engine(fresh_database_url)
    journal = SqlJournal(engine)  # not the sole writer: a search here waits for the others
    real_sleep = journal_module.time.sleep
    slept: list[float] = []

    def recording_sleep(seconds: float) -> None:
        slept.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(journal_module.time, "sleep", recording_sleep)
    try:
        journal.append(entry("counted"))
        counted = journal.counts(since=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
                                 organisation=None)
        assert [(c.operation, c.calls) for c in counted] == [("FindByULN", 1)]
        assert journal_module.SETTLE_SECONDS not in slept
        journal.search(JournalQuery())
        assert journal_module.SETTLE_SECONDS in slept
    finally:
        journal.close()
        engine.dispose()


def test_an_entry_appended_after_close_is_written(fresh_database_url):
    # A call still being answered while an embedded gateway closes: its entry is written
    # by the appending thread, as no writer thread is left to do it.
    migrate.upgrade(fresh_database_url)
    engine = create_engine(fresh_database_url)
    try:
        journal = SqlJournal(engine, sole_writer=True)
        journal.append(entry("before-close"))
        journal.close()
        journal.append(entry("after-close"))
        assert request_ids(SqlJournal(engine)) == ["before-close", "after-close"]
    finally:
        engine.dispose()


class HeldSleep:
    """The journal module's ``time``: its writer thread's wait lasts until released."""

    def __init__(self) -> None:
        self.released = threading.Event()

    def sleep(self, seconds: float) -> None:
        self.released.wait(timeout=30)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="forks a child")
def test_a_forked_child_reading_does_not_write_the_parents_queue(fresh_database_url,
                                                                 monkeypatch):
    # A server forks its workers: the child inherits the parent's queued entries, which
    # the parent writes. A read in the child must not write them a second time.
    migrate.upgrade(fresh_database_url)
    engine = create_engine(fresh_database_url)
    held = HeldSleep()
    monkeypatch.setattr(journal_module, "time", held)
    journal = SqlJournal(engine, sole_writer=True)
    try:
        for n in range(3):
            journal.append(entry(f"parent-{n}"))  # queued: the writer thread is held
        since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
        read, write = os.pipe()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork of a threaded process
            child = os.fork()
        if child == 0:
            try:
                engine.dispose(close=False)  # the parent's pooled connections are its own
                counted = sum(c.calls for c in journal.counts(since=since, organisation=None))
                os.write(write, str(counted).encode())
            finally:
                os._exit(0)
        os.close(write)
        _, status = os.waitpid(child, 0)
        counted_in_child = os.read(read, 100).decode()
        os.close(read)
        assert os.waitstatus_to_exitcode(status) == 0
        assert counted_in_child == "0"  # nothing of the child's own; the parent's not written
        held.released.set()
        journal.close()
        assert request_ids(SqlJournal(engine)) == ["parent-0", "parent-1", "parent-2"]
    finally:
        held.released.set()
        journal.close()
        engine.dispose()


def test_a_batch_is_written_on_a_fresh_connection_when_the_kept_one_died(fresh_database_url,
                                                                         caplog):
    # The database restarted between two batches: the writer's kept connection is dead,
    # and the batch is written on a new one rather than lost (and nothing is logged).
    migrate.upgrade(fresh_database_url)
    engine = create_engine(fresh_database_url)
    journal = SqlJournal(engine, sole_writer=True)
    try:
        journal.append(entry("first"))
        journal.flush()
        journal._writer.driver_connection.close()  # what a restart leaves the pool holding
        journal.append(entry("after-restart"))
        journal.flush()
        assert request_ids(journal) == ["first", "after-restart"]
        assert "could not record" not in caplog.text
    finally:
        journal.close()
        engine.dispose()


def test_a_batch_that_fails_twice_is_logged_and_the_next_one_written(fresh_database_url,
                                                                      caplog):
    migrate.upgrade(fresh_database_url)
    engine = create_engine(fresh_database_url)
    journal = SqlJournal(engine, sole_writer=True)
    try:
        journal.append(dataclasses.replace(entry("no-operation"), operation=None))  # NOT NULL
        journal.flush()
        assert "could not record 1 call(s)" in caplog.text
        journal.append(entry("next"))
        assert request_ids(journal) == ["next"]
    finally:
        journal.close()
        engine.dispose()
