"""Seeded minting: with a seed, the n-th ULN and JobID drawn are the same on every run.

The n comes from a counter in the database, drawn in the caller's transaction, so the
sequence is shared by every process and starts again at a reset. Without a seed the draws
are the service's own (unpredictable) ones.
"""

from __future__ import annotations

import random

from lrs_soap.domain import uln as uln_rules
from lrs_soap.service.randomness import MAX_JOB_ID, Randomness, SecureRandomness
from lrs_soap.store.control import next_counter

SETTING = "mint"


class SeededRandomness(Randomness):
    """ports.Randomness following the harness's seed (None: secure random draws)."""

    def __init__(self) -> None:
        self.seed: int | None = None
        self._secure = SecureRandomness()

    def _rng(self, uow, kind: str) -> random.Random:
        # String seeds are hashed with SHA-512 by random.Random: stable across runs and
        # Python versions.
        return random.Random(f"{self.seed}:{kind}:{next_counter(uow.session, kind)}")

    def uln(self, uow) -> str:
        if self.seed is None:
            return self._secure.uln(uow)
        return uln_rules.random_candidate(self._rng(uow, "uln").randrange)

    def job_id(self, uow) -> int:
        if self.seed is None:
            return self._secure.job_id(uow)
        return self._rng(uow, "job").randrange(MAX_JOB_ID) + 1
