"""App API: campaigns, their actions and metrics, and newsletters (§A5.4)."""

from __future__ import annotations

from typing import Any

from tether._models import Action
from tether._pages import CursorPages
from tether._wire import Request

from .. import samples
from ..schemas import DELETED, METRIC_SERIES, NEXT, input_object, integer_id, page_input
from .common import pick

API = "app"

# -- shapes -------------------------------------------------------------------------------------------------

REF = {
    "type": "object",
    "description": "A reference to one message or workflow action.",
    "properties": {
        "id": {"type": "integer", "description": "The action's id."},
        "type": {"type": "string", "description": "Its type: email, push, twilio (SMS), slack, webhook, in_app, …"},
    },
}

INT_IDS = {"type": "array", "items": {"type": "integer"}}

CAMPAIGN = {
    "type": "object",
    "description": "A campaign (an automated journey, §A5.4).",
    "properties": {
        "id": {"type": "integer", "description": "The campaign id."},
        "deduplicate_id": {"type": "string", "description": "id:unix of its last change."},
        "name": {"type": "string", "description": "The campaign's name."},
        "type": {"type": "string", "description": "What triggers it: segment, event, form, date, relationship, object or webhook."},
        "created": {"type": "integer", "description": "When it was created (unix)."},
        "updated": {"type": "integer", "description": "When it last changed (unix)."},
        "active": {"type": "boolean", "description": "Whether it is running."},
        "state": {"type": "string", "description": "running, draft or stopped."},
        "actions": {"type": "array", "items": REF, "description": "Its workflow actions ({type, id})."},
        "first_started": {"type": ["integer", "null"], "description": "When it first started (unix); null if never."},
        "tags": {"type": ["array", "null"], "items": {"type": "string"}, "description": "Tags."},
        "trigger_segment_ids": {**INT_IDS, "description": "Segments whose new members enter the campaign (segment campaigns)."},
        "filter_segment_ids": {**INT_IDS, "description": "Segments people must be in to enter."},
        "msg_templates": {"type": "array", "items": REF, "description": "The messages it sends ({type, id})."},
        "event_name": {"type": ["string", "null"], "description": "The event that triggers it (event campaigns)."},
    },
    "required": ["id", "name", "type"],
}

CAMPAIGN_ACTION = {
    "type": "object",
    "description": "One action (message, webhook, …) of a campaign's workflow (§A5.4).",
    "properties": {
        "id": {"type": "integer", "description": "The action id."},
        "campaign_id": {"type": "integer", "description": "The campaign it belongs to."},
        "parent_action_id": {"type": ["integer", "null"], "description": "The action before it in the workflow."},
        "deduplicate_id": {"type": "string", "description": "id:unix of its last change."},
        "name": {"type": "string", "description": "The action's name."},
        "layout": {"type": ["string", "null"], "description": "The email layout (HTML)."},
        "created": {"type": "integer", "description": "When it was created (unix)."},
        "updated": {"type": "integer", "description": "When it last changed (unix)."},
        "body": {"type": ["string", "null"], "description": "The message body."},
        "type": {"type": "string", "description": "email, in_app, push, twilio (SMS), slack or webhook."},
        "sending_state": {"type": "string", "description": "automatic (sends), draft (queues drafts) or off."},
        "language": {"type": ["string", "null"], "description": "The language of this version (empty for the default)."},
        "from": {"type": ["string", "null"], "description": "The sender address (email)."},
        "from_id": {"type": ["integer", "null"], "description": "The sender identity id (email)."},
        "reply_to": {"type": ["string", "null"], "description": "The reply-to address (email)."},
        "reply_to_id": {"type": ["integer", "null"], "description": "The reply-to identity id (email)."},
        "preprocessor": {"type": ["string", "null"], "description": "The CSS preprocessor (email)."},
        "recipient": {"type": ["string", "null"], "description": "Who it goes to (often liquid, e.g. {{customer.email}})."},
        "subject": {"type": ["string", "null"], "description": "The subject line (email)."},
        "bcc": {"type": ["string", "null"], "description": "BCC addresses (email)."},
        "fake_bcc": {"type": ["boolean", "null"], "description": "Whether BCC copies are sent as separate emails."},
        "preheader_text": {"type": ["string", "null"], "description": "The preheader text (email)."},
        "body_amp": {"type": ["string", "null"], "description": "The AMP body (email)."},
        "headers": {"type": ["string", "null"], "description": "Extra email headers, as a JSON string of [{name, value}]."},
        "url": {"type": ["string", "null"], "description": "The request URL (webhook actions)."},
        "method": {"type": ["string", "null"], "description": "The HTTP method (webhook actions)."},
    },
    "required": ["id", "type"],
}

