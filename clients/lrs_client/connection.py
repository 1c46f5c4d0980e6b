"""Where to connect and as whom, and the zeep service that does the talking.

Settings come, field by field, from command-line flags, then LRS_CLIENT_* environment
variables, then a TOML config file. ``Connection.call`` adds the Credentials element to every
operation and turns everything that can go wrong on the wire into one of three exceptions:
``ServiceFault`` (a SOAP fault), ``ServiceUnavailable`` (no usable answer) or ``SettingsError``.
"""

from __future__ import annotations

import contextlib
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import requests
import zeep
from lxml import etree
from zeep.exceptions import Error as ZeepError
from zeep.exceptions import Fault, TransportError, ValidationError

NS = "urn:lrs-soap:native:v1"
BINDING = f"{{{NS}}}LrsNativeBinding"
FAULT_DETAIL = f"{{{NS}}}LrsFault"

DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT = 30.0
SERVICE_PATH = "/soap/v1"
CONFIG_ENV = "LRS_CLIENT_CONFIG"
DEFAULT_CONFIG = "~/.config/lrs-client/config.toml"


class ClientError(Exception):
    """Root of the errors the CLI reports in one line; ``exit_code`` is what main returns."""

    exit_code = 3


class SettingsError(ClientError):
    """Missing or unusable settings: nothing was sent."""

    exit_code = 2


class ServiceUnavailable(ClientError):
    """Connection refused, timeout, HTTP error or a reply that is not SOAP."""

    exit_code = 3


@dataclass(frozen=True)
class FaultInfo:
    """A SOAP fault as the native face sends it (detail element LrsFault)."""

    error_code: str
    description: str
    further_details: str = ""
    error_timestamp: str | None = None
    faultcode: str | None = None
    faultstring: str | None = None


class ServiceFault(ClientError):
    """The service answered with a SOAP fault."""

    exit_code = 1

    def __init__(self, fault: FaultInfo) -> None:
        super().__init__(f"{fault.error_code}: {fault.description}")
        self.fault = fault


# ----- settings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """One setting and the three places it may come from."""

    name: str
    flag: str
    env: str
    key: str

    def hint(self) -> str:
        return f"{self.name} ({self.flag}, {self.env} or config key '{self.key}')"


SOURCES = {
    s.name: s
    for s in (
        Source("url", "--url", "LRS_CLIENT_URL", "url"),
        Source("ukprn", "--ukprn", "LRS_CLIENT_UKPRN", "ukprn"),
        Source("org_ref", "--org-ref", "LRS_CLIENT_ORG_REF", "org_ref"),
        Source("user", "--user", "LRS_CLIENT_USER", "user"),
        Source("password", "--password", "LRS_CLIENT_PASSWORD", "password"),
        # mutual TLS, as the live LRS requires: a PEM certificate (with its key, or the key
        # apart) and the CA to trust for the server (default: the system's)
        Source("cert", "--cert", "LRS_CLIENT_CERT", "cert"),
        Source("key", "--key", "LRS_CLIENT_KEY", "key"),
        Source("ca", "--ca", "LRS_CLIENT_CA", "ca"),
    )
}


@dataclass(frozen=True)
class Settings:
    url: str
    wsdl: str
    user: str
    password: str = field(repr=False)
    ukprn: str | None = None
    org_ref: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    cert: str | None = None
    key: str | None = None
    ca: str | None = None

    @property
    def endpoint(self) -> str:
        return self.url + SERVICE_PATH

    def credentials(self) -> dict[str, str | None]:
        """The Credentials element; zeep leaves out the optional parts that are None."""
        return {
            "UKPRN": self.ukprn,
            "OrganisationRef": self.org_ref,
            "UserName": self.user,
            "OrgPassword": self.password,
        }


