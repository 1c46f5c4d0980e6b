"""Uploading a batch file."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput

from lrs_soap.portal.forms.common import Required


class UploadForm(FlaskForm):
    batch_file = FileField(
        "Batch file", widget=GovFileInput(),
        description="A learner (LRB_), verification (VLD_) or achievement (ACH_) file, CSV "
                    "or XML, named as lrs-client expects, e.g. LRB_10000001_010520241200.CSV",
        validators=[Required("Choose a batch file")])
