"""Accounts: which customers belong to which company, and in what role (engage.md §4.8–§4.11)."""

from __future__ import annotations

from typing import Any

from tether.connector import Action, Response, array, input_object, obj, rest, string

from .. import samples
from ..schemas import USER, uid
from .users import ACCOUNT_REF


ADD_CUSTOMER_TO_ACCOUNTS = Action(
    key="add-customer-to-accounts",
    name="Add customer to accounts",
    description=(
        "Link a customer to one or more accounts (the companies, organizations, teams or workspaces in Engage's B2B "
        "model), making them a member, optionally with a role in each such as admin or owner. Use when a person joins "
        "a company. Each account must already exist as a user with is_account true."
    ),
    entity="account",
    input_schema=input_object(
        {
            "uid": uid("The uid of the customer to add."),
            "accounts": {
                "type": "array",
                "items": ACCOUNT_REF,
                "minItems": 1,
                "description": "The accounts to join, each with the account's uid (id) and an optional role.",
            },
        },
        ("uid", "accounts"),
    ),
    output_schema=USER,
    # Adding the same memberships again changes nothing, so a retry is safe.
    run=rest("POST", "/users/{uid}/accounts", body=("accounts",), idempotent=True),
    examples=(
        {"uid": samples.KATHERINE, "accounts": [{"id": samples.ACME, "role": "developer"}, {"id": samples.GLOBEX}]},
    ),
    idempotent=True,
)


REMOVE_CUSTOMER_FROM_ACCOUNT = Action(
    key="remove-customer-from-account",
    name="Remove customer from account",
    description=(
        "Take a customer out of an account (a company, organization or team) they belong to, dropping their "
        "membership and role there, e.g. when someone leaves the company. Both users stay in Engage."
    ),
    entity="account",
    input_schema=input_object(
        {"uid": uid("The uid of the customer to remove."), "aid": uid("The uid of the account to remove them from.")},
        ("uid", "aid"),
    ),
    output_schema=USER,
    run=rest("DELETE", "/users/{uid}/accounts/{aid}"),
    examples=({"uid": samples.GRACE, "aid": samples.ACME},),
    destructive=True,
    idempotent=True,
)


UPDATE_ACCOUNT_ROLE = Action(
    key="update-account-role",
    name="Update account role",
    description=(
        "Change or set a customer's role in an account they already belong to, e.g. promote a member to admin "
        "or owner. Use add-customer-to-accounts first if they are not a member yet."
    ),
    entity="account",
    input_schema=input_object(
        {
            "uid": uid("The uid of the customer whose role changes."),
            "aid": uid("The uid of the account."),
            "role": string("The new role, e.g. admin, owner or member."),
        },
        ("uid", "aid", "role"),
    ),
    output_schema=USER,
    run=rest("PUT", "/users/{uid}/accounts/{aid}", body=("role",)),
    examples=({"uid": samples.ALAN, "aid": samples.ACME, "role": "owner"},),
    idempotent=True,
)


def members(response: Response, inp: dict[str, Any]) -> Any:
    body = response.json()
    # engage.md §4.11 [INF]: the shape is unverified; accept a bare array or {"data": [...]}.
    if isinstance(body, list):
        return {"data": body}
    return body


GET_ACCOUNT_MEMBERS = Action(
    key="get-account-members",
    name="Get account members",
    description=(
        "List the members of an account: the customers (people, employees, seats) who belong to that company or "
        "organization, with their roles. Use to see who is in an account."
    ),
    entity="account",
    input_schema=input_object({"uid": uid("The uid of the account.")}, ("uid",)),
    output_schema=obj({"data": array(USER, "The account's members.")}, required=("data",)),
    run=rest("GET", "/users/{uid}/members", read=members),
    examples=({"uid": samples.ACME},),
    read_only=True,
    idempotent=True,
)


ACTIONS = (ADD_CUSTOMER_TO_ACCOUNTS, REMOVE_CUSTOMER_FROM_ACCOUNT, UPDATE_ACCOUNT_ROLE, GET_ACCOUNT_MEMBERS)
