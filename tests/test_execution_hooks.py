"""Execution hooks: plugins observe, answer or refuse action runs and HTTP exchanges."""

from __future__ import annotations

import asyncio

import pytest

from tether import hookimpl
from tether._client import AsyncClient, Client
from tether._errors import NotFoundError, PolicyError, ValidationError
from tether._plugins import Plugins
from tether.testing import fast_retry
from tether._wire import Response


class Audit:
    __name__ = "test-audit"

    def __init__(self):
        self.events = []

    @hookimpl
    def action_started(self, run):
        self.events.append(("started", run.connector, run.action, dict(run.input)))

    @hookimpl
    def action_finished(self, run, output, error):
        self.events.append(("finished", run.action, output is not None, type(error).__name__ if error else None))

    @hookimpl
    def http_request(self, run, exchange):
        self.events.append(("http", exchange.method, exchange.url, exchange.headers.get("authorization")))

    @hookimpl
    def http_response(self, run, exchange, status, elapsed):
        self.events.append(("status", status))


class DryRunWrites:
    """Answers every non-GET request itself: nothing that changes state is sent."""

    __name__ = "dry-run"

    @hookimpl
    def http_request(self, run, exchange):
        if exchange.method != "GET":
            return Response(201, {"Content-Type": "application/json"}, b'{"id": "dry", "title": "dry", "body": "", "tags": [], "created_at": 0}')
        return None


class NoDeletes:
    __name__ = "no-deletes"

    @hookimpl
    def action_started(self, run):
        if run.action.startswith("delete-"):
            raise PolicyError(f"{run.action} is not allowed here")


def client_with(home, *plugins):
    return Client(home=home, plugins=Plugins(plugins), retry=fast_retry(), secrets_backend="file")


def test_audit_sees_runs_and_exchanges_without_credentials(tmp_path):
    audit = Audit()
    with client_with(tmp_path, audit) as client:
        conn = client.sandbox_connection("example")
        key = client.sandbox_runtime("example").credentials["api_key"]
        client.run("get-note", connection_id=conn.id, input={"id": "n-1"})
        with pytest.raises(NotFoundError):
            client.run("get-note", connection_id=conn.id, input={"id": "missing"})
    runs = [e for e in audit.events if e[0] in ("started", "finished")]
    assert runs == [
        ("started", "example", "get-note", {"id": "n-1"}),
        ("finished", "get-note", True, None),
        ("started", "example", "get-note", {"id": "missing"}),
        ("finished", "get-note", False, "PlatformNotFoundError"),
    ]
    http = [e for e in audit.events if e[0] == "http"]
    assert ("http", "GET", "https://api.jotter.example/v1/notes/n-1", "***") in http
    assert key not in repr(audit.events)
    assert ("status", 404) in audit.events


def test_a_plugin_can_answer_requests_itself(tmp_path):
    with client_with(tmp_path, DryRunWrites()) as client:
        conn = client.sandbox_connection("example")
        runtime = client.sandbox_runtime("example")
        before = runtime.last_seq()
        assert client.run("create-note", connection_id=conn.id, input={"title": "real?"})["id"] == "dry"
        assert runtime.journal(after=before) == []  # never reached the platform
        assert client.run("get-note", connection_id=conn.id, input={"id": "n-1"})["title"] == "Welcome"


def test_a_policy_plugin_refuses_before_anything_is_sent(tmp_path):
    with client_with(tmp_path, NoDeletes()) as client:
        conn = client.sandbox_connection("example")
        runtime = client.sandbox_runtime("example")
        before = runtime.last_seq()
        with pytest.raises(PolicyError, match="delete-note is not allowed"):
            client.run("delete-note", connection_id=conn.id, input={"id": "n-1"})
        assert runtime.journal(after=before) == []
        assert client.run("get-note", connection_id=conn.id, input={"id": "n-1"})["id"] == "n-1"


def test_async_client_same_verbs(tmp_path):
    async def go():
        async with AsyncClient(home=tmp_path, retry=fast_retry(), secrets_backend="file") as client:
            conn = await client.sandbox_connection("example")
            made = await client.run("example.create-note", connection_id=conn.id, input={"title": "async"})
            got = await client.run("get-note", connection_id=conn.id, input={"id": made["id"]})
            every = await client.run("list-notes", connection_id=conn.id, input={"all": True, "limit": 1})
            raw = await client.request(conn.id, "/notes/{id}", path_params={"id": made["id"]})
            bad = await client.execute("get-note", connection_id=conn.id, input={"id": 1})
            tested = await client.test_connection(conn.id)
            return made, got, every, raw, bad, tested

    made, got, every, raw, bad, tested = asyncio.run(go())
    assert got == made and raw.status == 200 and raw.json() == made
    assert [n["title"] for n in every["data"]] == ["Welcome", "Shopping", "Ideas", "async"]
    assert isinstance(bad.error, ValidationError) and tested.state == "READY"


def test_strict_checks_output_against_the_schema(tmp_path):
    import attrs

    from connector_plugins import plugins_with
    from tether._errors import ConfigurationError
    from tether_example.actions import ACTIONS
    from tether_example.connector import CONNECTOR
    from tether_example.sandbox import SANDBOX

    def sloppy(inp, ctx):
        yield from ()
        return {"id": 42}  # the schema wants a string and more fields

    actions = tuple(attrs.evolve(a, run=sloppy) if a.key == "get-note" else a for a in ACTIONS)
    connector = attrs.evolve(CONNECTOR, actions=lambda: actions, sandbox=lambda: SANDBOX)
    for strict in (False, True):
        with Client(home=tmp_path / str(strict), plugins=plugins_with(connector), retry=fast_retry(), secrets_backend="file", strict=strict) as client:
            conn = client.sandbox_connection("example")
            if strict:
                with pytest.raises(ConfigurationError, match="get-note returned output that breaks its own schema: output"):
                    client.run("get-note", connection_id=conn.id, input={"id": "n-1"})
            else:
                assert client.run("get-note", connection_id=conn.id, input={"id": "n-1"}) == {"id": 42}


class Switchable(Audit):
    """An observer that says whether it has work to do (as the audit plugin does without its file)."""

    __name__ = "switchable"

    def __init__(self):
        super().__init__()
        self.idle = True

    def tether_idle(self):
        return self.idle


def test_an_idle_plugin_is_not_called_and_a_busy_one_is(tmp_path):
    observer = Switchable()
    with client_with(tmp_path, observer) as client:
        conn = client.sandbox_connection("example")
        client.run("list-notes", connection_id=conn.id, input={})
        assert observer.events == []
        observer.idle = False
        client.run("list-notes", connection_id=conn.id, input={})
    assert [event[0] for event in observer.events] == ["started", "http", "status", "finished"]
