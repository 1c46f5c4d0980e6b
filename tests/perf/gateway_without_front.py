"""The gateway's WSGI app (journal, metrics, request ids and all) without `serve`'s buffering
front, for gunicorn's sync workers: `bench_http.py --without-front` serves it beside the
gateway as users start it, so one run shows what the front costs per request."""

from lrs_soap.config import from_environment
from lrs_soap.entrypoints.wsgi import create_app

app = create_app(from_environment())
