"""Track API actions (§A3, §A4): people, events, devices, segment membership, forms, batches."""

from __future__ import annotations

from tether._errors import AuthError, NotFoundError, PlatformError
from tether._models import Action
from tether._wire import Request

from .. import samples
from ..schemas import ID_TYPE, IDENTIFIER, IDENTIFIERS, TRACK_OK, input_object
from .common import TRACK_OK as OK

API = "track"


def identify_customer(inp, ctx):
    body = dict(inp.get("attributes") or {})
    for key in ("email", "created_at"):
        if key in inp:
            body[key] = inp[key]
    if inp.get("update_only"):
        body["_update"] = True
    yield Request("PUT", "/v1/customers/{identifier}", path_params={"identifier": inp["identifier"]}, json=body)
    return dict(OK)


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
            "email": {"type": "string", "minLength": 3, "description": "The person's email address."},
            "created_at": {"type": "integer", "minimum": 0, "description": "When the person signed up (unix seconds)."},
            "attributes": {
                "type": "object",
                "maxProperties": 300,
                "description": "Attributes to set (at most 300; names ≤ 150 bytes, values ≤ 1000 bytes).",
            },
            "update_only": {"type": "boolean", "description": "Only update an existing person; never create one (_update)."},
        },
        ("identifier",),
    ),
    output_schema=TRACK_OK,
    run=identify_customer,
    examples=({"identifier": "cust-2001", "email": "mary@example.com", "attributes": {"first_name": "Mary", "plan": "pro"}},),
    idempotent=True,
    api=API,
)



def _person_path(suffix: str = "") -> str:
    return "/v1/customers/{identifier}" + suffix


# -- delete, suppress, unsuppress ------------------------------------------------------------------


def _simple(method: str, suffix: str):
    def run(inp, ctx):
        # §A8: the Python SDK sends {} on these; §A9.4 the platform takes {} or no body.
        yield Request(method, _person_path(suffix), path_params={"identifier": inp["identifier"]}, json={}, idempotent=True)
        return dict(OK)

    return run


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
        "Suppress a person: delete their profile and block their identifier so they cannot be added again (for "
        "example after a GDPR erasure request or an abuse report). Undo the block with unsuppress-customer."
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
        "Lift a suppression so the identifier can be used again. It does not restore the deleted profile: identify "
        "the person again afterwards."
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
    "name": {"type": "string", "minLength": 1, "maxLength": 100, "description": "The event name, e.g. purchased (at most 100 bytes)."},
    "data": {
        "type": "object",
        "description": "Event data (at most 100,000 bytes); recipient, from_address and reply_to override campaign settings.",
    },
    "id": {
        "type": "string",
        "pattern": "^[0-9A-HJKMNP-TV-Z]{26}$",
        "description": "A ULID for this event: Customer.io drops a second event with the same id, so a retry never counts twice.",
    },
    "type": {"type": "string", "enum": ["event", "page", "screen"], "description": "event (default), page (a page view) or screen (a mobile screen view)."},
    "timestamp": {"type": "integer", "minimum": 0, "description": "When it happened (unix seconds); only events of the past 72 hours can trigger campaigns."},
}


def _event_body(inp) -> dict:
    return {k: inp[k] for k in ("name", "data", "id", "type", "timestamp") if k in inp}


def track_customer_event(inp, ctx):
    yield Request(
        "POST",
        _person_path("/events"),
        path_params={"identifier": inp["identifier"]},
        json=_event_body(inp),
        # With an event id Customer.io deduplicates, so resending after a lost answer is safe.
        idempotent="id" in inp,
    )
    return dict(OK)


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
    run=track_customer_event,
    examples=(
        {"identifier": samples.ADA, "name": "purchased", "data": {"price": 23.45, "sku": "book-1"}},
        {"identifier": samples.GRACE_EMAIL, "name": "/pricing", "type": "page", "id": "01HB4HBDKTFWYZCK01DMRSWRFD"},
    ),
    api=API,
)


def track_anonymous_event(inp, ctx):
    body = _event_body(inp)
    if "anonymous_id" in inp:
        body["anonymous_id"] = inp["anonymous_id"]
    yield Request("POST", "/v1/events", json=body, idempotent="id" in inp)
    return dict(OK)


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
        {"anonymous_id": {"type": "string", "minLength": 1, "description": "The visitor's anonymous id (e.g. from a cookie)."}, **EVENT_FIELDS},
        ("name",),
        # §A3 #8: an event without anonymous_id is an "invite" and needs data.recipient.
        **{
            "if": {"not": {"required": ["anonymous_id"]}},
            "then": {"required": ["data"], "properties": {"data": {"required": ["recipient"]}}},
        },
    ),
    output_schema=TRACK_OK,
    run=track_anonymous_event,
    examples=(
        {"anonymous_id": "anon-7f3a", "name": "viewed_pricing", "data": {"plan": "pro"}},
        {"name": "invited", "data": {"recipient": "friend@example.com"}},
    ),
    api=API,
)


# -- devices ------------------------------------------------------------------------------------------

DEVICE_TOKEN = {"type": "string", "minLength": 1, "description": "The push device token (APNs or FCM)."}


