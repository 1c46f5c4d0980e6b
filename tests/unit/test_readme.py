"""The README documents every setting, so a newcomer can find each one."""

from dataclasses import fields

from lrs_soap.config import Settings, env_name
from tests.conftest import REPO


def test_every_setting_is_in_the_readme_configuration_table():
    readme = (REPO / "README.md").read_text()
    missing = [env_name(f.name) for f in fields(Settings) if f"`{env_name(f.name)}`" not in readme]
    assert not missing, f"README's configuration table lacks {missing}"


def test_readme_starts_with_the_two_setup_commands():
    readme = (REPO / "README.md").read_text()
    head = readme[: readme.index("## First calls")]
    assert head.count("```sh") == 2
    assert "lrs-soap serve --demo" in head and ".venv/bin/pytest" in head


def test_ci_runs_the_readmes_test_command():
    # .ci/run finds the command by this start and runs it as written; if the README's
    # command changes shape, CI must not silently run something else.
    readme = (REPO / "README.md").read_text()
    start = "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]'"
    commands = [line for line in readme.splitlines() if line.startswith(start)]
    assert len(commands) == 1
    assert '.venv/bin/pytest -n auto -m "not timing"' in commands[0]
    assert commands[0].endswith(".venv/bin/pytest -m timing")
    assert "README_TESTS=$(grep -m1 \"^python3 -m venv .venv && .venv/bin/pip install -q -e" in (
        REPO / ".ci" / "run").read_text()

