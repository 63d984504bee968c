"""Track API actions (§A3, §A4): people, events, devices, segment membership, forms, batches."""

from __future__ import annotations

from tether.connector import (
    Action, AuthError, NotFoundError, PlatformError, array, boolean, input_object, integer, obj, pick, rest, string,
)

from .. import samples
from ..schemas import ID_TYPE, IDENTIFIER, IDENTIFIERS, TRACK_OK
from .common import track_ok

API = "track"
PERSON = "/v1/customers/{identifier}"


def _attributes(inp, ctx):
    body = {**(inp.get("attributes") or {}), **pick(inp, ("email", "created_at"))}
    if inp.get("update_only"):
        body["_update"] = True
    return body


IDENTIFY_CUSTOMER = Action(
    key="identify-customer",
    name="Identify customer",
    description=(
        "Create or update a person (customer, user, contact) in Customer.io and set their attributes: email, "
        "name, plan, created_at or any custom attribute. Use whenever someone signs up or their profile changes; "
        "with update_only it never creates a new person."
    ),
    entity="customer",
    input_schema=input_object(
        {
            "identifier": IDENTIFIER,
            "email": string("The person's email address.", min_length=3),
            "created_at": integer("When the person signed up (unix seconds).", minimum=0),
            "attributes": {
                "type": "object",
                "maxProperties": 300,
                "description": "Attributes to set (at most 300; names ≤ 150 bytes, values ≤ 1000 bytes).",
            },
            "update_only": boolean("Only update an existing person; never create one (_update)."),
        },
        ("identifier",),
    ),
    output_schema=TRACK_OK,
    run=rest("PUT", PERSON, body=_attributes, read=track_ok),
    examples=({"identifier": "cust-2001", "email": "mary@example.com", "attributes": {"first_name": "Mary", "plan": "pro"}},),
    idempotent=True,
    api=API,
)


# -- delete, suppress, unsuppress ------------------------------------------------------------------


def _simple(method: str, suffix: str):
    # §A8: the Python SDK sends {} on these (body=() is an empty object); §A9.4 the platform takes {} or no body.
    return rest(method, PERSON + suffix, body=(), idempotent=True, read=track_ok)


PERSON_ONLY = input_object({"identifier": IDENTIFIER}, ("identifier",))

DELETE_CUSTOMER = Action(
    key="delete-customer",
    name="Delete customer",
    description=(
        "Delete a person (customer, user, contact) entirely: their whole profile and data are removed from "
        "Customer.io. Deleting someone who does not exist is not an error. They can be identified again later; to also block them, use suppress-customer."
    ),
    entity="customer",
    input_schema=PERSON_ONLY,
    output_schema=TRACK_OK,
    run=_simple("DELETE", ""),
    examples=({"identifier": samples.KATHERINE},),
    destructive=True,
    idempotent=True,
    api=API,
)

SUPPRESS_CUSTOMER = Action(
    key="suppress-customer",
    name="Suppress customer",
    description=(
        "Suppress (block, blocklist) a person for good: delete their profile and block their identifier (id or email "
        "address) so they can never be added, tracked or messaged again, for example after a GDPR erasure request "
        "or an abuse report. Undo the block with unsuppress-customer."
    ),
    entity="customer",
    input_schema=PERSON_ONLY,
    output_schema=TRACK_OK,
    run=_simple("POST", "/suppress"),
    examples=({"identifier": samples.ALAN},),
    destructive=True,
    idempotent=True,
    api=API,
)

UNSUPPRESS_CUSTOMER = Action(
    key="unsuppress-customer",
    name="Unsuppress customer",
    description=(
        "Lift (undo, reverse) the suppression of a person so their identifier can be identified and tracked again. "
        "It does not restore the deleted profile: identify the person again afterwards."
    ),
    entity="customer",
    input_schema=PERSON_ONLY,
    output_schema=TRACK_OK,
    run=_simple("POST", "/unsuppress"),
    examples=({"identifier": "cust-9999"},),
    idempotent=True,
    api=API,
)


# -- events -------------------------------------------------------------------------------------------

