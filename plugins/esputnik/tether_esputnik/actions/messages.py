"""Sending messages and asking how they went: smartsend, email, SMS, status (§B5.11–§B5.13).

Sends are asynchronous on the platform (queued, delivered within seconds): each recipient gets
a ``requestId`` to ask get-message-status about.
"""

from __future__ import annotations

import json

from tether.connector import (
    Action,
    Request,
    TetherError,
    array,
    boolean,
    identifier,
    input_object,
    obj,
    pick,
    string,
)

from ..quirks import as_bool, as_list, with_int_ids
from ..schemas import EXTERNAL_REQUEST_ID, SEND_OUTPUT, TAGS

MAX_RECIPIENTS = 1000
"""§B5.11: at most 1,000 recipients per smartsend request."""

STATUS_CHUNK = 100
"""Status ids asked per request (a third-party client's choice, §B5.13 [3P]; keeps URLs short)."""


def _results(body):
    # §B5.11: with one recipient `results` may be an object instead of an array.
    results = as_list((body or {}).get("results")) if isinstance(body, dict) else as_list(body)
    return [with_int_ids(r) for r in results]


# -- send-prepared-message ---------------------------------------------------------------------

RECIPIENT = obj(
    {
        "locator": string("Where to send: an email address, or a phone number for SMS/Viber."),
        "contactId": identifier("The contact's id, when you have it.", numeric=True),
        "params": obj({}, "Personalisation values for this recipient (sent as the message's jsonParam).", additionalProperties=True),
        "languageCode": string("The message language to use for this recipient.", maxLength=10),
        "externalRequestId": EXTERNAL_REQUEST_ID,
    },
    "One recipient.",
    required=("locator",),
    additionalProperties=False,
)


def _recipient(r):
    out = {k: v for k, v in r.items() if k != "params"}
    if "params" in r:
        # §B5.11: jsonParam must be a serialised JSON string, not an object.
        out["jsonParam"] = json.dumps(r["params"], ensure_ascii=False)
    return out


def send_prepared_message(inp, ctx):
    recipients = [_recipient(r) for r in inp["recipients"]]
    common = pick(inp, ("email", "fromName", "externalRequestId"))
    common.setdefault("email", True)
    results = []
    for first in range(0, len(recipients), MAX_RECIPIENTS):
        try:
            response = yield Request(
                "POST",
                "/v1/message/{id}/smartsend",
                path_params={"id": inp["id"]},
                json={"recipients": recipients[first : first + MAX_RECIPIENTS], **common},
            )
        except TetherError as exc:
            if first:
                exc.add_context(f"recipients 1–{first} were sent; the rest were not", results=results)
            raise
        results += _results(response.json(default={}))
    return {"results": results}


SEND_PREPARED_MESSAGE = Action(
    key="send-prepared-message",
    name="Send prepared message",
    description=(
        "Send an existing message template (a prepared email, SMS, Viber or push message, by its id) to one or more "
        "recipients, each with their own personalisation parameters (smartsend). Recipients beyond 1,000 go in "
        "further requests. Returns a requestId per recipient for get-message-status."
    ),
    entity="message",
    input_schema=input_object(
        {
            "id": identifier("The prepared message's (template's) id.", numeric=True),
            "recipients": array(RECIPIENT, "Who gets it.", minItems=1),
            "email": boolean("True for an email message (default), false for SMS, Viber, push and the others."),
            "fromName": string("Sender name to show instead of the message's (email: a name only; SMS: the alpha name)."),
            "externalRequestId": EXTERNAL_REQUEST_ID,
        },
        ("id", "recipients"),
    ),
    output_schema=SEND_OUTPUT,
    run=send_prepared_message,
    examples=(
        {"id": 3001, "recipients": [{"locator": "ada@example.com", "params": {"discount": "5%"}}, {"locator": "grace@example.com"}]},
        {"id": 3001, "recipients": [{"locator": "ada@example.com"}], "externalRequestId": "order-77-receipt"},
    ),
)

# -- send-email / send-sms ---------------------------------------------------------------------


def _send(path, fields):
    def run(inp, ctx):
        response = yield Request("POST", path, json=pick(inp, fields))
        return {"results": _results(response.json(default={}))}

    return run


EMAIL_FIELDS = ("from", "subject", "htmlText", "plainText", "emails", "tags", "campaignId", "externalRequestId", "skipPersonalisation")

