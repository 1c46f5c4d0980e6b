"""lrs-client: the zeep reference client for the lrs-soap native face (/soap/v1).

It knows the gateway only through its WSDL: nothing here imports the server package.

    connection.py  settings (flags > environment > config file) and the zeep client/service
    render.py      rich tables for people, JSON for scripts, fault and error messages
    learners.py    the learner commands (find-by-uln, ...); later groups go beside it
    cli.py         argparse, dispatch and exit codes
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lrs-soap")
except PackageNotFoundError:  # run from a source tree
    __version__ = "0+unknown"

__all__ = ["__version__"]
