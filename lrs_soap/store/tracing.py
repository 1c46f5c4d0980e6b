"""A "database" span around every SQL statement, when OpenTelemetry tracing is on.

Attached only then (SQLAlchemy event listeners cost something on every statement). The
statement's text is recorded with its placeholders, never its parameters (personal data).
"""

from __future__ import annotations

from sqlalchemy import Engine, event

from lrs_soap.service import tracing

_SPANS = "lrs_database_spans"


def trace_statements(engine: Engine) -> None:
    system = engine.dialect.name

    def start(connection, cursor, statement, parameters, context, executemany) -> None:
        connection.info.setdefault(_SPANS, []).append(tracing.start(
            "database", {"db.system": system, "db.statement": statement}))

    def end(connection, *_args) -> None:
        spans = connection.info.get(_SPANS)
        if spans:
            spans.pop().end()

    def failed(context) -> None:
        end(context.connection)

    event.listen(engine, "before_cursor_execute", start)
    event.listen(engine, "after_cursor_execute", end)
    event.listen(engine, "handle_error", failed)
