"""Events (which start workflows) and orders (§B5.9, §B5.10)."""

from __future__ import annotations

import json

from tether.connector import (
    Action,
    Request,
    TetherError,
    ValidationError,
    array,
    boolean,
    enum,
    input_object,
    integer,
    number,
    obj,
    string,
)

from ..quirks import as_list, is_duplicate, refused

MAX_EVENT_BYTES = 20 * 1024
"""§B5.9: "Max. size of content for events sent in the request body is 20 kB"."""

MAX_ORDERS = 1000
"""§B5.10: at most 1,000 orders per request."""

# §B5.9: eventTypeKey ≤ 100 characters, none of < ; ’ \ / | " ` ' ^ ? ! , >
EVENT_KEY_PATTERN = "^[^<;\u2019\\\\/|\"`'^?!,>]+$"

# -- generate-event ----------------------------------------------------------------------------

PARAM = obj(
    {"name": string("Parameter name."), "value": {"description": "Parameter value: text, number, or (v2) any JSON value such as a list of items."}},
    "One event parameter.",
    required=("name", "value"),
    additionalProperties=False,
)


def generate_event(inp, ctx):
    version = inp.get("version", 2)
    body = {k: inp[k] for k in ("eventTypeKey", "keyValue", "params") if k in inp}
    if version == 1:
        if "keyValue" not in body:
            raise ValidationError("version 1 events need a keyValue (the contact's email, phone or id)", path="input.keyValue")
        # v1 takes nested JSON only as an escaped string (the v2 endpoint does not need that).
        body["params"] = [p if isinstance(p["value"], (str, int, float, bool)) else {**p, "value": json.dumps(p["value"])} for p in body.get("params", [])]
    size = len(json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode())
    if size > MAX_EVENT_BYTES:
        raise ValidationError(f"the event is {size} bytes; the platform takes at most 20 kB (20480 bytes)", path="input.params")
    # §B5.9: the answer is a 200 with an empty body.
    yield Request("POST", f"/v{version}/event", json=body, rate_family="events")
    return {"accepted": True}


GENERATE_EVENT = Action(
    key="generate-event",
    name="Generate event",
    description=(
        "Send (fire, track) a custom event for a contact, such as orderCreated, cartAbandoned or a product view, with "
        "parameters. Events start event-triggered automation workflows and feed segmentation; unknown event types are "
        "created. The contact is named by keyValue (email, phone or id), or in v2 by a contactId, externalCustomerId, "
        "email or phone parameter."
    ),
    entity="event",
    input_schema=input_object(
        {
            "eventTypeKey": string("The event type, e.g. orderCreated (at most 100 characters, no < ; / | \" ' ^ ? ! , >).", maxLength=100, pattern=EVENT_KEY_PATTERN),
            "keyValue": string("Whose event: the contact's email, phone or id (required with version 1).", maxLength=300),
            "params": array(PARAM, "Event parameters, used by the workflow and its messages."),
            "version": enum((1, 2), "API version: 2 (default; nested JSON values as is) or 1."),
        },
        ("eventTypeKey",),
    ),
    output_schema=obj({"accepted": boolean("True: the platform took the event (it answers an empty 200).")}, "Done.", required=("accepted",)),
    run=generate_event,
    examples=(
        {"eventTypeKey": "orderCreated", "keyValue": "ada@example.com", "params": [{"name": "orderId", "value": "A-1001"}]},
        {"eventTypeKey": "productViewed", "params": [{"name": "email", "value": "ada@example.com"}, {"name": "items", "value": [{"id": "sku-1"}]}]},
    ),
)

# -- add-orders --------------------------------------------------------------------------------

ORDER_STATUSES = ("INITIALIZED", "IN_PROGRESS", "DELIVERED", "CANCELLED", "ABANDONED_SHOPPING_CART")

