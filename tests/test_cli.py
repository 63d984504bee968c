"""The command line: Membrane's grammar, one JSON document per --json run, exit codes."""

from __future__ import annotations

import json
import socket
import threading
import time

import click
import pytest

from cli_runner import run_cli
from tether._client import Client


def all_commands():
    from tether._cli import COMMANDS, cli

    ctx = click.Context(cli)
    out = []
    for name in COMMANDS:
        cmd = cli.get_command(ctx, name)
        out.append(((name,), cmd))
        if isinstance(cmd, click.Group):
            out += [((name, sub), cmd.commands[sub]) for sub in cmd.commands]
    return out


@pytest.mark.parametrize(("path", "command"), all_commands(), ids=lambda v: " ".join(v) if isinstance(v, tuple) else "")
def test_every_command_has_help_with_an_example_and_takes_json(path, command, capsys):
    ran = run_cli(capsys, *path, "--help")
    assert ran.code == 0 and "Examples:" in ran.out and "tether " in ran.out
    if not isinstance(command, click.Group):
        assert any("--json" in p.opts for p in command.params), f"{' '.join(path)} lacks --json"


def test_first_run_in_one_command(tether_home, capsys):
    ran = run_cli(capsys, "action", "run", "example.create-note", "--sandbox", "--input", '{"title": "first"}', "--json")
    assert ran.code == 0 and ran.json()["output"]["title"] == "first"
    again = run_cli(capsys, "action", "run", "example.get-note", "--sandbox", "--input", json.dumps({"id": ran.json()["output"]["id"]}), "--json")
    assert again.json()["output"]["title"] == "first"  # state persists between commands
    conns = run_cli(capsys, "connection", "list", "--json").json()["items"]
    assert len(conns) == 1 and conns[0]["sandbox"] is True and conns[0]["credentials"] == ["api_key"]


def test_exit_codes_and_error_documents(tether_home, capsys):
    bad_input = run_cli(capsys, "action", "run", "example.get-note", "--sandbox", "--input", '{"id": 5}', "--json")
    assert bad_input.code == 2
    assert bad_input.json() == {"error": {"type": "validation_error", "message": "input.id: expected string, got integer 5", "details": {"path": "input.id", "expected": "string", "given": 5}}}
    assert bad_input.err.strip() == "error: input.id: expected string, got integer 5"
    not_json = run_cli(capsys, "action", "run", "example.get-note", "--sandbox", "--input", "{id:", "--json")
    assert not_json.code == 2 and not_json.json()["error"]["type"] == "usage_error"
    platform = run_cli(capsys, "action", "run", "example.get-note", "--sandbox", "--input", '{"id": "nope"}', "--json")
    assert platform.code == 1 and platform.json()["error"]["status"] == 404
    unknown = run_cli(capsys, "connection", "get", "no-such-connection", "--json")
    assert unknown.code == 2 and unknown.json()["error"]["type"] == "not_found"
    usage = run_cli(capsys, "action", "list", "--json")
    assert usage.code == 2 and "exactly one of" in usage.json()["error"]["message"]
    click_usage = run_cli(capsys, "search", "--elementType", "planet", "x", "--json")
    assert click_usage.code == 2 and click_usage.json()["error"]["type"] == "usage_error"


def test_network_failure_exits_3(tether_home, capsys):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with Client(home=tether_home, secrets_backend="file") as client:
        conn = client.connect("example", credentials={"api_key": "jk_whatever"}, settings={"baseUrl": f"http://127.0.0.1:{port}"}, verify=False)
    ran = run_cli(capsys, "action", "run", "get-note", "--connectionId", conn.id, "--input", '{"id": "n-1"}', "--json")
    assert ran.code == 3 and ran.json()["error"]["type"] == "network_error"


def test_agent_flow_without_a_terminal(tether_home, capsys):
    made = run_cli(capsys, "connect", "--connectorId", "example", "--json")
    conn = made.json()
    assert made.code == 0 and conn["state"] == "CLIENT_ACTION_REQUIRED" and conn["credentials"] == []
    action = conn["clientAction"]
    assert action["type"] == "connect" and action["inputSchema"]["properties"]["api_key"]["writeOnly"] is True
    assert "Do not ask the user to paste secrets" in action["agentInstructions"]
    assert f"tether connection update {conn['id']}" in action["agentInstructions"]
    blocked = run_cli(capsys, "action", "run", "list-notes", "--connectionId", conn["id"], "--json")
    assert blocked.code == 1 and "CLIENT_ACTION_REQUIRED" in blocked.json()["error"]["message"]

    key = Client(home=tether_home).sandbox_runtime("example").credentials["api_key"]

    def user_completes_it_later():
        time.sleep(0.5)
        with Client(home=tether_home, secrets_backend="file") as client:
            client.update_connection(conn["id"], settings={"baseUrl": "https://api.jotter.example"}, credentials={"api_key": key}, verify=False)

    threading.Thread(target=user_completes_it_later).start()
    waited = run_cli(capsys, "connection", "get", conn["id"], "--wait", "--timeout", "20", "--json")
    assert waited.json()["state"] == "READY" and waited.json()["credentials"] == ["api_key"]