NEWSLETTER = {
    "type": "object",
    "description": "A newsletter: a one-off message sent to a group of people (§A5.4).",
    "properties": {
        "id": {"type": "integer", "description": "The newsletter id."},
        "deduplicate_id": {"type": "string", "description": "id:unix of its last change."},
        "content_ids": {**INT_IDS, "description": "Its contents (several for A/B tests or languages)."},
        "name": {"type": "string", "description": "The newsletter's name."},
        "sent_at": {"type": ["integer", "null"], "description": "When it was sent (unix); null for a draft."},
        "created": {"type": "integer", "description": "When it was created (unix)."},
        "updated": {"type": "integer", "description": "When it last changed (unix)."},
        "type": {"type": "string", "description": "email, webhook, twilio (SMS), slack, push or in_app."},
        "tags": {"type": ["array", "null"], "items": {"type": "string"}, "description": "Tags."},
        "recipient_segment_ids": {**INT_IDS, "description": "The segments it is (or was) sent to."},
        "subscription_topic_id": {"type": ["integer", "null"], "description": "The subscription topic it belongs to, if any."},
    },
    "required": ["id", "name"],
}

METRIC = {
    "type": "object",
    "description": "Delivery metrics per period, oldest first (§A5.4).",
    "properties": {
        "series": {
            **METRIC_SERIES,
            "description": "Metric name (sent, delivered, opened, clicked, converted, bounced, …) → counts per period, oldest first.",
        }
    },
    "required": ["series"],
}

CAMPAIGN_ID = integer_id("The campaign id (from list-campaigns).")
NEWSLETTER_ID = integer_id("The newsletter id (from list-newsletters).")

# §A5.4 v1: period with its steps maximum (24 hours, 45 days, 12 weeks, 120 months).
MAX_STEPS = {"hours": 24, "days": 45, "weeks": 12, "months": 120}
PERIOD = {"type": "string", "enum": list(MAX_STEPS), "description": "The length of each period: hours, days (default), weeks or months."}


def steps_schema(minimum: int) -> dict[str, Any]:
    return {
        "type": "integer",
        "minimum": minimum,
        "maximum": 120,
        "description": f"How many periods, {minimum}–24 hours, 45 days, 12 weeks or 120 months (default: the most there are, 12 for months).",
    }


def steps_rules() -> list[dict[str, Any]]:
    """steps ≤ the period's maximum (days when no period is given)."""
    rules = [
        {"if": {"required": ["period"], "properties": {"period": {"const": period}}}, "then": {"properties": {"steps": {"maximum": top}}}}
        for period, top in MAX_STEPS.items()
    ]
    rules.append({"if": {"not": {"required": ["period"]}}, "then": {"properties": {"steps": {"maximum": MAX_STEPS["days"]}}}})
    return rules


UNIX = {"type": "integer", "minimum": 0}
RES = {
    "type": "string",
    "enum": ["hours", "days", "weeks", "months"],
    "description": "The length of each period: hours, days, weeks or months.",
}

# -- campaigns -----------------------------------------------------------------------------------------------


def list_campaigns(inp, ctx):
    response = yield Request("GET", "/campaigns")
    return response.json()


LIST_CAMPAIGNS = Action(
    key="list-campaigns",
    name="List campaigns",
    description=(
        "List every campaign (automated journey or workflow) in the Customer.io workspace with its trigger type, "
        "state (running, draft, stopped), actions and segments. Use to find a campaign's id by its name."
    ),
    entity="campaign",
    input_schema=input_object({}),
    output_schema={
        "type": "object",
        "description": "Every campaign (this listing is not paginated).",
        "properties": {"campaigns": {"type": "array", "items": CAMPAIGN, "description": "The campaigns."}},
        "required": ["campaigns"],
    },
    run=list_campaigns,
    examples=({},),
    read_only=True,
    idempotent=True,
    api=API,
)


def get_campaign(inp, ctx):
    response = yield Request("GET", "/campaigns/{id}", path_params={"id": inp["campaign_id"]})
    return response.json()["campaign"]


GET_CAMPAIGN = Action(
    key="get-campaign",
    name="Get campaign",
    description=(
        "Look up one campaign (automated journey) by id: its name, what triggers it (segment, event, date, …), "
        "state, the segments it uses and the ids and types of its steps."
    ),
    entity="campaign",
    input_schema=input_object({"campaign_id": CAMPAIGN_ID}, ("campaign_id",)),
    output_schema=CAMPAIGN,
    run=get_campaign,
    examples=({"campaign_id": samples.ONBOARDING_CAMPAIGN},),
    read_only=True,
    idempotent=True,
    api=API,
)


