"""App API: segments (§A5.3)."""

from __future__ import annotations

from . import model
from .base import SANDBOX, app_auth


@SANDBOX.route("GET", "/v1/segments", auth=app_auth)
def list_segments(req, ctx):
    return {"segments": [model.segment_view(seg) for seg in model.segments(ctx)]}
