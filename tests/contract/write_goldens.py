"""Rewrite the golden responses of the mirror faces from what the gateway answers now.

    python -m tests.contract.write_goldens [pytest options]

Runs the golden tests with writing switched on: each answer is written over its golden
file (varying values as placeholders) instead of being compared, so nothing can fail. It is
a separate command so that no test run (CI included) ever writes a golden: read every
changed file (``git diff tests/contract/golden``) before committing it.
"""

from __future__ import annotations

import sys

import pytest

from tests.contract import golden_mode

GOLDEN_TESTS = ("tests/contract/test_mirror_learner_service.py",
                "tests/contract/test_mirror_r9_external.py")


def main(argv: list[str]) -> int:
    golden_mode.WRITING = True
    return pytest.main(["-p", "no:cacheprovider", *GOLDEN_TESTS, *argv])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
