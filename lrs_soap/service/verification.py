"""VerifyLearnerDetails: does this ULN belong to the learner named? (lrs-rules section 4)"""

from __future__ import annotations

from lrs_soap.domain import find_by_uln, verification
from lrs_soap.domain.verification import VerifyOutcome, VerifyQuery
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext


def verify_learner_details(ctx: ServiceContext, caller: Caller,
                           query: VerifyQuery) -> VerifyOutcome:
    """A merged ULN is verified against its master, as a linked match (WSVRC002/004)."""
    find_by_uln.check_uln(query.uln)
    with ctx.uow_factory() as uow:
        held = uow.learners.by_uln(query.uln)
        linked = bool(held and held.master_uln)
        if linked:
            held = uow.learners.by_uln(held.master_uln)
    return verification.verify(query, held, linked=linked)
