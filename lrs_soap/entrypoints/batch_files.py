"""The portal's batch-file check: the offline Validation Tool's own code (`lrs-client
validate`), adapted to the portal's FileChecker port."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from lrs_client.validate import ValidateError, check_file

from lrs_soap.domain import sent_learner
from lrs_soap.domain.batches import JobKind
from lrs_soap.portal.uploads import CheckedFile, FileProblem
from lrs_soap.record_elements import learner_record
from lrs_soap.soap.native.achievement_mapping import achievement

KINDS = {"LRB": JobKind.LEARNER_REGISTRATION, "VLD": JobKind.VERIFICATION,
         "ACH": JobKind.ACHIEVEMENT}


def check_batch_file(path: Path, today: dt.date) -> CheckedFile:
    try:
        report = check_file(path, today)
    except ValidateError as error:
        return CheckedFile(None, unreadable=str(error))
    except (UnicodeError, ValueError) as error:  # not what its name claims
        return CheckedFile(None, unreadable=f"the file is not a readable batch file ({error})")
    batch = report.batch
    kind = KINDS.get(batch.kind.code) if batch.kind else None
    records = [dict(record.values) for record in batch.records]
    # the file's elements are the native contract's
    if kind is JobKind.ACHIEVEMENT:
        records = [achievement(values) for values in records]
    elif kind is not None:
        records = [sent_learner.read(learner_record(values)) for values in records]
    return CheckedFile(
        kind, dict(batch.header), records,
        [FileProblem(e.line, e.record, e.field, e.rule) for e in report.errors])
