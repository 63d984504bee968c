"""App API: campaigns, their actions and metrics, and newsletters (§A5.4)."""

from __future__ import annotations

from typing import Any

from tether.connector import (
    Action, CursorPages, array, boolean, input_object, integer, nullable, obj, pick, rest, string,
)

from .. import samples
from ..schemas import CREATED, DEDUPLICATE_ID, DELETED, METRIC_SERIES, NEXT, UPDATED, integer_id, page_input
from .common import deleted

API = "app"

# -- shapes -------------------------------------------------------------------------------------------------

REF = obj(
    {
        "id": integer("The action's id."),
        "type": string("Its type: email, push, twilio (SMS), slack, webhook, in_app, …", min_length=None),
    },
    "A reference to one message or workflow action.",
)

INT_IDS = {"type": "array", "items": {"type": "integer"}}

CAMPAIGN = obj(
    {
        "id": integer("The campaign id."),
        "deduplicate_id": DEDUPLICATE_ID,
        "name": string("The campaign's name.", min_length=None),
        "type": string("What triggers it: segment, event, form, date, relationship, object or webhook.", min_length=None),
        "created": CREATED,
        "updated": UPDATED,
        "active": boolean("Whether it is running."),
        "state": string("running, draft or stopped.", min_length=None),
        "actions": array(REF, "Its workflow actions ({type, id})."),
        "first_started": nullable("integer", "When it first started (unix); null if never."),
        "tags": {"type": ["array", "null"], "items": {"type": "string"}, "description": "Tags."},
        "trigger_segment_ids": {**INT_IDS, "description": "Segments whose new members enter the campaign (segment campaigns)."},
        "filter_segment_ids": {**INT_IDS, "description": "Segments people must be in to enter."},
        "msg_templates": array(REF, "The messages it sends ({type, id})."),
        "event_name": nullable("string", "The event that triggers it (event campaigns)."),
    },
    "A campaign (an automated journey, §A5.4).",
    required=["id", "name", "type"],
)

CAMPAIGN_ACTION = obj(
    {
        "id": integer("The action id."),
        "campaign_id": integer("The campaign it belongs to."),
        "parent_action_id": nullable("integer", "The action before it in the workflow."),
        "deduplicate_id": DEDUPLICATE_ID,
        "name": string("The action's name.", min_length=None),
        "layout": nullable("string", "The email layout (HTML)."),
        "created": CREATED,
        "updated": UPDATED,
        "body": nullable("string", "The message body."),
        "type": string("email, in_app, push, twilio (SMS), slack or webhook.", min_length=None),
        "sending_state": string("automatic (sends), draft (queues drafts) or off.", min_length=None),
        "language": nullable("string", "The language of this version (empty for the default)."),
        "from": nullable("string", "The sender address (email)."),
        "from_id": nullable("integer", "The sender identity id (email)."),
        "reply_to": nullable("string", "The reply-to address (email)."),
        "reply_to_id": nullable("integer", "The reply-to identity id (email)."),
        "preprocessor": nullable("string", "The CSS preprocessor (email)."),
        "recipient": nullable("string", "Who it goes to (often liquid, e.g. {{customer.email}})."),
        "subject": nullable("string", "The subject line (email)."),
        "bcc": nullable("string", "BCC addresses (email)."),
        "fake_bcc": nullable("boolean", "Whether BCC copies are sent as separate emails."),
        "preheader_text": nullable("string", "The preheader text (email)."),
        "body_amp": nullable("string", "The AMP body (email)."),
        "headers": nullable("string", "Extra email headers, as a JSON string of [{name, value}]."),
        "url": nullable("string", "The request URL (webhook actions)."),
        "method": nullable("string", "The HTTP method (webhook actions)."),
    },
    "One action (message, webhook, …) of a campaign's workflow (§A5.4).",
    required=["id", "type"],
)

NEWSLETTER = obj(
    {
        "id": integer("The newsletter id."),
        "deduplicate_id": DEDUPLICATE_ID,
        "content_ids": {**INT_IDS, "description": "Its contents (several for A/B tests or languages)."},
        "name": string("The newsletter's name.", min_length=None),
        "sent_at": nullable("integer", "When it was sent (unix); null for a draft."),
        "created": CREATED,
        "updated": UPDATED,
        "type": string("email, webhook, twilio (SMS), slack, push or in_app.", min_length=None),
        "tags": {"type": ["array", "null"], "items": {"type": "string"}, "description": "Tags."},
        "recipient_segment_ids": {**INT_IDS, "description": "The segments it is (or was) sent to."},
        "subscription_topic_id": nullable("integer", "The subscription topic it belongs to, if any."),
    },
    "A newsletter: a one-off message sent to a group of people (§A5.4).",
    required=["id", "name"],
)

