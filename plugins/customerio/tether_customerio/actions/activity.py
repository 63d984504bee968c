"""App API: the activity log (§A5.9) and messages, i.e. deliveries (§A5.1 "Messages", §A5.2)."""

from __future__ import annotations

from tether._models import Action
from tether._pages import CursorPages
from tether._wire import Request

from .. import samples
from ..schemas import ID_TYPE, IDENTIFIERS_OUT, NEXT, input_object, integer_id, page_input, string
from .common import pick

API = "app"

CUSTOMER_IDENTIFIERS = {**IDENTIFIERS_OUT, "type": ["object", "null"], "description": "The person's identifiers (null when no person is involved)."}

# -- schemas ----------------------------------------------------------------------------------------

ACTIVITY = {
    "type": "object",
    "description": "One entry of the activity log (§A5.9).",
    "properties": {
        "id": {"type": "string", "description": "The activity id (a ULID)."},
        "customer_id": {"type": ["string", "null"], "description": "The person's id, if the activity belongs to a person who has one."},
        "customer_identifiers": CUSTOMER_IDENTIFIERS,
        "type": {"type": "string", "description": "What happened: event, page, screen, attribute_change, sent_email, opened_email, profile_create, …"},
        "name": {"type": "string", "description": "The event, page or screen name (for those types)."},
        "timestamp": {"type": "integer", "description": "When it happened (unix)."},
        "delivery_id": {"type": ["string", "null"], "description": "The message (delivery) involved, if any."},
        "delivery_type": {"type": ["string", "null"], "description": "The message's channel: email, push, twilio (SMS), slack, webhook, …"},
        "data": {"type": ["object", "null"], "description": "Details of the activity, e.g. an event's data."},
    },
    "required": ["id", "type", "timestamp"],
}

METRICS = ("attempted", "sent", "delivered", "opened", "clicked", "converted", "bounced", "spammed", "unsubscribed", "dropped", "failed", "undeliverable")

MESSAGE = {
    "type": "object",
    "description": "One message sent (or drafted) to a person: a delivery (§A5.2).",
    "properties": {
        "id": {"type": "string", "description": "The delivery id."},
        "deduplicate_id": {"type": ["string", "null"], "description": "id:unix of its last change."},
        "msg_template_id": {"type": ["integer", "null"], "description": "The template (campaign action or content) it was made from."},
        "customer_id": {"type": ["string", "null"], "description": "The recipient's id."},
        "customer_identifiers": CUSTOMER_IDENTIFIERS,
        "recipient": {"type": ["string", "null"], "description": "The address it went to: email, phone number, device token or URL."},
        "subject": {"type": ["string", "null"], "description": "The subject, for email."},
        "metrics": {
            "type": "object",
            "additionalProperties": {"type": "integer"},
            "description": "Metric name (sent, delivered, opened, clicked, bounced, …) → when it happened (unix).",
        },
        "created": {"type": "integer", "description": "When the message was created (unix)."},
        "failure_message": {"type": ["string", "null"], "description": "Why sending failed, if it did."},
        "campaign_id": {"type": ["integer", "null"], "description": "The campaign it belongs to, if any."},
        "action_id": {"type": ["integer", "null"], "description": "The campaign or broadcast action (message step) it came from."},
        "newsletter_id": {"type": ["integer", "null"], "description": "The newsletter it belongs to, if any."},
        "content_id": {"type": ["integer", "null"], "description": "The newsletter content (variant) it came from."},
        "broadcast_id": {"type": ["integer", "null"], "description": "The API-triggered broadcast it belongs to, if any."},
        "trigger_event_id": {"type": ["string", "null"], "description": "The event that triggered it, if any."},
        "transactional_message_id": {"type": ["integer", "string", "null"], "description": "The transactional message (template) it was sent with, if any."},
        "type": {"type": "string", "description": "The channel: email, push, twilio (SMS), slack, webhook or in_app."},
        "forgotten": {"type": "boolean", "description": "Whether its content was not kept (message retention off)."},
    },
    "required": ["id", "type"],
}

# §A5.2 lists email, webhook, twilio, slack and push; in_app is a channel of §A5.4 too [INF: listed alike].
MESSAGE_TYPE = {
    "type": "string",
    "enum": ["email", "push", "twilio", "slack", "webhook", "in_app"],
    "description": "Only messages of this channel: email, push, twilio (SMS), slack, webhook or in_app.",
}

TIME_WINDOW = {
    "start_ts": {"type": "integer", "minimum": 0, "description": "Only messages created at or after this time (unix)."},
    "end_ts": {"type": "integer", "minimum": 0, "description": "Only messages created at or before this time (unix)."},
}


