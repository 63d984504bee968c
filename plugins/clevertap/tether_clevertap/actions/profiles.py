"""One user at a time: read, delete, demerge, channel subscriptions, phone numbers (§A5.5, §A5.9, §A5.15)."""

from tether.connector import Action, array, enum, input_object, obj, rest, string

from .common import STATUS, read_body

ID_LIST = {"oneOf": [string("One value."), array(string("A value."), "Up to 100 values.", minItems=1, maxItems=100)]}


def _status_only(response, inp):
    body = read_body(response, inp)
    return {"status": body.get("status", "success"), **({"unprocessed": body["unprocessed"]} if body.get("unprocessed") else {})}


STATUS_OUTPUT = obj(
    {"status": STATUS, "unprocessed": array({"type": "object"}, "Entries CleverTap could not apply, with the reason.")},
    "CleverTap's answer.",
    required=("status",),
)


def _d(inp, ctx):
    return {"d": inp["changes"]}


ACTIONS = (
    Action(
        key="get-user-profile",
        name="Get user profile",
        description="Look up (get, view) one user's profile by their identity, email address or CleverTap ID "
        "(objectId): the person's properties, events summary and devices.",
        entity="profile",
        input_schema=input_object(
            {
                "identity": string("Your own user id (Identity)."),
                "email": string("The user's email address."),
                "objectId": string("The CleverTap ID (GUID)."),
            },
            (),
            oneOf=[{"required": ["identity"]}, {"required": ["email"]}, {"required": ["objectId"]}],
        ),
        output_schema=obj({"record": obj({}, "The profile: identity, email, name, phone, objectId, profileData, events, platformInfo.")}, "One profile.", required=("record",)),
        # §A5.5: one of the three as a query parameter (encoded here, unlike the Node library).
        run=rest("GET", "/1/profile.json", query=("identity", "email", "objectId"), read=lambda r, inp: {"record": read_body(r, inp).get("record")}),
        examples=({"identity": "user-1"},),
        read_only=True,
        idempotent=True,
    ),
    Action(
        key="delete-user-profile",
        name="Delete user profile",
        description="Permanently delete user profiles and their data (e.g. for a GDPR erasure request), by identity "
        "or by CleverTap ID (guid); up to 100 per call.",
        entity="profile",
        input_schema=input_object(
            {"identity": {**ID_LIST, "description": "Identity, or a list of up to 100."}, "guid": {**ID_LIST, "description": "CleverTap ID (GUID), or a list of up to 100."}},
            (),
            oneOf=[{"required": ["identity"]}, {"required": ["guid"]}],
        ),
        output_schema=STATUS_OUTPUT,
        run=rest("POST", "/1/delete/profiles.json", body=("identity", "guid"), read=_status_only, idempotent=True),
        examples=({"identity": "user-2"},),
        destructive=True,
        idempotent=True,
    ),
    Action(
        key="demerge-user-profiles",
        name="Demerge user profiles",
        description="Undo a wrong merge: split the identities merged into one profile back into separate "
        "profiles; up to 100 at a time.",
        entity="profile",
        input_schema=input_object({"identities": array(string("An identity."), "The identities to split off.", minItems=1, maxItems=100)}, ("identities",)),
        output_schema=STATUS_OUTPUT,
        run=rest("POST", "/1/demerge/profiles.json", body=("identities",), read=_status_only, idempotent=True),
        examples=({"identities": ["user-3-alt"]},),
        destructive=True,
        idempotent=True,
    ),
    Action(
        key="update-channel-subscription",
        name="Update channel subscription",
        description="Opt phone numbers, email addresses or WhatsApp numbers out of (Unsubscribe) or back into "
        "(Resubscribe) messages on that channel.",
        entity="subscription",
        input_schema=input_object(
            {
                "changes": array(
                    obj(
                        {
                            "type": enum(("phone", "email", "whatsapp"), "The channel."),
                            "value": string("The phone number (E.164, with +) or email address."),
                            "status": enum(("Unsubscribe", "Resubscribe"), "Opt out or back in."),
                        },
                        "One change.",
                        required=("type", "value", "status"),
                        additionalProperties=False,
                    ),
                    "The changes.",
                    minItems=1,
                )
            },
            ("changes",),
        ),
        output_schema=STATUS_OUTPUT,
        run=rest("POST", "/1/subscribe", body=_d, read=_status_only, idempotent=True),
        examples=({"changes": [{"type": "email", "value": "ada@example.com", "status": "Unsubscribe"}]},),
        idempotent=True,
    ),
    Action(
        key="disassociate-phone",
        name="Disassociate phone",
        description="Unlink phone numbers from the profiles they belong to (e.g. a recycled number now owned by "
        "someone else).",
        entity="profile",
        input_schema=input_object(
            {"phones": array(string("A phone number in E.164, with +."), "The numbers.", minItems=1)},
            ("phones",),
        ),
        output_schema=STATUS_OUTPUT,
        run=rest("POST", "/1/disassociate", body=lambda inp, ctx: {"d": [{"type": "phone", "value": p} for p in inp["phones"]]}, read=_status_only, idempotent=True),
        examples=({"phones": ["+14155551234"]},),
        destructive=True,
        idempotent=True,
    ),
)
