"""Issue 10 defect 3: concurrent read-modify-write of one connection loses nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import many_settings
from loopback_server import json_reply

TESTS = str(Path(__file__).parent)


def _env(home: Path) -> dict[str, str]:
    path = os.pathsep.join([TESTS, os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "TETHER_HOME": str(home), "TETHER_SECRETS_BACKEND": "file", "PYTHONPATH": path}


def _parallel(commands: list[list[str]], env: dict[str, str]) -> list[subprocess.CompletedProcess]:
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env) for cmd in commands]
    done = []
    for proc, cmd in zip(procs, commands):
        out, err = proc.communicate(timeout=180)
        done.append(subprocess.CompletedProcess(cmd, proc.returncode, out, err))
    return done


def test_thirty_parallel_updates_of_one_connection_lose_nothing(tmp_path, loopback):
    server = loopback()

    def slow_ping(rec):
        time.sleep(0.05)  # the verification request is out while other updates land
        return json_reply(200, {})

    server.handler = slow_ping
    home = tmp_path / "home"
    with many_settings.client(str(home)) as c:
        conn = c.connect("many", credentials={"key": "k-1"}, settings={"baseUrl": server.url}, verify=False)
    runs = _parallel(
        [[sys.executable, "-m", "many_settings", str(home), conn.id, str(n), server.url] for n in range(many_settings.SETTINGS)],
        _env(home),
    )
    assert [r.returncode for r in runs] == [0] * len(runs), [r.stderr for r in runs if r.returncode]
    assert len(server.requests) >= many_settings.SETTINGS  # every update was verified
    with many_settings.client(str(home)) as c:
        stored = c.connection(conn.id)
        secret = c.secrets.get(stored.secret_ref)
    assert {k: v for k, v in stored.settings.items() if k.startswith("baseUrl.")} == {
        f"baseUrl.a{n}": f"{server.url}/p{n}" for n in range(many_settings.SETTINGS)
    }
    assert secret == {"key": "k-1", **{f"f{n}": f"value-{n}" for n in range(many_settings.CREDENTIALS)}}
    assert stored.credential_fields == tuple(sorted(secret))
    assert stored.state == "READY"


def test_a_verdict_about_replaced_credentials_is_not_recorded(tmp_path, loopback):
    """A check of the old key that ends after a new key was stored must not mark the new one."""
    server = loopback()
    home = tmp_path / "home"
    with many_settings.client(str(home)) as c:
        conn = c.connect("many", credentials={"key": "old"}, settings={"baseUrl": server.url}, verify=False)

        def refuse_old_after_rotation(rec):
            if rec.headers.get("x-key") == "old":
                # While the old key's check is out, another process stores a new key.
                with many_settings.client(str(home)) as other:
                    other.update_connection(conn.id, credentials={"key": "new"}, verify=False)
                return json_reply(401, {"error": "bad key"})
            return json_reply(200, {})

        server.handler = refuse_old_after_rotation
        seen = c.test_connection(conn.id)
        assert seen.state == "READY" and seen.error is None
        assert c.connection(conn.id).state == "READY"


def test_thirty_parallel_first_uses_of_the_sandbox_make_one_connection(tether_home):
    env = _env(tether_home)
    runs = _parallel(
        [[sys.executable, "-m", "tether", "action", "run", "example.list-notes", "--sandbox", "--json"] for _ in range(30)],
        env,
    )
    assert [r.returncode for r in runs] == [0] * 30, [r.stderr for r in runs if r.returncode]
    listed = subprocess.run([sys.executable, "-m", "tether", "connection", "list", "--json"], capture_output=True, text=True, env=env)
    items = json.loads(listed.stdout)["items"]
    assert [(c["connectorId"], c["sandbox"]) for c in items] == [("example", True)]
    secrets = json.loads((tether_home / "secrets.json").read_text())
    assert list(secrets) == [items[0]["id"]]
