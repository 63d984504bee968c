"""Routes for users, their events and devices (engage.md §4.1–§4.7, §4.12, §4.13, §3 extras)."""

from __future__ import annotations

from typing import Any

from tether.connector import SandboxContext, SandboxRequest

from .base import SANDBOX, has_secret, json_object, key_auth, object_id, page, paths, scalar_map, user_time
from .model import (
    USER_IDS,
    apply_attributes,
    check_attributes,
    drop_user,
    find_user,
    get_user,
    new_user,
    open_lists,
    rename_user,
    repoint_user,
    save_user,
    subscribe,
    user_view,
)

# -- create, read, update, delete ------------------------------------------------------------------


def create(ctx: SandboxContext, body: dict[str, Any]) -> dict[str, Any]:
    """POST /users, also a batch "create" item (engage.md §4.1)."""
    uid = body.get("id")
    if not isinstance(uid, str) or not uid:
        raise SANDBOX.fail(400, "id is required.")  # §4.1: missing id is undocumented; 400 [INF]
    attributes = check_attributes(body)
    list_ids = open_lists(ctx, body["lists"]) if "lists" in body else []
    if ctx.collection("users").get(uid) is not None:
        # §4.1: a duplicate id is undocumented [INF]; PUT /users/{uid} is the upsert.
        raise SANDBOX.fail(400, "User already exists.")
    user = apply_attributes(new_user(ctx, uid), attributes)
    return save_user(ctx, subscribe(user, list_ids, resubscribe=False))


def upsert(ctx: SandboxContext, uid: str, body: dict[str, Any], *, secret: bool) -> dict[str, Any]:
    """PUT /users/{uid}, also a batch "update" item (engage.md §4.3): create or update."""
    attributes = check_attributes(body)
    user = ctx.collection("users").get(uid)
    if user is None and attributes.get("email"):
        # §2.1, §4.3: a user created without an app id (uid_updateable) takes this uid.
        adoptable = find_user(ctx, email=attributes["email"])
        if adoptable is not None and adoptable.get("uid_updateable"):
            user = rename_user(ctx, adoptable, uid)
    if "email" in attributes and user is not None and user.get("email") and attributes["email"] != user["email"] and not secret:
        # §4.3: "Updating the user's email requires full (key and secret) authentication."
        # A first email (new user, or none before) is not an update of one [INF], so the
        # mobile SDKs' key-only identify keeps working.
        raise SANDBOX.fail(401, "Wrong authentication credentials.")
    user = apply_attributes(user or new_user(ctx, uid), attributes)
    return save_user(ctx, user)


@SANDBOX.route("POST", *paths("/users"), auth=key_auth)  # §3 row 1: U
def create_user(req: SandboxRequest, ctx: SandboxContext):
    return user_view(ctx, create(ctx, json_object(req)))


@SANDBOX.route("GET", *paths("/users/{uid}"))  # §3 row 2: "?" → key and secret
def read_user(req: SandboxRequest, ctx: SandboxContext):
    return user_view(ctx, get_user(ctx, req.path_params["uid"]))


@SANDBOX.route("PUT", *paths("/users/{uid}"), auth=key_auth)  # §3 row 3: U, email change U+P
def update_user(req: SandboxRequest, ctx: SandboxContext):
    body = json_object(req)
    uid = req.path_params["uid"]
    if "id" in body and body["id"] != uid:
        # §4.3: the JS SDK repeats the uid as body id; another value is not a rename [INF].
        raise SANDBOX.fail(400, "id in the body must match the uid in the path.")
    return user_view(ctx, upsert(ctx, uid, body, secret=has_secret(req)))


@SANDBOX.route("GET", *paths("/users"))  # §3 row 4, §4.4
def list_users(req: SandboxRequest, ctx: SandboxContext):
    # The order and the cursors are the internal ids', kept in collection user-ids (see model).
    match: dict[str, Any] = {"gone": False}
    email = req.query.get("email")
    if email:
        # §4.4 [3P]: an exact email filter; compared case-insensitively [INF]. Archived users
        # stay listed: the user object carries `archived` for them (§4.6 leaves this open).
        match["email"] = email.lower()
    entries, cursors = page(req, ctx, USER_IDS, match=match)
    users = ctx.collection("users")
    return {"data": [user_view(ctx, users.get(entry["uid"])) for entry in entries], **cursors}


@SANDBOX.route("DELETE", *paths("/users/{uid}"))  # §4.5
def delete_user(req: SandboxRequest, ctx: SandboxContext):
    user = get_user(ctx, req.path_params["uid"])
    drop_user(ctx, user)
    repoint_user(ctx, user["uid"], None)  # "This deletes all the user data."
    return {"status": "ok"}


@SANDBOX.route("POST", *paths("/users/{uid}/archive"))  # §4.6
def archive_user(req: SandboxRequest, ctx: SandboxContext):
    user = get_user(ctx, req.path_params["uid"])
    save_user(ctx, {**user, "archived": True})
    return {"status": "ok"}  # §4.6: the response body is undocumented [INF]


