"""A request scope lends one unit of work to every block of the request."""

from lrs_soap.service.request_scope import RequestScope
from tests.unit.fakes import make_context


class CountingUnitOfWork:
    def __init__(self, log):
        self.log = log

    def __enter__(self):
        self.log.append("open")
        return self

    def __exit__(self, *exc):
        self.log.append("close")

    def commit(self):
        self.log.append("commit")

    def rollback(self):
        self.log.append("rollback")


def test_blocks_in_one_request_share_one_unit_of_work_and_its_commits():
    log = []
    ctx, _ = make_context()
    ctx = ctx.__class__(uow_factory=lambda: CountingUnitOfWork(log), clock=ctx.clock,
                        passwords=ctx.passwords)
    with RequestScope(ctx) as services:
        with services.uow_factory() as first:
            pass
        with services.uow_factory() as second:
            second.commit()
    assert first is second
    assert log == ["open", "commit", "close"]


def test_a_failing_block_rolls_back_before_the_next_one():
    log = []
    ctx, _ = make_context()
    ctx = ctx.__class__(uow_factory=lambda: CountingUnitOfWork(log), clock=ctx.clock,
                        passwords=ctx.passwords)
    with RequestScope(ctx) as services:
        try:
            with services.uow_factory():
                raise ValueError("boom")
        except ValueError:
            pass
        with services.uow_factory() as uow:
            uow.commit()
    assert log == ["open", "rollback", "commit", "close"]
