"""Test connectors and plugins built in code (no distribution needed)."""

from __future__ import annotations

from typing import Any

from tether import hookimpl
from tether._plugins import Plugins


class ConnectorPlugin:
    """A plugin object registering the given connectors."""

    def __init__(self, *connectors: Any):
        self.connectors = connectors
        self.__name__ = "test-" + "-".join(c.key for c in connectors)

    @hookimpl
    def register_connectors(self, register):
        for connector in self.connectors:
            register(connector)


def plugins_with(*connectors: Any, extra: tuple[Any, ...] = ()) -> Plugins:
    return Plugins([ConnectorPlugin(*connectors), *extra], load_entry_points=False)
