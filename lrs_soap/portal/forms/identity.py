"""Signing in."""

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import PasswordField, StringField, SubmitField

from lrs_soap.portal.forms.common import MaxLength, Required


class SignInForm(FlaskForm):
    organisation = StringField(
        "Organisation", widget=GovTextInput(),
        description="Your UKPRN (8 characters) or OrganisationRef (6 characters)",
        validators=[Required("Enter your UKPRN or OrganisationRef"),
                    MaxLength(8, "A UKPRN is 8 characters and an OrganisationRef 6")])
    user_name = StringField("User name", widget=GovTextInput(),
                            validators=[Required("Enter your user name"),
                                        MaxLength(35, "A user name is at most 35 characters")])
    password = PasswordField("Password", widget=GovPasswordInput(),
                             validators=[Required("Enter your password"),
                                         MaxLength(128, "A password is at most 128 characters")])
    submit = SubmitField("Sign in", widget=GovSubmitInput())