def listing(key: str, item: dict, noun: str, description: str) -> dict:
    return {
        "type": "object",
        "description": description,
        "properties": {key: {"type": "array", "items": item, "description": f"The {noun}."}, "next": NEXT},
        "required": [key],
    }


# -- GET /v1/activities ---------------------------------------------------------------------------


def list_activities(inp, ctx):
    response = yield Request("GET", "/activities", params=pick(inp, ("type", "name", "deleted", "customer_id", "id_type", "start", "limit")))
    return response.json()


LIST_ACTIVITIES = Action(
    key="list-activities",
    name="List activities",
    description=(
        "Browse the workspace's activity log across all people, newest first: events tracked, pages and screens "
        "viewed, attribute changes, messages sent and opened, profiles created or deleted. Filter by activity type, "
        "event name or one customer; only the last 30 days are guaranteed. For one person's history you can also "
        "use get-customer-activities."
    ),
    entity="activity",
    input_schema=input_object(
        {
            "type": string("Only activities of this type, e.g. event, page, screen, attribute_change, sent_email, opened_email, profile_create."),
            "name": string("Only activities with this name (an event, page or screen name)."),
            "customer_id": string("Only this person's activities: their id, email or cio_id (say which with id_type)."),
            "id_type": ID_TYPE,
            "deleted": {"type": "boolean", "description": "List the activities of people who have since been deleted instead."},
            **page_input(10, 100, "activities"),
        }
    ),
    output_schema=listing("activities", ACTIVITY, "activities, newest first", "A page of the activity log."),
    run=list_activities,
    examples=({}, {"type": "event", "name": "signed_up"}, {"customer_id": samples.ADA_EMAIL, "id_type": "email", "all": True}),
    read_only=True,
    idempotent=True,
    api=API,
    pages=CursorPages(items="activities", next="next", param="start", size_param="limit", max_size=100),
)

# -- GET /v1/messages, /v1/messages/{id} --------------------------------------------------------------


def list_messages(inp, ctx):
    keys = ("type", "metric", "drafts", "campaign_id", "newsletter_id", "action_id", "start_ts", "end_ts", "start", "limit")
    response = yield Request("GET", "/messages", params=pick(inp, keys))
    return response.json()


LIST_MESSAGES = Action(
    key="list-messages",
    name="List messages (deliveries)",
    description=(
        "List the messages (deliveries: emails, push notifications, SMS, webhooks) the workspace sent, newest first, "
        "filtered by campaign, newsletter, action, channel, metric (e.g. bounced, opened) and time window. Without "
        "times it covers the last 6 months; a window may span at most 6 months."
    ),
    entity="message",
    input_schema=input_object(
        {
            "type": MESSAGE_TYPE,
            "metric": {"type": "string", "enum": list(METRICS), "description": "Only messages that reached this metric, e.g. delivered, opened, clicked, bounced."},
            "drafts": {"type": "boolean", "description": "List drafted (unsent) messages instead of sent ones."},
            "campaign_id": integer_id("Only messages of this campaign."),
            "newsletter_id": integer_id("Only messages of this newsletter."),
            "action_id": integer_id("Only messages of this campaign or broadcast action (message step)."),
            **TIME_WINDOW,
            **page_input(50, 1000, "messages"),
        }
    ),
    output_schema=listing("messages", MESSAGE, "messages, newest first", "A page of messages (deliveries)."),
    run=list_messages,
    examples=(
        {"campaign_id": samples.ONBOARDING_CAMPAIGN, "start_ts": 1_699_000_000, "end_ts": 1_701_000_000},
        {"type": "email", "metric": "opened", "limit": 10},
    ),
    read_only=True,
    idempotent=True,
    api=API,
    pages=CursorPages(items="messages", next="next", param="start", size_param="limit", max_size=1000),
)


def get_message(inp, ctx):
    response = yield Request("GET", "/messages/{message_id}", path_params={"message_id": inp["message_id"]})
    return response.json()["message"]


GET_MESSAGE = Action(
    key="get-message",
    name="Get message (delivery)",
    description=(
        "Look up one message (delivery) by its delivery id: who it went to, its subject, channel, the campaign, "
        "newsletter or transactional message it came from, and when it was sent, delivered, opened or clicked."
    ),
    entity="message",
    input_schema=input_object({"message_id": string("The delivery id of the message.")}, ("message_id",)),
    output_schema=MESSAGE,
    run=get_message,
    examples=({"message_id": samples.ADA_WELCOME_DELIVERY},),
    read_only=True,
    idempotent=True,
    api=API,
)

ACTIONS = (LIST_ACTIVITIES, LIST_MESSAGES, GET_MESSAGE)
