"""Track API v2 (§A4): /api/v2/entity (one operation) and /api/v2/batch (many, 207 on partial failure)."""

from __future__ import annotations

import json
from typing import Any

from tether.connector import Abort, Reply

from . import model, people
from .base import SANDBOX, collection, track_auth, v2_errors

# §A3 "Payload limits": an entity request or a batch item ≤ 32 KB, a batch ≤ 500 KB.
MAX_ITEM = 32 * 1024
MAX_BATCH = 500 * 1024

PERSON_ACTIONS = {"identify", "delete", "event", "page", "screen", "add_device", "delete_device", "merge", "suppress",
                  "unsuppress", "add_relationships", "delete_relationships"}
OBJECT_ACTIONS = {"identify", "identify_anonymous", "delete", "add_relationships", "delete_relationships"}


class Invalid(Exception):
    def __init__(self, field: str, message: str, reason: str = "invalid"):
        super().__init__(message)
        self.error = {"reason": reason, "field": field, "message": message}


def _person_identifiers(op: dict[str, Any]) -> tuple[str, str]:
    ident = op.get("identifiers")
    if not isinstance(ident, dict) or not ident:
        raise Invalid("identifiers", "identifiers are required", "required")
    keys = [k for k in ("id", "email", "cio_id") if k in ident]
    if len(keys) != 1 or len(ident) != 1:
        raise Invalid("identifiers", "exactly one of id, email or cio_id is required")
    value = ident[keys[0]]
    if not isinstance(value, (str, int)) or str(value) == "":
        raise Invalid(f"identifiers.{keys[0]}", "must be a non-empty string")
    return keys[0], str(value)


def check(op: Any) -> None:
    """Validate one operation against the §A4 table; raises Invalid."""
    if not isinstance(op, dict):
        raise Invalid("", "operation must be an object")
    kind, action = op.get("type"), op.get("action")
    if kind == "person":
        if action not in PERSON_ACTIONS:
            raise Invalid("action", f"unsupported person action {action!r}")
        if action == "merge":
            for side in ("primary", "secondary"):
                ident = op.get(side)
                if not isinstance(ident, dict) or len(ident) != 1 or next(iter(ident)) not in ("id", "email", "cio_id"):
                    raise Invalid(side, f"{side} needs exactly one of id, email or cio_id")
            return
        _person_identifiers(op)
        if action in ("event", "page", "screen") and not (isinstance(op.get("name"), str) and op["name"].strip()):
            raise Invalid("name", "name is required", "required")
        if action in ("add_device", "delete_device"):
            device = op.get("device")
            if not isinstance(device, dict) or not device.get("token"):
                raise Invalid("device.token", "device.token is required", "required")
            if action == "add_device" and device.get("platform") not in ("ios", "android"):
                raise Invalid("device.platform", "platform must be one of ios, android")
    elif kind == "object":
        if action not in OBJECT_ACTIONS:
            raise Invalid("action", f"unsupported object action {action!r}")
        ident = op.get("identifiers")
        if not isinstance(ident, dict) or not (("object_type_id" in ident and "object_id" in ident) or "cio_object_id" in ident):
            raise Invalid("identifiers", "object_type_id and object_id (or cio_object_id) are required", "required")
    elif kind == "delivery":
        ident = op.get("identifiers")
        if action != "event" or not isinstance(ident, dict) or not ident.get("id"):
            raise Invalid("identifiers.id", "a delivery event needs identifiers.id", "required")
        if op.get("name") not in ("opened", "converted", "delivered"):
            raise Invalid("name", "name must be one of opened, converted, delivered")
    else:
        raise Invalid("type", "type must be one of person, object, delivery")


def apply(ctx, op: dict[str, Any]) -> None:
    """Carry out one valid operation."""
    kind, action = op["type"], op["action"]
    if kind == "object":
        objects = collection(ctx, "objects")
        ident = op["identifiers"]
        key = ident.get("cio_object_id") or f"{ident.get('object_type_id')}:{ident.get('object_id')}"
        if action == "delete":
            objects.delete(key)
        elif action in ("identify", "identify_anonymous"):
            current = objects.get(key) or {"identifiers": ident, "attributes": {}}
            current["attributes"].update(op.get("attributes") or {})
            objects.put(key, current)
        return  # relationships are accepted and not modelled [INF]
    if kind == "delivery":
        messages = collection(ctx, "messages")
        message = messages.get(op["identifiers"]["id"])
        if message is not None:
            message.setdefault("metrics", {})[op["name"]] = op.get("timestamp") or model.now(ctx)
            messages.put(message["id"], message)
        return
    if action == "merge":
        primary, secondary = people.find_one(ctx, op["primary"]), people.find_one(ctx, op["secondary"])
        if primary is not None and secondary is not None and primary["cio_id"] != secondary["cio_id"]:
            people.merge(ctx, primary, secondary)
        return
    by, value = _person_identifiers(op)
    if action == "identify":
        people.identify(ctx, by, value, dict(op.get("attributes") or {}))
    elif action == "delete":
        person = model.find(ctx, value, by)
        if person is not None:
            model.delete(ctx, person)
    elif action == "suppress":
        people.suppress(ctx, by, value)
    elif action == "unsuppress":
        people.unsuppress(ctx, value)
    elif action in ("event", "page", "screen"):
        if people.seen_event(ctx, op.get("id")):
            return
        person = model.find(ctx, value, by) or people.identify(ctx, by, value, {})
        body = {"name": op["name"], "type": action, "data": op.get("attributes") or {}, "timestamp": op.get("timestamp"), "id": op.get("id")}
        people.track_event(ctx, person, body)
    elif action == "add_device":
        person = model.find(ctx, value, by) or people.identify(ctx, by, value, {})
        if person is not None:
            people.upsert_device(ctx, person, op["device"])
    elif action == "delete_device":
        person = model.find(ctx, value, by)
        if person is not None:
            people.delete_device(ctx, person, op["device"]["token"])


def _size(value: Any) -> int:
    return len(json.dumps(value, separators=(",", ":")).encode())


def _parsed(req, limit: int) -> Any:
    if len(req.body) > limit:
        raise Abort(v2_errors(400, [{"reason": "too_large", "field": "", "message": f"request body exceeds {limit // 1024} KB"}]))
    return req.json(on_error=v2_errors(400, [{"reason": "invalid", "field": "", "message": "body is not valid JSON"}]), default=None)


@SANDBOX.route("POST", "/api/v2/entity", auth=track_auth)
def entity(req, ctx):
    op = _parsed(req, MAX_ITEM)
    try:
        check(op)
    except Invalid as exc:
        raise Abort(v2_errors(400, [exc.error])) from None
    apply(ctx, op)
    return {}


@SANDBOX.route("POST", "/api/v2/batch", auth=track_auth)
def batch(req, ctx):
    body = _parsed(req, MAX_BATCH)
    ops = body.get("batch") if isinstance(body, dict) else None
    if not isinstance(ops, list) or not ops:
        raise Abort(v2_errors(400, [{"reason": "required", "field": "batch", "message": "batch must be a non-empty list"}]))
    errors = []
    for index, op in enumerate(ops):
        try:
            if _size(op) > MAX_ITEM:
                raise Invalid("", f"operation exceeds {MAX_ITEM // 1024} KB", "too_large")
            check(op)
        except Invalid as exc:
            errors.append({"batch_index": index, **exc.error})
            continue
        apply(ctx, op)
    if errors:
        # §A4: 207 — "at least one object was invalid; all other requests are accepted".
        return Reply(207, {"errors": errors})
    return {}
