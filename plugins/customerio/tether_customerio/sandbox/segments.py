"""App API: segments (§A5.3). Membership changes are Track routes (§A3 #10, #11)."""

from __future__ import annotations

from typing import Any

from tether.connector import Abort, Reply

from . import model
from .base import SANDBOX, api_error, app_auth, collection, json_body, next_id, not_found, page, page_of

BAD_BODY = api_error(400, "the request body must be a JSON object")


@SANDBOX.route("GET", "/v1/segments", auth=app_auth)
def list_segments(req, ctx):
    # §A5.3: unpaginated.
    return {"segments": [model.segment_view(seg) for seg in model.segments(ctx)]}


def segment_or_404(req, ctx) -> dict[str, Any]:
    raw = req.path_params["segment_id"]
    # §A5 "Conventions": object ids are integers. [INF] anything else names no segment: 404.
    seg = model.segment(ctx, int(raw)) if raw.isdigit() else None
    if seg is None:
        raise not_found("Segment")
    return seg


@SANDBOX.route("POST", "/v1/segments", auth=app_auth)
def create_segment(req, ctx):
    body = json_body(req, bad=BAD_BODY)
    spec = body.get("segment")
    # §A5.3: {"segment": {"name"*, "description"}}; 400 otherwise.
    if not isinstance(spec, dict):
        raise Abort(api_error(400, "segment is required", "/segment"))
    name = spec.get("name")
    if not isinstance(name, str) or not name.strip():
        raise Abort(api_error(400, "segment name is required", "/segment/name"))
    description = spec.get("description")
    if description is not None and not isinstance(description, str):
        raise Abort(api_error(400, "segment description must be a string", "/segment/description"))
    now = model.now(ctx)
    segment_id = next_id(ctx, "segment", 10)
    seg = {
        "id": segment_id,
        "deduplicate_id": f"{segment_id}:{now}",
        "name": name,
        "description": description,
        # §A5.3: the App API creates manual segments (people are added through Track). [INF] An
        # empty manual segment has nothing to build, so it is "finished" at once.
        "state": "finished",
        "progress": None,
        "type": "manual",
        "tags": None,
        "created_at": now,
        "updated_at": now,
        "members": [],
    }
    model.segments(ctx).put(str(segment_id), seg)
    return {"segment": model.segment_view(seg)}


@SANDBOX.route("GET", "/v1/segments/{segment_id}", auth=app_auth)
def get_segment(req, ctx):
    return {"segment": model.segment_view(segment_or_404(req, ctx))}


@SANDBOX.route("DELETE", "/v1/segments/{segment_id}", auth=app_auth)
def delete_segment(req, ctx):
    seg = segment_or_404(req, ctx)
    model.segments(ctx).delete(str(seg["id"]))
    return Reply(204)  # §A5.3: 204, no body


@SANDBOX.route("GET", "/v1/segments/{segment_id}/customer_count", auth=app_auth)
def customer_count(req, ctx):
    seg = segment_or_404(req, ctx)
    return {"segment_id": seg["id"], "count": len(model.members(ctx, seg))}


@SANDBOX.route("GET", "/v1/segments/{segment_id}/membership", auth=app_auth)
def membership(req, ctx):
    seg = segment_or_404(req, ctx)
    if seg.get("type") == "manual":  # its member list is part of the segment document
        cio_ids, next_token = page(req, seg.get("members", []), default=1000, maximum=30000)
        items = model.people_by_cio_id(ctx, cio_ids)
    else:
        items, next_token = page_of(req, model.people(ctx), default=1000, maximum=30000, where=model.in_rule(seg))
    # §A5.3: ids may hold "" (a member without an id); identifiers lack what the person lacks.
    return {
        "segment_id": seg["id"],
        "ids": [p.get("id") or "" for p in items],
        "identifiers": [model.identifiers(p) for p in items],
        "next": next_token,
    }


@SANDBOX.route("GET", "/v1/segments/{segment_id}/used_by", auth=app_auth)
def used_by(req, ctx):
    seg = segment_or_404(req, ctx)
    sid = seg["id"]
    # Campaigns and newsletters are seeded by their own modules; either may be absent.
    campaigns = [
        c["id"]
        for c in collection(ctx, "campaigns")
        if sid in (c.get("trigger_segment_ids") or []) or sid in (c.get("filter_segment_ids") or [])
    ]
    sent, drafts = [], []
    for newsletter in collection(ctx, "newsletters"):
        if sid in (newsletter.get("recipient_segment_ids") or []):
            (drafts if newsletter.get("sent_at") is None else sent).append(newsletter["id"])
    return {"segment_id": sid, "used_by": {"campaigns": campaigns, "sent_newsletters": sent, "draft_newsletters": drafts}}
