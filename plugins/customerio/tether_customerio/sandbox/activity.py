"""App API: activities (§A5.9) and messages, i.e. deliveries (§A5.1 "Messages", §A5.2).

Activities and deliveries are written by the other families (Track events, sends, the seed)
through ``model.record_activity`` / ``model.record_message``; this module only reads them.
The per-person listings (/v1/customers/{id}/activities, …/messages) live in customers.py; both
use the filters of queries.py. Listings are newest first by time, which is not the order
documents were stored in (events carry their own timestamps), so they are sorted in memory.
"""

from __future__ import annotations

from typing import Any

from . import model
from .base import SANDBOX, app_auth, not_found, page
from .queries import filter_activities, filter_messages, flag, id_type


# -- GET /v1/activities (§A5.9) ------------------------------------------------------------------


def _of_customer(ctx, activity: dict[str, Any], value: str, by: str) -> bool:
    person = model.people(ctx).get(activity["_cio_id"]) if activity.get("_cio_id") else None
    if person is not None:  # the person as they are now
        found = model.find(ctx, value, by)
        return found is not None and found["cio_id"] == person["cio_id"]
    # A deleted person: their identifiers as they were when the activity happened.
    recorded = (activity.get("customer_identifiers") or {}).get(by)
    if recorded is None:
        return False
    return recorded.lower() == value.lower() if by == "email" else recorded == value


@SANDBOX.route("GET", "/v1/activities", auth=app_auth)
def list_activities(req, ctx):
    docs = model.activities(ctx)
    # §A5.9 "deleted": activities of deleted people. [INF] Without it, those are left out
    # (anonymous activities, which belong to nobody, stay in).
    deleted = bool(flag(req, "deleted"))
    docs = [a for a in docs if (a.get("_cio_id") is not None and model.people(ctx).get(a["_cio_id"]) is None) == deleted]
    customer = req.query.get("customer_id")
    if customer:
        kind = id_type(req)
        docs = [a for a in docs if _of_customer(ctx, a, customer, kind)]
    items, next_token = page(req, filter_activities(req, docs), default=10, maximum=100)
    return {"activities": [model.public(a) for a in items], "next": next_token}


# -- GET /v1/messages, /v1/messages/{message_id} (§A5.1 "Messages") ------------------------------


@SANDBOX.route("GET", "/v1/messages", auth=app_auth)
def list_messages(req, ctx):
    docs = filter_messages(req, ctx, model.messages(ctx), strict=True)
    items, next_token = page(req, docs, default=50, maximum=1000)
    return {"messages": [model.public(m) for m in items], "next": next_token}


@SANDBOX.route("GET", "/v1/messages/{message_id}", auth=app_auth)
def get_message(req, ctx):
    message = model.collection(ctx, "messages").get(req.path_params["message_id"])
    if message is None:
        raise not_found("Message")
    return {"message": model.public(message)}
