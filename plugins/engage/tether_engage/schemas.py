"""JSON Schemas shared by Engage's actions: its objects (output) and its parameters (input).

Objects follow engage.md §2.3 (user) and §2.4 (list). Output schemas stay open
(``additionalProperties`` allowed) because Engage may add fields; input schemas are closed
(the kit's ``input_object``) so that a typo is refused before anything is sent.
"""

from __future__ import annotations

from typing import Any

from tether.connector import array, boolean, integer, nullable, obj, string

# -- output: Engage's objects ------------------------------------------------------------------

USER = obj(
    {
        "id": string("Engage's internal id of the user (24 hex characters); not the uid.", min_length=None),
        "uid": string("The user's id in your application; every other action takes this one.", min_length=None),
        "uid_updateable": boolean(
            "Present (true) when the user was created without an app id, e.g. by subscribe-user-to-list; "
            "update-user can then set the uid."
        ),
        "first_name": nullable("string", "First name."),
        "last_name": nullable("string", "Last name."),
        "email": nullable("string", "Email address."),
        "number": nullable("string", "Phone number in international format; Engage returns it as a string even when it was sent as a number."),
        "devices": array(
            obj(
                {
                    "token": string("Push token (FCM, APNs or Expo).", min_length=None),
                    "platform": nullable("string", "android or ios."),
                }
            ),
            "The user's last 5 push device tokens.",
        ),
        "accounts": array(
            obj(
                {
                    "id": string("The account's uid.", min_length=None),
                    "role": nullable("string", "The customer's role in that account; null when none was set."),
                }
            ),
            "Accounts (companies, teams) this customer belongs to.",
        ),
        "is_account": boolean("True for an Account, false for a Customer."),
        "member_count": nullable("integer", "Number of members when the user is an account; null for customers."),
        "archived": boolean("True once the user has been archived."),
        "lists": array(
            obj(
                {
                    "id": string("The list's id.", min_length=None),
                    "subscribed": boolean("False when the user unsubscribed but stays on the list."),
                }
            ),
            "Lists the user is on, with their subscription status.",
        ),
        "segments": array(
            obj(
                {
                    "id": string("The segment's id.", min_length=None),
                    "suppressed": boolean("Whether the user is suppressed in that segment."),
                }
            ),
            "Segments the user falls in.",
        ),
        "meta": {"type": "object", "description": "Custom attributes (string, number or boolean values)."},
        "created_at": nullable("string", "When the user signed up (ISO 8601)."),
        "last_interaction": nullable("string", "When the user last interacted (ISO 8601)."),
        "stats": {"type": "object", "description": "Message counts: delivered, failed, opened, clicked, unique_opens, unique_clicks."},
    },
    "An Engage user: a Customer (a person), or an Account (a company or team) when is_account is true.",
    required=("id", "uid"),
)

LIST = obj(
    {
        "id": string("The list's id (24 hex characters).", min_length=None),
        "title": string("Title (up to 64 characters).", min_length=None),
        "description": nullable("string", "Description (up to 255 characters)."),
        "subscriber_count": integer("Number of subscribers, pending confirmations included."),
        "broadcast_count": integer("Number of broadcasts sent to the list."),
        "double_optin": boolean("Whether subscribers must confirm by email first."),
        "redirect_url": nullable("string", "Where the subscription form redirects to (not used for API subscriptions)."),
        "created_at": nullable("string", "When the list was created (ISO 8601)."),
    },
    "An Engage List: subscribers you can send broadcasts to.",
    required=("id", "title"),
)

STATUS = obj(
    {"status": string("Engage's acknowledgement: \"ok\", or \"queued\" for work done later.", min_length=None)},
    required=("status",),
)


def page_of(item: dict[str, Any], noun: str) -> dict[str, Any]:
    """A page of a cursor-paginated listing (engage.md §2.2)."""
    return obj(
        {
            "data": array(item, f"The {noun} on this page (every {noun[:-1]} with all=true)."),
            "next_cursor": string("Pass as next_cursor for the next page; absent on the last page.", min_length=None),
            "previous_cursor": string("Pass as previous_cursor for the previous page; absent on the first page.", min_length=None),
        },
        required=("data",),
    )


# -- input: parameters -------------------------------------------------------------------------

SCALAR_MAP = {
    "type": "object",
    "additionalProperties": {"type": ["string", "number", "boolean"]},
}


def uid(description: str = "The user's id in your application (the uid you gave when creating them), not Engage's internal id.") -> dict[str, Any]:
    return string(description)


LIST_ID = string("The list's id, as returned by create-list or list-lists.")

# The user attributes Engage accepts on create and update (engage.md §4.1, §4.3).
USER_ATTRIBUTES: dict[str, Any] = {
    # The official SDK's own email check (engage.md §6.1).
    "email": string("Email address.", min_length=None, pattern=r"^\S+@\S+$"),
    "number": string("Phone number in international format, e.g. 2348012345678 or +2348012345678."),
    "first_name": string("First name.", min_length=None),
    "last_name": string("Last name.", min_length=None),
    "created_at": string("When the user signed up in your app, as an ISO 8601 date, e.g. 2025-01-12T05:24:39Z.", min_length=None),
    "is_account": boolean("True makes the user an Account (a company or team customers belong to); false a Customer."),
    "device_token": string("A push notification device token to add to the user's devices."),
    "device_platform": string("Platform of device_token: android or ios.", min_length=None, enum=["android", "ios"]),
    "meta": {
        **SCALAR_MAP,
        "description": "Custom attributes (plan, company, age, …) as string, number or boolean values; merged into the user's existing ones.",
    },
}

PAGE_INPUT: dict[str, Any] = {
    "limit": integer("Items per page, 1–30 (Engage's default is 10).", minimum=1, maximum=30),
    "next_cursor": string("next_cursor from the previous page, to get the next one."),
    "previous_cursor": string("previous_cursor from a page, to go back one page. Not with next_cursor or all."),
    "all": boolean("Follow the cursors through every page and return every item (streamed by the CLI)."),
}

PAGE_RULES: dict[str, Any] = {
    # Engage takes one cursor per request (engage.md §2.2).
    "not": {"required": ["next_cursor", "previous_cursor"]},
    # all=true follows next_cursor forward; a previous_cursor would then ride along with it.
    "if": {"properties": {"all": {"const": True}}, "required": ["all"]},
    "then": {"not": {"required": ["previous_cursor"]}},
}
