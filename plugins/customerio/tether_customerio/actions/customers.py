"""App API: people (§A5.2): look-ups, search, profiles, and each person's segments, messages,
activities and subscription preferences."""

from __future__ import annotations

from tether.connector import (
    Action, CursorPages, Request, array, boolean, identifier, input_object, integer, nullable, obj, rest, string,
)

from .. import samples
from ..schemas import FILTER_DEFS, ID_TYPE, IDENTIFIERS_OUT, NEXT, filter_property, page_input
from .activity import ACTIVITY, MESSAGE, TIME_WINDOW, listing
from .segments import SEGMENT

API = "app"

CUSTOMER = obj(
    {
        "id": nullable("string", "The person's id in your system."),
        "identifiers": IDENTIFIERS_OUT,
        "attributes": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Attribute name → value (as a string)."},
        "timestamps": {"type": "object", "additionalProperties": {"type": "integer"}, "description": "Attribute name → when it was last set (unix)."},
        "unsubscribed": boolean("Whether the person unsubscribed from all messages."),
        "devices": array(
            obj(
                {
                    "id": string("The device token.", min_length=None),
                    "platform": string("ios or android.", min_length=None),
                    "last_used": nullable("integer", "When the device was last used (unix)."),
                },
                "One device.",
            ),
            "The person's push devices.",
        ),
    },
    "A person as the App API shows them (§A5.2); attribute values come back as strings.",
    required=["identifiers", "attributes"],
)


GET_CUSTOMER_ATTRIBUTES = Action(
    key="get-customer-attributes",
    name="Get customer profile and attributes",
    description=(
        "Get one person's profile from Customer.io: their identifiers, every attribute (as strings) with when it "
        "was set, whether they unsubscribed, and their devices. Use to look up a customer, user or contact by id, "
        "email or cio_id."
    ),
    entity="customer",
    input_schema=input_object(
        {"customer_id": string("The person's id, email or cio_id (say which with id_type)."), "id_type": ID_TYPE},
        ("customer_id",),
    ),
    output_schema=CUSTOMER,
    run=rest("GET", "/customers/{customer_id}/attributes", query=("id_type",), read="customer"),
    examples=({"customer_id": samples.ADA}, {"customer_id": samples.ALAN_EMAIL, "id_type": "email"}),
    read_only=True,
    idempotent=True,
    api=API,
)

CUSTOMER_ID = string("The person's id, email or cio_id (say which with id_type).")

# -- GET /v1/customers?email= ---------------------------------------------------------------------


FIND_CUSTOMERS_BY_EMAIL = Action(
    key="find-customers-by-email",
    name="Find customers by email",
    description=(
        "Find the people (customers, users, contacts) with a given email address and get their id and cio_id. "
        "Use to look up who someone is when all you have is their email; more than one person can share an address."
    ),
    entity="customer",
    input_schema=input_object({"email": string("The email address to look for (case-insensitive).", min_length=3)}, ("email",)),
    output_schema=obj(
        {
            "results": array(
                obj(
                    {
                        "email": nullable("string", "The person's email address."),
                        "id": nullable("string", "The person's id in your system (null if they have none)."),
                        "cio_id": string("Customer.io's own id of the person.", min_length=None),
                    },
                    "One person's identifiers.",
                ),
                "Each person with the address; empty if nobody has it.",
            )
        },
        "The people with that email address (§A5.2).",
        required=["results"],
    ),
    run=rest("GET", "/customers", query=("email",)),
    examples=({"email": samples.GRACE_EMAIL}, {"email": "ALAN+TEST@example.com"}),
    read_only=True,
    idempotent=True,
    api=API,
)

# -- POST /v1/customers (search) ------------------------------------------------------------------


