"""Harness control on the HTTP side: the admin API and the fault gate, wired to the SOAP
faces (which alone know their fault envelopes and request elements)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable

from lrs_soap.bootstrap import Runtime
from lrs_soap.config import Settings
from lrs_soap.control.admin_api import PREFIX, AdminApi
from lrs_soap.control.faults import FaultGate
from lrs_soap.domain.codes import ErrorCode
from lrs_soap.domain.errors import LrsError
from lrs_soap.soap import peek


class ControlFace:
    def __init__(self, settings: Settings, runtime: Runtime, intakes: dict):
        control = runtime.control
        self.admin = AdminApi(control, settings.admin_token) if settings.admin_token else None
        self.intakes = intakes  # lower-cased path -> its lrs_soap.soap.intake.Intake
        # request element (Clark name) -> operation name, for rules naming an operation
        self.operation_names = {tag: operation.name for intake in intakes.values()
                                for tag, operation in intake.operations.items()}
        self.gate = FaultGate(control, self._peek, self._fault_envelope)
        self.control = control

    def is_admin(self, path: str) -> bool:
        return self.admin is not None and (path == PREFIX or path.startswith(PREFIX + "/"))

    def gated(self, path: str, environ: dict, start_response: Callable,
              answer: Callable[[dict], Iterable[bytes]]) -> Iterable[bytes]:
        """``answer(environ)``, unless an armed fault rule takes this call."""
        if not self.control.armed_faults:
            return answer(environ)
        length = environ.get("CONTENT_LENGTH")
        stream = environ["wsgi.input"]  # already limited to the body limit
        body = stream.read(int(length)) if length else stream.read()
        injected = self.gate.intercept(path, body, environ, start_response)
        if injected is not None:
            return injected
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(body), str(len(body))
        return answer(environ)

    def _peek(self, body: bytes) -> tuple[frozenset[str], frozenset[str]]:
        element, organisations = peek.request_element_and_organisations(body)
        if element is None:
            return frozenset(), organisations
        local = element.rsplit("}", 1)[-1]
        names = {local.lower(), self.operation_names.get(element, local).lower()}
        return frozenset(names), organisations

    def _fault_envelope(self, path, code: ErrorCode, now) -> tuple[str, bytes]:
        error = LrsError("", code=code)  # indistinguishable from the face's own fault
        return "500 Internal Server Error", self.intakes[path].fault_envelope(error, now)
