"""A migrated database (on this run's backend) with control on, per test."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from lrs_soap.config import Settings
from tests.databases import fresh_database

DATA = Path(__file__).parent / "data"


@pytest.fixture
def runtime(tmp_path) -> Iterator:
    from lrs_soap.bootstrap import build_runtime
    from lrs_soap.store import migrate

    with fresh_database(tmp_path) as url:
        if url.startswith("sqlite:"):  # a copy of the plugin's migrated template: faster
            from lrs_soap.testing.gateway import migrated_template

            shutil.copyfile(migrated_template(), tmp_path / "lrs.db")
        else:
            migrate.upgrade(url)
        runtime = build_runtime(Settings(database_url=url, control="on"))
        yield runtime
        runtime.close()


@pytest.fixture
def control(runtime):
    return runtime.control
