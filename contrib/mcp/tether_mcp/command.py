"""``tether mcp serve``: the MCP server on stdin/stdout."""

from __future__ import annotations

import click
from tether._cli.support import examples


@click.group(epilog=examples("tether mcp serve", "tether mcp serve --sandbox-only"))
def mcp() -> None:
    """Serve tether to AI agents over the Model Context Protocol."""


@mcp.command()
@click.option("--sandbox-only", is_flag=True, help="Run every action on the connector's sandbox, never on a real account.")
def serve(sandbox_only: bool) -> None:
    """Serve on stdin/stdout until the client disconnects.

    In an MCP client's configuration: {"command": "tether", "args": ["mcp", "serve"]}.

    Tools: search_actions, get_action, list_connections, run_action. Credentials never pass
    through the agent: it is told to ask its user to run `tether connect` in a terminal.
    """
    from .server import build_server

    build_server(sandbox_only=sandbox_only).run("stdio")
