"""Fixtures for Engage's tests: run actions on the in-process sandbox and look at its state."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tether.testing import sandbox_http


class Engage:
    """One test's view of the Engage sandbox: run actions, read state, send raw requests."""

    def __init__(self, client: Any):
        self.client = client
        self.conn = client.sandbox_connection("engage")
        self.runtime = client.sandbox_runtime("engage")
        self.credentials = self.runtime.credentials

    def run(self, action: str, **input: Any) -> Any:
        return self.client.run(action, connection_id=self.conn.id, input=input)

    def users(self) -> dict[str, dict[str, Any]]:
        return {u["uid"]: u for u in self.runtime.collection("users")}

    def user(self, uid: str) -> dict[str, Any] | None:
        return self.users().get(uid)

    def lists(self) -> dict[str, dict[str, Any]]:
        return {item["id"]: item for item in self.runtime.collection("lists")}

    def events(self, uid: str | None = None) -> list[dict[str, Any]]:
        return [e for e in self.runtime.collection("events") if uid is None or e["uid"] == uid]

    def http(self, auth: tuple[str, str] | None = None) -> httpx.Client:
        """A plain httpx client on the in-process sandbox (auth as given, nothing added)."""
        return sandbox_http(self.runtime, "https://api.engage.so", auth=auth)

    @property
    def full(self) -> tuple[str, str]:
        return (self.credentials["public_key"], self.credentials["private_key"])

    @property
    def key_only(self) -> tuple[str, str]:
        return (self.credentials["public_key"], "")


@pytest.fixture
def engage(tether_client: Any) -> Engage:
    return Engage(tether_client)

