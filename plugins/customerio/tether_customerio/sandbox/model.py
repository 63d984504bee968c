"""The sandbox's shared data model: people, their activities and deliveries, segment members.

Every route module reads and writes people through these functions, so the Track API (which
writes) and the App API (which reads) agree on one shape. A person document:

    {"cio_id": "03000001", "id": "cust-1001" | None, "email": "ada@example.com" | None,
     "attributes": {name: value as sent}, "timestamps": {name: unix},
     "devices": [{"id", "platform", "last_used", "attributes"}], "unsubscribed": bool,
     "anonymous_ids": [..], "created_at": unix}

Collections (per workspace, see base.collection): people (key cio_id), suppressed (key
identifier), activities (key activity id), messages (key delivery id), segments (key id,
with "members": [cio_id, ...] for manual segments).

Imports only base: route modules import this one, never each other.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable
from typing import Any

from .base import collection, next_id

_ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def ulid(ctx) -> str:
    """A ULID-shaped id (§A5.9 activity ids): 10 time characters then 16 random ones."""
    ms = int(ctx.now() * 1000)
    head = "".join(_ULID_ALPHABET[(ms >> (5 * i)) & 31] for i in reversed(range(10)))
    return head + "".join(secrets.choice(_ULID_ALPHABET) for _ in range(16))


def now(ctx) -> int:
    return int(ctx.now())


# -- people ---------------------------------------------------------------------------------------------


def people(ctx):
    return collection(ctx, "people")


def find(ctx, value: str, id_type: str = "id") -> dict[str, Any] | None:
    """The person whose ``id_type`` (id, email or cio_id) is ``value``; emails match case-insensitively (§A3)."""
    if id_type == "cio_id":
        return people(ctx).get(value)
    if id_type == "email":
        wanted = value.lower()
        return people(ctx).first(lambda p: (p.get("email") or "").lower() == wanted)
    # By id in SQL (only the match is decoded); emails compare case-insensitively, row by row.
    found = people(ctx).slice(0, 1, match={"id": value})
    return found[0] if found else None


def find_by_path_identifier(ctx, identifier: str) -> dict[str, Any] | None:
    """§A3 "Path {identifier}": cio_<cio_id>, else an id, else an email (a workspace that identifies by both)."""
    if identifier.startswith("cio_"):
        return find(ctx, identifier[4:], "cio_id")
    return find(ctx, identifier, "id") or (find(ctx, identifier, "email") if "@" in identifier else None)


def identifiers(person: dict[str, Any]) -> dict[str, Any]:
    out = {"id": person.get("id"), "email": person.get("email"), "cio_id": person["cio_id"]}
    return {k: v for k, v in out.items() if v is not None}


def new_person(ctx, *, id: str | None = None, email: str | None = None, cio_id: str | None = None) -> dict[str, Any]:
    cio = cio_id or f"{next_id(ctx, 'cio_id', 3000100):08d}"
    person = {
        "cio_id": cio,
        "id": id,
        "email": email,
        "attributes": {},
        "timestamps": {},
        "devices": [],
        "unsubscribed": False,
        "anonymous_ids": [],
        "created_at": now(ctx),
    }
    return person


def set_attributes(ctx, person: dict[str, Any], attributes: dict[str, Any]) -> dict[str, Any]:
    """Merge attributes (reserved keys become the person's fields); returns the person, not saved."""
    stamp = now(ctx)
    for name, value in attributes.items():
        if name in ("_update", "_timestamp", "cio_relationships"):
            continue
        if name == "id" and value is not None:
            person["id"] = str(value)
        elif name == "email":
            person["email"] = value
        elif name == "unsubscribed":
            person["unsubscribed"] = bool(value)
        elif name == "anonymous_id" and value:
            if value not in person["anonymous_ids"]:
                person["anonymous_ids"].append(value)
            continue
        person["attributes"][name] = value
        person["timestamps"][name] = stamp
    for field in ("id", "email"):
        if person.get(field) is not None:
            person["attributes"].setdefault(field, person[field])
            person["timestamps"].setdefault(field, stamp)
    person["attributes"]["cio_id"] = person["cio_id"]
    person["timestamps"].setdefault("cio_id", person["created_at"])
    return person


def save(ctx, person: dict[str, Any]) -> dict[str, Any]:
    return people(ctx).put(person["cio_id"], person)


def delete(ctx, person: dict[str, Any]) -> None:
    people(ctx).delete(person["cio_id"])
    for segment in collection(ctx, "segments"):
        if person["cio_id"] in segment.get("members", []):
            segment["members"].remove(person["cio_id"])
            collection(ctx, "segments").put(str(segment["id"]), segment)


def _as_string(value: Any) -> str:
    # §A5.2: the App API returns every attribute value as a string (objects as JSON text).
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, separators=(",", ":"))
    if value is None:
        return ""
    return str(value)


def customer_view(person: dict[str, Any]) -> dict[str, Any]:
    """The App API's customer object (§A5.2 GET /v1/customers/{id}/attributes)."""
    return {
        "id": person.get("id"),
        "identifiers": identifiers(person),
        "attributes": {k: _as_string(v) for k, v in person["attributes"].items()},
        "timestamps": dict(person["timestamps"]),
        "unsubscribed": person["unsubscribed"],
        "devices": [{"id": d["id"], "platform": d["platform"], "last_used": d.get("last_used")} for d in person["devices"]],
    }


