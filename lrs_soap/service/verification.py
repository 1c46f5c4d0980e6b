"""VerifyLearnerDetails: does this ULN belong to the learner named? (lrs-rules section 4)"""

from __future__ import annotations

from lrs_soap.domain import find_by_uln, names, verification
from lrs_soap.domain.verification import VerifyOutcome, VerifyQuery
from lrs_soap.service.accounts import Caller
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.lookups import held_for_verification


def verify_learner_details(ctx: ServiceContext, caller: Caller,
                           query: VerifyQuery) -> VerifyOutcome:
    """A merged ULN is verified against its master, as a linked match (WSVRC002/004)."""
    find_by_uln.check_uln(query.uln)
    names.check_query_names(query.given_name, query.family_name, ctx.field_label)
    with ctx.uow_factory() as uow:
        held, linked = held_for_verification(uow, query.uln)
    return verification.verify(query, held, linked=linked)
