"""Batch worker liveness (heartbeats in the database) and the queue's age, for /healthz.

Heartbeats live in the database, not in `serve`'s memory, so a health check on any web
worker of any host sees every batch worker, wherever it runs.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from lrs_soap.service.context import ServiceContext

log = logging.getLogger(__name__)

BEAT_EVERY = dt.timedelta(seconds=5)
# A worker not heard from for this long is reported dead (a chunk takes well under this).
ALIVE_WITHIN = dt.timedelta(seconds=20)
# Rows of workers gone this long are deleted by the next heartbeat.
FORGET_AFTER = dt.timedelta(hours=1)


class Heartbeat:
    """Call it often (each idle poll, after each chunk): it writes at most every BEAT_EVERY."""

    def __init__(self, ctx: ServiceContext, worker: str,
                 gone: Callable[[str], bool] = lambda worker: False):
        """``gone(name)`` says whether another worker is known to be dead (its rows are
        removed at the first beat, so a replaced worker is not reported alive)."""
        self.ctx, self.worker, self.gone = ctx, worker, gone
        self.started_at = ctx.clock()
        self._last: dt.datetime | None = None

    def __call__(self) -> None:
        now = self.ctx.clock()
        if self._last is not None and now - self._last < BEAT_EVERY:
            return
        try:
            with self.ctx.uow_factory() as uow:
                if self._last is None:
                    for name, _, _ in uow.health.workers():
                        if name != self.worker and self.gone(name):
                            uow.health.forget(name)
                uow.health.beat(self.worker, self.started_at, now)
                uow.health.forget(seen_before=now - FORGET_AFTER)
                uow.commit()
            self._last = now
        except Exception:  # the database may be away: the worker carries on regardless
            log.warning("batch worker %s: heartbeat not written", self.worker, exc_info=True)

    def stop(self) -> None:
        try:
            with self.ctx.uow_factory() as uow:
                uow.health.forget(self.worker)
                uow.commit()
        except Exception:
            log.warning("batch worker %s: heartbeat not removed", self.worker, exc_info=True)


def batch_health(ctx: ServiceContext) -> dict:
    """Live batch workers and the oldest waiting job's age in seconds (None: none waiting)."""
    now = ctx.clock()
    with ctx.uow_factory() as uow:
        workers = uow.health.workers()
        oldest = uow.health.oldest_waiting_job()
    return {
        "batch_workers_alive": [name for name, _, seen in workers if now - seen <= ALIVE_WITHIN],
        "oldest_waiting_job_seconds": None if oldest is None
        else round(max(0.0, (now - oldest).total_seconds()), 1),
    }
