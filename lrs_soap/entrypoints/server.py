"""`lrs-soap serve`: gunicorn with sync worker processes (one schema and one DB pool each).

Not a threaded server: lxml schemas and spyne contexts are per process by construction.
gunicorn handles SIGTERM gracefully: workers finish their current request, then exit.
"""

from __future__ import annotations

import gc
import os
import ssl
import subprocess
import sys

from gunicorn.app.base import BaseApplication

from lrs_soap.config import Settings
from lrs_soap.entrypoints.worker import PARENT_ENV


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
            # gunicorn 27's control socket sits at one path per user: two servers on one
            # host would share it. We do not use it.
            "control_socket_disable": True,
            # Spyne reads whole bodies; gunicorn's own header limits stay at their defaults.
        }
        if s.tls:
            options.update(certfile=s.tls_certfile, keyfile=s.tls_keyfile)
            if s.tls_client_ca:
                # Mutual TLS: a client without a certificate from this CA is refused in the
                # handshake, before any request is read.
                options.update(ca_certs=s.tls_client_ca, cert_reqs=ssl.CERT_REQUIRED)
        options["worker_exit"] = _close_app
        for key, value in options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self):
        # Called in each worker after fork: every worker builds its own engine and schemas.
        from lrs_soap.entrypoints.wsgi import create_app

        app = create_app(self.settings)
        # Everything built so far lives as long as the worker: keep it out of the
        # collector's way, so full collections stay short (docs/performance.md, R4).
        gc.collect()
        gc.freeze()
        return app


def _close_app(server, worker) -> None:
    """gunicorn's worker_exit hook: give the worker's database connections back cleanly."""
    app = getattr(worker, "wsgi", None)
    if hasattr(app, "close"):
        app.close()


def serve(settings: Settings) -> None:
    """Run gunicorn, and the batch workers beside it as child processes of the same lifetime."""
    workers = [_start_batch_worker(settings) for _ in range(settings.batch_workers)]
    try:
        GatewayServer(settings).run()
    finally:
        for process in workers:
            process.terminate()  # SIGTERM: the worker commits its chunk and exits
        for process in workers:
            try:
                process.wait(timeout=settings.job_lease_seconds)
            except subprocess.TimeoutExpired:
                process.kill()


def _start_batch_worker(settings: Settings) -> subprocess.Popen:
    # A separate interpreter, not a fork of this one: gunicorn's master stays single-threaded
    # and the worker's database connections are its own.
    env = {**os.environ, "LRS_DATABASE_URL": settings.database_url,
           "LRS_LOG_LEVEL": settings.log_level, PARENT_ENV: str(os.getpid())}
    return subprocess.Popen([sys.executable, "-m", "lrs_soap.entrypoints.cli", "worker"],
                            env=env)
