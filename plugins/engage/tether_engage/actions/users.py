"""Users: customers and accounts (engage.md §4.1–§4.7, §4.12, §4.13)."""

from __future__ import annotations

from typing import Any

from tether.connector import Action, ActionGen, CursorPages, Request, RunContext, TetherError, input_object, obj, pick, rest, string

from .. import samples
from ..schemas import PAGE_INPUT, PAGE_RULES, SCALAR_MAP, STATUS, USER, USER_ATTRIBUTES, page_of, uid

ACCOUNT_REF = obj(
    {
        "id": string("The account's uid (a user with is_account true)."),
        "role": string("The customer's role in that account, e.g. admin or owner."),
    },
    required=("id",),
    additionalProperties=False,
)


# -- create-user ---------------------------------------------------------------------------------


def create_user(inp: dict[str, Any], ctx: RunContext) -> ActionGen:
    # The catalog names the app id `id` (engage.md §4.1, body `id`); `uid` is accepted as
    # well because every other action calls it that.
    user_id = inp["id"] if "id" in inp else inp["uid"]
    body = {"id": user_id, **pick(inp, (*USER_ATTRIBUTES, "lists"))}
    response = yield Request("POST", "/users", json=body)
    user = response.json()
    if inp.get("accounts"):
        # POST /users takes no accounts (engage.md §4.1), so they are added by the
        # accounts endpoint (§4.8) right after; the user exists whatever happens next.
        try:
            response = yield Request(
                "POST", "/users/{uid}/accounts", path_params={"uid": user_id}, json={"accounts": inp["accounts"]}, idempotent=True
            )
        except TetherError as exc:
            exc.add_context(
                f"User {user_id!r} was created, but adding it to its accounts failed; retry with add-customer-to-accounts",
                user_created=True,
                uid=user_id,
            )
            raise
        user = response.json()
    return user


CREATE_USER = Action(
    key="create-user",
    name="Create user",
    description=(
        "Create a new user in Engage when someone signs up or registers: a customer (a person or contact) or, with "
        "is_account, an account (a company). Give email, phone number, first and last name, signup date, custom "
        "attributes (meta) and a push device token, and optionally subscribe them to lists or add them to accounts. "
        "Fails if the uid already exists: use update-user to create or update (upsert)."
    ),
    entity="user",
    input_schema=input_object(
        {
            "id": uid("The new user's id in your application (the catalog's name for it). Give id or uid, not both."),
            "uid": uid("Same as id: the new user's id in your application. Give id or uid, not both."),
            **USER_ATTRIBUTES,
            "lists": {
                "type": "array",
                "items": {"type": "string", "minLength": 1},
                "description": "Ids of lists to subscribe the user to (no opt-in confirmation is sent).",
            },
            "accounts": {
                "type": "array",
                "items": ACCOUNT_REF,
                "minItems": 1,
                "description": "Accounts to add the user to, each with the account's uid and an optional role.",
            },
        },
        # Exactly one of id / uid: a missing one is named, both at once are refused.
        allOf=[{"if": {"not": {"required": ["uid"]}}, "then": {"required": ["id"]}}],
        **{"not": {"required": ["id", "uid"]}},
    ),
    output_schema=USER,
    run=create_user,
    examples=(
        {"id": "u-2001", "email": "ada@example.com", "first_name": "Ada", "last_name": "Lovelace", "meta": {"plan": "pro", "age": 36}},
        {
            "uid": "u-2002",
            "email": "mary@example.com",
            "number": "2348012345678",
            "lists": [samples.NEWSLETTER],
            "accounts": [{"id": samples.ACME, "role": "developer"}],
        },
    ),
)


# -- get-user ------------------------------------------------------------------------------------


GET_USER = Action(
    key="get-user",
    name="Get user",
    description=(
        "Get one user's full profile (a customer, contact or account) by uid: email, phone, custom attributes (meta), "
        "devices, lists with subscription status, accounts and roles, segments and message stats. Use to look "
        "someone up when you know their id; to find them by email use list-users."
    ),
    entity="user",
    input_schema=input_object({"uid": uid()}, ("uid",)),
    output_schema=USER,
    run=rest("GET", "/users/{uid}"),
    examples=({"uid": samples.GRACE},),
    read_only=True,
    idempotent=True,
)


# -- update-user ---------------------------------------------------------------------------------


UPDATE_USER = Action(
    key="update-user",
    name="Update user",
    description=(
        "Set or change a user's profile and attributes: name, email, phone number, custom attributes (meta, merged "
        "into existing ones, e.g. a plan change), push device token, or switch between customer and account. Creates "
        "the user if the uid does not exist yet (upsert, like an identify call)."
    ),
    entity="user",
    input_schema=input_object({"uid": uid(), **USER_ATTRIBUTES}, ("uid",)),
    output_schema=USER,
    # PUT is Engage's upsert (engage.md §4.3). Only given fields are sent; an empty meta is
    # left out as the Python SDK does (§6.3).
    run=rest("PUT", "/users/{uid}", body=tuple(USER_ATTRIBUTES)),
    examples=(
        {"uid": samples.GRACE, "first_name": "Grace", "meta": {"plan": "enterprise", "seats": 25}},
        {"uid": "u-3001", "email": "new.person@example.com", "device_token": "fcm-token-123", "device_platform": "android"},
    ),
    idempotent=True,
)


# -- list-users ----------------------------------------------------------------------------------