SEND_EMAIL = Action(
    key="send-email",
    name="Send email",
    description=(
        "Send a one-off email (not from a template) with your own subject and HTML or plain text body to one or more "
        "email addresses; addresses not yet in the database become contacts. Returns a requestId per recipient."
    ),
    entity="message",
    input_schema=input_object(
        {
            "from": string('Sender, e.g. "Shop" <news@shop.example> (the address must be confirmed in the account).'),
            "subject": string("Subject line."),
            "htmlText": string("HTML body."),
            "plainText": string("Plain-text body."),
            "emails": array(string("An email address."), "Recipients.", minItems=1),
            "tags": TAGS,
            "campaignId": string("Your campaign label for reporting."),
            "externalRequestId": EXTERNAL_REQUEST_ID,
            "skipPersonalisation": boolean("Send the text as is, without filling personalisation tags."),
        },
        ("from", "subject", "emails"),
        anyOf=[{"required": ["htmlText"]}, {"required": ["plainText"]}],
    ),
    output_schema=SEND_OUTPUT,
    run=_send("/v1/message/email", EMAIL_FIELDS),
    examples=({"from": '"Shop" <news@shop.example>', "subject": "Hello", "htmlText": "<p>Hello!</p>", "emails": ["ada@example.com"]},),
)

SEND_SMS = Action(
    key="send-sms",
    name="Send SMS",
    description=(
        "Send an SMS text message: text a phone number (or several) from your alpha name, or every contact of a "
        "segment by its id. Numbers not yet in the database become contacts. Returns a requestId per recipient."
    ),
    entity="message",
    input_schema=input_object(
        {
            "from": string("The sender's alpha name, as set up in the account."),
            "text": string("The message text."),
            "phoneNumbers": array(string("A phone number."), "Recipients' phone numbers.", minItems=1),
            "groupId": identifier("Send to every contact of this segment instead.", numeric=True),
            "tags": TAGS,
        },
        ("from", "text"),
        oneOf=[{"required": ["phoneNumbers"]}, {"required": ["groupId"]}],
    ),
    output_schema=SEND_OUTPUT,
    run=_send("/v1/message/sms", ("from", "text", "phoneNumbers", "groupId", "tags")),
    examples=({"from": "MyShop", "text": "Your parcel has shipped", "phoneNumbers": ["380501234567"]},),
)

# -- get-message-status ------------------------------------------------------------------------


def _status(raw):
    row = dict(raw)
    for key in ("failed", "delivered"):
        if key in row:
            row[key] = as_bool(row[key])
    return row


def get_message_status(inp, ctx):
    ids = list(dict.fromkeys(inp["ids"]))
    statuses = []
    for first in range(0, len(ids), STATUS_CHUNK):
        # §B5.13: ids comma-joined (ok-esputnik's repeated ids= is a bug for more than one).
        response = yield Request("GET", "/v1/message/status", params={"ids": ",".join(ids[first : first + STATUS_CHUNK])})
        statuses += [_status(s) for s in _results(response.json(default={}))]
    return {"statuses": statuses}


GET_MESSAGE_STATUS = Action(
    key="get-message-status",
    name="Get message status",
    description=(
        "Check the delivery status of sent messages (email, SMS, prepared or transactional) by the requestIds the "
        "send actions returned: whether each was delivered or failed yet."
    ),
    entity="message",
    input_schema=input_object({"ids": array(string("A requestId."), "The requestIds to check.", minItems=1)}, ("ids",)),
    output_schema=obj(
        {
            "statuses": array(
                obj(
                    {
                        "requestId": string("The requestId."),
                        "status": string("The platform's status, e.g. QUEUED, DELIVERED or UNDELIVERED."),
                        "delivered": boolean("Whether it was delivered."),
                        "failed": boolean("Whether it failed."),
                    },
                    "One message's status.",
                ),
                "One entry per requestId the platform knows (always a list).",
            )
        },
        "Statuses.",
        required=("statuses",),
    ),
    run=get_message_status,
    examples=({"ids": ["4b8a7c3e-0000-4000-8000-000000000001"]},),
    read_only=True,
    idempotent=True,
)

ACTIONS = (SEND_PREPARED_MESSAGE, SEND_EMAIL, SEND_SMS, GET_MESSAGE_STATUS)
