"""Check-digit-valid ULNs for tests that need many, in a range of their own."""

from lrs_soap.domain import uln as uln_rules


def valid_ulns(count: int, first_body: int) -> list[str]:
    """``count`` valid ULNs, the first nine digits counting up from ``first_body``."""
    found, body = [], first_body
    while len(found) < count:
        digit = uln_rules.check_digit(str(body))
        if digit is not None:
            found.append(f"{body}{digit}")
        body += 1
    return found