LIST_USERS = Action(
    key="list-users",
    name="List users",
    description=(
        "List users (customers and accounts) a page at a time, newest last, or every user with all=true. "
        "Filter by exact email address to find a user's uid from their email."
    ),
    entity="user",
    input_schema=input_object(
        {"email": string("Only users with exactly this email address."), **PAGE_INPUT},
        **PAGE_RULES,
    ),
    output_schema=page_of(USER, "users"),
    # Only what the caller gave: the core adds limit=30 itself when following every page.
    run=rest("GET", "/users", query=("limit", "next_cursor", "previous_cursor", "email")),
    examples=({"limit": 2}, {"email": "grace@example.com"}, {"all": True}),
    read_only=True,
    idempotent=True,
    pages=CursorPages(items="data", next="next_cursor", param="next_cursor", size_param="limit", max_size=30, drop=("previous_cursor",)),
)


# -- delete-user / archive-user ------------------------------------------------------------------


DELETE_USER = Action(
    key="delete-user",
    name="Delete user",
    description=(
        "Remove a user (customer or account) from Engage for good: permanently deletes the profile, attributes and "
        "events. Irreversible, e.g. for a GDPR erasure request; use archive-user to keep the history."
    ),
    entity="user",
    input_schema=input_object({"uid": uid("The uid of the customer or account to delete (your app's id, not Engage's).")}, ("uid",)),
    output_schema=STATUS,
    # Engage answers {"status": "ok"} (engage.md §4.5). No body at all is tether's 204 for a
    # retried DELETE that found the user gone after the first attempt's answer was lost.
    run=rest("DELETE", "/users/{uid}", read=lambda response, inp: response.json(default={"status": "ok"})),
    examples=({"uid": samples.DOROTHY},),
    destructive=True,
    idempotent=True,
)


ARCHIVE_USER = Action(
    key="archive-user",
    name="Archive user",
    description=(
        "Archive (deactivate, disable, hide) a customer or account: Engage stops messaging them and tracking their "
        "engagement, but keeps their profile, data and history (messages, logs). Use for a churned or inactive user "
        "instead of deleting them."
    ),
    entity="user",
    input_schema=input_object({"uid": uid("The uid of the customer or account to archive.")}, ("uid",)),
    output_schema=STATUS,
    # engage.md §4.6: no body; the response is not documented ([INF]: {"status": …}).
    run=rest("POST", "/users/{uid}/archive", idempotent=True),
    examples=({"uid": samples.DOROTHY},),
    destructive=True,
    idempotent=True,
)


# -- convert-user-type ---------------------------------------------------------------------------


CONVERT_USER_TYPE = Action(
    key="convert-user-type",
    name="Convert user type",
    description=(
        "Convert (change the type of) a user between Engage's two entity types: a customer (a person's profile) or an "
        "account (a company or organization that customers belong to). Turn a person into a company account before "
        "adding members to it, or an account back into a regular customer."
    ),
    entity="user",
    input_schema=input_object(
        {
            "uid": uid("The uid of the customer or account to convert."),
            "type": string("What the user becomes: customer or account.", min_length=None, enum=["customer", "account"]),
        },
        ("uid", "type"),
    ),
    output_schema=USER,
    run=rest("POST", "/users/{uid}/convert", body=("type",), idempotent=True),
    examples=({"uid": samples.KATHERINE, "type": "account"}, {"uid": samples.GLOBEX, "type": "customer"}),
    idempotent=True,
)


# -- merge-users ---------------------------------------------------------------------------------


MERGE_USERS = Action(
    key="merge-users",
    name="Merge users",
    description=(
        "Merge two user profiles: the source user's attributes, lists, accounts and events move into the "
        "destination user and the source profile is removed. Use to combine duplicate contacts. Engage queues "
        "the merge and answers {\"status\": \"queued\"}."
    ),
    entity="user",
    input_schema=input_object(
        {
            "source": uid("The uid of the duplicate user to merge away; it is removed."),
            "destination": uid("The uid of the user to keep; it receives the source's data."),
        },
        ("source", "destination"),
    ),
    output_schema=STATUS,
    # Not idempotent: once merged, the source no longer exists (engage.md §4.12).
    run=rest("POST", "/users/merge", body=("source", "destination")),
    examples=({"source": samples.GRACE_DUPLICATE, "destination": samples.GRACE},),
    destructive=True,
)


# -- track-user-event ----------------------------------------------------------------------------


TRACK_USER_EVENT = Action(
    key="track-user-event",
    name="Track user event",
    description=(
        "Record an event a user did (e.g. Add to cart, Paid, Completed onboarding) on their activity timeline, with an "
        "optional value, properties and timestamp. Use to log user behaviour for segmentation and automations."
    ),
    entity="event",
    input_schema=input_object(
        {
            "uid": uid("The uid of the customer or account the event belongs to."),
            "event": string("The event's name, e.g. Add to cart."),
            "value": {"type": ["string", "number", "boolean"], "description": "An optional value: a string, number or boolean, e.g. 49.99."},
            "properties": {**SCALAR_MAP, "description": "Extra details of the event (string, number or boolean values)."},
            "timestamp": string("When it happened, ISO 8601; defaults to now.", min_length=None),
        },
        ("uid", "event"),
    ),
    output_schema=STATUS,
    run=rest("POST", "/users/{uid}/events", body=("event", "value", "properties", "timestamp")),
    examples=(
        {"uid": samples.GRACE, "event": "Add to cart", "properties": {"product": "T123", "currency": "USD", "amount": 12.99}},
        {"uid": samples.ALAN, "event": "Paid", "value": 49.99, "timestamp": "2026-05-30T09:30:10Z"},
    ),
)


ACTIONS = (
    CREATE_USER,
    GET_USER,
    UPDATE_USER,
    LIST_USERS,
    DELETE_USER,
    ARCHIVE_USER,
    CONVERT_USER_TYPE,
    MERGE_USERS,
    TRACK_USER_EVENT,
)
