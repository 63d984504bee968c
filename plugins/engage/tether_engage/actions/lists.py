"""Lists and their subscribers (engage.md §4.14–§4.21)."""

from __future__ import annotations

from tether.connector import Action, CursorPages, boolean, input_object, obj, rest, string

from .. import samples
from ..schemas import LIST, LIST_ID, PAGE_INPUT, PAGE_RULES, STATUS, USER, USER_ATTRIBUTES, page_of, uid

# -- the lists themselves ------------------------------------------------------------------------


CREATE_LIST = Action(
    key="create-list",
    name="Create list",
    description=(
        "Create a new list (a mailing or subscriber list, e.g. a newsletter or waitlist) with a title and optional "
        "description, double opt-in and redirect URL. Returns the list and its id, used to subscribe people to it."
    ),
    entity="list",
    input_schema=input_object(
        {
            # engage.md §2.4: title ≤ 64 characters, description ≤ 255.
            "title": string("The list's title (up to 64 characters).", maxLength=64),
            "description": string("What the list is for (up to 255 characters).", min_length=None, maxLength=255),
            "double_optin": boolean("Ask new subscribers to confirm by email before they are added."),
            "redirect_url": string("Where the list's signup form sends people after subscribing."),
        },
        ("title",),
    ),
    output_schema=LIST,
    run=rest("POST", "/lists", body=("title", "description", "redirect_url", "double_optin")),
    examples=({"title": "Spring launch", "description": "People who want to hear about the spring launch", "double_optin": False},),
)


GET_LIST = Action(
    key="get-list",
    name="Get list",
    description=(
        "Get one mailing list by its id: title, description, how many subscribers it has, how many broadcasts were "
        "sent to it, and its double opt-in setting."
    ),
    entity="list",
    input_schema=input_object({"id": LIST_ID}, ("id",)),
    output_schema=LIST,
    run=rest("GET", "/lists/{id}"),
    examples=({"id": samples.NEWSLETTER},),
    read_only=True,
    idempotent=True,
)


LIST_LISTS = Action(
    key="list-lists",
    name="List lists",
    description=(
        "List the mailing lists the Engage workspace has, with their subscriber counts, a page at a time or all of "
        "them with all=true. Archived lists are not shown. Use to see which lists exist or find a list's id by its title."
    ),
    entity="list",
    input_schema=input_object(dict(PAGE_INPUT), **PAGE_RULES),
    output_schema=page_of(LIST, "lists"),
    run=rest("GET", "/lists", query=("limit", "next_cursor", "previous_cursor")),
    examples=({"limit": 2}, {"all": True}),
    read_only=True,
    idempotent=True,
    pages=CursorPages(items="data", next="next_cursor", param="next_cursor", size_param="limit", max_size=30, drop=("previous_cursor",)),
)


ARCHIVE_LIST = Action(
    key="archive-list",
    name="Archive list",
    description=(
        "Archive (retire, close) a list: it stops accepting new subscribers or signups, while existing subscribers "
        "stay on it. This is how a list is retired; Engage's API has no other way to delete one. An archived list "
        "no longer appears in list-lists."
    ),
    entity="list",
    input_schema=input_object({"id": {**LIST_ID, "description": "The id of the list to archive."}}, ("id",)),
    output_schema=STATUS,
    run=rest("DELETE", "/lists/{id}"),
    examples=({"id": samples.PRODUCT_UPDATES},),
    destructive=True,
    idempotent=True,
)


# -- who is on a list ----------------------------------------------------------------------------


ADD_USER_TO_LISTS = Action(
    key="add-user-to-lists",
    name="Add user to lists",
    description=(
        "Add an existing user (customer or account) to one or more mailing lists, such as a newsletter, by user uid "
        "and list ids, subscribing them. To subscribe someone by email address instead, creating them if needed, use "
        "subscribe-user-to-list."
    ),
    entity="list",
    input_schema=input_object(
        {
            "uid": uid("The uid of the customer or account to add."),
            "lists": {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "minItems": 1,
                "description": "Ids of the lists to add the user to.",
            },
        },
        ("uid", "lists"),
    ),
    # engage.md §4.14 [INF]: the response is unverified; the user object is the likeliest.
    output_schema=USER,
    run=rest("POST", "/users/{uid}/lists", body=("lists",), idempotent=True),
    examples=({"uid": samples.KATHERINE, "lists": [samples.NEWSLETTER, samples.PRODUCT_UPDATES]},),
    idempotent=True,
)


