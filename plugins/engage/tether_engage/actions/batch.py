"""send-batch-request: many create, update and event operations per call (engage.md §4.22).

Engage asks to "keep the request size below 100KB". Input that would exceed it is split into
several POST /batch requests, sent in order. A batch is not idempotent (its items are queued
and applied later, with no per-item result), so a failed request is never retried blindly and
the error says exactly which items were already accepted.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from tether.connector import Action, ActionGen, NetworkError, Request, RunContext, TetherError, ValidationError

from .. import samples
from ..schemas import SCALAR_MAP, USER_ATTRIBUTES

# 100 KB read as 100,000 bytes: below the limit whether Engage counts KB as 1,000 or 1,024 bytes.
MAX_BODY_BYTES = 100_000
_ENVELOPE = len(b'{"data":[]}')


def encoded_size(value: Any) -> int:
    """Bytes of ``value`` exactly as tether encodes a JSON body (see Request.body_bytes in tether.connector)."""
    return len(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode())


def split(items: Sequence[Any], limit: int = MAX_BODY_BYTES) -> list[list[Any]]:
    """Consecutive runs of ``items`` whose ``{"data": [...]}`` body stays within ``limit`` bytes."""
    chunks: list[list[Any]] = []
    current: list[Any] = []
    size = _ENVELOPE
    for index, item in enumerate(items):
        item_size = encoded_size(item)
        if _ENVELOPE + item_size > limit:
            path = f"input.data[{index}]"
            raise ValidationError(
                f"{path}: this item alone encodes to {item_size:,} bytes, over Engage's {limit:,}-byte batch request limit; "
                "send it on its own with create-user, update-user or track-user-event",
                path=path,
                expected=f"at most {limit - _ENVELOPE} bytes",
                given=item_size,
            )
        added = item_size + (1 if current else 0)  # the comma between items
        if current and size + added > limit:
            chunks.append(current)
            current, size, added = [], _ENVELOPE, item_size
        current.append(item)
        size += added
    if current:
        chunks.append(current)
    return chunks


def send_batch_request(inp: dict[str, Any], ctx: RunContext) -> ActionGen:
    items = inp["data"]
    chunks = split(items)  # before anything is sent: an oversized item refuses the whole input
    accepted = 0
    for number, chunk in enumerate(chunks, start=1):
        try:
            yield Request("POST", "/batch", json={"data": chunk})
        except TetherError as exc:
            _annotate_partial_failure(exc, number, len(chunks), accepted, len(chunk), len(items))
            raise
        accepted += len(chunk)
    return {"status": "queued", "requests": len(chunks), "items": len(items)}


def _annotate_partial_failure(exc: TetherError, number: int, total: int, accepted: int, size: int, count: int) -> None:
    in_doubt = isinstance(exc, NetworkError) and exc.processed is None
    end = accepted + size
    if number == 1:
        before = "Nothing was accepted before it"
    else:
        plural = "s" if number > 2 else ""
        before = f"Accepted and queued before it: {number - 1} request{plural}, {accepted} of {count} items (data[0:{accepted}])"
    if in_doubt:
        fate = f"Request {number}'s answer was lost, so data[{accepted}:{end}] may or may not be queued: check before resending"
    else:
        fate = f"Request {number} was not accepted: resend data[{accepted}:] to finish"
    note = f"Batch request {number} of {total} failed. {before}. {fate}"
    exc.add_context(
        note,
        accepted_requests=number - 1,
        accepted_items=accepted,
        failed_request=number,
        failed_request_items=size,
        failed_request_processed=None if in_doubt else False,
        total_requests=total,
        total_items=count,
    )


def _item(kind: str, properties: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    """When an item's type is ``kind``, these are the parameters it may carry."""
    then: dict[str, Any] = {"properties": properties}
    if required:
        then["required"] = list(required)
    return {"if": {"properties": {"type": {"const": kind}}, "required": ["type"]}, "then": then}


_LISTS = {"type": "array", "items": {"type": "string", "minLength": 1}, "description": "Ids of lists to subscribe the new user to."}
_EVENT = {
    "event": {"type": "string", "minLength": 1, "description": "The event's name."},
    "value": {"type": ["string", "number", "boolean"], "description": "An optional value."},
    "properties": {**SCALAR_MAP, "description": "Extra details of the event."},
    "timestamp": {"type": "string", "description": "When it happened, ISO 8601; defaults to now."},
}

BATCH_ITEM = {
    "type": "object",
    "description": "One operation: the parameters of create-user (type create), update-user (type update) or track-user-event (type event).",
    "properties": {
        "type": {
            "type": "string",
            "enum": ["create", "update", "event"],
            "description": "create a user, update (upsert) a user, or record an event.",
        },
        "id": {"type": "string", "minLength": 1, "description": "The user's uid (your application's id)."},
    },
    "required": ["type", "id"],
    "allOf": [
        _item("create", {**USER_ATTRIBUTES, "lists": _LISTS}),
        _item("update", dict(USER_ATTRIBUTES)),
        _item("event", _EVENT, ("event",)),
    ],
    # Engage does not validate batch items (engage.md §4.22), so a misspelt parameter would be
    # dropped silently there: refuse it here instead.
    "unevaluatedProperties": False,
}


SEND_BATCH_REQUEST = Action(
    key="send-batch-request",
    name="Send batch request",
    description=(
        "Bulk import: create or update many users (hundreds at once) and track their events in one batch call "
        "instead of one request each. Engage queues the items without validating them and reports no per-item result. Input over "
        "Engage's 100 KB request limit is split into several batch requests, sent in order."
    ),
    entity="batch",
    input_schema={
        "type": "object",
        "properties": {
            "data": {
                "type": "array",
                "items": BATCH_ITEM,
                "minItems": 1,
                "description": "The operations, in order; each has a type (create, update or event), the user's id and that operation's parameters.",
            }
        },
        "required": ["data"],
        "additionalProperties": False,
    },
    output_schema={
        "type": "object",
        "properties": {
            "status": {"type": "string", "description": "\"queued\": Engage accepted every request and will apply the items later."},
            "requests": {"type": "integer", "description": "How many POST /batch requests were sent (more than 1 when the input exceeded 100 KB)."},
            "items": {"type": "integer", "description": "How many items were sent in all."},
        },
        "required": ["status", "requests", "items"],
    },
    run=send_batch_request,
    examples=(
        {
            "data": [
                {"type": "create", "id": "u-4001", "first_name": "Akinyele", "email": "akin@example.com", "meta": {"plan": "pro"}},
                {"type": "update", "id": samples.GRACE, "meta": {"plan": "custom", "coverage": 20}},
                {"type": "event", "id": samples.GRACE, "event": "Paid", "value": 49.99},
            ]
        },
    ),
)

ACTIONS = (SEND_BATCH_REQUEST,)
