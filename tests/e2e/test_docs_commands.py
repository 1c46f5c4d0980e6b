"""Every command the README and docs/ show is a command that exists, and every ```sh block
runs, in order, against a real `lrs-soap serve --demo`: the docs cannot drift from the tools.

A block that cannot run here says so on the line above its fence, with the reason:

    <!-- docs-test: skip (installs packages) -->

(usage synopses belong in ```text blocks, transcripts in ```console blocks: their command
names are checked, they are not run). A block runs with ``bash -e`` after the ``export``
lines of the blocks above it in the same file (a page reads as one shell session), in a
scratch folder where ``.venv/bin/`` holds this environment's console scripts,
``LRS_CLIENT_URL`` and ``LRS_DATABASE_URL`` point at the served gateway (and so does every
``http://127.0.0.1:8000`` in a block), ``docs/``, ``xsd/`` and ``wsdl/`` are the repository's,
and the files the docs assume you have (``register.csv``, ``participation.csv``,
``tests/lrs-fixture.yaml``) exist.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from lrs_client.cli import build_parser as client_parser

from lrs_soap.entrypoints.cli import build_parser as server_parser
from tests.conftest import REPO
from tests.e2e.servers import served_gateway

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), REPO / "clients" / "README.md"]
SKIP = re.compile(r"<!--\s*docs-test:\s*skip\s*\((?P<why>[^)]+)\)\s*-->")
FENCE = re.compile(r"^```(?P<lang>\w*)\s*$")
DEFAULT_URL = "http://127.0.0.1:8000"
BLOCK_SECONDS = 300  # a block of a dozen commands on a loaded 2-core machine
TOOLS = {"lrs-soap": server_parser, "lrs-client": client_parser}


@dataclass(frozen=True)
class Block:
    path: Path
    line: int  # of the opening fence
    lang: str
    text: str
    skip: str | None  # the reason given, when the block opts out

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}"


def blocks(path: Path) -> list[Block]:
    found, lines = [], path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        end = index + 1
        while end < len(lines) and not lines[end].startswith("```"):
            end += 1
        before = lines[index - 1] if index else ""
        skip = SKIP.search(before)
        found.append(Block(path, index + 1, opening["lang"], "\n".join(lines[index + 1:end]),
                           skip["why"].strip() if skip else None))
        index = end + 1
    return found


ALL_BLOCKS = [block for path in DOCS for block in blocks(path)]
RUNNABLE = [block for block in ALL_BLOCKS if block.lang in ("sh", "bash", "shell")]


def command_lines(block: Block) -> list[str]:
    """Each lrs-soap / lrs-client command of a block, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", block.text)
    commands = []
    for line in joined.splitlines():
        line = re.sub(r"^\$\s+", "", line.strip())
        line = re.sub(r"^(\.venv/bin/)", "", line)
        if line.split(" ", 1)[0] in TOOLS:
            commands.append(line)
    return commands


def subcommands(argv: list[str], parser) -> list[str]:
    """The command words of argv (options and their values skipped) that the parser must
    know: `lrs-client find-by-uln ...` -> [find-by-uln]; `lrs-soap org create` -> [org,
    create]."""
    words, chosen = [], parser
    tokens = iter(argv)
    for token in tokens:
        if token.startswith("-"):
            action = chosen._option_string_actions.get(token.split("=", 1)[0])
            if action is not None and action.nargs != 0 and "=" not in token:
                next(tokens, None)
            continue
        sub = [a for a in chosen._actions if isinstance(a, argparse._SubParsersAction)]
        if not sub:
            break
        choices = sub[0].choices
        if token not in choices:
            words.append(f"{token} (not one of {', '.join(choices)})")
            break
        words.append(token)
        chosen = choices[token]
    return words


def test_docs_have_command_blocks_and_every_skip_gives_a_reason():
    assert len(RUNNABLE) >= 10
    for block in ALL_BLOCKS:
        assert block.skip is None or len(block.skip) > 5, block.where


@pytest.mark.parametrize("block", [b for b in ALL_BLOCKS if command_lines(b)],
                         ids=lambda b: b.where)
def test_every_documented_command_exists(block):
    for line in command_lines(block):
        tool, *rest = shlex.split(line.split(" #", 1)[0], posix=True)
        words = subcommands(rest, TOOLS[tool]())
        assert words and not any("not one of" in word for word in words), (block.where, line,
                                                                           words)


FILES_THE_DOCS_ASSUME = {
    "register.csv": "reference,title,type,level,owner_ukprn,shared,credits,unit\n"
                    "603/9999/1,Docs Level 2 Award,Award,Level 2,10000002,no,8,no\n",
    "participation.csv": "uln,source,subject_code,subject,start_date,provider_ukprn\n"
                         "1026893096,ILR,60399999,Docs Award,2024-09-02,10000001\n",
    "tests/lrs-fixture.yaml": "organisations:\n  - name: Docs College\n    ukprn: '10077777'\n"
                              "    roles: [LRB]\n    password: DocsCollege2026!\n"
                              "    users: [docs]\n",
}


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("docs")
    bin_dir = folder / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for tool in TOOLS:
        (bin_dir / tool).symlink_to(Path(sys.executable).parent / tool)
    for shared in ("docs", "xsd", "wsdl"):  # the docs are read in a checkout of the repository
        (folder / shared).symlink_to(REPO / shared)
    for name, text in FILES_THE_DOCS_ASSUME.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.slow
def test_every_sh_block_runs_against_a_served_gateway(fresh_database_url, scratch):
    with served_gateway(fresh_database_url, "--batch-workers", "1") as gateway:
        env = {**os.environ, "LRS_CLIENT_URL": gateway.url,
               "LRS_DATABASE_URL": fresh_database_url, "COLUMNS": "100",
               "PATH": f"{scratch / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}"}
        env.pop("LRS_CLIENT_CONFIG", None)
        failures, exported = [], {}
        for block in RUNNABLE:
            # a file reads as one shell session: its earlier blocks' exports still hold
            session = exported.setdefault(block.path, [])
            session += [line for line in block.text.splitlines() if line.startswith("export ")]
            if block.skip:
                continue
            # the docs address the default http://127.0.0.1:8000; the served one is elsewhere
            text = block.text.replace(DEFAULT_URL, gateway.url)
            script = "\n".join([*session, text])
            try:
                done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script],
                                      cwd=scratch, env=env, capture_output=True, text=True,
                                      timeout=BLOCK_SECONDS)
            except subprocess.TimeoutExpired:
                failures.append(f"{block.where}: still running after {BLOCK_SECONDS} s")
                continue
            if done.returncode != 0:
                failures.append(f"{block.where} exit {done.returncode}\n{done.stdout[-1500:]}"
                                f"\n{done.stderr[-1500:]}")
    assert failures == [], "\n\n".join(failures)
