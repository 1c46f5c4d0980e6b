"""Charter "Account Management": a super user registers users with roles, changes roles,
resets passwords, revokes and restores users, all within their own organisation (another
organisation's user is "not found", like a missing one)."""

from __future__ import annotations

from flask import Blueprint, abort, g, redirect, render_template, url_for

from lrs_soap.domain.model import PortalRole
from lrs_soap.portal.forms.accounts import ROLES, NewUserForm, PasswordForm, RoleForm
from lrs_soap.portal.session import current, requires
from lrs_soap.service import portal_users
from lrs_soap.service.accounts import AdminError
from lrs_soap.service.portal_users import UserNotFound

blueprint = Blueprint("accounts", __name__, url_prefix="/users")


@blueprint.route("/")
@requires("manage_users")
def index():
    return render_template("accounts/index.html", users=portal_users.list_users(g.ctx, current()),
                           roles=ROLES, width="full")


@blueprint.route("/new", methods=["GET", "POST"])
@requires("manage_users")
def new():
    form, problem = NewUserForm(), None
    if form.validate_on_submit():
        try:
            user = portal_users.register_user(g.ctx, current(), form.user_name.data,
                                              PortalRole(form.role.data), form.password.data)
        except AdminError as error:
            problem = str(error).capitalize()
        else:
            return redirect(url_for("accounts.user", user_id=user.id, done="registered"))
    return render_template("accounts/new.html", form=form, problem=problem)


@blueprint.route("/<int:user_id>", methods=["GET"])
@requires("manage_users")
def user(user_id: int):
    return _user_page(user_id)


@blueprint.route("/<int:user_id>/role", methods=["POST"])
@requires("manage_users")
def role(user_id: int):
    form = RoleForm()
    if not form.validate_on_submit():
        return _user_page(user_id, role_form=form)
    return _act(user_id, "role", lambda: portal_users.set_role(
        g.ctx, current(), user_id, PortalRole(form.role.data)))


@blueprint.route("/<int:user_id>/password", methods=["POST"])
@requires("manage_users")
def password(user_id: int):
    form = PasswordForm()
    if not form.validate_on_submit():
        return _user_page(user_id, password_form=form)
    return _act(user_id, "password", lambda: portal_users.reset_password(
        g.ctx, current(), user_id, form.password.data), password_form=form)


@blueprint.route("/<int:user_id>/revoke", methods=["POST"])
@requires("manage_users")
def revoke(user_id: int):
    return _act(user_id, "revoked",
                lambda: portal_users.set_active(g.ctx, current(), user_id, False))


@blueprint.route("/<int:user_id>/restore", methods=["POST"])
@requires("manage_users")
def restore(user_id: int):
    return _act(user_id, "restored",
                lambda: portal_users.set_active(g.ctx, current(), user_id, True))


def _act(user_id: int, done: str, action, **forms):
    try:
        action()
    except UserNotFound:
        abort(404)
    except AdminError as error:
        return _user_page(user_id, problem=str(error).capitalize(), **forms)
    return redirect(url_for("accounts.user", user_id=user_id, done=done))


def _user_page(user_id: int, *, problem: str | None = None, role_form=None,
               password_form=None):
    from flask import request

    try:
        shown = portal_users.get_user(g.ctx, current(), user_id)
    except UserNotFound:
        abort(404)
    role_form = role_form or RoleForm(formdata=None, role=shown.portal_role.value)
    password_form = password_form or PasswordForm(formdata=None)
    errors = role_form.errors or password_form.errors
    return render_template("accounts/user.html", shown=shown, role_form=role_form,
                           password_form=password_form, problem=problem, roles=ROLES,
                           done=request.args.get("done"), form=None,
                           form_errors=errors), 400 if (problem or errors) else 200
