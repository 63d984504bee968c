"""App API: activities (§A5.9) and messages, i.e. deliveries (§A5.1 "Messages", §A5.2).

Activities and deliveries are written by the other families (Track events, sends, the seed)
through ``model.record_activity`` / ``model.record_message``; this module only reads them.
The per-person listings (/v1/customers/{id}/activities, …/messages) live in customers.py and
share the filters defined here.
"""

from __future__ import annotations

from typing import Any

from . import model
from .base import SANDBOX, api_error, app_auth, fail, not_found, page

# §A5.1 "Messages": a time window of at most 6 months; §A5.2: "Without timestamps you get the
# last 6 months". [INF] 6 months is taken as 183 days.
SIX_MONTHS = 183 * 86400

# §A5.7 lists the delivery metrics; "drafted" is the state of a draft (§A5.4 metric series) [INF].
METRICS = (
    "created", "drafted", "attempted", "sent", "delivered", "opened", "clicked", "converted",
    "bounced", "spammed", "unsubscribed", "dropped", "failed", "undeliverable",
)


def flag(req, name: str) -> bool | None:
    """A true/false query parameter; None when absent. [INF] anything else is a 400."""
    raw = req.query.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise fail(api_error(400, f"{name} must be true or false"))


def integer(req, name: str) -> int | None:
    raw = req.query.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise fail(api_error(400, f"{name} must be an integer")) from None


def window(req, ctx, *, strict: bool) -> tuple[int, int]:
    """The [start_ts, end_ts] a message listing covers.

    §A5.2/§A5.1: without timestamps, the last 6 months. [INF] With only start_ts the window
    runs 6 months from it (capped at now); with only end_ts, the 6 months before it. ``strict``
    (GET /v1/messages, "at most a 6-month window") refuses a longer explicit window with 400.
    """
    now = model.now(ctx)
    start, end = integer(req, "start_ts"), integer(req, "end_ts")
    if start is None and end is None:
        return now - SIX_MONTHS, now
    if end is None:
        return start, min(now, start + SIX_MONTHS)
    if start is None:
        return end - SIX_MONTHS, end
    if end < start:
        raise fail(api_error(400, "end_ts must not be before start_ts"))
    if strict and end - start > SIX_MONTHS:
        raise fail(api_error(400, "start_ts and end_ts may be at most 6 months apart"))
    return start, end


def _drafted_only(message: dict[str, Any]) -> bool:
    metrics = message.get("metrics") or {}
    return "drafted" in metrics and not any(m in metrics for m in ("sent", "attempted", "delivered"))


def filter_messages(req, ctx, docs: list[dict[str, Any]], *, strict: bool, filters: bool = True) -> list[dict[str, Any]]:
    """Deliveries in the window and matching the query's filters, newest first [INF order].

    ``filters``: whether the endpoint takes GET /v1/messages's filters (type, metric, drafts,
    campaign_id, newsletter_id, action_id); a person's messages take only the window (§A5.2).
    """
    start, end = window(req, ctx, strict=strict)
    kind = (req.query.get("type") or None) if filters else None
    metric = (req.query.get("metric") or None) if filters else None
    if metric is not None and metric not in METRICS:
        raise fail(api_error(400, f"metric must be one of {', '.join(METRICS)}"))
    drafts = bool(flag(req, "drafts")) if filters else False
    wanted = {name: integer(req, name) for name in ("campaign_id", "newsletter_id", "action_id")} if filters else {}
    out = []
    for message in docs:
        if not start <= int(message.get("created") or 0) <= end:
            continue
        if kind is not None and message.get("type") != kind:
            continue
        if metric is not None and metric not in (message.get("metrics") or {}):
            continue
        # §A5.1 "drafts": drafts are listed only when asked for [INF: and then only drafts].
        if _drafted_only(message) != drafts:
            continue
        if any(value is not None and message.get(name) != value for name, value in wanted.items()):
            continue
        out.append(message)
    out.sort(key=lambda m: int(m.get("created") or 0), reverse=True)
    return out


def filter_activities(req, docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Activities of the query's ``type`` and ``name``, newest first [INF order]."""
    kind = req.query.get("type") or None
    name = req.query.get("name") or None
    out = [a for a in docs if (kind is None or a.get("type") == kind) and (name is None or a.get("name") == name)]
    out.sort(key=lambda a: int(a.get("timestamp") or 0), reverse=True)
    return out


# -- GET /v1/activities (§A5.9) ------------------------------------------------------------------


def _of_customer(ctx, activity: dict[str, Any], value: str, id_type: str) -> bool:
    person = model.people(ctx).get(activity["_cio_id"]) if activity.get("_cio_id") else None
    if person is not None:  # the person as they are now
        found = model.find(ctx, value, id_type)
        return found is not None and found["cio_id"] == person["cio_id"]
    # A deleted person: their identifiers as they were when the activity happened.
    recorded = (activity.get("customer_identifiers") or {}).get(id_type)
    if recorded is None:
        return False
    return recorded.lower() == value.lower() if id_type == "email" else recorded == value


@SANDBOX.route("GET", "/v1/activities", auth=app_auth)
def list_activities(req, ctx):
    from .customers import id_type

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
