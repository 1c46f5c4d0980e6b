"""The organisation's home page: recent jobs, open challenges, last 30 days' calls."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from lrs_soap.portal.session import current, requires

blueprint = Blueprint("home", __name__)


@blueprint.route("/")
@requires("portal_home")
def home():
    return render_template("home.html", me=current())


@blueprint.route("/index")
def index():
    return redirect(url_for("home.home"))
