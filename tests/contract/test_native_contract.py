"""The hand-written contract is the truth: it compiles, and Spyne's models agree with it."""

from __future__ import annotations

import pytest
import xmlschema
import zeep
from lxml import etree

from lrs_soap.domain.access import NATIVE, OPERATIONS
from lrs_soap.soap.native import exception_services, types
from lrs_soap.soap.native.app import NativeApplication
from tests.conftest import NATIVE_NS, REPO

CAPABILITIES = OPERATIONS[NATIVE]
XSD = REPO / "xsd" / "lrs-native-v1.xsd"
WSDL = REPO / "wsdl" / "lrs-native-v1.wsdl"


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD))


def xsd_children(group) -> list[str]:
    return [element.local_name for element in group.iter_elements()]


@pytest.mark.parametrize("path", sorted((REPO / "xsd").glob("*.xsd")), ids=lambda p: p.name)
def test_every_xsd_compiles_with_lxml_and_xmlschema(path):
    etree.XMLSchema(etree.parse(str(path)))
    xmlschema.XMLSchema(str(path))


def test_wsdl_loads_in_zeep_and_lists_exactly_the_implemented_operations():
    client = zeep.Client(str(WSDL))
    binding = client.wsdl.bindings[f"{{{NATIVE_NS}}}LrsNativeBinding"]
    assert set(binding._operations) == set(CAPABILITIES)


@pytest.mark.parametrize("model", [types.Credentials, types.ULNList, types.LearnerToRegister,
                                   types.Learner, types.LearnerToUpdate, types.Demographics,
                                   types.VerifiedLearner, types.BatchLearnerResult,
                                   types.VerifyBatchResult, types.RecordError,
                                   types.LearningEvent, types.LearnerRecord, types.AccessEntry,
                                   types.EventChallenge, types.EventCorrection,
                                   types.ULNChallenge, types.MergedLearner,
                                   types.UnmergedLearner, types.DeletedLearner,
                                   exception_services.BatchLearner,
                                   exception_services.BatchExceptionModel])
def test_spyne_models_have_the_xsd_elements_in_the_xsd_order(schema, model):
    xsd_type = schema.types[model.get_type_name()]
    spyne_names = list(model.get_flat_type_info(model).keys())
    assert spyne_names == xsd_children(xsd_type.content)


def test_spyne_learner_extends_learner_to_register_like_the_xsd(schema):
    assert schema.types["Learner"].base_type.local_name == "LearnerToRegister"
    assert types.Learner.__extends__ is types.LearnerToRegister


@pytest.mark.parametrize("operation", sorted(CAPABILITIES))
def test_operation_messages_match_the_xsd_elements(schema, operation):
    app = NativeApplication()
    method = app.interface.service_method_map[f"{{{NATIVE_NS}}}{operation}"][0]
    request_names = list(method.in_message._type_info.keys())
    response_names = list(method.out_message._type_info.keys())
    assert request_names == xsd_children(schema.elements[operation].type.content)
    assert response_names == xsd_children(schema.elements[f"{operation}Response"].type.content)
    assert method.out_message.get_type_name() == f"{operation}Response"
