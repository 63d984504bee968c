"""What Track requests do to people: identify, events, devices, suppression, merges (§A3, §A4).

Track v1 (track.py) and v2 (track_v2.py) routes carry out the same operations; they live here
so that neither route module imports the other.
"""

from __future__ import annotations

from typing import Any

from . import model
from .base import collection


def identify(ctx, by: str, value: str, attributes: dict[str, Any]) -> dict[str, Any] | None:
    """Create or update a person; None when nothing was written (update-only, suppressed)."""
    person = model.find(ctx, value, by)
    if person is None:
        # §A3 #1: _update never creates; an unknown cio_id is dropped; a suppressed identifier
        # is blocked from coming back (§A3 #5).
        if attributes.get("_update") or by == "cio_id" or model.is_suppressed(ctx, value):
            return None
        person = model.new_person(ctx, **{by: value})
        _adopt_anonymous(ctx, person, attributes.get("anonymous_id"))
        model.record_activity(ctx, person, "profile_create")
    model.set_attributes(ctx, person, attributes)
    if attributes.get("anonymous_id"):
        _adopt_anonymous(ctx, person, attributes["anonymous_id"])
    return model.save(ctx, person)


def _adopt_anonymous(ctx, person: dict[str, Any], anonymous_id: str | None) -> None:
    """§A3 #8: anonymous events are merged into the person later identified with that anonymous_id."""
    if not anonymous_id:
        return
    activities = collection(ctx, "activities")
    for activity in list(activities):
        if activity.get("_cio_id") is None and activity.get("_anonymous_id") == anonymous_id:
            activity.update(_cio_id=person["cio_id"], customer_id=person.get("id"), customer_identifiers=model.identifiers(person))
            activities.put(activity["id"], activity)


def path_person(ctx, identifier: str) -> tuple[str, str]:
    """(id_type, value) of a Track path identifier (§A3 "Path {identifier}")."""
    if identifier.startswith("cio_"):
        return "cio_id", identifier[4:]
    found = model.find_by_path_identifier(ctx, identifier)
    if found is not None and found.get("email") and found["email"].lower() == identifier.lower() and found.get("id") != identifier:
        return "email", identifier
    return ("email" if "@" in identifier and found is None else "id"), identifier


def track_event(ctx, person: dict[str, Any] | None, body: dict[str, Any], *, anonymous_id: str | None = None) -> None:
    name = str(body.get("name", "")).strip()  # §A3 #7: names are trimmed
    activity = model.record_activity(
        ctx, person, body.get("type") or "event", name=name, data=body.get("data") or {}, timestamp=body.get("timestamp")
    )
    if anonymous_id:
        activity["_anonymous_id"] = anonymous_id
        activity["anonymous_id"] = anonymous_id
    if body.get("id"):
        activity["_event_id"] = body["id"]
    collection(ctx, "activities").put(activity["id"], activity)


def seen_event(ctx, event_id: str | None) -> bool:
    """§A3 #7, §A4: an event id (ULID) deduplicates: the same id twice counts once."""
    return bool(event_id) and any(a.get("_event_id") == event_id for a in collection(ctx, "activities"))


def upsert_device(ctx, person: dict[str, Any], device: dict[str, Any]) -> None:
    token = device["token"]
    kept = [d for d in person["devices"] if d["id"] != token]
    kept.append({"id": token, "platform": device["platform"], "last_used": device.get("last_used"), "attributes": device.get("attributes") or {}})
    person["devices"] = kept
    model.save(ctx, person)


def delete_device(ctx, person: dict[str, Any], token: str) -> None:
    person["devices"] = [d for d in person["devices"] if d["id"] != token]
    model.save(ctx, person)


def suppress(ctx, by: str, value: str) -> None:
    person = model.find(ctx, value, by)
    names = {value.lower()}
    if person is not None:
        names |= {str(v).lower() for k, v in model.identifiers(person).items() if k in ("id", "email")}
        model.delete(ctx, person)
    for name in names:
        model.suppressed(ctx).put(name, {"identifier": name, "at": model.now(ctx)})


def unsuppress(ctx, value: str) -> None:
    model.suppressed(ctx).delete(value.lower())


def merge(ctx, primary: dict[str, Any], secondary: dict[str, Any]) -> None:
    """§A3 #9: the secondary's data moves to the primary, which wins on conflicts; the secondary goes."""
    for name, value in secondary["attributes"].items():
        if name not in ("id", "email", "cio_id") and name not in primary["attributes"]:
            primary["attributes"][name] = value
            primary["timestamps"][name] = secondary["timestamps"].get(name, model.now(ctx))
    tokens = {d["id"] for d in primary["devices"]}
    primary["devices"] += [d for d in secondary["devices"] if d["id"] not in tokens]
    primary["anonymous_ids"] += [a for a in secondary["anonymous_ids"] if a not in primary["anonymous_ids"]]
    for seg in model.segments(ctx):
        members = seg.get("members")
        if members is not None and secondary["cio_id"] in members:
            members.remove(secondary["cio_id"])
            if primary["cio_id"] not in members:
                members.append(primary["cio_id"])
            model.segments(ctx).put(str(seg["id"]), seg)
    activities = collection(ctx, "activities")
    for activity in list(activities):
        if activity.get("_cio_id") == secondary["cio_id"]:
            activity.update(_cio_id=primary["cio_id"], customer_id=primary.get("id"), customer_identifiers=model.identifiers(primary))
            activities.put(activity["id"], activity)
    model.people(ctx).delete(secondary["cio_id"])
    model.save(ctx, primary)
    model.record_activity(ctx, primary, "profile_merge", data={"merged": model.identifiers(secondary)})


def find_one(ctx, ident: dict[str, Any]) -> dict[str, Any] | None:
    (by, value), = ident.items()
    return model.find(ctx, str(value), by)
