"""The tether plugin for Engage (engage.so).

Imported whenever tether starts, so it only declares the hook; the connector, its actions
and its sandbox load when a command needs them.
"""

from tether.connector import hookimpl


@hookimpl
def register_connectors(register):
    from .connector import CONNECTOR

    register(CONNECTOR)
