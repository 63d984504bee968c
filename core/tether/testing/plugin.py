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
    from ..client import Client

    client = Client(home=tether_home, retry=fast_retry(), secrets_backend="file")
    yield client
    client.close()


@pytest.fixture
def sandbox_connection(tether_client: Any) -> Any:
    """``sandbox_connection("engage")`` → the READY in-process sandbox connection."""
    return tether_client.sandbox_connection
