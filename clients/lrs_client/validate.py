"""``lrs-client validate FILE``: the Validation Tool. Checks a batch file offline, with the
rules the server applies, and lists every error with its line and field.

Four stages (docs/batch-files.md, "What validate checks"), each error tagged with its
``category``:

1. the file (batchfiles.py): ``name``, ``header``, ``headings``, ``structure`` (XML or CSV
   syntax, unknown or repeated elements, no records, more than the limit);
2. ``schema``: the Submit*Batch message that submit would send (batchmessage.py, the same
   function) validated against the contract XSD with lxml, as the server validates it; these
   are exactly the violations the server's WSEC0001 fault would list for this file;
3. ``field``: libxml2 checks nothing more in a record after its first content-model error
   (a required element missing), and neither does the server until that is fixed; so for
   such records every value is also checked on its own against its element's contract type,
   and every other missing required element is named;
4. ``rule``: the server's domain rules (rules.py) on each record that passed 2 and 3, as the
   server applies them once the message is valid.

Nothing is sent anywhere, and no credentials are needed.
"""

from __future__ import annotations

import argparse
import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

from .batchfiles import (
    FIELD,
    HEADER,
    NAME,
    RULE,
    SAFE_PARSER,
    SCHEMA,
    BatchFile,
    FileError,
    FileUnreadable,
    Kind,
    read_batch_file,
)
from .batchmessage import MISSING, NS, build_message, plain, schema_errors
from .connection import ClientError
from .job_output import file_errors
from .render import Renderer

XS = "http://www.w3.org/2001/XMLSchema"
# Credentials for the offline message: schema-valid, never sent anywhere.
PLACEHOLDER_CREDENTIALS = {"UserName": "lrs-client validate", "OrgPassword": "0" * 16}
# Header fields that travel in no message, checked against a contract type of their own.
HEADER_TYPES = {"LRB": {"ContactEmail": "Email"}}


class ValidateError(ClientError):
    """The file cannot be read, or the contract cannot be found: exit 2."""

    exit_code = 2


@dataclass
class Report:
    batch: BatchFile
    errors: list[FileError] = field(default_factory=list)

    @property
    def records(self) -> int:
        return self.batch.total_records


# ----- the contract's types ------------------------------------------------------------------


class Contract:
    """The compiled contract XSD, and each record type's elements with their simple types."""

    def __init__(self, xsd: Path) -> None:
        self.path = xsd
        parser = etree.XMLParser(**SAFE_PARSER)
        self.tree = etree.parse(str(xsd), parser)
        self.schema = etree.XMLSchema(self.tree)
        self._types = {t.get("name"): t for t in self.tree.iterfind(f"{{{XS}}}complexType")}
        self._field_schemas: dict[str, etree.XMLSchema] = {}

    def elements(self, type_name: str) -> list[tuple[str, str, bool]]:
        """(name, type, required) of each element of a complexType, base type first."""
        declared = self._types[type_name]
        found: list[tuple[str, str, bool]] = []
        extension = declared.find(f"{{{XS}}}complexContent/{{{XS}}}extension")
        holder = declared
        if extension is not None:
            found += self.elements(extension.get("base", "").partition(":")[2])
            holder = extension
        for element in holder.iterfind(f"{{{XS}}}sequence/{{{XS}}}element"):
            found.append((element.get("name"), element.get("type"),
                          element.get("minOccurs", "1") != "0"))
        return found

    def _field_schema(self, kind: Kind) -> etree.XMLSchema:
        """A schema that includes the contract and declares each of the record type's
        elements (and the kind's typed header fields) globally, with its contract type:
        a value checked against it gets exactly the message lxml gives inside a record."""
        compiled = self._field_schemas.get(kind.code)
        if compiled is None:
            declared = {name: type_ for name, type_, _ in self.elements(kind.record_type)}
            declared.update({name: f"tns:{t}" for name, t in HEADER_TYPES.get(kind.code,
                                                                                {}).items()})
            schema = etree.Element(f"{{{XS}}}schema", nsmap={"xs": XS, "tns": NS},
                                   targetNamespace=NS, elementFormDefault="qualified")
            etree.SubElement(schema, f"{{{XS}}}include", schemaLocation=self.path.as_uri())
            for name, type_ in declared.items():
                etree.SubElement(schema, f"{{{XS}}}element", name=name, type=type_)
            compiled = self._field_schemas[kind.code] = etree.XMLSchema(schema)
        return compiled

    def value_errors(self, kind: Kind, name: str, value: str) -> list[tuple[str, str]]:
        """(field, rule) of each way ``value`` breaks element ``name``'s contract type."""
        schema = self._field_schema(kind)
        element = etree.Element(f"{{{NS}}}{name}")
        element.text = value
        if schema.validate(element):
            return []
        errors = []
        for error in schema.error_log:
            text = plain(error.message)
            prefix = f"Element '{name}': "
            errors.append((name, text[len(prefix):] if text.startswith(prefix) else text))
        return errors


@cache
def load_contract(xsd: Path) -> Contract:
    return Contract(xsd)


# ----- validating ---------------------------------------------------------------------------


