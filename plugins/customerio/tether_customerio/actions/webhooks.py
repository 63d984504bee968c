"""App API: reporting webhooks (§A5.8): Customer.io posting delivery and subscription events to you.

They come back bare (not wrapped in {"reporting_webhook": …}), unlike other App objects.
Incoming webhook requests are checked with tether_customerio.verify_webhook_signature.
"""

from __future__ import annotations

from typing import Any

from tether._models import Action
from tether._wire import Request

from .. import samples
from ..schemas import DELETED, REPORTING_EVENTS, input_object, integer_id
from .common import pick

API = "app"

EVENTS = list(REPORTING_EVENTS)

EVENT_LIST = {
    "type": "array",
    "minItems": 1,
    "uniqueItems": True,
    "items": {"type": "string", "enum": EVENTS},
    "description": "Which events to send, e.g. email_sent, email_opened, email_clicked, email_bounced, sms_delivered, push_opened, customer_unsubscribed.",
}

FIELDS = {
    "name": {"type": "string", "minLength": 1, "description": "A name for the webhook."},
    "endpoint": {"type": "string", "pattern": "^https?://", "description": "The URL Customer.io posts events to."},
    "events": EVENT_LIST,
    "disabled": {"type": "boolean", "description": "Pause the webhook without deleting it (default false)."},
    "full_resolution": {"type": "boolean", "description": "Send every event (true, default) or only the first of each metric per delivery."},
    "with_content": {"type": "boolean", "description": "Include the message content in delivery events (default false)."},
}
FIELD_NAMES = tuple(FIELDS)

WEBHOOK = {
    "type": "object",
    "description": "A reporting webhook (§A5.8).",
    "properties": {
        "id": {"type": "integer", "description": "The webhook id."},
        "name": {"type": "string", "description": "Its name."},
        "endpoint": {"type": "string", "description": "The URL events are posted to."},
        "disabled": {"type": "boolean", "description": "Whether it is paused."},
        "full_resolution": {"type": "boolean", "description": "Whether every event is sent (not only the first per metric)."},
        "with_content": {"type": "boolean", "description": "Whether message content is included."},
        "events": {"type": "array", "items": {"type": "string"}, "description": "The events it sends."},
    },
    "required": ["id", "name", "endpoint", "events"],
}

WEBHOOK_ID = integer_id("The reporting webhook id (from list-reporting-webhooks).")


def list_reporting_webhooks(inp, ctx):
    response = yield Request("GET", "/reporting_webhooks")
    return response.json()


LIST_REPORTING_WEBHOOKS = Action(
    key="list-reporting-webhooks",
    name="List reporting webhooks",
    description=(
        "List the reporting webhooks configured in the workspace: the URLs Customer.io posts delivery events (sent, opened, "
        "clicked, bounced, …) and subscription changes to, with the events each one gets."
    ),
    entity="reporting webhook",
    input_schema=input_object({}),
    output_schema={
        "type": "object",
        "description": "Every reporting webhook (not paginated).",
        "properties": {"reporting_webhooks": {"type": "array", "items": WEBHOOK, "description": "The webhooks."}},
        "required": ["reporting_webhooks"],
    },
    run=list_reporting_webhooks,
    examples=({},),
    read_only=True,
    idempotent=True,
    api=API,
)


def create_reporting_webhook(inp, ctx):
    response = yield Request("POST", "/reporting_webhooks", json=pick(inp, FIELD_NAMES), idempotent=False)
    return response.json()


CREATE_REPORTING_WEBHOOK = Action(
    key="create-reporting-webhook",
    name="Create reporting webhook",
    description=(
        "Create a reporting webhook to stream message events (email sent, opened, clicked, bounced; SMS delivered; "
        "push opened; …) and unsubscribes to your URL as they happen. Check incoming requests with "
        "tether_customerio.verify_webhook_signature."
    ),
    entity="reporting webhook",
    input_schema=input_object(FIELDS, ("name", "endpoint", "events")),
    output_schema=WEBHOOK,
    run=create_reporting_webhook,
    examples=(
        {"name": "Opens and clicks to analytics", "endpoint": "https://analytics.example.com/cio", "events": ["email_opened", "email_clicked"]},
    ),
    idempotent=False,
    api=API,
)


def get_reporting_webhook(inp, ctx):
    response = yield Request("GET", "/reporting_webhooks/{id}", path_params={"id": inp["webhook_id"]})
    return response.json()


GET_REPORTING_WEBHOOK = Action(
    key="get-reporting-webhook",
    name="Get reporting webhook",
    description="Get one reporting webhook by id: its URL, the events it receives and whether it is disabled.",
    entity="reporting webhook",
    input_schema=input_object({"webhook_id": WEBHOOK_ID}, ("webhook_id",)),
    output_schema=WEBHOOK,
    run=get_reporting_webhook,
    examples=({"webhook_id": samples.DELIVERY_WEBHOOK},),
    read_only=True,
    idempotent=True,
    api=API,
)


def update_reporting_webhook(inp, ctx):
    # PUT replaces the whole object (§A5.8), so omitted fields would be reset: read it first and merge.
    current = yield Request("GET", "/reporting_webhooks/{id}", path_params={"id": inp["webhook_id"]})
    merged: dict[str, Any] = {k: v for k, v in current.json().items() if k in FIELD_NAMES}
    merged.update(pick(inp, FIELD_NAMES))
    response = yield Request("PUT", "/reporting_webhooks/{id}", path_params={"id": inp["webhook_id"]}, json=merged)
    return response.json()


UPDATE_REPORTING_WEBHOOK = Action(
    key="update-reporting-webhook",
    name="Update reporting webhook",
    description=(
        "Change a reporting webhook: its URL, name, the events it receives, or pause or resume it (disabled). Only "
        "the fields you give change; the others are kept (the current webhook is read first and merged, because "
        "Customer.io replaces the whole object)."
    ),
    entity="reporting webhook",
    input_schema=input_object({"webhook_id": WEBHOOK_ID, **FIELDS}, ("webhook_id",), minProperties=2),
    output_schema=WEBHOOK,
    run=update_reporting_webhook,
    examples=({"webhook_id": samples.DELIVERY_WEBHOOK, "disabled": True}, {"webhook_id": samples.DELIVERY_WEBHOOK, "events": ["email_sent", "email_bounced"]}),
    idempotent=True,
    api=API,
)


def delete_reporting_webhook(inp, ctx):
    yield Request("DELETE", "/reporting_webhooks/{id}", path_params={"id": inp["webhook_id"]})
    return {"deleted": True}  # §A5.8: 200 with no body


DELETE_REPORTING_WEBHOOK = Action(
    key="delete-reporting-webhook",
    name="Delete reporting webhook",
    description=(
        "Delete a reporting webhook for good: Customer.io stops posting events to its URL. Cannot be undone "
        "(update-reporting-webhook with disabled=true only suspends it)."
    ),
    entity="reporting webhook",
    input_schema=input_object({"webhook_id": {**WEBHOOK_ID, "description": "The id of the webhook to delete."}}, ("webhook_id",)),
    output_schema=DELETED,
    run=delete_reporting_webhook,
    examples=({"webhook_id": samples.DELIVERY_WEBHOOK},),
    destructive=True,
    idempotent=True,
    api=API,
)

ACTIONS = (
    LIST_REPORTING_WEBHOOKS,
    CREATE_REPORTING_WEBHOOK,
    GET_REPORTING_WEBHOOK,
    UPDATE_REPORTING_WEBHOOK,
    DELETE_REPORTING_WEBHOOK,
)
