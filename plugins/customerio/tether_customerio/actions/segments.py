"""App API: segment definitions, counts, members and usage (§A5.3); membership changes are Track actions."""

from __future__ import annotations

from tether.connector import Action, CursorPages, array, input_object, integer, nullable, obj, pick, rest, string

from .. import samples
from ..schemas import DEDUPLICATE_ID, DELETED, IDENTIFIERS_OUT, NEXT, integer_id, page_input
from .common import deleted

API = "app"

SEGMENT = obj(
    {
        "id": integer("The segment id."),
        "deduplicate_id": DEDUPLICATE_ID,
        "name": string("The segment's name.", min_length=None),
        "description": nullable("string", "What the segment is for."),
        "state": string("events, build, events_queued, build_queued or finished.", min_length=None),
        "progress": nullable("integer", "Build progress, when building."),
        "type": string("manual (members added by the Track API) or dynamic (data-driven).", min_length=None, enum=["dynamic", "manual"]),
        "tags": {"type": ["array", "null"], "items": string("A tag.", min_length=None), "description": "Tags."},
        "created_at": integer("When it was created (unix)."),
        "updated_at": integer("When it last changed (unix)."),
    },
    "A segment (§A5.3).",
    required=["id", "name", "type"],
)


LIST_SEGMENTS = Action(
    key="list-segments",
    name="List segments",
    description=(
        "List all segments (audiences, groups) in the Customer.io workspace, manual and data-driven, with ids, "
        "names and state. Use to see which segments or audiences exist, or to find a segment's id by its name."
    ),
    entity="segment",
    input_schema=input_object({}),
    output_schema=obj(
        {"segments": array(SEGMENT, "The segments.")},
        "Every segment (this listing is not paginated).",
        required=["segments"],
    ),
    run=rest("GET", "/segments"),
    examples=({},),
    read_only=True,
    idempotent=True,
    api=API,
)


SEGMENT_ID = integer_id("The segment's id (see list-segments).")
SEGMENT_PATH = "/segments/{segment_id}"


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
    run=rest("GET", SEGMENT_PATH, read="segment"),
    examples=({"segment_id": samples.VIP_SEGMENT},),
    read_only=True,
    idempotent=True,
    api=API,
)


def _new_segment(inp, ctx):
    return {"segment": pick(inp, ("name", "description"))}


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
            "name": string("The segment's name."),
            "description": string("What the segment is for.", min_length=None),
        },
        ("name",),
    ),
    output_schema=SEGMENT,
    run=rest("POST", "/segments", body=_new_segment, read="segment"),
    examples=({"name": "Webinar attendees", "description": "People who joined the March webinar"},),
    api=API,
)


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
    run=rest("DELETE", SEGMENT_PATH, read=deleted),  # §A5.3: 204, no body
    examples=({"segment_id": samples.BETA_SEGMENT},),
    destructive=True,
    idempotent=True,
    api=API,
)


GET_SEGMENT_CUSTOMER_COUNT = Action(
    key="get-segment-customer-count",
    name="Get segment customer count",
    description="Count how many people (customers, users, contacts) are in a segment: the size of the audience.",
    entity="segment",
    input_schema=input_object({"segment_id": SEGMENT_ID}, ("segment_id",)),
    output_schema=obj(
        {
            "segment_id": integer("The segment id."),
            "count": integer("How many people are in it."),
        },
        "The segment's size (§A5.3).",
        required=["segment_id", "count"],
    ),
    run=rest("GET", SEGMENT_PATH + "/customer_count"),
    examples=({"segment_id": samples.VIP_SEGMENT}, {"segment_id": samples.ACTIVE_SEGMENT}),
    read_only=True,
    idempotent=True,
    api=API,
)


GET_SEGMENT_MEMBERSHIP = Action(
    key="get-segment-membership",
    name="Get segment members",
    description=(
        "List the people in a segment (who is in this audience or group) with their ids, emails and cio_ids, "
        "up to 30,000 per page, or all=true for everyone."
    ),
    entity="segment",
    input_schema=input_object({"segment_id": SEGMENT_ID, **page_input(1000, 30000, "people")}, ("segment_id",)),
    output_schema=obj(
        {
            "segment_id": integer("The segment id."),
            "identifiers": array(IDENTIFIERS_OUT, "Each member's identifiers."),
            "ids": array({"type": "string"}, "Their ids, in the same order (\"\" for a member without an id)."),
            "next": NEXT,
        },
        "A page of the segment's members (§A5.3).",
        required=["identifiers"],
    ),
    run=rest("GET", SEGMENT_PATH + "/membership", query=("start", "limit")),
    examples=({"segment_id": samples.VIP_SEGMENT}, {"segment_id": samples.ACTIVE_SEGMENT, "all": True}),
    read_only=True,
    idempotent=True,
    api=API,
    pages=CursorPages(items="identifiers", next="next", param="start", size_param="limit", max_size=30000),
)


ID_LIST = {"type": "array", "items": integer("An id.")}

GET_SEGMENT_USAGE = Action(
    key="get-segment-usage",
    name="Get segment usage by campaigns and newsletters",
    description=(
        "Find which campaigns and newsletters use a segment: the campaigns it triggers or filters and the "
        "newsletters (sent or draft) sent to it. Use before changing or deleting a segment to see what depends on it."
    ),
    entity="segment",
    input_schema=input_object({"segment_id": SEGMENT_ID}, ("segment_id",)),
    output_schema=obj(
        {
            "segment_id": integer("The segment id."),
            "used_by": obj(
                {
                    "campaigns": {**ID_LIST, "description": "Campaigns triggered or filtered by the segment."},
                    "sent_newsletters": {**ID_LIST, "description": "Newsletters already sent to the segment."},
                    "draft_newsletters": {**ID_LIST, "description": "Draft newsletters addressed to the segment."},
                },
                "The ids of what uses it, by kind.",
            ),
        },
        "What refers to the segment (§A5.3).",
        required=["segment_id", "used_by"],
    ),
    run=rest("GET", SEGMENT_PATH + "/used_by"),
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
