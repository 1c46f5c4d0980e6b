import pytest

from lrs_soap.domain.names import name_key, normalise_postcode, postcode_key


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("O'Brien-Smith ", "obriensmith"),
        ("obrien smith", "obriensmith"),
        ("  SMITH  ", "smith"),
        ("Zoë", "zoe"),
        ("ZOE", "zoe"),
        ("Renée-Ann", "reneeann"),
        ("Strauß", "strauss"),
        ("Łukasz", "łukasz"),  # stroke letters have no decomposition: kept, lower-cased
        ("Ｊｏｎｅｓ", "jones"),  # full-width forms fold to ASCII under NFKD
        ("St. John", "stjohn"),
        ("Smith2", "smith2"),
        ("", ""),
        (None, ""),
        ("'-. ", ""),
    ],
)
def test_name_key(name, key):
    assert name_key(name) == key


@pytest.mark.parametrize(
    ("postcode", "key", "normalised"),
    [
        ("cv4 9ee", "CV49EE", "CV4 9EE"),
        ("CV49EE", "CV49EE", "CV4 9EE"),
        ("  cv4   9ee ", "CV49EE", "CV4 9EE"),
        ("M1 1AE", "M11AE", "M1 1AE"),
        ("m11ae", "M11AE", "M1 1AE"),
        ("B33 8TH", "B338TH", "B33 8TH"),
        ("ec1a1bb", "EC1A1BB", "EC1A 1BB"),
        ("SW1A\t2AA", "SW1A2AA", "SW1A 2AA"),
        ("zz99 9zz", "ZZ999ZZ", "ZZ99 9ZZ"),
        ("bfpo1234", "BFPO1234", "BFPO 1234"),
        ("BFPO 12", "BFPO12", "BFPO 12"),
        ("bfpo  7", "BFPO7", "BFPO 7"),
        ("ABC", "ABC", "ABC"),  # not a postcode: left compact for validation to reject
        ("", "", ""),
        (None, "", ""),
    ],
)
def test_postcode_forms(postcode, key, normalised):
    assert postcode_key(postcode) == key
    assert normalise_postcode(postcode) == normalised


def test_normalising_twice_changes_nothing():
    for raw in ("cv49ee", "bfpo 99", "EC1A 1BB"):
        assert normalise_postcode(normalise_postcode(raw)) == normalise_postcode(raw)
