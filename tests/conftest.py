"""Shared fixtures for the core's tests."""

from __future__ import annotations

from typing import Any

import pytest

from loopback_server import LoopbackServer


@pytest.fixture
def loopback() -> Any:
    servers: list[LoopbackServer] = []

    def make() -> LoopbackServer:
        server = LoopbackServer()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.close()


pytest_plugins = ["pytester"]
