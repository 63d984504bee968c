"""tether over the Model Context Protocol: ``tether mcp serve`` for AI agents.

Imported whenever tether starts, so it only adds the command; the MCP SDK loads when the
server starts.
"""

from tether import hookimpl


@hookimpl
def register_commands(cli):
    from .command import mcp

    cli.add_command(mcp)
