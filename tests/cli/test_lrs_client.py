"""lrs-client against a fake transport that speaks the native contract.

The fake serves the WSDL/XSD from the repository for GETs and answers POSTs with envelopes
that are validated against xsd/lrs-native-v1.xsd, so the fake cannot drift from the contract;
it validates the client's requests the same way, as the server does.
"""

from __future__ import annotations

import ast
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests
from lrs_client.cli import main
from lxml import etree
from zeep.transports import Transport

ROOT = Path(__file__).resolve().parents[2]
WSDL_FILE = ROOT / "wsdl" / "lrs-native-v1.wsdl"
XSD_FILE = ROOT / "xsd" / "lrs-native-v1.xsd"
CLIENT_DIR = ROOT / "clients" / "lrs_client"

NS = "urn:lrs-soap:native:v1"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SCHEMA = etree.XMLSchema(etree.parse(str(XSD_FILE)))

CREDS = ["--ukprn", "10000001", "--user", "flag-user", "--password", "flagpassword0001"]
FIND = ["find-by-uln", "1234567890", "Ann", "Smith"]

LEARNER = [  # contract order: LearnerToRegister, then the Learner extension
    ("Title", "Ms"),
    ("GivenName", "Ann"),
    ("FamilyName", "Smith"),
    ("PreferredGivenName", "Annie"),
    ("LastKnownPostCode", "SW1A 1AA"),
    ("DateOfBirth", "2001-02-03"),
    ("Gender", "2"),
    ("EmailAddress", "ann.smith@example.org"),
    ("VerificationType", "1"),
    ("AbilityToShare", "1"),
    ("ULN", "1234567890"),
    ("VersionNumber", "3"),
    ("LearnerStatus", "1"),
    ("TierLevel", "0"),
    ("MasterSubstituted", "false"),
    ("CreatedDate", "2020-01-01"),
    ("LastUpdatedDate", "2024-05-06"),
    ("LinkedULNs", ["2234567890", "3234567890"]),
]


# ----- building contract-valid replies -----------------------------------------------------


def _q(name: str) -> str:
    return f"{{{NS}}}{name}"


def _valid(element: etree._Element) -> etree._Element:
    """The fake only sends (and only accepts) elements the contract schema accepts."""
    SCHEMA.assertValid(element)
    return element


def _envelope(body_child: etree._Element) -> bytes:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"soap11env": SOAP_ENV, "tns": NS})
    etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body").append(body_child)
    return etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")


def find_reply(code: str = "WSRC0004", learner: list | None = LEARNER) -> tuple[int, bytes]:
    reply = etree.Element(_q("FindByULNResponse"), nsmap={"tns": NS})
    etree.SubElement(reply, _q("ResponseCode")).text = code
    if learner is not None:
        node = etree.SubElement(reply, _q("Learner"))
        for name, value in learner:
            child = etree.SubElement(node, _q(name))
            if isinstance(value, list):
                for uln in value:
                    etree.SubElement(child, _q("ULN")).text = uln
            else:
                child.text = value
    return 200, _envelope(_valid(reply))


