"""Named spans around the stages of a call (parse, validate, authenticate, database,
serialise) for the optional OpenTelemetry tracing (lrs_soap.observability.tracing).

The faces, the service and the store mark their stages here; until a tracer is installed
every span is one shared do-nothing object, so tracing that is off costs a function call.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Tracer(Protocol):
    """What we use of an OpenTelemetry tracer."""

    def start_as_current_span(self, name: str, **kwargs: Any) -> AbstractContextManager: ...

    def start_span(self, name: str, **kwargs: Any) -> Any: ...


class _NoSpan:
    def __enter__(self) -> _NoSpan:
        return self

    def __exit__(self, *exc: object) -> bool:
        return False

    def end(self) -> None:
        pass

    def set_attribute(self, key: str, value: object) -> None:
        pass


NO_SPAN = _NoSpan()
_tracer: Tracer | None = None


def install(tracer: Tracer | None) -> None:
    """Use ``tracer`` for every span from now on (None: tracing off)."""
    global _tracer
    _tracer = tracer


def span(name: str, attributes: dict[str, object] | None = None) -> AbstractContextManager:
    """``with span("authenticate"):`` - a child of whatever span is current."""
    tracer = _tracer
    if tracer is None:
        return NO_SPAN
    return tracer.start_as_current_span(name, attributes=attributes)


def start(name: str, attributes: dict[str, object] | None = None) -> Any:
    """A span ended by its ``end()``, for stages that begin and end in separate callbacks."""
    tracer = _tracer
    if tracer is None:
        return NO_SPAN
    return tracer.start_span(name, attributes=attributes)


def traced(name: str) -> Callable[[F], F]:
    """Decorator: the function's every call is a span named ``name``."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def traced_call(*args: Any, **kwargs: Any) -> Any:
            tracer = _tracer
            if tracer is None:
                return function(*args, **kwargs)
            with tracer.start_as_current_span(name):
                return function(*args, **kwargs)

        return traced_call  # type: ignore[return-value]

    return decorate
