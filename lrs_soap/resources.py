"""Where the contract files and migrations are: inside an installed wheel or in a checkout."""

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE_DIR / "_bundled"  # filled by the wheel build (pyproject force-include)
_CHECKOUT = _PACKAGE_DIR.parent  # the repository root when running from source


@cache
def _root() -> Path:
    for candidate in (_BUNDLED, _CHECKOUT):
        if (candidate / "wsdl").is_dir() and (candidate / "xsd").is_dir():
            return candidate
    raise FileNotFoundError(f"contract files found neither in {_BUNDLED} nor in {_CHECKOUT}")


def wsdl_dir() -> Path:
    return _root() / "wsdl"


def xsd_dir() -> Path:
    return _root() / "xsd"


def migrations_dir() -> Path:
    return _root() / "migrations"


def alembic_ini() -> Path:
    return _root() / "alembic.ini"
