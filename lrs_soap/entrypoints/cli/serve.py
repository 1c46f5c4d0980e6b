"""`lrs-soap serve`: migrate the database and serve the gateway."""

from __future__ import annotations

import argparse
import socket

from lrs_soap.config import Settings
from lrs_soap.entrypoints.cli import demo
from lrs_soap.entrypoints.cli.common import add_database_options, err, out, settings_from
from lrs_soap.service.accounts import AdminError


def register(commands: argparse._SubParsersAction) -> None:
    serve = commands.add_parser("serve", help="migrate the database and serve the gateway")
    add_database_options(serve)
    serve.add_argument("--bind", help="host:port (env LRS_BIND, default 127.0.0.1:8000)")
    serve.add_argument("--public-url", help="base URL written into WSDLs (env LRS_PUBLIC_URL)")
    serve.add_argument("--workers", type=int, help="worker processes (env LRS_WORKERS)")
    serve.add_argument("--max-request-bytes", type=int,
                       help="largest request body (env LRS_MAX_REQUEST_BYTES)")
    serve.add_argument("--tls-certfile", help="PEM certificate chain: serve HTTPS "
                       "(env LRS_TLS_CERTFILE)")
    serve.add_argument("--tls-keyfile", help="PEM private key (env LRS_TLS_KEYFILE)")
    serve.add_argument("--tls-client-ca", help="PEM CA bundle: require client certificates "
                       "it issued (env LRS_TLS_CLIENT_CA)")
    serve.add_argument("--batch-workers", type=int,
                       help="batch worker processes to run beside the server, 0 for none "
                            "(env LRS_BATCH_WORKERS, default 1)")
    serve.add_argument("--demo", action="store_true",
                       help="load demo organisations and learners, print their credentials")
    serve.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from lrs_soap.entrypoints.server import serve
    from lrs_soap.store import migrate

    settings = settings_from(args)
    host = settings.bind.rsplit(":", 1)[0].strip("[]")
    if settings.public_url == Settings.public_url and (settings.bind != Settings.bind
                                                       or settings.tls):
        if host in ("0.0.0.0", "::", ""):  # noqa: S104 (recognising it, not binding it)
            err.print("[yellow]note:[/yellow] listening on every interface: set "
                      "LRS_PUBLIC_URL (or --public-url) to the address clients use, so the "
                      "served WSDLs point there")
        else:
            scheme = "https" if settings.tls else "http"
            settings = settings.with_overrides(public_url=f"{scheme}://{settings.bind}")
    _check_bind(settings.bind)
    migrate.upgrade(settings.database_url)
    if args.demo:
        demo.load_and_print(settings)
    else:
        out.print(f"Call it: lrs-client --url {settings.public_url} --ukprn UKPRN --user USER "
                  "--password PASSWORD find-by-uln ULN GIVEN_NAME FAMILY_NAME", soft_wrap=True)
    out.print(f"lrs-soap serving {settings.public_url}/soap/v1 "
              f"(WSDL: {settings.public_url}/soap/v1?wsdl, health: {settings.public_url}"
              f"/healthz) with {settings.workers} workers", soft_wrap=True)
    serve(settings)
    return 0


def _check_bind(bind: str) -> None:
    """Refuse, in one line, an address we cannot listen on (in use, not ours, unknown host),
    before migrating anything; gunicorn would retry for five seconds and log each try."""
    host, _, port = bind.rpartition(":")
    host = host.strip("[]")
    try:
        family = socket.getaddrinfo(host, int(port), type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn does
            probe.bind((host, int(port)))
    except OSError as error:
        raise AdminError(f"cannot listen on {bind}: {error.strerror or error}") from None
