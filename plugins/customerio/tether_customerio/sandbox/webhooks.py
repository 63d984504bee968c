"""App API: reporting webhooks (§A5.8).

Unlike other App resources they come back bare (not wrapped), the listing as
``{"reporting_webhooks": […]}``; DELETE answers 200 with no body.
"""

from __future__ import annotations

from typing import Any

from tether.connector import Abort, Reply

from .. import samples as s
from ..schemas import REPORTING_EVENTS as EVENTS
from . import model
from .base import SANDBOX, api_error, app_auth, collection, json_body, next_id, not_found


# [INF] defaults of the optional flags, as in §A5.8's example object.
DEFAULTS = {"disabled": False, "full_resolution": True, "with_content": False}


def seed(ctx) -> None:
    collection(ctx, "reporting_webhooks").put(
        str(s.DELIVERY_WEBHOOK),
        {
            "id": s.DELIVERY_WEBHOOK,
            "name": "Delivery events to the data warehouse",
            "endpoint": "https://hooks.example.com/customerio",
            "disabled": False,
            "full_resolution": True,
            "with_content": False,
            "events": ["email_sent", "email_delivered", "email_opened", "email_clicked", "email_bounced"],
        },
    )


def _invalid(detail: str, field: str) -> Exception:
    # [INF] §A5.8 documents no error body for a bad webhook; the App API's JSON:API shape is used.
    return Abort(api_error(400, detail, f"/{field}"))


def _validated(body: dict[str, Any]) -> dict[str, Any]:
    """The webhook a POST or PUT body describes (every field; PUT replaces the whole object)."""
    for field in ("name", "endpoint", "events"):
        if field not in body:
            raise _invalid(f"{field} is required", field)
    if not isinstance(body["name"], str) or not body["name"].strip():
        raise _invalid("name must be a non-empty string", "name")
    endpoint = body["endpoint"]
    if not isinstance(endpoint, str) or not endpoint.startswith(("https://", "http://")) or len(endpoint) < 10:
        raise _invalid("endpoint must be an http(s) URL", "endpoint")
    events = body["events"]
    if not isinstance(events, list) or not events:
        raise _invalid("events must be a non-empty array", "events")
    unknown = [e for e in events if e not in EVENTS]
    if unknown:
        raise _invalid(f"unknown event {unknown[0]!r}", "events")
    webhook = {"name": body["name"], "endpoint": endpoint}
    for flag, default in DEFAULTS.items():
        value = body.get(flag, default)
        if not isinstance(value, bool):
            raise _invalid(f"{flag} must be a boolean", flag)
        webhook[flag] = value
    webhook["events"] = list(dict.fromkeys(events))
    return webhook


def _webhook_or_404(req, ctx) -> dict[str, Any]:
    raw = req.path_params["webhook_id"]
    doc = collection(ctx, "reporting_webhooks").get(raw) if raw.isdigit() else None
    if doc is None:
        raise not_found("Reporting webhook")
    return doc


@SANDBOX.route("GET", "/v1/reporting_webhooks", auth=app_auth)
def list_webhooks(req, ctx):
    return {"reporting_webhooks": [model.public(w) for w in collection(ctx, "reporting_webhooks")]}


@SANDBOX.route("POST", "/v1/reporting_webhooks", auth=app_auth)
def create_webhook(req, ctx):
    webhook = _validated(json_body(req, bad=api_error(400, "bad request")))
    webhook = {"id": next_id(ctx, "reporting_webhook", s.DELIVERY_WEBHOOK + 1), **webhook}
    collection(ctx, "reporting_webhooks").put(str(webhook["id"]), webhook)
    return webhook  # §A5.8: the bare object


@SANDBOX.route("GET", "/v1/reporting_webhooks/{webhook_id}", auth=app_auth)
def get_webhook(req, ctx):
    return model.public(_webhook_or_404(req, ctx))


@SANDBOX.route("PUT", "/v1/reporting_webhooks/{webhook_id}", auth=app_auth)
def update_webhook(req, ctx):
    existing = _webhook_or_404(req, ctx)
    # [INF] PUT replaces the object: required fields must be present and omitted flags return to
    # their defaults (hence update-reporting-webhook fetches and merges first).
    webhook = {"id": existing["id"], **_validated(json_body(req, bad=api_error(400, "bad request")))}
    collection(ctx, "reporting_webhooks").put(str(webhook["id"]), webhook)
    return webhook


@SANDBOX.route("DELETE", "/v1/reporting_webhooks/{webhook_id}", auth=app_auth)
def delete_webhook(req, ctx):
    doc = _webhook_or_404(req, ctx)
    collection(ctx, "reporting_webhooks").delete(str(doc["id"]))
    return Reply(200)  # §A5.8: 200 with no body
