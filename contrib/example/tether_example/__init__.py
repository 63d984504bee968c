"""The tether plugin for Jotter, a small fictional notes API: the template to copy.

This module is imported whenever tether starts, so it only declares a hook; the connector,
its actions and its sandbox load when a command needs them.
"""

from tether.connector import hookimpl


@hookimpl
def register_connectors(register):
    from .connector import CONNECTOR

    register(CONNECTOR)
