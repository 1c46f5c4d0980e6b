"""The WSGI application: routes each path to a SOAP face, the contract files or /healthz.

Request bodies are limited here, before any parsing: a declared Content-Length over the limit
is refused with 413, and reading stops at the limit whatever the header said.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from functools import partial
from urllib.parse import parse_qs

from lrs_soap.bootstrap import Runtime, build_runtime
from lrs_soap.config import Settings
from lrs_soap.entrypoints.batch_files import check_batch_file
from lrs_soap.entrypoints.control_face import ControlFace
from lrs_soap.entrypoints.observed import observed
from lrs_soap.observability.http import ObservedGateway
from lrs_soap.portal.app import MountedPortal, PortalConfig, create_portal
from lrs_soap.service.worker_health import batch_health
from lrs_soap.soap import contract
from lrs_soap.soap.lrs import wsdl_policy
from lrs_soap.soap.lrs.endpoints import mirror_endpoints
from lrs_soap.soap.native.app import native_intake

log = logging.getLogger(__name__)

StartResponse = Callable[..., object]
# text/xml is SOAP 1.1's; application/xml is accepted from hand-built clients.
SOAP_MEDIA_TYPES = frozenset({"text/xml", "application/xml"})


class BodyTooLarge(Exception):
    pass


class LimitedInput:
    """wsgi.input that refuses to yield more than ``limit`` bytes (a lying Content-Length)."""

    def __init__(self, stream, limit: int):
        self._stream, self._left = stream, limit

    def read(self, size: int = -1) -> bytes:
        if self._left < 0:
            raise BodyTooLarge()
        want = self._left + 1 if size is None or size < 0 else min(size, self._left + 1)
        data = self._stream.read(want)
        self._left -= len(data)
        if self._left < 0:
            raise BodyTooLarge()
        return data


class GatewayApp:
    def __init__(self, settings: Settings, runtime: Runtime):
        self.settings = settings
        self.runtime = runtime
        self.native_url = settings.public_url.rstrip("/") + contract.NATIVE_PATH
        # path -> the endpoint's intake (lrs_soap.soap.intake), every SOAP endpoint
        self.intakes = {contract.NATIVE_PATH: native_intake(runtime.services)}
        # lower-cased path -> (the SOAP application, what a GET is answered with)
        self.routes: dict[str, tuple[Callable, Callable]] = {
            contract.NATIVE_PATH: (self.intakes[contract.NATIVE_PATH],
                                   self.native_contract_file)}
        for path, (intake, wsdl_name) in mirror_endpoints(runtime.services).items():
            self.intakes[path] = intake
            self.routes[path.lower()] = (intake, partial(self.mirror_wsdl, path, wsdl_name))
        # Harness control (admin API, injected faults): only when configured.
        self.control = (ControlFace(settings, runtime,
                                    {p.lower(): i for p, i in self.intakes.items()})
                        if runtime.control is not None else None)
        self.portal = MountedPortal(create_portal(runtime.services, PortalConfig(
            secret_key=settings.portal_secret_key,
            session_idle_seconds=settings.portal_session_idle_seconds,
            secure_cookies=settings.tls or settings.public_url.startswith("https://"),
            file_checker=check_batch_file)))

    def close(self) -> None:
        self.runtime.close()

    def __call__(self, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz":
            return self.healthz(start_response)
        if self.control is not None:
            self.runtime.control.refresh()  # the shared clock and faults, once per request
            if self.control.is_admin(path):
                return self.control.admin(environ, start_response)
        if self.portal.owns(path):
            return self.portal(environ, start_response)
        route = self.routes.get(path.rstrip("/").lower())  # as IIS: any case (issue 18)
        if route is None:
            return _plain(start_response, "404 Not Found", "no such endpoint")
        application, contract_file = route
        if method == "POST":
            return self.soap(application, environ, start_response)
        if method == "GET":
            return contract_file(_query(environ), start_response)
        return _plain(start_response, "405 Method Not Allowed", "use POST for SOAP calls",
                      [("Allow", "GET, POST")])

    def mirror_wsdl(self, path: str, wsdl_name: str, query: dict[str, list[str]],
                    start_response: StartResponse) -> Iterable[bytes]:
        if not query.keys() & {"wsdl", "singlewsdl"}:
            return _plain(start_response, "404 Not Found", f"ask for {path}?wsdl")
        endpoint = self.settings.public_url.rstrip("/") + path
        return _xml(start_response, wsdl_policy.served_wsdl(wsdl_name, endpoint))

    def soap(self, face, environ: dict, start_response: StartResponse) -> Iterable[bytes]:
        media_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        if media_type == "application/soap+xml":
            return _plain(start_response, "415 Unsupported Media Type",
                          "SOAP 1.2 is not supported: send SOAP 1.1 as text/xml")
        if media_type not in SOAP_MEDIA_TYPES:
            return _plain(start_response, "415 Unsupported Media Type",
                          "send SOAP 1.1 requests as Content-Type: text/xml")
        limit = self.settings.max_request_bytes
        try:
            declared = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _plain(start_response, "400 Bad Request", "invalid Content-Length")
        if declared > limit:
            return _plain(start_response, "413 Request Entity Too Large",
                          f"request bodies are limited to {limit} bytes")
        environ["wsgi.input"] = LimitedInput(environ["wsgi.input"], limit)
        try:
            if self.control is not None:
                path = environ.get("PATH_INFO", "").rstrip("/").lower()
                return list(self.control.gated(path, environ, start_response,
                                               lambda env: face(env, start_response)))
            return list(face(environ, start_response))
        except BodyTooLarge:
            return _plain(start_response, "413 Request Entity Too Large",
                          f"request bodies are limited to {limit} bytes")

    def native_contract_file(self, query: dict[str, list[str]],
                             start_response: StartResponse) -> Iterable[bytes]:
        if query.keys() & {"wsdl", "singlewsdl"}:
            return _xml(start_response, contract.served_wsdl(contract.NATIVE_WSDL,
                                                             self.native_url))
        if query.get("xsd", [""])[0] in contract.served_xsd_names():
            return _xml(start_response, contract.served_xsd(query["xsd"][0], self.native_url))
        return _plain(start_response, "404 Not Found",
                      f"ask for {contract.NATIVE_PATH}?wsdl or ?xsd=NAME")

    def healthz(self, start_response: StartResponse) -> Iterable[bytes]:
        try:
            self.runtime.check_database()
        except Exception as error:  # any failure means "not healthy"; say which kind only
            log.warning("health check: database unreachable (%s)", type(error).__name__)
            return _json(start_response, "503 Service Unavailable",
                         {"status": "unavailable", "database": "unreachable"})
        # Batch workers are reported, not required: the web face serves without them.
        return _json(start_response, "200 OK", {"status": "ok", "database": "ok",
                                                **batch_health(self.runtime.services)})


def _query(environ: dict) -> dict[str, list[str]]:
    """The query string, its keys lower-cased: ?WSDL, ?wsdl and ?singleWsdl all work."""
    return {key.lower(): values for key, values in
            parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True).items()}


def _xml(start_response: StartResponse, body: bytes) -> list[bytes]:
    start_response("200 OK", [("Content-Type", "text/xml; charset=utf-8"),
                              ("Content-Length", str(len(body)))])
    return [body]


def _plain(start_response: StartResponse, status: str, text: str,
           headers: list[tuple[str, str]] | None = None) -> list[bytes]:
    body = (text + "\n").encode()
    start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                            ("Content-Length", str(len(body))), *(headers or [])])
    return [body]


def _json(start_response: StartResponse, status: str, payload: dict) -> list[bytes]:
    body = json.dumps(payload).encode()
    start_response(status, [("Content-Type", "application/json"),
                            ("Content-Length", str(len(body)))])
    return [body]


def create_app(settings: Settings) -> ObservedGateway:
    """The gateway wrapped in its observability (journal, metrics, request ids, logs)."""
    gateway = GatewayApp(settings, build_runtime(settings))
    return observed(gateway, gateway.intakes, gateway.runtime, settings)