def add_customer_device(inp, ctx):
    device = {"id": inp["device_id"], "platform": inp["platform"]}
    for key in ("last_used", "attributes"):
        if key in inp:
            device[key] = inp[key]
    yield Request("PUT", _person_path("/devices"), path_params={"identifier": inp["identifier"]}, json={"device": device})
    return dict(OK)


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
            "platform": {"type": "string", "enum": ["ios", "android"], "description": "ios or android."},
            "last_used": {"type": "integer", "minimum": 0, "description": "When the device was last used (unix seconds)."},
            "attributes": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "Device attributes as strings: device_os, device_model, app_version, push_enabled (\"true\"/\"false\"), …",
            },
        },
        ("identifier", "device_id", "platform"),
    ),
    output_schema=TRACK_OK,
    run=add_customer_device,
    examples=({"identifier": samples.GRACE, "device_id": "fcm/grace-token-1", "platform": "android", "attributes": {"app_version": "2.1.0"}},),
    idempotent=True,
    api=API,
)


def delete_customer_device(inp, ctx):
    yield Request(
        "DELETE",
        _person_path("/devices/{device_id}"),
        path_params={"identifier": inp["identifier"], "device_id": inp["device_id"]},
        json={},
    )
    return dict(OK)


DELETE_CUSTOMER_DEVICE = Action(
    key="delete-customer-device",
    name="Delete customer device",
    description="Remove a push device token from a person, e.g. when they log out of the app or the token is invalid.",
    entity="device",
    input_schema=input_object({"identifier": IDENTIFIER, "device_id": DEVICE_TOKEN}, ("identifier", "device_id")),
    output_schema=TRACK_OK,
    run=delete_customer_device,
    examples=({"identifier": samples.ADA, "device_id": samples.ADA_DEVICE},),
    destructive=True,
    idempotent=True,
    api=API,
)


# -- merge ----------------------------------------------------------------------------------------------


def merge_customers(inp, ctx):
    yield Request("POST", "/v1/merge_customers", json={"primary": inp["primary"], "secondary": inp["secondary"]}, idempotent=True)
    return dict(OK)


MERGE_CUSTOMERS = Action(
    key="merge-customers",
    name="Merge customers",
    description=(
        "Merge two people (duplicate profiles of the same customer) into one: the secondary's attributes, devices, "
        "activity and segment memberships move to the primary, and the secondary is deleted. Not reversible; does "
        "nothing if the primary does not exist."
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
    run=merge_customers,
    examples=({"primary": {"id": samples.ALAN}, "secondary": {"email": samples.KATHERINE_EMAIL}},),
    destructive=True,
    idempotent=True,
    api=API,
)


# -- segment membership (§A3 #10, #11) ------------------------------------------------------------------


def _membership(verb: str):
    def run(inp, ctx):
        try:
            yield Request(
                "POST",
                "/v1/segments/{segment_id}/" + verb,
                path_params={"segment_id": inp["segment_id"]},
                params={"id_type": inp.get("id_type")},
                json={"ids": inp["ids"]},
                idempotent=True,
            )
        except NotFoundError as exc:
            exc.add_context("only manual segments take members through the API; see list-segments")
            raise
        return {"ok": True, "count": len(inp["ids"])}

    return run


def _membership_schema(what: str):
    return input_object(
        {
            "segment_id": {"type": "integer", "minimum": 1, "description": "The id of a manual segment."},
            "ids": {
                "type": "array",
                "minItems": 1,
                "maxItems": 1000,
                "items": {"type": "string", "minLength": 1},
                "description": f"People to {what}, at most 1000 per call; ids that do not match id_type are ignored.",
            },
            "id_type": ID_TYPE,
        },
        ("segment_id", "ids"),
    )


MEMBERSHIP_OK = {
    "type": "object",
    "description": "Customer.io accepted the change.",
    "properties": {
        "ok": {"type": "boolean", "const": True, "description": "Always true: the request was accepted."},
        "count": {"type": "integer", "description": "How many ids were sent."},
    },
    "required": ["ok"],
}

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


def submit_form(inp, ctx):
    yield Request("POST", "/v1/forms/{form_id}/submit", path_params={"form_id": inp["form_id"]}, json={"data": inp["data"]})
    return dict(OK)


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
            "form_id": {"type": "string", "minLength": 1, "description": "Your id for the form (any string)."},
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
    run=submit_form,
    examples=({"form_id": "newsletter-signup", "data": {"email": "new.reader@example.com", "first_name": "Nia"}},),
    api=API,
)

REGION = {
    "type": "object",
    "description": "Where the workspace's data lives (§A1 GET /api/v1/accounts/region).",
    "properties": {
        "url": {"type": "string", "description": "The Track host to use: https://track.customer.io or https://track-eu.customer.io."},
        "region": {"type": "string", "enum": ["us", "eu"], "description": "The workspace's data centre: us or eu."},
        "environment_id": {"type": "integer", "description": "The workspace (environment) id."},
    },
    "required": ["url", "region"],
}


def get_account_region(inp, ctx):
    try:
        response = yield Request("GET", "/v1/accounts/region")
    except PlatformError as exc:
        # §A1: this endpoint answers bad credentials with 400, not 401.
        if exc.status == 400:
            raise AuthError(f"{exc} (the site id or Track API key is wrong)", status=400, body=exc.body) from None
        raise
    return response.json()


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
