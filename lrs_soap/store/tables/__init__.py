"""The table definitions, one module per area; lrs_soap.store.orm gathers them."""
