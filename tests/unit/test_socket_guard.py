"""The guard of tests/unit/conftest.py: a unit test that opens a socket fails."""

import socket

import pytest

from tests.unit.conftest import SocketOpened


def test_connecting_fails_the_test():
    with socket.socket() as client, pytest.raises(SocketOpened):
        client.connect(("127.0.0.1", 9))


def test_listening_fails_the_test():
    with socket.socket() as listener, pytest.raises(SocketOpened):
        listener.bind(("127.0.0.1", 0))