def resolve_settings(flags: Mapping[str, Any], env: Mapping[str, str]) -> Settings:
    """Build Settings from flag values (None when not given), the environment and config."""
    config, config_name = _load_config(flags.get("config"), env)

    def pick(name: str) -> tuple[str | None, str]:
        source = SOURCES[name]
        if flags.get(name) not in (None, ""):
            return str(flags[name]), source.flag
        if env.get(source.env):
            return env[source.env], source.env
        if config.get(source.key) not in (None, ""):
            return config[source.key], f"'{source.key}' in {config_name}"
        return None, ""

    values = {name: pick(name)[0] for name in SOURCES}
    missing = [SOURCES[n].hint() for n in ("user", "password") if values[n] is None]
    if values["ukprn"] is None and values["org_ref"] is None:
        missing.append("ukprn or org_ref (--ukprn/--org-ref, LRS_CLIENT_UKPRN/LRS_CLIENT_ORG_REF "
                       "or config key 'ukprn'/'org_ref')")
    if missing:
        raise SettingsError("missing " + "; missing ".join(missing))

    url, url_source = pick("url")
    url = (url or DEFAULT_URL).rstrip("/")
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(f"the service URL must be http(s)://host[:port], got {url!r} "
                            f"(from {url_source or 'the default'})")

    timeout = flags.get("timeout")
    timeout = DEFAULT_TIMEOUT if timeout is None else float(timeout)
    if not (timeout > 0 and math.isfinite(timeout)):
        raise SettingsError(f"--timeout must be a positive number of seconds, got {timeout:g}")

    for name in ("cert", "key", "ca"):
        if values[name] and not Path(values[name]).expanduser().is_file():
            raise SettingsError(f"{SOURCES[name].hint()}: no such file {values[name]!r}")
    if values["key"] and not values["cert"]:
        raise SettingsError("--key needs --cert (LRS_CLIENT_CERT or config key 'cert')")

    return Settings(
        cert=values["cert"], key=values["key"], ca=values["ca"],
        url=url,
        wsdl=_wsdl_location(flags.get("wsdl"), url),
        ukprn=values["ukprn"],
        org_ref=values["org_ref"],
        user=values["user"],  # type: ignore[arg-type]  # checked above
        password=values["password"],  # type: ignore[arg-type]
        timeout=timeout,
    )


def _wsdl_location(given: str | None, url: str) -> str:
    if not given:
        return f"{url}{SERVICE_PATH}?wsdl"
    if urlparse(given).scheme in ("http", "https", "file"):
        return given
    path = Path(given).expanduser()
    if not path.is_file():
        raise SettingsError(f"--wsdl: no such file: {given}")
    return str(path)


