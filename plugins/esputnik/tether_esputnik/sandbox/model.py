"""The emulated account's contacts and segments, with the platform's matching rules.

Contacts live in the ``contacts`` collection; lookups by email, phone and external id go
through small index collections so that a 10,000-contact import stays linear. A contact keeps
the ids of its segments; the ``members`` collection holds the same memberships by segment, for
segment pages. Sources: §B5.3 (contact object), §B5.5 (matching and restoreDeleted), §B5.7
(delete and erase), §B5.8 (segments).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from .base import fail

CHANNEL_TYPES = ("email", "sms", "mobilepush", "webpush", "telegram", "viber")
STANDARD_FIELDS = ("firstName", "lastName", "address", "contactKey", "languageCode", "timeZone", "externalCustomerId")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_RE = re.compile(r"^\+?[0-9]{7,15}$")

INDEXES = {"email": "idx_email", "sms": "idx_sms", "ext": "idx_ext"}


def phone_key(value: str) -> str:
    return re.sub(r"[^0-9]", "", value)


def channel(doc: Mapping[str, Any], kind: str) -> str | None:
    return next((c.get("value") for c in doc.get("channels") or [] if c.get("type") == kind), None)


def problem(contact: Any) -> str | None:
    """Why the platform would refuse this contact, or None (§B5.3, §B5.5) [INF texts]."""
    if not isinstance(contact, Mapping):
        return "contact must be an object"
    channels = contact.get("channels")
    if not channels and not contact.get("externalCustomerId") and not contact.get("id"):
        return "contact has no channels"
    for ch in channels or []:
        if not isinstance(ch, Mapping) or ch.get("type") not in CHANNEL_TYPES or not isinstance(ch.get("value"), str):
            return f"invalid channel {ch!r}"
        if ch["type"] == "email" and not EMAIL_RE.match(ch["value"].strip()):
            return f"'{ch['value']}' is not valid email"
        if ch["type"] == "sms" and not PHONE_RE.match(ch["value"].strip().replace(" ", "")):
            return f"'{ch['value']}' is not valid phone number"
    for name in ("firstName", "lastName"):
        value = contact.get(name)
        if value is not None and (not isinstance(value, str) or len(value) > 40):
            return f"{name} must be a string of at most 40 characters"
    return None


# -- lookups ------------------------------------------------------------------------------------


def get(ctx: Any, contact_id: Any, *, include_deleted: bool = False) -> dict[str, Any] | None:
    doc = ctx.collection("contacts").get(str(contact_id)) if str(contact_id).isdigit() else None
    if doc is None or (doc.get("deleted") and not include_deleted):
        return None
    return doc


def require(ctx: Any, contact_id: Any) -> dict[str, Any]:
    doc = get(ctx, contact_id)
    if doc is None:
        raise fail(404, f"Contact with id='{contact_id}' not found")  # §B5.4: unknown id → 404 [INF text]
    return doc


def _indexed(ctx: Any, index: str, key: str | None, include_deleted: bool) -> dict[str, Any] | None:
    if not key:
        return None
    hit = ctx.collection(INDEXES[index]).get(key)
    return get(ctx, hit["id"], include_deleted=include_deleted) if hit else None


def by_email(ctx: Any, email: str | None) -> dict[str, Any] | None:
    return _indexed(ctx, "email", (email or "").strip().lower() or None, False)


def by_phone(ctx: Any, phone: str | None) -> dict[str, Any] | None:
    return _indexed(ctx, "sms", phone_key(phone or "") or None, False)


def by_external_id(ctx: Any, external_id: str | None, *, include_deleted: bool = False) -> dict[str, Any] | None:
    return _indexed(ctx, "ext", external_id, include_deleted)


def _index_keys(doc: Mapping[str, Any]) -> dict[str, str]:
    keys = {}
    if channel(doc, "email"):
        keys["email"] = channel(doc, "email").strip().lower()
    if channel(doc, "sms"):
        keys["sms"] = phone_key(channel(doc, "sms"))
    if doc.get("externalCustomerId"):
        keys["ext"] = str(doc["externalCustomerId"])
    return keys


def _reindex(ctx: Any, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> None:
    old = _index_keys(before) if before else {}
    new = _index_keys(after) if after else {}
    for index, key in old.items():
        if new.get(index) != key:
            hit = ctx.collection(INDEXES[index]).get(key)
            if hit and hit["id"] == before["id"]:
                ctx.collection(INDEXES[index]).delete(key)
    for index, key in new.items():
        ctx.collection(INDEXES[index]).put(key, {"id": after["id"]})


# -- writes -------------------------------------------------------------------------------------


def _merge_channels(existing: list[dict[str, Any]], given: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = [dict(c) for c in existing]
    for ch in given:
        for current in out:
            if current["type"] == ch["type"]:
                current["value"] = ch["value"]
                break
        else:
            out.append({"type": ch["type"], "value": ch["value"]})
    return out


def _merge_fields(existing: list[dict[str, Any]], given: Iterable[Mapping[str, Any]], only: set[int] | None) -> list[dict[str, Any]]:
    out = {int(f["id"]): dict(f) for f in existing}
    for field in given:
        fid = int(field["id"])
        if only is None or fid in only:
            out[fid] = {"id": fid, "value": field.get("value")}
    return list(out.values())


def known_field_ids(ctx: Any) -> set[int]:
    book = ctx.collection("addressbook").get("main") or {}
    return {int(f["id"]) for group in book.get("fieldGroups", []) for f in group.get("fields", [])}


def check_fields(ctx: Any, contact: Mapping[str, Any]) -> str | None:
    known = known_field_ids(ctx)
    for field in contact.get("fields") or []:
        if not str(field.get("id", "")).isdigit() or int(field["id"]) not in known:
            return f"Field with id='{field.get('id')}' not found"  # [INF text]
    return None


def create(ctx: Any, data: Mapping[str, Any], *, confirmed: bool = True) -> dict[str, Any]:
    doc = {
        "id": ctx.next_id("contact", 100001),
        "channels": [{"type": c["type"], "value": c["value"]} for c in data.get("channels") or []],
        "fields": [{"id": int(f["id"]), "value": f.get("value")} for f in data.get("fields") or []],
        "addressBookId": 7200,
        "groups": [],
        "emailConfirmed": confirmed,
        "deleted": False,
        "created": ctx.now(),
        "updated": ctx.now(),
    }
    for name in STANDARD_FIELDS:
        if data.get(name) is not None:
            doc[name] = data[name]
    ctx.collection("contacts").put(str(doc["id"]), doc)
    _reindex(ctx, None, doc)
    return doc


STANDARD_FOR = {"email": "channels", "sms": "channels", "town": "address", "region": "address", "postcode": "address"}


def update(ctx: Any, doc: dict[str, Any], data: Mapping[str, Any], *, contact_fields: Iterable[str] | None = None, custom_ids: Iterable[int] | None = None) -> dict[str, Any]:
    """Change ``doc`` with what ``data`` gives; ``contact_fields`` / ``custom_ids`` limit what changes (§B5.5)."""
    before = dict(doc)
    allowed = None if contact_fields is None else {STANDARD_FOR.get(f, f) for f in contact_fields}
    after = dict(doc)
    for name in STANDARD_FIELDS:
        if data.get(name) is not None and (allowed is None or name in allowed or name == "externalCustomerId"):
            after[name] = data[name]
    if data.get("channels") and (allowed is None or "channels" in allowed):
        after["channels"] = _merge_channels(doc.get("channels") or [], data["channels"])
    if data.get("fields"):
        only = None if custom_ids is None else {int(i) for i in custom_ids}
        after["fields"] = _merge_fields(doc.get("fields") or [], data["fields"], only)
    after["deleted"] = False
    after["updated"] = ctx.now()
    ctx.collection("contacts").put(str(after["id"]), after)
    _reindex(ctx, before, after)
    doc.clear()
    doc.update(after)
    return doc


def upsert(
    ctx: Any,
    data: Mapping[str, Any],
    *,
    dedupe: str = "email_or_sms",
    restore: bool = False,
    field_id: Any = None,
    contact_fields: Iterable[str] | None = None,
    custom_ids: Iterable[int] | None = None,
) -> tuple[dict[str, Any] | None, str]:
    """Add or update one contact the way the bulk import does; returns (contact, what happened).

    §B5.5: externalCustomerId is looked up first, then ``dedupe``; a match that already has a
    different externalCustomerId is not taken (a new contact is made); a deleted contact found
    by its externalCustomerId is restored only with ``restore``, otherwise skipped.
    """
    ext = data.get("externalCustomerId")
    if ext:
        found = by_external_id(ctx, str(ext), include_deleted=True)
        if found is not None:
            if found.get("deleted") and not restore:
                return None, "skipped"
            return update(ctx, found, data, contact_fields=contact_fields, custom_ids=custom_ids), "updated"
    match = _dedupe_match(ctx, data, dedupe, field_id)
    if match is not None and not (ext and match.get("externalCustomerId") not in (None, "", ext)):
        return update(ctx, match, data, contact_fields=contact_fields, custom_ids=custom_ids), "updated"
    return create(ctx, data), "created"


def _dedupe_match(ctx: Any, data: Mapping[str, Any], dedupe: str, field_id: Any) -> dict[str, Any] | None:
    if dedupe == "id":
        return get(ctx, data.get("id")) if data.get("id") is not None else None
    if dedupe in ("email", "email_or_sms"):
        found = by_email(ctx, channel(data, "email"))
        if found is not None or dedupe == "email":
            return found
    if dedupe in ("sms", "email_or_sms"):
        return by_phone(ctx, channel(data, "sms"))
    if dedupe == "fieldId" and field_id is not None:
        wanted = next((f.get("value") for f in data.get("fields") or [] if str(f.get("id")) == str(field_id)), None)
        if wanted is None:
            return None
        return ctx.collection("contacts").first(
            lambda d: not d.get("deleted") and any(str(f["id"]) == str(field_id) and f.get("value") == wanted for f in d.get("fields") or [])
        )
    return None


def remove(ctx: Any, doc: dict[str, Any], *, erase: bool = False) -> None:
    """§B5.7: delete (kept, so restoreDeleted can bring it back by external id) or erase (gone)."""
    for gid in list(doc.get("groups") or []):
        leave(ctx, gid, doc)
    if erase:
        _reindex(ctx, doc, None)
        ctx.collection("contacts").delete(str(doc["id"]))
        return
    after = {**doc, "deleted": True, "groups": [], "updated": ctx.now()}
    _reindex(ctx, doc, {k: v for k, v in after.items() if k != "channels"})  # keeps only the external id
    ctx.collection("contacts").put(str(doc["id"]), after)


def render(ctx: Any, doc: Mapping[str, Any]) -> dict[str, Any]:
    """The contact as the API shows it (§B5.3): internal bookkeeping left out, segments named."""
    out = {k: v for k, v in doc.items() if k not in ("groups", "emailConfirmed", "deleted", "created", "updated")}
    out["groups"] = [_group_ref(ctx, gid) for gid in doc.get("groups") or []]
    return out


# -- segments -------------------------------------------------------------------------------------


def group(ctx: Any, group_id: Any) -> dict[str, Any] | None:
    return ctx.collection("groups").get(str(group_id)) if str(group_id).isdigit() else None


def _group_ref(ctx: Any, gid: int) -> dict[str, Any]:
    g = group(ctx, gid) or {"id": gid}
    return {"id": g["id"], "name": g.get("name"), "type": g.get("type")}


def group_named(ctx: Any, name: str) -> dict[str, Any]:
    """The segment with this name, created as a static one if missing (§B5.6: "auto-created")."""
    found = ctx.collection("group_names").get(name)
    if found:
        return group(ctx, found["id"])
    g = {"id": ctx.next_id("group", 2001), "name": name, "type": "Static"}
    ctx.collection("groups").put(str(g["id"]), g)
    ctx.collection("group_names").put(name, {"id": g["id"]})
    return g


def join(ctx: Any, gid: int, doc: dict[str, Any]) -> None:
    if gid not in doc.setdefault("groups", []):
        doc["groups"].append(gid)
        ctx.collection("contacts").put(str(doc["id"]), doc)
    ctx.collection("members").put(f"{gid}:{doc['id']}", {"group": gid, "contact": doc["id"]})


def leave(ctx: Any, gid: int, doc: dict[str, Any]) -> None:
    if gid in (doc.get("groups") or []):
        doc["groups"] = [g for g in doc["groups"] if g != gid]
        ctx.collection("contacts").put(str(doc["id"]), doc)
    ctx.collection("members").delete(f"{gid}:{doc['id']}")
