"""domain.learner_formats gives the contract XSD's answers for the fields it checks."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema

from lrs_soap.domain import learner_formats

XSD = xmlschema.XMLSchema(str(Path(__file__).parents[2] / "xsd" / "lrs-native-v1.xsd"))

SAMPLES = {
    "Gender": (learner_formats.GENDERS, ["0", "1", "2", "9", "3", "7", "", "M", " 1"]),
    "VerificationType": (learner_formats.VERIFICATION_TYPES,
                         ["0", "7", "8", "999", "99", "", "1 "]),
    "ZeroOneTwo": (learner_formats.ABILITY_TO_SHARE, ["0", "1", "2", "3", ""]),
}
POSTCODES = ["SW1A 1AA", "sw1a1aa", "M1 1AE", "CV4 9EE", "LS2 9JT  ", "BFPO 123", "BFPO1234",
             "BFPO 12345", "NOWHERE", "12345", "SW1A 1AAA", "AB12 3DF", "W1 1CI", "", "AB1 2CD"]


@pytest.mark.parametrize("type_name", SAMPLES)
def test_enumerations_agree_with_the_xsd(type_name):
    allowed, samples = SAMPLES[type_name]
    for value in samples:
        assert (value in allowed) == XSD.types[type_name].is_valid(value), value


@pytest.mark.parametrize("postcode", POSTCODES)
def test_the_postcode_format_agrees_with_the_xsd(postcode):
    ours = (len(postcode) <= learner_formats.MAX_POSTCODE
            and learner_formats.POSTCODE.fullmatch(postcode) is not None)
    assert ours == XSD.types["PostCode"].is_valid(postcode)
