"""Bulk contacts and their import sessions (§B5.5)."""

from __future__ import annotations

from typing import Any

from . import model, work
from .base import body, fail
from .routes import api_route

MAX_CONTACTS = 3000
DEDUPE_ON = ("email", "sms", "email_or_sms", "id", "fieldId", "externalCustomerId")
OPTIONS = ("dedupeOn", "fieldId", "contactFields", "customFieldsIDs", "groupNames", "groupNamesExclude", "restoreDeleted", "eventKeyForNewContacts")


@api_route("POST", "/v1/contacts", refuse_repeats=True)
def bulk_contacts(req: Any, ctx: Any) -> Any:
    # §B5.5: 1–3,000 contacts; refused ones come back at once in failedContacts (a 200), the
    # rest are imported asynchronously under asyncSessionId.
    payload = body(req)
    if not isinstance(payload, dict):
        raise fail(400, "Request body must be a JSON object")
    contacts = payload.get("contacts")
    if not isinstance(contacts, list) or not 1 <= len(contacts) <= MAX_CONTACTS:
        raise fail(400, f"contacts: from 1 to {MAX_CONTACTS} contacts are allowed in one request")  # [INF text]
    if payload.get("dedupeOn") not in DEDUPE_ON:
        # §B5.5: "the required fields externalCustomerId and dedupeOn" [INF: refused when absent].
        raise fail(400, f"dedupeOn must be one of {', '.join(DEDUPE_ON)}")
    if payload["dedupeOn"] == "fieldId" and payload.get("fieldId") is None:
        raise fail(400, "fieldId is required with dedupeOn fieldId")
    accepted, failed = [], []
    for contact in contacts:
        reason = model.problem(contact) or model.check_fields(ctx, contact)
        if reason is None and payload["dedupeOn"] == "id" and not str(contact.get("id", "")).isdigit():
            reason = "contact has no id"
        if reason:
            # [INF shape]: the contact as sent, with the reason.
            failed.append({**contact, "message": reason} if isinstance(contact, dict) else {"contact": contact, "message": reason})
        else:
            accepted.append(contact)
    answer: dict[str, Any] = {"id": 0, "failedContacts": failed}
    if accepted:
        answer["asyncSessionId"] = work.start_import(ctx, accepted, {k: payload[k] for k in OPTIONS if k in payload})
    return answer


@api_route("GET", "/v1/importstatus/{id}")
def import_status(req: Any, ctx: Any) -> Any:
    # §B5.5: the session's status and the ids of its contacts [INF shape].
    job = work.import_status(ctx, req.path_params["id"])
    if job is None:
        raise fail(404, f"Import session '{req.path_params['id']}' not found")
    out = {"asyncSessionId": job["asyncSessionId"], "status": job["status"]}
    if job["status"] != "IN_PROGRESS":
        out["contacts"] = job["contacts"]
    return out
