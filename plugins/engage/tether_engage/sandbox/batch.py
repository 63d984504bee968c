"""POST /batch: create, update and event items at the cost of one call (engage.md §4.22)."""

from __future__ import annotations

from tether.connector import Abort, SandboxContext, SandboxRequest

from .base import SANDBOX, json_object, paths
from .users import create, track, upsert

# "keep the request size below 100KB": above it the behaviour is unknown; 413 [INF §4.22].
MAX_BODY_BYTES = 100 * 1024

APPLY = {
    "create": lambda ctx, item: create(ctx, item),
    # Batch needs key and secret, so an email change in an update item is allowed.
    "update": lambda ctx, item: upsert(ctx, item["id"], item, secret=True),
    "event": lambda ctx, item: track(ctx, item["id"], item),
}


@SANDBOX.route("POST", *paths("/batch"))  # §3 row 22: "?" → key and secret
def batch(req: SandboxRequest, ctx: SandboxContext):
    if len(req.body) > MAX_BODY_BYTES:
        raise SANDBOX.fail(413, "Request too large: keep batch requests below 100KB.")
    items = json_object(req).get("data")
    if not isinstance(items, list):
        raise SANDBOX.fail(400, "data must be an array.")
    # Asynchronous on Engage, with items "not validated" and no per-item result: the sandbox
    # applies them at once, in order, and drops an invalid one silently (§4.22, §8.7).
    for item in items:
        if not isinstance(item, dict) or item.get("type") not in APPLY or not isinstance(item.get("id"), str) or not item["id"]:
            continue
        try:
            APPLY[item["type"]](ctx, item)
        except Abort:
            continue  # each apply validates before it writes, so nothing half-done remains
    return {"status": "queued"}
