"""The HTTP engine against a real loopback server: retries, Retry-After, redirects, pages."""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import socket
import time
import tracemalloc

import httpx
import pytest

from loopback_server import json_reply
from connector_plugins import plugins_with
from tether._client import AsyncClient, Client
from tether._errors import NetworkError, PlatformError, RateLimitedError
from tether._http.retry import RetryPolicy
from tether._models import Action, Api, AuthSpec, Connector, RateLimit
from tether._pages import CursorPages
from tether._wire import Request

API_KEY = "sk_loop_5b7e1c9d2f4a6e8b"
OPEN = {"type": "object", "additionalProperties": True}


def _get(inp, ctx):
    response = yield Request("GET", "/things/{id}", path_params={"id": inp["id"]})
    return response.json()


def _create(inp, ctx):
    response = yield Request("POST", "/things", json=inp)
    return response.json()


def _list(inp, ctx):
    response = yield Request("GET", "/things", params={"limit": inp.get("limit"), "cursor": inp.get("cursor")})
    return response.json()


ACTIONS = (
    Action("get-thing", "Get thing", "Fetch a thing by id.", "thing", {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}, OPEN, _get, read_only=True, idempotent=True),
    Action("create-thing", "Create thing", "Create a thing.", "thing", {"type": "object"}, OPEN, _create),
    Action(
        "list-things", "List things", "List things.", "thing",
        {"type": "object", "properties": {"limit": {"type": "integer"}, "cursor": {"type": "string"}, "all": {"type": "boolean"}}}, OPEN, _list,
        read_only=True, pages=CursorPages(items="data", next="next", param="cursor", size_param="limit", max_size=100),
    ),
)


def loop_connector(rate: RateLimit | None = None) -> Connector:
    return Connector(
        key="loop",
        name="Loop",
        description="A platform played by a loopback server.",
        apis=(
            Api(
                "default",
                "https://api.loop.example/v2",
                AuthSpec("header", {"headers": {"X-Api-Key": "api_key", "X-Account": "account"}, "secret": ["api_key"]}),
                rate_limits={"default": rate} if rate else {},
            ),
        ),
        credentials={"type": "object", "properties": {"api_key": {"type": "string", "writeOnly": True}, "account": {"type": "string"}}},
        actions=lambda: ACTIONS,
    )


FAST = RetryPolicy(max_retries=3, backoff=0.01, max_backoff=0.02, max_retry_after=5.0)
TIMEOUT = httpx.Timeout(connect=2.0, read=0.5, write=2.0, pool=2.0)


@pytest.fixture
def make_client(tmp_path):
    clients = []

    def make(server_url: str, *, rate: RateLimit | None = None, cls=Client):
        client = cls(home=tmp_path / f"h{len(clients)}", plugins=plugins_with(loop_connector(rate)), retry=FAST, timeout=TIMEOUT, secrets_backend="file")
        clients.append(client)
        pending = client.connect("loop", credentials={"api_key": API_KEY, "account": "acme"}, settings={"baseUrl": server_url}, verify=False)
        conn = asyncio.run(pending) if cls is AsyncClient else pending
        return client, conn

    yield make
    for client in clients:
        if isinstance(client, Client):
            client.close()


def test_auth_headers_and_base_url_override(loopback, make_client):
    server = loopback()
    server.handler = lambda r: json_reply(200, {"id": "t1"})
    client, conn = make_client(server.url)
    assert client.run("get-thing", connection_id=conn.id, input={"id": "a/b c"}) == {"id": "t1"}
    (seen,) = server.requests
    assert seen.path == "/v2/things/a%2Fb%20c"
    assert seen.headers["x-api-key"] == API_KEY and seen.headers["x-account"] == "acme"


def test_retry_after_seconds_is_obeyed(loopback, make_client):
    server = loopback()
    server.handler = lambda r: json_reply(429, {"error": "slow down"}, **{"Retry-After": "1"}) if len(server.requests) == 1 else json_reply(200, {"id": "t1"})
    client, conn = make_client(server.url)
    client.run("get-thing", connection_id=conn.id, input={"id": "t1"})
    first, second = server.requests
    assert second.at - first.at >= 0.95


