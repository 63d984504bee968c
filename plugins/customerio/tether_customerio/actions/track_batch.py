"""send-track-batch: many Track operations through the v2 batch endpoint (§A4).

The batch is split so that every request stays under the documented sizes (each item
≤ 32 KB, each request ≤ 500 KB); an item over the item limit is refused before anything is
sent. A 207 answer means the other items were accepted: the failures are reported with the
caller's own indexes, and nothing is retried that was already accepted.
"""

from __future__ import annotations

import json

from tether.connector import Action, Request, TetherError, ValidationError, array, input_object, integer, obj, string

from .. import samples
from ..schemas import IDENTIFIERS

# §A3 "Payload limits": 32 KB per item, 500 KB per batch request. Counted in 1000s to leave
# room for however the platform counts a kilobyte.
MAX_ITEM_BYTES = 32_000
MAX_BATCH_BYTES = 500_000
_ENVELOPE = len(b'{"batch":[]}')

# Operations that set state: sending one twice leaves the same result. Events do not,
# unless they carry an id (a ULID Customer.io deduplicates on).
_REPEATABLE = {"identify", "identify_anonymous", "delete", "add_device", "delete_device", "suppress", "unsuppress", "merge",
               "add_relationships", "delete_relationships"}
_EVENTS = {"event", "page", "screen"}

PERSON_ACTIONS = ["identify", "delete", "event", "page", "screen", "add_device", "delete_device", "merge", "suppress",
                  "unsuppress", "add_relationships", "delete_relationships"]
OBJECT_ACTIONS = ["identify", "identify_anonymous", "delete", "add_relationships", "delete_relationships"]


def _when(type_: str, actions: list[str], then: dict) -> dict:
    return {
        "if": {"properties": {"type": {"const": type_}, "action": {"enum": actions}}, "required": ["type", "action"]},
        "then": then,
    }


OPERATION = {
    "type": "object",
    "description": "One v2 operation: type person/object/delivery, an action, identifiers and the action's own keys (§A4).",
    "properties": {
        "type": string("What the operation is about.", min_length=None, enum=["person", "object", "delivery"]),
        "action": string("identify, delete, event, page, screen, add_device, delete_device, merge, …"),
        "identifiers": {"type": "object", "description": "Who or what: {\"id\"}, {\"email\"}, {\"cio_id\"} for people; object ids for objects."},
        "attributes": {"type": "object", "description": "Attributes to set (identify) or event data (event, page, screen)."},
        "name": string("Event, page or screen name.", maxLength=100),
        "id": string("Event id (a ULID) that Customer.io deduplicates on.", min_length=None),
        "timestamp": integer("When (unix seconds)."),
        "device": {"type": "object", "description": "add_device: {token, platform, last_used?, attributes?}; delete_device: {token}."},
        "primary": {**IDENTIFIERS, "description": "merge: the person who remains."},
        "secondary": {**IDENTIFIERS, "description": "merge: the duplicate merged into the primary."},
        "cio_relationships": {"type": "array", "description": "Relationships to add or delete."},
    },
    "required": ["type", "action"],
    "allOf": [
        {"if": {"properties": {"type": {"const": "person"}}, "required": ["type"]}, "then": {"properties": {"action": {"enum": PERSON_ACTIONS}}}},
        {"if": {"properties": {"type": {"const": "object"}}, "required": ["type"]}, "then": {"properties": {"action": {"enum": OBJECT_ACTIONS}}}},
        {"if": {"properties": {"type": {"const": "delivery"}}, "required": ["type"]}, "then": {"properties": {"action": {"const": "event"}}}},
        _when("person", ["merge"], {"required": ["primary", "secondary"], "not": {"required": ["identifiers"]}}),
        _when("person", [a for a in PERSON_ACTIONS if a != "merge"], {"required": ["identifiers"], "properties": {"identifiers": IDENTIFIERS}}),
        _when("person", sorted(_EVENTS), {"required": ["name"]}),
        _when("person", ["add_device"], {"properties": {"device": {"required": ["token", "platform"]}}, "required": ["device"]}),
        _when("person", ["delete_device"], {"properties": {"device": {"required": ["token"]}}, "required": ["device"]}),
        _when("object", OBJECT_ACTIONS, {"required": ["identifiers"]}),
        _when("delivery", ["event"], {"required": ["identifiers", "name"]}),
    ],
}

