"""The `lrs-soap` package: every command-group module is wired in, exactly once."""

from __future__ import annotations

import pkgutil

import pytest

import lrs_soap.entrypoints.cli as cli
from lrs_soap.entrypoints.cli import COMMAND_GROUPS, build_parser, main

HELPERS = {"common", "__main__"}


def test_every_command_group_module_is_registered():
    modules = {info.name for info in pkgutil.iter_modules(cli.__path__)} - HELPERS
    registered = [group.__name__.rsplit(".", 1)[1] for group in COMMAND_GROUPS]
    assert sorted(registered) == sorted(modules)
    assert len(registered) == len(set(registered))


def test_each_group_names_its_command_first_in_its_docstring():
    for group in COMMAND_GROUPS:
        command = group.__name__.rsplit(".", 1)[1]
        assert group.__doc__.startswith(f"`lrs-soap {command}"), group.__name__


def test_help_lists_every_group(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    shown = capsys.readouterr().out
    for group in COMMAND_GROUPS:
        assert group.__doc__.splitlines()[0].replace("`", "") in shown


def test_every_subcommand_has_a_handler():
    parser = build_parser()
    groups = parser._subparsers._group_actions[0].choices  # argparse keeps no public accessor
    assert set(groups) == {g.__name__.rsplit(".", 1)[1] for g in COMMAND_GROUPS}
    for name, sub in groups.items():
        assert callable(sub.get_default("handler")), name
