"""Reading fixture files: YAML whose every mapping remembers the line it started on.

The format (docs/fixtures.md) has top-level lists ``organisations``, ``qualifications``,
``learners``, ``events``, ``achievements`` and ``challenges``; anything else is refused by
name, so a typo never loads a fixture that silently lacks a section.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

SECTIONS = ("organisations", "qualifications", "learners", "events", "achievements",
            "challenges")
FORMAT_KEY = "lrs_soap_fixture"
FORMAT_VERSION = 1


class FixtureError(ValueError):
    """A fixture that cannot be loaded; the message names the file and line. Nothing loads."""


class Entry(dict):
    """One mapping of the file, with the line it starts on."""

    line: int = 0
    where: str = ""

    def fail(self, problem: str) -> FixtureError:
        return FixtureError(f"{self.where} line {self.line}: {problem}")

    def text(self, key: str, *, required: bool = False) -> str | None:
        value = self.get(key)
        if value is None or value == "":
            if required:
                raise self.fail(f"{key} is required")
            return None
        if isinstance(value, bool | dict | list):
            raise self.fail(f"{key} must be text, not {type(value).__name__}")
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    def flag(self, key: str, default: bool) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(f"{key} must be true or false")
        return value

    def date(self, key: str, *, required: bool = False) -> dt.date | None:
        value = self.get(key)
        if value is None:
            if required:
                raise self.fail(f"{key} is required")
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise self.fail(f"{key} must be a date (YYYY-MM-DD), not {value!r}") from None

    def only(self, allowed: frozenset[str]) -> None:
        unknown = sorted(set(self) - allowed)
        if unknown:
            raise self.fail(f"unknown key(s) {', '.join(unknown)}; "
                            f"expected some of {', '.join(sorted(allowed))}")


def _loader(where: str) -> type[yaml.SafeLoader]:
    class Loader(yaml.SafeLoader):
        pass

    def mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Entry:
        loader.flatten_mapping(node)
        entry = Entry(loader.construct_pairs(node, deep=True))
        entry.line, entry.where = node.start_mark.line + 1, where
        return entry

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, mapping)
    return Loader


def parse(text: str, where: str = "fixture") -> dict[str, list[Entry]]:
    """The sections of a fixture document, each a list of entries."""
    try:
        document = yaml.load(text, Loader=_loader(where))  # noqa: S506 (a SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f" line {mark.line + 1}" if mark else ""
        raise FixtureError(f"{where}{line}: not valid YAML "
                           f"({getattr(error, 'problem', None) or error})") from None
    if document is None:
        return {section: [] for section in SECTIONS}
    if not isinstance(document, Entry):
        raise FixtureError(f"{where} line 1: a fixture is a mapping of sections "
                           f"({', '.join(SECTIONS)})")
    version = document.get(FORMAT_KEY, FORMAT_VERSION)
    if version != FORMAT_VERSION:
        raise document.fail(f"{FORMAT_KEY} {version!r} is not a version this gateway reads "
                            f"({FORMAT_VERSION})")
    document.only(frozenset(SECTIONS) | {FORMAT_KEY})
    sections: dict[str, list[Entry]] = {}
    for section in SECTIONS:
        items = document.get(section) or []
        if not isinstance(items, list) or not all(isinstance(i, Entry) for i in items):
            raise document.fail(f"{section} must be a list of mappings")
        sections[section] = items
    return sections


def read(path: str | Path) -> dict[str, list[Entry]]:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise FixtureError(f"{path}: cannot read it ({error})") from None
    return parse(text, path.name)


def dump(document: dict) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
