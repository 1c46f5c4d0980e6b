"""What every use case is given: built once by the composition root (lrs_soap.bootstrap)."""

from collections.abc import Callable
from dataclasses import dataclass

from lrs_soap.service.ports import Clock, PasswordHasher, UnitOfWork


@dataclass(frozen=True)
class ServiceContext:
    uow_factory: Callable[[], UnitOfWork]
    clock: Clock
    passwords: PasswordHasher
