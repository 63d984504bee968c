"""App API: API-triggered broadcasts and their triggers (§A5.4, §A5.5).

A trigger is processed as soon as it is accepted [INF: Customer.io queues triggers (at most 5,
§A5.5) and processes them shortly after; here the queue never fills because each one is done
before the reply]. Each person reached gets a delivery (model.record_message) and a "sent"
activity; people who cannot be found become the trigger's error lines.
"""

from __future__ import annotations

import json
from typing import Any

from tether.connector import Abort

from .. import samples as s
from . import model
from .base import SANDBOX, api_error, app_auth, collection, json_body, next_id, not_found, page


TRIGGER_INTERVAL = 10.0  # §A5.5, §A7: one trigger per 10 s (per workspace)
MAX_AUDIENCE = 10_000  # §A5.5: ids and per_user_data, at most 10,000 each
MAX_DATA_BYTES = 50_000  # §A5.5: data at most 50,000 bytes
AUDIENCE_KEYS = ("recipients", "emails", "ids", "per_user_data", "data_file_url")

# [INF] activity types for a delivery by channel; §A5.9 names sent_email, the others follow it.
SENT_ACTIVITY = {"email": "sent_email", "push": "sent_push", "twilio": "sent_twilio", "slack": "sent_slack", "webhook": "sent_webhook", "in_app": "sent_in_app"}


def seed(ctx) -> None:
    broadcasts = collection(ctx, "broadcasts")
    for id, name, action_id, action_type, audience, created in (
        (s.OUTAGE_BROADCAST, "Service outage notice", 301, "email", {"segment": {"id": s.VIP_SEGMENT}}, s.SEEDED_AT - 30 * 86_400),
        (s.PRICING_BROADCAST, "Pricing change", 302, "push", {"segment": {"id": s.ACTIVE_SEGMENT}}, s.SEEDED_AT - 10 * 86_400),
    ):
        broadcasts.put(
            str(id),
            {
                "id": id,
                "deduplicate_id": f"{id}:{created}",
                "name": name,
                "type": "triggered_broadcast",
                "created": created,
                "updated": created,
                "active": True,
                "state": "running",
                "actions": [{"id": action_id, "type": action_type}],
                "msg_template_ids": [{"id": action_id, "type": action_type}],
                "first_started": created,
                "tags": ["announcements"],
                # [INF] the audience set in the UI, used when a trigger names none (§A5.5 "default audience").
                "_audience": audience,
                "_subject": name if action_type == "email" else None,
            },
        )
    # An earlier trigger of the outage broadcast, with one error line (an id nobody has).
    collection(ctx, "broadcast_triggers").put(
        str(s.OUTAGE_TRIGGER),
        {
            "id": s.OUTAGE_TRIGGER,
            "broadcast_id": s.OUTAGE_BROADCAST,
            "created_at": s.SEEDED_AT - 3600,
            "processed_at": s.SEEDED_AT - 3590,
            "_at": s.SEEDED_AT - 3600,
            "_errors": ["line 2 : customer with id 'cust-9999' not found"],
        },
    )


# -- reads ---------------------------------------------------------------------------------------------------


def broadcast_or_404(ctx, raw: str) -> dict[str, Any]:
    doc = collection(ctx, "broadcasts").get(raw) if raw.isdigit() else None
    if doc is None:
        raise not_found("Broadcast")
    return doc


def trigger_or_404(req, ctx) -> dict[str, Any]:
    broadcast = broadcast_or_404(ctx, req.path_params["broadcast_id"])
    raw = req.path_params["trigger_id"]
    trigger = collection(ctx, "broadcast_triggers").get(raw) if raw.isdigit() else None
    if trigger is None or trigger["broadcast_id"] != broadcast["id"]:
        raise not_found("Trigger")
    return trigger


@SANDBOX.route("GET", "/v1/broadcasts", auth=app_auth)
def list_broadcasts(req, ctx):
    return {"broadcasts": [model.public(b) for b in collection(ctx, "broadcasts")]}


@SANDBOX.route("GET", "/v1/broadcasts/{broadcast_id}", auth=app_auth)
def get_broadcast(req, ctx):
    return {"broadcast": model.public(broadcast_or_404(ctx, req.path_params["broadcast_id"]))}


