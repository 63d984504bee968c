"""App API: exports of people and deliveries, and their download links (§A5.7)."""

from __future__ import annotations

from tether._models import Action
from tether._wire import Request

from .. import samples
from ..schemas import FILTER_DEFS, filter_property, input_object, integer_id
from .activity import METRICS
from .common import pick

API = "app"

EXPORT = {
    "type": "object",
    "description": "An export (§A5.7). It starts pending and reads done, with its total, once the file is ready.",
    "properties": {
        "id": {"type": "integer", "description": "The export id."},
        "user_id": {"type": ["integer", "null"], "description": "The teammate who started it (null when started through the API)."},
        "user_email": {"type": ["string", "null"], "description": "That teammate's email address."},
        "total": {"type": "integer", "description": "How many rows it holds (0 until it is done)."},
        "deduplicate_id": {"type": "string", "description": "id:unix of its last change."},
        "type": {"type": "string", "enum": ["customers", "deliveries"], "description": "What it exports: customers (people) or deliveries (messages)."},
        "failed": {"type": "boolean", "description": "Whether it failed."},
        "description": {"type": ["string", "null"], "description": "What it contains."},
        "downloads": {"type": "integer", "description": "How many times its file was downloaded."},
        "created_at": {"type": "integer", "description": "When it was started (unix)."},
        "updated_at": {"type": "integer", "description": "When it last changed (unix)."},
        "status": {"type": "string", "enum": ["pending", "done", "failed"], "description": "pending (being made), done (ready to download) or failed."},
    },
    "required": ["id", "type", "status"],
}

EXPORT_ID = integer_id("The export's id (see list-exports).")


def export_customers(inp, ctx):
    response = yield Request("POST", "/exports/customers", json={"filters": inp["filter"]})  # §A5.7: plural key
    return response.json()["export"]


EXPORT_CUSTOMERS = Action(
    key="export-customers",
    name="Export customers",
    description=(
        "Start an export (a CSV download) of the people (customers, users, contacts) matching an audience filter, "
        "with all their attributes: e.g. everyone in a segment or on a plan. Returns the export; fetch its file "
        "with get-export-download-url once it is done."
    ),
    entity="export",
    input_schema=input_object(
        {
            "filter": filter_property(
                "Who to export: {\"segment\": {\"id\": 7}}, {\"attribute\": {\"field\": \"plan\", \"operator\": \"eq\", "
                "\"value\": \"pro\"}}, or {\"and\"|\"or\": [...]} / {\"not\": {...}} of those."
            )
        },
        ("filter",),
        **FILTER_DEFS,
    ),
    output_schema=EXPORT,
    run=export_customers,
    examples=({"filter": {"segment": {"id": samples.VIP_SEGMENT}}},),
    api=API,
)

SOURCES = ("newsletter_id", "campaign_id", "transactional_message_id", "action_id")


def export_deliveries(inp, ctx):
    body = pick(inp, (*SOURCES, "start", "end", "attributes", "metric", "drafts"))
    response = yield Request("POST", "/exports/deliveries", json=body)
    return response.json()["export"]


EXPORT_DELIVERIES = Action(
    key="export-deliveries",
    name="Export deliveries",
    description=(
        "Start an export (a CSV dump) of the messages (deliveries) sent by one campaign, newsletter, transactional "
        "message or campaign action, with each message's metrics (sent, delivered, opened, clicked, …), optionally "
        "only those that reached one metric and with recipients' attributes. Covers the last 6 months by default, "
        "at most 12."
    ),
    entity="export",
    input_schema=input_object(
        {
            "newsletter_id": integer_id("Export the deliveries of this newsletter."),
            "campaign_id": integer_id("Export the deliveries of this campaign."),
            "transactional_message_id": integer_id("Export the deliveries of this transactional message."),
            "action_id": integer_id("Export the deliveries of this campaign action (message step)."),
            "start": {"type": "integer", "minimum": 0, "description": "Only messages created at or after this time (unix); default 6 months before end."},
            "end": {"type": "integer", "minimum": 0, "description": "Only messages created at or before this time (unix); default now. At most 12 months after start."},
            "metric": {"type": "string", "enum": ["created", *METRICS], "description": "Only messages that reached this metric, e.g. opened or bounced."},
            "attributes": {
                "type": "array",
                "minItems": 1,
                "uniqueItems": True,
                "items": {"type": "string", "minLength": 1, "description": "An attribute name."},
                "description": "Recipients' attributes to add as columns, e.g. [\"first_name\", \"plan\"].",
            },
            "drafts": {"type": "boolean", "description": "Include drafted (unsent) messages."},
        },
        # §A5.7: exactly one of newsletter_id, campaign_id, transactional_message_id, action_id.
        oneOf=[{"required": [key]} for key in SOURCES],
    ),
    output_schema=EXPORT,
    run=export_deliveries,
    examples=(
        {"campaign_id": samples.ONBOARDING_CAMPAIGN, "start": 1_699_000_000, "end": 1_701_000_000, "attributes": ["first_name", "plan"]},
        {"newsletter_id": samples.NOVEMBER_NEWSLETTER, "metric": "opened"},
    ),
    api=API,
)


def list_exports(inp, ctx):
    response = yield Request("GET", "/exports")
    return response.json()


LIST_EXPORTS = Action(
    key="list-exports",
    name="List exports",
    description="List all previous exports of the workspace (customer and delivery CSV exports) with their status and size.",
    entity="export",
    input_schema=input_object({}),
    output_schema={
        "type": "object",
        "description": "Every export (§A5.7; not paginated).",
        "properties": {"exports": {"type": "array", "items": EXPORT, "description": "The exports, oldest first."}},
        "required": ["exports"],
    },
    run=list_exports,
    examples=({},),
    read_only=True,
    idempotent=True,
    api=API,
)


def get_export(inp, ctx):
    response = yield Request("GET", "/exports/{export_id}", path_params={"export_id": inp["export_id"]})
    return response.json()["export"]


GET_EXPORT = Action(
    key="get-export",
    name="Get export",
    description="Get one export by its id, to check whether it is done (status) and how many rows it has.",
    entity="export",
    input_schema=input_object({"export_id": EXPORT_ID}, ("export_id",)),
    output_schema=EXPORT,
    run=get_export,
    examples=({"export_id": samples.CUSTOMERS_EXPORT},),
    read_only=True,
    idempotent=True,
    api=API,
)


def get_export_download_url(inp, ctx):
    response = yield Request("GET", "/exports/{export_id}/download", path_params={"export_id": inp["export_id"]})
    return response.json()


GET_EXPORT_DOWNLOAD_URL = Action(
    key="get-export-download-url",
    name="Get export download URL",
    description=(
        "Get a link to download an export's file (CSV). The signed link works without credentials and expires "
        "after 15 minutes, so fetch it right away."
    ),
    entity="export",
    input_schema=input_object({"export_id": EXPORT_ID}, ("export_id",)),
    output_schema={
        "type": "object",
        "description": "Where to download the export (§A5.7).",
        "properties": {"url": {"type": "string", "description": "The signed download link; it expires after 15 minutes."}},
        "required": ["url"],
    },
    run=get_export_download_url,
    examples=({"export_id": samples.CUSTOMERS_EXPORT},),
    read_only=True,
    idempotent=True,
    api=API,
)

ACTIONS = (EXPORT_CUSTOMERS, EXPORT_DELIVERIES, LIST_EXPORTS, GET_EXPORT, GET_EXPORT_DOWNLOAD_URL)
