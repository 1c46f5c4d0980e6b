"""Settings: one typed object built from LRS_* environment variables and CLI flags.

Built explicitly by entry points and passed in; nothing reads the environment at import time.
"""

from __future__ import annotations

import dataclasses
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, fields

DEFAULT_DATABASE_URL = "sqlite:///lrs-soap.db"


class SettingsError(ValueError):
    """A setting has a value we cannot use; the message names the variable."""


@dataclass(frozen=True)
class Settings:
    # Where the data lives. SQLite (the default) for one machine, postgresql+psycopg:// beyond.
    database_url: str = DEFAULT_DATABASE_URL
    # host:port the server listens on.
    bind: str = "127.0.0.1:8000"
    # Base URL clients use to reach us: goes into every served WSDL (never the Host header).
    public_url: str = "http://127.0.0.1:8000"
    # gunicorn sync worker processes.
    workers: int = 2
    # Largest request body accepted, in bytes.
    # A 10,000-record achievement batch is about 4 MB natively and 7 MB in the live format.
    max_request_bytes: int = 16 * 1024 * 1024
    log_level: str = "INFO"
    # json: one JSON object a line with the request id (for log shippers); text: for people.
    log_format: str = "json"
    # OpenTelemetry tracing (the tracing extra): off, console (spans printed) or otlp
    # (exported to OTEL_EXPORTER_OTLP_ENDPOINT).
    tracing: str = "off"
    # Seconds a worker may take to answer one request before gunicorn replaces it.
    request_timeout: int = 60
    # RegisterLearner needs a full FindByDemographics of the same learner by the same
    # organisation within this many seconds...
    find_before_register_window_seconds: int = 3600
    # ...and, if that search found possible matches, at least this many seconds before it.
    possible_match_wait_seconds: int = 60
    # TLS terminated by `lrs-soap serve` itself: PEM certificate chain and private key...
    tls_certfile: str = ""
    tls_keyfile: str = ""
    # ...and, to require client certificates (as the live LRS does), the CA that issues them.
    tls_client_ca: str = ""
    # Batch jobs: `lrs-soap serve` runs this many worker processes beside the web workers
    # (0 when workers run elsewhere as `lrs-soap worker`)...
    batch_workers: int = 1
    # ...each taking records in chunks of this size (one transaction per chunk)...
    batch_chunk_size: int = 500
    # ...holding a job for this many seconds per chunk before another worker may take it over,
    job_lease_seconds: int = 60
    # and looking for new jobs this often (milliseconds) when idle.
    worker_poll_ms: int = 500
    # Harness control (clock, resets, faults; lrs_soap.control): "on" makes every process
    # read the shared control state once per request. Off costs nothing.
    control: str = "off"
    # The request journal (lrs-soap journal): off, metadata (who called what, the answer's
    # code, latency) or full (also both envelopes, secrets redacted; they hold personal data)...
    journal: str = "metadata"
    # ...keeping at most this many calls...
    journal_max_rows: int = 100_000
    # ...none older than this many hours...
    journal_max_age_hours: int = 168
    # ...and in full mode storing envelopes up to this size (bigger ones are noted, not kept).
    journal_max_envelope_bytes: int = 1024 * 1024
    # The admin HTTP API (/admin/...) answers only requests bearing this token; empty: off.
    # Setting it turns control on.
    admin_token: str = field(default="", repr=False)
    # Organisation Portal (/portal/): the key signing its session cookies. Unset: a random
    # key per `serve` (shared by its workers; signed-in users sign in again after a restart).
    portal_secret_key: str = field(default_factory=lambda: secrets.token_hex(32), repr=False,
                                   compare=False)
    # ...and the seconds without a request after which a portal session ends.
    portal_session_idle_seconds: int = 1800

    def with_overrides(self, **overrides: object) -> Settings:
        """A copy with the non-None overrides applied (CLI flags win over the environment)."""
        given = {k: v for k, v in overrides.items() if v is not None}
        return _checked(dataclasses.replace(self, **given))

    @property
    def tls(self) -> bool:
        return bool(self.tls_certfile)

    @property
    def control_enabled(self) -> bool:
        return self.control == "on" or bool(self.admin_token)



