"""`lrs-soap serve`: gunicorn worker processes (one schema and one DB pool each).

Each worker is gunicorn's asyncio worker running the buffering front
(entrypoints/buffered_front.py): the event loop reads whole requests, however slowly they
arrive, and calls the WSGI gateway for one complete request at a time on its one thread.
Not a threaded server: lxml schemas and spyne contexts are per process by construction.
gunicorn handles SIGTERM gracefully: workers finish their current request, then exit.
"""

from __future__ import annotations

import asyncio
import gc
import ssl
import sys

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from gunicorn.glogging import Logger
from gunicorn.workers.gasgi import ASGIWorker

from lrs_soap.config import Settings
from lrs_soap.entrypoints.batch_supervisor import BatchSupervisor
from lrs_soap.observability import logs, multiprocess


class GatewayServer(BaseApplication):
    def __init__(self, settings: Settings, supervisor: BatchSupervisor | None = None):
        self.settings = settings
        self.supervisor = supervisor or BatchSupervisor(settings.with_overrides(batch_workers=0))
        super().__init__()

    def run(self) -> None:
        try:
            _SupervisingArbiter(self).run()
        except RuntimeError as error:  # as BaseApplication.run: a bad configuration
            print(f"\nError: {error}\n", file=sys.stderr)
            sys.exit(1)

    def load_config(self):
        s = self.settings
        options = {
            "bind": s.bind,
            "workers": s.workers,
            # Not "sync": a sync worker is tied to one socket, so a few idle or slow
            # clients starved it (issue 14); not "gthread": bimodal with keep-alive and
            # spyne's validator is not thread-safe (stack notes). gunicorn's "asgi" worker,
            # taking connections one at a time (_GatewayWorker).
            "worker_class": _GatewayWorker,
            "asgi_lifespan": "off",
            "timeout": s.request_timeout,
            # Idle keep-alive connections count as open: waiting longer only delays the
            # stop (a request being processed finishes first: it holds the event loop).
            "graceful_timeout": 5,
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
        options["logconfig_dict"] = logs.logging_config(s.log_level, s.log_format)
        options["logger_class"] = _GatewayLogger
        options["worker_exit"] = _close_app
        options["child_exit"] = _forget_worker
        for key, value in options.items():
            if value is not None:
                self.cfg.set(key, value)

    def load(self):
        # Called in each worker after fork: every worker builds its own engine and schemas.
        from lrs_soap.entrypoints.buffered_front import BufferedFront
        from lrs_soap.entrypoints.wsgi import create_app

        app = BufferedFront(create_app(self.settings),
                            max_body_bytes=self.settings.max_request_bytes,
                            body_seconds=self.settings.request_timeout)
        # Everything built so far lives as long as the worker: keep it out of the
        # collector's way, so full collections stay short (docs/performance.md, R4).
        gc.collect()
        gc.freeze()
        return app


class _OneAcceptAtATime(asyncio.SelectorEventLoop):
    """asyncio's loop, taking one waiting connection each time the listening socket is ready.

    asyncio takes up to 100 at once. The workers share the listening socket, so when clients
    connect together (a pool, or wrk's 16 connections) the first worker to wake took them
    all and kept them for their keep-alive life: measured, 16 of 16 (or 15) on one worker
    while the other had none, so one core served everything and a request queued behind up
    to 15 others. One at a time, both workers wake and share them (split 9/7, 10/6, 5/11),
    and a worker busy with a request takes none meanwhile, as before."""

    def _accept_connection(self, protocol_factory, sock, sslcontext=None, server=None,
                           backlog=100, *args, **kwargs):
        super()._accept_connection(protocol_factory, sock, sslcontext, server, 1,
                                   *args, **kwargs)


class _GatewayWorker(ASGIWorker):
    """gunicorn's asyncio worker on _OneAcceptAtATime (never uvloop, which has no such hook)."""

    def _setup_event_loop(self) -> None:
        self.loop = _OneAcceptAtATime()
        asyncio.set_event_loop(self.loop)


class _GatewayLogger(Logger):
    """gunicorn's logger, with an access log only when `accesslog` asks for one (DEBUG).

    gunicorn counts any logging configuration (our `logconfig_dict`) as asking for an access
    log: at INFO every request then built gunicorn's access record and wrote a line, about a
    third of what serving a request cost outside the app; the README says DEBUG adds one."""

    def setup(self, cfg) -> None:
        super().setup(cfg)
        self._access_wanted = cfg.accesslog is not None

    @property
    def access_log_enabled(self) -> bool:  # read by gunicorn on every request
        return self._access_wanted


def _close_app(server, worker) -> None:
    """gunicorn's worker_exit hook: give the worker's database connections back cleanly."""
    front = getattr(worker, "asgi", None)
    app = getattr(front, "app", None)
    if hasattr(app, "close"):
        app.close()


def _forget_worker(server, worker) -> None:
    """gunicorn's child_exit hook (in the master): a dead worker is no longer "up"."""
    multiprocess.forget_process(worker.pid)


def serve(settings: Settings) -> None:
    """Run gunicorn, and the batch workers beside it, watched by gunicorn's master loop."""
    metrics_dir, made_here = multiprocess.prepare()  # before any worker starts
    supervisor = BatchSupervisor(settings)
    try:
        GatewayServer(settings, supervisor).run()
    finally:
        supervisor.stop()
        multiprocess.clean_up(metrics_dir, made_here)


class _SupervisingArbiter(Arbiter):
    """gunicorn's master, also tending the batch workers (no thread: the loop calls us)."""

    def __init__(self, app: GatewayServer):
        self.batch_workers = app.supervisor
        super().__init__(app)

    def manage_workers(self) -> None:
        super().manage_workers()
        self.batch_workers.tend()

    def reap_workers(self) -> None:
        # Ours first: gunicorn's waitpid(-1) would take their exit status silently.
        self.batch_workers.tend()
        super().reap_workers()
