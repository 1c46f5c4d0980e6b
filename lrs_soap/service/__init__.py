"""Use cases: each owns its transaction through a unit of work (ports.UnitOfWork)."""
