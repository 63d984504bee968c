"""Issue 10 defect 5: bad input is a one-line usage error (exit 2), never an internal or a
network error, and nothing is sent; the sandboxes refuse what a real HTTP server refuses."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from cli_runner import run_cli
from tether._http.carriers import NetworkCarrier
from tether._client import Client
from tether._errors import UsageError, ValidationError
from tether._http.retry import RetryPolicy, rule_for
from tether.testing import fast_retry


def _sandbox(tether_home, served_sandbox, where):
    """(connection id, runtime reader) on the example sandbox, in-process or served."""
    with Client(home=tether_home, secrets_backend="file") as client:
        if where == "served":
            served = served_sandbox("example")
            conn = client.connect("example", credentials=served["credentials"], settings={"baseUrl": served["url"]})
        else:
            conn = client.sandbox_connection("example")
    return conn.id


def _last_seq(home):
    with Client(home=home, secrets_backend="file") as client:
        return client.sandbox_runtime("example").last_seq()


def _one_line_usage_error(ran, *phrases):
    assert ran.code == 2, ran.err
    assert ran.err.count("\n") == 1 and ran.err.startswith("error: "), ran.err
    assert "internal error" not in ran.err and "may have been processed" not in ran.err
    for phrase in phrases:
        assert phrase in ran.err


# -- action input ------------------------------------------------------------------------------


def test_input_nested_5000_deep_is_a_usage_error(tether_home, tmp_path, capsys):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 5000 + "]" * 5000)
    ran = run_cli(capsys, "action", "run", "example.create-note", "--sandbox", "--input", f"@{deep}")
    _one_line_usage_error(ran, "nested too deeply")
    assert run_cli(capsys, "connect", "--connectorId", "example", "--sandbox").code == 0
    seq = _last_seq(tether_home)
    nested = {"title": "t", "tags": [json.loads("[" * 150 + "]" * 150)]}
    ran = run_cli(capsys, "action", "run", "example.create-note", "--sandbox", "--input", json.dumps(nested))
    _one_line_usage_error(ran, "nested more than 100 levels deep")
    assert _last_seq(tether_home) == seq


def test_a_lone_surrogate_is_a_usage_error(tether_home, capsys):
    ran = run_cli(capsys, "action", "run", "example.create-note", "--sandbox", "--input", '{"title": "\\ud800"}')
    _one_line_usage_error(ran, "input.title: not valid Unicode text")


def test_input_file_that_is_not_utf8_is_a_usage_error(tether_home, tmp_path, capsys):
    latin = tmp_path / "latin1.json"
    latin.write_bytes('{"title": "café"}'.encode("latin-1"))
    ran = run_cli(capsys, "action", "run", "example.create-note", "--sandbox", "--input", f"@{latin}")
    _one_line_usage_error(ran, f"{latin} is not UTF-8 text (byte 0xe9 at offset 14)")


def test_a_megabyte_path_parameter_is_a_usage_error(tether_home, tmp_path, capsys):
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"id": "a" * 1_000_000}))
    ran = run_cli(capsys, "action", "run", "example.get-note", "--sandbox", "--input", f"@{big}")
    _one_line_usage_error(ran, "path parameter id is 1,000,000 characters once encoded")


def test_python_api_refuses_the_same_input(tether_client):
    conn = tether_client.sandbox_connection("example")
    runtime = tether_client.sandbox_runtime("example")
    seq = runtime.last_seq()
    deep: list = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(ValidationError, match="nested more than 100 levels deep"):
        tether_client.run("create-note", connection_id=conn.id, input={"title": "t", "tags": deep})
    with pytest.raises(ValidationError, match=r"input.title: not valid Unicode text"):
        tether_client.run("create-note", connection_id=conn.id, input={"title": "\ud800"})
    with pytest.raises(UsageError, match="path parameter id is 1,000,000 characters"):
        tether_client.run("get-note", connection_id=conn.id, input={"id": "a" * 1_000_000})
    with pytest.raises(UsageError, match="request body cannot be encoded as UTF-8"):
        tether_client.request(conn.id, "/notes", method="POST", json={"title": "\udfff"})
    with pytest.raises(UsageError, match="cannot build the request URL"):
        tether_client.request(conn.id, "/notes", params={"q": "a" * 100_000})
    assert runtime.last_seq() == seq


@pytest.mark.parametrize(
    ("kwargs", "phrase"),
    [
        ({"params": 5}, "params must be a mapping or (name, value) pairs, got int"),
        ({"params": "a=b"}, "params must be a mapping or (name, value) pairs, got str"),
        ({"params": [("a", "b", "c")]}, "params must be a mapping or (name, value) pairs, got list"),
        ({"headers": 5}, "headers must be a mapping of names to values, got int"),
        ({"method": 3}, "method must be a string such as 'GET', got int"),
    ],
)
def test_python_api_request_names_arguments_of_the_wrong_kind(tether_client, kwargs, phrase):
    conn = tether_client.sandbox_connection("example")
    runtime = tether_client.sandbox_runtime("example")
    seq = runtime.last_seq()
    with pytest.raises(UsageError) as info:
        tether_client.request(conn.id, "/v1/notes", **kwargs)
    assert info.value.message == phrase and "\n" not in info.value.message
    assert runtime.last_seq() == seq


# -- raw requests --------------------------------------------------------------------------------

REQUESTS = [
    (["-H", "X-A: b\r\nX-Injected: 1"], "header X-A: the value has a line break"),
    (["-X", "GET /admin HTTP/1.1"], "is not an HTTP method"),
    (["-X", ""], "method '' is not an HTTP method"),
    (["-H", "Host: evil.example"], "header Host is set by tether"),
    (["-H", "Content-Length: 0"], "header Content-Length is set by tether"),
    (["-H", "X-Ünï: 1"], "header name 'X-Ünï' is not valid"),
    (["-H", "X-A: ünï"], "header X-A: the value must be ASCII"),
]


@pytest.mark.parametrize("where", ["in-process", "served"])
@pytest.mark.parametrize(("args", "phrase"), REQUESTS, ids=[r[1] for r in REQUESTS])
def test_request_refuses_what_cannot_be_sent(where, args, phrase, tether_home, served_sandbox, capsys):
    conn_id = _sandbox(tether_home, served_sandbox, where)
    seq = _last_seq(tether_home)
    ran = run_cli(capsys, "request", conn_id, "/v1/notes", *args)
    _one_line_usage_error(ran, phrase, "nothing was sent")
    assert ran.out == ""
    assert _last_seq(tether_home) == seq


@pytest.mark.parametrize("where", ["in-process", "served"])
def test_request_json_errors_name_the_problem(where, tether_home, served_sandbox, capsys):
    conn_id = _sandbox(tether_home, served_sandbox, where)
    seq = _last_seq(tether_home)
    ran = run_cli(capsys, "request", conn_id, "/v1/notes", "-X", "POST", "--json", "[" * 5000 + "]" * 5000)
    _one_line_usage_error(ran, "--json is nested too deeply")
    assert _last_seq(tether_home) == seq


def test_a_transport_refusing_before_sending_is_a_usage_error_not_retried(tether_client, monkeypatch):
    """Whatever h11 refuses that tether's own check missed: not 'the answer was lost', not retried."""
    conn = tether_client.sandbox_connection("example")
    calls = []

    def refuse(request):
        calls.append(request)
        raise httpx.LocalProtocolError("Illegal header value b'x'")

    fake = NetworkCarrier(httpx.Client(transport=httpx.MockTransport(refuse)))
    monkeypatch.setattr(tether_client, "_client_for", lambda transport: fake)
    with pytest.raises(UsageError) as info:
        tether_client.run("create-note", connection_id=conn.id, input={"title": "t"})
    assert len(calls) == 1
    assert info.value.exit_code == 2 and info.value.processed is False
    assert "refused locally before sending" in info.value.message and "nothing was sent" in info.value.message


