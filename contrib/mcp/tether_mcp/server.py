"""The MCP tools: a thin layer over :class:`tether.AsyncClient`, answering in tether's own JSON.

Four tools rather than one per action: an agent searches by intent, reads one action's
schema, and runs it. Every answer is the CLI's ``--json`` shape, so what an agent learns from
one interface holds for the other. A failure is a tool error whose text is tether's error
document ``{"error": {type, message, …}}``, never a crash of the server.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

import tether
from tether._errors import TetherError, UsageError
from tether._models import READY

INSTRUCTIONS = (
    "tether acts on customer-engagement platforms (Customer.io, Engage, …). Find an action with "
    "search_actions (plain English), read its inputSchema with get_action, then run_action. Use "
    "sandbox=true to try anything without a real account. Never ask the user for API keys in the "
    "conversation: if no connection exists, ask them to run `tether connect --connectorId <id>` in "
    "their own terminal."
)


def _summary(connector: str, action: Any) -> dict[str, Any]:
    return {
        "id": f"{connector}.{action.key}",
        "name": action.name,
        "description": action.description,
        "flags": action.flags(),
        "inputSchema": action.input_schema,
    }


class Tools:
    """The tools' behaviour, apart from the MCP plumbing (so it reads, and tests, on its own)."""

    def __init__(self, client: tether.AsyncClient, *, sandbox_only: bool = False):
        self.client = client
        self.sandbox_only = sandbox_only

    def search_actions(self, query: str, connector: str | None = None, limit: int = 10) -> dict[str, Any]:
        limit = max(1, min(limit, 50))
        if connector is not None:
            actions = self.client.actions(connector_id=connector, intent=query, limit=limit)
            return {"items": [_summary(connector, a) for a in actions]}
        items = []
        for hit in self.client.search(query, element_type="action", limit=limit):
            element = hit["element"]
            connector_key, _, key = element["id"].partition(".")
            items.append(_summary(connector_key, self.client.registry.action(connector_key, key)))
        return {"items": items}

    def get_action(self, action: str) -> dict[str, Any]:
        connector, key = self._split(action)
        found = self.client.registry.action(connector, key)
        return {
            **_summary(connector, found),
            "outputSchema": found.output_schema,
            "examples": list(found.examples),
        }

    def list_connections(self, connector: str | None = None) -> dict[str, Any]:
        return {"items": [c.to_dict() for c in self.client.connections(connector)]}

    async def run_action(self, action: str, input: dict[str, Any] | None = None, connection_id: str | None = None, sandbox: bool = False) -> dict[str, Any]:
        connector, key = self._split(action)
        if connection_id is None:
            connection_id = await self._connection_for(connector, sandbox or self.sandbox_only)
        elif self.sandbox_only and not self.client.connection(connection_id).sandbox:
            raise UsageError(f"this server runs actions on sandboxes only; {connection_id} is a real account")
        result = await self.client.execute(f"{connector}.{key}", connection_id=connection_id, input=input or {})
        return result.to_dict()

    # -- helpers ------------------------------------------------------------------------------

    @staticmethod
    def _split(action: str) -> tuple[str, str]:
        connector, dot, key = action.partition(".")
        if not dot or not connector or not key:
            raise UsageError(f"action must be an id like engage.create-user (connector.action), not {action!r}")
        return connector, key

    async def _connection_for(self, connector: str, sandbox: bool) -> str:
        if sandbox:
            return (await self.client.sandbox_connection(connector)).id
        ready = [c for c in self.client.connections(connector) if c.state == READY and not c.sandbox]
        if len(ready) == 1:
            return ready[0].id
        if not ready:
            raise UsageError(
                f"no {connector} account is connected. Ask the user to run `tether connect --connectorId {connector}` "
                "in their own terminal (never paste keys into this conversation), or pass sandbox=true to try it on the sandbox."
            )
        ids = ", ".join(c.id for c in ready)
        raise UsageError(f"several {connector} connections are ready ({ids}): pass connection_id")


def _tool_error(exc: TetherError) -> ToolError:
    """A failed call, flagged as an error to the agent, whose text is tether's error document
    (what the CLI's --json prints: type, message, status, details)."""
    return ToolError(json.dumps({"error": exc.to_dict()}))


def _guarded(fn):
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def run(*args, **kwargs):
            try:
                result = await fn(*args, **kwargs)
            except TetherError as exc:
                raise _tool_error(exc) from None
            if "error" in result:  # an action that ran and failed on the platform's side
                raise ToolError(json.dumps(result))
            return result

        return run

    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except TetherError as exc:
            raise _tool_error(exc) from None

    return call


def build_server(client: tether.AsyncClient | None = None, *, sandbox_only: bool = False) -> MCPServer:
    tools = Tools(client or tether.AsyncClient(), sandbox_only=sandbox_only)
    server = MCPServer("tether", instructions=INSTRUCTIONS)
    # httpx logs every URL at INFO; tether's own -v/TETHER_LOG logging is the one to use.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    @server.tool(description="Find actions by describing what you want in plain English; best first, each with its inputSchema.")
    @_guarded
    def search_actions(query: str, connector: str | None = None, limit: int = 10) -> dict[str, Any]:
        return tools.search_actions(query, connector, limit)

    @server.tool(description="One action's full description: inputSchema, outputSchema, examples and flags. action is an id like engage.create-user.")
    @_guarded
    def get_action(action: str) -> dict[str, Any]:
        return tools.get_action(action)

    @server.tool(description="The connections (accounts and sandboxes) set up on this machine; never their secrets.")
    @_guarded
    def list_connections(connector: str | None = None) -> dict[str, Any]:
        return tools.list_connections(connector)

    @server.tool(
        description=(
            "Run an action with JSON input. Answers {\"output\": …}; a failure is an error whose text is "
            "{\"error\": {type, message, status?, details?}}. "
            "sandbox=true runs it on the connector's local sandbox (no account needed); otherwise the one "
            "ready connection of that connector, or connection_id."
        )
    )
    @_guarded
    async def run_action(action: str, input: dict[str, Any] | None = None, connection_id: str | None = None, sandbox: bool = False) -> dict[str, Any]:
        return await tools.run_action(action, input, connection_id, sandbox)

    return server