METRIC = obj(
    {
        "series": {
            **METRIC_SERIES,
            "description": "Metric name (sent, delivered, opened, clicked, converted, bounced, …) → counts per period, oldest first.",
        }
    },
    "Delivery metrics per period, oldest first (§A5.4).",
    required=["series"],
)

CAMPAIGN_ID = integer_id("The campaign id (from list-campaigns).")
NEWSLETTER_ID = integer_id("The newsletter id (from list-newsletters).")

# §A5.4 v1: period with its steps maximum (24 hours, 45 days, 12 weeks, 120 months).
MAX_STEPS = {"hours": 24, "days": 45, "weeks": 12, "months": 120}
PERIOD = string("The length of each period: hours, days (default), weeks or months.", min_length=None, enum=list(MAX_STEPS))


def steps_schema(minimum: int) -> dict[str, Any]:
    return integer(
        f"How many periods, {minimum}–24 hours, 45 days, 12 weeks or 120 months (default: the most there are, 12 for months).",
        minimum=minimum,
        maximum=120,
    )


def steps_rules() -> list[dict[str, Any]]:
    """steps ≤ the period's maximum (days when no period is given)."""
    rules = [
        {"if": {"required": ["period"], "properties": {"period": {"const": period}}}, "then": {"properties": {"steps": {"maximum": top}}}}
        for period, top in MAX_STEPS.items()
    ]
    rules.append({"if": {"not": {"required": ["period"]}}, "then": {"properties": {"steps": {"maximum": MAX_STEPS["days"]}}}})
    return rules


UNIX = {"type": "integer", "minimum": 0}
RES = string(
    "The length of each period: hours, days, weeks or months.",
    min_length=None,
    enum=["hours", "days", "weeks", "months"],
)

# -- campaigns -----------------------------------------------------------------------------------------------


LIST_CAMPAIGNS = Action(
    key="list-campaigns",
    name="List campaigns",
    description=(
        "List every campaign (automated journey or workflow) in the Customer.io workspace with its trigger type, "
        "state (running, draft, stopped), actions and segments. Use to find a campaign's id by its name."
    ),
    entity="campaign",
    input_schema=input_object({}),
    output_schema=obj(
        {"campaigns": array(CAMPAIGN, "The campaigns.")},
        "Every campaign (this listing is not paginated).",
        required=["campaigns"],
    ),
    run=rest("GET", "/campaigns"),
    examples=({},),
    read_only=True,
    idempotent=True,
    api=API,
)


CAMPAIGN_PATH = "/campaigns/{campaign_id}"

GET_CAMPAIGN = Action(
    key="get-campaign",
    name="Get campaign",
    description=(
        "Look up one campaign (automated journey) by id and see its settings: name, what triggers it (segment, "
        "event, date, …), state, the segments it uses and the ids and types of its steps."
    ),
    entity="campaign",
    input_schema=input_object({"campaign_id": CAMPAIGN_ID}, ("campaign_id",)),
    output_schema=CAMPAIGN,
    run=rest("GET", CAMPAIGN_PATH, read="campaign"),
    examples=({"campaign_id": samples.ONBOARDING_CAMPAIGN},),
    read_only=True,
    idempotent=True,
    api=API,
)


def _metrics_query(inp, ctx):
    return {"version": inp.get("version", 2), **pick(inp, ("period", "steps", "res", "tz", "start", "end", "type"))}


V1_ONLY = ("period", "steps")
V2_ONLY = ("res", "tz", "start", "end", "type")

