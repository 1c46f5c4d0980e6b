"""lrs_client.wording: schema messages in the words of the person who typed the values."""

from __future__ import annotations

from lrs_client.wording import explain


def test_each_line_is_explained_and_unknown_shapes_are_kept():
    details = "\n".join([
        "line 2: Element 'ULN': [facet 'pattern'] The value '0123456789' is not accepted by "
        "the pattern '[1-9][0-9]{9}'.",
        "line 2: Element 'DateOfBirth': '2000-02-30' is not a valid value of the atomic type "
        "'Date'.",
        "line 2: Element 'FamilyName': [facet 'maxLength'] The value has a length of '40'; "
        "this exceeds the allowed maximum length of '35'.",
        "line 2: Element 'NotesText': something libxml2 says we have not seen",
        "... and 3 more",
    ])
    assert explain(details) == [
        "ULN '0123456789': must be 10 digits, the first not 0",
        "date of birth '2000-02-30': must be a date written YYYY-MM-DD, from 1800-01-01 to "
        "2099-12-31",
        "family name: is 40 characters long: at most 35 are allowed; it must be 1 to 35 "
        "characters, not all spaces",
        "line 2: Element 'NotesText': something libxml2 says we have not seen",
        "... and 3 more",
    ]
