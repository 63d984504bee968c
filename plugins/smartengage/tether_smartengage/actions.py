"""SmartEngage's actions: five reads (B3, verified) and nine writes (B3, third-party, unverified).

Every run is declarative (one request) except bulk-tag-subscribers (see bulk.py). The avatar
comes from the input or the connection's ``avatar_id`` setting (schemas.avatar).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from tether.connector import Action, identifier, input_object, rest, string

from .bulk import BULK_TAG_SUBSCRIBERS
from .schemas import (
    ANSWER,
    AVATAR,
    AVATAR_ID,
    CUSTOM_FIELD,
    SEQUENCE,
    SUBSCRIBER,
    SUBSCRIBER_ID,
    TAG,
    avatar,
    form,
    listing,
)

UNVERIFIED = (
    " Unverified endpoint: its path and fields come from third-party documentation, and no source shows "
    "SmartEngage's answer, so the output is that answer unchanged."
)


def avatar_query(inp: dict[str, Any], ctx: Any) -> dict[str, str]:
    return {"avatar_id": avatar(inp, ctx)}


def as_answered(response: Any, inp: dict[str, Any]) -> Any:
    """A write's output: the body as it came, parsed if it is JSON, else its text."""
    try:
        return response.json()
    except ValueError:
        return response.text


def read(key: str, name: str, entity: str, path: str, item: dict, noun: str, description: str, examples: tuple) -> Action:
    return Action(
        key=key,
        name=name,
        description=description,
        entity=entity,
        input_schema=input_object({"avatar_id": AVATAR_ID}),
        output_schema=listing(item, noun),
        run=rest("GET", path, query=avatar_query),
        examples=examples,
        read_only=True,
        idempotent=True,
    )


def write(key: str, name: str, entity: str, path: str, fields: dict, required: tuple, description: str, examples: tuple, **flags: Any) -> Action:
    return Action(
        key=key,
        name=name,
        description=description + UNVERIFIED,
        entity=entity,
        input_schema=input_object({"avatar_id": AVATAR_ID, **fields}, required),
        output_schema=ANSWER,
        # B2: "accepts form-encoded request bodies"; B3 gives each write's field names.
        run=rest("POST", path, body=partial(_body, tuple(fields)), form=True, read=as_answered),
        examples=examples,
        **flags,
    )


def _body(fields: tuple[str, ...], inp: dict[str, Any], ctx: Any) -> dict[str, str]:
    return form(inp, ctx, fields)


PROFILE = {
    "email": string("Email address."),
    "first_name": string("First name."),
    "last_name": string("Last name."),
    "full_name": string("Full name."),
    "facebook_id": string("The subscriber's Facebook (Messenger) id."),
    "push_id": string("The subscriber's web-push id."),
}

LIST_AVATARS = Action(
    key="list-avatars",
    name="List avatars",
    description=(
        "List the brand avatars (brands, each tied to a Facebook page) this API key can see, newest first, with their "
        "avatar_id, brand name and image, and your role on each. Use it to find the avatar_id every other action needs."
    ),
    entity="avatar",
    input_schema=input_object({}),
    output_schema=listing(AVATAR, "avatar"),
    run=rest("GET", "/avatars/list"),
    examples=({},),
    read_only=True,
    idempotent=True,
)