EVENT_FIELDS = {
    "name": string("The event name, e.g. purchased (at most 100 bytes).", maxLength=100),
    "data": {
        "type": "object",
        "description": "Event data (at most 100,000 bytes); recipient, from_address and reply_to override campaign settings.",
    },
    "id": string(
        "A ULID for this event: Customer.io drops a second event with the same id, so a retry never counts twice.",
        min_length=None,
        pattern="^[0-9A-HJKMNP-TV-Z]{26}$",
    ),
    "type": string("event (default), page (a page view) or screen (a mobile screen view).", min_length=None, enum=["event", "page", "screen"]),
    "timestamp": integer("When it happened (unix seconds); only events of the past 72 hours can trigger campaigns.", minimum=0),
}


EVENT_KEYS = ("name", "data", "id", "type", "timestamp")


def _by_event_id(path: str, keys: tuple[str, ...]):
    """One POST of ``keys``; with an event id Customer.io deduplicates, so only then is a resend after a lost answer safe."""
    sends = {dedup: rest("POST", path, body=keys, idempotent=dedup, read=track_ok) for dedup in (True, False)}

    def run(inp, ctx):
        return sends["id" in inp](inp, ctx)

    return run


TRACK_CUSTOMER_EVENT = Action(
    key="track-customer-event",
    name="Track customer event",
    description=(
        "Record an event (activity) that a known person did: purchased, signed up, viewed a page, with event data. "
        "Events can trigger campaigns and feed segments. Give an id (ULID) to make retries safe. For someone not "
        "yet identified use track-anonymous-event."
    ),
    entity="event",
    input_schema=input_object({"identifier": IDENTIFIER, **EVENT_FIELDS}, ("identifier", "name")),
    output_schema=TRACK_OK,
    run=_by_event_id(PERSON + "/events", EVENT_KEYS),
    examples=(
        {"identifier": samples.ADA, "name": "purchased", "data": {"price": 23.45, "sku": "book-1"}},
        {"identifier": samples.GRACE_EMAIL, "name": "/pricing", "type": "page", "id": "01HB4HBDKTFWYZCK01DMRSWRFD"},
    ),
    api=API,
)


TRACK_ANONYMOUS_EVENT = Action(
    key="track-anonymous-event",
    name="Track anonymous event",
    description=(
        "Record an event of an anonymous visitor (not yet identified), keyed by an anonymous_id; it is merged into "
        "the person who is later identified with that anonymous_id. Without anonymous_id it is an invite event "
        "and data.recipient is required."
    ),
    entity="event",
    input_schema=input_object(
        {"anonymous_id": string("The visitor's anonymous id (e.g. from a cookie)."), **EVENT_FIELDS},
        ("name",),
        # §A3 #8: an event without anonymous_id is an "invite" and needs data.recipient.
        **{
            "if": {"not": {"required": ["anonymous_id"]}},
            "then": {"required": ["data"], "properties": {"data": {"required": ["recipient"]}}},
        },
    ),
    output_schema=TRACK_OK,
    run=_by_event_id("/v1/events", (*EVENT_KEYS, "anonymous_id")),
    examples=(
        {"anonymous_id": "anon-7f3a", "name": "viewed_pricing", "data": {"plan": "pro"}},
        {"name": "invited", "data": {"recipient": "friend@example.com"}},
    ),
    api=API,
)


# -- devices ------------------------------------------------------------------------------------------

DEVICE_TOKEN = string("The push device token (APNs or FCM).")


def _device(inp, ctx):
    return {"device": pick(inp, {"device_id": "id", "platform": "platform", "last_used": "last_used", "attributes": "attributes"})}


