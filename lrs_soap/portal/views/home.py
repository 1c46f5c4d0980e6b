"""The organisation's home page: recent jobs, open challenges, last 30 days' calls."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, g, redirect, render_template, url_for

from lrs_soap.domain.challenges import ChallengeStatus
from lrs_soap.portal.session import current, requires
from lrs_soap.portal.views.jobs import KIND_NAMES
from lrs_soap.service import batches, challenges, journal
from lrs_soap.service.challenges import Scope
from lrs_soap.service.plr import Page

blueprint = Blueprint("home", __name__)
RECENT = 5
CALL_DAYS = 30


@blueprint.route("/")
@requires("portal_home")
def home():
    me = current()
    caller = me.caller
    open_challenges = {}
    if me.may("raise_event_challenge"):
        open_challenges["Learning event challenges you raised"] = \
            challenges.list_event_challenges(g.ctx, caller, Scope.RAISED,
                                             ChallengeStatus.OPEN, Page(1, 1)).total
    if me.may("resolve_event_challenge"):
        open_challenges["Challenges of your learning events to resolve"] = \
            challenges.list_event_challenges(g.ctx, caller, Scope.OWNED,
                                             ChallengeStatus.OPEN, Page(1, 1)).total
    if me.may("uln_challenge"):
        open_challenges["ULN challenges you raised"] = challenges.list_uln_challenges(
            g.ctx, caller, ChallengeStatus.OPEN, Page(1, 1)).total
    return render_template("home.html", me=me, width="full", kind_names=KIND_NAMES,
                           jobs=batches.recent_jobs(g.ctx, caller, RECENT),
                           open_challenges=open_challenges, calls=_calls(me),
                           call_days=CALL_DAYS)


def _calls(me) -> list | None:
    """The organisation's SOAP calls of the last CALL_DAYS days by operation and code, from
    the request journal (None when the journal is off)."""
    names = tuple(key for key in (me.organisation.ukprn, me.organisation.reference) if key)
    try:
        # The journal also keeps the portal's own form posts: this page counts SOAP calls.
        return journal.count_calls(g.ctx, since=g.ctx.clock() - dt.timedelta(days=CALL_DAYS),
                                   organisation=names, faces=journal.SOAP_FACES)
    except journal.JournalOff:
        return None


@blueprint.route("/index")
def index():
    return redirect(url_for("home.home"))
