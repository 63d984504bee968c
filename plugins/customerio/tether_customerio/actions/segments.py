"""App API: segment definitions (§A5.3); membership changes are Track actions."""

from __future__ import annotations

from tether.models import Action
from tether.wire import Request

from ..schemas import input_object

API = "app"

SEGMENT = {
    "type": "object",
    "description": "A segment (§A5.3).",
    "properties": {
        "id": {"type": "integer", "description": "The segment id."},
        "deduplicate_id": {"type": "string", "description": "id:unix of its last change."},
        "name": {"type": "string", "description": "The segment's name."},
        "description": {"type": ["string", "null"], "description": "What the segment is for."},
        "state": {"type": "string", "description": "events, build, events_queued, build_queued or finished."},
        "progress": {"type": ["integer", "null"], "description": "Build progress, when building."},
        "type": {"type": "string", "enum": ["dynamic", "manual"], "description": "manual (members added by the Track API) or dynamic (data-driven)."},
        "tags": {"type": ["array", "null"], "items": {"type": "string"}, "description": "Tags."},
        "created_at": {"type": "integer", "description": "When it was created (unix)."},
        "updated_at": {"type": "integer", "description": "When it last changed (unix)."},
    },
    "required": ["id", "name", "type"],
}


def list_segments(inp, ctx):
    response = yield Request("GET", "/segments")
    return response.json()


LIST_SEGMENTS = Action(
    key="list-segments",
    name="List segments",
    description=(
        "List every segment (audience, group) in the Customer.io workspace, manual and data-driven, with ids, "
        "names and state. Use to find a segment's id by its name."
    ),
    entity="segment",
    input_schema=input_object({}),
    output_schema={
        "type": "object",
        "description": "Every segment (this listing is not paginated).",
        "properties": {"segments": {"type": "array", "items": SEGMENT, "description": "The segments."}},
        "required": ["segments"],
    },
    run=list_segments,
    examples=({},),
    read_only=True,
    idempotent=True,
    api=API,
)

ACTIONS = (LIST_SEGMENTS,)
