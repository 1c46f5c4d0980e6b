"""The journal written in batches by a thread: a reader still sees every call answered
before it asked, from this process or another, and nothing queued is lost on close."""

from __future__ import annotations

import datetime as dt

from lrs_soap.service.journal_ports import JournalEntry, JournalQuery
from lrs_soap.store import migrate
from lrs_soap.store.engine import create_engine
from lrs_soap.store.journal import SqlJournal


def entry(request_id: str) -> JournalEntry:
    return JournalEntry(id=0, at=dt.datetime.now(dt.UTC), request_id=request_id, face="native",
                        endpoint="/soap/v1", operation="FindByULN", organisation="10000001",
                        user_name="demo", code="WSRC0004", http_status=200, latency_ms=1.5)


def request_ids(journal: SqlJournal) -> list[str]:
    return [found.request_id for found in journal.search(JournalQuery())]


def test_a_read_right_after_the_calls_sees_them_in_the_order_they_came(fresh_database_url):
    migrate.upgrade(fresh_database_url)
    engine = create_engine(fresh_database_url)
    journal = SqlJournal(engine, sole_writer=True)
    try:
        for n in range(3):
            journal.append(entry(f"call-{n}"))
        assert request_ids(journal) == ["call-0", "call-1", "call-2"]
    finally:
        journal.close()
        engine.dispose()


def test_another_process_reading_sees_what_a_writer_only_queued(fresh_database_url):
    # Two stores on one database stand for two processes: the reader cannot write the
    # writer's queue, so it sees the entries only if the writer's thread wrote them in time.
    migrate.upgrade(fresh_database_url)
    engine = create_engine(fresh_database_url)
    writer, reader = SqlJournal(engine), SqlJournal(engine)
    try:
        for n in range(3):
            writer.append(entry(f"queued-{n}"))
        assert request_ids(reader) == ["queued-0", "queued-1", "queued-2"]
    finally:
        writer.close()
        reader.close()
        engine.dispose()


def test_closing_writes_what_is_queued(fresh_database_url):
    migrate.upgrade(fresh_database_url)
    engine = create_engine(fresh_database_url)
    try:
        journal = SqlJournal(engine, sole_writer=True)
        for n in range(50):
            journal.append(entry(f"last-{n}"))
        journal.close()
        assert request_ids(SqlJournal(engine)) == [f"last-{n}" for n in range(50)]
    finally:
        engine.dispose()


def test_calls_written_out_of_order_are_listed_in_the_order_they_came(fresh_database_url):
    # Two workers: the second call's batch written first. "The newest id, then what came
    # after it" still names exactly the later calls, listed by arrival.
    migrate.upgrade(fresh_database_url)
    engine = create_engine(fresh_database_url)
    first, second = SqlJournal(engine), SqlJournal(engine)
    try:
        early = entry("early")
        late = entry("late")
        second.append(late)
        second.flush()
        first.append(early)
        first.flush()
        [newest] = first.search(JournalQuery(limit=1))
        assert newest.request_id == "early"  # the last written, so the highest id
        assert request_ids(first) == ["early", "late"]
        second.append(entry("after"))
        assert [c.request_id for c in first.search(JournalQuery(after_id=newest.id))] == [
            "after"]
    finally:
        first.close()
        second.close()
        engine.dispose()
