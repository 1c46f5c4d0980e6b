"""`lrs-soap serve`: gunicorn with sync worker processes (one schema and one DB pool each).

Not a threaded server: lxml schemas and spyne contexts are per process by construction.
gunicorn handles SIGTERM gracefully: workers finish their current request, then exit.
"""

from __future__ import annotations

import ssl

from gunicorn.app.base import BaseApplication

from lrs_soap.config import Settings


class GatewayServer(BaseApplication):
    def __init__(self, settings: Settings):
        self.settings = settings
        super().__init__()

    def load_config(self):
        s = self.settings
        options = {
            "bind": s.bind,
            "workers": s.workers,
            "worker_class": "sync",
            "timeout": s.request_timeout,
            "graceful_timeout": 30,
            "keepalive": 5,
            "loglevel": s.log_level.lower(),
            "accesslog": "-" if s.log_level.upper() == "DEBUG" else None,
            "errorlog": "-",
            "proc_name": "lrs-soap",
            # Spyne reads whole bodies; gunicorn's own header limits stay at their defaults.
        }
        if s.tls:
            options.update(certfile=s.tls_certfile, keyfile=s.tls_keyfile)
            if s.tls_client_ca:
                # Mutual TLS: a client without a certificate from this CA is refused in the
                # handshake, before any request is read.
                options.update(ca_certs=s.tls_client_ca, cert_reqs=ssl.CERT_REQUIRED)
        for key, value in options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self):
        # Called in each worker after fork: every worker builds its own engine and schemas.
        from lrs_soap.entrypoints.wsgi import create_app

        return create_app(self.settings)


def serve(settings: Settings) -> None:
    GatewayServer(settings).run()
