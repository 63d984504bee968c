"""The connector kit: declarative actions, pages at the action level, job polling,
concurrency caps, and the sandbox toolkit — exercised through a tiny connector written only
with ``tether.connector``."""

from __future__ import annotations

import threading
import time

import pytest
from connector_plugins import plugins_with

from tether.connector import (
    PENDING,
    REST,
    Action,
    Api,
    AuthSpec,
    Connector,
    CursorPages,
    JobTimeout,
    OffsetPages,
    Reply,
    Request,
    Sandbox,
    all_flag,
    header_auth,
    input_object,
    integer,
    obj,
    poll_job,
    rest,
    same_secret,
    string,
)
from tether.testing import fast_retry

OPEN = {"type": "object"}

SANDBOX = Sandbox(
    "kit",
    credentials=lambda token: {"account": "acc-1", "key": "k_" + token(8)},
    auth=header_auth({"X-Account": "account", "X-Key": "key"}, Reply(401, {"error": "bad credentials"})),
)


@SANDBOX.route("POST", "/v1/things")
def _create(req, ctx):
    body = req.parsed()
    thing = {"id": f"t{ctx.next_id('thing')}", **body}
    return Reply(201, ctx.collection("things").put(thing["id"], thing))


@SANDBOX.route("GET", "/v1/things")
def _list(req, ctx):
    limit = int(req.query.get("size", 10))
    items, more, _ = ctx.collection("things").page(after=req.query.get("after"), limit=limit)
    # The platform's page is bare; the total comes in a header, as ESputnik's TotalCount does.
    return Reply(200, {"rows": items, "more": more}, {"X-Total": str(ctx.collection("things").count())})


@SANDBOX.route("GET", "/v1/offset-things")
def _offset(req, ctx):
    start, size = int(req.query.get("start", 1)), int(req.query.get("size", 10))
    things = ctx.collection("things")
    return Reply(200, things.slice(start - 1, size), {"X-Total": str(things.count())})


@SANDBOX.route("POST", "/v1/jobs")
def _job(req, ctx):
    job_id = ctx.next_id("job")
    ctx.collection("jobs").put(str(job_id), {"id": job_id, "polls": 0, "needs": int(req.parsed().get("needs", 2))})
    return {"id": job_id, "state": "running"}


@SANDBOX.route("GET", "/v1/jobs/{id}")
def _job_state(req, ctx):
    job = ctx.collection("jobs").get(req.path_params["id"])
    job["polls"] += 1
    ctx.collection("jobs").put(str(job["id"]), job)
    return {"id": job["id"], "state": "done" if job["polls"] >= job["needs"] else "running", "result": 42}


def _read_page(response, inp):
    # What the action does to every page: rename and add the header's total.
    body = response.json()
    return {"things": body["rows"], "next": body["rows"][-1]["id"] if body["more"] else None, "total": int(response.header("X-Total"))}


def _wait_job(inp, ctx):
    started = yield Request("POST", "/jobs", json={"needs": inp.get("needs", 2)})
    job = started.json()
    return (
        yield from poll_job(
            lambda: Request("GET", "/jobs/{id}", path_params={"id": job["id"]}),
            state=lambda r: PENDING if r.json()["state"] == "running" else r.json(),
            timeout=inp.get("timeout", 5),
            job_id=job["id"],
            resume="ask again",
        )
    )


THING = obj({"id": string("Id.")}, "A thing.")
ACTIONS = (
    Action("create-thing", "Create thing", "Create a thing from a name.", "thing",
           input_object({"name": string("Name."), "color": string("Color.")}, ("name",)), THING,
           rest("POST", "/things", body=REST), examples=({"name": "a"},)),
    Action("list-things", "List things", "List things a page at a time.", "thing",
           input_object({"size": integer("Page size.", minimum=1, maximum=5), "after": string("Cursor."), "all": all_flag()}),
           obj({"things": {"type": "array", "items": THING, "description": "Things."}}, "A page."),
           rest("GET", "/things", query=("size", "after"), read=_read_page),
           read_only=True, pages=CursorPages(items="things", next="next", param="after", size_param="size", max_size=5)),
    Action("offset-things", "Offset things", "List things by 1-based start index.", "thing",
           input_object({"start": integer("First row, 1-based.", minimum=1), "size": integer("Rows.", minimum=1), "all": all_flag()}),
           obj({"rows": {"type": "array", "items": THING, "description": "Rows."}}, "A page."),
           rest("GET", "/offset-things", query=("start", "size"), read=lambda r, inp: {"rows": r.json(), "total": int(r.header("X-Total"))}),
           read_only=True, pages=OffsetPages(items="rows", param="start", size_param="size", start=1, total="total", max_size=4)),
    Action("wait-job", "Wait job", "Start a job and wait for it.", "job",
           input_object({"needs": integer("Polls needed."), "timeout": integer("Seconds.")}), OPEN, _wait_job),
)

