"""App API: people (§A5.2): look-ups, search, profiles, and each person's segments, messages,
activities and subscription preferences."""

from __future__ import annotations

from tether._models import Action
from tether._pages import CursorPages
from tether._wire import Request

from .. import samples
from ..schemas import FILTER_DEFS, ID_TYPE, IDENTIFIERS_OUT, NEXT, filter_property, input_object, page_input, string
from .activity import ACTIVITY, MESSAGE, TIME_WINDOW, listing
from .common import pick
from .segments import SEGMENT

API = "app"

CUSTOMER = {
    "type": "object",
    "description": "A person as the App API shows them (§A5.2); attribute values come back as strings.",
    "properties": {
        "id": {"type": ["string", "null"], "description": "The person's id in your system."},
        "identifiers": IDENTIFIERS_OUT,
        "attributes": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Attribute name → value (as a string)."},
        "timestamps": {"type": "object", "additionalProperties": {"type": "integer"}, "description": "Attribute name → when it was last set (unix)."},
        "unsubscribed": {"type": "boolean", "description": "Whether the person unsubscribed from all messages."},
        "devices": {
            "type": "array",
            "description": "The person's push devices.",
            "items": {
                "type": "object",
                "description": "One device.",
                "properties": {
                    "id": {"type": "string", "description": "The device token."},
                    "platform": {"type": "string", "description": "ios or android."},
                    "last_used": {"type": ["integer", "null"], "description": "When the device was last used (unix)."},
                },
            },
        },
    },
    "required": ["identifiers", "attributes"],
}


def get_customer_attributes(inp, ctx):
    response = yield Request(
        "GET",
        "/customers/{customer_id}/attributes",
        path_params={"customer_id": inp["customer_id"]},
        params={"id_type": inp.get("id_type")},
    )
    return response.json()["customer"]


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
    run=get_customer_attributes,
    examples=({"customer_id": samples.ADA}, {"customer_id": samples.ALAN_EMAIL, "id_type": "email"}),
    read_only=True,
    idempotent=True,
    api=API,
)

CUSTOMER_ID = string("The person's id, email or cio_id (say which with id_type).")

# -- GET /v1/customers?email= ---------------------------------------------------------------------


def find_customers_by_email(inp, ctx):
    response = yield Request("GET", "/customers", params={"email": inp["email"]})
    return response.json()


FIND_CUSTOMERS_BY_EMAIL = Action(
    key="find-customers-by-email",
    name="Find customers by email",
    description=(
        "Find the people (customers, users, contacts) with a given email address and get their id and cio_id. "
        "Use to look up who someone is when all you have is their email; more than one person can share an address."
    ),
    entity="customer",
    input_schema=input_object({"email": string("The email address to look for (case-insensitive).", minLength=3)}, ("email",)),
    output_schema={
        "type": "object",
        "description": "The people with that email address (§A5.2).",
        "properties": {
            "results": {
                "type": "array",
                "description": "Each person with the address; empty if nobody has it.",
                "items": {
                    "type": "object",
                    "description": "One person's identifiers.",
                    "properties": {
                        "email": {"type": ["string", "null"], "description": "The person's email address."},
                        "id": {"type": ["string", "null"], "description": "The person's id in your system (null if they have none)."},
                        "cio_id": {"type": "string", "description": "Customer.io's own id of the person."},
                    },
                },
            }
        },
        "required": ["results"],
    },
    run=find_customers_by_email,
    examples=({"email": samples.GRACE_EMAIL}, {"email": "ALAN+TEST@example.com"}),
    read_only=True,
    idempotent=True,
    api=API,
)

# -- POST /v1/customers (search) ------------------------------------------------------------------


def search_customers(inp, ctx):
    response = yield Request(
        "POST",
        "/customers",
        params=pick(inp, ("start", "limit")),
        json={"filter": inp["filter"]},
        idempotent=True,  # a search changes nothing, so it is safe to retry
    )
    return response.json()


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
    output_schema={
        "type": "object",
        "description": "A page of the people who match (§A5.2).",
        "properties": {
            "identifiers": {"type": "array", "items": IDENTIFIERS_OUT, "description": "Each matching person's identifiers."},
            "ids": {"type": "array", "items": {"type": "string"}, "description": "Their ids, in the same order (\"\" for a person without an id)."},
            "next": NEXT,
        },
        "required": ["identifiers"],
    },
    run=search_customers,
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
            "ids": {
                "type": "array",
                "minItems": 1,
                # [INF] Customer.io caps each request at 100 ids (§A5.2), not a call; 10,000 (100 requests,
                # ~10 s at the App API's 10/s, §A7) keeps one call bounded.
                "maxItems": 10000,
                # §A3 "Payload limits": person ids are at most 150 bytes.
                "items": {"type": "string", "minLength": 1, "maxLength": 150, "description": "A person's id."},
                "description": "The people's ids (not emails), up to 10,000; sent 100 per request.",
            }
        },
        ("ids",),
    ),
    output_schema={
        "type": "object",
        "description": "The people found, and the ids that matched nobody.",
        "properties": {
            "customers": {"type": "array", "items": CUSTOMER, "description": "Each person found, in the order asked for."},
            "missing": {"type": "array", "items": {"type": "string"}, "description": "Ids that matched nobody (Customer.io leaves them out)."},
        },
        "required": ["customers", "missing"],
    },
    run=get_customers_attributes,
    examples=({"ids": [samples.ADA, samples.GRACE, "cust-9999"]},),
    read_only=True,
    idempotent=True,
    api=API,
)

