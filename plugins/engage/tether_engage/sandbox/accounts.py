"""Routes for account memberships and roles (engage.md §4.8–§4.11).

Memberships live on the customer: ``accounts: [{"id": <account uid>, "role": <role or null>}]``.
The Flutter and iOS SDKs call the membership endpoints with the public key alone (§1,
"Username-only auth"), so those routes accept key-only auth.
"""

from __future__ import annotations

from typing import Any

from tether.connector import SandboxContext, SandboxRequest

from .base import SANDBOX, json_object, key_auth, paths
from .model import get_user, members_of, save_user, user_view


def account_user(ctx: SandboxContext, uid: str, *, status: int) -> dict[str, Any]:
    """A user that is an account; ``status`` for one that is not (404 in a path, 400 in a body)."""
    user = ctx.collection("users").get(uid)
    if user is None:
        raise SANDBOX.fail(status, f"Account {uid} not found.")
    if not user.get("is_account"):
        raise SANDBOX.fail(400, f"User {uid} is not an account.")
    return user


def _role(value: Any) -> Any:
    if value is not None and (not isinstance(value, str) or not value):
        raise SANDBOX.fail(400, "role must be a string.")
    return value


@SANDBOX.route("POST", *paths("/users/{uid}/accounts"), auth=key_auth)  # §4.8
def add_to_accounts(req: SandboxRequest, ctx: SandboxContext):
    body = json_object(req)
    wanted = body.get("accounts")
    if not isinstance(wanted, list) or not wanted or not all(isinstance(a, dict) for a in wanted):
        raise SANDBOX.fail(400, "accounts must be a non-empty array of {id, role}.")  # §8.3
    user = get_user(ctx, req.path_params["uid"])
    memberships = [dict(a) for a in user["accounts"]]
    for requested in wanted:
        aid = requested.get("id")
        if not isinstance(aid, str) or not aid:
            raise SANDBOX.fail(400, "Each account needs an id.")
        # §4.8: both uids "should exist in your account"; an unknown account is 400 [INF].
        account_user(ctx, aid, status=400)
        current = next((m for m in memberships if m["id"] == aid), None)
        if current is None:
            # §2.3 [V-test]: without a role, `role` is null rather than absent.
            memberships.append({"id": aid, "role": _role(requested.get("role"))})
        elif "role" in requested:
            current["role"] = _role(requested["role"])
    return user_view(ctx, save_user(ctx, {**user, "accounts": memberships}))


@SANDBOX.route("PUT", *paths("/users/{uid}/accounts/{aid}"), auth=key_auth)  # §4.10
def change_role(req: SandboxRequest, ctx: SandboxContext):
    body = json_object(req)
    role = body.get("role")
    if not isinstance(role, str) or not role:
        raise SANDBOX.fail(400, "role is required.")
    user = get_user(ctx, req.path_params["uid"])
    aid = req.path_params["aid"]
    if not any(m["id"] == aid for m in user["accounts"]):
        raise SANDBOX.fail(404, "User is not a member of this account.")  # undocumented [INF]
    memberships = [{**m, "role": role} if m["id"] == aid else m for m in user["accounts"]]
    return user_view(ctx, save_user(ctx, {**user, "accounts": memberships}))


@SANDBOX.route("DELETE", *paths("/users/{uid}/accounts/{aid}"), auth=key_auth)  # §4.9
def remove_from_account(req: SandboxRequest, ctx: SandboxContext):
    user = get_user(ctx, req.path_params["uid"])
    # Removing a membership that is not there leaves the user as it is [INF]: a pull, which
    # also keeps a retried DELETE harmless.
    memberships = [m for m in user["accounts"] if m["id"] != req.path_params["aid"]]
    return user_view(ctx, save_user(ctx, {**user, "accounts": memberships}))


@SANDBOX.route("GET", *paths("/users/{uid}/members"))  # §4.11
def list_members(req: SandboxRequest, ctx: SandboxContext):
    account = account_user(ctx, req.path_params["uid"], status=404)
    # §4.11 [INF]: {"data": [member user objects]}, without pagination.
    return {"data": [user_view(ctx, m) for m in members_of(ctx, account["uid"])]}
