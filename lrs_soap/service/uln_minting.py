"""Issue new ULNs: random, check-digit-valid, and never the same twice across processes."""

from lrs_soap.domain import uln as uln_rules
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.ports import UnitOfWork

MAX_ATTEMPTS = 50  # collisions are ~1 in 10^8 per attempt: 50 failures means something is broken


class UlnSpaceExhausted(RuntimeError):
    pass


def mint(ctx: ServiceContext, uow: UnitOfWork, candidate=None) -> str:
    """Claim a fresh ULN inside ``uow``'s transaction, drawn by ``ctx.randomness``.

    The registry's primary key makes the claim atomic, so two processes that draw the same
    candidate cannot both win; the loser draws again.
    """
    for _ in range(MAX_ATTEMPTS):
        uln = candidate() if candidate is not None else ctx.randomness.uln(uow)
        if uln in uln_rules.NEVER_ISSUED:
            continue
        if uow.uln_registry.claim(uln, ctx.clock()):
            return uln
    raise UlnSpaceExhausted(f"no free ULN after {MAX_ATTEMPTS} attempts")
