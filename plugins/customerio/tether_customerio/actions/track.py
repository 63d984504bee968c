"""Track API actions (§A3, §A4): people, events, devices, segment membership, forms, batches."""

from __future__ import annotations

from tether.errors import AuthError, PlatformError
from tether.models import Action
from tether.wire import Request

from .. import samples
from ..schemas import IDENTIFIER, TRACK_OK, input_object
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

ACTIONS = (IDENTIFY_CUSTOMER, GET_ACCOUNT_REGION)
