"""The native face (/soap/v1): the project's own strict, typed contract."""
