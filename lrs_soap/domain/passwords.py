"""Organisation passwords: exactly 16 characters (MIAPOrgPassword), generated at random.

Portal users' own passwords: 12 to 128 characters (NCSC: length over composition rules).
"""

import secrets
import string

PASSWORD_LENGTH = 16
# No look-alikes (0/O, 1/l/I) so a password read aloud or retyped survives.
_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")


def generate() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(PASSWORD_LENGTH))


def format_problem(password: str) -> str | None:
    """Why ``password`` cannot be an organisation password, or None if it can."""
    if len(password) != PASSWORD_LENGTH:
        return f"an organisation password is exactly {PASSWORD_LENGTH} characters"
    if not password.strip():
        return "an organisation password cannot be blank"
    return None


PORTAL_PASSWORD_MIN, PORTAL_PASSWORD_MAX = 12, 128


def portal_password_problem(password: str) -> str | None:
    """Why ``password`` cannot be a portal user's password, or None if it can."""
    if not PORTAL_PASSWORD_MIN <= len(password) <= PORTAL_PASSWORD_MAX:
        return (f"a password is {PORTAL_PASSWORD_MIN} to {PORTAL_PASSWORD_MAX} characters")
    if not password.strip():
        return "a password cannot be blank"
    return None
