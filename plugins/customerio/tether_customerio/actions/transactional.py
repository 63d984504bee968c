"""App API: transactional messages (§A5.6): send email, push and SMS; list the templates."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from tether.connector import (
    Action, ValidationError, array, boolean, input_object, integer, nullable, obj, pick, rest, string,
)

from .. import samples
from ..schemas import IDENTIFIERS

API = "app"

MAX_RECIPIENTS = 15  # §A5.6: across to and bcc
MAX_ATTACHMENTS = 2 * 1024 * 1024  # §A5.6: < 2 MB in total

TEMPLATE_REF = {
    "type": ["integer", "string"],
    "minimum": 1,
    "minLength": 1,
    "description": "The transactional message (template): its id, or its trigger name (case-insensitive), e.g. password_reset.",
}

COMMON = {
    "identifiers": {**IDENTIFIERS, "description": "Who it is for: exactly one of {\"id\"}, {\"email\"}, {\"cio_id\"}. A missing person is created."},
    "message_data": {"type": "object", "description": "Data for the template's liquid, as {{trigger.<key>}}."},
    "send_at": integer("When to send (unix seconds, at most 90 days ahead); a past time sends now.", minimum=0),
    "disable_message_retention": boolean("Do not keep the message body in Customer.io's history."),
    "send_to_unsubscribed": boolean("Send even if the person unsubscribed (default true for transactional messages)."),
    "queue_draft": boolean("Queue it as a draft to review and send from Customer.io instead of sending."),
    "language": string("Which translation of the template to use, e.g. fr."),
}

COMMON_KEYS = tuple(COMMON) + ("transactional_message_id",)

DELIVERY = obj(
    {
        "delivery_id": string("The delivery id: look it up with the message actions.", min_length=None),
        "queued_at": integer("When it was queued (unix)."),
    },
    "The queued message (§A5.6).",
    required=["delivery_id", "queued_at"],
)


def _send(channel: str, body: Any):
    # Not idempotent: a retry would send the message twice. §A7: 100 sends/s.
    return rest("POST", f"/send/{channel}", body=body, idempotent=False, rate_family="transactional")


# -- email ---------------------------------------------------------------------------------------------------


def _count(value: str | None) -> int:
    return len([a for a in (value or "").split(",") if a.strip()])


def _check_email(inp: dict[str, Any]) -> None:
    """What the schema cannot say (§A5.6): ≤ 15 recipients across to+bcc, base64 attachments < 2 MB."""
    total = _count(inp.get("to")) + _count(inp.get("bcc"))
    if total > MAX_RECIPIENTS:
        raise ValidationError(
            f"input.to: at most {MAX_RECIPIENTS} recipients across to and bcc, got {total}", path="input.to", expected=f"≤ {MAX_RECIPIENTS}", given=total
        )
    size = 0
    for name, content in (inp.get("attachments") or {}).items():
        try:
            size += len(base64.b64decode(content, validate=True))
        except (ValueError, binascii.Error):
            path = f"input.attachments[{json.dumps(name)}]"
            raise ValidationError(f"{path}: must be base64-encoded", path=path, expected="base64", given=name) from None
    if size >= MAX_ATTACHMENTS:
        raise ValidationError(
            f"input.attachments: {size} bytes in total; attachments must stay under 2 MB", path="input.attachments", expected="< 2 MB", given=size
        )


EMAIL_FIELDS = (
    "to", "bcc", "fake_bcc", "from", "reply_to", "subject", "preheader", "body", "body_plain", "body_amp", "attachments",
    "disable_css_preprocessing", "tracked",
)  # fmt: skip


def _email(inp, ctx):
    _check_email(inp)  # raised while the request is built: nothing is sent
    body = pick(inp, (*COMMON_KEYS, *EMAIL_FIELDS))
    if "headers" in inp:
        # §A5.6: headers travel as a JSON *string* of [{"name", "value"}].
        body["headers"] = json.dumps([{"name": k, "value": v} for k, v in inp["headers"].items()])
    return body


SEND_TRANSACTIONAL_EMAIL = Action(
    key="send-transactional-email",
    name="Send transactional email",
    description=(
        "Send one transactional email (password reset, receipt, order confirmation, login code) to one person now "
        "or at a set time, from a template by id or trigger name with data, or with your own subject, body and "
        "from. Up to 15 recipients in to and bcc; attachments under 2 MB. Not idempotent: every call sends."
    ),
    entity="transactional message",
    input_schema=input_object(
        {
            "transactional_message_id": {
                **TEMPLATE_REF,
                "description": TEMPLATE_REF["description"] + " Omit it to send your own subject, body and from.",
            },
            **COMMON,
            "to": string(
                "The address(es) to send to, comma-separated, e.g. \"Ada <ada@example.com>\" (default: the person's email).",
                min_length=3,
            ),
            "bcc": string("BCC addresses, comma-separated (to and bcc together: at most 15).", min_length=3),
            "fake_bcc": boolean("Send BCC copies as separate emails instead of a Bcc header."),
            "from": string("The sender, e.g. \"Example <hello@example.com>\" (a verified address).", min_length=3),
            "reply_to": string("The reply-to address.", min_length=3),
            "subject": string("The subject (overrides the template's)."),
            "preheader": string("The preview text shown after the subject.", min_length=None),
            "body": string("The HTML body (overrides the template's)."),
            "body_plain": string("The plain-text body.", min_length=None),
            "body_amp": string("The AMP body.", min_length=None),
            "attachments": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "File name → base64 content, e.g. {\"receipt.pdf\": \"JVBERi0…\"} (under 2 MB in total).",
            },
            "headers": {
                "type": "object",
                "additionalProperties": {"type": "string"},
                "description": "Extra email headers, name → value, e.g. {\"X-Order\": \"1001\"}.",
            },
            "disable_css_preprocessing": boolean("Send the HTML without inlining its CSS."),
            "tracked": boolean("Track opens and clicks (default true)."),
        },
        ("identifiers",),
        # §A5.6: without a template, body, subject and from are required.
        allOf=[{"if": {"not": {"required": ["transactional_message_id"]}}, "then": {"required": ["body", "subject", "from"]}}],
    ),
    output_schema=DELIVERY,
    run=_send("email", _email),
    examples=(
        {
            "transactional_message_id": samples.PASSWORD_RESET_NAME,
            "identifiers": {"id": samples.ADA},
            "message_data": {"link": "https://example.com/reset/abc123"},
        },
        {
            "identifiers": {"email": "new.buyer@example.com"},
            "to": "new.buyer@example.com",
            "from": "Example <orders@example.com>",
            "subject": "Your receipt",
            "body": "<p>Thanks for your order!</p>",
            "headers": {"X-Order": "1001"},
        },
    ),
    idempotent=False,
    api=API,
)

# -- push ----------------------------------------------------------------------------------------------------

PUSH_FIELDS = ("to", "title", "message", "image_url", "link", "sound", "custom_data", "custom_device", "custom_payload")


SEND_TRANSACTIONAL_PUSH = Action(
    key="send-transactional-push",
    name="Send transactional push",
    description=(
        "Send one transactional push notification (login alert, delivery update, one-time code) to a person's "
        "mobile devices from a template, with a custom title, message, link or image. Goes to all their devices, "
        "the last used one, or one device token. Not idempotent: every call sends."
    ),
    entity="transactional message",
    input_schema=input_object(
        {
            "transactional_message_id": TEMPLATE_REF,
            **COMMON,
            "to": string("all (default: every device), last_used, or one device token."),
            "title": string("The notification title (overrides the template's).", min_length=None),
            "message": string("The notification text (overrides the template's).", min_length=None),
            "image_url": string("An image to show in the notification."),
            "link": string("A deep link or URL opened on tap."),
            "sound": string("iOS: play the default sound or none.", min_length=None, enum=["default", "none"]),
            "custom_data": {"type": "object", "description": "Extra key/values delivered with the notification."},
            "custom_device": {
                "type": "object",
                "description": "A device to add to (or update on) the person at send time.",
                "properties": {
                    "token": string("The device token."),
                    "platform": string("ios or android.", min_length=None, enum=["ios", "android"]),
                    "last_used": integer("When the device was last used (unix).", minimum=0),
                    "attributes": {"type": "object", "description": "Device attributes (app_version, device_os, …)."},
                },
                "required": ["token", "platform"],
                "additionalProperties": False,
            },
            "custom_payload": {
                "type": "object",
                "description": "A raw payload per platform, {\"ios\": {…}, \"android\": {\"message\": {…}}}, replacing the template's.",
            },
        },
        ("identifiers", "transactional_message_id"),
    ),
    output_schema=DELIVERY,
    run=_send("push", (*COMMON_KEYS, *PUSH_FIELDS)),
    examples=(
        {"transactional_message_id": samples.LOGIN_ALERT_PUSH, "identifiers": {"id": samples.ADA}, "to": "last_used", "message_data": {"city": "London"}},
    ),
    idempotent=False,
    api=API,
)

# -- sms -----------------------------------------------------------------------------------------------------


SEND_TRANSACTIONAL_SMS = Action(
    key="send-transactional-sms",
    name="Send transactional SMS",
    description=(
        "Send one transactional SMS text message (verification code, appointment reminder, delivery alert) to a "
        "phone number from a template, with data for the message. Not idempotent: every call sends."
    ),
    entity="transactional message",
    input_schema=input_object(
        {
            "transactional_message_id": TEMPLATE_REF,
            **COMMON,
            "to": string(
                "The phone number in E.164 form, e.g. +15551234567 (or liquid such as {{customer.phone}}).",
                min_length=None,
                pattern=r"^(\+[1-9][0-9]{1,14}|.*\{\{.*\}\}.*)$",
            ),
            "from": string("The sending number (a verified Twilio number); default: the template's."),
        },
        ("identifiers", "transactional_message_id", "to"),
    ),
    output_schema=DELIVERY,
    run=_send("sms", (*COMMON_KEYS, "to", "from")),
    examples=(
        {"transactional_message_id": samples.VERIFICATION_SMS, "identifiers": {"id": samples.GRACE}, "to": "+15551234567", "message_data": {"code": "482913"}},
    ),
    idempotent=False,
    api=API,
)

# -- templates -----------------------------------------------------------------------------------------------


LIST_TRANSACTIONAL_MESSAGES = Action(
    key="list-transactional-messages",
    name="List transactional messages",
    description=(
        "List the transactional message templates (password reset, receipts, verification codes, …) set up in the "
        "workspace, with ids, names and tracking settings. Use to find the id to send one with."
    ),
    entity="transactional message",
    input_schema=input_object({}),
    output_schema=obj(
        {
            "messages": array(
                obj(
                    {
                        "id": integer("The template id (transactional_message_id)."),
                        "name": string("Its name.", min_length=None),
                        "description": nullable("string", "What it is for."),
                        "send_to_unsubscribed": boolean("Whether it goes to unsubscribed people too."),
                        "link_tracking": boolean("Whether links are tracked."),
                        "open_tracking": boolean("Whether opens are tracked."),
                        "hide_message_body": boolean("Whether bodies are hidden in the message history."),
                        "queue_drafts": boolean("Whether sends are queued as drafts."),
                        "created_at": integer("When it was created (unix)."),
                        "updated_at": integer("When it last changed (unix)."),
                    },
                    "A transactional message template (§A5.6).",
                    required=["id", "name"],
                ),
                "The templates.",
            )
        },
        "Every transactional message template (not paginated).",
        required=["messages"],
    ),
    run=rest("GET", "/transactional"),
    examples=({},),
    read_only=True,
    idempotent=True,
    api=API,
)

ACTIONS = (SEND_TRANSACTIONAL_EMAIL, SEND_TRANSACTIONAL_PUSH, SEND_TRANSACTIONAL_SMS, LIST_TRANSACTIONAL_MESSAGES)
