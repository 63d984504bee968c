"""What a person or an agent following the Membrane skills meets first: login, raw requests.

(Issue 17, points 3 and 4.)"""

from __future__ import annotations

import json

import pytest
from cli_runner import run_cli


@pytest.mark.parametrize("args", [("login", "--tenant"), ("login", "--tenant", "--clientName=claude"), ("login", "complete", "a1b2c3")])
def test_login_is_not_needed_and_says_what_to_do_next(tether_home, capsys, args):
    ran = run_cli(capsys, *args)
    assert ran.code == 0 and ran.err == ""
    assert ran.out.count("\n") == 1 and "needs no login" in ran.out and "tether connect --connectorId" in ran.out
    as_json = run_cli(capsys, *args, "--json").json()
    assert as_json["status"] == "not-needed"


def _journal(capsys) -> list:
    return run_cli(capsys, "sandbox", "log", "engage", "--json").json()["items"]


def test_request_body_without_method_posts_and_docs_paths_work(tether_home, capsys):
    conn = run_cli(capsys, "connect", "--connectorId", "engage", "--sandbox", "--json").json()
    # Engage's docs write /v1/users; the base URL already ends in /v1.
    made = run_cli(capsys, "request", conn["id"], "/v1/users", "-d", json.dumps({"id": "u-9", "email": "u9@example.com"}), "--json")
    assert made.code == 0, made.err
    last = _journal(capsys)[-1]
    assert last["method"] == "POST" and last["path"] == "/v1/users"
    same = run_cli(capsys, "request", conn["id"], "/users/u-9", "--json")
    assert same.json()["status"] == 200 and same.json()["body"]["email"] == "u9@example.com"
    docs = run_cli(capsys, "request", conn["id"], "/v1/users/u-9", "--json")
    assert docs.json()["body"] == same.json()["body"]


def test_request_body_with_get_is_refused_before_anything_is_sent(tether_home, capsys):
    conn = run_cli(capsys, "connect", "--connectorId", "engage", "--sandbox", "--json").json()
    before = len(_journal(capsys))
    for body in (("-d", "{}"), ("--json", "{}")):
        ran = run_cli(capsys, "request", conn["id"], "/users", "-X", "GET", *body)
        assert ran.code == 2 and ran.err.count("\n") == 1 and "-X GET takes no body" in ran.err
    assert len(_journal(capsys)) == before


def test_readme_customerio_track_path_reaches_the_endpoint_and_404_names_the_url(tether_home, capsys):
    conn = run_cli(capsys, "connect", "--connectorId", "customerio", "--sandbox", "--json").json()
    put = run_cli(capsys, "request", conn["id"], "/api/v1/customers/42", "--api", "track", "-X", "PUT", "-d", '{"email": "c42@example.com"}')
    assert put.code == 0, put.err
    missing = run_cli(capsys, "request", conn["id"], "/v1/no-such-thing", "--api", "app")
    assert missing.code == 1 and "404 for GET https://api.customer.io/v1/no-such-thing" in missing.err


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_keys_survive_an_unreachable_platform_and_connection_test_verifies_them_later(tether_home, capsys, served_sandbox):
    from tether import Client

    port = _free_port()  # nothing listens there yet
    with Client(home=tether_home, secrets_backend="file") as client:
        keys = client.sandbox_runtime("engage").credentials
    made = run_cli(capsys, "connect", "--connectorId", "engage", "--setting", f"baseUrl=http://127.0.0.1:{port}", "--input", json.dumps(keys), "--json")
    conn = made.json()
    assert made.code == 0 and conn["state"] == "CONFIGURATION_ERROR" and conn["error"]["type"] == "network_error"
    assert sorted(conn["credentials"]) == ["private_key", "public_key"] and f"tether connection test {conn['id']}" in conn["error"]["message"]
    assert keys["private_key"] not in made.out + made.err
    served_sandbox("engage", "--port", str(port))
    tested = run_cli(capsys, "connection", "test", conn["id"], "--json")
    assert tested.code == 0 and tested.json()["state"] == "READY"


def test_a_second_connect_reuses_the_connection_awaiting_credentials(tether_home, capsys):
    first = run_cli(capsys, "connect", "--connectorId", "example", "--json").json()
    second = run_cli(capsys, "connect", "--connectorId", "example", "--json").json()
    assert second["id"] == first["id"] and second["state"] == "CLIENT_ACTION_REQUIRED"
    other = run_cli(capsys, "connect", "--connectorId", "example", "--name", "second account", "--json").json()
    assert other["id"] != first["id"]
    listed = run_cli(capsys, "connection", "list", "--json").json()["items"]
    assert len(listed) == 2


