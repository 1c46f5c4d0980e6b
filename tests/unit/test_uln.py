"""ULN rules: lrs-rules.md section 1.3's worked examples, and properties of minting."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lrs_soap.domain import uln
from lrs_soap.domain.uln import UlnValidity


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1748529632", UlnValidity.VALID),  # DAS unit-test value
        ("9276308686", UlnValidity.VALID),  # HESA example
        ("1000000043", UlnValidity.VALID),  # ILR unit test, checksum 7
        ("1000000063", UlnValidity.BAD_CHECK_DIGIT),  # remainder 0: no digit can be valid
        ("1748529631", UlnValidity.BAD_CHECK_DIGIT),
        ("1748529633", UlnValidity.BAD_CHECK_DIGIT),
        ("9999999999", UlnValidity.BAD_CHECK_DIGIT),  # the ILR's temporary ULN
        ("", UlnValidity.EMPTY),
        (None, UlnValidity.EMPTY),
        ("0123456789", UlnValidity.MALFORMED),  # leading zero
        ("123456789", UlnValidity.MALFORMED),  # nine digits
        ("12345678901", UlnValidity.MALFORMED),
        ("12345678X0", UlnValidity.MALFORMED),
        ("１７４８５２９６３２", UlnValidity.MALFORMED),  # full-width digits are not digits here
    ],
)
def test_worked_examples(value, expected):
    assert uln.validity(value) is expected


@pytest.mark.parametrize("value", ["1026893096", "6936002314", "4444599390", "7667649978",
                                   "1964986809", "8383558804", "1174112637", "1026922983"])
def test_ulns_seen_in_public_mocks_are_valid(value):
    assert uln.is_valid(value)


def test_check_digit_of_worked_example():
    assert uln.check_digit("174852963") == 2
    assert uln.check_digit("100000006") is None


@given(st.integers(min_value=0, max_value=2**32))
def test_minted_candidates_are_always_valid(seed):
    import random

    rng = random.Random(seed)
    candidate = uln.random_candidate(randbelow=rng.randrange)
    assert uln.validity(candidate) is UlnValidity.VALID
    assert candidate[0] != "0"


@given(st.from_regex(r"[1-9][0-9]{9}", fullmatch=True))
def test_whole_number_rule_agrees_with_check_digit_rule(value):
    # lrs-rules 1.2: weights 10..1 over all ten digits, sum mod 11 == 10 <=> valid
    whole = sum(w * int(d) for w, d in zip(range(10, 0, -1), value, strict=True)) % 11 == 10
    assert whole == uln.is_valid(value)


@given(st.from_regex(r"[1-9][0-9]{9}", fullmatch=True), st.integers(0, 9), st.integers(1, 9))
def test_changing_one_digit_is_always_detected(value, position, delta):
    if not uln.is_valid(value):
        return
    digits = list(value)
    digits[position] = str((int(digits[position]) + delta) % 10)
    changed = "".join(digits)
    if changed[0] == "0":
        return
    assert not uln.is_valid(changed)
