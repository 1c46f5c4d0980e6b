"""The portal's application factory: Flask, its security settings, GOV.UK Frontend templates."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask import Flask, g, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from govuk_frontend_wtf.main import WTFormsHelpers
from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

from lrs_soap.portal import session, wording
from lrs_soap.portal.uploads import CheckedFile, FileChecker
from lrs_soap.portal.views import NAVIGATION, VIEW_MODULES
from lrs_soap.record_elements import element_label
from lrs_soap.service.context import ServiceContext

PORTAL_PATH = "/portal"
SERVICE_NAME = "Learning Records Service"


@dataclass(frozen=True)
class PortalConfig:
    secret_key: str
    session_idle_seconds: int = 1800
    # Secure cookies: set when the gateway is reached over TLS (its own or a proxy's).
    secure_cookies: bool = False
    # Largest upload (a batch file) accepted: bigger requests get 413 before they are read.
    max_upload_bytes: int = 4 * 1024 * 1024
    # The offline Validation Tool's checks (lrs_soap.portal.uploads); None: uploads refused.
    file_checker: FileChecker | None = None


def create_portal(services: ServiceContext, config: PortalConfig) -> Flask:
    app = Flask(__name__, static_folder="static", static_url_path="/static")
    app.config.update(
        SECRET_KEY=config.secret_key,
        APPLICATION_ROOT=PORTAL_PATH,
        SESSION_COOKIE_NAME="lrs_portal",
        SESSION_COOKIE_PATH=PORTAL_PATH,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=config.secure_cookies,
        # Inactivity is checked against the session's "seen" time (portal.session), so that
        # the sign-in page can say why a session ended; the cookie (a browser-session cookie,
        # re-signed on every request) is refused outright a day after that.
        PORTAL_SESSION_IDLE_SECONDS=config.session_idle_seconds,
        PERMANENT_SESSION_LIFETIME=dt.timedelta(seconds=config.session_idle_seconds, days=1),
        MAX_CONTENT_LENGTH=config.max_upload_bytes,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        PORTAL_FILE_CHECKER=config.file_checker or _no_checker,
    )
    app.jinja_loader = ChoiceLoader([
        PackageLoader("lrs_soap.portal"),
        PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                      "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf")}),
    ])
    app.jinja_env.globals.update(service_name=SERVICE_NAME, navigation=NAVIGATION,
                                 failure_flags=wording.FAILURE_FLAGS, genders=wording.GENDERS)
    app.jinja_env.filters["outcome"] = wording.outcome
    app.jinja_env.filters["field"] = element_label  # a RecordError's field, in words
    WTFormsHelpers(app)
    app.before_request(_nonce)  # first: even a refused form's page carries the nonce
    CSRFProtect(app)
    session.install(app, services)
    for module in VIEW_MODULES:
        app.register_blueprint(module.blueprint)
    app.after_request(_security_headers)
    app.register_error_handler(CSRFError, _csrf_refused)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(500, _server_error)
    return app


def _no_checker(path, today) -> CheckedFile:
    return CheckedFile(None, unreadable="batch files cannot be checked on this server")


def _nonce() -> None:
    # GOV.UK Frontend's template has one inline script (the js-enabled class): allowed by nonce.
    g.csp_nonce = secrets.token_urlsafe(16)


def _security_headers(response):
    nonce = getattr(g, "csp_nonce", "")
    response.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self' 'nonce-{nonce}'; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    if response.mimetype in ("text/html", "text/csv"):  # pages carry personal data
        response.headers["Cache-Control"] = "no-store"
    return response


def _csrf_refused(error):
    return render_template("errors/csrf.html"), 400


def _not_found(error):
    return render_template("errors/not_found.html"), 404


def _too_large(error):
    return render_template("errors/too_large.html"), 413


def _server_error(error):
    return render_template("errors/server_error.html"), 500


class MountedPortal:
    """The portal as a WSGI application under /portal (SCRIPT_NAME carries the prefix)."""

    def __init__(self, app: Flask):
        self.app = app

    @staticmethod
    def owns(path: str) -> bool:
        return path == PORTAL_PATH or path.startswith(PORTAL_PATH + "/")

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + PORTAL_PATH
        environ["PATH_INFO"] = path[len(PORTAL_PATH):] or "/"
        return self.app(environ, start_response)