def test_no_hint_puts_a_secret_on_the_command_line(tether_home, capsys):
    conn = run_cli(capsys, "connect", "--connectorId", "customerio", "--input", '{"app_api_key": "ak_0123456789"}', "--no-verify", "--json").json()
    ran = run_cli(capsys, "action", "run", "identify-customer", "--connectionId", conn["id"], "--input", '{"identifier": "42"}', "--json")
    message = ran.json()["error"]["message"]
    assert ran.code != 0 and "track_api_key" in message
    assert "--input @FILE" in message and "--input '" not in message


def test_actions_answer_to_composio_slugs_in_the_cli(tether_home, capsys):
    ran = run_cli(capsys, "action", "run", "ENGAGE_CREATE_USER", "--sandbox", "--input", '{"uid": "slug-cli", "email": "s@example.com"}', "--json")
    assert ran.code == 0 and ran.json()["output"]["uid"] == "slug-cli"
    got = run_cli(capsys, "action", "get", "ENGAGE_GET_USER", "--json").json()
    assert got["id"] == "engage.get-user"
    listed = run_cli(capsys, "action", "list", "--connectorId", "customerio", "--json").json()["items"]
    assert all(item["slug"] == ("CUSTOMERIO_" + item["key"].upper().replace("-", "_")) for item in listed)
    wrong = run_cli(capsys, "action", "get", "ENGAGE_GET_USR", "--json")
    assert wrong.code == 2 and "did you mean 'ENGAGE_GET_USER'" in wrong.json()["error"]["message"]


@pytest.mark.parametrize(
    "args, option, column",
    [
        (("action", "run", "engage.get-user", "--sandbox", "--input", "{uid: 1}"), "--input", 2),
        (("connect", "--connectorId", "engage", "--input", '{"public_key": pk}'), "--input", 16),
        (("request", "ID", "/users", "--json", '{"a": 1,}'), "--json", 9),
    ],
)
def test_a_json_error_is_one_line_naming_the_option_once_with_its_position_and_next_step(tether_home, capsys, args, option, column):
    ran = run_cli(capsys, *args)
    assert ran.code == 2 and ran.out == ""
    (line,) = ran.err.splitlines()
    assert line.startswith(f"error: {option} is not valid JSON at line 1, column {column}: ")
    assert f"{option}: {option}" not in line and line.count(f"{option} is not") == 1
    assert f"e.g. {option} '" in line and f"{option} @FILE" in line  # the next step


def test_a_json_error_in_a_file_names_the_file(tether_home, capsys, tmp_path):
    bad = tmp_path / "input.json"
    bad.write_text('{\n  "uid": "x",\n  oops\n}')
    ran = run_cli(capsys, "action", "run", "engage.get-user", "--sandbox", "--input", f"@{bad}")
    (line,) = ran.err.splitlines()
    assert ran.code == 2 and f"--input ({bad}) is not valid JSON at line 3, column 3" in line


def test_readme_names_the_example_connector_as_the_code_does():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    readme = (root / "README.md").read_text()
    section = readme.split("## Writing a connector", 1)[1].split("\n## ", 1)[0]
    pyproject = (root / "contrib" / "example" / "pyproject.toml").read_text()
    entry = pyproject.split("[project.entry-points.tether]", 1)[1].strip().splitlines()[0]
    assert f"`[project.entry-points.tether] {entry}`" in section
    for name in ("`example`", "contrib/example/", "tether-<key>"):
        assert name in section
    tests = (root / "contrib" / "example" / "tests" / "test_conformance.py").read_text()
    declared = [line.split("class ", 1)[1].split("(")[0] for line in section.splitlines() if line.startswith("class ")]
    assert declared and all(f"class {name}(" in tests for name in declared)


def test_action_list_with_an_intent_alone_searches_every_connector(tether_home, capsys):
    listed = run_cli(capsys, "action", "list", "--intent", "send an sms", "--limit", "5", "--json").json()["items"]
    assert len(listed) == 5 and listed[0]["id"] == "esputnik.send-sms" and listed[0]["inputSchema"]["type"] == "object"
    assert all(item["slug"] for item in listed)
    refused = run_cli(capsys, "action", "list")
    assert refused.code == 2 and "--intent" in refused.err and "--connectorId" in refused.err
