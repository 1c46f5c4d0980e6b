"""Account management: a super user registers and maintains the organisation's users."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovRadioInput, GovTextInput
from wtforms import PasswordField, RadioField, SelectChoice, StringField

from lrs_soap.domain.model import PortalRole
from lrs_soap.portal.forms.common import MaxLength, Required

ROLES = {PortalRole.USER: "User: the organisation's services",
         PortalRole.SUPER_USER: "Super user: also manages the organisation's users"}


def _role() -> RadioField:
    return RadioField("Role", widget=GovRadioInput(),
                      choices=[SelectChoice(role.value, text) for role, text in ROLES.items()],
                      validators=[Required("Choose a role")])


def _password(label: str) -> PasswordField:
    return PasswordField(label, widget=GovPasswordInput(),
                         description="12 to 128 characters; a few unrelated words work well",
                         validators=[Required("Enter a password"),
                                     MaxLength(128, "A password is at most 128 characters")])


class NewUserForm(FlaskForm):
    user_name = StringField("User name", widget=GovTextInput(),
                            validators=[Required("Enter a user name"),
                                        MaxLength(35, "A user name is at most 35 characters")])
    role = _role()
    password = _password("Their first password")


class RoleForm(FlaskForm):
    role = _role()


class PasswordForm(FlaskForm):
    password = _password("New password")
