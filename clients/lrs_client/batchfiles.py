"""Batch files read: their names, headers and record counts checked, the records read from
CSV (batchcsv.py) or XML (batchxml.py) into a batchkinds.BatchFile.

A batch file is read into a :class:`BatchFile`: its kind, the header record, and the records
as dicts keyed by contract element name (an empty CSV cell or an empty XML element is an
absent field), each with the file line it came from. Whatever is wrong with the file itself
(its name, the header record, the headings, its structure, the number of records) is
collected as :class:`FileError` values, and the records are read all the same wherever that
makes sense (a column under a wrongly cased heading as the element it spells, an unknown
column not at all), so that one run reports everything. The field values are not judged
here: that is the contract schema's job (batchmessage.py, validate.py) and the server's
domain rules' (rules.py).

File formats (docs/batch-files.md):

* name ``<KIND>_<UKPRN>_<DDMMYYYYHHMM>.CSV`` or ``.XML``: KIND LRB (learner registration),
  VLD (verification) or ACH (achievements); UKPRN 8 letters or digits; the timestamp a
  real date and time; the extension in upper case;
* CSV: row 1 the headings, exactly the record type's element names in contract order; row 2
  the header record (FileVersion, FileName, UKPRN, then ContactEmail or SubmissionType);
  rows 3 onwards one record each;
* XML: ``<LRBBatch>`` (``VLDBatch``, ``ACHBatch``), no namespace, holding ``<Header>`` with
  the four header elements, then one ``<Learner>`` (``<Achievement>``) per record whose
  children are the record type's elements, in any order (an unknown or wrongly cased one is
  a ``headings`` error, as in a CSV file). Parsed with entities, DTDs and network off; a
  DOCTYPE is refused.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from . import batchcsv, batchxml
from .batchkinds import (
    ACH,
    ACHIEVEMENT,
    BATCH_LEARNER,
    BY_NAME,
    FIELD,
    HEADER,
    HEADINGS,
    KINDS,
    LEARNER_TO_REGISTER,
    LRB,
    NAME,
    NAME_FIELD,
    RULE,
    SAFE_PARSER,
    SCHEMA,
    STRUCTURE,
    SUBMISSION_TYPES,
    VERIFY_BATCH_LEARNER,
    VLD,
    BatchFile,
    FileError,
    FileUnreadable,
    Kind,
    Record,
)

__all__ = ["ACH", "ACHIEVEMENT", "BATCH_LEARNER", "BY_NAME", "FIELD", "HEADER", "HEADINGS",
           "KINDS", "LEARNER_TO_REGISTER", "LRB", "NAME", "NAME_FIELD", "RULE", "SAFE_PARSER",
           "SCHEMA", "STRUCTURE", "SUBMISSION_TYPES", "VERIFY_BATCH_LEARNER", "VLD",
           "BatchFile", "FileError", "FileUnreadable", "Kind", "Record", "read_batch_file"]

_FILE_NAME = re.compile(r"(?P<kind>[A-Za-z]{3})_(?P<ukprn>[^_]*)_(?P<stamp>[^_.]*)"
                        r"\.(?P<ext>[A-Za-z]+)")
_UKPRN = re.compile(r"[0-9A-Za-z]{8}")
_STAMP = re.compile(r"\d{12}")


# ----- reading ------------------------------------------------------------------------------


def read_batch_file(path: str | Path, ukprn: str | None = None) -> BatchFile:
    """Read ``path``; every problem found is in ``.errors``. ``ukprn``: the submitting
    organisation's UKPRN, which the header's must equal (None: not checked)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FileUnreadable(f"cannot read {path}: {exc.strerror or exc}") from None
    batch = BatchFile(path)
    kind_from_name, format_from_name = _check_name(batch)
    batch.format = format_from_name or _sniff_format(data)
    if batch.format == "XML":
        root = batchxml.parse_xml(batch, data)
        batch.kind = kind_from_name or batchxml.kind_of_xml(root)
        if batch.kind is None:
            _cannot_tell_kind(batch)
        elif root is not None:
            batchxml.read_xml(batch, root)
    else:
        rows = batchcsv.csv_rows(batch, data)
        batch.kind = kind_from_name or batchcsv.kind_of_csv(rows)
        if batch.kind is None:
            _cannot_tell_kind(batch)
        elif rows is not None:
            batchcsv.read_csv(batch, rows)
    if batch.kind is not None:
        _check_header(batch, ukprn)
        _check_count(batch)
    return batch


