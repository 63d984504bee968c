"""Engage's users and lists as the sandbox stores them, and how they change.

Users live in collection ``users`` keyed by uid, lists in ``lists`` keyed by list id, events
in ``events``. A stored user is the public user object (engage.md §2.3) minus the computed
``member_count``; a stored list adds an ``archived`` flag that the API never shows.
Every ``apply_*`` function validates all of its input before writing anything, so a batch
can skip a bad item without leaving half of it behind.

Small collections index the users so that a page or a count reads only what it needs (never
every user); :func:`save_user` and :func:`drop_user` keep them in step, so every write to
``users`` goes through those two:

- ``user-ids``: one entry per internal id, in creation order: the order of GET /users, whose
  cursors are internal ids (§2.2). A deleted user's entry stays, marked ``gone``, so a cursor
  naming it still marks its place, as an id comparison does on Engage [INF]. It also holds
  the lower-cased email: the list filter is case-insensitive (§4.4 [INF]).
- ``memberships``: one entry per (account, member): an account's members.
- ``member-counts`` and ``subscriber-counts``: per account uid and per list id, the number
  of members and of subscribed users (member_count, subscriber_count).
"""

from __future__ import annotations

import json
import re
from typing import Any

from tether.connector import SandboxContext

from .base import SANDBOX, object_id, scalar_map, user_time

EMAIL = re.compile(r"^\S+@\S+$")  # the official SDK's own check (engage.md §6.1)
TEXT_FIELDS = ("first_name", "last_name", "created_at")
MAX_DEVICES = 5  # engage.md §2.3: "the user's last 5 device tokens"
USER_IDS, MEMBERSHIPS = "user-ids", "memberships"
MEMBER_COUNTS, SUBSCRIBER_COUNTS = "member-counts", "subscriber-counts"


# -- users -----------------------------------------------------------------------------------------


def new_user(ctx: SandboxContext, uid: str, *, uid_updateable: bool = False) -> dict[str, Any]:
    now = user_time(ctx)
    user: dict[str, Any] = {"id": object_id(ctx), "uid": uid}
    if uid_updateable:
        # engage.md §2.1 and the 2021 docs: "an additional uid_updateable field with value true".
        user["uid_updateable"] = True
    user.update(
        first_name=None,
        last_name=None,
        number=None,
        email=None,
        devices=[],
        accounts=[],
        is_account=False,
        archived=False,
        lists=[],
        segments=[],
        meta={},
        created_at=now,
        last_interaction=now,
        stats={"delivered": 0, "failed": 0, "opened": 0, "clicked": 0, "unique_opens": 0, "unique_clicks": 0},
    )
    return user


def check_attributes(body: dict[str, Any]) -> dict[str, Any]:
    """The standard attributes of a create or update body, validated (engage.md §4.1, §4.3).

    Keys outside the documented set (the JS SDK also sends ``id``; newer SDKs ``tz``,
    ``app_version``, …) are ignored.
    """
    out: dict[str, Any] = {}
    for field in TEXT_FIELDS:
        if field in body:
            if not isinstance(body[field], str):
                raise SANDBOX.fail(400, f"{field} must be a string.")
            out[field] = body[field]
    if "email" in body:
        if not isinstance(body["email"], str) or not EMAIL.match(body["email"]):
            raise SANDBOX.fail(400, "Email invalid.")
        out["email"] = body["email"]
    if "number" in body:
        number = body["number"]
        if isinstance(number, bool) or not isinstance(number, (str, int)) or not str(number).strip():
            raise SANDBOX.fail(400, "number must be a phone number in international format.")
        # engage.md §2.3 [V-test]: a number sent as a JSON number comes back as a string.
        out["number"] = str(number)
    if "is_account" in body:
        if not isinstance(body["is_account"], bool):
            raise SANDBOX.fail(400, "is_account must be a boolean.")
        out["is_account"] = body["is_account"]
    if "device_token" in body:
        if not isinstance(body["device_token"], str) or not body["device_token"]:
            raise SANDBOX.fail(400, "device_token must be a string.")
        platform = body.get("device_platform")
        if platform is not None and platform not in ("android", "ios"):
            raise SANDBOX.fail(400, "device_platform must be android or ios.")
        out["device"] = {"token": body["device_token"], "platform": platform}
    if "meta" in body:
        out["meta"] = scalar_map(body["meta"], "meta")
    return out


