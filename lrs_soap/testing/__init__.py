"""Testing against lrs-soap: a fresh gateway per test, from a pytest fixture.

``lrs_soap.testing.plugin`` is registered with pytest (entry point ``pytest11``), so
installing lrs-soap makes the ``lrs_gateway`` fixture available; ``start_gateway`` is the
same thing without pytest. See README "Testing against lrs-soap".
"""

from lrs_soap.testing.gateway import Credentials, Gateway, start_gateway

__all__ = ["Credentials", "Gateway", "start_gateway"]
