"""Entry points: the WSGI app, the server, the worker and the command lines."""