def test_retry_after_http_date_is_obeyed(loopback, make_client):
    server = loopback()

    def handler(r):
        if len(server.requests) == 1:
            return json_reply(503, {"error": "maintenance"}, **{"Retry-After": email.utils.formatdate(time.time() + 2, usegmt=True)})
        return json_reply(200, {"id": "t1"})

    server.handler = handler
    client, conn = make_client(server.url)
    client.run("get-thing", connection_id=conn.id, input={"id": "t1"})
    first, second = server.requests
    assert second.at - first.at >= 0.9  # an HTTP date has one-second resolution


def test_429_on_post_is_retried(loopback, make_client):
    server = loopback()
    server.handler = lambda r: json_reply(429, {"error": "slow down"}) if len(server.requests) == 1 else json_reply(201, {"id": "new"})
    client, conn = make_client(server.url)
    assert client.run("create-thing", connection_id=conn.id, input={"name": "x"}) == {"id": "new"}
    assert [r.method for r in server.requests] == ["POST", "POST"]


def test_429_exhausted_is_structured(loopback, make_client):
    server = loopback()
    server.handler = lambda r: json_reply(429, {"error": "slow down"}, **{"Retry-After": "600"})
    client, conn = make_client(server.url)
    with pytest.raises(RateLimitedError) as info:
        client.run("get-thing", connection_id=conn.id, input={"id": "t1"})
    assert info.value.retry_after == 600 and info.value.to_dict()["type"] == "rate_limited"
    assert len(server.requests) == 1  # a wait beyond max_retry_after is handed to the caller


def test_post_is_not_retried_after_a_read_timeout(loopback, make_client):
    server = loopback()

    def slow(r):
        time.sleep(1.0)
        return json_reply(201, {"id": "late"})

    server.handler = slow
    client, conn = make_client(server.url)
    with pytest.raises(NetworkError) as info:
        client.run("create-thing", connection_id=conn.id, input={"name": "x"})
    time.sleep(0.6)  # a retry, had there been one, would have arrived by now
    assert len(server.requests) == 1
    assert info.value.processed is None and "not retried" in info.value.message


def test_get_is_retried_after_a_read_timeout(loopback, make_client):
    server = loopback()

    def first_slow(r):
        if len(server.requests) == 1:
            time.sleep(1.0)
        return json_reply(200, {"id": "t1"})

    server.handler = first_slow
    client, conn = make_client(server.url)
    assert client.run("get-thing", connection_id=conn.id, input={"id": "t1"}) == {"id": "t1"}
    assert len(server.requests) == 2


def test_post_is_not_retried_after_a_dropped_response(loopback, make_client):
    server = loopback()
    server.handler = lambda r: None
    client, conn = make_client(server.url)
    with pytest.raises(NetworkError) as info:
        client.run("create-thing", connection_id=conn.id, input={"name": "x"})
    assert len(server.requests) == 1 and info.value.processed is None


@pytest.mark.parametrize(("status", "method", "expected_calls"), [(503, "create-thing", 2), (502, "create-thing", 1), (502, "get-thing", 2), (504, "get-thing", 2), (500, "get-thing", 1)])
def test_which_5xx_are_retried(loopback, make_client, status, method, expected_calls):
    server = loopback()
    server.handler = lambda r: json_reply(status, {"error": "upstream"}) if len(server.requests) == 1 else json_reply(200, {"id": "ok"})
    client, conn = make_client(server.url)
    inp = {"id": "t1"} if method == "get-thing" else {"name": "x"}
    if expected_calls == 1:
        with pytest.raises(PlatformError) as info:
            client.run(method, connection_id=conn.id, input=inp)
        assert info.value.status == status and info.value.body == {"error": "upstream"}
    else:
        assert client.run(method, connection_id=conn.id, input=inp) == {"id": "ok"}
    assert len(server.requests) == expected_calls


def test_connection_refused_is_retried_then_reported_as_not_processed(make_client):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    client, conn = make_client(f"http://127.0.0.1:{port}")
    with pytest.raises(NetworkError) as info:
        client.run("create-thing", connection_id=conn.id, input={"name": "x"})
    assert info.value.processed is False and info.value.exit_code == 3
    assert "after 4 attempts" in info.value.message


