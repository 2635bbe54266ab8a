"""Ports on 127.0.0.1 for the tests that start a server, or need an address nobody answers."""

from __future__ import annotations

import socket


def free_port() -> int:
    """A port nobody listens on now, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