# Flutter and iOS SDKs call convert, accounts, merge and device-token logout with the public
# key alone (engage.md §1 "Username-only auth", §6.4), so those routes accept key-only auth.


@SANDBOX.route("POST", *paths("/users/{uid}/convert"), auth=key_auth)  # §4.7
def convert_user(req: SandboxRequest, ctx: SandboxContext):
    body = json_object(req)
    if body.get("type") not in ("customer", "account"):
        raise SANDBOX.fail(400, "type must be customer or account.")
    user = get_user(ctx, req.path_params["uid"])
    return user_view(ctx, save_user(ctx, {**user, "is_account": body["type"] == "account"}))


@SANDBOX.route("POST", *paths("/users/{uid}/lists"))  # §4.14
def add_to_lists(req: SandboxRequest, ctx: SandboxContext):
    body = json_object(req)
    user = get_user(ctx, req.path_params["uid"])
    list_ids = open_lists(ctx, body.get("lists"))
    if not list_ids:
        raise SANDBOX.fail(400, "lists must name at least one list.")
    # An entry the user unsubscribed from keeps that status [INF]: re-adding is not consent.
    return user_view(ctx, save_user(ctx, subscribe(user, list_ids, resubscribe=False)))


@SANDBOX.route("DELETE", *paths("/users/{uid}/tokens/{token}"), auth=key_auth)  # §3 extras, §6.4
def delete_device_token(req: SandboxRequest, ctx: SandboxContext):
    user = get_user(ctx, req.path_params["uid"])
    devices = [d for d in user.get("devices", []) if d["token"] != req.path_params["token"]]
    save_user(ctx, {**user, "devices": devices})
    return {"status": "ok"}  # response undocumented [INF]


# -- merge -----------------------------------------------------------------------------------------


@SANDBOX.route("POST", *paths("/users/merge"), auth=key_auth)  # §4.12
def merge_users(req: SandboxRequest, ctx: SandboxContext):
    body = json_object(req)
    source_uid, destination_uid = body.get("source"), body.get("destination")
    if not isinstance(source_uid, str) or not isinstance(destination_uid, str) or not source_uid or not destination_uid:
        raise SANDBOX.fail(400, "source and destination are required.")
    if source_uid == destination_uid:
        raise SANDBOX.fail(400, "source and destination must be different users.")
    source, destination = get_user(ctx, source_uid), get_user(ctx, destination_uid)
    save_user(ctx, merged(source, destination))
    drop_user(ctx, source)
    repoint_user(ctx, source_uid, destination_uid)
    # Engage queues the merge (§4.12); the sandbox applies it at once, so the next request
    # already sees the result. What the merge keeps is undocumented [INF]: the destination's
    # own values win, the source fills gaps, and memberships are united.
    return {"status": "queued"}


def merged(source: dict[str, Any], destination: dict[str, Any]) -> dict[str, Any]:
    out = dict(destination)
    for field in ("first_name", "last_name", "email", "number"):
        if out.get(field) is None:
            out[field] = source.get(field)
    out["meta"] = {**source.get("meta", {}), **destination.get("meta", {})}
    out["lists"] = destination["lists"] + [e for e in source["lists"] if e["id"] not in {d["id"] for d in destination["lists"]}]
    out["accounts"] = destination["accounts"] + [
        a for a in source["accounts"] if a["id"] not in {d["id"] for d in destination["accounts"]} and a["id"] != destination["uid"]
    ]
    tokens = {d["token"] for d in destination["devices"]}
    out["devices"] = ([d for d in source["devices"] if d["token"] not in tokens] + destination["devices"])[-5:]
    return out


# -- events ----------------------------------------------------------------------------------------


def track(ctx: SandboxContext, uid: str, body: dict[str, Any]) -> dict[str, Any]:
    """POST /users/{uid}/events, also a batch "event" item (engage.md §4.13)."""
    event = body.get("event")
    if not isinstance(event, str) or not event.strip():
        raise SANDBOX.fail(400, "event is required.")
    value = body.get("value")
    if value is not None and not isinstance(value, (str, int, float, bool)):
        raise SANDBOX.fail(400, "value must be a string, number or boolean.")
    properties = scalar_map(body["properties"], "properties") if "properties" in body else {}
    timestamp = body.get("timestamp")
    if timestamp is not None and not isinstance(timestamp, str):
        raise SANDBOX.fail(400, "timestamp must be a date string.")
    user = get_user(ctx, uid)  # §4.13: an unknown user is undocumented; 404 [INF]
    record = {"id": object_id(ctx), "uid": uid, "event": event, "value": value, "properties": properties, "timestamp": timestamp or user_time(ctx)}
    ctx.collection("events").put(record["id"], record)
    save_user(ctx, {**user, "last_interaction": user_time(ctx)})
    return record


@SANDBOX.route("POST", *paths("/users/{uid}/events"), auth=key_auth)  # §3 row 13: U
def track_event(req: SandboxRequest, ctx: SandboxContext):
    track(ctx, req.path_params["uid"], json_object(req))
    return {"status": "ok"}  # exactly this (engage-php assertSame, §4.13)
