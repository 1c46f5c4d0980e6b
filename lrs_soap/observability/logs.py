"""Structured logs: one JSON object per line, with the request id on every line.

Fields: time (UTC, ISO 8601), level, logger, message, request_id (null outside a request),
pid, and whatever a caller passes in ``extra=`` (the per-call line adds face, operation,
code, http_status, latency_ms, organisation). Nothing here adds personal data: modules
log codes and counts at INFO, never names, dates of birth, postcodes or envelopes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import logging.config
import sys

from lrs_soap.observability import request_id

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message", "asctime", "taskName"}
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        event = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": request_id.current.get(),
            "pid": record.process,
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in event:
                event[key] = value
        if record.exc_info:
            event["exception"] = self.formatException(record.exc_info)
        return json.dumps(event, default=str)


class RequestIdFilter(logging.Filter):
    """Puts the request id on records for the text format."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.current.get() or "-"
        return True


class StderrHandler(logging.StreamHandler):
    """Writes to sys.stderr as it is when a record is emitted, not as it was when logging
    was configured: a stream that was swapped out and closed since (by a test runner's
    capture, a daemoniser) is never written to, so a background thread's late line is not
    lost as a "Logging error"."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:  # StreamHandler.__init__ assigns one; always stderr
        pass


def logging_config(level: str, log_format: str) -> dict:
    """A logging.config.dictConfig for the root logger and gunicorn's own loggers."""
    formatter = ({"()": JsonFormatter} if log_format == "json"
                 else {"format": TEXT_FORMAT})
    handler = {"()": StderrHandler, "formatter": "lrs", "filters": ["request_id"]}
    gunicorn = {"level": level.upper(), "handlers": ["lrs"], "propagate": False}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"lrs": formatter},
        "filters": {"request_id": {"()": RequestIdFilter}},
        "handlers": {"lrs": handler},
        "root": {"level": level.upper(), "handlers": ["lrs"]},
        "loggers": {"gunicorn.error": gunicorn, "gunicorn.access": dict(gunicorn)},
    }


def configure(level: str, log_format: str) -> None:
    logging.config.dictConfig(logging_config(level, log_format))
