"""``lrs-client``: argparse, dispatch and exit codes.

Exit codes:
    0  the call succeeded (whatever the ResponseCode, e.g. WSRC0001 no match); validate: no
       errors; a batch submit: the job finished
    1  the service answered with a SOAP fault (ErrorCode WSEC...); validate: errors found; a
       batch submit: the file has errors, or the batch was refused or failed
    2  usage or settings error: bad arguments, missing credentials, unreadable config; nothing sent
    3  no usable answer: connection refused, timeout, HTTP error without a SOAP fault, a WSDL
       or reply that is not the expected SOAP
    4  a batch job was still running when --job-timeout ran out
  130  interrupted (Ctrl-C)

A new group of commands is a module with ``register(subparsers, parents)`` listed in GROUPS.
A command that needs no service (validate) sets the parser default ``offline=True``: it runs
without settings and its handler gets no Connection.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

import zeep

from . import (
    __version__,
    achievements,
    batches,
    challenges,
    entries,
    exceptions,
    jobs,
    learners,
    plans,
    plr,
    registration,
    validate,
)
from .connection import (
    DEFAULT_CONFIG,
    DEFAULT_TIMEOUT,
    DEFAULT_URL,
    ClientError,
    Connection,
    ServiceFault,
    resolve_settings,
)
from .fault_output import fault
from .render import PROG, Renderer

GROUPS = (learners, registration, validate, batches, jobs, exceptions, plr, challenges,
          achievements, entries, plans)

# The global options: accepted before or after the subcommand. SUPPRESS keeps a subparser from
# overwriting a value given before the subcommand with its own default.
_GLOBALS = ("url", "wsdl", "ukprn", "org_ref", "user", "password", "config", "timeout",
            "cert", "key", "ca")

EPILOG = f"""\
settings precedence: flags, then the environment (LRS_CLIENT_URL, LRS_CLIENT_UKPRN,
LRS_CLIENT_ORG_REF, LRS_CLIENT_USER, LRS_CLIENT_PASSWORD), then a TOML config file
(--config, else $LRS_CLIENT_CONFIG, else {DEFAULT_CONFIG})
with keys url, ukprn, org_ref, user, password, cert, key, ca.

exit codes: 0 ok, 1 SOAP fault (validate: errors found), 2 usage or settings error,
3 connection/HTTP error, 4 batch job still running.
"""


def _global_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    group = common.add_argument_group("connection and credentials")
    group.add_argument("--url", metavar="BASE", help=f"service base URL (default {DEFAULT_URL})")
    group.add_argument("--wsdl", metavar="PATH_OR_URL",
                       help="WSDL to load (default BASE/soap/v1?wsdl); calls still go to "
                            "BASE/soap/v1")
    group.add_argument("--ukprn", help="calling organisation's UKPRN")
    group.add_argument("--org-ref", dest="org_ref", help="calling organisation's reference")
    group.add_argument("--user", help="user name recorded in the audit log")
    group.add_argument("--password", help="organisation password (prefer the environment "
                                          "or the config file)")
    group.add_argument("--config", metavar="FILE", help="TOML config file")
    group.add_argument("--timeout", metavar="SECONDS", type=float,
                       help=f"network timeout (default {DEFAULT_TIMEOUT:g})")
    group.add_argument("--cert", metavar="PEM", help="client certificate for mutual TLS (with "
                                                    "its key, unless --key is given)")
    group.add_argument("--key", metavar="PEM", help="the client certificate's private key")
    group.add_argument("--ca", metavar="PEM", help="CA certificates to trust for the server")
    common.add_argument_group("output").add_argument(
        "--json", action="store_true", help="print the reply (or fault) as JSON on stdout")
    return common


def build_parser() -> argparse.ArgumentParser:
    common = _global_options()
    parser = argparse.ArgumentParser(
        prog=PROG, parents=[common], epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Reference SOAP client for the lrs-soap native face (/soap/v1).")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    for group in GROUPS:
        group.register(subparsers, [common])
    return parser


def main(argv: Sequence[str] | None = None, *, transport: zeep.Transport | None = None) -> int:
    """Run one command; return the exit code (the console script passes it to sys.exit)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version or a usage error already printed
        return exc.code if isinstance(exc.code, int) else 2

    out = Renderer(json_mode=getattr(args, "json", False))
    try:
        if getattr(args, "offline", False):
            return args.handler(args, None, out)
        settings = resolve_settings({name: getattr(args, name, None) for name in _GLOBALS},
                                    os.environ)
        return args.handler(args, Connection(settings, transport=transport), out)
    except ServiceFault as exc:
        fault(out, exc.fault)
        return exc.exit_code
    except ClientError as exc:
        out.error(str(exc))
        return exc.exit_code
    except OSError as exc:  # a file named on the command line that cannot be used
        out.error(f"{exc.filename}: {exc.strerror}" if exc.filename else str(exc))
        return 2
    except KeyboardInterrupt:
        out.error("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main())