SEARCH_CUSTOMERS = Action(
    key="search-customers",
    name="Search customers",
    description=(
        "Search for people (customers, users, contacts) matching an audience filter: attribute conditions "
        "(plan equals pro, phone exists), segment membership, combined with and / or / not. Returns their "
        "identifiers a page at a time (all=true for everyone). Use to find who matches some criteria."
    ),
    entity="customer",
    input_schema=input_object(
        {
            "filter": filter_property(
                "Who to find: {\"attribute\": {\"field\": \"plan\", \"operator\": \"eq\", \"value\": \"pro\"}}, "
                "{\"segment\": {\"id\": 7}}, or {\"and\"|\"or\": [...]} / {\"not\": {...}} of those."
            ),
            **page_input(50, 1000, "people"),
        },
        ("filter",),
        **FILTER_DEFS,
    ),
    output_schema=obj(
        {
            "identifiers": array(IDENTIFIERS_OUT, "Each matching person's identifiers."),
            "ids": array({"type": "string"}, "Their ids, in the same order (\"\" for a person without an id)."),
            "next": NEXT,
        },
        "A page of the people who match (§A5.2).",
        required=["identifiers"],
    ),
    # A search changes nothing, so the POST is safe to retry.
    run=rest("POST", "/customers", query=("start", "limit"), body=("filter",), idempotent=True),
    examples=(
        {"filter": {"attribute": {"field": "plan", "operator": "eq", "value": "pro"}}},
        {"filter": {"and": [{"segment": {"id": samples.VIP_SEGMENT}}, {"not": {"attribute": {"field": "first_name", "operator": "eq", "value": "Grace"}}}]}, "limit": 1},
    ),
    read_only=True,
    idempotent=True,
    api=API,
    pages=CursorPages(items="identifiers", next="next", param="start", size_param="limit", max_size=1000),
)

# -- POST /v1/customers/attributes (max 100 ids a request) -----------------------------------------

BATCH = 100  # §A5.2, §A9.5


def get_customers_attributes(inp, ctx):
    ids = list(dict.fromkeys(inp["ids"]))  # each person once, in the order given
    customers = []
    for at in range(0, len(ids), BATCH):
        response = yield Request("POST", "/customers/attributes", json={"ids": ids[at : at + BATCH]}, idempotent=True)
        customers += [entry["customer"] for entry in response.json().get("customers", []) if isinstance(entry, dict) and "customer" in entry]
    found = {c.get("id") for c in customers}
    return {"customers": customers, "missing": [i for i in ids if i not in found]}


GET_CUSTOMERS_ATTRIBUTES = Action(
    key="get-customers-attributes",
    name="Get attributes of many customers",
    description=(
        "Get the profiles (attributes, identifiers, devices) of many people at once by their ids, in bulk: up to "
        "10,000 customers, fetched 100 per request. Also says which ids were not found. For a single person use "
        "get-customer-attributes."
    ),
    entity="customer",
    input_schema=input_object(
        {
            "ids": array(
                identifier("A person's id.", max_length=150),
                "The people's ids (not emails), up to 10,000; sent 100 per request.",
                minItems=1,
                maxItems=10000,
            )
        },
        ("ids",),
    ),
    output_schema=obj(
        {
            "customers": array(CUSTOMER, "Each person found, in the order asked for."),
            "missing": array({"type": "string"}, "Ids that matched nobody (Customer.io leaves them out)."),
        },
        "The people found, and the ids that matched nobody.",
        required=["customers", "missing"],
    ),
    run=get_customers_attributes,
    examples=({"ids": [samples.ADA, samples.GRACE, "cust-9999"]},),
    read_only=True,
    idempotent=True,
    api=API,
)

# -- per-person listings ------------------------------------------------------------------------------


def _of_person(suffix: str, *keys: str, read: str | None = None):
    return rest("GET", "/customers/{customer_id}/" + suffix, query=("id_type", *keys), read=read)


GET_CUSTOMER_SEGMENTS = Action(
    key="get-customer-segments",
    name="Get customer segments",
    description=(
        "List the segments (audiences, groups) one person belongs to, manual and data-driven. Use to check which "
        "segments a customer, user or contact is in."
    ),
    entity="customer",
    input_schema=input_object({"customer_id": CUSTOMER_ID, "id_type": ID_TYPE}, ("customer_id",)),
    output_schema=obj(
        {"segments": array(SEGMENT, "The segments the person is in.")},
        "The person's segments (§A5.2; not paginated).",
        required=["segments"],
    ),
    run=_of_person("segments"),
    examples=({"customer_id": samples.ADA}, {"customer_id": samples.KATHERINE_EMAIL, "id_type": "email"}),
    read_only=True,
    idempotent=True,
    api=API,
)