def test_cross_origin_redirect_forwards_no_auth_header(loopback, make_client):
    elsewhere, home = loopback(), loopback()
    elsewhere.handler = lambda r: json_reply(200, {"id": "moved"})
    home.handler = lambda r: (302, {"Location": elsewhere.url + "/landing"}, b"")
    client, conn = make_client(home.url)
    assert client.run("get-thing", connection_id=conn.id, input={"id": "t1"}) == {"id": "moved"}
    (landed,) = elsewhere.requests
    assert landed.path == "/landing"
    assert "x-api-key" not in landed.headers and "x-account" not in landed.headers and "authorization" not in landed.headers
    assert home.requests[0].headers["x-api-key"] == API_KEY


def test_same_origin_redirect_keeps_auth(loopback, make_client):
    server = loopback()
    server.handler = lambda r: (307, {"Location": "/v2/things/new-home"}, b"") if len(server.requests) == 1 else json_reply(200, {"id": "t1"})
    client, conn = make_client(server.url)
    client.run("get-thing", connection_id=conn.id, input={"id": "t1"})
    assert server.requests[1].path == "/v2/things/new-home" and server.requests[1].headers["x-api-key"] == API_KEY


def _pages_handler(total: int, payload: str):
    def handler(r):
        query = dict(httpx.QueryParams(r.path.partition("?")[2]))
        start, limit = int(query.get("cursor", 0)), int(query["limit"])
        items = [{"id": i, "payload": payload} for i in range(start, min(start + limit, total))]
        nxt = start + limit if start + limit < total else None
        return json_reply(200, {"data": items, "next": nxt})

    return handler


def test_ten_thousand_items_in_constant_memory(loopback, make_client):
    server = loopback()
    server.handler = _pages_handler(10_000, "x" * 1000)  # ~10 MB in all, 100 KB a page
    client, conn = make_client(server.url)
    tracemalloc.start()
    seen, expected = 0, 0
    for item in client.paginate("list-things", connection_id=conn.id):
        assert item["id"] == expected
        expected += 1
        seen += 1
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert seen == 10_000 and len(server.requests) == 100
    assert peak < 3_000_000, f"peak {peak} bytes: pages are being accumulated"


def test_pacing_spreads_requests(loopback, make_client):
    server = loopback()
    server.handler = lambda r: json_reply(200, {"id": "t"})
    client, conn = make_client(server.url, rate=RateLimit(4, 1.0))
    for i in range(9):
        client.run("get-thing", connection_id=conn.id, input={"id": str(i)})
    # At most 4 starts in any one-second window: the 9th cannot start before 2 s have passed.
    # Arrival times lag the paced starts by a connection set-up that a loaded machine makes
    # long, so the bound has slack (unpaced, all nine arrive within ~0.1 s); the exact
    # schedule is checked with a fake clock in test_retry_pacing.py.
    assert server.requests[8].at - server.requests[0].at >= 1.5


def test_debug_log_masks_credentials(loopback, make_client, caplog):
    server = loopback()
    server.handler = lambda r: json_reply(200, {"echo": API_KEY})
    client, conn = make_client(server.url)
    with caplog.at_level(logging.DEBUG, logger="tether"):
        client.run("get-thing", connection_id=conn.id, input={"id": "t1"})
    text = "\n".join(r.getMessage() for r in caplog.records)
    from tether._redact import redact

    assert "→ GET" in text and API_KEY not in redact(text)
    assert "x-api-key" in text.lower()


def test_async_client_retries_the_same_way(loopback, make_client):
    server = loopback()
    server.handler = lambda r: json_reply(429, {"error": "slow"}) if len(server.requests) == 1 else _pages_handler(250, "y")(r)

    client, conn = make_client(server.url, cls=AsyncClient)

    async def go():
        items = [item async for item in client.paginate("list-things", connection_id=conn.id, input={"limit": 100})]
        await client.aclose()
        return items

    items = asyncio.run(go())
    assert [i["id"] for i in items] == list(range(250))
    assert len(server.requests) == 4  # one 429, then three pages


def test_platform_error_carries_status_and_body(loopback, make_client):
    server = loopback()
    server.handler = lambda r: json_reply(422, {"message": "name is taken"})
    client, conn = make_client(server.url)
    result = client.execute("create-thing", connection_id=conn.id, input={"name": "x"})
    assert not result.ok
    assert result.to_dict() == {"error": {"type": "platform_error", "message": "Loop answered 422: name is taken", "status": 422, "details": {"body": {"message": "name is taken"}}}}
    assert json.loads(json.dumps(result.to_dict()))  # JSON-safe