@SANDBOX.route("GET", "/v1/broadcasts/{broadcast_id}/triggers", auth=app_auth)
def list_triggers(req, ctx):
    broadcast = broadcast_or_404(ctx, req.path_params["broadcast_id"])
    mine = collection(ctx, "broadcast_triggers").find(lambda t: t["broadcast_id"] == broadcast["id"])
    return {"triggers": [model.public(t) for t in mine]}


@SANDBOX.route("GET", "/v1/campaigns/{broadcast_id}/triggers/{trigger_id}", auth=app_auth)
def trigger_status(req, ctx):
    # §A5.5 (and Customer.io's docs example): the trigger comes back bare, not wrapped.
    return model.public(trigger_or_404(req, ctx))


@SANDBOX.route("GET", "/v1/campaigns/{broadcast_id}/triggers/{trigger_id}/errors", auth=app_auth)
def trigger_errors(req, ctx):
    trigger = trigger_or_404(req, ctx)
    # §A5.5: start/limit in, next out. [INF] default 10 and at most 100 a page, as other listings.
    window, next_token = page(req, trigger.get("_errors", []), default=10, maximum=100)
    return {"errors": window, "next": next_token}


# -- the trigger (§A5.5) -------------------------------------------------------------------------------------


def _unprocessable(detail: str, pointer: str) -> Exception:
    # §A5.5 / §A7: validation failures are 422 in the JSON:API shape, pointing at the bad key.
    return Abort(api_error(422, detail, f"/data/attributes/{pointer}"))


def _check(body: dict[str, Any]) -> None:
    given = [k for k in AUDIENCE_KEYS if k in body]
    if len(given) > 1:
        # [DOC] "You used ids, emails or recipients alongside per_user_data or data_file_url. You can only
        # use one of these in your request" is a 422.
        raise _unprocessable(f"only one of {', '.join(AUDIENCE_KEYS)} may be given (got {', '.join(given)})", given[1])
    for flag in ("email_add_duplicates", "email_ignore_missing", "id_ignore_missing"):
        if flag in body and not isinstance(body[flag], bool):
            raise _unprocessable(f"{flag} must be a boolean", flag)
    if "data" in body:
        if not isinstance(body["data"], dict):
            raise _unprocessable("data must be an object", "data")
        if len(json.dumps(body["data"], separators=(",", ":")).encode()) > MAX_DATA_BYTES:
            raise _unprocessable(f"data must be at most {MAX_DATA_BYTES} bytes", "data")
    if "recipients" in body and not isinstance(body["recipients"], dict):
        raise _unprocessable("recipients must be an audience filter object", "recipients")
    for key in ("ids", "emails", "per_user_data"):
        if key in body:
            items = body[key]
            if not isinstance(items, list) or not items:
                raise _unprocessable(f"{key} must be a non-empty array", key)
            if key != "emails" and len(items) > MAX_AUDIENCE:
                raise _unprocessable(f"{key} may hold at most {MAX_AUDIENCE} entries", key)
    for n, value in enumerate(body.get("ids") or [], 1):
        if not isinstance(value, (str, int)) or isinstance(value, bool) or value == "":
            raise _unprocessable(f"line {n} : ids must be strings", "ids")
    for n, value in enumerate(body.get("emails") or [], 1):
        if not isinstance(value, str) or "@" not in value:
            raise _unprocessable(f"line {n} : {value!r} is not an email address", "emails")
    problems = []
    for n, item in enumerate(body.get("per_user_data") or [], 1):
        if not isinstance(item, dict):
            problems.append(f"line {n} : not an object")
        elif ("id" in item) == ("email" in item):
            problems.append(f"line {n} : give exactly one of id or email")
        elif "data" in item and not isinstance(item["data"], dict):
            problems.append(f"line {n} : data must be an object")
    if problems:
        # §A5.5 shows "Errors were found while processing per user data … for trigger 12"; [INF] this
        # trigger is refused as a whole, so it has no id to name.
        raise _unprocessable("Errors were found while processing per user data: " + "; ".join(problems), "per_user_data")
    if "data_file_url" in body:
        url = body["data_file_url"]
        if not isinstance(url, str) or not url.startswith(("https://", "http://")):
            raise _unprocessable("data_file_url must be an http(s) URL", "data_file_url")


