"""lrs-soap: a stateful, validating gateway for the UK Learning Records Service SOAP interface."""

__version__ = "0.1.0"
