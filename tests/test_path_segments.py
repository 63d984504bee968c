"""Issue 10 defect 1: a path parameter fills exactly one segment, for actions and `tether request`.

`.`, `..`, empty values and anything that decodes into them are refused by the URL builder
(tether._wire.Request.rendered_path) with a usage error naming the parameter, before anything is
sent; every other value is percent-encoded. Checked in-process and over `tether sandbox serve`.
"""

from __future__ import annotations

import pytest

from cli_runner import run_cli
from tether._client import Client
from tether._errors import UsageError
from tether.testing import fast_retry
from tether._wire import Request

DOTS = [".", "..", "%2e%2e", ".%2E", "%2E.", "%2e", "%252e%252e", ""]


@pytest.mark.parametrize("value", DOTS)
def test_the_url_builder_refuses_values_that_leave_their_segment(value):
    req = Request("DELETE", "/users/{uid}/accounts/{aid}", {"uid": "u-1", "aid": value})
    with pytest.raises(UsageError) as info:
        req.rendered_path()
    assert info.value.message.startswith(f"path parameter aid={value!r} would not stay one path segment")
    assert info.value.exit_code == 2 and info.value.details == {"path_params": ["aid"]}


@pytest.mark.parametrize(
    ("value", "segment"),
    [("a/b", "a%2Fb"), ("...", "..."), (".x", ".x"), ("a b", "a%20b"), ("%", "%25"), ("..%2f", "..%252f"), ("é", "%C3%A9")],
)
def test_every_other_value_is_encoded_into_one_segment(value, segment):
    assert Request("GET", "/users/{uid}/x", {"uid": value}).rendered_path() == f"/users/{segment}/x"


def test_a_dot_placeholder_inside_a_longer_segment_is_harmless():
    assert Request("GET", "/files/{name}.json", {"name": ".."}).rendered_path() == "/files/...json"


REPRODUCTIONS = [
    # (action, input, what must still be there afterwards)
    ("engage.remove-customer-from-account", {"uid": "u-1001", "aid": ".."}, ("engage", "users", "u-1001")),
    ("engage.delete-subscriber-from-list", {"list_id": "65a1f0c2e4b0a1b2c3d4f001", "subscriber_uid": ".."}, ("engage", "lists", None)),
    ("customerio.delete-customer-device", {"identifier": "cust-1001", "device_id": ".."}, ("customerio", "people", None)),
]


def _state(home, connector):
    with Client(home=home, secrets_backend="file") as client:
        runtime = client.sandbox_runtime(connector)
        return runtime.last_seq(), {name: runtime.collection(name) for name in ("users", "lists", "people")}


@pytest.mark.parametrize(("action", "input", "kept"), REPRODUCTIONS, ids=[r[0] for r in REPRODUCTIONS])
def test_cli_refuses_a_dot_segment_and_sends_nothing(action, input, kept, tether_home, capsys):
    import json

    connector = kept[0]
    assert run_cli(capsys, "connect", "--connectorId", connector, "--sandbox", "--json").code == 0
    seq, before = _state(tether_home, connector)
    ran = run_cli(capsys, "action", "run", action, "--sandbox", "--input", json.dumps(input), "--json")
    assert ran.code == 2
    assert ran.json()["error"]["type"] == "usage_error"
    assert ran.err.count("\n") == 1 and "would not stay one path segment" in ran.err
    after_seq, after = _state(tether_home, connector)
    assert after_seq == seq  # nothing reached the sandbox
    assert after == before


def _served_connection(client, served_sandbox, connector):
    served = served_sandbox(connector)
    return client.connect(connector, credentials=served["credentials"], settings={"baseUrl": served["url"]})


@pytest.mark.parametrize("where", ["in-process", "served"])
def test_python_api_refuses_a_dot_segment_and_sends_nothing(where, tether_home, served_sandbox):
    with Client(home=tether_home, retry=fast_retry(), secrets_backend="file") as client:
        if where == "served":
            conn = _served_connection(client, served_sandbox, "engage")
        else:
            conn = client.sandbox_connection("engage")
        runtime = client.sandbox_runtime("engage")
        seq = runtime.last_seq()
        with pytest.raises(UsageError, match="path parameter aid='..' would not stay one path segment"):
            client.run("remove-customer-from-account", connection_id=conn.id, input={"uid": "u-1001", "aid": ".."})
        with pytest.raises(UsageError, match="path parameter uid='%2e%2e'"):
            client.run("delete-user", connection_id=conn.id, input={"uid": "%2e%2e"})
        with pytest.raises(UsageError, match="path parameter a='..'"):
            client.request(conn.id, "/users/{a}/{b}/admin", path_params={"a": "..", "b": ".."})
        assert runtime.last_seq() == seq
        assert any(u["uid"] == "u-1001" for u in runtime.collection("users"))
        # The same ids, encoded, are ordinary values that reach the platform as one segment:
        response = client.request(conn.id, "/users/{uid}", path_params={"uid": "..."})
        assert response.status == 404 and runtime.journal()[-1]["path"] == "/v1/users/..."


@pytest.mark.parametrize("where", ["in-process", "served"])
def test_request_command_refuses_dot_path_params(where, tether_home, served_sandbox, capsys):
    with Client(home=tether_home, secrets_backend="file") as client:
        if where == "served":
            conn = _served_connection(client, served_sandbox, "engage")
        else:
            conn = client.sandbox_connection("engage")
        seq = client.sandbox_runtime("engage").last_seq()
    ran = run_cli(capsys, "request", conn.id, "/users/{a}/{b}/admin", "--pathParam", "a=..", "--pathParam", "b=..")
    assert ran.code == 2 and ran.out == ""
    assert ran.err == (
        "error: path parameter a='..' would not stay one path segment of '/users/{a}/{b}/admin' "
        "('.', '..' and empty values, percent-encoded or not, are refused)\n"
    )
    with Client(home=tether_home, secrets_backend="file") as client:
        assert client.sandbox_runtime("engage").last_seq() == seq
