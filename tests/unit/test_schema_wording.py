"""libxml2's schema messages in plain words (issue 18 item 2): the element, the value and the
broken facet; never a pattern, whose quoted alternative may be the wrong one."""

import pytest

from lrs_soap.soap.schema_wording import formats, plain

R9 = formats("lrs-r9.xsd")
LEARNER = formats("lrs-learner-service.xsd")


@pytest.mark.parametrize(("message", "known", "expected"), [
    ("Element 'LastKnownPostCode': [facet 'pattern'] The value '' is not accepted by the "
     "pattern 'BFPO ?[0-9]{1,4}'.", LEARNER,
     "Element 'LastKnownPostCode': '' is not in the required format: a UK postcode such as "
     "CV4 9EE (the space optional) or BFPO and 1 to 4 digits."),
    ("Element 'X': [facet 'pattern'] The value 'a' is not accepted by the pattern '[0-9]'.",
     LEARNER, "Element 'X': 'a' is not in the required format."),
    ("Element '{http://tempuri.org/}vendorID': 'one' is not a valid value of the atomic type "
     "'xs:int'.", R9, "Element 'vendorID': 'one' is not a whole number."),
    ("Element 'Gender': [facet 'enumeration'] The value '' is not an element of the set "
     "{'0', '1'}.", LEARNER, "Element 'Gender': '' is not one of the allowed values: 0, 1."),
    ("Element 'OrgPassword': [facet 'length'] The value has a length of '3'; this differs "
     "from the allowed length of '16'.", LEARNER,
     "Element 'OrgPassword': the value is 3 characters long; it must be exactly 16."),
    ("Element 'LearnerRecordCount': [facet 'minInclusive'] The value '0' is less than the "
     "minimum value allowed ('1').", LEARNER,
     "Element 'LearnerRecordCount': '0' is less than the smallest value allowed, 1."),
    ("Element '{http://tempuri.org/}GetOrganisation': Missing child element(s). Expected is "
     "( {http://tempuri.org/}ukPrn ).", R9,
     "Element 'GetOrganisation': a mandatory element is missing: ukPrn."),
    ("Element 'Foo': This element is not expected. Expected is one of ( A, B ).", LEARNER,
     "Element 'Foo': not expected here; the next element must be A or B (missing or out of "
     "order)."),
    ("Element 'Foo', attribute 'bar': The attribute 'bar' is not allowed.", LEARNER,
     "Element 'Foo', attribute 'bar': The attribute 'bar' is not allowed."),
    ("Something libxml2 says that we do not know.", LEARNER,
     "Something libxml2 says that we do not know."),
])
def test_messages_in_plain_words(message, known, expected):
    assert plain(message, known) == expected
