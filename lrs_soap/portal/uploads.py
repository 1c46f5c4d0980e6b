"""What the batch upload page needs from the offline Validation Tool, as a port.

The portal may not parse XML or read the Validation Tool's modules itself (it is a face:
no lxml, no lrs_client); the composition root hands it a ``FileChecker`` that runs the
tool's own checks (lrs_soap.entrypoints.batch_files), so an upload is judged exactly as
``lrs-client validate`` judges the same file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from lrs_soap.domain.batches import JobKind, Payload
from lrs_soap.domain.sent_achievement import SentAchievement


@dataclass(frozen=True)
class FileProblem:
    line: int  # 0: not a line (the file name)
    record: int  # 0: not a record (header, headings)
    field: str
    rule: str


@dataclass(frozen=True)
class CheckedFile:
    kind: JobKind | None  # None: not a batch file we know
    header: dict[str, str] = field(default_factory=dict)
    # in order: learner records as {element name: text}, achievements read into the domain's
    records: list[Payload] | list[SentAchievement] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)  # every one, in file order
    unreadable: str | None = None  # why the file could not be read at all


class FileChecker(Protocol):
    def __call__(self, path: Path, today: dt.date) -> CheckedFile: ...
