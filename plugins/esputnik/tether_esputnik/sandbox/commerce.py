"""Events (§B5.9) and orders (§B5.10)."""

from __future__ import annotations

import re
from typing import Any

from tether.connector import Reply

from . import model, work
from .base import body, fail
from .routes import api_route

MAX_EVENT_BYTES = 20 * 1024
FORBIDDEN = re.compile(r"[<;\u2019\\/|\"`'^?!,>]")
ORDER_STATUSES = ("INITIALIZED", "IN_PROGRESS", "DELIVERED", "CANCELLED", "ABANDONED_SHOPPING_CART")
ORDER_REQUIRED = ("externalOrderId", "externalCustomerId", "totalCost", "status", "date", "currency")
MAX_ORDERS = 1000


def _event(req: Any, ctx: Any, version: int) -> Reply:
    # §B5.9: body ≤ 20 kB; eventTypeKey required, ≤ 100 characters, no forbidden characters;
    # keyValue ≤ 300 (required in v1; in v2 the contact may come from the parameters, and an
    # event naming no contact is rejected). The answer is a 200 with an empty body [V-rec].
    if len(req.body) > MAX_EVENT_BYTES:
        raise fail(400, "Max. size of content for events sent in the request body is 20 kB")
    payload = body(req)
    if not isinstance(payload, dict):
        raise fail(400, "Request body must be a JSON object")
    key = payload.get("eventTypeKey")
    if not isinstance(key, str) or not key.strip():
        raise fail(400, "eventTypeKey is required")
    if len(key) > 100 or FORBIDDEN.search(key):
        raise fail(400, f"Invalid eventTypeKey '{key}'")
    key_value = payload.get("keyValue")
    if key_value is not None and (not isinstance(key_value, (str, int)) or len(str(key_value)) > 300):
        raise fail(400, "keyValue must be at most 300 characters")
    params = payload.get("params") or []
    if not isinstance(params, list):
        raise fail(400, "params must be an array")
    if version == 1 and key_value in (None, ""):
        raise fail(400, "keyValue is required")
    if version == 2 and key_value in (None, "") and not any(isinstance(p, dict) and p.get("name") in work.KEY_PARAMS for p in params):
        raise fail(400, "Event rejected: no contact identifier (keyValue, contactId, externalCustomerId, email or phone)")
    work.record_event(ctx, key, None if key_value is None else str(key_value), params)
    return Reply(200, None)


@api_route("POST", "/v1/event", family="events")
def event_v1(req: Any, ctx: Any) -> Reply:
    return _event(req, ctx, 1)


@api_route("POST", "/v2/event", family="events")
def event_v2(req: Any, ctx: Any) -> Reply:
    return _event(req, ctx, 2)


def _order_problem(order: Any) -> str | None:
    if not isinstance(order, dict):
        return "order must be an object"
    missing = [name for name in ORDER_REQUIRED if order.get(name) in (None, "")]
    if missing:
        return f"required: {', '.join(missing)}"
    if order["status"] not in ORDER_STATUSES:
        return f"status must be one of {', '.join(ORDER_STATUSES)}"
    if isinstance(order["totalCost"], bool) or not isinstance(order["totalCost"], (int, float)):
        return "totalCost must be a number"
    return None


@api_route("POST", "/v1/orders", refuse_repeats=True)
def orders(req: Any, ctx: Any) -> Any:
    # §B5.10: ≤ 1,000 orders; the same externalOrderId updates the order; an email or phone
    # unknown to the account creates a contact (existing contacts are not changed).
    payload = body(req)
    batch = payload.get("orders") if isinstance(payload, dict) else None
    if not isinstance(batch, list) or not 1 <= len(batch) <= MAX_ORDERS:
        raise fail(400, f"orders: from 1 to {MAX_ORDERS} orders are allowed in one request")  # [INF text]
    failed = []
    for order in batch:
        reason = _order_problem(order)
        if reason:
            failed.append({**order, "message": reason} if isinstance(order, dict) else {"order": order, "message": reason})
            continue
        ctx.collection("orders").put(str(order["externalOrderId"]), {**order, "received": ctx.now()})
        if not (model.by_email(ctx, order.get("email")) or model.by_phone(ctx, order.get("phone"))):
            channels = [{"type": t, "value": order[f]} for t, f in (("email", "email"), ("sms", "phone")) if order.get(f)]
            if channels and model.problem({"channels": channels}) is None:
                data = {"channels": channels, **{k: order[k] for k in ("firstName", "lastName") if order.get(k)}}
                if not model.by_external_id(ctx, order["externalCustomerId"]):
                    data["externalCustomerId"] = order["externalCustomerId"]
                model.create(ctx, data)
    return {"failedOrders": failed}  # [INF shape; the Shopify app types {failedOrders?, asyncSessionId?, id?}]