def validate_file(path: str | Path, today: dt.date, *, xsd: str | Path | None = None,
                  wsdl: str | None = None, register: bool = True) -> list[FileError]:
    """Every error in the batch file at ``path``, judged on ``today``, in file order.

    ``xsd``: the contract XSD (default: found by :func:`rules.contract_xsd` from ``wsdl``);
    ``register``: False for a learner file to be submitted as a CHK job (no registration
    rules then apply). ``FileError.key()`` is (record, field), which is how the server's
    verdicts are compared with these.
    """
    return check_file(path, today, xsd=xsd, wsdl=wsdl, register=register).errors


def check_file(path: str | Path, today: dt.date, *, xsd: str | Path | None = None,
               wsdl: str | None = None, register: bool = True,
               ukprn: str | None = None) -> Report:
    """validate's checks (and the submit commands', before they send anything); ``ukprn``:
    the sender's, which the file name and header must carry."""
    # The server's rules (rules.py) are imported here, not at the top: only validating a
    # file loads the server's domain package, no other command does.
    from . import rules

    try:
        batch = read_batch_file(path, ukprn=ukprn)
    except FileUnreadable as exc:
        raise ValidateError(str(exc)) from None
    report = Report(batch, list(batch.errors))
    kind = batch.kind
    if kind is None or not batch.readable:
        return _sorted(report)
    try:
        contract = load_contract(Path(xsd) if xsd else rules.contract_xsd(wsdl))
    except rules.ContractNotFound as exc:
        raise ValidateError(str(exc)) from None
    except (OSError, etree.XMLSchemaParseError, etree.XMLSyntaxError) as exc:
        raise ValidateError(f"cannot use the contract XSD: {exc}") from None

    for name in HEADER_TYPES.get(kind.code, {}):
        value = batch.header.get(name)
        for field_name, rule in contract.value_errors(kind, name, value) if value else []:
            report.errors.append(FileError(batch.header_lines.get(name, 0), 0, field_name,
                                           rule, HEADER))
    if not batch.records:
        return _sorted(report)

    message = build_message(batch, PLACEHOLDER_CREDENTIALS,
                            job_type="FUL" if register else "CHK")
    found = schema_errors(message, contract.schema)
    report.errors += found
    by_record: dict[int, list[FileError]] = {}
    for error in found:
        by_record.setdefault(error.record, []).append(error)

    required = [name for name, _, needed in contract.elements(kind.record_type) if needed]
    for record in batch.records:
        errors = by_record.get(record.number, [])
        if any(error.rule == MISSING for error in errors):
            report.errors += _field_errors(contract, kind, record, errors, required)
        if errors:
            continue
        if kind.code == "LRB":
            broken = rules.learner_rules_broken(record.values, today, register)
        elif kind.code == "VLD":
            broken = rules.verify_rules_broken(record.values, today)
        else:
            broken = rules.achievement_rules_broken(record.values, record.number, today)
        report.errors += [FileError(record.line_of(name), record.number, name, rule, RULE)
                          for name, rule in broken]
    return _sorted(report)


def _field_errors(contract: Contract, kind: Kind, record, known: list[FileError],
                  required: list[str]) -> list[FileError]:
    """The record's other schema errors, which libxml2 skipped after a content-model error."""
    seen = {(error.field, error.rule) for error in known}
    found = []
    for name in required:
        if name not in record.values and (name, MISSING) not in seen:
            found.append(FileError(record.line, record.number, name, MISSING, FIELD))
    for name, value in record.values.items():
        for field_name, rule in contract.value_errors(kind, name, value):
            if (field_name, rule) not in seen:
                seen.add((field_name, rule))
                found.append(FileError(record.line_of(name), record.number, field_name, rule,
                                       FIELD))
    return found


def _sorted(report: Report) -> Report:
    unique = list(dict.fromkeys(report.errors))
    report.errors = sorted(unique, key=lambda e: (e.record, e.line))
    return report


# ----- the command --------------------------------------------------------------------------


def register(subparsers: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]
             ) -> None:
    cmd = subparsers.add_parser(
        "validate", parents=parents,
        help="check a batch file offline before submitting it (the Validation Tool)",
        description="Check a learner registration (LRB_), verification (VLD_) or achievement "
                    "(ACH_) batch file, CSV or XML, offline: its name, header and headings, "
                    "every field against the contract XSD (the message submit would send, "
                    "validated as the server validates it), and the server's own record "
                    "rules. Lists every error with its line and field. Exit 0 clean, 1 "
                    "errors found, 2 the file cannot be read. No credentials are needed; the "
                    "XSD is read from beside a local --wsdl file, else the installed copy.")
    cmd.add_argument("file", metavar="FILE", help="the batch file")
    cmd.add_argument("--check", action="store_true",
                     help="the learner file will be submitted with --check (CHK): the "
                          "registration rules (age 13 to 110...) do not apply")
    cmd.set_defaults(handler=validate_command, offline=True)


def validate_command(args: argparse.Namespace, conn: object, out: Renderer) -> int:
    today = dt.datetime.now(dt.UTC).date()  # the server's clock is UTC
    report = check_file(args.file, today, wsdl=getattr(args, "wsdl", None),
                        register=not args.check)
    file_errors(out, report.batch, report.errors)
    return 1 if report.errors else 0


__all__ = ["FIELD", "HEADER", "NAME", "RULE", "SCHEMA", "Contract", "FileError", "Report",
           "check_file", "validate_file"]
