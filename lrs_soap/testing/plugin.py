"""The pytest plugin (entry point ``pytest11``): the ``lrs_gateway`` fixture.

Loaded in every pytest run where lrs-soap is installed, so it imports nothing heavy until a
test asks for the fixture.

    @pytest.mark.lrs_gateway(state="tests/fixture.yaml", frozen_at="2026-09-01T09:00:00Z")
    def test_my_client(lrs_gateway):
        ...
"""

from __future__ import annotations

import datetime as dt

import pytest

MARKER = "lrs_gateway"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", f"{MARKER}(state='demo', frozen_at=None, seed=None, **settings): options "
        "of the lrs_gateway fixture (lrs-soap): a named state or fixture file, a frozen "
        "clock, a minting seed, Settings fields")


@pytest.fixture
def lrs_gateway(request: pytest.FixtureRequest, tmp_path):
    """A fresh lrs-soap gateway for this test: URLs, credentials and ``.control``."""
    from lrs_soap.testing.gateway import start_gateway

    marker = request.node.get_closest_marker(MARKER)
    options = dict(marker.kwargs) if marker else {}
    frozen = options.pop("frozen_at", None)
    if isinstance(frozen, str):
        frozen = dt.datetime.fromisoformat(frozen)
    with start_gateway(options.pop("state", "demo"), frozen_at=frozen, directory=tmp_path,
                       **options) as gateway:
        yield gateway