ACTIONS = (
    LIST_AVATARS,
    read(
        "list-subscribers", "List subscribers", "subscriber", "/subscribers/list/", SUBSCRIBER, "subscriber",
        "List every subscriber (contact, lead) of a brand avatar in one array, as SmartEngage returns them: emails, "
        "names and, as far as SmartEngage includes them, their tags, custom field values and sequences. "
        "Known from third-party documentation only, so the fields are not promised.",
        ({"avatar_id": "2"},),
    ),
    write(
        "add-subscriber", "Add subscriber", "subscriber", "/subscribers/add", PROFILE, (),
        "Add a new subscriber (contact, lead) to a brand avatar with an email, first, last or full name, a Facebook id "
        "or a web-push id.",
        ({"avatar_id": "2", "email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"},),
    ),
    write(
        "update-subscriber", "Update subscriber", "subscriber", "/subscribers/update", {"subscriber_id": SUBSCRIBER_ID, **PROFILE},
        ("subscriber_id",),
        "Change an existing subscriber's email, names, Facebook id or web-push id; fields left out stay as they are.",
        ({"avatar_id": "2", "subscriber_id": "1001", "last_name": "Byron"},),
    ),
    read(
        "list-tags", "List tags", "tag", "/tags/list", TAG, "tag",
        "List a brand avatar's tags (#user tags and $conversion tags) with their ids. Tag ids repeat across avatars.",
        ({"avatar_id": "2"},),
    ),
    write(
        "create-tag", "Create tag", "tag", "/tags/create", {"name": string("The tag, e.g. #vip (# for user tags, $ for conversion tags).")},
        ("name",),
        "Create a new tag on a brand avatar, so it can be put on subscribers.",
        ({"avatar_id": "2", "name": "#webinar"},),
    ),
    write(
        "tag-subscriber", "Tag subscriber", "tag", "/tags/add",
        {"subscriber_id": SUBSCRIBER_ID, "tag": string("The tag's name, e.g. #lead (it must exist: create-tag).")},
        ("subscriber_id", "tag"),
        "Put an existing tag (label) on one subscriber. For many subscribers at once use bulk-tag-subscribers.",
        ({"avatar_id": "2", "subscriber_id": "1002", "tag": "#vip"},),
    ),
    write(
        "untag-subscriber", "Untag subscriber", "tag", "/tags/delete",
        {"subscriber_id": SUBSCRIBER_ID, "tag": string("The tag's name, e.g. #lead.")},
        ("subscriber_id", "tag"),
        "Remove a tag (label) from one subscriber; the tag itself stays.",
        ({"avatar_id": "2", "subscriber_id": "1001", "tag": "#lead"},),
        destructive=True,
    ),
    read(
        "list-custom-fields", "List custom fields", "custom field", "/customfields/list", CUSTOM_FIELD, "custom field",
        "List a brand avatar's custom fields (the extra data stored on subscribers) with their ids and names.",
        ({"avatar_id": "2"},),
    ),
    write(
        "create-custom-field", "Create custom field", "custom field", "/customfields/create",
        {
            "custom_field_name": string("The field's name, e.g. business_type."),
            "custom_field_type": string("The field's type, e.g. text (SmartEngage's list of types is not documented)."),
            "custom_field_title": string("A title shown in SmartEngage."),
            "custom_field_desc": string("A description."),
        },
        ("custom_field_name", "custom_field_type"),
        "Define a new custom field on a brand avatar, to store data such as a business type on each subscriber.",
        ({"avatar_id": "2", "custom_field_name": "company_size", "custom_field_type": "text", "custom_field_title": "Company size"},),
    ),
    write(
        "set-subscriber-custom-field", "Set subscriber custom field", "custom field", "/customfields/update",
        {
            "subscriber_id": SUBSCRIBER_ID,
            "field": string("The custom field's name (list-custom-fields shows them)."),
            "value": string("The value to store.", min_length=None),
        },
        ("subscriber_id", "field", "value"),
        "Set the value of a custom field for one subscriber, e.g. business type = yoga studio.",
        ({"avatar_id": "2", "subscriber_id": "1001", "field": "business_type", "value": "yoga studio"},),
    ),
    read(
        "list-sequences", "List sequences", "sequence", "/sequences/list", SEQUENCE, "sequence",
        "List a brand avatar's sequences (automated drip or autoresponder series) with their ids and names.",
        ({"avatar_id": "2"},),
    ),
    write(
        "add-subscriber-to-sequence", "Add subscriber to sequence", "sequence", "/sequences/add",
        {"subscriber_id": SUBSCRIBER_ID, "sequence": identifier("The sequence's id (list-sequences shows them).", numeric=True)},
        ("subscriber_id", "sequence"),
        "Enrol one subscriber in a sequence, which starts its scheduled messages to them.",
        ({"avatar_id": "2", "subscriber_id": "1002", "sequence": "1"},),
    ),
    write(
        "remove-subscriber-from-sequence", "Remove subscriber from sequence", "sequence", "/sequences/remove",
        {"subscriber_id": SUBSCRIBER_ID, "sequence": identifier("The sequence's id.", numeric=True)},
        ("subscriber_id", "sequence"),
        "Take one subscriber out of a sequence, stopping its remaining messages to them.",
        ({"avatar_id": "2", "subscriber_id": "1001", "sequence": "1"},),
        destructive=True,
    ),
    BULK_TAG_SUBSCRIBERS,
)
