"""`--json` prints exactly one line on stdout, one JSON document, for every command that takes
it (plugin commands included), each run for real on the sandbox; errors too."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import click
import pytest

from cli_runner import run_cli
from tether._client import Client


def json_commands() -> list[tuple[str, ...]]:
    """Every leaf command with a --json option, found by walking the CLI (plugins included)."""
    from tether._cli import cli

    found = []

    def walk(group: click.Group, path: tuple[str, ...], ctx: click.Context) -> None:
        for name in group.list_commands(ctx):
            command = group.get_command(ctx, name)
            if isinstance(command, click.Group):
                walk(command, (*path, name), ctx)
            elif any("--json" in p.opts for p in command.params):
                found.append((*path, name))

    walk(cli, (), click.Context(cli))
    return sorted(found)


SCENARIOS = {
    ("search",): ["search", "notes", "--json"],
    ("connectors",): ["connectors", "--json"],
    ("plugins",): ["plugins", "--json"],
    ("login",): ["login", "--json"],
    ("connect",): ["connect", "--connectorId", "example", "--sandbox", "--json"],
    ("connection", "list"): ["connection", "list", "--json"],
    ("connection", "get"): ["connection", "get", "{id}", "--json"],
    ("connection", "ensure"): ["connection", "ensure", "jotter.example", "--json"],
    ("connection", "update"): ["connection", "update", "{id}", "--json"],
    ("connection", "test"): ["connection", "test", "{id}", "--json"],
    ("connection", "delete"): ["connection", "delete", "{other}", "--json"],
    ("action", "list"): ["action", "list", "--connectorId", "example", "--intent", "write a note", "--json"],
    ("action", "get"): ["action", "get", "example.create-note", "--json"],
    ("action", "run"): ["action", "run", "example.create-note", "--sandbox", "--input", '{"title": "one line"}', "--json"],
    ("request",): ["request", "{id}", "/notes", "--json"],
    ("sandbox", "reset"): ["sandbox", "reset", "example", "--json"],
    ("sandbox", "log"): ["sandbox", "log", "example", "--json"],
    ("sandbox", "credentials"): ["sandbox", "credentials", "example", "--json"],
    ("bulk", "run"): ["bulk", "run", "example.create-note", "--sandbox", "--input", "{records}", "--json"],
    ("bulk", "list"): ["bulk", "list", "--json"],
    ("bulk", "status"): ["bulk", "status", "{job}", "--json"],
    ("bulk", "resume"): ["bulk", "resume", "{job}", "--json"],
}
SERVED = {("sandbox", "serve")}  # runs until stopped: checked in a subprocess below
JSON_LINES = {("bulk", "results")}  # one JSON document per record, by design: checked below
EXTRA = [  # more shapes of output: streamed pages, and errors
    ["action", "run", "example.list-notes", "--sandbox", "--input", '{"all": true}', "--json"],
    ["action", "run", "example.create-note", "--sandbox", "--input", '{"title": ""}', "--json"],
    ["action", "run", "example.get-note", "--sandbox", "--input", '{"id": "missing"}', "--json"],
    ["connection", "get", "no-such-connection", "--json"],
    ["request", "{id}", "/notes", "-X", "GET /x HTTP/1.1", "--json"],
]


def test_every_json_command_has_a_scenario():
    assert set(json_commands()) == set(SCENARIOS) | SERVED | JSON_LINES


@pytest.fixture
def ids(tether_home):
    records = tether_home / "records.jsonl"
    records.write_text('{"title": "first"}\n{"title": "second"}\n')
    with Client(home=tether_home, secrets_backend="file") as client:
        conn = client.sandbox_connection("example")
        other = client.connect("example", sandbox=True, name="spare")
        job = client.bulk("create-note", connection_id=conn.id, records=records.read_text().splitlines())
        list(job)
    return {"id": conn.id, "other": other.id, "records": str(records), "job": job.job_id}


def test_bulk_results_prints_one_json_document_per_record(ids, capsys):
    ran = run_cli(capsys, "bulk", "results", ids["job"], "--json")
    lines = ran.out.splitlines()
    assert ran.code == 0 and len(lines) == 2
    assert [json.loads(line)["line"] for line in lines] == [1, 2]


@pytest.mark.parametrize("args", [*SCENARIOS.values(), *EXTRA], ids=lambda a: " ".join(a[:3]))
def test_exactly_one_line_of_json(args, ids, capsys):
    ran = run_cli(capsys, *(ids.get(a[1:-1], a) for a in args))
    assert ran.out.endswith("\n") and ran.out.count("\n") == 1, ran.out
    document = json.loads(ran.out)
    assert ("error" in document) is (ran.code != 0), (ran.code, ran.err)


def test_sandbox_serve_prints_one_line(tether_home):
    env = {**os.environ, "TETHER_HOME": str(tether_home), "TETHER_SECRETS_BACKEND": "file"}
    proc = subprocess.Popen([sys.executable, "-m", "tether", "sandbox", "serve", "example", "--json"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline()
        assert json.loads(first)["url"].startswith("http://127.0.0.1:")
    finally:
        proc.terminate()
        rest, _ = proc.communicate(timeout=10)
    assert rest == ""