def fault_reply(code: str = "WSEC0005", description: str = "Incorrect organisation password",
                further: str = "check the OrgPassword", side: str = "Client"
                ) -> tuple[int, bytes]:
    fault = etree.Element(f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = f"soap11env:{side}"
    etree.SubElement(fault, "faultstring").text = code
    detail = etree.SubElement(fault, "detail")
    lrs = etree.Element(_q("LrsFault"), nsmap={"tns": NS})
    for name, value in (("ErrorCode", code), ("Description", description),
                        ("FurtherDetails", further), ("ErrorTimestamp", "2024-05-06T10:11:12Z")):
        etree.SubElement(lrs, _q(name)).text = value
    detail.append(_valid(lrs))
    return 500, _envelope(fault)


class FakeTransport(Transport):
    """Serves the contract files and canned replies; records everything it was asked."""

    PUBLIC_ADDRESS = "http://public.invalid/soap/v1"  # what a misconfigured server might say

    def __init__(self, reply: tuple[int, bytes] | None = None,
                 content_type: str = "text/xml; charset=utf-8") -> None:
        super().__init__()
        self.reply = reply or find_reply()
        self.content_type = content_type
        self.loaded: list[str] = []
        self.posts: list[tuple[str, etree._Element, dict]] = []

    # GET: the WSDL as the server serves it (absolute schemaLocation), then the XSD
    def _load_remote_data(self, url: str) -> bytes:
        self.loaded.append(url)
        parsed = urlparse(url)
        base = f"{parsed.scheme}://{parsed.netloc}"
        if parsed.path == "/soap/v1" and parsed.query == "wsdl":
            text = WSDL_FILE.read_text(encoding="utf-8")
            text = text.replace('schemaLocation="../xsd/lrs-native-v1.xsd"',
                                f'schemaLocation="{base}/xsd/lrs-native-v1.xsd"')
            text = re.sub(r'location="[^"]*"', f'location="{self.PUBLIC_ADDRESS}"', text)
            return text.encode("utf-8")
        if url.endswith("lrs-native-v1.xsd"):
            return XSD_FILE.read_bytes()
        response = requests.Response()
        response.status_code, response.reason, response.url = 404, "Not Found", url
        raise requests.HTTPError(f"404 for {url}", response=response)

    def post(self, address, message, headers):
        envelope = etree.fromstring(message)
        body = envelope.find(f"{{{SOAP_ENV}}}Body")
        assert body is not None and len(body) == 1
        _valid(body[0])
        self.posts.append((address, body[0], dict(headers)))
        return self.respond(address)

    def respond(self, address: str) -> requests.Response:
        """``self.reply`` as the HTTP response to a POST to ``address``."""
        response = requests.Response()
        response.status_code, response._content = self.reply
        response.headers["Content-Type"] = self.content_type
        response.url = address
        response.encoding = "utf-8"
        return response

    # helpers for assertions
    @property
    def request(self) -> etree._Element:
        assert len(self.posts) == 1, self.posts
        return self.posts[0][1]

    def field(self, path: str) -> str | None:
        return self.request.findtext("/".join(_q(p) for p in path.split("/")))


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    """No developer settings leak in: no LRS_CLIENT_* variables, an empty home directory."""
    for name in list(os.environ):
        if name.startswith("LRS_CLIENT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def fake() -> FakeTransport:
    return FakeTransport()


def unused_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# ----- output ------------------------------------------------------------------------------


def test_table_output_shows_the_learner(fake, capsys):
    assert main(CREDS + FIND, transport=fake) == 0

    out, err = capsys.readouterr()
    assert err == ""
    assert "WSRC0004" in out
    assert "exact match" in out
    for text in ("1234567890", "Ann", "Smith", "Annie", "2001-02-03", "SW1A 1AA",
                 "2234567890, 3234567890", "false"):
        assert text in out
    assert "MiddleOtherName" not in out  # empty optional fields are left out
    fields = [name for name, _ in LEARNER]
    positions = [out.index(f" {name} ") for name in fields]
    assert positions == sorted(positions)  # contract order


@pytest.mark.parametrize("where", ["before", "after"])
def test_json_output_parses_with_contract_names(fake, capsys, where):
    argv = ["--json"] + CREDS + FIND if where == "before" else CREDS + FIND + ["--json"]
    assert main(argv, transport=fake) == 0

    out, err = capsys.readouterr()
    data = json.loads(out)  # stdout holds the JSON and nothing else
    assert err == ""
    assert data["ResponseCode"] == "WSRC0004"
    learner = data["Learner"]
    assert list(learner)[:3] == ["Title", "GivenName", "MiddleOtherName"]
    assert learner["ULN"] == "1234567890"
    assert learner["GivenName"] == "Ann"
    assert learner["FamilyName"] == "Smith"
    assert learner["DateOfBirth"] == "2001-02-03"
    assert learner["LastUpdatedDate"] == "2024-05-06"
    assert learner["LinkedULNs"] == ["2234567890", "3234567890"]
    assert learner["VersionNumber"] == 3
    assert learner["MasterSubstituted"] is False
    assert learner["MiddleOtherName"] is None


def test_find_sends_ful_by_default_and_the_arguments(fake):
    assert main(CREDS + FIND, transport=fake) == 0
    assert fake.field("FindType") == "FUL"
    assert fake.field("ULN") == "1234567890"
    assert fake.field("GivenName") == "Ann"
    assert fake.field("FamilyName") == "Smith"


def test_check_sends_chk_and_prints_the_code_only(capsys):
    fake = FakeTransport(find_reply("WSRC0004", learner=None))
    assert main(CREDS + FIND + ["--check"], transport=fake) == 0

    assert fake.field("FindType") == "CHK"
    out, _ = capsys.readouterr()
    assert "WSRC0004" in out
    assert "Field" not in out


def test_check_json_has_a_null_learner(capsys):
    fake = FakeTransport(find_reply("WSRC0001", learner=None))
    assert main(CREDS + FIND + ["--check", "--json"], transport=fake) == 0
    assert json.loads(capsys.readouterr().out) == {"ResponseCode": "WSRC0001", "Learner": None}


def test_calls_go_to_url_soap_v1_not_the_wsdl_address(fake):
    assert main(["--url", "http://lrs.test:9000/"] + CREDS + FIND, transport=fake) == 0
    assert fake.loaded[0] == "http://lrs.test:9000/soap/v1?wsdl"
    assert fake.posts[0][0] == "http://lrs.test:9000/soap/v1"
    assert fake.posts[0][2]["SOAPAction"].strip('"') == "urn:lrs-soap:native:v1/FindByULN"


def test_local_wsdl_file_is_used_and_address_is_still_url(fake):
    argv = ["--wsdl", str(WSDL_FILE), "--url", "http://lrs.test:9000"] + CREDS + FIND
    assert main(argv, transport=fake) == 0
    assert fake.loaded == []  # nothing fetched: the WSDL and its XSD came from disk
    assert fake.posts[0][0] == "http://lrs.test:9000/soap/v1"


# ----- credentials -------------------------------------------------------------------------


def write_config(path: Path, **values: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f'{key} = "{value}"\n' for key, value in values.items()),
                    encoding="utf-8")
    return path


def test_credentials_precedence_flags_then_env_then_config(tmp_path, monkeypatch):
    config = write_config(tmp_path / "lrs.toml", url="http://config.test", ukprn="30000003",
                          org_ref="CFG001", user="config-user", password="configpassword03")

    fake = FakeTransport()
    assert main(["--config", str(config)] + FIND, transport=fake) == 0
    assert fake.posts[0][0] == "http://config.test/soap/v1"
    assert fake.field("Credentials/UKPRN") == "30000003"
    assert fake.field("Credentials/OrganisationRef") == "CFG001"
    assert fake.field("Credentials/UserName") == "config-user"
    assert fake.field("Credentials/OrgPassword") == "configpassword03"

    monkeypatch.setenv("LRS_CLIENT_URL", "http://env.test")
    monkeypatch.setenv("LRS_CLIENT_UKPRN", "20000002")
    monkeypatch.setenv("LRS_CLIENT_USER", "env-user")
    monkeypatch.setenv("LRS_CLIENT_PASSWORD", "envpassword00002")
    fake = FakeTransport()
    assert main(["--config", str(config)] + FIND, transport=fake) == 0
    assert fake.posts[0][0] == "http://env.test/soap/v1"
    assert fake.field("Credentials/UKPRN") == "20000002"
    assert fake.field("Credentials/OrganisationRef") == "CFG001"  # only in the config
    assert fake.field("Credentials/UserName") == "env-user"
    assert fake.field("Credentials/OrgPassword") == "envpassword00002"

    fake = FakeTransport()
    argv = ["--config", str(config), "--url", "http://flag.test"] + CREDS + FIND
    assert main(argv, transport=fake) == 0
    assert fake.posts[0][0] == "http://flag.test/soap/v1"
    assert fake.field("Credentials/UKPRN") == "10000001"
    assert fake.field("Credentials/OrganisationRef") == "CFG001"
    assert fake.field("Credentials/UserName") == "flag-user"
    assert fake.field("Credentials/OrgPassword") == "flagpassword0001"


def test_config_from_env_variable_then_default_location(tmp_path, monkeypatch, fake):
    default = write_config(tmp_path / "home" / ".config" / "lrs-client" / "config.toml",
                           org_ref="DEF001", user="default-user", password="defaultpasswd001")
    assert main(FIND, transport=fake) == 0
    assert fake.field("Credentials/UserName") == "default-user"
    assert fake.field("Credentials/OrganisationRef") == "DEF001"
    assert fake.field("Credentials/UKPRN") is None

    other = write_config(tmp_path / "other.toml", ukprn="40000004", user="other-user",
                         password="otherpassword004")
    monkeypatch.setenv("LRS_CLIENT_CONFIG", str(other))
    fake = FakeTransport()
    assert main(FIND, transport=fake) == 0
    assert fake.field("Credentials/UserName") == "other-user"
    assert default.exists()


def test_missing_password_exits_2_naming_where_to_set_it(fake, capsys):
    assert main(["--ukprn", "10000001", "--user", "flag-user"] + FIND, transport=fake) == 2

    out, err = capsys.readouterr()
    assert out == ""
    assert "password" in err
    assert "--password" in err and "LRS_CLIENT_PASSWORD" in err
    assert "--user" not in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err
    assert fake.loaded == [] and fake.posts == []  # nothing sent


def test_missing_organisation_exits_2(fake, capsys):
    assert main(["--user", "u", "--password", "flagpassword0001"] + FIND, transport=fake) == 2
    err = capsys.readouterr().err
    assert "--ukprn" in err and "--org-ref" in err


def test_named_config_file_that_does_not_exist_exits_2(tmp_path, fake, capsys):
    assert main(["--config", str(tmp_path / "nope.toml")] + CREDS + FIND, transport=fake) == 2
    assert "nope.toml" in capsys.readouterr().err


def test_unknown_config_key_exits_2(tmp_path, fake, capsys):
    config = write_config(tmp_path / "c.toml", passwd="x")
    assert main(["--config", str(config)] + CREDS + FIND, transport=fake) == 2
    assert "passwd" in capsys.readouterr().err


def test_usage_error_exits_2(capsys):
    assert main([]) == 2
    assert main(["find-by-uln", "1234567890"]) == 2


# ----- faults and transport errors ---------------------------------------------------------


def test_fault_exits_1_with_code_and_description_on_stderr(capsys):
    fake = FakeTransport(fault_reply())
    assert main(CREDS + FIND, transport=fake) == 1

    out, err = capsys.readouterr()
    assert out == ""
    assert "WSEC0005: Incorrect organisation password" in err
    assert "check the OrgPassword" in err
    assert "Traceback" not in err


def test_fault_with_json_is_a_fault_object_on_stdout(capsys):
    fake = FakeTransport(fault_reply("WSEC0001", "Invalid request", "ULN: pattern", "Client"))
    assert main(["--json"] + CREDS + FIND, transport=fake) == 1

    out, err = capsys.readouterr()
    assert err == ""
    fault = json.loads(out)["fault"]
    assert fault["ErrorCode"] == "WSEC0001"
    assert fault["Description"] == "Invalid request"
    assert fault["FurtherDetails"] == "ULN: pattern"
    assert fault["ErrorTimestamp"] == "2024-05-06T10:11:12Z"
    assert fault["faultcode"] == "soap11env:Client"


def test_http_error_without_a_soap_fault_exits_3(capsys):
    page = b"<html><body>Service Unavailable<br></body></html>"
    fake = FakeTransport((503, page), content_type="text/html")
    assert main(CREDS + FIND, transport=fake) == 3
    err = capsys.readouterr().err
    assert "http://127.0.0.1:8000/soap/v1" in err and "503" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_http_error_with_xml_but_no_fault_exits_3(capsys):
    fake = FakeTransport((502, _envelope(etree.Element("oops"))))
    assert main(CREDS + FIND, transport=fake) == 3
    err = capsys.readouterr().err
    assert "http://127.0.0.1:8000/soap/v1" in err
    assert "Traceback" not in err


def test_fault_without_lrs_detail_still_exits_1(capsys):
    fault = etree.Element(f"{{{SOAP_ENV}}}Fault")
    etree.SubElement(fault, "faultcode").text = "soap11env:Server"
    etree.SubElement(fault, "faultstring").text = "WSEC0999"
    fake = FakeTransport((500, _envelope(fault)))
    assert main(CREDS + FIND, transport=fake) == 1
    assert "WSEC0999" in capsys.readouterr().err


def test_connection_refused_exits_3_naming_the_url(capsys):
    url = f"http://127.0.0.1:{unused_port()}"
    argv = ["--url", url, "--wsdl", str(WSDL_FILE), "--timeout", "5"] + CREDS + FIND
    assert main(argv) == 3

    out, err = capsys.readouterr()
    assert out == ""
    assert f"{url}/soap/v1" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_unreachable_wsdl_exits_3_naming_the_wsdl_url(capsys):
    url = f"http://127.0.0.1:{unused_port()}"
    assert main(["--url", url, "--timeout", "5"] + CREDS + FIND) == 3
    assert f"{url}/soap/v1?wsdl" in capsys.readouterr().err


# ----- independence from the server package ------------------------------------------------


# The one documented exception: the offline validator takes the server's pure domain rules
# from lrs_soap.domain, all in this module, so that every rule exists once (see its docstring).
SERVER_RULES = CLIENT_DIR / "rules.py"


def _imported_modules(tree: ast.AST) -> list[str]:
    """Every absolute module an import statement names (``from a import b`` names a.b)."""
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names += [f"{node.module}.{alias.name}" for alias in node.names]
    return names


def _dynamic_imports(tree: ast.AST) -> list[str]:
    calls = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("__import__", "import_module"):
                calls.append(ast.unparse(node))
    return calls


def test_client_source_never_imports_the_server_package():
    sources = sorted(CLIENT_DIR.rglob("*.py"))
    assert SERVER_RULES in sources
    for path in sources:
        text = path.read_text(encoding="utf-8")
        tree = ast.parse(text)
        server = [name for name in _imported_modules(tree) if name.split(".")[0] == "lrs_soap"]
        assert not _dynamic_imports(tree), path
        if path == SERVER_RULES:
            assert server, "rules.py is where the domain rules come from"
            assert all(name.startswith(("lrs_soap.domain.", "lrs_soap.record_elements."))
                       for name in server), server
        else:
            assert "lrs_soap" not in text, path
            assert not server, path


def test_importing_the_client_loads_no_server_module():
    code = "import sys, lrs_client.cli; print(sorted(m for m in sys.modules if 'lrs_soap' in m))"
    env = {**os.environ, "PYTHONPATH": str(CLIENT_DIR.parent)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env, check=True, cwd=CLIENT_DIR.parent)
    assert result.stdout.strip() == "[]"


def test_empty_linked_ulns_is_an_empty_list_in_json_and_left_out_of_the_table(capsys):
    learner = [(name, [] if name == "LinkedULNs" else value) for name, value in LEARNER]
    fake = FakeTransport(find_reply(learner=learner))
    assert main(CREDS + FIND + ["--json"], transport=fake) == 0
    assert json.loads(capsys.readouterr().out)["Learner"]["LinkedULNs"] == []
    assert main(CREDS + FIND, transport=FakeTransport(find_reply(learner=learner))) == 0
    assert "LinkedULNs" not in capsys.readouterr().out