ADD_CUSTOMER_DEVICE = Action(
    key="add-customer-device",
    name="Add customer device",
    description=(
        "Add or update a person's mobile device (push token and platform ios or android) so they can receive push "
        "notifications. Adding a token that exists updates it."
    ),
    entity="device",
    input_schema=input_object(
        {
            "identifier": IDENTIFIER,
            "device_id": DEVICE_TOKEN,
            "platform": string("ios or android.", min_length=None, enum=["ios", "android"]),
            "last_used": integer("When the device was last used (unix seconds).", minimum=0),
            "attributes": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "Device attributes as strings: device_os, device_model, app_version, push_enabled (\"true\"/\"false\"), …",
            },
        },
        ("identifier", "device_id", "platform"),
    ),
    output_schema=TRACK_OK,
    run=rest("PUT", PERSON + "/devices", body=_device, read=track_ok),
    examples=({"identifier": samples.GRACE, "device_id": "fcm/grace-token-1", "platform": "android", "attributes": {"app_version": "2.1.0"}},),
    idempotent=True,
    api=API,
)


DELETE_CUSTOMER_DEVICE = Action(
    key="delete-customer-device",
    name="Delete customer device",
    description=(
        "Remove (unregister) one of a person's mobile devices, given by its push token, e.g. when they log out of "
        "the app, uninstall it or the token is invalid."
    ),
    entity="device",
    input_schema=input_object({"identifier": IDENTIFIER, "device_id": DEVICE_TOKEN}, ("identifier", "device_id")),
    output_schema=TRACK_OK,
    run=rest("DELETE", PERSON + "/devices/{device_id}", body=(), read=track_ok),
    examples=({"identifier": samples.ADA, "device_id": samples.ADA_DEVICE},),
    destructive=True,
    idempotent=True,
    api=API,
)


# -- merge ----------------------------------------------------------------------------------------------


MERGE_CUSTOMERS = Action(
    key="merge-customers",
    name="Merge customers",
    description=(
        "Merge (combine, deduplicate) two people who are the same customer into one person, each given by id, email "
        "or cio_id: the secondary's attributes, devices, activity and segment memberships move to the primary, and "
        "the secondary is deleted. Not reversible; does nothing if the primary does not exist."
    ),
    entity="customer",
    input_schema=input_object(
        {
            "primary": {**IDENTIFIERS, "description": "The person who remains: exactly one of id, email, cio_id."},
            "secondary": {**IDENTIFIERS, "description": "The duplicate merged into the primary and then deleted: exactly one of id, email, cio_id."},
        },
        ("primary", "secondary"),
    ),
    output_schema=TRACK_OK,
    run=rest("POST", "/v1/merge_customers", body=("primary", "secondary"), idempotent=True, read=track_ok),
    examples=({"primary": {"id": samples.ALAN}, "secondary": {"email": samples.KATHERINE_EMAIL}},),
    destructive=True,
    idempotent=True,
    api=API,
)


# -- segment membership (§A3 #10, #11) ------------------------------------------------------------------


def _membership(verb: str):
    send = rest(
        "POST", "/v1/segments/{segment_id}/" + verb, query=("id_type",), body=("ids",), idempotent=True,
        read=lambda response, inp: {"ok": True, "count": len(inp["ids"])},
    )  # fmt: skip

    def run(inp, ctx):
        try:
            return (yield from send(inp, ctx))
        except NotFoundError as exc:
            exc.add_context("only manual segments take members through the API; see list-segments")
            raise

    return run


def _membership_schema(what: str):
    return input_object(
        {
            "segment_id": integer("The id of a manual segment.", minimum=1),
            "ids": array(
                {"type": "string", "minLength": 1},
                f"People to {what}, at most 1000 per call; ids that do not match id_type are ignored.",
                minItems=1,
                maxItems=1000,
            ),
            "id_type": ID_TYPE,
        },
        ("segment_id", "ids"),
    )


MEMBERSHIP_OK = obj(
    {
        "ok": boolean("Always true: the request was accepted.", const=True),
        "count": integer("How many ids were sent."),
    },
    "Customer.io accepted the change.",
    required=["ok"],
)

ADD_CUSTOMERS_TO_SEGMENT = Action(
    key="add-customers-to-segment",
    name="Add customers to segment",
    description=(
        "Add people (customers, users) to a manual segment (audience, group) by id, email or cio_id, up to 1000 "
        "per call. Data-driven segments cannot be changed this way."
    ),
    entity="segment",
    input_schema=_membership_schema("add"),
    output_schema=MEMBERSHIP_OK,
    run=_membership("add_customers"),
    examples=({"segment_id": samples.BETA_SEGMENT, "ids": [samples.ALAN, samples.KATHERINE]},),
    idempotent=True,
    api=API,
)

