"""``python -m lrs_soap.entrypoints.worker_process worker``: a batch worker started by
`lrs-soap serve` (the arguments are `lrs-soap`'s; "worker" shows in ps).

It asks Linux to send it SIGTERM the moment serve's process ends, before anything heavy is
imported: a worker still importing when serve is killed outright would otherwise only notice
at its first poll, which on a loaded machine came more than 10 s later. (The worker's poll
also checks its parent, for systems without this.)
"""

import sys

from lrs_soap.entrypoints.worker_parent import die_with_parent

if __name__ == "__main__":
    die_with_parent()
    from lrs_soap.entrypoints.cli import main

    sys.exit(main(sys.argv[1:]))
