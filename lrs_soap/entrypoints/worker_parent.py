"""How a batch worker started by `lrs-soap serve` knows its parent: the variable serve sets,
and dying with serve (imports nothing heavy, so it costs nothing before the prctl)."""

import ctypes
import os
import signal
import sys

# Set by `lrs-soap serve` for the workers it starts.
PARENT_ENV = "LRS_WORKER_PARENT_PID"
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> None:
    """SIGTERM when serve ends; exit now if it already has (it may die before the prctl)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    parent = os.environ.get(PARENT_ENV)
    if parent and os.getppid() != int(parent):
        sys.exit(0)
