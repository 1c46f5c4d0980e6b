"""The entries-and-results and learner-plan models agree with the hand-written XSD."""

from __future__ import annotations

import pytest
import xmlschema

from lrs_soap.soap.native import entry_types, plan_services
from tests.contract.test_native_contract import XSD, xsd_children


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD))


@pytest.mark.parametrize("model", [
    entry_types.EntryOutcome, entry_types.ResultOutcome, entry_types.EntryResultView,
    entry_types.EntryView, plan_services.PlannedAimModel, plan_services.PlanChangeModel,
    plan_services.LearnerPlanModel], ids=lambda model: model.get_type_name())
def test_models_have_the_xsd_elements_in_the_xsd_order(schema, model):
    xsd_type = schema.types[model.get_type_name()]
    assert list(model.get_flat_type_info(model).keys()) == xsd_children(xsd_type.content)