RESULT = obj(
    {
        "sent": integer("How many operations were sent."),
        "accepted": integer("How many of them Customer.io accepted."),
        "requests": integer("How many batch requests they were split into."),
        "failed": array(
            obj(
                {
                    "index": integer("The operation's position in your list (from 0)."),
                    "reason": string("Customer.io's reason code.", min_length=None),
                    "field": string("The field at fault.", min_length=None),
                    "message": string("Customer.io's explanation.", min_length=None),
                },
                "",
            ),
            "Operations Customer.io refused (from its 207 answers); every other one was accepted.",
        ),
    },
    "What happened to the batch.",
    required=["sent", "accepted", "requests", "failed"],
)


def _encoded(op) -> bytes:
    return json.dumps(op, separators=(",", ":"), ensure_ascii=False).encode()


def split(operations: list) -> list[tuple[int, list]]:
    """(offset, operations) chunks, each request under MAX_BATCH_BYTES; refuses oversized items."""
    chunks: list[tuple[int, list]] = []
    current: list = []
    size = _ENVELOPE
    start = 0
    for index, op in enumerate(operations):
        item = len(_encoded(op))
        if item > MAX_ITEM_BYTES:
            raise ValidationError(
                f"input.operations[{index}] is {item} bytes; Customer.io takes at most {MAX_ITEM_BYTES} per operation",
                path=f"input.operations[{index}]",
                expected=f"at most {MAX_ITEM_BYTES} bytes",
                given=f"{item} bytes",
            )
        extra = item + (1 if current else 0)
        if current and size + extra > MAX_BATCH_BYTES:
            chunks.append((start, current))
            current, size, start = [], _ENVELOPE, index
            extra = item
        current.append(op)
        size += extra
    if current:
        chunks.append((start, current))
    return chunks


def _repeatable(ops: list) -> bool:
    return all(op.get("action") in _REPEATABLE or (op.get("action") in _EVENTS and op.get("id")) for op in ops)


def send_track_batch(inp, ctx):
    operations = inp["operations"]
    chunks = split(operations)  # before the first request: an oversized item sends nothing
    failed: list[dict] = []
    done = 0
    for number, (offset, ops) in enumerate(chunks):
        try:
            response = yield Request("POST", "/v2/batch", json={"batch": ops}, accept=(207,), idempotent=_repeatable(ops))
        except TetherError as exc:
            if done:
                exc.add_context(
                    f"operations 0–{done - 1} were sent in {number} earlier request(s) and accepted (except any listed as failed); "
                    f"operations {done}–{len(operations) - 1} were not: resend only those",
                    sent=done,
                    failed=failed,
                )
            raise
        if response.status == 207:
            for error in (response.json(default={}) or {}).get("errors", []):
                item = {"index": offset + int(error.get("batch_index", 0))}
                item.update({k: error[k] for k in ("reason", "field", "message") if k in error})
                failed.append(item)
        done += len(ops)
    return {"sent": done, "accepted": done - len(failed), "requests": len(chunks), "failed": failed}


SEND_TRACK_BATCH = Action(
    key="send-track-batch",
    name="Send Track batch",
    description=(
        "Send many Track operations at once (bulk import): identify people, track events and page views, add or "
        "delete devices, merge, suppress, delete, for people and objects, in Customer.io's v2 batch format. Large "
        "batches are split by the size limits; operations Customer.io refuses are listed by index while the rest go through."
    ),
    entity="batch",
    input_schema=input_object(
        {"operations": array(OPERATION, "The operations, in order.", minItems=1)},
        ("operations",),
    ),
    output_schema=RESULT,
    run=send_track_batch,
    examples=(
        {
            "operations": [
                {"type": "person", "action": "identify", "identifiers": {"id": "cust-3001"}, "attributes": {"email": "lin@example.com", "plan": "pro"}},
                {"type": "person", "action": "event", "identifiers": {"id": "cust-3001"}, "name": "signed_up", "id": "01HB4HBDKTFWYZCK01DMRSWRFE"},
                {"type": "person", "action": "add_device", "identifiers": {"id": samples.ADA}, "device": {"token": "fcm-ada-2", "platform": "android"}},
            ]
        },
    ),
    api="track",
)

ACTIONS = (SEND_TRACK_BATCH,)