# -- suppression (§A3 #5, #6) ---------------------------------------------------------------------------


def suppressed(ctx):
    return collection(ctx, "suppressed")


def is_suppressed(ctx, identifier: str) -> bool:
    return suppressed(ctx).get(identifier.lower()) is not None


# -- activities (§A5.9) and deliveries (§A5.2 messages) ---------------------------------------------------


def record_activity(
    ctx,
    person: dict[str, Any] | None,
    type: str,
    *,
    name: str | None = None,
    data: dict[str, Any] | None = None,
    delivery_id: str | None = None,
    delivery_type: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    activity = {
        "id": ulid(ctx),
        "customer_id": person.get("id") if person else None,
        "customer_identifiers": identifiers(person) if person else None,
        "type": type,
        "timestamp": timestamp or now(ctx),
        "delivery_id": delivery_id,
        "delivery_type": delivery_type,
        "data": data or {},
    }
    if name is not None:
        activity["name"] = name
    # Kept for lookups after the person changes (anonymous events merged later, §A3 #8).
    activity["_cio_id"] = person["cio_id"] if person else None
    collection(ctx, "activities").put(activity["id"], activity)
    return activity


def _of(ctx, name: str, person: dict[str, Any] | None) -> list[dict[str, Any]]:
    """A collection's documents, or only one person's (picked in SQL: only theirs are decoded)."""
    docs = collection(ctx, name)
    if person is None:
        return list(docs)
    mine = {"_cio_id": person["cio_id"]}
    return docs.slice(0, docs.count(match=mine), match=mine)


def activities(ctx, person: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return _of(ctx, "activities", person)


def public(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored document without its internal (underscore) fields."""
    return {k: v for k, v in doc.items() if not k.startswith("_")}


def delivery_id() -> str:
    # Delivery ids are opaque base64-like strings (§A5.6 "delivery_id":"…").
    return secrets.token_urlsafe(21)


def record_message(ctx, person: dict[str, Any] | None, type: str, **fields: Any) -> dict[str, Any]:
    """A delivery (§A5.2 message fields); ``fields`` set campaign_id, subject, recipient, …"""
    message = {
        "id": fields.pop("id", None) or delivery_id(),
        "deduplicate_id": None,
        "msg_template_id": None,
        "customer_id": person.get("id") if person else None,
        "customer_identifiers": identifiers(person) if person else None,
        "recipient": None,
        "subject": None,
        "metrics": {"sent": now(ctx)},
        "created": now(ctx),
        "failure_message": None,
        "campaign_id": None,
        "action_id": None,
        "newsletter_id": None,
        "content_id": None,
        "broadcast_id": None,
        "trigger_event_id": None,
        "transactional_message_id": None,
        "type": type,
        "forgotten": False,
        **fields,
    }
    message["deduplicate_id"] = message["deduplicate_id"] or f"{message['id']}:{message['created']}"
    message["_cio_id"] = person["cio_id"] if person else None
    collection(ctx, "messages").put(message["id"], message)
    return message


def messages(ctx, person: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return _of(ctx, "messages", person)


# -- segments (§A5.3; membership changes through Track §A3 #10, #11) --------------------------------------


def segments(ctx):
    return collection(ctx, "segments")


def segment(ctx, segment_id: int | str) -> dict[str, Any] | None:
    return segments(ctx).get(str(segment_id))


def segment_view(seg: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in seg.items() if k != "members" and not k.startswith("_")}


def in_rule(seg: dict[str, Any]) -> Callable[[dict[str, Any]], bool]:
    """Whether a person is in a data-driven segment: every attribute of its ``_rule`` matches."""
    rule = seg.get("_rule") or {}
    return lambda p: all(p["attributes"].get(k) == v for k, v in rule.items())


def people_by_cio_id(ctx, cio_ids: list[str]) -> list[dict[str, Any]]:
    found = [people(ctx).get(cio) for cio in cio_ids]
    return [p for p in found if p is not None]


def members(ctx, seg: dict[str, Any]) -> list[dict[str, Any]]:
    """The people in a segment: manual ones by membership, dynamic ones by their ``_rule``."""
    if seg.get("type") == "manual":
        return people_by_cio_id(ctx, seg.get("members", []))
    return people(ctx).find(in_rule(seg))


def matches(ctx, person: dict[str, Any], flt: dict[str, Any]) -> bool:
    """Whether a person matches an audience filter (§A5.2 grammar)."""
    if "and" in flt:
        return all(matches(ctx, person, f) for f in flt["and"])
    if "or" in flt:
        return any(matches(ctx, person, f) for f in flt["or"])
    if "not" in flt:
        return not matches(ctx, person, flt["not"])
    if "segment" in flt:
        seg = segment(ctx, flt["segment"].get("id"))
        return seg is not None and any(p["cio_id"] == person["cio_id"] for p in members(ctx, seg))
    if "attribute" in flt:
        cond = flt["attribute"]
        value = person["attributes"].get(cond.get("field"))
        if cond.get("operator") == "exists":
            return value is not None
        return value is not None and _as_string(value) == _as_string(cond.get("value"))
    return False
