"""The server's own rules, borrowed by the offline validator: the one place lrs-client uses
the lrs_soap package.

Everywhere else the reference client knows the gateway only through its WSDL and XSD. The
validator (``lrs-client validate``) must judge a batch file exactly as the server will, and
the rules the XSD cannot express (a ULN's check digit, dates not in the future, the age
window 13 to 110 at registration, VerificationType 999 needing its description, the
achievement record rules) exist once, as pure functions of the server's domain layer. Copying
them here would let the two drift apart; so this module imports them, and nothing else:

* only ``lrs_soap.domain`` modules, which use the standard library only (an import-linter
  contract of the server guarantees it) and are installed with lrs-client (one wheel), and
  ``lrs_soap.record_elements``, the faces' table of record element names (a batch file's
  records are the native contract's), which imports nothing;
* nothing else in lrs_client imports lrs_soap, and this module is imported only when a file
  is validated, so the other commands never load it (tests/cli/test_lrs_client.py checks
  both).

Also here: where the contract XSD is on disk, found without importing lrs_soap (the wheel
carries it as data under ``lrs_soap/_bundled/xsd``; a source checkout has it in ``xsd/``).

Each check returns ``(field, rule)`` pairs, the field by its element: a learner rule is a
pair already (``LearnerProblem``, named by ``record_elements.element_label``), and
:func:`lrs_client.batches.split_problem` splits the server's learner-batch Reason texts into
the same pairs, so that the server's verdicts and the validator's compare field by field.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlparse

from lxml import etree

from lrs_soap.domain import learner_batch, learner_rules, sent_achievement, sent_learner
from lrs_soap.domain import uln as uln_rules
from lrs_soap.domain.achievements import record_errors
from lrs_soap.record_elements import (
    ACHIEVEMENT_RECORD,
    element_label,
    learner_record,
)

from .batchfiles import SAFE_PARSER

XSD_NAME = "lrs-native-v1.xsd"
_XS = "http://www.w3.org/2001/XMLSchema"

CHECK_DIGIT = "fails its check digit"


class ContractNotFound(Exception):
    """No copy of the contract XSD could be found on disk."""


# ----- the contract XSD, without importing lrs_soap ------------------------------------------


def contract_xsd(wsdl: str | None = None) -> Path:
    """The contract XSD on disk: the one a local ``--wsdl`` file imports, else the copy
    bundled in the installed lrs-soap wheel, else a source checkout's ``xsd/``."""
    tried = []
    if wsdl and urlparse(wsdl).scheme in ("", "file"):
        wsdl_path = Path(unquote(urlparse(wsdl).path) if wsdl.startswith("file:") else wsdl)
        for candidate in _imported_by(wsdl_path.expanduser()):
            if candidate.is_file():
                return candidate
            tried.append(candidate)
    spec = importlib.util.find_spec("lrs_soap")  # finds the package without importing it
    for location in (spec.submodule_search_locations or []) if spec else []:
        package = Path(location)
        tried += [package / "_bundled" / "xsd" / XSD_NAME, package.parent / "xsd" / XSD_NAME]
    tried.append(Path(__file__).resolve().parents[2] / "xsd" / XSD_NAME)  # clients/ checkout
    for candidate in tried:
        if candidate.is_file():
            return candidate
    raise ContractNotFound("cannot find the contract XSD " + XSD_NAME + " (tried "
                           + ", ".join(str(p) for p in tried) + "); pass --wsdl with the "
                           "path of a local lrs-native-v1.wsdl whose XSD is beside it")


def _imported_by(wsdl: Path) -> list[Path]:
    """The XSDs a local WSDL imports (relative to it), then XSD_NAME in its directory and in
    ``../xsd`` (the repository layout)."""
    found = []
    try:
        tree = etree.parse(str(wsdl), etree.XMLParser(**SAFE_PARSER))
        for imported in tree.iterfind(f".//{{{_XS}}}import"):
            location = imported.get("schemaLocation")
            if location and urlparse(location).scheme in ("", "file"):
                found.append((wsdl.parent / unquote(urlparse(location).path)).resolve())
    except (OSError, etree.XMLSyntaxError):
        pass
    return found + [wsdl.parent / XSD_NAME, wsdl.parent.parent / "xsd" / XSD_NAME]


# ----- the record rules ----------------------------------------------------------------------


def learner_rules_broken(values: Mapping[str, str], today: dt.date,
                         register: bool = True) -> list[tuple[str, str]]:
    """What the server's learner-batch processing refuses a schema-valid record for
    (``learner_batch.record_problems``, the server's own function).

    With a ULN the check digit must hold and, in a job that updates (FUL), the details
    must pass UpdateLearner's rules; without one, a FUL job registers the learner when not
    found, under the registration rules (RC011/RC013); a CHK job (``register=False``)
    registers and updates nobody and applies none.
    """
    details = learner_rules.normalise_details(
        sent_learner.read(learner_record(dict(values))).details())
    return [(element_label(p.field), p.rule) for p in learner_batch.record_problems(
        details, values.get("ULN"), today, register=register)]


def verify_rules_broken(values: Mapping[str, str], today: dt.date) -> list[tuple[str, str]]:
    """A verification record: the ULN must pass its check digit (else WSEC0136)."""
    return [] if uln_rules.is_valid(values.get("ULN")) else [("ULN", CHECK_DIGIT)]


# an Achievement element of a batch file -> the server's SentAchievement attribute
ACHIEVEMENT_FIELDS = ACHIEVEMENT_RECORD


def achievement_rules_broken(values: Mapping[str, str], number: int,
                             today: dt.date) -> list[tuple[str, str]]:
    """The achievement record rules that need no stored data (domain.achievements), on the
    record read as the server reads it (domain.sent_achievement)."""
    record = sent_achievement.read({ACHIEVEMENT_FIELDS[name]: text
                                    for name, text in values.items()
                                    if name in ACHIEVEMENT_FIELDS})
    return [(element_label(error.field), error.rule)
            for error in record_errors(record, number, today)]