GET_CUSTOMER_MESSAGES = Action(
    key="get-customer-messages",
    name="Get messages sent to a customer",
    description=(
        "See the message history of one person: the messages (deliveries: emails, push, SMS, webhooks) we sent or "
        "send them, newest first, with subject, campaign and metrics (delivered, opened, clicked). Without times it "
        "covers the last 6 months. Use to see what a customer, user or contact was sent."
    ),
    entity="customer",
    input_schema=input_object(
        {"customer_id": CUSTOMER_ID, "id_type": ID_TYPE, **TIME_WINDOW, **page_input(50, 1000, "messages")},
        ("customer_id",),
    ),
    output_schema=listing("messages", MESSAGE, "messages, newest first", "A page of the person's messages (§A5.2)."),
    run=_of_person("messages", "start_ts", "end_ts", "start", "limit"),
    examples=(
        {"customer_id": samples.ADA, "start_ts": 1_699_000_000, "end_ts": 1_701_000_000},
        {"customer_id": samples.GRACE, "limit": 10},
    ),
    read_only=True,
    idempotent=True,
    api=API,
    pages=CursorPages(items="messages", next="next", param="start", size_param="limit", max_size=1000),
)


GET_CUSTOMER_ACTIVITIES = Action(
    key="get-customer-activities",
    name="Get customer activities",
    description=(
        "List one person's activity history, newest first: events they did, pages and screens viewed, attribute "
        "changes, messages sent to them. Filter by activity type or event name; only the last 30 days are "
        "guaranteed. Use to see what a customer, user or contact has done recently."
    ),
    entity="customer",
    input_schema=input_object(
        {
            "customer_id": CUSTOMER_ID,
            "id_type": ID_TYPE,
            "type": string("Only activities of this type, e.g. event, page, attribute_change, sent_email."),
            "name": string("Only activities with this name (an event, page or screen name)."),
            **page_input(10, 100, "activities"),
        },
        ("customer_id",),
    ),
    output_schema=listing("activities", ACTIVITY, "activities, newest first", "A page of the person's activities (§A5.2)."),
    run=_of_person("activities", "type", "name", "start", "limit"),
    examples=({"customer_id": samples.ADA}, {"customer_id": samples.ADA_EMAIL, "id_type": "email", "type": "event", "name": "signed_up"}),
    read_only=True,
    idempotent=True,
    api=API,
    pages=CursorPages(items="activities", next="next", param="start", size_param="limit", max_size=100),
)

# -- GET /v1/customers/{id}/subscription_preferences ------------------------------------------------


GET_CUSTOMER_SUBSCRIPTION_PREFERENCES = Action(
    key="get-customer-subscription-preferences",
    name="Get customer subscription preferences",
    description=(
        "Get one person's subscription preferences: each subscription topic with whether they are opted in, and "
        "whether they unsubscribed from everything, as in their subscription centre (in a given language). "
        "Use before messaging a customer, user or contact to respect their opt-in/opt-out choices."
    ),
    entity="customer",
    input_schema=input_object(
        {
            "customer_id": CUSTOMER_ID,
            "id_type": ID_TYPE,
            "language": string("The language for topic names and the header, e.g. fr or de (default: the workspace's)."),
        },
        ("customer_id",),
    ),
    output_schema=obj(
        {
            "id": nullable("string", "The person's id."),
            "identifiers": IDENTIFIERS_OUT,
            "topics": array(
                obj(
                    {
                        "id": integer("The topic id (topic_<id> in cio_subscription_preferences)."),
                        "subscribed": boolean("Whether the person receives messages of this topic."),
                        "name": string("The topic's name, in the language asked for.", min_length=None),
                        "description": nullable("string", "What the topic is about."),
                    },
                    "One topic and the person's choice.",
                ),
                "Each subscription topic of the workspace.",
            ),
            "unsubscribed": boolean("Whether the person unsubscribed from all messages."),
            "header": obj(
                {
                    "title": string("The heading's title.", min_length=None),
                    "subtitle": string("The line under the title.", min_length=None),
                },
                "The subscription centre's heading.",
            ),
        },
        "The person's subscription preferences (§A5.2).",
        required=["identifiers", "topics", "unsubscribed"],
    ),
    run=_of_person("subscription_preferences", "language", read="customer"),
    examples=({"customer_id": samples.ADA}, {"customer_id": samples.GRACE_EMAIL, "id_type": "email", "language": "fr"}),
    read_only=True,
    idempotent=True,
    api=API,
)

ACTIONS = (
    FIND_CUSTOMERS_BY_EMAIL,
    SEARCH_CUSTOMERS,
    GET_CUSTOMER_ATTRIBUTES,
    GET_CUSTOMERS_ATTRIBUTES,
    GET_CUSTOMER_SEGMENTS,
    GET_CUSTOMER_MESSAGES,
    GET_CUSTOMER_ACTIVITIES,
    GET_CUSTOMER_SUBSCRIPTION_PREFERENCES,
)
