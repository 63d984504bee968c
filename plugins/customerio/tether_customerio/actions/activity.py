"""App API: the activity log (§A5.9) and messages, i.e. deliveries (§A5.1 "Messages", §A5.2)."""

from __future__ import annotations

from tether.connector import Action, CursorPages, array, boolean, input_object, integer, nullable, obj, rest, string

from .. import samples
from ..schemas import ID_TYPE, IDENTIFIERS_OUT, NEXT, integer_id, page_input

API = "app"

CUSTOMER_IDENTIFIERS = {**IDENTIFIERS_OUT, "type": ["object", "null"], "description": "The person's identifiers (null when no person is involved)."}

# -- schemas ----------------------------------------------------------------------------------------

ACTIVITY = obj(
    {
        "id": string("The activity id (a ULID).", min_length=None),
        "customer_id": nullable("string", "The person's id, if the activity belongs to a person who has one."),
        "customer_identifiers": CUSTOMER_IDENTIFIERS,
        "type": string("What happened: event, page, screen, attribute_change, sent_email, opened_email, profile_create, …", min_length=None),
        "name": string("The event, page or screen name (for those types).", min_length=None),
        "timestamp": integer("When it happened (unix)."),
        "delivery_id": nullable("string", "The message (delivery) involved, if any."),
        "delivery_type": nullable("string", "The message's channel: email, push, twilio (SMS), slack, webhook, …"),
        "data": nullable("object", "Details of the activity, e.g. an event's data."),
    },
    "One entry of the activity log (§A5.9).",
    required=["id", "type", "timestamp"],
)

METRICS = ("attempted", "sent", "delivered", "opened", "clicked", "converted", "bounced", "spammed", "unsubscribed", "dropped", "failed", "undeliverable")

MESSAGE = obj(
    {
        "id": string("The delivery id.", min_length=None),
        "deduplicate_id": nullable("string", "id:unix of its last change."),
        "msg_template_id": nullable("integer", "The template (campaign action or content) it was made from."),
        "customer_id": nullable("string", "The recipient's id."),
        "customer_identifiers": CUSTOMER_IDENTIFIERS,
        "recipient": nullable("string", "The address it went to: email, phone number, device token or URL."),
        "subject": nullable("string", "The subject, for email."),
        "metrics": {
            "type": "object",
            "additionalProperties": {"type": "integer"},
            "description": "Metric name (sent, delivered, opened, clicked, bounced, …) → when it happened (unix).",
        },
        "created": integer("When the message was created (unix)."),
        "failure_message": nullable("string", "Why sending failed, if it did."),
        "campaign_id": nullable("integer", "The campaign it belongs to, if any."),
        "action_id": nullable("integer", "The campaign or broadcast action (message step) it came from."),
        "newsletter_id": nullable("integer", "The newsletter it belongs to, if any."),
        "content_id": nullable("integer", "The newsletter content (variant) it came from."),
        "broadcast_id": nullable("integer", "The API-triggered broadcast it belongs to, if any."),
        "trigger_event_id": nullable("string", "The event that triggered it, if any."),
        "transactional_message_id": nullable(["integer", "string"], "The transactional message (template) it was sent with, if any."),
        "type": string("The channel: email, push, twilio (SMS), slack, webhook or in_app.", min_length=None),
        "forgotten": boolean("Whether its content was not kept (message retention off)."),
    },
    "One message sent (or drafted) to a person: a delivery (§A5.2).",
    required=["id", "type"],
)

# §A5.2 lists email, webhook, twilio, slack and push; in_app is a channel of §A5.4 too [INF: listed alike].
MESSAGE_TYPE = string(
    "Only messages of this channel: email, push, twilio (SMS), slack, webhook or in_app.",
    min_length=None,
    enum=["email", "push", "twilio", "slack", "webhook", "in_app"],
)

TIME_WINDOW = {
    "start_ts": integer("Only messages created at or after this time (unix).", minimum=0),
    "end_ts": integer("Only messages created at or before this time (unix).", minimum=0),
}


def listing(key: str, item: dict, noun: str, description: str) -> dict:
    return obj(
        {key: array(item, f"The {noun}."), "next": NEXT},
        description,
        required=[key],
    )


# -- GET /v1/activities ---------------------------------------------------------------------------


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
            "deleted": boolean("List the activities of people who have since been deleted instead."),
            **page_input(10, 100, "activities"),
        }
    ),
    output_schema=listing("activities", ACTIVITY, "activities, newest first", "A page of the activity log."),
    run=rest("GET", "/activities", query=("type", "name", "deleted", "customer_id", "id_type", "start", "limit")),
    examples=({}, {"type": "event", "name": "signed_up"}, {"customer_id": samples.ADA_EMAIL, "id_type": "email", "all": True}),
    read_only=True,
    idempotent=True,
    api=API,
    pages=CursorPages(items="activities", next="next", param="start", size_param="limit", max_size=100),
)

# -- GET /v1/messages, /v1/messages/{id} --------------------------------------------------------------


MESSAGE_FILTERS = ("type", "metric", "drafts", "campaign_id", "newsletter_id", "action_id", "start_ts", "end_ts")

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
            "metric": string("Only messages that reached this metric, e.g. delivered, opened, clicked, bounced.", min_length=None, enum=list(METRICS)),
            "drafts": boolean("List drafted (unsent) messages instead of sent ones."),
            "campaign_id": integer_id("Only messages of this campaign."),
            "newsletter_id": integer_id("Only messages of this newsletter."),
            "action_id": integer_id("Only messages of this campaign or broadcast action (message step)."),
            **TIME_WINDOW,
            **page_input(50, 1000, "messages"),
        }
    ),
    output_schema=listing("messages", MESSAGE, "messages, newest first", "A page of messages (deliveries)."),
    run=rest("GET", "/messages", query=(*MESSAGE_FILTERS, "start", "limit")),
    examples=(
        {"campaign_id": samples.ONBOARDING_CAMPAIGN, "start_ts": 1_699_000_000, "end_ts": 1_701_000_000},
        {"type": "email", "metric": "opened", "limit": 10},
    ),
    read_only=True,
    idempotent=True,
    api=API,
    pages=CursorPages(items="messages", next="next", param="start", size_param="limit", max_size=1000),
)


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
    run=rest("GET", "/messages/{message_id}", read="message"),
    examples=({"message_id": samples.ADA_WELCOME_DELIVERY},),
    read_only=True,
    idempotent=True,
    api=API,
)

ACTIONS = (LIST_ACTIVITIES, LIST_MESSAGES, GET_MESSAGE)
