"""App API: exports of people and deliveries, and their download links (§A5.7)."""

from __future__ import annotations

from tether.connector import Action, array, boolean, input_object, integer, nullable, obj, rest, string

from .. import samples
from ..schemas import DEDUPLICATE_ID, FILTER_DEFS, filter_property, integer_id
from .activity import METRICS

API = "app"

EXPORT = obj(
    {
        "id": integer("The export id."),
        "user_id": nullable("integer", "The teammate who started it (null when started through the API)."),
        "user_email": nullable("string", "That teammate's email address."),
        "total": integer("How many rows it holds (0 until it is done)."),
        "deduplicate_id": DEDUPLICATE_ID,
        "type": string("What it exports: customers (people) or deliveries (messages).", min_length=None, enum=["customers", "deliveries"]),
        "failed": boolean("Whether it failed."),
        "description": nullable("string", "What it contains."),
        "downloads": integer("How many times its file was downloaded."),
        "created_at": integer("When it was started (unix)."),
        "updated_at": integer("When it last changed (unix)."),
        "status": string("pending (being made), done (ready to download) or failed.", min_length=None, enum=["pending", "done", "failed"]),
    },
    "An export (§A5.7). It starts pending and reads done, with its total, once the file is ready.",
    required=["id", "type", "status"],
)

EXPORT_ID = integer_id("The export's id (see list-exports).")


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
    run=rest("POST", "/exports/customers", body={"filter": "filters"}, read="export"),  # §A5.7: the wire key is plural
    examples=({"filter": {"segment": {"id": samples.VIP_SEGMENT}}},),
    api=API,
)

SOURCES = ("newsletter_id", "campaign_id", "transactional_message_id", "action_id")


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
            "start": integer("Only messages created at or after this time (unix); default 6 months before end.", minimum=0),
            "end": integer("Only messages created at or before this time (unix); default now. At most 12 months after start.", minimum=0),
            "metric": string("Only messages that reached this metric, e.g. opened or bounced.", min_length=None, enum=["created", *METRICS]),
            "attributes": array(
                string("An attribute name."),
                "Recipients' attributes to add as columns, e.g. [\"first_name\", \"plan\"].",
                minItems=1,
                uniqueItems=True,
            ),
            "drafts": boolean("Include drafted (unsent) messages."),
        },
        # §A5.7: exactly one of newsletter_id, campaign_id, transactional_message_id, action_id.
        oneOf=[{"required": [key]} for key in SOURCES],
    ),
    output_schema=EXPORT,
    run=rest("POST", "/exports/deliveries", body=(*SOURCES, "start", "end", "attributes", "metric", "drafts"), read="export"),
    examples=(
        {"campaign_id": samples.ONBOARDING_CAMPAIGN, "start": 1_699_000_000, "end": 1_701_000_000, "attributes": ["first_name", "plan"]},
        {"newsletter_id": samples.NOVEMBER_NEWSLETTER, "metric": "opened"},
    ),
    api=API,
)


LIST_EXPORTS = Action(
    key="list-exports",
    name="List exports",
    description="List all previous exports of the workspace (customer and delivery CSV exports) with their status and size.",
    entity="export",
    input_schema=input_object({}),
    output_schema=obj(
        {"exports": array(EXPORT, "The exports, oldest first.")},
        "Every export (§A5.7; not paginated).",
        required=["exports"],
    ),
    run=rest("GET", "/exports"),
    examples=({},),
    read_only=True,
    idempotent=True,
    api=API,
)


GET_EXPORT = Action(
    key="get-export",
    name="Get export",
    description="Get one export by its id, to check whether it is done (status) and how many rows it has.",
    entity="export",
    input_schema=input_object({"export_id": EXPORT_ID}, ("export_id",)),
    output_schema=EXPORT,
    run=rest("GET", "/exports/{export_id}", read="export"),
    examples=({"export_id": samples.CUSTOMERS_EXPORT},),
    read_only=True,
    idempotent=True,
    api=API,
)


GET_EXPORT_DOWNLOAD_URL = Action(
    key="get-export-download-url",
    name="Get export download URL",
    description=(
        "Get a link to download an export's file (CSV). The signed link works without credentials and expires "
        "after 15 minutes, so fetch it right away."
    ),
    entity="export",
    input_schema=input_object({"export_id": EXPORT_ID}, ("export_id",)),
    output_schema=obj(
        {"url": string("The signed download link; it expires after 15 minutes.", min_length=None)},
        "Where to download the export (§A5.7).",
        required=["url"],
    ),
    run=rest("GET", "/exports/{export_id}/download"),
    examples=({"export_id": samples.CUSTOMERS_EXPORT},),
    read_only=True,
    idempotent=True,
    api=API,
)

ACTIONS = (EXPORT_CUSTOMERS, EXPORT_DELIVERIES, LIST_EXPORTS, GET_EXPORT, GET_EXPORT_DOWNLOAD_URL)
