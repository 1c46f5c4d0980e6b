"""The SOAP faces. spyne and lxml are used here and nowhere else."""

# spyne_compat must run before spyne is first imported; spyne_tuning then adjusts it.
from lrs_soap.soap import spyne_compat, spyne_tuning  # noqa: F401
