"""App API: segment definitions, counts, members and usage (§A5.3); membership changes are Track actions."""

from __future__ import annotations

from tether._models import Action
from tether._pages import CursorPages
from tether._wire import Request

from .. import samples
from ..schemas import DELETED, IDENTIFIERS_OUT, NEXT, input_object, integer_id, page_input
from .common import pick

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
        "tags": {"type": ["array", "null"], "items": {"type": "string", "description": "A tag."}, "description": "Tags."},
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
        "List all segments (audiences, groups) in the Customer.io workspace, manual and data-driven, with ids, "
        "names and state. Use to see which segments or audiences exist, or to find a segment's id by its name."
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


SEGMENT_ID = integer_id("The segment's id (see list-segments).")


def _segment_request(method: str, path: str, inp, **extra) -> Request:
    return Request(method, path, path_params={"segment_id": inp["segment_id"]}, **extra)


def get_segment(inp, ctx):
    response = yield _segment_request("GET", "/segments/{segment_id}", inp)
    return response.json()["segment"]


GET_SEGMENT = Action(
    key="get-segment",
    name="Get segment",
    description=(
        "Get one segment (audience, group) by its id: name, description, whether it is manual or data-driven, "
        "and its build state."
    ),
    entity="segment",
    input_schema=input_object({"segment_id": SEGMENT_ID}, ("segment_id",)),
    output_schema=SEGMENT,
    run=get_segment,
    examples=({"segment_id": samples.VIP_SEGMENT},),
    read_only=True,
    idempotent=True,
    api=API,
)


def create_segment(inp, ctx):
    spec = {"name": inp["name"]}
    if "description" in inp:
        spec["description"] = inp["description"]
    response = yield Request("POST", "/segments", json={"segment": spec})
    return response.json()["segment"]


CREATE_SEGMENT = Action(
    key="create-segment",
    name="Create segment",
    description=(
        "Create a new manual segment (a static audience or group) with a name and description. People are then "
        "added to it with add-customers-to-segment (Track API); data-driven segments can only be made in the app."
    ),
    entity="segment",
    input_schema=input_object(
        {
            # §A5.3: name is required; no length limits are documented.
            "name": {"type": "string", "minLength": 1, "description": "The segment's name."},
            "description": {"type": "string", "description": "What the segment is for."},
        },
        ("name",),
    ),
    output_schema=SEGMENT,
    run=create_segment,
    examples=({"name": "Webinar attendees", "description": "People who joined the March webinar"},),
    api=API,
)


def delete_segment(inp, ctx):
    yield _segment_request("DELETE", "/segments/{segment_id}", inp)
    return {"deleted": True}  # §A5.3: 204, no body


DELETE_SEGMENT = Action(
    key="delete-segment",
    name="Delete segment",
    description=(
        "Delete a segment (audience, group) entirely: the segment itself is removed for good, the people in it are not. Check get-segment-usage "
        "first: campaigns and newsletters may target it."
    ),
    entity="segment",
    input_schema=input_object({"segment_id": {**SEGMENT_ID, "description": "The id of the segment to delete."}}, ("segment_id",)),
    output_schema=DELETED,
    run=delete_segment,
    examples=({"segment_id": samples.BETA_SEGMENT},),
    destructive=True,
    idempotent=True,
    api=API,
)


def get_segment_customer_count(inp, ctx):
    response = yield _segment_request("GET", "/segments/{segment_id}/customer_count", inp)
    return response.json()


GET_SEGMENT_CUSTOMER_COUNT = Action(
    key="get-segment-customer-count",
    name="Get segment customer count",
    description="Count how many people (customers, users, contacts) are in a segment: the size of the audience.",
    entity="segment",
    input_schema=input_object({"segment_id": SEGMENT_ID}, ("segment_id",)),
    output_schema={
        "type": "object",
        "description": "The segment's size (§A5.3).",
        "properties": {
            "segment_id": {"type": "integer", "description": "The segment id."},
            "count": {"type": "integer", "description": "How many people are in it."},
        },
        "required": ["segment_id", "count"],
    },
    run=get_segment_customer_count,
    examples=({"segment_id": samples.VIP_SEGMENT}, {"segment_id": samples.ACTIVE_SEGMENT}),
    read_only=True,
    idempotent=True,
    api=API,
)


def get_segment_membership(inp, ctx):
    response = yield _segment_request("GET", "/segments/{segment_id}/membership", inp, params=pick(inp, ("start", "limit")))
    return response.json()


GET_SEGMENT_MEMBERSHIP = Action(
    key="get-segment-membership",
    name="Get segment members",
    description=(
        "List the people in a segment (who is in this audience or group) with their ids, emails and cio_ids, "
        "up to 30,000 per page, or all=true for everyone."
    ),
    entity="segment",
    input_schema=input_object({"segment_id": SEGMENT_ID, **page_input(1000, 30000, "people")}, ("segment_id",)),
    output_schema={
        "type": "object",
        "description": "A page of the segment's members (§A5.3).",
        "properties": {
            "segment_id": {"type": "integer", "description": "The segment id."},
            "identifiers": {"type": "array", "items": IDENTIFIERS_OUT, "description": "Each member's identifiers."},
            "ids": {"type": "array", "items": {"type": "string"}, "description": "Their ids, in the same order (\"\" for a member without an id)."},
            "next": NEXT,
        },
        "required": ["identifiers"],
    },
    run=get_segment_membership,
    examples=({"segment_id": samples.VIP_SEGMENT}, {"segment_id": samples.ACTIVE_SEGMENT, "all": True}),
    read_only=True,
    idempotent=True,
    api=API,
    pages=CursorPages(items="identifiers", next="next", param="start", size_param="limit", max_size=30000),
)


def get_segment_usage(inp, ctx):
    response = yield _segment_request("GET", "/segments/{segment_id}/used_by", inp)
    return response.json()


ID_LIST = {"type": "array", "items": {"type": "integer", "description": "An id."}}

GET_SEGMENT_USAGE = Action(
    key="get-segment-usage",
    name="Get segment usage by campaigns and newsletters",
    description=(
        "Find which campaigns and newsletters use a segment: the campaigns it triggers or filters and the "
        "newsletters (sent or draft) sent to it. Use before changing or deleting a segment to see what depends on it."
    ),
    entity="segment",
    input_schema=input_object({"segment_id": SEGMENT_ID}, ("segment_id",)),
    output_schema={
        "type": "object",
        "description": "What refers to the segment (§A5.3).",
        "properties": {
            "segment_id": {"type": "integer", "description": "The segment id."},
            "used_by": {
                "type": "object",
                "description": "The ids of what uses it, by kind.",
                "properties": {
                    "campaigns": {**ID_LIST, "description": "Campaigns triggered or filtered by the segment."},
                    "sent_newsletters": {**ID_LIST, "description": "Newsletters already sent to the segment."},
                    "draft_newsletters": {**ID_LIST, "description": "Draft newsletters addressed to the segment."},
                },
            },
        },
        "required": ["segment_id", "used_by"],
    },
    run=get_segment_usage,
    examples=({"segment_id": samples.VIP_SEGMENT},),
    read_only=True,
    idempotent=True,
    api=API,
)

ACTIONS = (
    LIST_SEGMENTS,
    GET_SEGMENT,
    CREATE_SEGMENT,
    DELETE_SEGMENT,
    GET_SEGMENT_CUSTOMER_COUNT,
    GET_SEGMENT_MEMBERSHIP,
    GET_SEGMENT_USAGE,
)
