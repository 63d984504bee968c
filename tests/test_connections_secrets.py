"""Connections and secrets: where they live, who can read them, and concurrent writers."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from tether._client import Client
from tether._errors import UsageError
from tether._secret_store import FileSecrets, Secrets

SECRET = "jk_0f1e2d3c4b5a69788796a5b4c3d2e1f0"


def test_secrets_file_is_private_and_replaced_atomically(tmp_path):
    secrets = FileSecrets(tmp_path)
    secrets.put("conn-1", {"api_key": SECRET})
    mode = stat.S_IMODE(os.stat(secrets.path).st_mode)
    assert mode == 0o600
    secrets.put("conn-2", {"api_key": "other"})
    assert stat.S_IMODE(os.stat(secrets.path).st_mode) == 0o600
    assert secrets.get("conn-1") == {"api_key": SECRET}
    secrets.delete("conn-1")
    assert secrets.get("conn-1") is None and secrets.get("conn-2") == {"api_key": "other"}
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".secrets-")], "a temporary file was left behind"


def test_connection_metadata_never_holds_the_secret(tether_home):
    with Client(home=tether_home, secrets_backend="file") as client:
        conn = client.connect("example", credentials={"api_key": SECRET}, verify=False)
        assert conn.credential_fields == ("api_key",)
        assert SECRET not in repr(conn) and SECRET not in json.dumps(conn.to_dict())
        assert conn.secret_ref == f"file:{conn.id}"
    assert SECRET.encode() not in (tether_home / "tether.db").read_bytes()
    assert json.loads((tether_home / "secrets.json").read_text())[conn.id] == {"api_key": SECRET}


def test_secret_backend_choice(tmp_path, monkeypatch):
    monkeypatch.setenv("TETHER_SECRETS_BACKEND", "file")
    assert Secrets(tmp_path).default_scheme() == "file"
    with pytest.raises(Exception, match="auto, file or keyring"):
        Secrets(tmp_path, "vault")


def test_settings_are_checked(tether_home):
    with Client(home=tether_home, secrets_backend="file") as client:
        with pytest.raises(UsageError, match="setting 'colour' is not known"):
            client.connect("example", credentials={"api_key": "x" * 8}, settings={"colour": "blue"}, verify=False)
        with pytest.raises(UsageError, match="must be an http"):
            client.connect("example", credentials={"api_key": "x" * 8}, settings={"baseUrl": "ftp://x"}, verify=False)
        with pytest.raises(Exception, match="input.api_kee: unexpected property"):
            client.connect("example", credentials={"api_kee": "x"}, verify=False)
        assert client.connections() == []  # nothing half-made is stored


WRITER = """
import sys
from tether._client import Client
with Client(secrets_backend="file") as client:
    for i in range(int(sys.argv[1])):
        client.connect("example", name=f"w{sys.argv[2]}-{i}", credentials={"api_key": f"key-{sys.argv[2]}-{i}"}, verify=False)
"""


def test_concurrent_cli_processes_never_corrupt_connections(tether_home):
    env = {**os.environ, "TETHER_HOME": str(tether_home)}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, "15", str(w)], env=env) for w in range(6)]
    assert [p.wait(timeout=120) for p in procs] == [0] * 6
    with Client(home=tether_home, secrets_backend="file") as client:
        conns = client.connections()
        assert len(conns) == 90 and len({c.id for c in conns}) == 90
        for conn in conns:
            worker, index = conn.name[1:].split("-")
            assert client.secrets.get(conn.secret_ref) == {"api_key": f"key-{worker}-{index}"}


def test_delete_removes_the_secret(tether_home):
    with Client(home=tether_home, secrets_backend="file") as client:
        conn = client.connect("example", credentials={"api_key": SECRET}, verify=False)
        client.delete_connection(conn.id)
        assert client.connections() == [] and client.secrets.get(conn.secret_ref) == {}
