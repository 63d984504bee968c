"""Customer.io's connector: two APIs, each with its own credential and host per region.

Reference: customerio-smartengage.md Part A (shared research notes), cited as §A1… inline.
"""

from __future__ import annotations

from typing import Any

from tether.connector import Api, AuthSpec, Connector, RateLimit, secret

WRONG_DATACENTER_HINT = (
    "this key belongs to a workspace in the other data centre; set the connection's region, e.g. "
    "tether connection update ID --setting region=eu"
)


def error_message(status: int, body: Any) -> str | None:
    """The platform's message from any of its error-body shapes (§A7, "Error body shapes")."""
    if isinstance(body, str):  # Track segment 404: a bare JSON string, "Segment not found"
        return body.strip() or None
    if not isinstance(body, dict):
        return None
    meta = body.get("meta")
    if isinstance(meta, dict):
        if isinstance(meta.get("error"), str):  # merge_customers, /v1/send/*
            return meta["error"]
        if isinstance(meta.get("errors"), list) and meta["errors"]:  # Track v1 400
            return "; ".join(str(e) for e in meta["errors"])
    errors = body.get("errors")
    if isinstance(errors, list) and errors:
        parts = []
        for err in errors:
            if not isinstance(err, dict):
                parts.append(str(err))
                continue
            text = err.get("detail") or err.get("message") or err.get("reason") or ""
            if err.get("field"):
                text = f"{err['field']}: {text}"
            if "batch_index" in err:
                text = f"item {err['batch_index']}: {text}"
            parts.append(str(text))
        message = "; ".join(p for p in parts if p)
        if status == 301 and "wrong datacenter" in message:
            message += f" ({WRONG_DATACENTER_HINT})"
        return message or None
    return None


TRACK = Api(
    key="track",
    name="Customer.io Track API",
    # §A1: Track v1 and v2 share a host per region; actions give /v1/... or /v2/... paths.
    base_url={"us": "https://track.customer.io/api", "eu": "https://track-eu.customer.io/api"},
    # §A2: Basic auth, site id as the username and the Track API key as the password.
    auth=AuthSpec("basic", {"username": "site_id", "password": "track_api_key"}),
    # §A7: 3000 requests per 3 s, "not strictly enforced".
    rate_limits={"default": RateLimit(3000, 3.0)},
    # §A1, §A8: Track redirects are not documented, and requests drops the body on one; a
    # redirect is reported, not followed.
    follow_redirects=False,
    verify=("get-account-region", {}),
)

APP = Api(
    key="app",
    name="Customer.io App API",
    base_url={"us": "https://api.customer.io/v1", "eu": "https://api-eu.customer.io/v1"},
    # §A2: the App API key as a bearer token.
    auth=AuthSpec("bearer", {"token": "app_api_key"}),
    # §A7: 10 requests/s in general, 100/s for transactional sends, 1 broadcast trigger per 10 s.
    rate_limits={
        "default": RateLimit(10, 1.0),
        "transactional": RateLimit(100, 1.0),
        # Half a second over the limit: the platform measures arrivals, and the first trigger
        # may arrive later after its start than the second does.
        "broadcast": RateLimit(1, 10.5),
    },
    # §A1: a key of the other region gets 301 "wrong datacenter"; following it would send the
    # key to a host the user never chose, so it is reported with a hint instead.
    follow_redirects=False,
    # ... and a key refused by this data centre is a credential problem: connect then records
    # CONFIGURATION_ERROR with the hint instead of failing on a redirect.
    auth_statuses=(301, 401, 403),
    verify=("list-segments", {}),
)

CONNECTOR = Connector(
    key="customerio",
    name="Customer.io",
    description=(
        "Customer.io: messaging automation by email, push, SMS and in-app. Identify people (customers) and track "
        "their events and devices, manage segments, trigger broadcasts and send transactional messages, read "
        "campaigns, newsletters, deliveries, activities and metrics, export data and manage reporting webhooks."
    ),
    domains=("customer.io", "fly.customer.io"),
    regions=("us", "eu"),
    apis=(TRACK, APP),
    credentials={
        "type": "object",
        "description": (
            "In Customer.io open Settings → Workspace Settings → API and webhook credentials. The Track API "
            "keys tab gives the site id and Track API key (for people, events, devices and segment membership); "
            "the App API keys tab creates an App API key (for reading data, segments, broadcasts and transactional "
            "messages). Give either pair or both; set region=eu for a workspace in the EU data centre."
        ),
        "properties": {
            "site_id": {
                "type": "string",
                "title": "Site ID",
                "minLength": 1,
                "description": "The Track API site id (the Basic-auth username; not secret on its own).",
            },
            "track_api_key": secret("Track API key", "The Track API key paired with the site id."),
            "app_api_key": secret("App API key", "An App API key (a bearer token) for the App, Transactional and Broadcast APIs."),
        },
        "additionalProperties": False,
    },
    actions="tether_customerio.actions:ACTIONS",
    sandbox="tether_customerio.sandbox:SANDBOX",
    error_message=error_message,
    version="0.1.0",
    docs_url="https://docs.customer.io/api/",
)
