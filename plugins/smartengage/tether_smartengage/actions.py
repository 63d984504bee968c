"""SmartEngage's actions: five reads (B3, verified) and nine writes (B3, third-party, unverified).

Every run is declarative (one request) except bulk-tag-subscribers (see bulk.py). The avatar
comes from the input or the connection's ``avatar_id`` setting (schemas.avatar).
"""

from __future__ import annotations

from functools import partial
from typing import Any

from tether.connector import Action, input_object, rest, string

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
    any_id,
    avatar,
    form,
    listing,
)

UNVERIFIED = (
    " Unverified: this endpoint is known only from third-party documentation, and SmartEngage's answer to it "
    "is returned unchanged."
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
    name="List brand avatars",
    description=(
        "List your brands: the brand avatars (each a brand with its Facebook page) this API key can see, newest first, "
        "with each brand's avatar id, name, image and your role. Use it to find which brands you have and their ids."
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
        "List all subscribers of a brand (avatar): its whole audience, everyone subscribed (contacts, leads, "
        "people) in one array, with their subscriber ids, emails and names as SmartEngage returns them. Known only from third-party documentation, so no fields are promised.",
        ({"avatar_id": "2"},),
    ),
    write(
        "add-subscriber", "Add subscriber", "subscriber", "/subscribers/add", PROFILE, (),
        "Add a new subscriber: sign up (create, register) a contact or lead, with an email, first and "
        "last name, a Facebook id or a web-push id.",
        ({"avatar_id": "2", "email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace"},),
    ),
    write(
        "update-subscriber", "Update subscriber", "subscriber", "/subscribers/update", {"subscriber_id": SUBSCRIBER_ID, **PROFILE},
        ("subscriber_id",),
        "Edit an existing subscriber: change (fix, update) a contact's email address, first or last name, full name, "
        "Facebook id or web-push id; what you leave out stays as it is.",
        ({"avatar_id": "2", "subscriber_id": "1001", "last_name": "Byron"},),
    ),
    read(
        "list-tags", "List tags", "tag", "/tags/list", TAG, "tag",
        "List the tags: every label that exists (#hashtag user tags and $conversion tags) with its tag id and "
        "name; look up a tag's id here. Tag ids repeat across avatars.",
        ({"avatar_id": "2"},),
    ),
    write(
        "create-tag", "Create tag", "tag", "/tags/create", {"name": string("The tag, e.g. #vip (# for user tags, $ for conversion tags).")},
        ("name",),
        "Create a new tag: define (make) a label in the tag list, to use on people later.",
        ({"avatar_id": "2", "name": "#webinar"},),
    ),
    write(
        "tag-subscriber", "Tag subscriber", "tag", "/tags/add",
        {"subscriber_id": SUBSCRIBER_ID, "tag": string("The tag's name, e.g. #lead (it must exist: create-tag).")},
        ("subscriber_id", "tag"),
        "Tag one subscriber: apply (attach) an existing tag or label to a contact, e.g. mark them as #lead or as a buyer.",
        ({"avatar_id": "2", "subscriber_id": "1002", "tag": "#vip"},),
    ),
    write(
        "untag-subscriber", "Untag subscriber", "tag", "/tags/delete",
        {"subscriber_id": SUBSCRIBER_ID, "tag": string("The tag's name, e.g. #lead.")},
        ("subscriber_id", "tag"),
        "Untag one subscriber: remove (take off, detach, drop) a tag or label from a contact; the tag itself stays.",
        ({"avatar_id": "2", "subscriber_id": "1001", "tag": "#lead"},),
        destructive=True,
    ),
    read(
        "list-custom-fields", "List custom fields", "custom field", "/customfields/list", CUSTOM_FIELD, "custom field",
        "List the custom fields: the extra data properties defined for subscribers, with each field's id and "
        "name; find a custom field id here.",
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
        "Create a new custom field: define (add) a data property such as business type or company size, with its "
        "type (e.g. text), that each subscriber can hold.",
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
        "Set a subscriber's custom field value: store (record, update) the value of one field for one contact, e.g. "
        "business type = yoga studio, their city or their company name.",
        ({"avatar_id": "2", "subscriber_id": "1001", "field": "business_type", "value": "yoga studio"},),
    ),
    read(
        "list-sequences", "List sequences", "sequence", "/sequences/list", SEQUENCE, "sequence",
        "List the sequences of a brand (avatar): the automation drip campaigns and autoresponder series that "
        "exist, with each sequence id and name.",
        ({"avatar_id": "2"},),
    ),
    write(
        "add-subscriber-to-sequence", "Add subscriber to sequence", "sequence", "/sequences/add",
        {"subscriber_id": SUBSCRIBER_ID, "sequence": any_id("The sequence's id (list-sequences shows them).")},
        ("subscriber_id", "sequence"),
        "Enrol one subscriber in a sequence: put (add, start) a contact into a drip or autoresponder series, which "
        "begins its scheduled messages to them.",
        ({"avatar_id": "2", "subscriber_id": "1002", "sequence": "1"},),
    ),
    write(
        "remove-subscriber-from-sequence", "Remove subscriber from sequence", "sequence", "/sequences/remove",
        {"subscriber_id": SUBSCRIBER_ID, "sequence": any_id("The sequence's id.")},
        ("subscriber_id", "sequence"),
        "Unenroll one subscriber from a sequence: take a contact out of a drip or autoresponder series (stop it) so "
        "they receive no more of its messages.",
        ({"avatar_id": "2", "subscriber_id": "1001", "sequence": "1"},),
        destructive=True,
    ),
    BULK_TAG_SUBSCRIBERS,
)
