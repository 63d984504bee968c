"""App API: reporting webhooks (§A5.8): Customer.io posting delivery and subscription events to you.

They come back bare (not wrapped in {"reporting_webhook": …}), unlike other App objects.
Incoming webhook requests are checked with tether_customerio.verify_webhook_signature.
"""

from __future__ import annotations

from typing import Any

from tether.connector import Action, Request, array, boolean, input_object, integer, obj, pick, rest, string

from .. import samples
from ..schemas import DELETED, REPORTING_EVENTS, integer_id
from .common import deleted

API = "app"

EVENTS = list(REPORTING_EVENTS)

EVENT_LIST = array(
    {"type": "string", "enum": EVENTS},
    "Which events to send, e.g. email_sent, email_opened, email_clicked, email_bounced, sms_delivered, push_opened, customer_unsubscribed.",
    minItems=1,
    uniqueItems=True,
)

FIELDS = {
    "name": string("A name for the webhook."),
    "endpoint": string("The URL Customer.io posts events to.", min_length=None, pattern="^https?://"),
    "events": EVENT_LIST,
    "disabled": boolean("Pause the webhook without deleting it (default false)."),
    "full_resolution": boolean("Send every event (true, default) or only the first of each metric per delivery."),
    "with_content": boolean("Include the message content in delivery events (default false)."),
}
FIELD_NAMES = tuple(FIELDS)

WEBHOOK = obj(
    {
        "id": integer("The webhook id."),
        "name": string("Its name.", min_length=None),
        "endpoint": string("The URL events are posted to.", min_length=None),
        "disabled": boolean("Whether it is paused."),
        "full_resolution": boolean("Whether every event is sent (not only the first per metric)."),
        "with_content": boolean("Whether message content is included."),
        "events": array({"type": "string"}, "The events it sends."),
    },
    "A reporting webhook (§A5.8).",
    required=["id", "name", "endpoint", "events"],
)

WEBHOOK_ID = integer_id("The reporting webhook id (from list-reporting-webhooks).")
WEBHOOK_PATH = "/reporting_webhooks/{webhook_id}"


LIST_REPORTING_WEBHOOKS = Action(
    key="list-reporting-webhooks",
    name="List reporting webhooks",
    description=(
        "List the reporting webhooks configured in the workspace: the URLs Customer.io posts delivery events (sent, opened, "
        "clicked, bounced, …) and subscription changes to, with the events each one gets."
    ),
    entity="reporting webhook",
    input_schema=input_object({}),
    output_schema=obj(
        {"reporting_webhooks": array(WEBHOOK, "The webhooks.")},
        "Every reporting webhook (not paginated).",
        required=["reporting_webhooks"],
    ),
    run=rest("GET", "/reporting_webhooks"),
    examples=({},),
    read_only=True,
    idempotent=True,
    api=API,
)


CREATE_REPORTING_WEBHOOK = Action(
    key="create-reporting-webhook",
    name="Create reporting webhook",
    description=(
        "Create a reporting webhook that notifies your server: it streams message events (email sent, opened, "
        "clicked, bounced; SMS delivered; push opened; …) and unsubscribes to your URL as they happen. Check incoming requests with "
        "tether_customerio.verify_webhook_signature."
    ),
    entity="reporting webhook",
    input_schema=input_object(FIELDS, ("name", "endpoint", "events")),
    output_schema=WEBHOOK,
    run=rest("POST", "/reporting_webhooks", body=FIELD_NAMES, idempotent=False),
    examples=(
        {"name": "Opens and clicks to analytics", "endpoint": "https://analytics.example.com/cio", "events": ["email_opened", "email_clicked"]},
    ),
    idempotent=False,
    api=API,
)


_GET = rest("GET", WEBHOOK_PATH)

GET_REPORTING_WEBHOOK = Action(
    key="get-reporting-webhook",
    name="Get reporting webhook",
    description="Get one reporting webhook by id: its URL, the events it receives and whether it is disabled.",
    entity="reporting webhook",
    input_schema=input_object({"webhook_id": WEBHOOK_ID}, ("webhook_id",)),
    output_schema=WEBHOOK,
    run=_GET,
    examples=({"webhook_id": samples.DELIVERY_WEBHOOK},),
    read_only=True,
    idempotent=True,
    api=API,
)


def update_reporting_webhook(inp, ctx):
    # PUT replaces the whole object (§A5.8), so omitted fields would be reset: read it first and merge.
    current = yield from _GET(inp, ctx)
    merged: dict[str, Any] = {**pick(current, FIELD_NAMES), **pick(inp, FIELD_NAMES)}
    response = yield Request("PUT", WEBHOOK_PATH, path_params=pick(inp, ("webhook_id",)), json=merged)
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
    run=rest("DELETE", WEBHOOK_PATH, read=deleted),  # §A5.8: 200 with no body
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
