"""API segments: create them, then add or remove users (§A5.15 [V-doc]; sub-field names of the
membership update are [INF]). They work only on segments created through the API."""

from tether.connector import Action, array, enum, input_object, obj, rest, string

from .common import read_body, without_status

ACTIONS = (
    Action(
        key="create-segments",
        name="Create segments",
        description="Create API segments (audiences you fill yourself) by name, each with your own unique "
        "customer_segment_id; CleverTap gives each its segment id.",
        entity="segment",
        input_schema=input_object(
            {
                "segments": array(
                    obj(
                        {
                            "segment_name": string("Name, unique within the request."),
                            "customer_segment_id": string("Your id for it, unique across all requests."),
                        },
                        "One segment.",
                        required=("segment_name", "customer_segment_id"),
                        additionalProperties=False,
                    ),
                    "The segments.",
                    minItems=1,
                )
            },
            ("segments",),
        ),
        output_schema=obj({"segments": array({"type": "object"}, "The created segments with segment_id ([INF] shape).")}, "Created segments."),
        run=rest("POST", "/api/createSegment", body=("segments",), read=without_status),
        examples=({"segments": [{"segment_name": "Premium Users", "customer_segment_id": "SEG12345"}]},),
    ),
    Action(
        key="update-segment-membership",
        name="Update segment membership",
        description="Add (put) users into API segments or take them out, a batch at a time, by identity or CleverTap "
        "ID; invalid entries are skipped and reported. Only segments created through the API can be filled this way.",
        entity="segment",
        input_schema=input_object(
            {
                "bulk_profiles": array(
                    obj(
                        {
                            "user_profiles": array(
                                obj({"identity": string("Identity."), "guid": string("CleverTap ID.")}, "A user.", additionalProperties=False, minProperties=1),
                                "The users.",
                                minItems=1,
                            ),
                            "segments": array(
                                obj(
                                    {
                                        "ct_segment_id": string("CleverTap's segment id."),
                                        "customer_segment_id": string("Your segment id."),
                                        "action": enum(("add", "remove"), "Add or remove the users."),
                                    },
                                    "A segment change.",
                                    required=("action",),
                                    additionalProperties=False,
                                ),
                                "The changes.",
                                minItems=1,
                            ),
                        },
                        "Users and the segment changes for them.",
                        required=("user_profiles", "segments"),
                        additionalProperties=False,
                    ),
                    "The updates.",
                    minItems=1,
                )
            },
            ("bulk_profiles",),
        ),
        output_schema=obj({"status": enum(("success", "partial"), "success, or partial when some entries were skipped."), "unprocessed": array({"type": "object"}, "Skipped entries.")}, "CleverTap's answer.", required=("status",)),
        run=rest("POST", "/api/updateSegment", body=("bulk_profiles",), read=lambda r, inp: {k: v for k, v in read_body(r, inp).items() if k in ("status", "unprocessed")}, idempotent=True),
        examples=({"bulk_profiles": [{"user_profiles": [{"identity": "user-1"}], "segments": [{"customer_segment_id": "SEG-SEEDED", "action": "add"}]}]},),
        idempotent=True,
    ),
)