def _load_config(flag_value: str | None, env: Mapping[str, str]) -> tuple[dict[str, str], str]:
    """The config file's settings and its name; an absent default file is an empty config."""
    if flag_value:
        path, why = Path(flag_value).expanduser(), "--config"
    elif env.get(CONFIG_ENV):
        path, why = Path(env[CONFIG_ENV]).expanduser(), CONFIG_ENV
    else:
        path, why = Path(DEFAULT_CONFIG).expanduser(), ""
        if not path.is_file():
            return {}, str(path)
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise SettingsError(f"config file not found: {path} (from {why})") from None
    except OSError as exc:
        raise SettingsError(f"cannot read config file {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"config file {path} is not valid TOML: {exc}") from None

    known = {s.key for s in SOURCES.values()}
    config: dict[str, str] = {}
    for key, value in data.items():
        if key not in known:
            raise SettingsError(f"config file {path}: unknown key {key!r} "
                                f"(known: {', '.join(sorted(known))})")
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise SettingsError(f"config file {path}: {key} must be a string")
        config[key] = str(value)
    return config, str(path)


class _Session(requests.Session):
    """A session whose own CA setting (--ca) beats REQUESTS_CA_BUNDLE: requests otherwise
    lets the environment override it."""

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        settings = super().merge_environment_settings(url, proxies, stream, verify, cert)
        if verify is None and self.verify is not True:
            settings["verify"] = self.verify
        return settings


# ----- the service --------------------------------------------------------------------------


class Connection:
    """A lazily built zeep service bound to ``{url}/soap/v1`` whatever the WSDL's address says."""

    def __init__(self, settings: Settings, transport: zeep.Transport | None = None) -> None:
        self.settings = settings
        self._transport = transport
        self._service: Any = None

    def call(self, operation: str, **params: Any) -> Any:
        """Call ``operation`` with the Credentials element and ``params``; return zeep's reply."""
        service = self._bind()
        try:
            method = service[operation]
        except AttributeError:
            raise ServiceUnavailable(
                f"{self.settings.endpoint} has no {operation} operation: it runs another "
                "version of lrs-soap (or --wsdl names another contract)") from None
        with self._translated_errors():
            return method(Credentials=self.settings.credentials(), **params)

    def post_raw(self, operation: str, data: bytes) -> Any:
        """Post a message built elsewhere, byte for byte (batch files keep their line numbers
        this way), and return zeep's reading of the reply."""
        service = self._bind()
        binding, client = service._binding, service._client
        found = binding.get(operation)
        headers = {"Content-Type": "text/xml; charset=utf-8",
                   "SOAPAction": f'"{found.soapaction}"'}
        with self._translated_errors():
            response = client.transport.post(self.settings.endpoint, data, headers)
            return binding.process_reply(client, found, response)

    @contextlib.contextmanager
    def _translated_errors(self):
        """zeep's and requests' exceptions as this client's three kinds of failure."""
        endpoint = self.settings.endpoint
        try:
            yield
        except Fault as exc:
            raise _service_fault(exc, endpoint) from None
        except TransportError as exc:
            raise ServiceUnavailable(
                f"{endpoint} answered HTTP {exc.status_code} without a SOAP fault") from None
        except requests.RequestException as exc:
            raise ServiceUnavailable(self._describe(exc, endpoint)) from None
        except ValidationError as exc:
            raise SettingsError(f"invalid request: {exc}") from None
        except ZeepError as exc:
            raise ServiceUnavailable(f"unexpected reply from {endpoint}: {exc}") from None

    def _session(self) -> requests.Session:
        session = _Session()
        settings = self.settings
        if settings.cert:
            session.cert = (settings.cert, settings.key) if settings.key else settings.cert
        if settings.ca:
            session.verify = settings.ca
        return session

    def _bind(self) -> Any:
        if self._service is not None:
            return self._service
        wsdl = self.settings.wsdl
        transport = self._transport or zeep.Transport(
            session=self._session(), timeout=self.settings.timeout,
            operation_timeout=self.settings.timeout)
        try:
            client = zeep.Client(wsdl, transport=transport)
            self._service = client.create_service(BINDING, self.settings.endpoint)
        except requests.RequestException as exc:
            raise ServiceUnavailable(self._describe(exc, wsdl)) from None
        except (ZeepError, ValueError, OSError) as exc:
            raise ServiceUnavailable(f"cannot use the WSDL at {wsdl}: {exc}") from None
        return self._service

    def _describe(self, exc: requests.RequestException, url: str) -> str:
        if isinstance(exc, requests.Timeout):
            return f"no answer from {url} within {self.settings.timeout:g} s"
        if isinstance(exc, requests.ConnectionError):
            return f"cannot connect to {url} (connection refused, or host unknown or unreachable)"
        response = exc.response
        if response is not None:
            return f"{url} answered HTTP {response.status_code} {response.reason or ''}".rstrip()
        return f"request to {url} failed: {type(exc).__name__}"


def _service_fault(exc: Fault, endpoint: str) -> ClientError:
    detail = exc.detail if isinstance(exc.detail, etree._Element) else None
    if exc.code is None and detail is None:
        # zeep's "Unknown fault occured": an HTTP error whose XML body holds no soap:Fault
        return ServiceUnavailable(f"{endpoint} answered an HTTP error without a SOAP fault")
    lrs = detail.find(FAULT_DETAIL) if detail is not None else None
    if lrs is None:
        fault = FaultInfo(error_code=exc.message or "(no faultstring)", description="",
                          faultcode=exc.code, faultstring=exc.message)
    else:
        fault = FaultInfo(
            error_code=lrs.findtext(f"{{{NS}}}ErrorCode") or exc.message or "",
            description=lrs.findtext(f"{{{NS}}}Description") or "",
            further_details=lrs.findtext(f"{{{NS}}}FurtherDetails") or "",
            error_timestamp=lrs.findtext(f"{{{NS}}}ErrorTimestamp"),
            faultcode=exc.code,
            faultstring=exc.message,
        )
    return ServiceFault(fault)
