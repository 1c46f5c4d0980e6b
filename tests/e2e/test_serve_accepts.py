"""`serve`'s workers take one waiting connection per wake (entrypoints/server.py), so a burst
of connections is shared between the workers instead of all landing on the first awake.

It rests on two private hooks: gunicorn's ASGIWorker._setup_event_loop and asyncio's
_accept_connection. These tests fail, rather than the split silently going, if an upgrade
moves either."""

import asyncio
import inspect
import socket

from gunicorn.workers.gasgi import ASGIWorker

from lrs_soap.entrypoints import server


def test_gunicorn_still_builds_its_worker_loop_through_the_hook_serve_overrides():
    # (asyncio's hook is proven below by behaviour: a moved `backlog` would take all 8)
    assert "self._setup_event_loop()" in inspect.getsource(ASGIWorker.init_process)


def _taken_in_one_wake(loop: asyncio.AbstractEventLoop, waiting: int) -> int:
    """With ``waiting`` clients queued on a listening socket, how many ``loop`` takes when
    the socket is ready once (its accept handler called as asyncio calls it, backlog 100)."""
    listener = socket.create_server(("127.0.0.1", 0), backlog=64)
    listener.setblocking(False)
    port = listener.getsockname()[1]
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(waiting)]
    made = []

    class Counting(asyncio.Protocol):
        def connection_made(self, transport):
            made.append(transport)

    try:
        loop._accept_connection(Counting, listener, None, None, 100)
        left = 0
        while True:
            try:
                left_behind, _ = listener.accept()
            except BlockingIOError:
                break
            left_behind.close()
            left += 1
        loop.run_until_complete(asyncio.sleep(0.05))  # the taken ones' transports made
        return waiting - left
    finally:
        for transport in made:
            transport.close()
        loop.run_until_complete(asyncio.sleep(0))
        loop.close()
        for client in clients:
            client.close()
        listener.close()


def test_asyncio_takes_a_whole_burst_at_once_and_the_gateway_loop_one():
    assert _taken_in_one_wake(asyncio.SelectorEventLoop(), 8) == 8
    assert _taken_in_one_wake(server._OneAcceptAtATime(), 8) == 1


def test_the_gateway_worker_runs_on_that_loop():
    worker = server._GatewayWorker.__new__(server._GatewayWorker)
    worker._setup_event_loop()
    try:
        assert isinstance(worker.loop, server._OneAcceptAtATime)
        assert asyncio.get_event_loop_policy().get_event_loop() is worker.loop
    finally:
        worker.loop.close()
        asyncio.set_event_loop(None)
