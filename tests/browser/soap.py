"""The SOAP side of "a SOAP call sees what the browser did": the reference client, lrs-client."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.browser.conftest import COLLEGE_SOAP


def lrs_client(base: str, *args: str, account=COLLEGE_SOAP) -> dict:
    ukprn, user, password = account
    command = [str(Path(sys.executable).with_name("lrs-client")), "--url", base, "--ukprn",
               ukprn, "--user", user, "--password", password, "--json", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60)
    return json.loads(result.stdout)
