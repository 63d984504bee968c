"""App API: API-triggered broadcasts and their triggers (§A5.4, §A5.5)."""

from __future__ import annotations

import itertools
import json

from tether.connector import (
    Action, CursorPages, RateLimitedError, ValidationError, array, boolean, identifier, input_object, integer, nullable, obj, rest, string,
)

from .. import samples
from ..schemas import CREATED, DEDUPLICATE_ID, FILTER_DEFS, UPDATED, filter_property, integer_id, page_input

API = "app"

BROADCAST = obj(
    {
        "id": integer("The broadcast id (used to trigger it)."),
        "deduplicate_id": DEDUPLICATE_ID,
        "name": string("The broadcast's name.", min_length=None),
        "type": string("Always triggered_broadcast.", min_length=None),
        "created": CREATED,
        "updated": UPDATED,
        "active": boolean("Whether it can be triggered."),
        "state": string("running or draft.", min_length=None),
        "actions": array(
            obj(
                {
                    "id": integer("The action id."),
                    "type": string("email, push, twilio (SMS), slack, webhook or in_app.", min_length=None),
                },
                "One action.",
            ),
            "Its messages and other actions.",
        ),
        "msg_template_ids": array(
            obj(
                {
                    "id": integer("The template id."),
                    "type": string("Its channel.", min_length=None),
                },
                "One template.",
            ),
            "The message templates it sends.",
        ),
        "first_started": nullable("integer", "When it was first triggered (unix)."),
        "tags": {"type": ["array", "null"], "items": {"type": "string"}, "description": "Tags."},
    },
    "An API-triggered broadcast (§A5.4).",
    required=["id", "name"],
)

BROADCAST_ID = integer_id("The broadcast id (from list-broadcasts).")
TRIGGER_ID = integer_id("The trigger id that trigger-broadcast returned.")

MAX_AUDIENCE = 10_000  # §A5.5: ids and per_user_data
MAX_DATA_BYTES = 50_000  # §A5.5: data
AUDIENCE_KEYS = ("recipients", "emails", "ids", "per_user_data", "data_file_url")


LIST_BROADCASTS = Action(
    key="list-broadcasts",
    name="List broadcasts",
    description=(
        "List the API-triggered broadcasts that exist in the Customer.io workspace, with ids, names, state and the "
        "messages they send. Use to find the id of the broadcast (announcement, alert) you want to trigger."
    ),
    entity="broadcast",
    input_schema=input_object({}),
    output_schema=obj(
        {"broadcasts": array(BROADCAST, "The broadcasts.")},
        "Every API-triggered broadcast (not paginated).",
        required=["broadcasts"],
    ),
    run=rest("GET", "/broadcasts"),
    examples=({},),
    read_only=True,
    idempotent=True,
    api=API,
)


_TRIGGER = rest(
    "POST",
    "/campaigns/{broadcast_id}/triggers",
    body=("data", *AUDIENCE_KEYS, "email_add_duplicates", "email_ignore_missing", "id_ignore_missing"),
    idempotent=False,
    rate_family="broadcast",  # §A7: 1 trigger per 10 s; the engine paces it
    read=lambda response, inp: {"id": response.json()["id"], "broadcast_id": inp["broadcast_id"]},
)


def trigger_broadcast(inp, ctx):
    if "data" in inp:
        size = len(json.dumps(inp["data"], separators=(",", ":"), ensure_ascii=False).encode())
        if size > MAX_DATA_BYTES:  # §A5.5; a schema cannot measure bytes
            raise ValidationError(
                f"input.data: at most {MAX_DATA_BYTES} bytes of JSON, got {size}", path="input.data", expected=f"≤ {MAX_DATA_BYTES} bytes", given=size
            )
    try:
        return (yield from _TRIGGER(inp, ctx))
    except RateLimitedError as exc:
        raise exc.add_context("Customer.io accepts one broadcast trigger every 10 seconds per workspace (§A5.5); try again shortly") from None


PERSON_DATA = {
    "type": "object",
    "description": "One person and the data for their message: {\"id\": …, \"data\": {…}} or {\"email\": …, \"data\": {…}}.",
    "properties": {
        "id": identifier("The person's id.", max_length=150),
        "email": string("The person's email address.", min_length=3),
        "data": {"type": "object", "description": "Liquid data for this person's message ({{trigger.…}})."},
    },
    "additionalProperties": False,
    "oneOf": [{"required": ["id"]}, {"required": ["email"]}],
}