CONNECTOR = Connector(
    key="kit",
    name="Kit",
    description="A platform written with the connector kit.",
    apis=(Api("default", "https://api.kit.example/v1", AuthSpec("header", {"headers": {"X-Account": "account", "X-Key": "key"}, "secret": ["key"]})),),
    credentials={"type": "object", "properties": {"account": {"type": "string"}, "key": {"type": "string", "writeOnly": True}}},
    actions=lambda: ACTIONS,
    sandbox=lambda: SANDBOX,
)


@pytest.fixture
def kit(tmp_path):
    from tether import Client

    client = Client(home=tmp_path / "home", plugins=plugins_with(CONNECTOR), retry=fast_retry(), secrets_backend="file")
    conn = client.sandbox_connection("kit")
    yield client, conn
    client.close()


def test_rest_sends_the_declared_parts(kit):
    client, conn = kit
    thing = client.run("create-thing", connection_id=conn.id, input={"name": "a", "color": "red"})
    assert thing == {"id": "t1", "name": "a", "color": "red"}
    runtime = client.sandbox_runtime("kit")
    (entry,) = runtime.journal()
    assert (entry["method"], entry["path"]) == ("POST", "/v1/things")


def test_streaming_applies_the_actions_own_shaping_to_every_page(kit):
    client, conn = kit
    for i in range(12):
        client.run("create-thing", connection_id=conn.id, input={"name": f"n{i}"})
    page = client.run("list-things", connection_id=conn.id, input={"size": 5})
    assert [t["id"] for t in page["things"]] == ["t1", "t2", "t3", "t4", "t5"] and page["total"] == 12
    every = client.run("list-things", connection_id=conn.id, input={"all": True})
    assert [t["id"] for t in every["things"]] == [f"t{i}" for i in range(1, 13)]
    assert [t["id"] for t in client.paginate("offset-things", connection_id=conn.id)] == [f"t{i}" for i in range(1, 13)]
    # The offset style stops at the total read from the header: 12 rows at 4 a page is 3 requests.
    before = client.sandbox_runtime("kit").last_seq()
    client.run("offset-things", connection_id=conn.id, input={"all": True})
    assert len(client.sandbox_runtime("kit").journal(after=before)) == 3


def test_poll_job_waits_until_done(kit):
    client, conn = kit
    assert client.run("wait-job", connection_id=conn.id, input={"needs": 3})["result"] == 42
    polls = [e for e in client.sandbox_runtime("kit").journal() if e["method"] == "GET"]
    assert len(polls) == 3


def test_poll_job_times_out_with_the_job_id(kit):
    client, conn = kit
    with pytest.raises(JobTimeout) as info:
        client.run("wait-job", connection_id=conn.id, input={"needs": 10_000, "timeout": 0})
    assert info.value.job_id == 1 and info.value.to_dict()["details"]["resume"] == "ask again"
    assert info.value.to_dict()["type"] == "job_timeout"


def test_poll_job_backs_off_and_stops_at_the_deadline():
    clock = [0.0]
    waits = []
    gen = poll_job(lambda: Request("GET", "/j"), state=lambda r: PENDING, timeout=10, job_id=7, clock=lambda: clock[0])
    op = next(gen)
    with pytest.raises(JobTimeout):
        while True:
            if isinstance(op, Request):
                op = gen.send(_pending_response())
            else:
                waits.append(op.seconds)
                clock[0] += op.seconds
                op = gen.send(None)
    assert waits[0] == 0.5 and all(b >= a for a, b in zip(waits[:-1], waits[1:-1])) and sum(waits) == pytest.approx(10)


def _pending_response():
    from tether.connector import Response

    return Response(200, {}, b'{"state": "running"}')


