"""pytest plugin (entry point ``pytest11``): the kit's parametrisation and fixtures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conformance import ConformanceSuite, fast_retry


def pytest_generate_tests(metafunc: Any) -> None:
    cls = metafunc.cls
    if cls is not None and issubclass(cls, ConformanceSuite) and "action_key" in metafunc.fixturenames:
        if not cls.connector:
            raise pytest.UsageError(f"{cls.__name__} must set connector = '<key>'")
        _, actions = cls.catalog()
        metafunc.parametrize("action_key", sorted(actions))


@pytest.fixture
def tether_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty TETHER_HOME for this test, with secrets in a file (never the real keyring)."""
    home = tmp_path / "tether-home"
    home.mkdir()
    monkeypatch.setenv("TETHER_HOME", str(home))
    monkeypatch.setenv("TETHER_SECRETS_BACKEND", "file")
    monkeypatch.delenv("TETHER_SANDBOX_FAULTS", raising=False)
    return home


@pytest.fixture
def tether_client(tether_home: Path) -> Any:
    """A :class:`tether.Client` on ``tether_home`` with quick retries."""
    from .._client import Client

    client = Client(home=tether_home, retry=fast_retry(), secrets_backend="file")
    yield client
    client.close()


@pytest.fixture
def tether_cli(tether_home: Path) -> Any:
    """Run the real ``tether`` program in a subprocess on ``tether_home``: ``tether_cli("connectors", "--json")``
    returns (exit code, stdout, stderr)."""
    import os
    import subprocess
    import sys

    def run(*args: str) -> tuple[int, str, str]:
        env = {**os.environ, "TETHER_HOME": str(tether_home), "TETHER_SECRETS_BACKEND": "file"}
        done = subprocess.run([sys.executable, "-m", "tether", *args], capture_output=True, text=True, env=env, timeout=60)
        return done.returncode, done.stdout, done.stderr

    return run


@pytest.fixture
def sandbox_connection(tether_client: Any) -> Any:
    """``sandbox_connection("engage")`` → the READY in-process sandbox connection."""
    return tether_client.sandbox_connection


@pytest.fixture
def served_sandbox(tether_home: Path) -> Any:
    """``served_sandbox("engage", "--tls")`` runs ``tether sandbox serve`` in a subprocess on
    loopback (sharing ``tether_home``) and returns its ``--json`` line: url, credentials, caFile."""
    import json
    import os
    import queue
    import subprocess
    import sys
    import threading

    processes: list[subprocess.Popen[str]] = []

    def start(connector: str, *args: str, timeout: float = 30.0) -> dict[str, Any]:
        env = {**os.environ, "TETHER_HOME": str(tether_home), "TETHER_SECRETS_BACKEND": "file"}
        proc = subprocess.Popen(
            [sys.executable, "-m", "tether", "sandbox", "serve", connector, "--json", *args],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )
        processes.append(proc)
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: lines.put(proc.stdout.readline()), daemon=True).start()  # type: ignore[union-attr]
        try:
            line = lines.get(timeout=timeout)
        except queue.Empty:
            raise RuntimeError(f"tether sandbox serve {connector} did not start within {timeout:.0f}s") from None
        if not line:
            raise RuntimeError(f"tether sandbox serve {connector} failed: {proc.stderr.read().strip()}")  # type: ignore[union-attr]
        document = json.loads(line)
        if "error" in document:  # the command's own error document: show tether's message
            error = document["error"]
            raise RuntimeError(f"tether sandbox serve {connector} failed ({error.get('type')}): {error.get('message')}")
        return document

    yield start
    for proc in processes:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
