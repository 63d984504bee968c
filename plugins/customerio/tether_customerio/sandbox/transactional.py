"""App API: transactional templates and sends (§A5.6).

``POST /v1/send/email|push|sms`` validate as §A5.6 describes, create the person if they are
missing, record a delivery (model.record_message) and a "sent" activity, and answer
``{"delivery_id", "queued_at"}``. Errors use ``{"meta": {"error": …}}`` (§A7).
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from tether.connector import Abort

from .. import samples as s
from . import model
from .base import SANDBOX, app_auth, collection, json_body, meta_error


MAX_RECIPIENTS = 15  # §A5.6: at most 15 recipients across to and bcc
MAX_ATTACHMENTS = 2 * 1024 * 1024  # §A5.6: attachments < 2 MB in total [INF: decoded bytes]
MAX_PAYLOAD = 1024 * 1024  # §A5.6: payload ≤ 1 MB, attachments excluded
MAX_SEND_AHEAD = 90 * 86_400  # §A5.6: send_at at most 90 days ahead
# [INF] §A5.6 documents a 403 for forbidden attachment types but not the list; executable and
# script types are refused here.
FORBIDDEN_TYPES = frozenset(
    "ade adp app asp bas bat chm cmd com cpl crt dll exe hlp hta inf ins isp jar js jse lib lnk mde msc msi msp mst "
    "pif ps1 scr sct shb sh sys vb vbe vbs vxd wsc wsf wsh".split()
)
E164 = re.compile(r"^\+[1-9]\d{1,14}$")  # §A5.6: sms `to` is E.164 (or liquid)

TEMPLATES = (
    # (id, name, trigger name, channel, description, content)
    (s.PASSWORD_RESET_EMAIL, "password reset", s.PASSWORD_RESET_NAME, "email", "Sent when someone asks to reset their password",
     {"subject": "Reset your password", "from": "Example <security@example.com>", "body": "<p>Reset it: {{trigger.link}}</p>"}),
    (s.ORDER_CONFIRMATION_EMAIL, "order confirmation", "order_confirmation", "email", "Receipt sent after checkout",
     {"subject": "Your order {{trigger.order_id}}", "from": "Example <orders@example.com>", "body": "<p>Thanks for your order.</p>"}),
    (s.LOGIN_ALERT_PUSH, "login alert", "login_alert", "push", "Push sent on a login from a new device",
     {"title": "New login", "message": "Was this you?"}),
    (s.VERIFICATION_SMS, "phone verification", "phone_verification", "sms", "One-time code by SMS",
     {"body": "Your code is {{trigger.code}}"}),
)  # fmt: skip

# §A5.2: a delivery's type is email|webhook|twilio|slack|push; SMS deliveries are "twilio".
MESSAGE_TYPE = {"email": "email", "push": "push", "sms": "twilio"}
# [INF] activity types by channel; §A5.9 names sent_email, the others follow it.
SENT_ACTIVITY = {"email": "sent_email", "push": "sent_push", "sms": "sent_twilio"}


def seed(ctx) -> None:
    templates = collection(ctx, "transactional")
    for id, name, trigger_name, channel, description, content in TEMPLATES:
        templates.put(
            str(id),
            {
                # §A5.6: the fields GET /v1/transactional shows.
                "id": id,
                "name": name,
                "description": description,
                "send_to_unsubscribed": True,
                "link_tracking": True,
                "open_tracking": channel == "email",
                "hide_message_body": False,
                "queue_drafts": False,
                "created_at": s.SEEDED_AT - 60 * 86_400,
                "updated_at": s.SEEDED_AT,
                # Set in Customer.io's UI, never shown by this listing [INF]: the trigger name a send may
                # use instead of the id, the channel, and the content.
                "_trigger_name": trigger_name,
                "_channel": channel,
                "_content": content,
            },
        )


@SANDBOX.route("GET", "/v1/transactional", auth=app_auth)
def list_templates(req, ctx):
    return {"messages": [model.public(t) for t in collection(ctx, "transactional")]}


# -- validation shared by the three sends (§A5.6 "Common fields") -------------------------------------------


def bad(message: str, status: int = 400) -> Exception:
    return Abort(meta_error(status, message))


def _template(ctx, body: dict[str, Any], channel: str, *, required: bool) -> dict[str, Any] | None:
    ref = body.get("transactional_message_id")
    if ref is None:
        if required:
            raise bad("transactional_message_id is required")
        return None
    templates = collection(ctx, "transactional")
    found = None
    if isinstance(ref, int) and not isinstance(ref, bool):
        found = templates.get(str(ref))
    elif isinstance(ref, str) and ref.strip():
        # §A5.6: an id or a trigger name (case-insensitive); §A8: the Python SDK's own example sends the
        # id as a string ("3"), so a numeric string names the id.
        wanted = ref.strip()
        found = templates.get(wanted) if wanted.isdigit() else None
        found = found or templates.first(lambda t: t["_trigger_name"].lower() == wanted.lower())
    else:
        raise bad("transactional_message_id must be an integer id or a trigger name")
    if found is None:
        # [INF] an unknown template is a 400 in the send endpoints' shape (the status is not documented).
        raise bad(f"transactional message {ref!r} not found")
    if found["_channel"] != channel:
        raise bad(f"transactional message {ref!r} is a {found['_channel']} message, not {channel}")  # [INF]
    return found


def _person(ctx, body: dict[str, Any]) -> dict[str, Any]:
    ids = body.get("identifiers")
    # §A5.6: identifiers holds exactly one of id, email, cio_id.
    if not isinstance(ids, dict) or len(ids) != 1 or next(iter(ids)) not in ("id", "email", "cio_id"):
        raise bad("identifiers must hold exactly one of id, email or cio_id")
    (kind, value), = ids.items()
    if not isinstance(value, (str, int)) or isinstance(value, bool) or str(value) == "":
        raise bad(f"identifiers.{kind} must be a non-empty string")
    value = str(value)
    person = model.find(ctx, value, kind)
    if person is not None:
        return person
    if kind == "cio_id":
        raise bad(f"no person has cio_id {value}")  # [INF] a cio_id is Customer.io's own: it cannot create one
    # §A5.6: the person is created if missing.
    person = model.new_person(ctx, **{kind: value})
    model.set_attributes(ctx, person, {})
    model.save(ctx, person)
    model.record_activity(ctx, person, "profile_create")
    return person


def _common(ctx, body: dict[str, Any]) -> int | None:
    """Checks the common optional fields; returns send_at when it is in the future."""
    if "message_data" in body and not isinstance(body["message_data"], dict):
        raise bad("message_data must be an object")
    for flag in ("disable_message_retention", "send_to_unsubscribed", "queue_draft"):
        if flag in body and not isinstance(body[flag], bool):
            raise bad(f"{flag} must be a boolean")
    send_at = body.get("send_at")
    if send_at is None:
        return None
    if not isinstance(send_at, int) or isinstance(send_at, bool):
        raise bad("send_at must be a unix timestamp")
    now = model.now(ctx)
    if send_at > now + MAX_SEND_AHEAD:
        raise bad("send_at must be at most 90 days in the future")  # §A5.6
    return send_at if send_at > now else None  # a past send_at sends immediately


def _deliver(ctx, body, person, channel: str, template, send_at, *, recipient: str | None, subject: str | None, failure: str | None = None):
    """Record the delivery and its activity; the reply for a successful send."""
    now = model.now(ctx)
    unsubscribed_block = person.get("unsubscribed") and not body.get("send_to_unsubscribed", True)
    if unsubscribed_block:
        failure = failure or "suppressed: the person is unsubscribed and send_to_unsubscribed is false"  # [INF]
    if failure is not None:
        metrics = {"failed": now}
    elif body.get("queue_draft"):
        metrics = {"drafted": now}  # §A5.6 queue_draft: kept as a draft, not sent
    elif send_at is not None:
        metrics = {"created": now}  # scheduled for send_at
    else:
        metrics = {"sent": now}
    # §A5.6: without a template, metrics go to transactional message 1.
    template_id = template["id"] if template else 1
    message = model.record_message(
        ctx, person, MESSAGE_TYPE[channel],
        transactional_message_id=template_id, msg_template_id=template_id,
        recipient=recipient, subject=subject, metrics=metrics, failure_message=failure, _send_at=send_at,
    )  # fmt: skip
    if "sent" in metrics:
        model.record_activity(
            ctx, person, SENT_ACTIVITY[channel], delivery_id=message["id"], delivery_type=MESSAGE_TYPE[channel],
            data={"transactional_message_id": template_id, "recipient": recipient},
        )  # fmt: skip
    return {"delivery_id": message["id"], "queued_at": now}


# -- email ---------------------------------------------------------------------------------------------------


def _addresses(value: Any, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, str):
        raise bad(f"{field} must be a string of comma-separated addresses")
    return [a.strip() for a in value.split(",") if a.strip()]


def _attachments(body: dict[str, Any]) -> None:
    attachments = body.get("attachments")
    if attachments is None:
        return
    if not isinstance(attachments, dict):
        raise bad("attachments must be an object of file name to base64 content")
    total = 0
    for name, content in attachments.items():
        try:
            if not isinstance(content, str):
                raise ValueError
            total += len(base64.b64decode(content, validate=True))
        except (ValueError, binascii.Error):
            raise bad(f'Attachment must be base64 encoded: "{name}"') from None  # §A5.6 (400)
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if extension in FORBIDDEN_TYPES:
            raise bad(f"Forbidden file type {extension} for attachment {name}.", 403)  # §A5.6 (403)
    if total >= MAX_ATTACHMENTS:
        raise bad("Total attachment size exceeds the limit", 413)  # §A5.6 (413)


def _headers(value: Any) -> None:
    # §A5.6: headers is a JSON *string* holding [{"name", "value"}, …].
    try:
        if not isinstance(value, str):
            raise ValueError
        parsed = json.loads(value)
        if not isinstance(parsed, list) or not all(
            isinstance(h, dict) and isinstance(h.get("name"), str) and isinstance(h.get("value"), str) for h in parsed
        ):
            raise ValueError
    except ValueError:
        raise bad('headers must be a JSON string of [{"name": …, "value": …}]') from None


@SANDBOX.route("POST", "/v1/send/email", auth=app_auth)
def send_email(req, ctx):
    body = json_body(req, bad=meta_error(400, "invalid JSON body"))
    attachments_size = len(json.dumps(body.get("attachments") or {}, separators=(",", ":")).encode())
    if len(req.body) - attachments_size > MAX_PAYLOAD:
        raise bad("the request is larger than 1 MB (attachments excluded)", 413)  # §A5.6 [INF: 413]
    template = _template(ctx, body, "email", required=False)
    send_at = _common(ctx, body)
    if template is None:
        # §A5.6: without a template, body, subject and from are required.
        missing = [k for k in ("body", "subject", "from") if not body.get(k)]
        if missing:
            raise bad(f"without transactional_message_id, {', '.join(missing)} {'is' if len(missing) == 1 else 'are'} required")
    for field in ("subject", "from", "body", "body_plain", "body_amp", "reply_to", "preheader", "language"):
        if field in body and not isinstance(body[field], str):
            raise bad(f"{field} must be a string")
    to, bcc = _addresses(body.get("to"), "to"), _addresses(body.get("bcc"), "bcc")
    if len(to) + len(bcc) > MAX_RECIPIENTS:
        raise bad(f"at most {MAX_RECIPIENTS} recipients are allowed across to and bcc (got {len(to) + len(bcc)})")
    _attachments(body)
    if "headers" in body:
        _headers(body["headers"])
    person = _person(ctx, body)
    if not to:
        # [INF] without `to`, the template's default recipient: the person's email address.
        if not person.get("email"):
            raise bad("to is required: the person has no email address")
        to = [person["email"]]
    subject = body.get("subject") or (template["_content"].get("subject") if template else None)
    return _deliver(ctx, body, person, "email", template, send_at, recipient=", ".join(to), subject=subject)


# -- push ----------------------------------------------------------------------------------------------------


def _custom_device(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or not isinstance(value.get("token"), str) or not value["token"]:
        raise bad("custom_device needs a token and a platform")
    if value.get("platform") not in ("ios", "android"):
        raise bad("custom_device.platform must be ios or android")
    if "attributes" in value and not isinstance(value["attributes"], dict):
        raise bad("custom_device.attributes must be an object")
    return value


@SANDBOX.route("POST", "/v1/send/push", auth=app_auth)
def send_push(req, ctx):
    body = json_body(req, bad=meta_error(400, "invalid JSON body"))
    template = _template(ctx, body, "push", required=True)  # [INF] a push needs a template
    send_at = _common(ctx, body)
    if "sound" in body and body["sound"] not in ("default", "none"):
        raise bad("sound must be default or none")
    if "custom_data" in body and not isinstance(body["custom_data"], dict):
        raise bad("custom_data must be an object")
    if "custom_payload" in body and not isinstance(body["custom_payload"], dict):
        raise bad("custom_payload must be an object")
    for field in ("title", "message", "image_url", "link", "language"):
        if field in body and not isinstance(body[field], str):
            raise bad(f"{field} must be a string")
    device = _custom_device(body["custom_device"]) if "custom_device" in body else None
    to = body.get("to", "all")
    if not isinstance(to, str) or not to:
        raise bad("to must be all, last_used or a device token")
    person = _person(ctx, body)
    if device is not None:
        # §A5.6: custom_device is upserted on the person at send time.
        person["devices"] = [d for d in person["devices"] if d["id"] != device["token"]]
        person["devices"].append(
            {
                "id": device["token"],
                "platform": device["platform"],
                "last_used": device.get("last_used") or model.now(ctx),
                "attributes": device.get("attributes") or {},
            }
        )
        model.save(ctx, person)
    devices = person["devices"]
    if to == "last_used":
        devices = sorted(devices, key=lambda d: d.get("last_used") or 0)[-1:]
    elif to != "all":
        devices = [d for d in devices if d["id"] == to]
    # [INF] a push with no device to go to is still accepted; its delivery records the failure.
    failure = None if devices else "the person has no matching push device"
    title = body.get("title") or template["_content"].get("title")
    recipient = ", ".join(d["id"] for d in devices) or None
    return _deliver(ctx, body, person, "push", template, send_at, recipient=recipient, subject=title, failure=failure)


# -- sms -----------------------------------------------------------------------------------------------------


@SANDBOX.route("POST", "/v1/send/sms", auth=app_auth)
def send_sms(req, ctx):
    body = json_body(req, bad=meta_error(400, "invalid JSON body"))
    template = _template(ctx, body, "sms", required=True)  # [INF] an SMS needs a template
    send_at = _common(ctx, body)
    to = body.get("to")
    if not isinstance(to, str) or not to:
        raise bad("to is required")
    if "{{" not in to and not E164.match(to):
        # §A5.6: 400 "Invalid phone number format. …"
        raise bad("Invalid phone number format. Use E.164, e.g. +15551234567.")
    if "from" in body and (not isinstance(body["from"], str) or not body["from"]):
        raise bad("from must be a verified sending number")
    person = _person(ctx, body)
    return _deliver(ctx, body, person, "sms", template, send_at, recipient=to, subject=None)
