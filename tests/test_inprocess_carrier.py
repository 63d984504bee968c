"""The engine reaches an in-process sandbox without httpx (its carrier hands tether's own
request to the runtime), and behaves exactly as a plain httpx client on the sandbox's httpx
transport: the same request reaches the sandbox, a request a server refuses is answered 400,
and every fault comes back as the failure httpx would raise."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from typing import Any

import anyio
import httpx
import pytest
from tether._http.messages import Answer, AnswerLost, ConnectFailed, Outgoing, TransportFailure, parse
from tether._http.retry import rule_for
from tether._sandbox.inprocess import AsyncInProcessCarrier, InProcessCarrier
from tether._sandbox.transport import SandboxTransport

BASE = "https://api.jotter.example/v1"


def spied(runtime: Any) -> list[Any]:
    """The requests ``runtime`` handles, as it reads them."""
    seen: list[Any] = []
    real = runtime.handle

    def handle(req: Any) -> Any:
        seen.append(req)
        return real(req)

    runtime.handle = handle
    return seen


def both_ways(runtime: Any, method: str, url: str, headers: dict[str, str], body: bytes | None, timeout: Any = None) -> tuple[Any, Any]:
    """The same request through the engine's carrier and through an httpx client on the httpx
    transport (as the engine used to send it: no client defaults added): what each observed."""
    ours = InProcessCarrier(runtime, timeout).send(Outgoing(method, parse(url), dict(headers), body))
    with httpx.Client(transport=SandboxTransport(runtime), timeout=timeout if timeout is not None else 30.0) as http:
        try:
            theirs: Any = http.send(httpx.Request(method, url, headers=headers, content=body))  # as the engine sent it
        except httpx.TransportError as exc:
            theirs = exc
    return ours, theirs


def test_the_sandbox_reads_the_same_request_either_way(tether_client):
    runtime = tether_client.sandbox_runtime("example")
    auth = {"Authorization": f"Bearer {runtime.credentials['api_key']}", "Accept": "application/json"}
    seen = spied(runtime)
    cases = [
        ("GET", BASE + "/notes?limit=2&tag=todo", auth, None),
        ("POST", BASE + "/notes", {**auth, "Content-Type": "application/json"}, b'{"title": "t"}'),
        ("POST", BASE + "/notes", auth, None),  # an empty POST: Content-Length 0, as httpx sends it
        ("DELETE", BASE + "/notes/none", {**auth, "accept": "text/plain"}, None),  # a repeated header, joined; a 404
    ]
    for method, url, headers, body in cases:
        ours, theirs = both_ways(runtime, method, url, headers, body)
        ours_req, theirs_req = seen[-2:]
        assert ours_req == theirs_req
        assert isinstance(ours, Answer)
        assert (ours.status, ours.headers, str(ours.url)) == (theirs.status_code, dict(theirs.headers), str(theirs.request.url))
        if method != "POST":  # a create answers with a new id each time
            assert ours.content == theirs.content
    assert seen[0].headers["host"] == "api.jotter.example" and seen[4].headers["content-length"] == "0"  # the empty POST


@pytest.mark.parametrize(
    ("method", "headers"),
    [("GET", {"X-A": "b\r\nX-Injected: 1"}), ("GET", {"X-A": "nul\x00"}), ("GET /admin HTTP/1.1", {}), ("", {})],
)
def test_what_a_server_refuses_is_answered_400_either_way_and_never_routed(tether_client, method, headers):
    runtime = tether_client.sandbox_runtime("example")
    seq = runtime.last_seq()
    ours, theirs = both_ways(runtime, method, BASE + "/notes", headers, None)
    assert isinstance(ours, Answer) and (ours.status, ours.content) == (theirs.status_code, theirs.content) == (400, b"Bad Request")
    assert ours.headers == dict(theirs.headers)
    assert runtime.last_seq() == seq  # refused before routing: nothing seen, nothing done


@pytest.mark.parametrize(
    ("fault", "kind", "raised", "processed"),
    [
        ("drop-before=1x", ConnectFailed, httpx.ConnectError, False),
        ("drop-after=1x", AnswerLost, httpx.RemoteProtocolError, None),
        ("slow=1x@0.4", AnswerLost, httpx.ReadTimeout, None),
    ],
)
def test_each_fault_is_the_failure_httpx_would_raise(tether_client, fault, kind, raised, processed):
    auth = {"Authorization": f"Bearer {tether_client.sandbox_runtime('example').credentials['api_key']}"}
    runtime = tether_client.sandbox_runtime("example", faults=fault)  # its own runtime, its own count
    started = time.monotonic()
    ours = InProcessCarrier(runtime, 0.1).send(Outgoing("GET", parse(BASE + "/notes"), auth, None))
    took = time.monotonic() - started
    assert type(ours) is kind and isinstance(ours, TransportFailure)
    assert ours.name == raised.__name__
    assert rule_for(ours).processed is processed
    if fault.startswith("slow"):
        assert 0.1 <= took < 0.4  # waited out the read timeout, not the whole delay
    runtime = tether_client.sandbox_runtime("example", faults=fault)
    with httpx.Client(transport=SandboxTransport(runtime), timeout=0.1) as http, pytest.raises(raised) as info:
        http.send(httpx.Request("GET", BASE + "/notes", headers=auth))
    assert str(info.value) == str(ours)


def test_a_slow_answer_within_the_read_timeout_arrives(tether_client):
    auth = {"Authorization": f"Bearer {tether_client.sandbox_runtime('example').credentials['api_key']}"}
    runtime = tether_client.sandbox_runtime("example", faults="slow=1x@0.1")
    started = time.monotonic()
    ours = InProcessCarrier(runtime, httpx.Timeout(5.0)).send(Outgoing("GET", parse(BASE + "/notes"), auth, None))
    assert isinstance(ours, Answer) and ours.status == 200 and time.monotonic() - started >= 0.1


@pytest.mark.parametrize("backend", ["asyncio", "trio"])
def test_the_async_carrier_answers_and_times_out_on_any_backend(tether_client, backend):
    auth = {"Authorization": f"Bearer {tether_client.sandbox_runtime('example').credentials['api_key']}"}
    slow = tether_client.sandbox_runtime("example", faults="slow=1x@0.5")

    async def main() -> tuple[Any, Any]:
        answered = await AsyncInProcessCarrier(tether_client.sandbox_runtime("example")).send(Outgoing("GET", parse(BASE + "/notes/n-2"), auth, None))
        timed_out = await AsyncInProcessCarrier(slow, 0.05).send(Outgoing("GET", parse(BASE + "/notes/n-2"), auth, None))
        return answered, timed_out

    answered, timed_out = anyio.run(main, backend=backend)
    assert isinstance(answered, Answer) and answered.status == 200 and b'"Shopping"' in answered.content
    assert isinstance(timed_out, AnswerLost) and timed_out.name == "ReadTimeout"


EMBEDDED = """
import sys
import anyio
from tether import AsyncClient, Client