REMOVE_CUSTOMERS_FROM_SEGMENT = Action(
    key="remove-customers-from-segment",
    name="Remove customers from segment",
    description="Remove people from a manual segment (audience, group) by id, email or cio_id, up to 1000 per call.",
    entity="segment",
    input_schema=_membership_schema("remove"),
    output_schema=MEMBERSHIP_OK,
    run=_membership("remove_customers"),
    examples=({"segment_id": samples.VIP_SEGMENT, "ids": [samples.GRACE_EMAIL], "id_type": "email"},),
    destructive=True,
    idempotent=True,
    api=API,
)


# -- forms (§A3 #12) ------------------------------------------------------------------------------------


SUBMIT_FORM = Action(
    key="submit-form",
    name="Submit form",
    description=(
        "Send a form submission (sign-up, contact or lead form on your site) to Customer.io: it identifies the "
        "person by data.email or data.id and can trigger form campaigns. An unknown form id creates the form."
    ),
    entity="form",
    input_schema=input_object(
        {
            "form_id": string("Your id for the form (any string)."),
            "data": {
                "type": "object",
                "description": "The form's fields; values must be strings and one of email or id must be present.",
                "additionalProperties": {"type": "string"},
                "anyOf": [{"required": ["email"]}, {"required": ["id"]}],
                "propertyNames": {"not": {"enum": ["form_id", "form_name", "form_type", "form_url", "form_url_param"]}},
            },
        },
        ("form_id", "data"),
    ),
    output_schema=TRACK_OK,
    run=rest("POST", "/v1/forms/{form_id}/submit", body=("data",), read=track_ok),
    examples=({"form_id": "newsletter-signup", "data": {"email": "new.reader@example.com", "first_name": "Nia"}},),
    api=API,
)

REGION = obj(
    {
        "url": string("The Track host to use: https://track.customer.io or https://track-eu.customer.io.", min_length=None),
        "region": string("The workspace's data centre: us or eu.", min_length=None, enum=["us", "eu"]),
        "environment_id": integer("The workspace (environment) id."),
    },
    "Where the workspace's data lives (§A1 GET /api/v1/accounts/region).",
    required=["url", "region"],
)


_REGION = rest("GET", "/v1/accounts/region")


def get_account_region(inp, ctx):
    try:
        return (yield from _REGION(inp, ctx))
    except PlatformError as exc:
        # §A1: this endpoint answers bad credentials with 400, not 401.
        if exc.status == 400:
            raise AuthError(f"{exc} (the site id or Track API key is wrong)", status=400, body=exc.body) from None
        raise


GET_ACCOUNT_REGION = Action(
    key="get-account-region",
    name="Get account region",
    description=(
        "Find which data centre (us or eu) the workspace of the Track credentials lives in, and its Track host. "
        "Use to check the Track credentials or to choose the connection's region setting."
    ),
    entity="account",
    input_schema=input_object({}),
    output_schema=REGION,
    run=get_account_region,
    examples=({},),
    read_only=True,
    idempotent=True,
    api=API,
)


from .track_batch import SEND_TRACK_BATCH  # noqa: E402  (its own module: splitting and 207 reports)

ACTIONS = (
    IDENTIFY_CUSTOMER,
    DELETE_CUSTOMER,
    TRACK_CUSTOMER_EVENT,
    TRACK_ANONYMOUS_EVENT,
    ADD_CUSTOMER_DEVICE,
    DELETE_CUSTOMER_DEVICE,
    SUPPRESS_CUSTOMER,
    UNSUPPRESS_CUSTOMER,
    MERGE_CUSTOMERS,
    ADD_CUSTOMERS_TO_SEGMENT,
    REMOVE_CUSTOMERS_FROM_SEGMENT,
    SUBMIT_FORM,
    SEND_TRACK_BATCH,
    GET_ACCOUNT_REGION,
)
