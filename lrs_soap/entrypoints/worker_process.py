"""``python -m lrs_soap.entrypoints.worker_process worker``: a batch worker started by
`lrs-soap serve` (the arguments are `lrs-soap`'s; "worker" shows in ps).

It asks Linux to send it SIGTERM the moment serve's process ends, before anything heavy is
imported: a worker still importing when serve is killed outright would otherwise only notice
at its first poll, which on a loaded machine came more than 10 s later. (The worker's poll
also checks its parent, for systems without this.)
"""

import ctypes
import os
import signal
import sys

# Set by `lrs-soap serve` for the workers it starts. (Kept here, in a module that imports
# nothing heavy, so that reading it costs nothing before the prctl.)
PARENT_ENV = "LRS_WORKER_PARENT_PID"
PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def die_with_parent() -> None:
    """SIGTERM when serve ends; exit now if it already has (it may die before the prctl)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    parent = os.environ.get(PARENT_ENV)
    if parent and os.getppid() != int(parent):
        sys.exit(0)


if __name__ == "__main__":
    die_with_parent()
    from lrs_soap.entrypoints.cli import main

    sys.exit(main(sys.argv[1:]))
