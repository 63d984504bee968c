"""Issue 10 defect 2: credentials are checked when stored, and a bad one is never printed."""

from __future__ import annotations

import json

import pytest

from cli_runner import run_cli
from tether._client import Client
from tether._errors import UsageError


def _served_customerio(served_sandbox):
    served = served_sandbox("customerio")
    return served["url"], served["credentials"]


def test_connect_strips_a_pasted_newline_and_never_prints_the_key(served_sandbox, tether_home, tmp_path, capsys):
    url, creds = _served_customerio(served_sandbox)
    key = creds["app_api_key"]
    pasted = tmp_path / "creds.json"
    pasted.write_text(json.dumps({"app_api_key": key + "\n"}))
    ran = run_cli(capsys, "connect", "--connectorId", "customerio", "--input", f"@{pasted}", "--setting", f"baseUrl={url}", "--json")
    assert ran.code == 0, ran.err
    conn = ran.json()
    assert conn["state"] == "READY" and conn["credentials"] == ["app_api_key"]
    assert key not in ran.out + ran.err
    with Client(home=tether_home, secrets_backend="file") as client:
        assert client.secrets.get(client.connection(conn["id"]).secret_ref) == {"app_api_key": key}
    # The same through `connection update`, and through the Python API.
    ran = run_cli(capsys, "connection", "update", conn["id"], "--input", json.dumps({"app_api_key": f"  {key}\r\n"}), "--json")
    assert ran.code == 0 and ran.json()["state"] == "READY" and key not in ran.out + ran.err
    with Client(home=tether_home, secrets_backend="file") as client:
        made = client.connect("customerio", credentials={"app_api_key": f"\t{key} "}, settings={"baseUrl": url})
        assert made.state == "READY"
        assert client.secrets.get(made.secret_ref) == {"app_api_key": key}


def test_a_credential_with_a_control_character_inside_is_refused_by_name(tether_home, capsys):
    inner = "ab12cd34\nef56"
    ran = run_cli(
        capsys, "connect", "--connectorId", "customerio", "--input", json.dumps({"app_api_key": inner}), "--no-verify", "--json"
    )
    assert ran.code == 2
    assert ran.err == "error: credential app_api_key contains a line break or another control character; enter it again\n"
    assert "ab12cd34" not in ran.out + ran.err and "ef56" not in ran.out + ran.err
    with Client(home=tether_home, secrets_backend="file") as client:
        assert client.connections() == []
        with pytest.raises(UsageError, match="credential app_api_key contains"):
            client.connect("customerio", credentials={"app_api_key": "x\x00yzzz"}, verify=False)


def test_a_stored_key_with_a_newline_is_named_never_shown(served_sandbox, tether_home, capsys):
    """A key stored by an older tether (before the check): every command says what is wrong,
    once, without the key, and sends nothing."""
    url, creds = _served_customerio(served_sandbox)
    key = creds["app_api_key"]
    with Client(home=tether_home, secrets_backend="file") as client:
        conn = client.connect("customerio", credentials={"app_api_key": key}, settings={"baseUrl": url})
        client.secrets.put(conn.secret_ref, {"app_api_key": key + "\n"})
        seq = client.sandbox_runtime("customerio").last_seq()
    for args in (
        ("action", "run", "customerio.list-segments", "--connectionId", conn.id, "--json"),
        ("request", conn.id, "/v1/segments", "--api", "app", "--json"),
        ("connection", "test", conn.id, "--json"),
    ):
        ran = run_cli(capsys, *args)
        assert ran.code == 1, (args, ran.err)
        assert key not in ran.out + ran.err, args
        assert "make an unusable Authorization header" in ran.err and ran.err.count("\n") == 1, (args, ran.err)
        assert "attempts" not in ran.err and "network" not in ran.out
    with Client(home=tether_home, secrets_backend="file") as client:
        assert client.sandbox_runtime("customerio").last_seq() == seq


def test_credentials_handed_to_the_first_send_never_show_in_a_repr():
    """A call's credentials ride along from the check to the first send; no repr shows them."""
    from tether._api.execution import Prepared
    from tether._http.layers import Exchange

    creds = {"api_key": "key-5e6f7a8b9c"}
    prepared = Prepared(None, None, {}, None, False, creds)  # type: ignore[arg-type]
    state = Exchange(None, None, None, None, None, {}, "GET", ("http", "h", None), creds=creds)  # type: ignore[arg-type]
    assert "key-5e6f7a8b9c" not in repr(prepared) + repr(state)
