"""Lists and their subscribers (engage.md §4.14–§4.21)."""

from __future__ import annotations

from tether._models import Action
from tether._pages import CursorPages
from tether._wire import Request

from .. import samples
from ..schemas import LIST, LIST_ID, PAGE_INPUT, PAGE_RULES, STATUS, USER, USER_ATTRIBUTES, input_object, page_of, uid
from .common import pick

# -- the lists themselves ------------------------------------------------------------------------


def create_list(inp, ctx):
    response = yield Request("POST", "/lists", json=pick(inp, ("title", "description", "redirect_url", "double_optin")))
    return response.json()


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
            "title": {"type": "string", "minLength": 1, "maxLength": 64, "description": "The list's title (up to 64 characters)."},
            "description": {"type": "string", "maxLength": 255, "description": "What the list is for (up to 255 characters)."},
            "double_optin": {"type": "boolean", "description": "Ask new subscribers to confirm by email before they are added."},
            "redirect_url": {"type": "string", "minLength": 1, "description": "Where the list's signup form sends people after subscribing."},
        },
        ("title",),
    ),
    output_schema=LIST,
    run=create_list,
    examples=({"title": "Spring launch", "description": "People who want to hear about the spring launch", "double_optin": False},),
)


def get_list(inp, ctx):
    response = yield Request("GET", "/lists/{id}", path_params={"id": inp["id"]})
    return response.json()


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
    run=get_list,
    examples=({"id": samples.NEWSLETTER},),
    read_only=True,
    idempotent=True,
)


def list_lists(inp, ctx):
    response = yield Request("GET", "/lists", params=pick(inp, ("limit", "next_cursor", "previous_cursor")))
    return response.json()


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
    run=list_lists,
    examples=({"limit": 2}, {"all": True}),
    read_only=True,
    idempotent=True,
    pages=CursorPages(items="data", next="next_cursor", param="next_cursor", size_param="limit", max_size=30, drop=("previous_cursor",)),
)


def archive_list(inp, ctx):
    response = yield Request("DELETE", "/lists/{id}", path_params={"id": inp["id"]})
    return response.json()


ARCHIVE_LIST = Action(
    key="archive-list",
    name="Archive list",
    description=(
        "Archive a list: it stops accepting new subscribers and no longer appears in list-lists, while existing "
        "subscribers stay on it. This is how a list is retired; Engage's API has no other way to delete one."
    ),
    entity="list",
    input_schema=input_object({"id": {**LIST_ID, "description": "The id of the list to archive."}}, ("id",)),
    output_schema=STATUS,
    run=archive_list,
    examples=({"id": samples.PRODUCT_UPDATES},),
    destructive=True,
    idempotent=True,
)


# -- who is on a list ----------------------------------------------------------------------------


def add_user_to_lists(inp, ctx):
    response = yield Request(
        "POST", "/users/{uid}/lists", path_params={"uid": inp["uid"]}, json={"lists": inp["lists"]}, idempotent=True
    )
    return response.json()


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
    run=add_user_to_lists,
    examples=({"uid": samples.KATHERINE, "lists": [samples.NEWSLETTER, samples.PRODUCT_UPDATES]},),
    idempotent=True,
)


def subscribe_user_to_list(inp, ctx):
    body = pick(inp, ("email", "number", "first_name", "last_name", "created_at", "meta"))
    response = yield Request("POST", "/lists/{id}/subscribers", path_params={"id": inp["id"]}, json=body)
    return response.json()


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
    output_schema={
        "type": "object",
        "properties": {"uid": {"type": "string", "description": "The subscriber's uid (generated by Engage for a new contact)."}},
        "required": ["uid"],
    },
    run=subscribe_user_to_list,
    examples=(
        {"id": samples.NEWSLETTER, "email": "nia@example.com", "first_name": "Nia", "meta": {"source": "footer form"}},
        {"id": samples.PRODUCT_UPDATES, "email": "katherine@example.com"},
    ),
)


def update_subscriber_status(inp, ctx):
    response = yield Request(
        "PUT", "/lists/{id}/subscribers/{uid}", path_params={"id": inp["id"], "uid": inp["uid"]}, json={"subscribed": inp["subscribed"]}
    )
    return response.json()


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
            "subscribed": {"type": "boolean", "description": "true to subscribe or resubscribe, false to unsubscribe."},
        },
        ("id", "uid", "subscribed"),
    ),
    output_schema={
        "type": "object",
        "properties": {"subscribed": {"type": "boolean", "description": "The subscriber's status now."}},
        "required": ["subscribed"],
    },
    run=update_subscriber_status,
    examples=(
        {"id": samples.NEWSLETTER, "uid": samples.GRACE, "subscribed": False},
        {"id": samples.NEWSLETTER, "uid": samples.ALAN, "subscribed": True},
    ),
    idempotent=True,
)


def delete_subscriber_from_list(inp, ctx):
    response = yield Request(
        "DELETE", "/lists/{id}/subscribers/{uid}", path_params={"id": inp["list_id"], "uid": inp["subscriber_uid"]}
    )
    return response.json()


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
    run=delete_subscriber_from_list,
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
