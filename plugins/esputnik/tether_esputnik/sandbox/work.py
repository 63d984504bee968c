"""What the platform does in the background: imports, deliveries, workflows, activity.

- A bulk import (§B5.5) is accepted at once and applied later: it finishes at its
  ``import_polls``-th status poll, or ``import_seconds`` after it was accepted [INF].
- A sent message (§B5.11–§B5.13) is QUEUED, then DELIVERED at its second status read or
  ``delivery_seconds`` after sending [INF]; addresses at ``bounce.example`` come back
  UNDELIVERED (a sandbox convention for testing failures). Each delivery adds a row to contact
  activity (§B5.14), carrying the workflow that sent it, if any.
- An event (§B5.9) starts the account's event-triggered workflows: the sandbox seeds one
  (``orderCreated`` sends the welcome template) [INF]; workflows have no API (NOTES.md §3).

Work that is due is done at the start of every request (:func:`sweep`), so it happens even
when nobody polls.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from typing import Any

from . import model
from .base import settings

BOUNCING_DOMAIN = "bounce.example"


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def sweep(ctx: Any) -> None:
    now = ctx.now()
    config = settings(ctx)
    for pending in ctx.collection("pending_imports").find(lambda p: now - p["at"] >= float(config["import_seconds"])):
        finish_import(ctx, pending["id"])
    for pending in ctx.collection("pending_messages").find(lambda p: now - p["at"] >= float(config["delivery_seconds"])):
        deliver(ctx, pending["id"])


# -- imports ------------------------------------------------------------------------------------


def start_import(ctx: Any, contacts: list[dict[str, Any]], options: dict[str, Any]) -> str:
    session = str(uuid.uuid4())
    ctx.collection("imports").put(session, {"asyncSessionId": session, "status": "IN_PROGRESS", "polls": 0, "contacts": contacts, "options": options})
    ctx.collection("pending_imports").put(session, {"id": session, "at": ctx.now()})
    return session


def finish_import(ctx: Any, session: str) -> dict[str, Any]:
    job = ctx.collection("imports").get(session)
    options = job["options"]
    include = [model.group_named(ctx, name)["id"] for name in options.get("groupNames") or []]
    exclude = [model.group_named(ctx, name)["id"] for name in options.get("groupNamesExclude") or []]
    results = []
    for data in job["contacts"]:
        contact, what = model.upsert(
            ctx,
            data,
            dedupe=options.get("dedupeOn", "email"),
            restore=bool(options.get("restoreDeleted")),
            field_id=options.get("fieldId"),
            contact_fields=options.get("contactFields"),
            custom_ids=options.get("customFieldsIDs"),
        )
        if contact is None:
            results.append({"status": what})
            continue
        for gid in include:
            model.join(ctx, gid, contact)
        for gid in exclude:
            model.leave(ctx, gid, contact)
        if what == "created" and options.get("eventKeyForNewContacts"):
            # §B5.5 "Workflow launch": one event per new contact, keyed by email, else phone.
            email, sms = model.channel(contact, "email") or "", model.channel(contact, "sms") or ""
            record_event(
                ctx,
                options["eventKeyForNewContacts"],
                email or sms,
                [{"name": "contactId", "value": contact["id"]}, {"name": "EmailAddress", "value": email}, {"name": "SMS", "value": sms}],
            )
        results.append({"id": contact["id"], "status": what})
    job.update(status="FINISHED", contacts=results)
    ctx.collection("imports").put(session, job)
    ctx.collection("pending_imports").delete(session)
    return job


def import_status(ctx: Any, session: str) -> dict[str, Any] | None:
    job = ctx.collection("imports").get(session)
    if job is None:
        return None
    if job["status"] == "IN_PROGRESS":
        job["polls"] += 1
        ctx.collection("imports").put(session, job)
        if job["polls"] >= int(settings(ctx)["import_polls"]):
            job = finish_import(ctx, session)
    return job


# -- messages -------------------------------------------------------------------------------------


def queue_message(ctx: Any, media: str, locator: str, contact: dict[str, Any] | None, **extra: Any) -> str:
    request_id = str(uuid.uuid4())
    message = {
        "requestId": request_id,
        "mediaType": media,
        "locator": locator,
        "contactId": contact["id"] if contact else None,
        "status": "QUEUED",
        "reads": 0,
        "sent": ctx.now(),
        **{k: v for k, v in extra.items() if v is not None},
    }
    ctx.collection("messages").put(request_id, message)
    ctx.collection("pending_messages").put(request_id, {"id": request_id, "at": ctx.now()})
    return request_id


def deliver(ctx: Any, request_id: str) -> dict[str, Any]:
    message = ctx.collection("messages").get(request_id)
    bounced = message["locator"].lower().endswith("@" + BOUNCING_DOMAIN)
    message["status"] = "UNDELIVERED" if bounced else "DELIVERED"
    ctx.collection("messages").put(request_id, message)
    ctx.collection("pending_messages").delete(request_id)
    add_activity(ctx, message, message["status"])
    return message


def read_status(ctx: Any, request_id: str) -> dict[str, Any] | None:
    message = ctx.collection("messages").get(request_id)
    if message is None:
        return None
    if message["status"] == "QUEUED":
        message["reads"] += 1
        ctx.collection("messages").put(request_id, message)
        if message["reads"] >= 2:
            message = deliver(ctx, request_id)
    return message


def add_activity(ctx: Any, message: dict[str, Any], status: str) -> None:
    seq = str(ctx.next_id("activity"))
    row = {
        "activityDateTime": iso(ctx.now()),
        "activityStatus": status,
        "mediaType": message["mediaType"],
        "contactId": message.get("contactId"),
        message["mediaType"] if message["mediaType"] in ("email", "sms") else "locator": message["locator"],
        "messageId": message.get("messageId"),
        "messageName": message.get("messageName"),
        "workflowId": message.get("workflowId"),
        "externalRequestId": message.get("externalRequestId"),
        "iid": message["requestId"],
        "offset": seq,
    }
    ctx.collection("activity").put(seq, {k: v for k, v in row.items() if v is not None})


# -- events and the workflows they start ------------------------------------------------------------

KEY_PARAMS = ("contactId", "externalCustomerId", "email", "phone")
"""§B5.9: with no keyValue (v2) the contact comes from these parameters, in this order."""


def contact_for_event(ctx: Any, key_value: str | None, params: list[dict[str, Any]]) -> dict[str, Any] | None:
    values = {p.get("name"): p.get("value") for p in params if isinstance(p, dict)}
    for name in KEY_PARAMS:
        value = values.get(name)
        if value in (None, ""):
            continue
        found = {
            "contactId": lambda v: model.get(ctx, v),
            "externalCustomerId": lambda v: model.by_external_id(ctx, str(v)),
            "email": lambda v: model.by_email(ctx, str(v)),
            "phone": lambda v: model.by_phone(ctx, str(v)),
        }[name](value)
        if found is not None:
            return found
    if key_value:
        key = str(key_value)
        return model.by_email(ctx, key) or model.by_phone(ctx, key) or model.get(ctx, key) or model.by_external_id(ctx, key)
    return None


def record_event(ctx: Any, type_key: str, key_value: str | None, params: list[dict[str, Any]]) -> None:
    seq = ctx.next_id("event")
    contact = contact_for_event(ctx, key_value, params)
    ctx.collection("events").put(
        str(seq),
        {"eventTypeKey": type_key, "keyValue": key_value, "params": params, "contactId": contact["id"] if contact else None, "at": ctx.now()},
    )
    if contact is None:
        return
    for workflow in ctx.collection("workflows").find(lambda w: w.get("active") and w.get("eventTypeKey") == type_key):
        email = model.channel(contact, "email")
        if not email:
            continue
        template = ctx.collection("templates").get(str(workflow["messageId"])) or {}
        queue_message(
            ctx, "email", email, contact, messageId=workflow["messageId"], messageName=template.get("name"), workflowId=workflow["id"]
        )
