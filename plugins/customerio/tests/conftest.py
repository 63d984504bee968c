"""Fixtures for Customer.io's tests: run actions on the in-process sandbox and look at its state."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from tether.testing import sandbox_http

HOSTS = {
    ("track", "us"): "https://track.customer.io",
    ("track", "eu"): "https://track-eu.customer.io",
    ("app", "us"): "https://api.customer.io",
    ("app", "eu"): "https://api-eu.customer.io",
}


class CustomerIO:
    """One test's view of the Customer.io sandbox: run actions, read state, send raw requests.

    ``run`` uses a US sandbox connection; ``run_in(conn, …)`` any other (e.g. ``self.eu``).
    """

    def __init__(self, client: Any):
        self.client = client
        self.conn = client.sandbox_connection("customerio")
        self.runtime = client.sandbox_runtime("customerio")

    def run(self, action: str, **input: Any) -> Any:
        return self.run_in(self.conn, action, **input)

    def run_in(self, conn: Any, action: str, **input: Any) -> Any:
        return self.client.run(action, connection_id=conn.id, input=input)

    @property
    def eu(self) -> Any:
        """A sandbox connection to the EU workspace (made on first use)."""
        if not hasattr(self, "_eu"):
            self._eu = self.client.connect("customerio", sandbox=True, settings={"region": "eu"})
        return self._eu

    def credentials(self, region: str = "us") -> dict[str, str]:
        return self.runtime.credentials_for(region)

    # -- state (per workspace) ----------------------------------------------------------------

    def collection(self, name: str, region: str = "us") -> list[dict[str, Any]]:
        return self.runtime.collection(f"{region}/{name}")

    def people(self, region: str = "us") -> list[dict[str, Any]]:
        return self.collection("people", region)

    def person(self, id: str, region: str = "us") -> dict[str, Any] | None:
        """The stored person whose id (or, with an @, email) is ``id``."""
        key = "email" if "@" in id else "id"
        return next((p for p in self.people(region) if (p.get(key) or "").lower() == id.lower()), None)

    def segment(self, segment_id: int, region: str = "us") -> dict[str, Any] | None:
        return next((s for s in self.collection("segments", region) if s["id"] == segment_id), None)

    def put_doc(self, name: str, key: str, doc: dict[str, Any], region: str = "us") -> None:
        """Write a document straight into a workspace (what another API family would have recorded)."""
        self.runtime.put(f"{region}/{name}", key, doc)

    def drop_doc(self, name: str, key: str, region: str = "us") -> None:
        self.runtime.remove(f"{region}/{name}", key)

    @staticmethod
    def message_doc(id: str, person_cio: str | None, created: int, **fields: Any) -> dict[str, Any]:
        """A stored delivery in the shape sandbox/model.py records."""
        return {
            "id": id, "deduplicate_id": f"{id}:{created}", "msg_template_id": None, "customer_id": None,
            "customer_identifiers": None, "recipient": None, "subject": None, "metrics": {"sent": created},
            "created": created, "failure_message": None, "campaign_id": None, "action_id": None,
            "newsletter_id": None, "content_id": None, "broadcast_id": None, "trigger_event_id": None,
            "transactional_message_id": None, "type": "email", "forgotten": False, "_cio_id": person_cio, **fields,
        }  # fmt: skip

    def journal(self) -> list[dict[str, Any]]:
        return self.runtime.journal()

    # -- raw HTTP ---------------------------------------------------------------------------

    def http(self, api: str = "track", region: str = "us", auth: Any = "default") -> httpx.Client:
        """A plain httpx client on the in-process sandbox, at one API's host; nothing added but ``auth``.

        ``auth="default"`` sends that region's workspace credentials for the API.
        """
        headers = {}
        if auth == "default":
            creds = self.credentials(region)
            auth = (creds["site_id"], creds["track_api_key"]) if api == "track" else None
            if api == "app":
                headers["Authorization"] = f"Bearer {creds['app_api_key']}"
        return sandbox_http(self.runtime, HOSTS[(api, region)], auth=auth, headers=headers)


@pytest.fixture
def cio(tether_client: Any) -> CustomerIO:
    return CustomerIO(tether_client)