def test_rejected_credentials_give_configuration_error_with_the_platform_message(tether_home, capsys, served_sandbox):
    served = served_sandbox("example")
    ran = run_cli(capsys, "connect", "--connectorId", "example", "--input", '{"api_key": "jk_wrong"}', "--setting", f"baseUrl={served['url']}", "--json")
    conn = ran.json()
    assert ran.code == 0 and conn["state"] == "CONFIGURATION_ERROR"
    assert conn["error"]["type"] == "auth_error" and "Missing or invalid API key." in conn["error"]["message"]
    fixed = run_cli(capsys, "connection", "update", conn["id"], "--input", json.dumps(served["credentials"]), "--json")
    assert fixed.json()["state"] == "READY"
    tested = run_cli(capsys, "connection", "test", conn["id"], "--json")
    assert tested.code == 0 and tested.json()["state"] == "READY"


@pytest.mark.parametrize("path", ["http://evil.example/notes", "//evil.example/notes", "/v1/../../notes", "/%2e%2e/notes", "notes\\..\\x", "https:/evil.example"])
def test_request_refuses_paths_that_could_leave_the_base_url(tether_home, capsys, path):
    with Client(home=tether_home) as client:
        conn = client.sandbox_connection("example")
        runtime = client.sandbox_runtime("example")
        before = runtime.last_seq()
    ran = run_cli(capsys, "request", conn.id, path, "--json")
    assert ran.code == 2 and ran.json()["error"]["type"] == "usage_error"
    with Client(home=tether_home) as client:
        assert client.sandbox_runtime("example").last_seq() == before


def test_request_proxy(tether_home, capsys):
    with Client(home=tether_home) as client:
        conn = client.sandbox_connection("example")
    listed = run_cli(capsys, "request", conn.id, "/notes", "--query", "limit=1", "--json")
    assert listed.code == 0 and listed.json()["status"] == 200 and len(listed.json()["body"]["data"]) == 1
    made = run_cli(capsys, "request", conn.id, "/notes", "-X", "POST", "--json", '{"title": "proxied"}')
    assert made.code == 0 and json.loads(made.out)["title"] == "proxied"
    one = run_cli(capsys, "request", conn.id, "/notes/{id}", "--pathParam", "id=n-1", "-i")
    assert one.out.startswith("HTTP 200\n") and '"Welcome"' in one.out
    missing = run_cli(capsys, "request", conn.id, "/notes/{id}", "--pathParam", "id=zzz")
    assert missing.code == 1 and "No such note" in missing.out
    no_param = run_cli(capsys, "request", conn.id, "/notes/{id}", "--json")
    assert no_param.code == 2 and "pathParam" in no_param.json()["error"]["message"]


def test_search_connections_and_actions_shapes(tether_home, capsys):
    found = run_cli(capsys, "search", "jotter", "--elementType", "connector", "--json").json()
    assert found["items"][0]["elementType"] == "connector" and found["items"][0]["element"]["id"] == "example"
    actions = run_cli(capsys, "action", "list", "--connectorId", "example", "--intent", "remove a note", "--limit", "2", "--json").json()["items"]
    assert actions[0]["id"] == "example.delete-note" and len(actions) == 2
    assert set(actions[0]) >= {"id", "key", "name", "description", "inputSchema", "outputSchema"}
    everywhere = run_cli(capsys, "action", "list", "--intent", "remove a note", "--limit", "3", "--json").json()["items"]
    assert (everywhere[0]["connectorId"], everywhere[0]["key"]) == ("example", "delete-note") and len(everywhere) == 3
    assert actions[0]["connectorId"] == "example"
    assert run_cli(capsys, "action", "list", "--json").code == 2  # no connector and no intent: which actions?
    ensured = run_cli(capsys, "connection", "ensure", "https://www.jotter.example/app", "--json").json()
    assert ensured["connectorId"] == "example" and ensured["sandbox"] is False


def test_sandbox_log_and_reset(tether_home, capsys):
    run_cli(capsys, "action", "run", "example.create-note", "--sandbox", "--input", '{"title": "x"}', "--json")
    log = run_cli(capsys, "sandbox", "log", "example", "--json").json()["items"]
    assert [(e["method"], e["path"], e["status"], e["processed"]) for e in log][-1] == ("POST", "/v1/notes", 201, True)
    assert run_cli(capsys, "sandbox", "reset", "example", "--json").json() == {"reset": ["example"]}
    assert run_cli(capsys, "sandbox", "log", "example", "--json").json()["items"] == []
    notes = run_cli(capsys, "action", "run", "example.list-notes", "--sandbox", "--json").json()["output"]["data"]
    assert [n["title"] for n in notes] == ["Welcome", "Shopping", "Ideas"]  # seeded again


def test_streamed_all_is_one_valid_document(tether_home, capsys):
    for i in range(7):
        run_cli(capsys, "action", "run", "example.create-note", "--sandbox", "--input", json.dumps({"title": f"n{i}", "tags": ["bulk"]}), "--json")
    ran = run_cli(capsys, "action", "run", "example.list-notes", "--sandbox", "--input", '{"tag": "bulk", "limit": 2, "all": true}', "--json")
    assert [n["title"] for n in ran.json()["output"]["data"]] == [f"n{i}" for i in range(7)]
