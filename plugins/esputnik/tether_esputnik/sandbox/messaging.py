"""Sends, their statuses, and contact activity (§B5.11–§B5.14)."""

from __future__ import annotations

from datetime import datetime
from typing import Any


from . import model, work
from .base import ACTIVITY_DISABLED, body, fail, first_value, settings
from .routes import api_route

MAX_RECIPIENTS = 1000


def _one_or_many(results: list[dict[str, Any]]) -> Any:
    """§B5.11, §B5.13: one result comes as an object, several as an array."""
    return results[0] if len(results) == 1 else results


def _recipient_contact(ctx: Any, media: str, locator: str, contact_id: Any = None) -> dict[str, Any]:
    """The contact a message goes to; an address not in the base becomes a contact (§B5.12)."""
    found = model.get(ctx, contact_id) if contact_id is not None else None
    if found is None:
        found = model.by_email(ctx, locator) if media == "email" else model.by_phone(ctx, locator)
    if found is None:
        found = model.create(ctx, {"channels": [{"type": media, "value": locator}]})
    return found


def _queue(ctx: Any, media: str, locator: Any, *, contact_id: Any = None, **extra: Any) -> dict[str, Any]:
    valid = isinstance(locator, str) and not model.problem({"channels": [{"type": media, "value": locator}]})
    if not valid:
        what = "email" if media == "email" else "phone number"
        return {"id": 0, "locator": str(locator), "status": "ERROR", "message": f"'{locator}' is not valid {what}"}  # §B5.11 [V-doc]
    contact = _recipient_contact(ctx, media, locator, contact_id)
    request_id = work.queue_message(ctx, media, locator, contact, **extra)
    return {"id": 0, "locator": locator, "status": "OK", "requestId": request_id}


@api_route("POST", "/v1/message/{id}/smartsend")
def smartsend(req: Any, ctx: Any) -> Any:
    # §B5.11: ≤ 1,000 recipients; email true for email, false for the other channels;
    # jsonParam a serialised JSON string; per-recipient OK/ERROR with a requestId.
    template = ctx.collection("templates").get(req.path_params["id"]) if req.path_params["id"].isdigit() else None
    if template is None:
        raise fail(404, f"Message with id='{req.path_params['id']}' not found")  # [INF text]
    payload = body(req) or {}
    recipients = payload.get("recipients")
    if not isinstance(recipients, list) or not 1 <= len(recipients) <= MAX_RECIPIENTS:
        raise fail(400, f"recipients: from 1 to {MAX_RECIPIENTS} recipients are allowed in one request")  # [INF text]
    media = "email" if payload.get("email", True) else "sms"
    results = []
    for r in recipients:
        if not isinstance(r, dict):
            raise fail(400, "recipients must be objects")
        if "jsonParam" in r and not isinstance(r["jsonParam"], str):
            results.append({"id": 0, "locator": str(r.get("locator")), "status": "ERROR", "message": "jsonParam must be a JSON string"})
            continue
        results.append(
            _queue(
                ctx, media, r.get("locator"), contact_id=r.get("contactId"), messageId=template["id"], messageName=template["name"],
                externalRequestId=r.get("externalRequestId") or payload.get("externalRequestId"),
            )
        )
    return {"id": 0, "results": _one_or_many(results)}


@api_route("POST", "/v1/message/email")
def send_email(req: Any, ctx: Any) -> Any:
    # §B5.12: from, subject, htmlText/plainText, emails[]; unknown recipients become contacts.
    payload = body(req) or {}
    for name in ("from", "subject"):
        if not payload.get(name):
            raise fail(400, f"{name} is required")
    if not payload.get("htmlText") and not payload.get("plainText"):
        raise fail(400, "htmlText or plainText is required")
    emails = payload.get("emails")
    if not isinstance(emails, list) or not emails:
        raise fail(400, "emails is required")
    results = [_queue(ctx, "email", e, externalRequestId=payload.get("externalRequestId"), messageName=payload["subject"]) for e in emails]
    return {"results": _one_or_many(results)}


@api_route("POST", "/v1/message/sms")
def send_sms(req: Any, ctx: Any) -> Any:
    # §B5.12: from (alpha name), text, and phoneNumbers or a groupId.
    payload = body(req) or {}
    for name in ("from", "text"):
        if not payload.get(name):
            raise fail(400, f"{name} is required")
    numbers = payload.get("phoneNumbers")
    if not numbers and payload.get("groupId") is not None:
        group = model.group(ctx, payload["groupId"])
        if group is None:
            raise fail(404, f"Group with id='{payload['groupId']}' not found")
        members = ctx.collection("members").find(lambda m: m["group"] == group["id"])
        numbers = [n for n in (model.channel(model.get(ctx, m["contact"]) or {}, "sms") for m in members) if n]
    if not numbers:
        raise fail(400, "phoneNumbers or groupId is required")
    results = [_queue(ctx, "sms", n, messageName=payload["text"][:40]) for n in numbers]
    return {"results": _one_or_many(results)}


@api_route("GET", "/v1/message/status")
def message_status(req: Any, ctx: Any) -> Any:
    # §B5.13: ?ids=<requestId>,<requestId>; one status an object, several an array; booleans
    # as strings as in the docs' example.
    ids = [i for i in (first_value(req, "ids") or "").split(",") if i.strip()]
    if not ids:
        raise fail(400, "ids is required")
    found = [m for m in (work.read_status(ctx, i.strip()) for i in ids) if m is not None]
    rows = [
        {"status": m["status"], "requestId": m["requestId"], "failed": str(m["status"] == "UNDELIVERED").lower(), "delivered": str(m["status"] == "DELIVERED").lower()}
        for m in found
    ]
    return {"results": _one_or_many(rows) if rows else []}


# -- activity ---------------------------------------------------------------------------------------


def _when(value: str | None, name: str) -> datetime:
    try:
        text = (value or "").strip()
        return datetime.fromisoformat(text) if len(text) > 10 else datetime.fromisoformat(text + "T00:00:00")
    except ValueError:
        raise fail(400, f"{name} must be an ISO 8601 date") from None


def _months_later(when: datetime, months: int) -> datetime:
    import calendar

    month = when.month - 1 + months
    year, month = when.year + month // 12, month % 12 + 1
    return when.replace(year=year, month=month, day=min(when.day, calendar.monthrange(year, month)[1]))


@api_route("GET", "/v2/contacts/activity")
def contacts_activity(req: Any, ctx: Any) -> Any:
    # §B5.14: rows between dateFrom and dateTo (≤ 3 months), maxrows per page, next page after
    # the last row's offset; "Contact support to enable ContactActivity." when not enabled.
    if not settings(ctx)["activity_enabled"]:
        raise fail(400, ACTIVITY_DISABLED)
    start, end = _when(req.query.get("dateFrom"), "dateFrom"), _when(req.query.get("dateTo"), "dateTo")
    if end < start:
        raise fail(400, "dateTo must not be before dateFrom")
    if end > _months_later(start, 3):
        raise fail(400, "The interval between dateFrom and dateTo must not exceed 3 months")  # [INF text]
    try:
        rows = int(req.query.get("maxrows") or 500)
    except ValueError:
        raise fail(400, "maxrows must be an integer") from None
    lo, hi = start.strftime("%Y-%m-%dT%H:%M:%S"), end.strftime("%Y-%m-%dT%H:%M:%S")
    offset = req.query.get("offset") or None
    items, _, _ = ctx.collection("activity").page(after=offset, limit=max(1, rows), where=lambda r: lo <= r["activityDateTime"] <= hi)
    return items
