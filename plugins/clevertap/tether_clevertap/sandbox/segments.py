"""API segments: /api/createSegment and /api/updateSegment (§A5.15 [V-doc]).

Rules from the vendor pages: a name is unique within a request, a customer segment id unique
across all requests; updates apply to API segments only and are processed partially (valid
entries applied, invalid ones skipped). The vendor's sample sends the segments as a bare list,
the reference as ``{"segments": […]}``: both are accepted. Answer keys and the name of the
add/remove field (``action``) are [INF].
"""

from .base import SANDBOX, col, find_profile, listed


@SANDBOX.route("POST", "/api/createSegment")
def create_segments(req, ctx):
    items = listed(req, "segments", "segments is mandatory", bare=True)
    names, created = set(), []
    segments = col(ctx, "segments")
    for item in items:
        if not isinstance(item, dict) or not item.get("segment_name") or not item.get("customer_segment_id"):
            raise SANDBOX.fail(400, "each segment needs segment_name and customer_segment_id")
        if item["segment_name"] in names:
            raise SANDBOX.fail(400, f"Duplicate segment_name in request: {item['segment_name']}")
        names.add(item["segment_name"])
        if col(ctx, "segment_ids").get(str(item["customer_segment_id"])) is not None:
            raise SANDBOX.fail(400, f"customer_segment_id already used: {item['customer_segment_id']}")
        segment_id = ctx.next_id(f"{ctx.workspace}/segment", start=5001)
        doc = {"segment_id": segment_id, "segment_name": item["segment_name"], "customer_segment_id": str(item["customer_segment_id"]), "members": []}
        segments.put(str(segment_id), doc)
        col(ctx, "segment_ids").put(doc["customer_segment_id"], {"segment_id": segment_id})
        created.append({k: doc[k] for k in ("segment_id", "segment_name", "customer_segment_id")})
    return {"status": "success", "segments": created}


def _segment(ctx, change):
    if change.get("ct_segment_id") is not None:
        return col(ctx, "segments").get(str(change["ct_segment_id"]))
    ref = col(ctx, "segment_ids").get(str(change.get("customer_segment_id")))
    return col(ctx, "segments").get(str(ref["segment_id"])) if ref else None


@SANDBOX.route("POST", "/api/updateSegment")
def update_segment(req, ctx):
    bulk = listed(req, "bulk_profiles", "bulk_profiles is mandatory")
    unprocessed = []
    for entry in bulk:
        users = entry.get("user_profiles") if isinstance(entry, dict) else None
        changes = entry.get("segments") if isinstance(entry, dict) else None
        if not isinstance(users, list) or not isinstance(changes, list):
            unprocessed.append({"entry": entry, "error": "user_profiles and segments are mandatory"})
            continue
        for user in users:
            profile = None
            if isinstance(user, dict):
                profile = find_profile(ctx, "identity", user.get("identity")) if user.get("identity") else find_profile(ctx, "objectId", user.get("guid"))
            if profile is None:
                unprocessed.append({"user": user, "error": "User not found"})
                continue
            for change in changes:
                segment = _segment(ctx, change) if isinstance(change, dict) else None
                if segment is None or change.get("action") not in ("add", "remove"):
                    unprocessed.append({"user": user, "segment": change, "error": "Unknown segment or action"})
                    continue
                members = [m for m in segment["members"] if m != profile["objectId"]]
                if change["action"] == "add":
                    members.append(profile["objectId"])
                segment["members"] = members
                col(ctx, "segments").put(str(segment["segment_id"]), segment)
    out = {"status": "partial" if unprocessed else "success"}
    if unprocessed:
        out["unprocessed"] = unprocessed
    return out