def test_header_auth_refuses_and_compares_every_header(kit):
    client, conn = kit
    runtime = client.sandbox_runtime("kit")
    creds = runtime.credentials
    good = {"x-account": creds["account"], "x-key": creds["key"]}
    check = SANDBOX.default_auth
    from tether.connector import SandboxRequest

    ctx = runtime._context(runtime._db, None, None)
    assert check(SandboxRequest("GET", "h", "/v1/things", headers=good), ctx) is None
    assert check(SandboxRequest("GET", "h", "/v1/things", headers={**good, "x-key": "k_wrong"}), ctx).status == 401
    assert check(SandboxRequest("GET", "h", "/v1/things", headers={"x-key": creds["key"]}), ctx).status == 401
    assert same_secret("a", "a") and not same_secret("a", "b") and not same_secret(None, "a")


def test_a_concurrency_cap_is_shared_by_every_client_in_the_process(loopback, tmp_path):
    from tether import Client

    in_flight, peak, lock = [0], [0], threading.Lock()

    def slow(recorded):
        with lock:
            in_flight[0] += 1
            peak[0] = max(peak[0], in_flight[0])
        time.sleep(0.05)
        with lock:
            in_flight[0] -= 1
        return 200, {"Content-Type": "application/json"}, b'{"id": "t"}'

    server = loopback()
    server.handler = slow
    capped = Connector(
        key="capped", name="Capped", description="A platform allowing 3 requests in flight.",
        apis=(Api("default", "https://api.capped.example/v1", AuthSpec("bearer", {"token": "key"}), concurrency={"default": 3}),),
        credentials={"type": "object", "properties": {"key": {"type": "string", "writeOnly": True}}},
        actions=lambda: (Action("get-thing", "Get", "Get a thing by id.", "thing",
                                input_object({"id": string("Id.")}), OPEN, rest("GET", "/things/{id}"), read_only=True),),
    )
    client = Client(home=tmp_path / "h", plugins=plugins_with(capped), retry=fast_retry(), secrets_backend="file")
    conn = client.connect("capped", credentials={"key": "k"}, settings={"baseUrl": server.url}, verify=False)
    threads = [threading.Thread(target=client.run, args=("get-thing",), kwargs={"connection_id": conn.id, "input": {"id": str(i)}}) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.close()
    assert len(server.requests) == 12
    assert peak[0] == 3


def test_collection_pages_read_only_their_window(tmp_path):
    import sqlite3

    from tether.connector import Collection

    db = sqlite3.connect(":memory:")
    from tether._sandbox.state import SCHEMA

    db.executescript(SCHEMA)
    things = Collection(db, "things")
    for i in range(50):
        things.put(f"id{i}", {"id": f"id{i}", "even": i % 2 == 0})
    items, more_after, more_before = things.page(limit=5)
    assert [d["id"] for d in items] == [f"id{i}" for i in range(5)] and more_after and not more_before
    items, more_after, more_before = things.page(after="id4", limit=5)
    assert [d["id"] for d in items] == [f"id{i}" for i in range(5, 10)] and more_after and more_before
    items, more_after, more_before = things.page(before="id5", limit=3)
    assert [d["id"] for d in items] == ["id2", "id3", "id4"] and more_after and more_before
    items, more_after, _ = things.page(after="id44", limit=10)
    assert [d["id"] for d in items] == [f"id{i}" for i in range(45, 50)] and not more_after
    assert [d["id"] for d in things.page(limit=3, match={"even": True})[0]] == ["id0", "id2", "id4"]
    assert things.count(match={"even": False}) == 25
    assert [d["id"] for d in things.slice(48, 10)] == ["id48", "id49"]
    assert things.page(after="gone", limit=3) == ([], False, False)
    # Only the window (and one more row) is decoded: count the JSON bodies SQLite hands back.
    decoded = []
    db.set_trace_callback(decoded.append)
    things.page(after="id10", limit=5)
    db.set_trace_callback(None)
    reads = [sql for sql in decoded if "SELECT seq, body" in sql]
    assert reads and all("LIMIT" in sql for sql in reads), decoded


def test_served_sandbox_fixture_raises_with_tethers_message(served_sandbox):
    with pytest.raises(RuntimeError, match=r"connector 'nosuch' is not installed.*tether-nosuch"):
        served_sandbox("nosuch")


def test_running_an_action_of_a_missing_connector_names_its_distribution(tether_cli):
    code, out, err = tether_cli("action", "run", "acmecrm.get-events", "--sandbox", "--json")
    assert code == 2
    assert "tether-acmecrm" in out + err


def test_the_public_kit_module_is_complete_and_lazy():
    import subprocess
    import sys

    import tether.connector as kit

    for name in kit.__all__:
        assert getattr(kit, name) is not None, name
    # A plugin module imports tether.connector at start-up: that must not load the kit's modules.
    probe = "import sys, tether.connector; print(sorted(m for m in sys.modules if m.startswith(('tether.', 'attrs', 'httpx'))))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "['tether.connector']", loaded


def test_the_template_and_the_readme_use_only_the_public_kit():
    import ast
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    imported = set()
    for path in (root / "contrib" / "example" / "tether_example").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "tether":
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(a.name for a in node.names if a.name.split(".")[0] == "tether")
    assert imported == {"tether.connector"}, imported
    readme = (root / "README.md").read_text()
    section = readme[readme.index("## Writing a connector") : readme.index("## Plugin hooks")]
    internal = set(re.findall(r"tether\.(?!connector\b|testing\b)[a-z_]+", section))
    assert not internal, f"'Writing a connector' points authors at internal modules: {internal}"


def test_basic_auth_with_a_fixed_user_name_needs_only_the_password():
    import base64

    from tether._auth import BasicAuth

    kind, params = BasicAuth(), {"username_value": "user", "password": "api_key"}
    assert kind.fields(params) == ("api_key",)
    header = kind.headers(params, {"api_key": "k-123"})["Authorization"]
    assert base64.b64decode(header.split()[1]) == b"user:k-123"


def test_a_sandbox_made_by_an_earlier_state_version_is_reset_keeping_its_keys(tmp_path):
    from tether import Client

    home = tmp_path / "home"
    with Client(home=home, plugins=plugins_with(CONNECTOR), retry=fast_retry(), secrets_backend="file") as client:
        conn = client.sandbox_connection("kit")
        client.run("create-thing", connection_id=conn.id, input={"name": "old shape"})
        keys = client.sandbox_runtime("kit").credentials
    SANDBOX.state_version = 2
    try:
        with Client(home=home, plugins=plugins_with(CONNECTOR), retry=fast_retry(), secrets_backend="file") as client:
            runtime = client.sandbox_runtime("kit")
            assert runtime.collection("things") == [] and runtime.credentials == keys
            client.run("create-thing", connection_id=conn.id, input={"name": "new shape"})
        with Client(home=home, plugins=plugins_with(CONNECTOR), retry=fast_retry(), secrets_backend="file") as client:
            assert [t["name"] for t in client.sandbox_runtime("kit").collection("things")] == ["new shape"]
    finally:
        SANDBOX.state_version = 1


def test_rest_names_an_absent_path_input_and_sends_nothing():
    from tether.connector import RunContext, ValidationError

    run = rest("GET", "/things/{id}")
    with pytest.raises(ValidationError) as info:
        next(run({}, RunContext("kit", "get-thing")))
    assert info.value.path == "input.id" and "/things/{id}" in info.value.message


def test_collection_writes_and_reads_many_as_one_at_a_time_would(tmp_path):
    import sqlite3

    from tether.connector import Collection

    from tether._sandbox.state import SCHEMA, next_counter

    db = sqlite3.connect(":memory:")
    db.executescript(SCHEMA)
    things = Collection(db, "things")
    things.put("a", {"v": 1})
    things.put("b", {"v": 2})
    things.put_many([("c", {"v": 3}), ("a", {"v": 10}), ("d", {"v": 4})])  # a replaced in place, c and d appended
    assert list(things) == [{"v": 10}, {"v": 2}, {"v": 3}, {"v": 4}]
    assert things.get_many(["d", "a", "zz", "a"]) == {"d": {"v": 4}, "a": {"v": 10}}
    assert things.get_many(f"k{i}" for i in range(1200)) == {}  # more ids than one statement takes
    assert next_counter(db, "n") == 1 and next_counter(db, "n", count=5) == 2 and next_counter(db, "n") == 7
