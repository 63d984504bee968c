"""Issue 10 defect 9: TETHER_HOME and everything in it is private (0700/0600), whatever the umask."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from tether._client import Client
from tether._credential_page import stop_pages


def _modes(home: Path) -> dict[str, int]:
    found = {".": stat.S_IMODE(home.stat().st_mode)}
    for path in home.rglob("*"):
        found[str(path.relative_to(home))] = stat.S_IMODE(path.stat().st_mode)
    return found


def _cli(home: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "TETHER_HOME": str(home), "TETHER_SECRETS_BACKEND": "file"}
    return subprocess.run(
        [sys.executable, "-m", "tether", *args], env=env, capture_output=True, text=True, timeout=60, preexec_fn=lambda: os.umask(0)
    )


def test_everything_tether_makes_is_private_even_with_umask_0(tmp_path):
    home = tmp_path / "home"
    assert _cli(home, "action", "run", "example.create-note", "--sandbox", "--input", '{"title": "t"}', "--json").returncode == 0
    assert _cli(home, "connection", "list", "--json").returncode == 0
    # No credentials and no terminal: a credential page is started (its pid file under pages/).
    assert _cli(home, "connect", "--connectorId", "example", "--json").returncode == 0
    (pid,) = (home / "pages").glob("*.pid")
    assert stat.S_IMODE(pid.stat().st_mode) == 0o600  # stop_pages signals the pid it names
    stop_pages(home)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tether", "sandbox", "serve", "example", "--tls", "--json"],
        env={**os.environ, "TETHER_HOME": str(home)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: os.umask(0),
    )
    try:
        assert proc.stdout.readline().startswith("{")  # serving: certificates made
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    modes = _modes(home)
    for name in ("tether.db", "secrets.json", "sandbox/example.db", "sandbox/tls/ca.pem", "sandbox/tls/server-key.pem", "locks", "pages"):
        assert name in modes
    wrong = {name: oct(mode) for name, mode in modes.items() if mode != (0o700 if (home / name).is_dir() else 0o600)}
    assert wrong == {}


def test_an_existing_home_with_wide_modes_is_tightened_on_open(tmp_path):
    home = tmp_path / "home"
    with Client(home=home, secrets_backend="file") as client:
        client.sandbox_connection("example")
        client.run("list-notes", connection_id=client.connections()[0].id)
    for path in [home, *home.rglob("*")]:
        os.chmod(path, 0o755 if path.is_dir() else 0o644)
    with Client(home=home, secrets_backend="file") as client:
        conn = client.sandbox_connection("example")
        client.run("list-notes", connection_id=conn.id)
    wrong = {name: oct(mode) for name, mode in _modes(home).items() if mode & 0o077}
    assert wrong == {}