SUBSCRIBE_USER_TO_LIST = Action(
    key="subscribe-user-to-list",
    name="Subscribe user to list",
    description=(
        "Subscribe an email address or phone number to a list such as a newsletter, creating the contact if they "
        "are not in Engage yet; returns their uid. Use for signup and opt-in forms, without an app user id. An "
        "existing user (same email or number) is subscribed without changing their attributes."
    ),
    entity="list",
    input_schema=input_object(
        {
            "id": {**LIST_ID, "description": "The id of the list to subscribe to."},
            "email": USER_ATTRIBUTES["email"] | {"description": "The subscriber's email address. Give email or number (or both)."},
            "number": USER_ATTRIBUTES["number"] | {"description": "The subscriber's phone number in international format. Give email or number."},
            "first_name": USER_ATTRIBUTES["first_name"],
            "last_name": USER_ATTRIBUTES["last_name"],
            "created_at": USER_ATTRIBUTES["created_at"],
            "meta": {**USER_ATTRIBUTES["meta"], "description": "Custom attributes for a new subscriber (string, number or boolean values)."},
        },
        ("id",),
        # Engage needs something to find or create the user by (engage.md §4.19).
        allOf=[{"if": {"not": {"required": ["number"]}}, "then": {"required": ["email"]}}],
    ),
    output_schema=obj({"uid": string("The subscriber's uid (generated by Engage for a new contact).", min_length=None)}, required=("uid",)),
    run=rest("POST", "/lists/{id}/subscribers", body=("email", "number", "first_name", "last_name", "created_at", "meta")),
    examples=(
        {"id": samples.NEWSLETTER, "email": "nia@example.com", "first_name": "Nia", "meta": {"source": "footer form"}},
        {"id": samples.PRODUCT_UPDATES, "email": "katherine@example.com"},
    ),
)


UPDATE_SUBSCRIBER_STATUS = Action(
    key="update-subscriber-status",
    name="Update subscriber status",
    description=(
        "Unsubscribe a user from a list, or resubscribe them, by setting subscribed to false or true; they stay on "
        "the list either way. Use to opt someone out of (or back into) a newsletter or mailing list."
    ),
    entity="list",
    input_schema=input_object(
        {
            "id": {**LIST_ID, "description": "The id of the list."},
            "uid": uid("The subscriber's uid."),
            "subscribed": boolean("true to subscribe or resubscribe, false to unsubscribe."),
        },
        ("id", "uid", "subscribed"),
    ),
    output_schema=obj({"subscribed": boolean("The subscriber's status now.")}, required=("subscribed",)),
    run=rest("PUT", "/lists/{id}/subscribers/{uid}", body=("subscribed",)),
    examples=(
        {"id": samples.NEWSLETTER, "uid": samples.GRACE, "subscribed": False},
        {"id": samples.NEWSLETTER, "uid": samples.ALAN, "subscribed": True},
    ),
    idempotent=True,
)


DELETE_SUBSCRIBER_FROM_LIST = Action(
    key="delete-subscriber-from-list",
    name="Delete subscriber from list",
    description=(
        "Remove a user from a list entirely, deleting their membership rather than just unsubscribing them. "
        "To opt someone out but keep them on the list, use update-subscriber-status."
    ),
    entity="list",
    input_schema=input_object(
        {
            "list_id": {**LIST_ID, "description": "The id of the list to remove the subscriber from."},
            "subscriber_uid": uid("The uid of the subscriber to remove."),
        },
        ("list_id", "subscriber_uid"),
    ),
    output_schema=STATUS,
    run=rest("DELETE", "/lists/{list_id}/subscribers/{subscriber_uid}"),
    examples=({"list_id": samples.NEWSLETTER, "subscriber_uid": samples.ALAN},),
    destructive=True,
    idempotent=True,
)


ACTIONS = (
    CREATE_LIST,
    GET_LIST,
    LIST_LISTS,
    ARCHIVE_LIST,
    ADD_USER_TO_LISTS,
    SUBSCRIBE_USER_TO_LIST,
    UPDATE_SUBSCRIBER_STATUS,
    DELETE_SUBSCRIBER_FROM_LIST,
)
