"""One unit of work for a whole request: authentication and the operation share a session.

Opening a session (and its transaction) costs as much as a small query; every SOAP call
opened two, one to check the caller and one for the operation (docs/performance.md, R1b).
Within ``with scope:`` every ``ctx.uow_factory()`` block reuses the scope's unit of work:
commits inside still commit, and the scope's end rolls back whatever was left uncommitted.
"""

from __future__ import annotations

from lrs_soap.service.context import ServiceContext
from lrs_soap.service.ports import UnitOfWork


class RequestScope:
    def __init__(self, services: ServiceContext):
        self._open = services.uow_factory
        self._uow: UnitOfWork | None = None
        # A copy with one field changed, made without dataclasses.replace, which re-runs
        # __init__ for a context already valid (about 10 µs on every request).
        self.services = object.__new__(type(services))
        self.services.__dict__.update(vars(services), uow_factory=self._shared)

    def _shared(self) -> _Borrowed:
        return _Borrowed(self)

    def __enter__(self) -> ServiceContext:
        return self.services

    def __exit__(self, *exc: object) -> None:
        if self._uow is not None:
            uow, self._uow = self._uow, None
            uow.__exit__(*exc)


class _Borrowed:
    """What a service's ``with ctx.uow_factory() as uow`` gets inside a request scope."""

    def __init__(self, scope: RequestScope):
        self._scope = scope

    def __enter__(self) -> UnitOfWork:
        scope = self._scope
        if scope._uow is None:
            scope._uow = scope._open()
            scope._uow.__enter__()
        return scope._uow

    def __exit__(self, *exc: object) -> None:
        scope = self._scope
        if exc and exc[0] is not None and scope._uow is not None:
            scope._uow.rollback()  # a failed block leaves nothing half-done for the next
