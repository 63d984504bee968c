"""App API: people (§A5.2)."""

from __future__ import annotations

from tether.models import Action
from tether.wire import Request

from .. import samples
from ..schemas import ID_TYPE, IDENTIFIERS_OUT, input_object, string

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
    name="Get customer attributes",
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

ACTIONS = (GET_CUSTOMER_ATTRIBUTES,)