def apply_attributes(user: dict[str, Any], attributes: dict[str, Any]) -> dict[str, Any]:
    """Write checked attributes onto a user; meta is merged key by key (engage.md §4.3 [INF])."""
    for field, value in attributes.items():
        if field == "meta":
            user["meta"] = {**user.get("meta", {}), **value}
        elif field == "device":
            kept = [d for d in user.get("devices", []) if d["token"] != value["token"]]
            user["devices"] = (kept + [value])[-MAX_DEVICES:]
        else:
            user[field] = value
    return user


def get_user(ctx: SandboxContext, uid: str) -> dict[str, Any]:
    """The user, or 404 (engage.md §4.2: the not-found status is [INF])."""
    user = ctx.collection("users").get(uid)
    if user is None:
        raise SANDBOX.fail(404, "User not found.")
    return user


def save_user(ctx: SandboxContext, user: dict[str, Any]) -> dict[str, Any]:
    """Store a new or changed user, and bring the indexes up to date."""
    users = ctx.collection("users")
    _reindex(ctx, users.get(user["uid"]), user)
    # A changed entry keeps its place: a user's position follows its internal id, not its uid.
    email = (user.get("email") or "").lower() or None
    ctx.collection(USER_IDS).put(user["id"], {"id": user["id"], "uid": user["uid"], "email": email, "gone": False})
    return users.put(user["uid"], user)


def drop_user(ctx: SandboxContext, user: dict[str, Any]) -> None:
    """Delete a stored user and take it out of the indexes (its place in the order stays, marked gone)."""
    ctx.collection("users").delete(user["uid"])
    _reindex(ctx, user, None)
    ctx.collection(USER_IDS).put(user["id"], {"id": user["id"], "uid": user["uid"], "email": None, "gone": True})


def _reindex(ctx: SandboxContext, before: dict[str, Any] | None, after: dict[str, Any] | None) -> None:
    """Move the memberships and counts from what the stored user said (``before``) to ``after``."""
    accounts_before, lists_before = _links(before)
    accounts_after, lists_after = _links(after)
    old_uid, new_uid = (before or {}).get("uid"), (after or {}).get("uid")
    memberships = ctx.collection(MEMBERSHIPS)
    for aid in accounts_before - accounts_after:
        memberships.delete(json.dumps([aid, old_uid]))
        _add(ctx, MEMBER_COUNTS, aid, -1)
    for aid in accounts_after - accounts_before:
        memberships.put(json.dumps([aid, new_uid]), {"account": aid, "member": new_uid})
        _add(ctx, MEMBER_COUNTS, aid, 1)
    for list_id in lists_before - lists_after:
        _add(ctx, SUBSCRIBER_COUNTS, list_id, -1)
    for list_id in lists_after - lists_before:
        _add(ctx, SUBSCRIBER_COUNTS, list_id, 1)


def _links(user: dict[str, Any] | None) -> tuple[set[str], set[str]]:
    """The accounts a user belongs to, and the lists it is subscribed to."""
    if user is None:
        return set(), set()
    return {a["id"] for a in user.get("accounts", [])}, {e["id"] for e in user.get("lists", []) if e["subscribed"]}


def _add(ctx: SandboxContext, counts: str, key: str, delta: int) -> None:
    ctx.collection(counts).put(key, {"n": count(ctx, counts, key) + delta})


def count(ctx: SandboxContext, counts: str, key: str) -> int:
    """The number kept under ``key`` in ``counts`` (MEMBER_COUNTS or SUBSCRIBER_COUNTS)."""
    return (ctx.collection(counts).get(key) or {"n": 0})["n"]


def find_user(ctx: SandboxContext, *, email: str | None = None, number: str | None = None) -> dict[str, Any] | None:
    """The user with this email (case-insensitive) or number, as Engage matches subscribers (§4.19)."""

    def matches(user: dict[str, Any]) -> bool:
        if email and (user.get("email") or "").lower() == email.lower():
            return True
        return bool(number) and user.get("number") == number

    return ctx.collection("users").first(matches)


