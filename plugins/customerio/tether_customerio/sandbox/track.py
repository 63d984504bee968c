"""Track API v1 (§A3): every success is 200 {} except form submit (204).

The v2 endpoints (§A4) are in track_v2.py; both carry out the person operations of people.py.
"""

from __future__ import annotations

from typing import Any

from tether.connector import Abort, Reply

from . import model
from .base import SANDBOX, collection, json_body, meta_error, meta_errors, region_auth, track_auth
from .people import (
    delete_device, find_one, identify, merge, path_person, seen_event, suppress, track_event, unsuppress, upsert_device,
)  # fmt: skip

BAD_JSON = meta_errors(400, "the request body is not valid JSON")


def _body(req, *, required: bool = False) -> dict[str, Any]:
    return json_body(req, bad=BAD_JSON, required=required)


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
