"""The product's password hashing, as production runs it. (The test process reuses one hash
per password to save Argon2's deliberate cost, tests/conftest.py; so this runs the hasher in
an interpreter of its own.)"""

from __future__ import annotations

import json
import subprocess
import sys

PROGRAM = """
import json
from lrs_soap.passwords import Argon2Passwords
passwords = Argon2Passwords()
first, second = passwords.hash("Same-Password-16"), passwords.hash("Same-Password-16")
print(json.dumps([first, second, passwords.verify(first, "Same-Password-16"),
                  passwords.verify(second, "Same-Password-16"),
                  passwords.verify(first, "Other-Password-1")]))
"""


def test_one_password_hashed_twice_gives_two_salted_argon2id_hashes():
    done = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True,
                          timeout=60, check=True)
    first, second, first_ok, second_ok, wrong_ok = json.loads(done.stdout)
    assert first != second  # a salt of its own for each
    for stored in (first, second):
        assert stored.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert "Same-Password-16" not in stored
    assert first_ok and second_ok and not wrong_ok