def _audience(ctx, broadcast: dict[str, Any], body: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """The people to reach and the error lines, per §A5.5's audience forms."""
    errors: list[str] = []
    reached: list[dict[str, Any]] = []
    ignore_ids, ignore_emails = body.get("id_ignore_missing", False), body.get("email_ignore_missing", False)

    def by_id(n: int, value: Any) -> None:
        person = model.find(ctx, str(value), "id")
        if person is not None:
            reached.append(person)
        elif not ignore_ids:
            errors.append(f"line {n} : customer with id '{value}' not found")

    def by_email(n: int, value: str) -> None:
        person = model.find(ctx, value, "email")
        if person is not None:
            reached.append(person)
        elif not ignore_emails:
            errors.append(f"line {n} : customer with email '{value}' not found")

    if "ids" in body:
        for n, value in enumerate(body["ids"], 1):
            by_id(n, value)
    elif "emails" in body:
        seen: set[str] = set()
        for n, value in enumerate(body["emails"], 1):
            # [INF] email_add_duplicates: without it, an address repeated in the list is sent to once.
            if value.lower() in seen and not body.get("email_add_duplicates"):
                continue
            seen.add(value.lower())
            by_email(n, value)
    elif "per_user_data" in body:
        for n, item in enumerate(body["per_user_data"], 1):
            by_id(n, item["id"]) if "id" in item else by_email(n, item["email"])
    elif "data_file_url" in body:
        # [INF] the sandbox fetches nothing from the network: a data file reaches nobody.
        pass
    else:
        audience = body.get("recipients") or broadcast.get("_audience") or {}
        reached = [p for p in model.people(ctx) if audience and model.matches(ctx, p, audience)]
    # Broadcasts reach only people who exist (§A5.5); each person once per trigger [INF].
    unique: dict[str, dict[str, Any]] = {}
    for person in reached:
        unique.setdefault(person["cio_id"], person)
    return list(unique.values()), errors


def _send(ctx, broadcast: dict[str, Any], trigger_id: int, people: list[dict[str, Any]]) -> int:
    sent = 0
    action = (broadcast.get("actions") or [{"id": None, "type": "email"}])[0]
    for person in people:
        if person.get("unsubscribed"):
            continue  # [INF] broadcasts skip unsubscribed people (the default subscription setting)
        recipient = person.get("email") if action["type"] == "email" else None
        if action["type"] == "push":
            recipient = next((d["id"] for d in person.get("devices", [])), None)
        message = model.record_message(
            ctx, person, action["type"],
            broadcast_id=broadcast["id"], action_id=action["id"], msg_template_id=action["id"],
            recipient=recipient, subject=broadcast.get("_subject"), _trigger_id=trigger_id,
        )  # fmt: skip
        model.record_activity(
            ctx, person, SENT_ACTIVITY.get(action["type"], "sent_email"),
            delivery_id=message["id"], delivery_type=action["type"],
            data={"broadcast_id": broadcast["id"], "trigger_id": trigger_id},
        )  # fmt: skip
        sent += 1
    return sent


@SANDBOX.route("POST", "/v1/campaigns/{broadcast_id}/triggers", "/v1/api/campaigns/{broadcast_id}/triggers", auth=app_auth)
def trigger(req, ctx):
    # §A1: the Node SDK posts to the legacy /v1/api/campaigns/{id}/triggers; both paths work.
    triggers = collection(ctx, "broadcast_triggers")
    now = ctx.now()
    last = max((t.get("_at", t["created_at"]) for t in triggers), default=None)
    if last is not None and now - last < TRIGGER_INTERVAL:
        # §A5.5, §A7: 429 when triggered more than once per 10 s. [INF] the limit is per workspace and is
        # checked before anything else, like a rate limit at the gateway.
        raise SANDBOX.fail(429, "Too many requests: broadcasts may be triggered once every 10 seconds.")
    broadcast = broadcast_or_404(ctx, req.path_params["broadcast_id"])
    # [DOC] malformed JSON gets 400 {"errors":[{"detail":"bad request …","status":"400"}]}; an empty body
    # is the default audience with no data.
    body = json_body(req, bad=api_error(400, "bad request"), required=False)
    _check(body)
    people, errors = _audience(ctx, broadcast, body)
    trigger_id = next_id(ctx, "broadcast_trigger", s.OUTAGE_TRIGGER + 1)
    sent = _send(ctx, broadcast, trigger_id, people)
    stamp = int(now)
    triggers.put(
        str(trigger_id),
        {
            "id": trigger_id,
            "broadcast_id": broadcast["id"],
            "created_at": stamp,
            "processed_at": stamp,  # [INF] processed at once (see the module docstring)
            "_at": now,
            "_errors": errors,
            "_sent": sent,
            "_data": body.get("data") or {},
        },
    )
    return {"id": trigger_id}
