"""Input pieces and output shapes shared by SmartEngage's actions.

Output shapes follow what a source shows (B3): the avatar list from the vendor's example, tags,
custom fields and sequences from Airbyte's schemas (ids required, names string or null, more
fields allowed). Every value is a string (B3 "All values are strings").
"""

from __future__ import annotations

from typing import Any

from tether.connector import ValidationError, array, identifier, nullable, obj, string

AVATAR_ID = identifier(
    "The brand avatar (list-avatars shows the ids). Optional when the connection has an avatar_id setting.",
    numeric=True,
)


def any_id(description: str) -> dict[str, Any]:
    """An id whose format no source shows: any non-empty text, or a whole number (sent as text)."""
    return {"type": ["string", "integer"], "minLength": 1, "minimum": 1, "description": description}


SUBSCRIBER_ID = any_id("The subscriber's id (list-subscribers shows them).")


def avatar(inp: dict[str, Any], ctx: Any) -> str:
    """The avatar an action acts on: its input's, else the connection's setting; neither is an error.

    Raised before any request is built, so nothing is sent.
    """
    value = inp.get("avatar_id", ctx.settings.get("avatar_id"))
    if value is None or value == "":
        raise ValidationError(
            "avatar_id is needed: give it in the input (\"avatar_id\": \"3\") or once as the connection's setting "
            "(tether connection update CONNECTION_ID --setting avatar_id=3); list-avatars shows your avatars' ids",
            path="input.avatar_id",
        )
    return str(value)


def form(inp: dict[str, Any], ctx: Any, fields: tuple[str, ...]) -> dict[str, str]:
    """The form body of a write: the avatar, then the given input fields that are present, as text."""
    body = {"avatar_id": avatar(inp, ctx)}
    body.update({name: str(inp[name]) for name in fields if name in inp})
    return body


def text(description: str) -> dict[str, Any]:
    return nullable("string", description)


AVATAR = obj(
    {
        "avatar_id": string("The avatar's id.", min_length=None),
        "brand_name": text("The brand's name."),
        "brand_image": text("URL of the brand's image."),
        "user_role": text("Your role on this avatar (a number as text)."),
        "facebook_page_id": text("The Facebook page the avatar belongs to."),
    },
    "A brand avatar.",
    required=("avatar_id",),
)
TAG = obj(
    {"tag_id": string("The tag's id (unique within its avatar only).", min_length=None), "tag_name": text("The tag, e.g. #lead or $purchased.")},
    "A tag.",
    required=("tag_id",),
)
CUSTOM_FIELD = obj(
    {
        "custom_field_id": string("The field's id (unique within its avatar only).", min_length=None),
        "custom_field_name": text("The field's name."),
    },
    "A custom field.",
    required=("custom_field_id",),
)
SEQUENCE = obj(
    {"sequence_id": string("The sequence's id (unique within its avatar only).", min_length=None), "sequence_name": text("The sequence's name.")},
    "A sequence.",
    required=("sequence_id",),
)
# No source shows a subscriber record (B3: the list endpoint is known from one third-party
# connector), so nothing is required and every field passes through as it came.
SUBSCRIBER = obj(
    {
        "subscriber_id": {"description": "The subscriber's id."},
        "email": {"description": "Email address."},
        "first_name": {"description": "First name."},
        "last_name": {"description": "Last name."},
        "tags": {"description": "The subscriber's tags (the sandbox lists their names)."},
        "custom_fields": {"description": "Custom field values (the sandbox maps field name to value)."},
        "sequences": {"description": "The sequences the subscriber is in (the sandbox lists their ids)."},
    },
    "A subscriber, with whatever fields SmartEngage returns (no types are promised).",
)


def listing(item: dict[str, Any], noun: str) -> dict[str, Any]:
    return array(item, f"Every {noun} of the avatar, as SmartEngage returns them (one array, no pages).")


ANSWER = {
    "description": (
        "What SmartEngage answered, unchanged: the JSON body if it is JSON, otherwise its text. "
        "No source documents this answer."
    )
}
