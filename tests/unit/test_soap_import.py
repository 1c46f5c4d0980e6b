"""Importing the SOAP package does nothing but import: no spyne, no import hooks, no logger
levels changed (issue 19). Checked in a fresh interpreter, where nothing has run yet."""

import subprocess
import sys

CHECK = """
import logging, sys
meta_path = list(sys.meta_path)
import lrs_soap.soap, lrs_soap.soap.intake, lrs_soap.soap.lrs.endpoints
assert "spyne" not in sys.modules, "spyne imported"
assert sys.meta_path == meta_path, "import hooks changed"
assert not [n for n in logging.root.manager.loggerDict if n.startswith("spyne")], "spyne loggers"
print("clean")
"""


def test_importing_the_soap_package_and_the_intake_has_no_side_effects():
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True,
                            timeout=60)
    assert (result.returncode, result.stdout.strip()) == (0, "clean"), result.stderr
