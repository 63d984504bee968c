"""Segments (groups): list them, list their contacts, attach and detach contacts (§B5.8, §B4)."""

from __future__ import annotations

from tether.connector import Action, OffsetPages, Request, array, boolean, identifier, input_object, integer, obj, string

from ..quirks import listing
from ..schemas import CONTACT, GROUP, page_of, paged

MAX_IDS = 500
"""§B4 (docs "Attach contact to static segment"): at most 500 contacts per request."""

SEGMENT_ID = identifier("The segment's (group's) numeric id; get-segments lists them.", numeric=True)


get_segments = listing("/v1/groups", "segments", ("name", "startindex", "maxrows"))


GET_SEGMENTS = Action(
    key="get-segments",
    name="Get segments",
    description=(
        "List which segments exist (contact groups: static lists, dynamic or combined) with their ids, names and "
        "types, or find a segment or group by its name (called …) to get its id. Use an id with get-segment-contacts "
        "or attach-contacts-to-segment."
    ),
    entity="segment",
    input_schema=input_object({"name": string("Only segments whose name contains this text."), **paged("segments")}),
    output_schema=page_of("segments", GROUP, "One page of segments."),
    run=get_segments,
    examples=({}, {"name": "VIP"}),
    read_only=True,
    idempotent=True,
    pages=OffsetPages(items="segments", param="startindex", size_param="maxrows", start=1, total="totalCount", max_size=500),
)


get_segment_contacts = listing("/v1/group/{id}/contacts", "contacts", ("startindex", "maxrows"))


GET_SEGMENT_CONTACTS = Action(
    key="get-segment-contacts",
    name="Get segment contacts",
    description=(
        "List or export the contacts who are members of one segment (group): everyone belonging to it, with their "
        "channels and fields, 500 at most per page, or all of them. Tells who is in a segment."
    ),
    entity="segment",
    input_schema=input_object({"id": SEGMENT_ID, **paged("contacts")}, ("id",)),
    output_schema=page_of("contacts", CONTACT, "One page of the segment's contacts."),
    run=get_segment_contacts,
    examples=({"id": 2001}, {"id": 2001, "maxrows": 2}),
    read_only=True,
    idempotent=True,
    pages=OffsetPages(items="contacts", param="startindex", size_param="maxrows", start=1, total="totalCount", max_size=500),
)

# -- attach / detach ---------------------------------------------------------------------------

MEMBERS = {
    "contactIds": array(identifier("A contact id.", numeric=True), "Contacts by ESputnik id (any number: sent 500 per request).", minItems=1),
    "externalCustomerIds": array(string("An external customer id."), "Contacts by your external customer id instead (sent 500 per request).", minItems=1),
}


def _members(inp):
    """(wire field, ids) for the identifier the input uses; the docs allow one kind per request."""
    if "contactIds" in inp:
        return "contactIds", [int(i) for i in inp["contactIds"]]
    return "externalCustomerIds", list(inp["externalCustomerIds"])


def _in_chunks(verb):
    def run(inp, ctx):
        field, ids = _members(inp)
        for first in range(0, len(ids), MAX_IDS):
            yield Request(
                "POST",
                f"/v1/group/{{id}}/contacts/{verb}",
                path_params={"id": inp["id"]},
                json={field: ids[first : first + MAX_IDS]},
                # Adding a member twice, or removing one twice, leaves the same membership.
                idempotent=True,
            )
        return {f"{verb}ed": len(ids), "requests": -(-len(ids) // MAX_IDS)}

    return run


ATTACH = Action(
    key="attach-contacts-to-segment",
    name="Attach contacts to segment",
    description=(
        "Add existing contacts to a static segment (a list-type group), by contact id or by external customer id. "
        "Contacts already in it stay. Any number of contacts, sent 500 per request."
    ),
    entity="segment",
    input_schema=input_object({"id": SEGMENT_ID, **MEMBERS}, ("id",), oneOf=[{"required": ["contactIds"]}, {"required": ["externalCustomerIds"]}]),
    output_schema=obj({"attached": integer("How many contacts were sent."), "requests": integer("Requests sent.")}, "Done."),
    run=_in_chunks("attach"),
    examples=({"id": 2001, "contactIds": [100002, 100003]}, {"id": 2001, "externalCustomerIds": ["crm-1"]}),
    idempotent=True,
)


def detach(inp, ctx):
    if inp.get("allContacts"):
        # §B4: detach with no ids empties the segment. Only an explicit allContacts does that:
        # an empty list of ids is never taken to mean everyone.
        yield Request("POST", "/v1/group/{id}/contacts/detach", path_params={"id": inp["id"]}, idempotent=True)
        return {"detached": "all", "requests": 1}
    out = yield from _in_chunks("detach")(inp, ctx)
    return out


DETACH = Action(
    key="detach-contacts-from-segment",
    name="Detach contacts from segment",
    description=(
        "Remove (take out) contacts from a static segment without deleting them, by contact id or external customer "
        "id, or empty the whole segment with allContacts. Sent 500 per request."
    ),
    entity="segment",
    input_schema=input_object(
        {
            "id": SEGMENT_ID,
            **MEMBERS,
            "allContacts": boolean("Remove every contact from the segment (must be true; then give no ids).", const=True),
        },
        ("id",),
        oneOf=[{"required": ["contactIds"]}, {"required": ["externalCustomerIds"]}, {"required": ["allContacts"]}],
    ),
    output_schema=obj(
        {"detached": {"type": ["integer", "string"], "description": "How many contacts were sent, or \"all\"."}, "requests": integer("Requests sent.")},
        "Done.",
    ),
    run=detach,
    examples=({"id": 2001, "contactIds": [100001]}, {"id": 2001, "allContacts": True}),
    destructive=True,
    idempotent=True,
)

ACTIONS = (GET_SEGMENTS, GET_SEGMENT_CONTACTS, ATTACH, DETACH)
