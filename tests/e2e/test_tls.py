"""`lrs-soap serve` terminating TLS and requiring client certificates from a configured CA."""

from __future__ import annotations

import pytest
import requests
import trustme

from tests.e2e.servers import served_gateway
from tests.e2e.test_serve import FIND


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    ca, stranger_ca = trustme.CA(), trustme.CA()
    server = ca.issue_cert("127.0.0.1", "localhost")
    client, stranger = ca.issue_cert("client.example.org"), stranger_ca.issue_cert("x.example")
    files = {"ca": directory / "ca.pem", "server": directory / "server.pem",
             "client": directory / "client.pem", "stranger": directory / "stranger.pem"}
    ca.cert_pem.write_to_path(str(files["ca"]))
    server.private_key_and_cert_chain_pem.write_to_path(str(files["server"]))
    client.private_key_and_cert_chain_pem.write_to_path(str(files["client"]))
    stranger.private_key_and_cert_chain_pem.write_to_path(str(files["stranger"]))
    return files


def find(url, **options):
    return requests.post(f"{url}/soap/v1", data=FIND.format(password="DemoCollege2026!"),
                         headers={"Content-Type": "text/xml"}, timeout=10, **options)


def test_mutual_tls_lets_in_only_clients_with_a_certificate_from_the_ca(pki, fresh_database_url):
    server, ca, client = str(pki["server"]), str(pki["ca"]), str(pki["client"])
    with served_gateway(fresh_database_url, "--tls-certfile", server, "--tls-keyfile", server,
                        "--tls-client-ca", ca, scheme="https",
                        health={"verify": ca, "cert": client}) as gateway:
        response = find(gateway.url, verify=ca, cert=client)
        assert response.status_code == 200 and "WSRC0004" in response.text
        wsdl = requests.get(f"{gateway.url}/soap/v1?wsdl", verify=ca, cert=client, timeout=10)
        assert f'location="{gateway.url}/soap/v1"' in wsdl.text  # https in the WSDL
        with pytest.raises(requests.exceptions.ConnectionError):
            find(gateway.url, verify=ca)  # no client certificate
        with pytest.raises(requests.exceptions.ConnectionError):
            find(gateway.url, verify=ca, cert=str(pki["stranger"]))  # another CA's
        with pytest.raises(requests.exceptions.ConnectionError):
            find(gateway.url.replace("https", "http"))  # plain HTTP on the TLS port


def test_tls_without_client_certificates(pki, fresh_database_url):
    server, ca = str(pki["server"]), str(pki["ca"])
    with served_gateway(fresh_database_url, "--tls-certfile", server, "--tls-keyfile", server,
                        scheme="https", health={"verify": ca}) as gateway:
        assert find(gateway.url, verify=ca).status_code == 200


def test_lrs_client_presents_its_certificate(pki, fresh_database_url, capsys):
    from lrs_client.cli import main as client

    server, ca, client_cert = str(pki["server"]), str(pki["ca"]), str(pki["client"])
    with served_gateway(fresh_database_url, "--tls-certfile", server, "--tls-keyfile", server,
                        "--tls-client-ca", ca, scheme="https",
                        health={"verify": ca, "cert": client_cert}) as gateway:
        common = ["--url", gateway.url, "--ukprn", "10000001", "--user", "demo",
                  "--password", "DemoCollege2026!", "--ca", ca]
        assert client([*common, "--cert", client_cert,
                       "find-by-uln", "1026893096", "Sam", "Example"]) == 0
        assert "WSRC0004" in capsys.readouterr().out
        assert client([*common, "find-by-uln", "1026893096", "Sam", "Example"]) == 3
        assert gateway.url in capsys.readouterr().err  # refused in the handshake, said clearly
