"""A SOAP fault on the terminal (stderr), or as ``{"fault": {...}}`` on stdout with --json.

A schema fault (WSEC0001) is explained in the values the user typed (wording.py); the
schema's own words stay in the JSON.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .connection import FaultInfo
from .job_output import file_error_line
from .render import Renderer
from .wording import explain

SCHEMA_FAULT = "WSEC0001"  # the request broke the contract XSD


def fault(out: Renderer, fault: FaultInfo, errors: tuple[Any, Sequence[Any]] | None = None) -> None:
    """A SOAP fault. ``errors``: (batch file, its FileErrors) when the fault's
    FurtherDetails were mapped back to a batch file's lines; they replace the raw list."""
    if out.json_mode:
        data: dict[str, Any] = {"fault": {
            "ErrorCode": fault.error_code,
            "Description": fault.description,
            "FurtherDetails": fault.further_details,
            "ErrorTimestamp": fault.error_timestamp,
            "faultcode": fault.faultcode,
            "faultstring": fault.faultstring,
        }}
        if errors is not None:
            data["errors"] = [error.as_dict() for error in errors[1]]
        elif fault.error_code == SCHEMA_FAULT and fault.further_details:
            data["problems"] = explain(fault.further_details)  # beside the exact text
        out.print_json(data)
        return
    headline = fault.error_code + (f": {fault.description}" if fault.description else "")
    print(headline, file=out.stderr)
    if errors is not None:
        batch, found = errors
        for error in found:
            print(file_error_line(batch.path.name, error), file=out.stderr)
    elif fault.error_code == SCHEMA_FAULT and fault.further_details:
        for problem in explain(fault.further_details):  # the values the user typed
            print(problem, file=out.stderr)
        print("(--json shows the schema's own words)", file=out.stderr)
    elif fault.further_details:
        print(fault.further_details, file=out.stderr)
