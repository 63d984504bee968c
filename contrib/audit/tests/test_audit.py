"""The audit plugin records runs and exchanges, and never a credential."""

from __future__ import annotations

import json

import pytest

from tether._client import Client
from tether._errors import NotFoundError
from tether.testing import fast_retry


def test_audit_log_lines(tether_home, monkeypatch):
    log = tether_home / "audit.jsonl"
    monkeypatch.setenv("TETHER_AUDIT_LOG", str(log))
    with Client(home=tether_home, retry=fast_retry()) as client:
        conn = client.sandbox_connection("example")
        key = client.sandbox_runtime("example").credentials["api_key"]
        client.run("create-note", connection_id=conn.id, input={"title": "audited"})
        with pytest.raises(NotFoundError):
            client.run("get-note", connection_id=conn.id, input={"id": "missing"})
        client.request(conn.id, "/notes", params={"limit": 1})
    text = log.read_text()
    assert key not in text
    lines = [json.loads(line) for line in text.splitlines()]
    summary = [(l["event"], l.get("action"), l.get("status"), l.get("ok")) for l in lines]
    assert summary[-7:] == [
        ("action_started", "create-note", None, None),
        ("http", "create-note", 201, None),
        ("action_finished", "create-note", None, True),
        ("action_started", "get-note", None, None),
        ("http", "get-note", 404, None),
        ("action_finished", "get-note", None, False),
        ("http", None, 200, None),
    ]
    assert lines[-2]["error"] == {"type": "not_found", "status": 404}
    assert "input" not in lines[-7]


def test_off_unless_configured(tether_home, monkeypatch):
    monkeypatch.delenv("TETHER_AUDIT_LOG", raising=False)
    with Client(home=tether_home, retry=fast_retry()) as client:
        conn = client.sandbox_connection("example")
        client.run("get-note", connection_id=conn.id, input={"id": "n-1"})
    assert not list(tether_home.glob("*.jsonl"))