def test_local_protocol_errors_are_never_retried_nor_in_doubt():
    rule = rule_for(httpx.LocalProtocolError("Illegal method characters"))
    assert (rule.retry, rule.processed, rule.local) == ("never", False, True)
    assert not RetryPolicy().decide(0, True, httpx.LocalProtocolError("x")).retry


def test_a_credential_that_makes_an_illegal_header_is_named_not_shown(tether_client):
    """Credentials stored before they were checked (an older tether) still never reach output."""
    conn = tether_client.sandbox_connection("example")
    key = tether_client.sandbox_runtime("example").credentials["api_key"]
    tether_client.secrets.put(conn.secret_ref, {"api_key": key + "\n"})
    with pytest.raises(Exception) as info:
        tether_client.run("list-notes", connection_id=conn.id, input={})
    assert info.value.message == (
        f"the stored credentials of connection {conn.id} make an unusable Authorization header "
        f"(the value has a line break, a NUL or surrounding whitespace); store them again with: tether connection update {conn.id}"
    )


# -- the sandboxes refuse malformed requests as a server would -----------------------------------


def test_in_process_sandbox_answers_400_to_what_a_server_refuses(tether_client):
    from tether._sandbox.transport import SandboxTransport

    runtime = tether_client.sandbox_runtime("example")
    key = runtime.credentials["api_key"]
    seq = runtime.last_seq()
    auth = {"Authorization": f"Bearer {key}"}
    with httpx.Client(transport=SandboxTransport(runtime), base_url="https://api.jotter.example") as http:
        assert http.get("/v1/notes", headers={**auth, "X-A": "b\r\nX-Injected: 1"}).status_code == 400
        assert http.request("GET /admin HTTP/1.1", "/v1/notes", headers=auth).status_code == 400
        assert http.request("", "/v1/notes", headers=auth).status_code == 400
        assert http.get("/v1/notes", headers={**auth, "X-A": "nul\x00"}).status_code == 400
        assert runtime.last_seq() == seq  # refused before routing: nothing seen, nothing done
        assert http.get("/v1/notes", headers=auth).status_code == 200


def _raw(url: str, request: bytes) -> bytes:
    host, port = url.rsplit("//", 1)[1].split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
    return b"".join(chunks)


def test_served_sandbox_answers_400_to_what_a_server_refuses(served_sandbox, tether_home):
    served = served_sandbox("example")
    auth = f"Authorization: Bearer {served['credentials']['api_key']}\r\n".encode()
    seq = _last_seq(tether_home)
    for line in (b"GET /admin HTTP/1.1 /v1/notes HTTP/1.1", b"GE(T /v1/notes HTTP/1.1", b"GET\x00 /v1/notes HTTP/1.1"):
        answer = _raw(served["url"], line + b"\r\nHost: x\r\n" + auth + b"Connection: close\r\n\r\n")
        assert answer.startswith(b"HTTP/1.") and answer.split(b" ")[1] == b"400", (line, answer[:80])
    answer = _raw(served["url"], b"GET /v1/notes HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n" + auth + b"Connection: close\r\n\r\n")
    assert answer.split(b" ")[1] == b"400"
    assert _last_seq(tether_home) == seq
    # A well-formed method the platform does not serve is the platform's to answer (405/404).
    answer = _raw(served["url"], b"BREW /v1/notes HTTP/1.1\r\nHost: x\r\n" + auth + b"Connection: close\r\n\r\n")
    assert answer.split(b" ")[1] in (b"404", b"405")
    assert _last_seq(tether_home) == seq + 1
