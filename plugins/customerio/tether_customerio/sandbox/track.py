"""Track API v1 (§A3): every success is 200 {} except form submit (204).

The v2 endpoints (§A4) are in track_v2.py; both share the person operations here.
"""

from __future__ import annotations

from typing import Any

from tether._sandbox import Abort, Reply

from . import model
from .base import SANDBOX, collection, json_body, meta_error, meta_errors, region_auth, track_auth

BAD_JSON = meta_errors(400, "the request body is not valid JSON")


def _body(req, *, required: bool = False) -> dict[str, Any]:
    return json_body(req, bad=BAD_JSON, required=required)


# -- person operations (shared with v2) -------------------------------------------------------------------


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


# -- v1 routes ---------------------------------------------------------------------------------------------


@SANDBOX.route("PUT", "/api/v1/customers/{identifier}", auth=track_auth)
def identify_route(req, ctx):
    body = _body(req)
    by, value = path_person(ctx, req.path_params["identifier"])
    identify(ctx, by, value, body)
    return {}


@SANDBOX.route("DELETE", "/api/v1/customers/{identifier}", auth=track_auth)
def delete_route(req, ctx):
    _body(req)  # §A9.4: {} (Python SDK) or nothing (Node, async SDKs)
    person = model.find_by_path_identifier(ctx, req.path_params["identifier"])
    if person is not None:  # §A3 #2: deleting someone absent is not an error
        model.delete(ctx, person)
    return {}


@SANDBOX.route("PUT", "/api/v1/customers/{identifier}/devices", auth=track_auth)
def add_device_route(req, ctx):
    body = _body(req)
    device = body.get("device")
    # §A3 #3: v1 calls the token "id"; platform ios or android.
    if not isinstance(device, dict) or not device.get("id"):
        raise Abort(meta_errors(400, "device id is required"))
    if device.get("platform") not in ("ios", "android"):
        raise Abort(meta_errors(400, "device platform must be one of ios, android"))
    by, value = path_person(ctx, req.path_params["identifier"])
    person = model.find(ctx, value, by) or identify(ctx, by, value, {})
    if person is None:
        return {}
    attributes = {k: v for k, v in device.items() if k not in ("id", "platform", "last_used")}
    attributes.update(device.get("attributes") or {})
    attributes.pop("attributes", None)
    upsert_device(ctx, person, {"token": device["id"], "platform": device["platform"], "last_used": device.get("last_used"), "attributes": attributes})
    return {}


@SANDBOX.route("DELETE", "/api/v1/customers/{identifier}/devices/{device_id}", auth=track_auth)
def delete_device_route(req, ctx):
    _body(req)
    person = model.find_by_path_identifier(ctx, req.path_params["identifier"])
    if person is not None:
        delete_device(ctx, person, req.path_params["device_id"])
    return {}


@SANDBOX.route("POST", "/api/v1/customers/{identifier}/suppress", auth=track_auth)
def suppress_route(req, ctx):
    _body(req)
    by, value = path_person(ctx, req.path_params["identifier"])
    suppress(ctx, by, value)
    return {}


@SANDBOX.route("POST", "/api/v1/customers/{identifier}/unsuppress", auth=track_auth)
def unsuppress_route(req, ctx):
    _body(req)
    unsuppress(ctx, req.path_params["identifier"])
    return {}


def _event_body(req) -> dict[str, Any]:
    body = _body(req, required=True)
    if not isinstance(body.get("name"), str) or not body["name"].strip():
        raise Abort(meta_errors(400, "event name is required"))
    if body.get("type", "event") not in ("event", "page", "screen"):
        raise Abort(meta_errors(400, "type must be one of event, page, screen"))
    return body


@SANDBOX.route("POST", "/api/v1/customers/{identifier}/events", auth=track_auth)
def event_route(req, ctx):
    body = _event_body(req)
    if seen_event(ctx, body.get("id")):
        return {}
    by, value = path_person(ctx, req.path_params["identifier"])
    person = model.find(ctx, value, by) or identify(ctx, by, value, {})
    track_event(ctx, person, body)
    return {}


@SANDBOX.route("POST", "/api/v1/events", auth=track_auth)
def anonymous_event_route(req, ctx):
    body = _event_body(req)
    anonymous_id = body.get("anonymous_id")
    if not anonymous_id and not (body.get("data") or {}).get("recipient"):
        # §A3 #8: without anonymous_id it is an invite event, which needs data.recipient.
        raise Abort(meta_errors(400, "anonymous_id or data.recipient is required"))
    if seen_event(ctx, body.get("id")):
        return {}
    owner = next((p for p in model.people(ctx) if anonymous_id and anonymous_id in p["anonymous_ids"]), None)
    track_event(ctx, owner, body, anonymous_id=None if owner else anonymous_id)
    return {}