def get_campaign_metrics(inp, ctx):
    params = {"version": inp.get("version", 2), **pick(inp, ("period", "steps", "res", "tz", "start", "end", "type"))}
    response = yield Request("GET", "/campaigns/{id}/metrics", path_params={"id": inp["campaign_id"]}, params=params)
    return response.json()["metric"]


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
            "version": {"type": "integer", "enum": [1, 2], "description": "The metrics API version: 2 (default, res/start/end) or 1 (period/steps)."},
            "period": {**PERIOD, "description": "Version 1: the length of each period, hours, days (default), weeks or months."},
            "steps": {**steps_schema(1), "description": "Version 1: how many periods (at most 24 hours, 45 days, 12 weeks, 120 months)."},
            "res": {
                "type": "string",
                "enum": ["hours", "hourly", "days", "daily", "weeks", "weekly", "months", "monthly"],
                "description": "Version 2: the length of each period (hours, days, weeks, months; or hourly, daily, …).",
            },
            "tz": {"type": "string", "minLength": 1, "description": "Version 2: the time zone periods are counted in (Customer.io's default is EST)."},
            "start": {**UNIX, "description": "Version 2: the start of the range (unix seconds)."},
            "end": {**UNIX, "description": "Version 2: the end of the range (unix seconds)."},
            "type": {
                "type": "string",
                "enum": ["email", "webhook", "twilio", "slack", "push", "in_app"],
                "description": "Version 2: only count messages of this type (twilio is SMS).",
            },
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
    run=get_campaign_metrics,
    examples=(
        {"campaign_id": samples.ONBOARDING_CAMPAIGN, "res": "days", "start": 1_699_000_000, "end": 1_699_604_800},
        {"campaign_id": samples.ONBOARDING_CAMPAIGN, "version": 1, "period": "weeks", "steps": 4},
    ),
    read_only=True,
    idempotent=True,
    api=API,
)


def get_campaign_journey_metrics(inp, ctx):
    params = pick(inp, ("start", "end", "res"))
    response = yield Request("GET", "/campaigns/{id}/journey_metrics", path_params={"id": inp["campaign_id"]}, params=params)
    return response.json()["journey_metric"]


def _counts(description: str) -> dict[str, Any]:
    return {"type": "array", "items": {"type": "integer"}, "description": description}


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
    output_schema={
        "type": "object",
        "description": "Journey counts per period, oldest first (§A5.4).",
        "properties": {
            "started": _counts("People who entered the journey."),
            "activated": _counts("People who reached a first action."),
            "exited_early": _counts("People who left before the end."),
            "finished": _counts("People who reached the end."),
            "converted": _counts("People who met the conversion goal."),
            "never_activated": _counts("People who entered but never reached an action."),
            "messaged": _counts("People who were sent a message."),
        },
        "required": ["started", "finished"],
    },
    run=get_campaign_journey_metrics,
    examples=({"campaign_id": samples.ONBOARDING_CAMPAIGN, "start": 1_699_000_000, "end": 1_699_604_800, "res": "days"},),
    read_only=True,
    idempotent=True,
    api=API,
)


def list_campaign_actions(inp, ctx):
    response = yield Request("GET", "/campaigns/{id}/actions", path_params={"id": inp["campaign_id"]}, params=pick(inp, ("start",)))
    return response.json()


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
    output_schema={
        "type": "object",
        "description": "A page of the campaign's actions.",
        "properties": {
            "actions": {"type": "array", "items": CAMPAIGN_ACTION, "description": "The actions on this page (every action with all=true)."},
            "next": NEXT,
        },
        "required": ["actions"],
    },
    run=list_campaign_actions,
    examples=({"campaign_id": samples.ONBOARDING_CAMPAIGN}, {"campaign_id": samples.ONBOARDING_CAMPAIGN, "all": True}),
    read_only=True,
    idempotent=True,
    pages=CursorPages(items="actions", next="next", param="start", size_param=None),
    api=API,
)

# -- newsletters ---------------------------------------------------------------------------------------------


def list_newsletters(inp, ctx):
    response = yield Request("GET", "/newsletters", params=pick(inp, ("limit", "sort", "start")))
    return response.json()


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
            "sort": {"type": "string", "enum": ["asc", "desc"], "description": "asc: oldest first; desc: newest first."},
        }
    ),
    output_schema={
        "type": "object",
        "description": "A page of newsletters.",
        "properties": {
            "newsletters": {"type": "array", "items": NEWSLETTER, "description": "The newsletters on this page (every one with all=true)."},
            "next": NEXT,
        },
        "required": ["newsletters"],
    },
    run=list_newsletters,
    examples=({}, {"limit": 1, "sort": "asc"}),
    read_only=True,
    idempotent=True,
    pages=CursorPages(items="newsletters", next="next", param="start", size_param="limit", max_size=100),
    api=API,
)


def get_newsletter(inp, ctx):
    response = yield Request("GET", "/newsletters/{id}", path_params={"id": inp["newsletter_id"]})
    return response.json()["newsletter"]


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
    run=get_newsletter,
    examples=({"newsletter_id": samples.NOVEMBER_NEWSLETTER},),
    read_only=True,
    idempotent=True,
    api=API,
)


def get_newsletter_metrics(inp, ctx):
    response = yield Request(
        "GET", "/newsletters/{id}/metrics", path_params={"id": inp["newsletter_id"]}, params=pick(inp, ("period", "steps"))
    )
    return response.json()["metric"]


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
    run=get_newsletter_metrics,
    examples=({"newsletter_id": samples.NOVEMBER_NEWSLETTER, "period": "days", "steps": 7},),
    read_only=True,
    idempotent=True,
    api=API,
)


def delete_newsletter(inp, ctx):
    yield Request("DELETE", "/newsletters/{id}", path_params={"id": inp["newsletter_id"]})
    return {"deleted": True}  # §A5.4: 204, no body


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
    run=delete_newsletter,
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
