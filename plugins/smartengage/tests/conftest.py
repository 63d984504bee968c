"""Fixtures for SmartEngage's tests: run actions on the in-process sandbox and read its state."""

from __future__ import annotations

from typing import Any

import pytest


class SmartEngage:
    """One test's view of the sandbox: the two-avatar account's connection, actions, state, raw requests."""

    def __init__(self, client: Any):
        self.client = client
        self.conn = client.sandbox_connection("smartengage")
        self.runtime = client.sandbox_runtime("smartengage")

    def run(self, action: str, connection: Any = None, **input: Any) -> Any:
        return self.client.run(action, connection_id=(connection or self.conn).id, input=input)

    def connect(self, **settings: str) -> Any:
        """Another sandbox connection on the same key, with these settings."""
        return self.client.connect("smartengage", sandbox=True, settings=settings)

    def account_key(self, avatars: int) -> str:
        """The API key of the sandbox account that has ``avatars`` brand avatars (2 or 1)."""
        return next(a["api_key"] for a in self.runtime.collection("accounts") if a["avatars"] == avatars)

    def subscriber(self, subscriber_id: str) -> dict[str, Any]:
        return next(s for s in self.runtime.collection("subscribers") if s["subscriber_id"] == subscriber_id)

    def listed(self, action: str, avatar_id: str = "2") -> list[dict[str, Any]]:
        return self.run(action, avatar_id=avatar_id)

    def sent(self, after: int) -> list[dict[str, Any]]:
        return self.runtime.journal(after=after)


@pytest.fixture
def se(tether_client: Any) -> SmartEngage:
    return SmartEngage(tether_client)
