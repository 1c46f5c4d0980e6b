"""Whether golden tests write their golden files instead of comparing with them.

Only ``python -m tests.contract.write_goldens`` switches it on; a test run never does.
"""

WRITING = False
