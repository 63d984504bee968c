"""Fixtures for CleverTap's tests: run actions on the in-process sandbox and look at its state."""

from __future__ import annotations

from typing import Any

import pytest


class CleverTap:
    """One test's view of the CleverTap sandbox (eu1 workspace unless a connection says otherwise)."""

    def __init__(self, client: Any):
        self.client = client
        self.conn = client.sandbox_connection("clevertap")
        self.runtime = client.sandbox_runtime("clevertap")

    def run(self, action: str, **input: Any) -> Any:
        return self.client.run(action, connection_id=self.conn.id, input=input)

    def state(self, name: str, region: str = "eu1") -> list[dict[str, Any]]:
        """A snapshot of one collection of a region's workspace."""
        return self.runtime.collection(f"{region}/{name}")

    def configure(self, region: str = "eu1", **settings: Any) -> None:
        """Set the sandbox's behaviour knobs (see sandbox/base.py DEFAULT_SETTINGS)."""
        self.runtime.put(f"{region}/settings", "behaviour", settings)

    def today(self) -> int:
        """The sandbox's today as YYYYMMDD (UTC)."""
        import datetime as dt

        d = dt.datetime.fromtimestamp(self.runtime.clock(), dt.timezone.utc)
        return d.year * 10000 + d.month * 100 + d.day

    def events_named(self, name: str, region: str = "eu1") -> list[dict[str, Any]]:
        return [e for e in self.state("events", region) if e["evtName"] == name]


@pytest.fixture
def ct(tether_client: Any) -> CleverTap:
    return CleverTap(tether_client)


