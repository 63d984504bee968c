"""Tables for people fit the terminal and carry a short description (issue 17, point 8)."""

from __future__ import annotations

import pytest
from cli_runner import run_cli

from tether._cli.tables import render


@pytest.mark.parametrize("width", [40, 60, 80, 100, 160])
def test_rendered_lines_never_pass_the_width(width):
    rows = [{"id": f"engage.action-{i}", "flags": ["readOnly", "idempotent"], "description": "word " * (5 + 7 * i)} for i in range(6)]
    lines = render(rows, [("id", "id"), ("flags", "flags"), ("description", "description")], width=width)
    assert max(len(line) for line in lines) <= width
    assert lines[0].startswith("ID")


def test_the_description_gives_way_before_the_id():
    rows = [{"id": "customerio.send-transactional-email", "description": "Send a transactional message to one person, from a template."}]
    lines = render(rows, [("id", "id"), ("description", "description")], width=70)
    assert lines[1].startswith("customerio.send-transactional-email  ") and lines[1].endswith("…")


@pytest.mark.parametrize("args", [("connectors",), ("action", "list", "--connectorId", "customerio"), ("connection", "list"), ("search", "user")])
@pytest.mark.parametrize("columns", ["60", "100"])
def test_cli_tables_fit_the_terminal_and_show_descriptions(tether_home, capsys, monkeypatch, args, columns):
    monkeypatch.setenv("COLUMNS", columns)
    run_cli(capsys, "connect", "--connectorId", "engage", "--sandbox", "--json")
    ran = run_cli(capsys, *args)
    lines = ran.out.splitlines()
    assert ran.code == 0 and len(lines) >= 2
    assert max(len(line) for line in lines) <= int(columns)
    header = lines[0].split()
    assert "DESCRIPTION" in header or "NOTE" in header
    as_json = run_cli(capsys, *args, "--json").json()
    assert isinstance(as_json["items"], list) and as_json["items"]