GET_CAMPAIGN_METRICS = Action(
    key="get-campaign-metrics",
    name="Get campaign metrics",
    description=(
        "Get a campaign's delivery statistics over time: how many messages were sent, delivered, opened, clicked, "
        "converted, bounced or unsubscribed per hour, day, week or month. Use to report on a campaign's "
        "performance. Version 2 (default) takes res with a start/end range; version 1 takes period and steps."
    ),
    entity="campaign",
    input_schema=input_object(
        {
            "campaign_id": CAMPAIGN_ID,
            # §A5.4: version is required by the API (2 recommended); the action sends 2 unless told.
            "version": integer("The metrics API version: 2 (default, res/start/end) or 1 (period/steps).", enum=[1, 2]),
            "period": {**PERIOD, "description": "Version 1: the length of each period, hours, days (default), weeks or months."},
            "steps": {**steps_schema(1), "description": "Version 1: how many periods (at most 24 hours, 45 days, 12 weeks, 120 months)."},
            "res": string(
                "Version 2: the length of each period (hours, days, weeks, months; or hourly, daily, …).",
                min_length=None,
                enum=["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"],
            ),
            "tz": string("Version 2: the time zone periods are counted in (Customer.io's default is EST)."),
            "start": {**UNIX, "description": "Version 2: the start of the range (unix seconds)."},
            "end": {**UNIX, "description": "Version 2: the end of the range (unix seconds)."},
            "type": string(
                "Version 2: only count messages of this type (twilio is SMS).",
                min_length=None,
                enum=["email", "webhook", "twilio", "slack", "push", "in_app"],
            ),
        },
        ("campaign_id",),
        allOf=[
            # v1 parameters need version 1; v2 parameters cannot go with version 1.
            {
                "if": {"anyOf": [{"required": [k]} for k in V1_ONLY]},
                "then": {"required": ["version"], "properties": {"version": {"const": 1}}},
            },
            {"if": {"anyOf": [{"required": [k]} for k in V2_ONLY]}, "then": {"properties": {"version": {"const": 2}}}},
            *steps_rules(),
        ],
    ),
    output_schema=METRIC,
    run=rest("GET", CAMPAIGN_PATH + "/metrics", query=_metrics_query, read="metric"),
    examples=(
        {"campaign_id": samples.ONBOARDING_CAMPAIGN, "res": "days", "start": 1_699_000_000, "end": 1_699_604_800},
        {"campaign_id": samples.ONBOARDING_CAMPAIGN, "version": 1, "period": "weeks", "steps": 4},
    ),
    read_only=True,
    idempotent=True,
    api=API,
)


def _counts(description: str) -> dict[str, Any]:
    return array({"type": "integer"}, description)


GET_CAMPAIGN_JOURNEY_METRICS = Action(
    key="get-campaign-journey-metrics",
    name="Get campaign journey metrics",
    description=(
        "Get how people moved through a campaign's journey per period: how many started, were activated, exited "
        "early, finished, converted, were never activated or were messaged. Use for funnel and journey reporting "
        "over a start/end range."
    ),
    entity="campaign",
    input_schema=input_object(
        {
            "campaign_id": CAMPAIGN_ID,
            "start": {**UNIX, "description": "The start of the range (unix seconds)."},
            "end": {**UNIX, "description": "The end of the range (unix seconds), after start."},
            "res": RES,
        },
        ("campaign_id", "start", "end", "res"),  # §A5.4: all three are required (400 otherwise)
    ),
    output_schema=obj(
        {
            "started": _counts("People who entered the journey."),
            "activated": _counts("People who reached a first action."),
            "exited_early": _counts("People who left before the end."),
            "finished": _counts("People who reached the end."),
            "converted": _counts("People who met the conversion goal."),
            "never_activated": _counts("People who entered but never reached an action."),
            "messaged": _counts("People who were sent a message."),
        },
        "Journey counts per period, oldest first (§A5.4).",
        required=["started", "finished"],
    ),
    run=rest("GET", CAMPAIGN_PATH + "/journey_metrics", query=("start", "end", "res"), read="journey_metric"),
    examples=({"campaign_id": samples.ONBOARDING_CAMPAIGN, "start": 1_699_000_000, "end": 1_699_604_800, "res": "days"},),
    read_only=True,
    idempotent=True,
    api=API,
)


ACTION_PAGE_INPUT = {k: v for k, v in page_input(10, 10, "actions").items() if k != "limit"}  # §A5.4: 10 a page, no limit

LIST_CAMPAIGN_ACTIONS = Action(
    key="list-campaign-actions",
    name="List campaign actions",
    description=(
        "List the messages and other steps (actions) in a campaign's workflow: its emails, push notifications, SMS, "
        "in-app and Slack messages and webhooks, with subject, body, sender and sending state. Ten a page; all=true "
        "returns every one."
    ),
    entity="campaign",
    input_schema=input_object({"campaign_id": CAMPAIGN_ID, **ACTION_PAGE_INPUT}, ("campaign_id",)),
    output_schema=obj(
        {
            "actions": array(CAMPAIGN_ACTION, "The actions on this page (every action with all=true)."),
            "next": NEXT,
        },
        "A page of the campaign's actions.",
        required=["actions"],
    ),
    run=rest("GET", CAMPAIGN_PATH + "/actions", query=("start",)),
    examples=({"campaign_id": samples.ONBOARDING_CAMPAIGN}, {"campaign_id": samples.ONBOARDING_CAMPAIGN, "all": True}),
    read_only=True,
    idempotent=True,
    pages=CursorPages(items="actions", next="next", param="start", size_param=None),
    api=API,
)

