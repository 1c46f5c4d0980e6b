"""Many service calls in one transaction: a fixture loads whole or not at all.

Inside ``held(services, uow)`` every ``with ctx.uow_factory() as uow`` gets the one open
unit of work; the services' own commits are deferred (the session flushes as it queries), so
only the caller's final commit keeps anything.
"""

from __future__ import annotations

import dataclasses

from lrs_soap.service.context import ServiceContext
from lrs_soap.service.ports import UnitOfWork


class RolledBack(RuntimeError):
    """A service rolled the shared transaction back: everything before is gone."""


class _Deferred:
    def __init__(self, uow: UnitOfWork):
        self._uow = uow

    def __getattr__(self, name: str):
        return getattr(self._uow, name)

    def __enter__(self) -> _Deferred:
        return self

    def __exit__(self, *exc: object) -> None:
        pass  # the caller's transaction lives on

    def commit(self) -> None:
        pass

    def rollback(self) -> None:
        self._uow.rollback()
        raise RolledBack("a step rolled the transaction back")


def held(services: ServiceContext, uow: UnitOfWork) -> ServiceContext:
    deferred = _Deferred(uow)
    return dataclasses.replace(services, uow_factory=lambda: deferred)
