"""tether over MCP: an agent finds actions by intent and runs them, in-process and over stdio."""

from __future__ import annotations

import asyncio
import json
import os
import sys

import pytest
from mcp import Client, StdioServerParameters

import tether
from tether_mcp.server import build_server


def call(server_args: dict, *calls: tuple[str, dict]) -> list:
    """Run tool calls against an in-process server on a fresh AsyncClient; returns the results."""

    async def go():
        async with tether.AsyncClient(**server_args.get("client", {})) as tc:
            server = build_server(tc, sandbox_only=server_args.get("sandbox_only", False))
            async with Client(server) as client:
                return [await client.call_tool(name, args) for name, args in calls]

    return asyncio.run(go())


def error_of(result) -> dict:
    assert result.is_error
    text = result.content[0].text  # the SDK prefixes "Error executing tool <name>: "
    return json.loads(text[text.index("{"):])["error"]


def test_the_four_tools_are_listed(tether_home):
    async def go():
        async with tether.AsyncClient() as tc, Client(build_server(tc)) as client:
            return sorted(t.name for t in (await client.list_tools()).tools)

    assert asyncio.run(go()) == ["get_action", "list_connections", "run_action", "search_actions"]


def test_search_ranks_by_intent_within_and_across_connectors(tether_home):
    within, across = call(
        {},
        ("search_actions", {"query": "add someone to a mailing list", "connector": "engage", "limit": 3}),
        ("search_actions", {"query": "send a password reset email"}),
    )
    assert within.structured_content["items"][0]["id"] == "engage.add-user-to-lists"
    top = across.structured_content["items"][0]
    assert top["id"] == "customerio.send-transactional-email" and top["required"] == ["identifiers"]


def test_get_action_gives_schemas_and_examples(tether_home):
    (result,) = call({}, ("get_action", {"action": "engage.get-user"}))
    got = result.structured_content
    assert got["outputSchema"]["type"] == "object" and got["examples"] and got["flags"]["readOnly"] is True


def test_run_on_the_sandbox_changes_its_state(tether_home, tether_client):
    (result,) = call({}, ("run_action", {"action": "engage.update-user", "input": {"uid": "mcp-1", "email": "m@example.com"}, "sandbox": True}))
    assert not result.is_error and result.structured_content["output"]["uid"] == "mcp-1"
    conn = tether_client.sandbox_connection("engage")
    assert tether_client.run("get-user", connection_id=conn.id, input={"uid": "mcp-1"})["email"] == "m@example.com"


def test_without_a_connection_the_agent_is_told_to_ask_its_user_to_connect(tether_home):
    (result,) = call({}, ("run_action", {"action": "engage.get-user", "input": {"uid": "x"}}))
    error = error_of(result)
    assert error["type"] == "usage_error" and "tether connect --connectorId engage" in error["message"]


def test_bad_input_is_a_validation_error_and_nothing_is_sent(tether_home, tether_client):
    (result,) = call({}, ("run_action", {"action": "engage.get-user", "input": {"uid": 7}, "sandbox": True}))
    error = error_of(result)
    assert error["type"] == "validation_error" and error["details"]["path"] == "input.uid"
    runtime = tether_client.sandbox_runtime("engage")
    assert [e for e in runtime.journal() if e["path"].startswith("/v1/users/")] == []


def test_platform_errors_keep_their_status(tether_home):
    (result,) = call({}, ("run_action", {"action": "engage.get-user", "input": {"uid": "nobody-here"}, "sandbox": True}))
    error = error_of(result)
    assert error["status"] == 404 and error["type"] == "not_found"


def test_malformed_action_ids_are_refused(tether_home):
    (result,) = call({}, ("run_action", {"action": "get-user"}))
    assert "connector.action" in error_of(result)["message"]


def test_sandbox_only_refuses_real_connections(tether_home, tether_client):
    real = tether_client.connect("engage", credentials={"public_key": "pk", "private_key": "sk-secret-value"}, verify=False)
    (result,) = call({"sandbox_only": True}, ("run_action", {"action": "engage.get-user", "input": {"uid": "x"}, "connection_id": real.id}))
    assert "sandboxes only" in error_of(result)["message"]


