"""``python -m lrs_soap.entrypoints.cli``: the same as the `lrs-soap` console script."""

import sys

from lrs_soap.entrypoints.cli import main

sys.exit(main())