# -- per-person listings ------------------------------------------------------------------------------


def _person_request(path: str, inp, keys: tuple[str, ...]) -> Request:
    return Request("GET", path, path_params={"customer_id": inp["customer_id"]}, params=pick(inp, ("id_type", *keys)))


def get_customer_segments(inp, ctx):
    response = yield _person_request("/customers/{customer_id}/segments", inp, ())
    return response.json()


GET_CUSTOMER_SEGMENTS = Action(
    key="get-customer-segments",
    name="Get customer segments",
    description=(
        "List the segments (audiences, groups) one person belongs to, manual and data-driven. Use to check which "
        "segments a customer, user or contact is in."
    ),
    entity="customer",
    input_schema=input_object({"customer_id": CUSTOMER_ID, "id_type": ID_TYPE}, ("customer_id",)),
    output_schema={
        "type": "object",
        "description": "The person's segments (§A5.2; not paginated).",
        "properties": {"segments": {"type": "array", "items": SEGMENT, "description": "The segments the person is in."}},
        "required": ["segments"],
    },
    run=get_customer_segments,
    examples=({"customer_id": samples.ADA}, {"customer_id": samples.KATHERINE_EMAIL, "id_type": "email"}),
    read_only=True,
    idempotent=True,
    api=API,
)


def get_customer_messages(inp, ctx):
    response = yield _person_request("/customers/{customer_id}/messages", inp, ("start_ts", "end_ts", "start", "limit"))
    return response.json()


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
    run=get_customer_messages,
    examples=(
        {"customer_id": samples.ADA, "start_ts": 1_699_000_000, "end_ts": 1_701_000_000},
        {"customer_id": samples.GRACE, "limit": 10},
    ),
    read_only=True,
    idempotent=True,
    api=API,
    pages=CursorPages(items="messages", next="next", param="start", size_param="limit", max_size=1000),
)


def get_customer_activities(inp, ctx):
    response = yield _person_request("/customers/{customer_id}/activities", inp, ("type", "name", "start", "limit"))
    return response.json()


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
    run=get_customer_activities,
    examples=({"customer_id": samples.ADA}, {"customer_id": samples.ADA_EMAIL, "id_type": "email", "type": "event", "name": "signed_up"}),
    read_only=True,
    idempotent=True,
    api=API,
    pages=CursorPages(items="activities", next="next", param="start", size_param="limit", max_size=100),
)

# -- GET /v1/customers/{id}/subscription_preferences ------------------------------------------------


def get_customer_subscription_preferences(inp, ctx):
    response = yield _person_request("/customers/{customer_id}/subscription_preferences", inp, ("language",))
    return response.json()["customer"]


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
    output_schema={
        "type": "object",
        "description": "The person's subscription preferences (§A5.2).",
        "properties": {
            "id": {"type": ["string", "null"], "description": "The person's id."},
            "identifiers": IDENTIFIERS_OUT,
            "topics": {
                "type": "array",
                "description": "Each subscription topic of the workspace.",
                "items": {
                    "type": "object",
                    "description": "One topic and the person's choice.",
                    "properties": {
                        "id": {"type": "integer", "description": "The topic id (topic_<id> in cio_subscription_preferences)."},
                        "subscribed": {"type": "boolean", "description": "Whether the person receives messages of this topic."},
                        "name": {"type": "string", "description": "The topic's name, in the language asked for."},
                        "description": {"type": ["string", "null"], "description": "What the topic is about."},
                    },
                },
            },
            "unsubscribed": {"type": "boolean", "description": "Whether the person unsubscribed from all messages."},
            "header": {
                "type": "object",
                "description": "The subscription centre's heading.",
                "properties": {
                    "title": {"type": "string", "description": "The heading's title."},
                    "subtitle": {"type": "string", "description": "The line under the title."},
                },
            },
        },
        "required": ["identifiers", "topics", "unsubscribed"],
    },
    run=get_customer_subscription_preferences,
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