def test_list_connections_never_shows_secrets(tether_home, tether_client):
    tether_client.connect("engage", credentials={"public_key": "pk-visible", "private_key": "sk-never-shown"}, verify=False)
    (result,) = call({}, ("list_connections", {}))
    text = json.dumps(result.structured_content) + "".join(c.text for c in result.content if hasattr(c, "text"))
    assert "pk-visible" not in text and "sk-never-shown" not in text
    (item,) = result.structured_content["items"]
    assert item["credentials"] == ["private_key", "public_key"]


def test_tether_mcp_serve_over_stdio(tether_home):
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "tether", "mcp", "serve", "--sandbox-only"],
        env={**os.environ, "TETHER_HOME": str(tether_home), "TETHER_SECRETS_BACKEND": "file"},
    )

    async def go():
        async with Client(params) as client:
            return await client.call_tool("run_action", {"action": "engage.get-user", "input": {"uid": "u-1001"}})

    result = asyncio.run(go())
    assert not result.is_error and result.structured_content["output"]["uid"] == "u-1001"


def _queries() -> list[str]:
    return ["add a user to a list", "send a password reset email", "delete a contact", "track an event", "export customers"]


def test_ten_search_results_fit_in_4000_characters_and_full_schemas_come_from_get_action(tether_home):
    results = call({}, *[("search_actions", {"query": q, "limit": 10}) for q in _queries()])
    for result in results:
        text = "".join(c.text for c in result.content)
        assert len(result.structured_content["items"]) == 10
        assert len(text) <= 4000, len(text)
        assert len(json.dumps(result.structured_content, separators=(",", ":"), ensure_ascii=False)) <= 4000
        assert all("inputSchema" not in item and item["about"] and "\n" not in item["about"] for item in result.structured_content["items"])
    first = results[0].structured_content["items"][0]
    (full,) = call({}, ("get_action", {"action": first["id"]}))
    assert set(first["required"]) == set(full.structured_content["inputSchema"].get("required", []))


def test_search_says_which_connection_to_use(tether_home, tether_client):
    (before,) = call({}, ("search_actions", {"query": "create a user", "connector": "engage", "limit": 2}))
    assert "sandbox=true" in before.structured_content["connections"]["engage"]
    real = tether_client.connect("engage", credentials={"public_key": "pk", "private_key": "sk-secret-value"}, verify=False)
    (after,) = call({}, ("search_actions", {"query": "create a user", "connector": "engage", "limit": 2}))
    assert after.structured_content["connections"]["engage"] == real.id


def test_every_tool_argument_has_a_description(tether_home):
    async def go():
        async with tether.AsyncClient() as tc, Client(build_server(tc)) as client:
            return (await client.list_tools()).tools

    tools = asyncio.run(go())
    arguments = [(t.name, name, spec) for t in tools for name, spec in t.input_schema["properties"].items()]
    assert len(arguments) >= 8
    assert [(tool, name) for tool, name, spec in arguments if not spec.get("description")] == []


def test_actions_answer_to_their_composio_slugs(tether_home):
    got, ran, unknown = call(
        {},
        ("get_action", {"action": "ENGAGE_CREATE_USER"}),
        ("run_action", {"action": "ENGAGE_UPDATE_USER", "input": {"uid": "slug-1", "email": "s@example.com"}, "sandbox": True}),
        ("get_action", {"action": "ENGAGE_CREATE_USERS"}),
    )
    assert got.structured_content["id"] == "engage.create-user" and got.structured_content["slug"] == "ENGAGE_CREATE_USER"
    assert not ran.is_error and ran.structured_content["output"]["uid"] == "slug-1"
    assert "ENGAGE_CREATE_USER" in error_of(unknown)["message"]


def test_errors_tell_the_agent_its_next_step(tether_home):
    bad_input, unknown, not_connected = call(
        {},
        ("run_action", {"action": "engage.get-user", "input": {"uid": 7}, "sandbox": True}),
        ("get_action", {"action": "engage.no-such-action"}),
        ("run_action", {"action": "engage.get-user", "input": {"uid": "x"}}),
    )
    assert "get_action" in error_of(bad_input)["next"]
    assert "search_actions" in error_of(unknown)["next"]
    assert "sandbox=true" in error_of(not_connected)["message"]
