"""The draws behind new ULNs and JobIDs: unpredictable by default (``secrets``); a harness
may hand in seeded ones (lrs_soap.control.draws) so that a run mints the same values again.

JobIDs are drawn from 1 to 2^31 - 1: the mirror's ExternalService carries them as xs:int
(the learner services as xs:long), and a caller cannot guess another organisation's job
(which would be WSRC0018 anyway) from its own.
"""

from __future__ import annotations

import secrets
from typing import Protocol

from lrs_soap.domain import uln as uln_rules
from lrs_soap.service.ports import UnitOfWork

MAX_JOB_ID = 2**31 - 1


class Randomness(Protocol):
    def uln(self, uow: UnitOfWork) -> str: ...  # a check-digit-valid candidate
    def job_id(self, uow: UnitOfWork) -> int: ...  # 1 .. MAX_JOB_ID


class SecureRandomness:
    def uln(self, uow: UnitOfWork) -> str:
        return uln_rules.random_candidate()

    def job_id(self, uow: UnitOfWork) -> int:
        return secrets.randbelow(MAX_JOB_ID) + 1