with Client(secrets_backend="file") as client:
    conn = client.sandbox_connection("engage")
    client.run("update-user", connection_id=conn.id, input={"uid": "ada", "email": "ada@example.com"})
    assert client.run("get-user", connection_id=conn.id, input={"uid": "ada"})["email"] == "ada@example.com"

async def main():
    async with AsyncClient(secrets_backend="file") as client:
        return await client.run("get-user", connection_id=conn.id, input={"uid": "ada"})

assert anyio.run(main)["uid"] == "ada"
print("httpx" in sys.modules)
"""


def test_clients_on_an_in_process_sandbox_never_import_httpx(tmp_path):
    env = {**os.environ, "TETHER_HOME": str(tmp_path), "TETHER_SECRETS_BACKEND": "file"}
    env.pop("TETHER_SANDBOX_FAULTS", None)
    result = subprocess.run([sys.executable, "-c", EMBEDDED], capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False", "a sandbox connection's calls imported httpx"


def test_a_lost_answer_reads_the_same_through_either_carrier(tether_client, monkeypatch):
    """The error names what the transport called the failure, as before tether had its own kinds:
    the in-process sandbox's dropped connection and the network's (httpx) alike."""
    from tether._errors import NetworkError
    from tether._http.carriers import NetworkCarrier

    conn = tether_client.sandbox_connection("example")
    faulty = tether_client.sandbox_runtime("example", faults="drop-after=1x")
    monkeypatch.setattr(tether_client, "_client_for", lambda transport: InProcessCarrier(faulty))
    with pytest.raises(NetworkError) as in_process:
        tether_client.run("create-note", connection_id=conn.id, input={"title": "t"})

    def lose(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)

    monkeypatch.setattr(tether_client, "_client_for", lambda transport: NetworkCarrier(httpx.Client(transport=httpx.MockTransport(lose))))
    with pytest.raises(NetworkError) as network:
        tether_client.run("create-note", connection_id=conn.id, input={"title": "t"})
    expected = (
        "POST Jotter (example): the answer was lost (RemoteProtocolError: Server disconnected without sending a response.); "
        "it may have been processed, so it was not retried (not idempotent): check before sending it again"
    )
    assert in_process.value.message == network.value.message == expected
    assert in_process.value.processed is network.value.processed is None