TRIGGER_BROADCAST = Action(
    key="trigger-broadcast",
    name="Trigger broadcast",
    description=(
        "Send (trigger) an API-triggered broadcast now: an announcement or alert to everyone in its audience, or "
        "only to the people you name (ids, emails, an audience filter, or per-person data), with custom data for "
        "the message such as a headline or link. Only existing "
        "people receive it; unknown ones become error lines (see get-broadcast-trigger-errors). Customer.io accepts "
        "one trigger every 10 seconds. Not idempotent: every call sends again."
    ),
    entity="broadcast",
    input_schema=input_object(
        {
            "broadcast_id": BROADCAST_ID,
            "data": {"type": "object", "description": "Data for the messages, as {{trigger.<key>}} in liquid (at most 50,000 bytes)."},
            "recipients": filter_property("Send to the people matching this audience filter instead of the broadcast's own audience."),
            "emails": array({"type": "string", "minLength": 3}, "Send to these people, by email address.", minItems=1),
            "ids": array(
                {"type": "string", "minLength": 1, "maxLength": 150},
                "Send to these people, by id (at most 10,000).",
                minItems=1,
                maxItems=MAX_AUDIENCE,
            ),
            "per_user_data": array(
                PERSON_DATA,
                "Send to these people, each with their own data (at most 10,000).",
                minItems=1,
                maxItems=MAX_AUDIENCE,
            ),
            "data_file_url": string(
                "Send to the people in this JSON Lines file (one {\"id\"|\"email\", \"data\"} per line), fetched by Customer.io.",
                min_length=None,
                pattern="^https?://",
            ),
            "email_add_duplicates": boolean("With emails: send to an address each time it appears (default false)."),
            "email_ignore_missing": boolean("Do not report email addresses nobody has as errors (default false)."),
            "id_ignore_missing": boolean("Do not report ids nobody has as errors (default false)."),
        },
        ("broadcast_id",),
        # §A5.5: one audience form at most (none: the broadcast's own audience).
        allOf=[{"not": {"required": list(pair)}} for pair in itertools.combinations(AUDIENCE_KEYS, 2)],
        **FILTER_DEFS,
    ),
    output_schema=obj(
        {
            "id": integer("The trigger id: pass to get-broadcast-trigger and get-broadcast-trigger-errors."),
            "broadcast_id": integer("The broadcast that was triggered."),
        },
        "The trigger Customer.io created.",
        required=["id"],
    ),
    run=trigger_broadcast,
    # One example only: the engine paces triggers at one per 10 s on a connection.
    examples=({"broadcast_id": samples.OUTAGE_BROADCAST, "ids": [samples.ADA, samples.GRACE], "data": {"headline": "Scheduled maintenance tonight"}},),
    read_only=False,
    idempotent=False,
    api=API,
)


TRIGGER_PATH = "/campaigns/{broadcast_id}/triggers/{trigger_id}"


def _bare_trigger(response, inp):
    body = response.json()
    # §A5.5 shows the trigger bare; [INF] a {"trigger": …} wrapper (as other App objects have) is accepted too.
    return body.get("trigger", body) if isinstance(body, dict) else body


GET_BROADCAST_TRIGGER = Action(
    key="get-broadcast-trigger",
    name="Get broadcast trigger",
    description=(
        "Check the status of one broadcast trigger (a send of an API-triggered broadcast): when it was created and "
        "when Customer.io finished processing it."
    ),
    entity="broadcast",
    input_schema=input_object({"broadcast_id": BROADCAST_ID, "trigger_id": TRIGGER_ID}, ("broadcast_id", "trigger_id")),
    output_schema=obj(
        {
            "id": integer("The trigger id."),
            "broadcast_id": integer("The broadcast it triggered."),
            "created_at": integer("When it was triggered (unix)."),
            "processed_at": nullable("integer", "When it was processed (unix); null or 0 while queued."),
        },
        "A broadcast trigger (§A5.5).",
        required=["id", "broadcast_id"],
    ),
    run=rest("GET", TRIGGER_PATH, read=_bare_trigger),
    examples=({"broadcast_id": samples.OUTAGE_BROADCAST, "trigger_id": samples.OUTAGE_TRIGGER},),
    read_only=True,
    idempotent=True,
    api=API,
)


GET_BROADCAST_TRIGGER_ERRORS = Action(
    key="get-broadcast-trigger-errors",
    name="Get broadcast trigger errors",
    description=(
        "List the problems a broadcast trigger ran into, one line each (for example a person id or email nobody "
        "has, or a bad data file). Use to find out why a broadcast did not reach everyone."
    ),
    entity="broadcast",
    input_schema=input_object(
        {"broadcast_id": BROADCAST_ID, "trigger_id": TRIGGER_ID, **page_input(10, 100, "error lines")},
        ("broadcast_id", "trigger_id"),
    ),
    output_schema=obj(
        {
            "errors": array(
                {"type": "string"},
                "Error lines such as \"line 2 : customer with id 'x' not found\" (every one with all=true).",
            ),
            # Customer.io's docs show "next": 0 on an error page, so an integer is allowed too.
            "next": {"type": ["string", "integer"], "description": "Pass as start to get the next page; empty, 0 or absent on the last page."},
        },
        "A page of the trigger's error lines.",
        required=["errors"],
    ),
    run=rest("GET", TRIGGER_PATH + "/errors", query=("start", "limit")),
    examples=({"broadcast_id": samples.OUTAGE_BROADCAST, "trigger_id": samples.OUTAGE_TRIGGER},),
    read_only=True,
    idempotent=True,
    pages=CursorPages(items="errors", next="next", param="start", size_param="limit", max_size=100),
    api=API,
)

ACTIONS = (LIST_BROADCASTS, TRIGGER_BROADCAST, GET_BROADCAST_TRIGGER, GET_BROADCAST_TRIGGER_ERRORS)