def _cannot_tell_kind(batch: BatchFile) -> None:
    batch.readable = False
    batch.error(0, 0, NAME_FIELD, "cannot tell the kind of file: the name must start LRB_, "
                "VLD_ or ACH_", NAME)


def _check_name(batch: BatchFile) -> tuple[Kind | None, str | None]:
    """File-name errors; the kind and format the name gives, when it gives them."""
    name = batch.path.name
    match = _FILE_NAME.fullmatch(name)
    prefix = name[:3].upper()
    kind = KINDS.get(prefix) if name[3:4] == "_" else None
    ext = batch.path.suffix[1:].upper()
    fmt = ext if ext in ("CSV", "XML") else None
    shape = f"{kind.code if kind else '<LRB|VLD|ACH>'}_<UKPRN>_<DDMMYYYYHHMM>.CSV or .XML"

    def error(rule: str) -> None:
        batch.error(0, 0, NAME_FIELD, rule, NAME)

    if match is None:
        error(f"the file name must be {shape}")
        return kind, fmt
    if match["kind"] not in KINDS:
        error(f"the file name must start LRB_, VLD_ or ACH_, not {match['kind']}_")
    if _UKPRN.fullmatch(match["ukprn"]):
        batch.name_ukprn = match["ukprn"]
    else:
        error(f"the UKPRN in the file name must be 8 letters or digits, not "
              f"{match['ukprn']!r}")
    stamp = match["stamp"]
    if not _STAMP.fullmatch(stamp):
        error(f"the timestamp in the file name must be DDMMYYYYHHMM, not {stamp!r}")
    else:
        try:
            dt.datetime(int(stamp[4:8]), int(stamp[2:4]), int(stamp[0:2]), int(stamp[8:10]),
                        int(stamp[10:12]))
        except ValueError:
            error(f"the timestamp in the file name, {stamp}, is not a real date and time "
                  "(DDMMYYYYHHMM)")
    if match["ext"] not in ("CSV", "XML"):
        if fmt:
            error(f"the extension must be upper case: .{fmt}, not .{match['ext']}")
        else:
            error(f"the extension must be .CSV or .XML, not .{match['ext']}")
    return kind, fmt


def _sniff_format(data: bytes) -> str:
    return "XML" if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") else "CSV"


def _check_header(batch: BatchFile, ukprn: str | None) -> None:
    kind = batch.kind
    assert kind is not None
    if not batch.header_lines and not batch.readable:
        return  # nothing could be read: already reported
    header, lines = batch.header, batch.header_lines
    line = batch.header_line

    def error(name: str, rule: str) -> None:
        batch.error(lines.get(name, line), 0, name, rule, HEADER)

    for name in kind.header:
        if not header.get(name) and name not in kind.optional_header:
            error(name, "is required in the header record")
    version = header.get("FileVersion")
    if version and version != kind.version:
        error("FileVersion", f"must be {kind.version} in a {kind.code} file, not {version!r}")
    file_ukprn = header.get("UKPRN")
    if file_ukprn:
        if batch.name_ukprn and file_ukprn != batch.name_ukprn:
            error("UKPRN", f"{file_ukprn} is not the UKPRN in the file name "
                  f"({batch.name_ukprn})")
        elif not _UKPRN.fullmatch(file_ukprn):
            error("UKPRN", f"must be 8 letters or digits, not {file_ukprn!r}")
        elif ukprn and file_ukprn != ukprn:
            error("UKPRN", f"{file_ukprn} is not your organisation's UKPRN ({ukprn})")


def _check_count(batch: BatchFile) -> None:
    kind = batch.kind
    assert kind is not None
    if not batch.readable:
        return
    if batch.total_records == 0:
        line = batch.header_line + 1 if batch.header_lines else 0
        batch.error(line, 0, kind.record, f"the file holds no records: at least one "
                    f"{kind.record} is needed", STRUCTURE)
    elif batch.total_records > kind.limit:
        batch.error(batch.first_extra_line, kind.limit + 1, kind.record,
                    f"{batch.total_records} records: {kind.a_title} file holds at most "
                    f"{kind.limit:,}; records after the {kind.limit:,}th are not checked",
                    STRUCTURE)
