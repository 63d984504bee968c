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
from typing import Annotated, Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent
from pydantic import Field

import tether
from tether._errors import TetherError, UsageError
from tether._models import READY
from tether._slugs import resolve_ref, slug_of

INSTRUCTIONS = (
    "tether acts on customer-engagement platforms (Customer.io, Engage, …). Find an action with "
    "search_actions (plain English; compact answers), read its full inputSchema with get_action, then "
    "run_action. Actions are named connector.action-key or by slug (ENGAGE_CREATE_USER). Use "
    "sandbox=true to try anything without a real account. Never ask the user for API keys in the "
    "conversation: if no connection exists, ask them to run `tether connect --connectorId <id>`, "
    "which gives a page on their computer where they enter the keys."
)


def _one_line(text: str, limit: int = 100) -> str:
    """The first sentence of a description, cut to ``limit`` characters."""
    line = " ".join(text.split())
    end = line.find(". ")
    if 0 < end < limit:
        return line[: end + 1]
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def _brief(connector: str, action: Any) -> dict[str, Any]:
    """A search hit: enough to choose (full schemas come from get_action)."""
    brief: dict[str, Any] = {
        "id": f"{connector}.{action.key}",
        "slug": slug_of(connector, action.key),
        "about": _one_line(action.description or action.name),
        "required": list(action.input_schema.get("required", [])),
    }
    if not action.flags().get("readOnly"):
        brief["writes"] = True
    return brief


