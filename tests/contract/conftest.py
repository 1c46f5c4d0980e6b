"""Fixtures the mirror contract tests share."""

from __future__ import annotations

import pytest
from lxml import etree

from tests.conftest import REPO

R9_PATH, EXTERNAL_PATH = "/LearnerServiceR9.svc", "/ExternalService.svc"


@pytest.fixture(scope="module")
def schemas():
    """The validating schemas of the WCF mirror endpoints, by path."""
    return {R9_PATH: etree.XMLSchema(etree.parse(str(REPO / "xsd" / "lrs-r9.xsd"))),
            EXTERNAL_PATH: etree.XMLSchema(etree.parse(str(REPO / "xsd" / "lrs-external.xsd")))}
