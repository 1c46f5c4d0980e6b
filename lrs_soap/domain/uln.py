"""The Unique Learner Number: format, check digit and minting (lrs-rules.md section 1).

Check digit: S = 10*d1 + 9*d2 + ... + 2*d9; R = S mod 11; R == 0 means no check digit
exists for that body; otherwise d10 = 10 - R.
"""

import re
import secrets
from enum import Enum

ULN_PATTERN = re.compile(r"[1-9][0-9]{9}")
# Well-formed but never issued: the ILR's "temporary ULN" (it also fails the checksum).
NEVER_ISSUED = frozenset({"9999999999"})


class UlnValidity(Enum):
    VALID = "valid"
    EMPTY = "empty"
    MALFORMED = "malformed"  # not ten digits starting 1-9
    BAD_CHECK_DIGIT = "bad check digit"


def check_digit(body: str) -> int | None:
    """The check digit for nine leading digits, or None when no digit can be valid."""
    if len(body) != 9 or not body.isdigit():
        raise ValueError("a ULN body is exactly nine digits")
    weighted = zip(range(10, 1, -1), body, strict=True)
    remainder = sum(weight * int(digit) for weight, digit in weighted) % 11
    return None if remainder == 0 else 10 - remainder


def validity(uln: str | None) -> UlnValidity:
    if not uln:
        return UlnValidity.EMPTY
    if not ULN_PATTERN.fullmatch(uln):
        return UlnValidity.MALFORMED
    if check_digit(uln[:9]) != int(uln[9]):
        return UlnValidity.BAD_CHECK_DIGIT
    return UlnValidity.VALID


def is_valid(uln: str | None) -> bool:
    return validity(uln) is UlnValidity.VALID


def random_candidate(randbelow=secrets.randbelow) -> str:
    """A random check-digit-valid ULN. Uniqueness is the store's job (see ports.UlnRegistry)."""
    while True:
        body = str(1 + randbelow(9)) + "".join(str(randbelow(10)) for _ in range(8))
        digit = check_digit(body)
        if digit is not None:
            return body + str(digit)