def _summary(connector: str, action: Any) -> dict[str, Any]:
    return {
        "id": f"{connector}.{action.key}",
        "slug": slug_of(connector, action.key),
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
            items = [_brief(connector, a) for a in self.client.actions(connector_id=connector, intent=query, limit=limit)]
        else:
            items = []
            for hit in self.client.search(query, element_type="action", limit=limit):
                connector_key, _, key = hit["element"]["id"].partition(".")
                items.append(_brief(connector_key, self.client.registry.action(connector_key, key)))
        connectors = sorted({item["id"].partition(".")[0] for item in items})
        return {
            "items": items,
            "connections": {c: self._connection_hint(c) for c in connectors},
            "next": "get_action(id) for the inputSchema; run_action(id, input, connection_id) or sandbox=true",
        }

    def _connection_hint(self, connector: str) -> str:
        """Which connection run_action should use for this connector, in a few words."""
        if self.sandbox_only:
            return "sandbox=true (this server runs on sandboxes only)"
        ready = [c.id for c in self._ready(connector)]
        if len(ready) == 1:
            return ready[0]
        if ready:
            return "pass connection_id: one of " + ", ".join(ready)
        return f"none: sandbox=true, or ask the user to run `tether connect --connectorId {connector}`"

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

    def _split(self, action: str) -> tuple[str, str]:
        connector, key = resolve_ref(action, self.client.registry.connectors())
        if not connector or not key:
            raise UsageError(
                f"action must be an id like engage.create-user (connector.action) or a slug like ENGAGE_CREATE_USER, "
                f"not {action!r}; find one with search_actions"
            )
        return connector, key

    def _ready(self, connector: str) -> list[Any]:
        """The connector's real (not sandbox) connections that are ready to run actions."""
        return [c for c in self.client.connections(connector) if c.state == READY and not c.sandbox]

    async def _connection_for(self, connector: str, sandbox: bool) -> str:
        if sandbox:
            return (await self.client.sandbox_connection(connector)).id
        ready = self._ready(connector)
        if len(ready) == 1:
            return ready[0].id
        if not ready:
            raise UsageError(
                f"no {connector} account is connected. Next step: ask the user to run `tether connect --connectorId {connector}` "
                "(it opens a page on their computer for the keys; never paste keys into this conversation), "
                "or pass sandbox=true to try it on the sandbox."
            )
        ids = ", ".join(c.id for c in ready)
        raise UsageError(f"several {connector} connections are ready ({ids}): pass connection_id")


NEXT_STEPS = {
    "validation_error": "read the action's inputSchema with get_action, fix the input, run again",
    "usage_error": "fix the call as the message says",
    "not_found": "for an action: find its id with search_actions; for a record: check the identifier",
    "configuration_error": "the connection is not usable yet: list_connections shows its state; ask the user to "
    "run `tether connection update ID` (a page on their computer takes the keys), or use sandbox=true",
    "auth_error": "the platform refused the keys: ask the user to run `tether connection update ID` to replace them",
    "rate_limited": "wait and retry later; tether already retried",
    "network_error": "the platform could not be reached; retry later (writes were not repeated blindly)",
    "platform_error": "the platform refused the request: read the message and details, adjust the input",
}


def _error_document(error: dict[str, Any]) -> dict[str, Any]:
    """tether's error document with the agent's next step beside it."""
    step = NEXT_STEPS.get(error.get("type", ""))
    return {"error": {**error, "next": step} if step else error}


def _tool_error(exc: TetherError) -> ToolError:
    """A failed call, flagged as an error to the agent, whose text is tether's error document
    (what the CLI's --json prints: type, message, status, details) plus ``next``: what to do."""
    return ToolError(json.dumps(_error_document(exc.to_dict())))


def _guarded(fn):
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def run(*args, **kwargs):
            try:
                result = await fn(*args, **kwargs)
            except TetherError as exc:
                raise _tool_error(exc) from None
            if "error" in result:  # an action that ran and failed on the platform's side
                raise ToolError(json.dumps(_error_document(result["error"])))
            return result

        return run

    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except TetherError as exc:
            raise _tool_error(exc) from None

    return call


def compact(document: dict[str, Any]) -> CallToolResult:
    """A tool answer whose text is JSON without indentation (the SDK's default indents by 2)."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=document)


def build_server(client: tether.AsyncClient | None = None, *, sandbox_only: bool = False) -> MCPServer:
    tools = Tools(client or tether.AsyncClient(), sandbox_only=sandbox_only)
    server = MCPServer("tether", instructions=INSTRUCTIONS)
    # httpx logs every URL at INFO; tether's own -v/TETHER_LOG logging is the one to use.
    logging.getLogger("httpx").setLevel(logging.WARNING)

    @server.tool(
        description=(
            "Find actions by describing what you want in plain English, best first. Compact: id, slug, "
            "a one-line description and the required inputs, plus which connection to use; "
            "get_action gives an action's full schemas."
        )
    )
    @_guarded
    def search_actions(
        query: Annotated[str, Field(description="What you want to do, in plain English (e.g. 'add a user to a list').")],
        connector: Annotated[str | None, Field(description="Only this connector's actions (e.g. engage, customerio).")] = None,
        limit: Annotated[int, Field(description="At most this many results (1-50).")] = 10,
    ) -> CallToolResult:
        return compact(tools.search_actions(query, connector, limit))

    @server.tool(description="One action's full description: inputSchema, outputSchema, examples and flags.")
    @_guarded
    def get_action(
        action: Annotated[str, Field(description="The action: an id like engage.create-user or a slug like ENGAGE_CREATE_USER.")],
    ) -> dict[str, Any]:
        return tools.get_action(action)

    @server.tool(description="The connections (accounts and sandboxes) set up on this machine; never their secrets.")
    @_guarded
    def list_connections(
        connector: Annotated[str | None, Field(description="Only this connector's connections (e.g. engage).")] = None,
    ) -> dict[str, Any]:
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
    async def run_action(
        action: Annotated[str, Field(description="The action: an id like engage.create-user or a slug like ENGAGE_CREATE_USER.")],
        input: Annotated[dict[str, Any] | None, Field(description="The action's input, as its inputSchema (get_action) describes.")] = None,
        connection_id: Annotated[str | None, Field(description="The connection to run on (list_connections); default: the connector's one ready connection.")] = None,
        sandbox: Annotated[bool, Field(description="Run on the connector's local sandbox instead of a real account.")] = False,
    ) -> dict[str, Any]:
        return await tools.run_action(action, input, connection_id, sandbox)

    return server
