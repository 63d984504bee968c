"""JSON Schemas shared by Engage's actions: its objects (output) and its parameters (input).

Objects follow engage.md §2.3 (user) and §2.4 (list). Output schemas stay open
(``additionalProperties`` allowed) because Engage may add fields; input schemas are closed
so that a typo is refused before anything is sent.
"""

from __future__ import annotations

from typing import Any


def nullable(kind: str, description: str) -> dict[str, Any]:
    return {"type": [kind, "null"], "description": description}


def input_object(properties: dict[str, Any], required: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:
    """A closed input schema: unknown properties are refused (the kit requires it)."""
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    schema.update(extra)
    return schema


# -- output: Engage's objects ------------------------------------------------------------------

USER = {
    "type": "object",
    "description": "An Engage user: a Customer (a person), or an Account (a company or team) when is_account is true.",
    "properties": {
        "id": {"type": "string", "description": "Engage's internal id of the user (24 hex characters); not the uid."},
        "uid": {"type": "string", "description": "The user's id in your application; every other action takes this one."},
        "uid_updateable": {
            "type": "boolean",
            "description": (
                "Present (true) when the user was created without an app id, e.g. by subscribe-user-to-list; "
                "update-user can then set the uid."
            ),
        },
        "first_name": nullable("string", "First name."),
        "last_name": nullable("string", "Last name."),
        "email": nullable("string", "Email address."),
        "number": nullable("string", "Phone number in international format; Engage returns it as a string even when it was sent as a number."),
        "devices": {
            "type": "array",
            "description": "The user's last 5 push device tokens.",
            "items": {
                "type": "object",
                "properties": {
                    "token": {"type": "string", "description": "Push token (FCM, APNs or Expo)."},
                    "platform": nullable("string", "android or ios."),
                },
            },
        },
        "accounts": {
            "type": "array",
            "description": "Accounts (companies, teams) this customer belongs to.",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "description": "The account's uid."},
                    "role": nullable("string", "The customer's role in that account; null when none was set."),
                },
            },
        },
        "is_account": {"type": "boolean", "description": "True for an Account, false for a Customer."},
        "member_count": nullable("integer", "Number of members when the user is an account; null for customers."),
        "archived": {"type": "boolean", "description": "True once the user has been archived."},
        "lists": {
            "type": "array",
            "description": "Lists the user is on, with their subscription status.",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "description": "The list's id."},
                    "subscribed": {"type": "boolean", "description": "False when the user unsubscribed but stays on the list."},
                },
            },
        },
        "segments": {
            "type": "array",
            "description": "Segments the user falls in.",
            "items": {
                "type": "object",
                "properties": {
                    "id": {"type": "string", "description": "The segment's id."},
                    "suppressed": {"type": "boolean", "description": "Whether the user is suppressed in that segment."},
                },
            },
        },
        "meta": {"type": "object", "description": "Custom attributes (string, number or boolean values)."},
        "created_at": nullable("string", "When the user signed up (ISO 8601)."),
        "last_interaction": nullable("string", "When the user last interacted (ISO 8601)."),
        "stats": {"type": "object", "description": "Message counts: delivered, failed, opened, clicked, unique_opens, unique_clicks."},
    },
    "required": ["id", "uid"],
}

LIST = {
    "type": "object",
    "description": "An Engage List: subscribers you can send broadcasts to.",
    "properties": {
        "id": {"type": "string", "description": "The list's id (24 hex characters)."},
        "title": {"type": "string", "description": "Title (up to 64 characters)."},
        "description": nullable("string", "Description (up to 255 characters)."),
        "subscriber_count": {"type": "integer", "description": "Number of subscribers, pending confirmations included."},
        "broadcast_count": {"type": "integer", "description": "Number of broadcasts sent to the list."},
        "double_optin": {"type": "boolean", "description": "Whether subscribers must confirm by email first."},
        "redirect_url": nullable("string", "Where the subscription form redirects to (not used for API subscriptions)."),
        "created_at": nullable("string", "When the list was created (ISO 8601)."),
    },
    "required": ["id", "title"],
}

STATUS = {
    "type": "object",
    "properties": {"status": {"type": "string", "description": "Engage's acknowledgement: \"ok\", or \"queued\" for work done later."}},
    "required": ["status"],
}


def page_of(item: dict[str, Any], noun: str) -> dict[str, Any]:
    """A page of a cursor-paginated listing (engage.md §2.2)."""
    return {
        "type": "object",
        "properties": {
            "data": {"type": "array", "items": item, "description": f"The {noun} on this page (every {noun[:-1]} with all=true)."},
            "next_cursor": {"type": "string", "description": "Pass as next_cursor for the next page; absent on the last page."},
            "previous_cursor": {"type": "string", "description": "Pass as previous_cursor for the previous page; absent on the first page."},
        },
        "required": ["data"],
    }


# -- input: parameters -------------------------------------------------------------------------

SCALAR_MAP = {
    "type": "object",
    "additionalProperties": {"type": ["string", "number", "boolean"]},
}


def uid(description: str = "The user's id in your application (the uid you gave when creating them), not Engage's internal id.") -> dict[str, Any]:
    return {"type": "string", "minLength": 1, "description": description}


LIST_ID = {"type": "string", "minLength": 1, "description": "The list's id, as returned by create-list or list-lists."}

# The user attributes Engage accepts on create and update (engage.md §4.1, §4.3).
USER_ATTRIBUTES: dict[str, Any] = {
    "email": {
        "type": "string",
        "pattern": r"^\S+@\S+$",  # the official SDK's own check (engage.md §6.1)
        "description": "Email address.",
    },
    "number": {"type": "string", "minLength": 1, "description": "Phone number in international format, e.g. 2348012345678 or +2348012345678."},
    "first_name": {"type": "string", "description": "First name."},
    "last_name": {"type": "string", "description": "Last name."},
    "created_at": {"type": "string", "description": "When the user signed up in your app, as an ISO 8601 date, e.g. 2025-01-12T05:24:39Z."},
    "is_account": {"type": "boolean", "description": "True makes the user an Account (a company or team customers belong to); false a Customer."},
    "device_token": {"type": "string", "minLength": 1, "description": "A push notification device token to add to the user's devices."},
    "device_platform": {"type": "string", "enum": ["android", "ios"], "description": "Platform of device_token: android or ios."},
    "meta": {
        **SCALAR_MAP,
        "description": "Custom attributes (plan, company, age, …) as string, number or boolean values; merged into the user's existing ones.",
    },
}

PAGE_INPUT: dict[str, Any] = {
    "limit": {"type": "integer", "minimum": 1, "maximum": 30, "description": "Items per page, 1–30 (Engage's default is 10)."},
    "next_cursor": {"type": "string", "minLength": 1, "description": "next_cursor from the previous page, to get the next one."},
    "previous_cursor": {
        "type": "string",
        "minLength": 1,
        "description": "previous_cursor from a page, to go back one page. Not with next_cursor or all.",
    },
    "all": {"type": "boolean", "description": "Follow the cursors through every page and return every item (streamed by the CLI)."},
}

PAGE_RULES: dict[str, Any] = {
    # Engage takes one cursor per request (engage.md §2.2).
    "not": {"required": ["next_cursor", "previous_cursor"]},
    # all=true follows next_cursor forward; a previous_cursor would then ride along with it.
    "if": {"properties": {"all": {"const": True}}, "required": ["all"]},
    "then": {"not": {"required": ["previous_cursor"]}},
}
