"""Each layer of an exchange (retry, refresh on 401, redirects, one send) driven alone: the
layer under test gets a scripted ``inner`` (or a scripted runner), nothing else of the stack."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tether._errors import NetworkError, PlatformError
from tether._http import layers
from tether._http.engine import Session, StaticCredentials
from tether._http.messages import Answer, AnswerLost, answer_of, parse
from tether._http.ops import Send, Sleep
from tether._http.retry import RetryPolicy
from tether._models import Connection
from tether._plugins import get_plugins
from tether._registry import Registry
from tether._wire import Request

BASE = "https://api.jotter.example/v1"


def drive(ops: Any, answers: list[Any] | None = None) -> tuple[Any, list[Any]]:
    """Run ``ops`` as a runner would: each Send gets the next scripted answer; the ops yielded and the result."""
    seen, value = [], None
    while True:
        try:
            op = ops.send(value)
        except StopIteration as stop:
            return stop.value, seen
        seen.append(op)
        value = answers.pop(0) if isinstance(op, Send) else None


def scripted(x: layers.Exchange, outcomes: list[Any], calls: list[Any]) -> Any:
    """An ``inner`` layer answering each call with the next outcome, noting where it was sent."""

    def inner() -> Any:
        calls.append((x.method, str(x.url), x.body, dict(x.base_headers)))
        return outcomes.pop(0)
        yield  # a generator, as every layer is

    return inner


def answer(status: int, url: str = BASE + "/notes", **headers: str) -> Answer:
    return answer_of(status, headers, b"", parse(url))


@pytest.fixture(scope="module")
def session() -> Session:
    connector = Registry(get_plugins()).connector("example")
    conn = Connection(id="c-1", connector="example", name="layers", state="READY", sandbox=False, created_at="2026-12-02")
    registry = Registry(get_plugins())
    return Session(connector, conn, StaticCredentials({"api_key": "jk_layers_secret"}), registry.auth_kinds(),
                   policy=RetryPolicy(backoff=0.01, max_backoff=0.02))


def exchange_of(session: Session, method: str = "GET", body: bytes | None = None, **headers: str) -> layers.Exchange:
    req = Request(method, "/notes")
    api = session.connector.api(None)
    url, _, base = session._prepared(api, req)
    return layers.Exchange(req, api, None, url, body, {**base, **headers}, method, layers.origin(BASE))


# -- following_redirects ----------------------------------------------------------------------


def test_a_redirect_is_followed_to_where_it_points(session):
    x, calls = exchange_of(session), []
    inner = scripted(x, [answer(307, location="/v1/elsewhere"), answer(200)], calls)
    outcome, _ = drive(layers.following_redirects(session, x, inner))
    assert outcome.status == 200
    assert [c[1] for c in calls] == [BASE + "/notes", BASE + "/elsewhere"]
    assert not x.stripped and x.redirects == 1


def test_a_303_or_a_302_after_post_becomes_a_get_without_body(session):
    x, calls = exchange_of(session, "POST", b'{"a":1}', **{"Content-Type": "application/json"}), []
    inner = scripted(x, [answer(302, location="/v1/done"), answer(200)], calls)
    drive(layers.following_redirects(session, x, inner))
    assert calls[1][0] == "GET" and calls[1][2] is None and "Content-Type" not in calls[1][3]


def test_a_redirect_to_another_host_strips_every_credential(session):
    x, calls = exchange_of(session, **{"X-Api-Key": "jk_layers_secret"}), []
    x.auth_names = ("X-Api-Key",)
    inner = scripted(x, [answer(302, location="https://evil.example/steal"), answer(200)], calls)
    drive(layers.following_redirects(session, x, inner))
    assert x.stripped
    assert "X-Api-Key" not in calls[1][3]


def test_too_many_redirects_is_an_error(session):
    x = exchange_of(session)
    inner = scripted(x, [answer(302, location=f"/v1/r{i}") for i in range(7)], [])
    with pytest.raises(PlatformError, match="more than 5 redirects"):
        drive(layers.following_redirects(session, x, inner))


# -- refreshing -------------------------------------------------------------------------------


class Refreshable:
    refreshable = True

    def __init__(self) -> None:
        self.refreshes = 0


def fake_session(kind: Any) -> Any:
    def refresh(api: Any, k: Any, stale: Any, forced: bool) -> Any:
        kind.refreshes += 1
        return {"access_token": "new"}
        yield

    return SimpleNamespace(auth_kind=lambda api: kind, refresh=refresh, credentials=StaticCredentials({"access_token": "old"}))


def test_a_401_refreshes_once_and_sends_again(session):
    kind, x, calls = Refreshable(), exchange_of(session), []
    outcome, _ = drive(layers.refreshing(fake_session(kind), x, scripted(x, [answer(401), answer(200)], calls)))
    assert (outcome.status, kind.refreshes, len(calls)) == (200, 1, 2)


def test_a_second_401_is_the_answer(session):
    kind, x = Refreshable(), exchange_of(session)
    outcome, _ = drive(layers.refreshing(fake_session(kind), x, scripted(x, [answer(401), answer(401)], [])))
    assert (outcome.status, kind.refreshes) == (401, 1)


def test_no_refresh_once_credentials_were_stripped(session):
    kind, x = Refreshable(), exchange_of(session)
    x.stripped = True
    outcome, _ = drive(layers.refreshing(fake_session(kind), x, scripted(x, [answer(401)], [])))
    assert (outcome.status, kind.refreshes) == (401, 0)


# -- retrying ---------------------------------------------------------------------------------


def test_a_503_is_retried_after_a_sleep(session):
    x, calls = exchange_of(session), []
    response, ops = drive(layers.retrying(session, x, scripted(x, [answer(503), answer(200)], calls)))
    assert response.status == 200 and len(calls) == 2 and x.attempt == 1
    assert [type(op) for op in ops] == [Sleep]


def test_a_post_whose_answer_was_lost_is_not_retried(session):
    x, calls = exchange_of(session, "POST", b"{}"), []
    lost = AnswerLost("read timed out", "ReadTimeout")
    with pytest.raises(NetworkError, match="not idempotent"):
        drive(layers.retrying(session, x, scripted(x, [lost], calls)))
    assert len(calls) == 1


def test_a_retried_delete_that_finds_nothing_is_done(session):
    x = exchange_of(session, "DELETE")
    response, _ = drive(layers.retrying(session, x, scripted(x, [AnswerLost("lost", "ReadTimeout"), answer(404)], [])))
    assert response.status == 204 and "deleted" in response.note


# -- send_once --------------------------------------------------------------------------------


def test_one_send_carries_the_credentials(session):
    x = exchange_of(session)
    outcome, ops = drive(layers.send_once(session, x), [answer(200)])
    (send,) = [op for op in ops if isinstance(op, Send)]
    assert send.request.headers["Authorization"] == "Bearer jk_layers_secret"
    assert send.request.shown_headers()["authorization"] == "Bearer jk_layers_secret"  # as httpx sends it
    assert x.auth_names == ("Authorization",) and outcome.status == 200


def test_a_stripped_send_carries_none(session):
    x = exchange_of(session)
    x.stripped = True
    _, ops = drive(layers.send_once(session, x), [answer(200)])
    (send,) = [op for op in ops if isinstance(op, Send)]
    assert "authorization" not in send.request.shown_headers() and x.auth_names == ()
