"""The wheel carries the contract files, the migrations and both console scripts."""

from __future__ import annotations

import configparser
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(REPO)], check=True, capture_output=True)
    (built,) = out.glob("lrs_soap-*.whl")
    return built


def test_wheel_ships_wsdl_xsd_migrations_and_the_client(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    for path in (REPO / "wsdl").glob("*.wsdl"):
        assert f"lrs_soap/_bundled/wsdl/{path.name}" in names
    for path in (REPO / "xsd").glob("*.xsd"):
        assert f"lrs_soap/_bundled/xsd/{path.name}" in names
    for path in (REPO / "migrations" / "versions").glob("*.py"):
        assert f"lrs_soap/_bundled/migrations/versions/{path.name}" in names
    assert "lrs_soap/_bundled/migrations/env.py" in names
    assert "lrs_soap/_bundled/alembic.ini" in names
    assert "lrs_client/cli.py" in names
    for asset in ("govuk-frontend.min.css", "govuk-frontend.min.js", "LICENCE.txt",
                  "assets/fonts/bold-b542beb274-v2.woff2"):
        assert f"lrs_soap/portal/static/govuk/{asset}" in names
    assert "lrs_soap/portal/templates/base.html" in names
    assert not any(name.startswith(("tests/", "clients/")) for name in names)


def test_wheel_declares_both_console_scripts(wheel):
    archive = zipfile.ZipFile(wheel)
    (entry_points,) = [n for n in archive.namelist() if n.endswith("entry_points.txt")]
    parser = configparser.ConfigParser()
    parser.read_string(archive.read(entry_points).decode())
    assert parser["console_scripts"]["lrs-soap"] == "lrs_soap.entrypoints.cli:main"
    assert parser["console_scripts"]["lrs-client"] == "lrs_client.cli:main"


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """The wheel installed into a directory of its own (put first on sys.path)."""
    target = tmp_path_factory.mktemp("site")
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, capture_output=True)
    return target


def test_installed_wheel_finds_its_bundled_files_and_migrates(installed, tmp_path):
    target = installed
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from lrs_soap import resources; from lrs_soap.store import migrate;"
        "assert '_bundled' in str(resources.wsdl_dir()), resources.wsdl_dir();"
        "url = 'sqlite:///' + sys.argv[2]; migrate.upgrade(url); print(migrate.current(url))"
    )
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", script, str(target),
                             str(tmp_path / "x.db")], capture_output=True, text=True,
                            cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_installed_wheel_serves_the_portal_stylesheet(installed, tmp_path):
    target = installed
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from lrs_soap.portal.app import PortalConfig, create_portal;"
        "app = create_portal(None, PortalConfig(secret_key='k' * 32));"
        "assert app.static_folder.startswith(sys.argv[1]), app.static_folder;"
        "r = app.test_client().get('/static/govuk/govuk-frontend.min.css');"
        "print(r.status_code, r.mimetype, len(r.data))"
    )
    result = subprocess.run([sys.executable, "-W", "ignore", "-c", script, str(target)],
                            capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    size = (REPO / "lrs_soap/portal/static/govuk/govuk-frontend.min.css").stat().st_size
    assert result.stdout.split() == ["200", "text/css", str(size)]