@SANDBOX.route("POST", "/api/v1/merge_customers", auth=track_auth)
def merge_route(req, ctx):
    body = _body(req, required=True)
    sides = {}
    for side in ("primary", "secondary"):
        ident = body.get(side)
        if not isinstance(ident, dict) or len(ident) != 1 or next(iter(ident)) not in ("id", "email", "cio_id"):
            # §A3 #9: 400 {"meta":{"error":…}}, e.g. more than one identifier in primary.
            raise Abort(meta_error(400, f"{side} must have exactly one of id, email or cio_id"))
        sides[side] = find_one(ctx, ident)
    primary, secondary = sides["primary"], sides["secondary"]
    if primary is None or secondary is None or primary["cio_id"] == secondary["cio_id"]:
        return {}  # §A3 #9: nothing happens if the primary does not exist yet
    merge(ctx, primary, secondary)
    return {}


def _segment_change(req, ctx, adding: bool):
    seg = model.segment(ctx, req.path_params["segment_id"])
    if seg is None or seg.get("type") != "manual":
        # §A3 #10: 404 with a bare JSON string. Data-driven segments take no manual members,
        # so they answer the same [INF].
        raise Abort(Reply(404, "Segment not found"))
    id_type = req.query.get("id_type") or "id"
    if id_type not in ("id", "email", "cio_id"):
        raise Abort(meta_errors(400, "id_type must be one of id, email, cio_id"))
    body = _body(req, required=True)
    ids = body.get("ids")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise Abort(meta_errors(400, "ids must be a list of strings"))
    if len(ids) > 1000:
        raise Abort(meta_errors(400, "no more than 1000 ids per request"))
    members = seg.setdefault("members", [])
    for value in ids:
        person = model.find(ctx, value, id_type)
        if person is None:
            continue  # §A3 #10: ids that don't match id_type are ignored
        if adding and person["cio_id"] not in members:
            members.append(person["cio_id"])
        elif not adding and person["cio_id"] in members:
            members.remove(person["cio_id"])
    model.segments(ctx).put(str(seg["id"]), seg)
    return {}


@SANDBOX.route("POST", "/api/v1/segments/{segment_id}/add_customers", auth=track_auth)
def add_to_segment_route(req, ctx):
    return _segment_change(req, ctx, True)


@SANDBOX.route("POST", "/api/v1/segments/{segment_id}/remove_customers", auth=track_auth)
def remove_from_segment_route(req, ctx):
    return _segment_change(req, ctx, False)


RESERVED_FORM_KEYS = ("form_id", "form_name", "form_type", "form_url", "form_url_param")


@SANDBOX.route("POST", "/api/v1/forms/{form_id}/submit", auth=track_auth)
def form_route(req, ctx):
    body = _body(req, required=True)
    data = body.get("data")
    if not isinstance(data, dict):
        raise Abort(meta_errors(400, "data is required"))
    errors = [f"{k} must be a string" for k, v in data.items() if not isinstance(v, str)]
    errors += [f"{k} is reserved" for k in data if k in RESERVED_FORM_KEYS]
    if not (data.get("email") or data.get("id")):
        errors.append("data must include email or id")
    if errors:
        raise Abort(meta_errors(400, *errors))
    by, value = ("email", data["email"]) if data.get("email") else ("id", data["id"])
    person = identify(ctx, by, value, {k: v for k, v in data.items() if k not in ("email", "id")})
    form_id = req.path_params["form_id"]
    # §A3 #12: an unknown form id creates the form connection.
    forms = collection(ctx, "forms")
    if forms.get(form_id) is None:
        forms.put(form_id, {"id": form_id, "created_at": model.now(ctx)})
    submissions = collection(ctx, "form_submissions")
    number = len(submissions.ids()) + 1
    submissions.put(f"{form_id}:{number}", {"form_id": form_id, "data": data, "cio_id": person["cio_id"] if person else None})
    model.record_activity(ctx, person, "form_submit", data={"form_id": form_id, **data})
    return Reply(204)


TRACK_HOSTS = {"us": "https://track.customer.io", "eu": "https://track-eu.customer.io"}


@SANDBOX.route("GET", "/api/v1/accounts/region", auth=region_auth)
def account_region(req, ctx):
    # §A1: answers on either host with the workspace's own region.
    environment = 3 if ctx.workspace == "us" else 4
    return {"url": TRACK_HOSTS[ctx.workspace], "region": ctx.workspace, "environment_id": environment}


from . import track_v2  # noqa: E402,F401  (registers /api/v2/entity and /api/v2/batch)
