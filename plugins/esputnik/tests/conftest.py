"""Fixtures for ESputnik's tests: a sandbox connection and a way to read and set the sandbox."""

from __future__ import annotations

from typing import Any

import pytest


class Sandboxed:
    """One in-process sandbox connection: run actions, look into the emulated account."""

    def __init__(self, client: Any):
        self.client = client
        self.conn = client.sandbox_connection("esputnik")
        self.runtime = client.sandbox_runtime("esputnik")

    def run(self, action: str, **inp: Any) -> Any:
        return self.client.run(action, connection_id=self.conn.id, input=inp)

    def items(self, action: str, **inp: Any) -> list[Any]:
        return list(self.client.paginate(action, connection_id=self.conn.id, input=inp))

    def settings(self, **values: Any) -> None:
        """Change how the emulated account behaves (see sandbox/base.py DEFAULT_SETTINGS)."""
        stored = next((d for d in self.runtime.collection("settings")), {})
        self.runtime.put("settings", "account", {**stored, **values})

    def docs(self, collection: str) -> list[dict[str, Any]]:
        return self.runtime.collection(collection)

    def contact_by_email(self, email: str) -> dict[str, Any] | None:
        return next((c for c in self.docs("contacts") if not c.get("deleted") and any(ch["value"] == email for ch in c["channels"])), None)

    def sent_since(self, seq: int) -> list[dict[str, Any]]:
        return self.runtime.journal(after=seq)


@pytest.fixture
def esp(tether_client: Any) -> Sandboxed:
    return Sandboxed(tether_client)
