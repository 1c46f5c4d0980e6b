"""Who is signed in: the session cookie, inactivity, revocation, and the role check per page.

The signed cookie holds the user's id, the session's token (live in the database until
sign-out: a copy of the cookie made before signing out is refused after it) and the time of
the last request ("seen"); nothing else. Every request loads the user and organisation
again, so a revoked user or organisation is stopped on the next page with a page that says
so. A session unused for longer than the
idle limit ends, and the sign-in page says why.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import Flask, g, redirect, render_template, request, session, url_for

from lrs_soap.service import portal_users
from lrs_soap.service.context import ServiceContext
from lrs_soap.service.journal import CALLER_ENVIRON_KEY
from lrs_soap.service.portal_users import AccessEnded, PortalUser, SessionEnded
from lrs_soap.service.request_scope import RequestScope

SIGN_IN_FORM_BYTES = 4096  # a sign-in form is far smaller; a bigger anonymous post is not read


def install(app: Flask, services: ServiceContext) -> None:
    idle = app.config["PORTAL_SESSION_IDLE_SECONDS"]

    @app.before_request
    def load_user() -> None:
        g.user, g.ended = None, None
        if request.endpoint == "static":
            return  # the stylesheet and scripts need no database
        g.scope = RequestScope(services)
        g.ctx = g.scope.__enter__()
        # g.ended: "idle" or "revoked" when a session ended on this request
        user_id = session.get("user_id")
        if user_id is None:
            return
        now = services.clock().timestamp()
        if now - session.get("seen", 0) > idle:
            session.clear()
            g.ended = "idle"
            return
        try:
            g.user = portal_users.current_user(g.ctx, user_id, session.get("token"))
        except SessionEnded:  # signed out: this cookie is a stale copy
            session.clear()
            return
        except AccessEnded:
            session.clear()
            g.ended = "revoked"
            return
        session["seen"] = int(now)

    @app.teardown_request
    def close_scope(error: BaseException | None) -> None:
        scope = g.pop("scope", None)
        if scope is not None:
            scope.__exit__(type(error) if error else None, error, None)

    @app.after_request
    def tell_the_journal(response):
        """Who posted this form, for the request journal (as the SOAP faces' credentials):
        the signed-in user, else the organisation and user a sign-in form named."""
        if request.method != "POST":
            return response
        user, named = g.get("user"), {}
        if user is None and request.mimetype == "application/x-www-form-urlencoded" and \
                (request.content_length or 0) <= SIGN_IN_FORM_BYTES:
            named = request.form
        organisation = (user.organisation.ukprn or user.organisation.reference if user
                        else named.get("organisation") or None)
        user_name = user.user.user_name if user else named.get("user_name") or None
        request.environ[CALLER_ENVIRON_KEY] = (request.endpoint or "?", organisation,
                                               user_name)
        return response

    @app.context_processor
    def signed_in_user() -> dict:
        return {"user": g.get("user"), "csp_nonce": g.get("csp_nonce")}


def begin(services: ServiceContext, user: PortalUser, now: float) -> None:
    """A fresh session for a user who has just signed in (nothing carried over), started
    server side too (its token in the cookie)."""
    session.clear()
    session["user_id"] = user.user.id
    session["token"] = portal_users.start_session(services, user)
    session["seen"] = int(now)


def end(services: ServiceContext) -> None:
    """Sign-out: ended server side, so a copy of the cookie no longer signs anyone in."""
    portal_users.end_session(services, session.get("token"))
    session.clear()


def requires(capability: str) -> Callable:
    """A view for signed-in users whose organisation and portal roles allow ``capability``."""
    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            if g.user is None:
                if g.ended == "revoked":
                    return render_template("identity/access_ended.html"), 403
                return redirect(url_for("identity.sign_in", ended=g.ended))
            if not g.user.may(capability):
                return render_template("errors/no_access.html"), 403
            return view(*args, **kwargs)
        return guarded
    return decorate


def current() -> PortalUser:
    return g.user
