"""The front every request passes before the gateway sees it: whole requests, bounded.

`lrs-soap serve` runs gunicorn's asyncio worker with this ASGI application around the WSGI
gateway. The event loop reads each request's headers and whole body, with a size limit and a
deadline, while the connection costs no more than a socket; only then is the WSGI gateway
called, synchronously, on the loop's one thread. So an idle or byte-at-a-time client never
occupies a worker (issue 14: two such clients took the sync workers' gateway offline), and
the gateway still runs one request at a time per process, as under the sync worker: spyne's
request state and the per-thread schema stay per request, with no threads added.
"""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Callable, Iterable

Wsgi = Callable[[dict, Callable], Iterable[bytes]]


class BufferedFront:
    def __init__(self, app: Wsgi, *, max_body_bytes: int, body_seconds: float):
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.body_seconds = body_seconds

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            return  # no lifespan (serve turns it off), no websockets
        environ, declared = _environ(scope)
        if declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._too_large(send)  # before reading a byte of it
            return
        try:
            # A deadline on this task, not asyncio.wait_for: that ran the reading in a task
            # of its own, one more task and turn of the event loop for every request.
            async with asyncio.timeout(self.body_seconds):
                body = await self._body(receive)
        except TimeoutError:
            await _answer(send, 408, b"the request body did not arrive in time\n")
            return
        if body is None:
            await self._too_large(send)  # chunked, or a lying Content-Length
            return
        environ["CONTENT_LENGTH"] = str(len(body))
        environ["wsgi.input"] = io.BytesIO(body)
        status, response_headers, chunks = _call_wsgi(self.app, environ)
        await send({"type": "http.response.start", "status": status,
                    "headers": response_headers})
        await send({"type": "http.response.body", "body": b"".join(chunks)})

    async def _body(self, receive: Callable) -> bytes | None:
        """The whole body, or None once it passes the limit (the rest is not kept)."""
        parts, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise TimeoutError  # nobody is waiting for an answer
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                return None
            parts.append(chunk)
            if not message.get("more_body", False):
                return b"".join(parts)

    async def _too_large(self, send: Callable) -> None:
        await _answer(send, 413, f"request bodies are limited to {self.max_body_bytes} "
                                 "bytes\n".encode(), close=True)


def _environ(scope: dict) -> tuple[dict, str]:
    """The WSGI environ, less the body, and the Content-Length declared ("" for none).

    A repeated header's values are joined with commas."""
    server = scope.get("server") or ("127.0.0.1", 0)
    client = scope.get("client") or ("", 0)
    environ = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": "",
        "PATH_INFO": scope["path"],
        "QUERY_STRING": scope["query_string"].decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope['http_version']}",
        "REMOTE_ADDR": str(client[0]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    found: dict[bytes, bytes] = {}
    for name, value in scope["headers"]:
        name = name.lower()
        found[name] = found[name] + b"," + value if name in found else value
    declared = found.pop(b"content-length", b"").decode("latin-1")
    content_type = found.pop(b"content-type", None)
    if content_type is not None:
        environ["CONTENT_TYPE"] = content_type.decode("latin-1")
    for name, value in found.items():
        environ[_environ_key(name)] = value.decode("latin-1")
    return environ, declared


_KEYS: dict[bytes, str] = {}  # header name -> environ key, for the names seen most


def _environ_key(name: bytes) -> str:
    key = _KEYS.get(name)
    if key is None:
        key = "HTTP_" + name.decode("latin-1").upper().replace("-", "_")
        if len(_KEYS) < 64:  # bounded: a client chooses the names
            _KEYS[name] = key
    return key


def _call_wsgi(app: Wsgi, environ: dict) -> tuple[int, list, list[bytes]]:
    started: list = []

    def start_response(status: str, headers: list, exc_info=None):
        started[:] = [int(status.split(" ", 1)[0]),
                      [(n.lower().encode("latin-1"), v.encode("latin-1")) for n, v in headers]]
        return lambda data: None

    result = app(environ, start_response)
    try:
        chunks = list(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return started[0], started[1], chunks


async def _answer(send: Callable, status: int, text: bytes, close: bool = False) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"),
               (b"content-length", str(len(text)).encode())]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text})
