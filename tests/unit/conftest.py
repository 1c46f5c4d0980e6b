"""Unit tests run in memory: any attempt to open a network connection fails the test."""

from __future__ import annotations

import socket

import pytest


class SocketOpened(AssertionError):
    """A unit test reached for the network (move it to tests/integration or fake the port)."""


def _refuse(*args, **kwargs):
    raise SocketOpened("unit tests must not open sockets")


@pytest.fixture(autouse=True)
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    for method in ("connect", "connect_ex", "bind"):
        monkeypatch.setattr(socket.socket, method, _refuse)
