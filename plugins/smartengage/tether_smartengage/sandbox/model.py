"""The sandbox's state: accounts, their avatars, and each avatar's tags, fields, sequences, subscribers.

Documents (NOTES.md §3): ``accounts`` by account id; ``avatars`` by avatar id; ``tags``,
``custom_fields`` and ``sequences`` by "<avatar_id>:<id>" (ids count per avatar, B3);
``subscribers`` by subscriber id (one platform-wide counter [INF]).
"""

from __future__ import annotations

import hashlib
from typing import Any

from tether.connector import same_secret

KINDS = {
    # collection: (id field, name field)
    "tags": ("tag_id", "tag_name"),
    "custom_fields": ("custom_field_id", "custom_field_name"),
    "sequences": ("sequence_id", "sequence_name"),
}


def second_key(primary: str) -> str:
    """The single-avatar account's key: derived from the generated one, so it survives a reset."""
    return "se_" + hashlib.sha256(f"{primary}:single-avatar".encode()).hexdigest()[:24]


def account_for(req: Any, ctx: Any) -> dict[str, Any] | None:
    given = req.bearer()
    if given is None:
        return None
    for account in ctx.collection("accounts"):
        if same_secret(given, account["api_key"]):
            return account
    return None


def avatars_of(ctx: Any, account: dict[str, Any]) -> list[dict[str, Any]]:
    """The account's avatars, newest first (docs, "List All Avatars"), without internal fields."""
    mine = ctx.collection("avatars").find(lambda a: a["account_id"] == account["account_id"])
    mine.sort(key=lambda a: int(a["avatar_id"]), reverse=True)
    return [{k: v for k, v in a.items() if k != "account_id"} for a in mine]


def owned_avatar(ctx: Any, account: dict[str, Any], avatar_id: str) -> dict[str, Any] | None:
    avatar = ctx.collection("avatars").get(avatar_id)
    return avatar if avatar is not None and avatar["account_id"] == account["account_id"] else None


def items(ctx: Any, kind: str, avatar_id: str) -> list[dict[str, Any]]:
    """An avatar's tags, custom fields or sequences in their list shape, in id order."""
    id_field, name_field = KINDS[kind]
    found = ctx.collection(kind).find(lambda d: d["avatar_id"] == avatar_id)
    found.sort(key=lambda d: int(d[id_field]))
    return [{id_field: d[id_field], name_field: d[name_field]} for d in found]


def named(ctx: Any, kind: str, avatar_id: str, name: str) -> dict[str, Any] | None:
    _, name_field = KINDS[kind]
    return ctx.collection(kind).first(lambda d: d["avatar_id"] == avatar_id and d[name_field] == name)


def add_item(ctx: Any, kind: str, avatar_id: str, name: str, **extra: str) -> dict[str, Any]:
    id_field, name_field = KINDS[kind]
    new_id = str(ctx.next_id(f"{kind}:{avatar_id}"))
    doc = {"avatar_id": avatar_id, id_field: new_id, name_field: name, **extra}
    ctx.collection(kind).put(f"{avatar_id}:{new_id}", doc)
    return {id_field: new_id, name_field: name}


PROFILE = ("email", "first_name", "last_name", "full_name", "facebook_id", "push_id")


def add_subscriber(ctx: Any, avatar_id: str, fields: dict[str, str], **state: Any) -> dict[str, Any]:
    subscriber_id = str(ctx.next_id("subscriber", start=1001))
    doc = {
        "subscriber_id": subscriber_id,
        "avatar_id": avatar_id,
        **{name: fields.get(name, "") for name in PROFILE},
        "tags": list(state.get("tags", [])),
        "custom_fields": dict(state.get("custom_fields", {})),
        "sequences": list(state.get("sequences", [])),
    }
    return ctx.collection("subscribers").put(subscriber_id, doc)


def subscribers_of(ctx: Any, avatar_id: str) -> list[dict[str, Any]]:
    found = ctx.collection("subscribers").find(lambda s: s["avatar_id"] == avatar_id)
    found.sort(key=lambda s: int(s["subscriber_id"]))
    return found
