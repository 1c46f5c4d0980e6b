"""The gateway's WSGI app (journal, metrics, request ids and all) without `serve`'s buffering
front, for gunicorn's sync workers: `bench_http.py --without-front` serves it beside the
gateway as users start it, so one run shows what the front costs per request.

Logging is configured as `serve` configures it (observability.logs, at the settings' level
and format), so both write the same per-call line: left unconfigured, Python's WARNING default
skipped it here and the line's cost was counted as the front's."""

from lrs_soap.config import from_environment
from lrs_soap.entrypoints.wsgi import create_app
from lrs_soap.observability import logs

settings = from_environment()
logs.configure(settings.log_level.upper(), settings.log_format)
app = create_app(settings)