ITEM = obj(
    {
        "externalItemId": string("Your product id."),
        "name": string("Product name."),
        "category": string("Category."),
        "quantity": integer("Quantity.", minimum=0),
        "cost": number("Price of one."),
        "url": string("Product page."),
        "imageUrl": string("Product image."),
        "description": string("Description."),
    },
    "One order line.",
    required=("externalItemId", "name", "quantity", "cost"),
    additionalProperties=False,
)

ORDER = obj(
    {
        "externalOrderId": string("Your order id; sending it again updates the order."),
        "externalCustomerId": string("Your customer id."),
        "totalCost": number("Order total."),
        "status": enum(ORDER_STATUSES, "Order status (only DELIVERED orders count for RFM analysis)."),
        "date": string("When it was placed, ISO 8601 (e.g. 2024-05-14T10:11:10+03:00)."),
        "currency": string("ISO 4217 currency code, e.g. EUR or UAH.", minLength=3, maxLength=3),
        "email": string("Customer's email (creates the contact if it does not exist)."),
        "phone": string("Customer's phone (creates the contact if it does not exist)."),
        "firstName": string("Customer's first name."),
        "lastName": string("Customer's last name."),
        "shipping": number("Shipping cost."),
        "discount": number("Discount."),
        "taxes": number("Taxes."),
        "restoreUrl": string("Link that restores the cart or shows the order."),
        "statusDescription": string("Status detail."),
        "storeId": string("Store id."),
        "source": enum(("online", "offline"), "Where it was placed."),
        "deliveryMethod": string("Delivery method."),
        "paymentMethod": string("Payment method."),
        "deliveryAddress": string("Delivery address."),
        "additionalInfo": string("Anything else."),
        "items": array(ITEM, "Order lines."),
    },
    "One order.",
    required=("externalOrderId", "externalCustomerId", "totalCost", "status", "date", "currency"),
    additionalProperties=False,
)


def add_orders(inp, ctx):
    orders = inp["orders"]
    failed, requests = [], 0
    for first in range(0, len(orders), MAX_ORDERS):
        try:
            # §B5.10: the same externalOrderId updates the order, so a retry cannot add a twin.
            response = yield Request("POST", "/v1/orders", json={"orders": orders[first : first + MAX_ORDERS]}, idempotent=True, accept=(400,))
            if response.status == 400 and not is_duplicate(response):
                raise refused(response)
        except TetherError as exc:
            if first:
                exc.add_context(f"orders 1–{first} were accepted; the rest were not sent", failedOrders=failed)
            raise
        requests += 1
        if response.status == 200:
            failed += as_list((response.json(default={}) or {}).get("failedOrders"))
    return {"failedOrders": failed, "requests": requests, "accepted": len(orders) - len(failed)}


ADD_ORDERS = Action(
    key="add-orders",
    name="Add orders",
    description=(
        "Send e-commerce orders or purchases (with their items, totals and status, including abandoned carts) to "
        "ESputnik for order tracking, RFM analysis and order-triggered workflows. Sending an order id again updates "
        "that order; a new email or phone creates the contact. Any number of orders, 1,000 per request."
    ),
    entity="order",
    input_schema=input_object({"orders": array(ORDER, "The orders.", minItems=1)}, ("orders",)),
    output_schema=obj(
        {
            "accepted": integer("Orders not refused."),
            "requests": integer("Requests sent."),
            "failedOrders": array(obj({}, "A refused order."), "Orders the platform refused, with the reason."),
        },
        "Done.",
        required=("failedOrders",),
    ),
    run=add_orders,
    examples=(
        {
            "orders": [
                {
                    "externalOrderId": "A-1001",
                    "externalCustomerId": "crm-1",
                    "totalCost": 49.5,
                    "status": "DELIVERED",
                    "date": "2024-05-14T10:11:10+03:00",
                    "currency": "EUR",
                    "email": "ada@example.com",
                    "items": [{"externalItemId": "sku-1", "name": "Tea", "quantity": 2, "cost": 24.75}],
                }
            ]
        },
    ),
    idempotent=True,
)

ACTIONS = (GENERATE_EVENT, ADD_ORDERS)
