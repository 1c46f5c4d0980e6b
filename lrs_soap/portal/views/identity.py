"""Charter "Identity Management": sign in with organisation, user name and password; sign out."""

from __future__ import annotations

from flask import Blueprint, g, redirect, render_template, request, url_for

from lrs_soap.portal import session
from lrs_soap.portal.forms.identity import SignInForm
from lrs_soap.service import portal_users
from lrs_soap.service.portal_users import SignInRefused
from lrs_soap.service.sign_in_throttle import SignInLocked

blueprint = Blueprint("identity", __name__)

ENDED = {
    "idle": "You were signed out because you did nothing for a while. Sign in again.",
    "signed_out": "You have signed out.",
}


@blueprint.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if g.user is not None:
        return redirect(url_for("home.home"))
    form = SignInForm()
    problem = None
    if form.validate_on_submit():
        try:
            user = portal_users.sign_in(g.ctx, form.organisation.data, form.user_name.data,
                                        form.password.data)
        except SignInRefused:
            problem = "The organisation, user name or password is not right"
        except SignInLocked as locked:  # the SOAP faces' policy: growing delays, lockout
            problem = locked.further_details[:1].upper() + locked.further_details[1:]
        else:
            session.begin(g.ctx, user, g.ctx.clock().timestamp())
            return redirect(url_for("home.home"))
    status = 200 if problem is None and not form.errors else 400
    return render_template("identity/sign_in.html", form=form, problem=problem,
                           notice=ENDED.get(request.args.get("ended", ""))), status


@blueprint.route("/sign-out", methods=["POST"])
def sign_out():
    session.end(g.ctx)
    return redirect(url_for("identity.sign_in", ended="signed_out"))
