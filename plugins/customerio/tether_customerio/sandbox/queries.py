"""App API request parsing that several route modules share: query flags, time windows, the
message and activity filters, ``id_type`` and the audience-filter grammar.

Imports only base and model, so route modules import it and never each other.
"""

from __future__ import annotations

from typing import Any

from tether.connector import Abort

from . import model
from .base import SANDBOX, api_error

# §A5.1 "Messages": a time window of at most 6 months; §A5.2: "Without timestamps you get the
# last 6 months". [INF] 6 months is taken as 183 days.
SIX_MONTHS = 183 * 86400

# §A5.7 lists the delivery metrics; "drafted" is the state of a draft (§A5.4 metric series) [INF].
METRICS = (
    "created", "drafted", "attempted", "sent", "delivered", "opened", "clicked", "converted",
    "bounced", "spammed", "unsubscribed", "dropped", "failed", "undeliverable",
)  # fmt: skip

ID_TYPES = ("id", "email", "cio_id")


def id_type(req) -> str:
    value = req.query.get("id_type") or "id"
    if value not in ID_TYPES:
        raise SANDBOX.fail(400, "id_type must be one of id, email, cio_id")
    return value


def flag(req, name: str) -> bool | None:
    """A true/false query parameter; None when absent. [INF] anything else is a 400."""
    raw = req.query.get(name)
    if raw is None or raw == "":
        return None
    if raw.lower() in ("true", "1"):
        return True
    if raw.lower() in ("false", "0"):
        return False
    raise SANDBOX.fail(400, f"{name} must be true or false")


def integer(req, name: str) -> int | None:
    raw = req.query.get(name)
    if raw is None or raw == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise SANDBOX.fail(400, f"{name} must be an integer") from None


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
        raise SANDBOX.fail(400, "end_ts must not be before start_ts")
    if strict and end - start > SIX_MONTHS:
        raise SANDBOX.fail(400, "start_ts and end_ts may be at most 6 months apart")
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
        raise SANDBOX.fail(400, f"metric must be one of {', '.join(METRICS)}")
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


# -- audience filters (§A5.2 grammar) ------------------------------------------------------------


def filter_problem(flt: Any, where: str = "filter") -> str | None:
    """Why ``flt`` is not an audience filter (None if it is one). [INF] refused with 400."""
    if not isinstance(flt, dict) or len(flt) != 1:
        return f"{where} must be an object with exactly one of and, or, not, segment, attribute"
    (key, value), = flt.items()
    if key in ("and", "or"):
        if not isinstance(value, list) or not value:
            return f"{where}.{key} must be a non-empty list of filters"
        for index, item in enumerate(value):
            problem = filter_problem(item, f"{where}.{key}[{index}]")
            if problem:
                return problem
        return None
    if key == "not":
        return filter_problem(value, f"{where}.not")
    if key == "segment":
        if not isinstance(value, dict) or not isinstance(value.get("id"), int) or isinstance(value.get("id"), bool):
            return f"{where}.segment needs an integer id"
        return None
    if key == "attribute":
        if not isinstance(value, dict) or not isinstance(value.get("field"), str) or not value.get("field"):
            return f"{where}.attribute needs a field"
        if value.get("operator") not in ("eq", "exists"):
            return f"{where}.attribute.operator must be eq or exists"
        return None
    return f"{where}: unknown filter {key!r}"


def check_filter(flt: Any, pointer: str) -> dict[str, Any]:
    problem = filter_problem(flt)
    if problem:
        raise Abort(api_error(400, problem, pointer))
    return flt
