"""The SOAP faces. spyne and lxml are used here and nowhere else."""

from lrs_soap.soap import spyne_compat  # noqa: F401  (must run before spyne is imported)