def members_of(ctx: SandboxContext, account_uid: str) -> list[dict[str, Any]]:
    """The account's members, oldest first (by internal id)."""
    memberships, match = ctx.collection(MEMBERSHIPS), {"account": account_uid}
    entries = memberships.slice(0, memberships.count(match=match), match=match)
    users = ctx.collection("users")
    return sorted((users.get(entry["member"]) for entry in entries), key=lambda u: u["id"])


def user_view(ctx: SandboxContext, user: dict[str, Any]) -> dict[str, Any]:
    """The user object as the API returns it: member_count for accounts, null for customers."""
    view: dict[str, Any] = {}
    for field, value in user.items():
        view[field] = value
        if field == "is_account":  # in the documented position, right after is_account
            view["member_count"] = count(ctx, MEMBER_COUNTS, user["uid"]) if value else None
    return view


def rename_user(ctx: SandboxContext, user: dict[str, Any], new_uid: str) -> dict[str, Any]:
    """Give a uid_updateable user its app uid (engage.md §2.1, §4.3), moving every reference."""
    old_uid = user["uid"]
    ctx.collection("users").delete(old_uid)
    _reindex(ctx, user, None)
    user = {**user, "uid": new_uid}
    user.pop("uid_updateable", None)
    save_user(ctx, user)
    repoint_user(ctx, old_uid, new_uid)
    return user


def repoint_user(ctx: SandboxContext, old_uid: str, new_uid: str | None) -> None:
    """Move (or with None drop) the events and account memberships that name ``old_uid``."""
    events = ctx.collection("events")
    for event in events.find(lambda e: e["uid"] == old_uid):
        if new_uid is None:
            events.delete(event["id"])
        else:
            events.put(event["id"], {**event, "uid": new_uid})
    for member in members_of(ctx, old_uid):
        accounts = [a for a in member["accounts"] if a["id"] != old_uid]
        if new_uid is not None and member["uid"] != new_uid and not any(a["id"] == new_uid for a in accounts):
            role = next(a["role"] for a in member["accounts"] if a["id"] == old_uid)
            accounts.append({"id": new_uid, "role": role})
        save_user(ctx, {**member, "accounts": accounts})


# -- lists -----------------------------------------------------------------------------------------


def get_list(ctx: SandboxContext, list_id: str) -> dict[str, Any]:
    found = ctx.collection("lists").get(list_id)
    if found is None:
        raise SANDBOX.fail(404, "List not found.")
    return found


def open_lists(ctx: SandboxContext, list_ids: Any) -> list[str]:
    """List ids named in a body: they must exist and not be archived (engage.md §4.18 [INF 400])."""
    if not isinstance(list_ids, list) or not all(isinstance(i, str) and i for i in list_ids):
        raise SANDBOX.fail(400, "lists must be an array of list ids.")
    for list_id in list_ids:
        found = ctx.collection("lists").get(list_id)
        if found is None:
            raise SANDBOX.fail(400, f"List {list_id} does not exist.")
        if found.get("archived"):
            raise SANDBOX.fail(400, f"List {list_id} is archived: new subscribers can't be added.")
    return list(dict.fromkeys(list_ids))


def subscribe(user: dict[str, Any], list_ids: list[str], *, resubscribe: bool) -> dict[str, Any]:
    """Put the user on the lists; an existing entry keeps its status unless ``resubscribe``."""
    entries = list(user.get("lists", []))
    for list_id in list_ids:
        entry = next((e for e in entries if e["id"] == list_id), None)
        if entry is None:
            entries.append({"id": list_id, "subscribed": True})
        elif resubscribe:
            entry["subscribed"] = True
    user["lists"] = entries
    return user


def list_view(ctx: SandboxContext, stored: dict[str, Any]) -> dict[str, Any]:
    """The list object (engage.md §2.4); subscriber_count counts users subscribed to it [INF]."""
    view = {k: v for k, v in stored.items() if k != "archived"}
    view["subscriber_count"] = count(ctx, SUBSCRIBER_COUNTS, stored["id"])
    return view
