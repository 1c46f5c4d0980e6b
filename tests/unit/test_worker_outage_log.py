"""A batch worker whose database is away fails on every poll (every 250 ms, say): its
log says so once with the traceback, then a line every 30 s, then that it recovered."""

from __future__ import annotations

import logging

from lrs_soap.entrypoints.worker import OutageLog


def test_an_outage_logs_one_traceback_then_a_line_every_thirty_seconds(caplog):
    now = [0.0]
    outage = OutageLog(every=30, clock=lambda: now[0])
    with caplog.at_level(logging.INFO, logger="lrs_soap.entrypoints.worker"):
        for _ in range(600):  # two and a half minutes of polls at 250 ms
            try:
                raise ConnectionError("database is away")
            except ConnectionError:
                outage.failed("host:1")
            now[0] += 0.25
        outage.succeeded("host:1")
        outage.succeeded("host:1")
    records = caplog.records
    assert [r.exc_info is not None for r in records].count(True) == 1
    assert [r.getMessage() for r in records] == [
        "batch worker host:1: could not claim a job",
        "batch worker host:1: still failing to claim a job (121 tries)",
        "batch worker host:1: still failing to claim a job (241 tries)",
        "batch worker host:1: still failing to claim a job (361 tries)",
        "batch worker host:1: still failing to claim a job (481 tries)",
        "batch worker host:1: claiming jobs again after 600 failed tries",
    ]