ENV_PREFIX = "LRS_"


def env_name(field_name: str) -> str:
    return ENV_PREFIX + field_name.upper()


def from_environment(environ: Mapping[str, str] | None = None) -> Settings:
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for f in fields(Settings):
        raw = environ.get(env_name(f.name))
        if raw is None or raw == "":
            continue
        if f.type == "int":
            try:
                values[f.name] = int(raw)
            except ValueError:
                raise SettingsError(
                    f"{env_name(f.name)} must be a whole number, not {raw!r}") from None
        else:
            values[f.name] = raw
    return _checked(Settings(**values))


def _checked(settings: Settings) -> Settings:
    if settings.find_before_register_window_seconds < 1:
        raise SettingsError("find_before_register_window_seconds must be at least 1")
    if settings.possible_match_wait_seconds < 0:
        raise SettingsError("possible_match_wait_seconds cannot be negative")
    if bool(settings.tls_certfile) != bool(settings.tls_keyfile):
        raise SettingsError("tls_certfile and tls_keyfile go together")
    if settings.tls_client_ca and not settings.tls_certfile:
        raise SettingsError("tls_client_ca needs tls_certfile and tls_keyfile (TLS) too")
    for name in ("tls_certfile", "tls_keyfile", "tls_client_ca"):
        path = getattr(settings, name)
        if path and not os.path.isfile(path):
            raise SettingsError(f"{name}: no such file {path!r}")
    if settings.batch_workers < 0:
        raise SettingsError("batch_workers cannot be negative")
    if settings.batch_chunk_size < 1 or settings.job_lease_seconds < 5:
        raise SettingsError("batch_chunk_size must be at least 1, job_lease_seconds at least 5")
    if settings.worker_poll_ms < 10:
        raise SettingsError("worker_poll_ms must be at least 10")
    if settings.control not in ("on", "off"):
        raise SettingsError(f"control must be on or off, not {settings.control!r}")
    if settings.admin_token and len(settings.admin_token) < 16:
        raise SettingsError("admin_token must be at least 16 characters")
    if settings.portal_session_idle_seconds < 1:
        raise SettingsError("portal_session_idle_seconds must be at least 1")
    if len(settings.portal_secret_key) < 32:
        raise SettingsError("portal_secret_key must be at least 32 characters")
    if settings.workers < 1:
        raise SettingsError("workers must be at least 1")
    if settings.max_request_bytes < 1024:
        raise SettingsError("max_request_bytes must be at least 1024")
    host, _, port = settings.bind.rpartition(":")
    if not host or not (port.isascii() and port.isdigit() and int(port) <= 65535):
        raise SettingsError(f"bind must be host:port with a port from 0 to 65535, "
                            f"not {settings.bind!r}")
    if not settings.public_url.startswith(("http://", "https://")):
        raise SettingsError(
            f"public_url must start with http:// or https://: {settings.public_url!r}")
    if settings.tracing not in {"off", "console", "otlp"}:
        raise SettingsError(f"tracing must be off, console or otlp, not {settings.tracing!r}")
    if settings.log_format not in {"json", "text"}:
        raise SettingsError(f"log_format must be json or text, not {settings.log_format!r}")
    if settings.journal not in {"off", "metadata", "full"}:
        raise SettingsError(f"journal must be off, metadata or full, not {settings.journal!r}")
    if min(settings.journal_max_rows, settings.journal_max_age_hours,
           settings.journal_max_envelope_bytes) < 1:
        raise SettingsError("journal_max_rows, journal_max_age_hours and "
                            "journal_max_envelope_bytes must be at least 1")
    if settings.log_level.upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise SettingsError("log_level must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return settings