# -- newsletters ---------------------------------------------------------------------------------------------


LIST_NEWSLETTERS = Action(
    key="list-newsletters",
    name="List newsletters",
    description=(
        "List the newsletters (one-off email blasts and other single sends to a segment) in the workspace, sent and "
        "draft, newest first or oldest first, a page at a time or all of them with all=true."
    ),
    entity="newsletter",
    input_schema=input_object(
        {
            **page_input(50, 100, "newsletters"),
            "sort": string("asc: oldest first; desc: newest first.", min_length=None, enum=["asc", "desc"]),
        }
    ),
    output_schema=obj(
        {
            "newsletters": array(NEWSLETTER, "The newsletters on this page (every one with all=true)."),
            "next": NEXT,
        },
        "A page of newsletters.",
        required=["newsletters"],
    ),
    run=rest("GET", "/newsletters", query=("limit", "sort", "start")),
    examples=({}, {"limit": 1, "sort": "asc"}),
    read_only=True,
    idempotent=True,
    pages=CursorPages(items="newsletters", next="next", param="start", size_param="limit", max_size=100),
    api=API,
)


NEWSLETTER_PATH = "/newsletters/{newsletter_id}"

GET_NEWSLETTER = Action(
    key="get-newsletter",
    name="Get newsletter",
    description=(
        "Get one newsletter by id: its name, channel, when it was sent (null for a draft), the segments it goes "
        "to and its content ids."
    ),
    entity="newsletter",
    input_schema=input_object({"newsletter_id": NEWSLETTER_ID}, ("newsletter_id",)),
    output_schema=NEWSLETTER,
    run=rest("GET", NEWSLETTER_PATH, read="newsletter"),
    examples=({"newsletter_id": samples.NOVEMBER_NEWSLETTER},),
    read_only=True,
    idempotent=True,
    api=API,
)


GET_NEWSLETTER_METRICS = Action(
    key="get-newsletter-metrics",
    name="Get newsletter metrics",
    description=(
        "Get a newsletter's delivery statistics per hour, day, week or month: sent, delivered, opened, clicked, "
        "converted, bounced, unsubscribed. Use to see how a newsletter or email blast performed."
    ),
    entity="newsletter",
    input_schema=input_object(
        {"newsletter_id": NEWSLETTER_ID, "period": PERIOD, "steps": steps_schema(2)},  # §A5.4: never fewer than 2 steps
        ("newsletter_id",),
        allOf=steps_rules(),
    ),
    output_schema=METRIC,
    run=rest("GET", NEWSLETTER_PATH + "/metrics", query=("period", "steps"), read="metric"),
    examples=({"newsletter_id": samples.NOVEMBER_NEWSLETTER, "period": "days", "steps": 7},),
    read_only=True,
    idempotent=True,
    api=API,
)


DELETE_NEWSLETTER = Action(
    key="delete-newsletter",
    name="Delete newsletter",
    description=(
        "Delete (remove) a newsletter you no longer need, a draft or one already sent, for good. Its past "
        "deliveries stay in the message history. Cannot be undone."
    ),
    entity="newsletter",
    input_schema=input_object({"newsletter_id": {**NEWSLETTER_ID, "description": "The id of the newsletter to delete."}}, ("newsletter_id",)),
    output_schema=DELETED,
    run=rest("DELETE", NEWSLETTER_PATH, read=deleted),  # §A5.4: 204, no body
    examples=({"newsletter_id": samples.BLACK_FRIDAY_NEWSLETTER},),
    destructive=True,
    idempotent=True,  # deleting again changes nothing more (it answers 404)
    api=API,
)

ACTIONS = (
    LIST_CAMPAIGNS,
    GET_CAMPAIGN,
    GET_CAMPAIGN_METRICS,
    GET_CAMPAIGN_JOURNEY_METRICS,
    LIST_CAMPAIGN_ACTIONS,
    LIST_NEWSLETTERS,
    GET_NEWSLETTER,
    GET_NEWSLETTER_METRICS,
    DELETE_NEWSLETTER,
)
