"""The one definition of "names compare": a table, the threshold evidence and properties."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrs_soap.domain.names import name_key
from lrs_soap.domain.similarity import (
    JARO_WINKLER_THRESHOLD,
    Comparison,
    compare_names,
    damerau_levenshtein,
    jaro_winkler,
    name_parts,
)

EXACT, SIMILAR, DIFFERENT = Comparison.EXACT, Comparison.SIMILAR, Comparison.DIFFERENT

TABLE = [
    # case, spacing, punctuation and accents are not differences
    ("Smith", "SMITH", EXACT),
    ("  mary   ann ", "Mary Ann", EXACT),
    ("Mary-Ann", "Mary Ann", EXACT),
    ("O'Brien-Smith", "obrien smith", EXACT),
    ("O'Neill", "ONeill", EXACT),
    ("St. John", "St John", EXACT),
    ("Chloé", "CHLOE", EXACT),
    ("Zoë", "Zoe", EXACT),
    ("Strauß", "Strauss", EXACT),
    # one typo or transposition, keys of 4 letters or more
    ("Jonathon", "Jonathan", SIMILAR),
    ("Smtih", "Smith", SIMILAR),
    ("Davis", "Davies", SIMILAR),
    ("Phillip", "Philip", SIMILAR),
    ("Carl", "Karl", SIMILAR),
    ("Catherine", "Katherine", SIMILAR),
    # close spellings (Jaro-Winkler)
    ("Stephen", "Steven", SIMILAR),
    ("Christopher", "Kristopher", SIMILAR),
    ("Daniel", "Danielle", SIMILAR),
    # short forms (prefix, shorter at least 3 letters)
    ("Sam", "Samuel", SIMILAR),
    ("Chris", "Christopher", SIMILAR),
    ("Ann", "Anna-Marie", SIMILAR),
    ("Harris", "Harrison", SIMILAR),
    # a whole part of a multi-part name
    ("Smith", "Jones-Smith", SIMILAR),
    ("Mary", "Mary Ann", SIMILAR),
    ("Ann", "Mary Ann", SIMILAR),
    ("Mary Ann", "Ann-Mary", SIMILAR),
    ("John", "St. John", SIMILAR),
    # clearly different names
    ("Sam", "Tom", DIFFERENT),
    ("Smith", "Jones", DIFFERENT),
    ("Tom", "Tim", DIFFERENT),  # one edit, but three letters is too short to call it a typo
    ("Ian", "Ann", DIFFERENT),
    ("Jon", "John", DIFFERENT),  # the price of the 4-letter minimum, documented
    ("Martin", "Martha", DIFFERENT),
    ("Oliver", "Olivia", DIFFERENT),
    ("Jones", "James", DIFFERENT),
    ("Mohammed", "Muhammad", DIFFERENT),
    ("Williams", "Wilson", DIFFERENT),
    ("Mark", "Marcus", DIFFERENT),
    ("Al", "Alan", DIFFERENT),  # a two-letter prefix is not a short form
    ("Smith", "Mary Jones", DIFFERENT),
    # blank or missing: never a match, whichever side
    ("Smith", None, DIFFERENT),
    (None, "Smith", DIFFERENT),
    ("Smith", "   ", DIFFERENT),
    ("", "", DIFFERENT),
    (None, None, DIFFERENT),
    ("'-.", "'-.", DIFFERENT),  # keys to nothing
]


@pytest.mark.parametrize(("supplied", "held", "expected"), TABLE)
def test_compare_names(supplied, held, expected):
    assert compare_names(supplied, held) is expected
    assert compare_names(held, supplied) is expected


@pytest.mark.parametrize(("a", "b", "distance"), [
    ("smith", "smith", 0), ("smtih", "smith", 1), ("smith", "smyth", 1), ("davis", "davies", 1),
    ("ca", "abc", 3),  # optimal string alignment: no substring edited twice
    ("", "abc", 3), ("kitten", "sitting", 3),
])
def test_damerau_levenshtein(a, b, distance):
    assert damerau_levenshtein(a, b) == distance
    assert damerau_levenshtein(b, a) == distance


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("martha", "marhta", 0.961), ("dwayne", "duane", 0.84), ("dixon", "dicksonx", 0.813),
    ("abc", "abc", 1.0), ("abc", "xyz", 0.0),
])
def test_jaro_winkler_textbook_values(a, b, expected):
    assert jaro_winkler(a, b) == pytest.approx(expected, abs=0.001)


@pytest.mark.parametrize(("a", "b"), [("stephen", "steven"), ("jones", "johns")])
def test_threshold_sits_above_variants_edit_distance_misses(a, b):
    assert damerau_levenshtein(a, b) == 2
    assert JARO_WINKLER_THRESHOLD <= jaro_winkler(a, b) < 0.90


@pytest.mark.parametrize(("a", "b"), [("martin", "martha"), ("oliver", "olivia"),
                                      ("jack", "jake"), ("mohammed", "muhammad")])
def test_threshold_sits_below_different_names_sharing_a_start(a, b):
    assert jaro_winkler(a, b) < JARO_WINKLER_THRESHOLD


def test_name_parts_split_on_spaces_and_hyphens():
    assert name_parts("  Anna-Marie  O'Neill ") == ("anna", "marie", "oneill")
    assert name_parts("Jean–Luc") == ("jean", "luc")  # an en dash is a hyphen too
    assert name_parts(" - ") == ()


names = st.text(alphabet=st.sampled_from("abcdeéAB -'.ñz"), max_size=12)


@given(names, names)
def test_comparison_is_symmetric(a, b):
    assert compare_names(a, b) is compare_names(b, a)
    assert jaro_winkler(name_key(a), name_key(b)) == jaro_winkler(name_key(b), name_key(a))


@given(names, names)
def test_exact_iff_keys_equal_and_not_empty(a, b):
    keys_equal = name_key(a) == name_key(b) != ""
    assert (compare_names(a, b) is EXACT) == keys_equal


@given(names)
def test_a_name_is_exact_with_itself(a):
    expected = EXACT if name_key(a) else DIFFERENT
    assert compare_names(a, a) is expected
    assert compare_names(a, f"  {a.upper()} ") is expected


@given(st.text(max_size=10), st.text(max_size=10))
def test_metrics_are_bounded(a, b):
    assert 0.0 <= jaro_winkler(a, b) <= 1.0 + 1e-9
    assert abs(len(a) - len(b)) <= damerau_levenshtein(a, b) <= max(len(a), len(b))


@given(st.text(alphabet="abcdeilmnorst", min_size=1, max_size=12),
       st.text(alphabet="abcdeilmnorst", min_size=1, max_size=12))
def test_the_cheap_bound_never_undercuts_jaro_winkler(a, b):
    from lrs_soap.domain.similarity import _jaro_winkler_bound, jaro_winkler

    assert jaro_winkler(a, b) <= _jaro_winkler_bound(a, b) + 1e-12
