"""Organisation passwords: exactly 16 characters (MIAPOrgPassword), generated at random."""

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
