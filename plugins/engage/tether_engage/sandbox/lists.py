"""Routes for lists and their subscribers (engage.md §4.15–§4.21, and Update List from §3)."""

from __future__ import annotations

from typing import Any

from tether.connector import SandboxContext, SandboxRequest

from .base import SANDBOX, json_object, key_auth, list_time, object_id, page, paths, require_secret
from .model import apply_attributes, check_attributes, find_user, get_list, get_user, list_view, new_user, save_user, subscribe

# engage.md §2.4: title ≤ 64 characters, description ≤ 255.
MAX_TITLE, MAX_DESCRIPTION = 64, 255


def _list_fields(body: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "title" in body or creating:
        title = body.get("title")
        if not isinstance(title, str) or not title.strip():
            raise SANDBOX.fail(400, "title is required.")
        if len(title) > MAX_TITLE:
            raise SANDBOX.fail(400, f"title must be at most {MAX_TITLE} characters.")
        out["title"] = title
    if "description" in body:
        if body["description"] is not None and not isinstance(body["description"], str):
            raise SANDBOX.fail(400, "description must be a string.")
        if len(body["description"] or "") > MAX_DESCRIPTION:
            raise SANDBOX.fail(400, f"description must be at most {MAX_DESCRIPTION} characters.")
        out["description"] = body["description"]
    if "redirect_url" in body:
        if body["redirect_url"] is not None and not isinstance(body["redirect_url"], str):
            raise SANDBOX.fail(400, "redirect_url must be a string.")
        out["redirect_url"] = body["redirect_url"]
    if "double_optin" in body:
        if not isinstance(body["double_optin"], bool):
            raise SANDBOX.fail(400, "double_optin must be a boolean.")
        out["double_optin"] = body["double_optin"]
    return out


@SANDBOX.route("POST", *paths("/lists"))  # §4.15: U+P
def create_list(req: SandboxRequest, ctx: SandboxContext):
    fields = _list_fields(json_object(req), creating=True)
    stored = {
        "id": object_id(ctx),
        "title": fields["title"],
        "description": fields.get("description"),
        "subscriber_count": 0,
        "broadcast_count": 0,
        "double_optin": fields.get("double_optin", False),
        "redirect_url": fields.get("redirect_url"),
        "created_at": list_time(ctx),
        "archived": False,
    }
    ctx.collection("lists").put(stored["id"], stored)
    return list_view(ctx, stored)


@SANDBOX.route("GET", *paths("/lists"), auth=key_auth)  # §4.16: U
def list_lists(req: SandboxRequest, ctx: SandboxContext):
    # Archived lists disappear from list results (§4.18, [3P]).
    items, cursors = page(req, ctx, "lists", match={"archived": False})
    return {"data": [list_view(ctx, item) for item in items], **cursors}


@SANDBOX.route("GET", *paths("/lists/{id}"), auth=key_auth)  # §4.17: U
def read_list(req: SandboxRequest, ctx: SandboxContext):
    # An archived list is still readable by id [INF]: only listings hide it.
    return list_view(ctx, get_list(ctx, req.path_params["id"]))


@SANDBOX.route("PUT", *paths("/lists/{id}"), auth=key_auth)  # §3 extras: Update List, U
def update_list(req: SandboxRequest, ctx: SandboxContext):
    fields = _list_fields(json_object(req), creating=False)
    stored = {**get_list(ctx, req.path_params["id"]), **fields}
    ctx.collection("lists").put(stored["id"], stored)
    return list_view(ctx, stored)


@SANDBOX.route("DELETE", *paths("/lists/{id}"))  # §4.18: U+P
def archive_list(req: SandboxRequest, ctx: SandboxContext):
    stored = get_list(ctx, req.path_params["id"])
    # "New subscribers can't be added. Existing subscribers will not be affected." Archiving
    # an archived list again answers ok as well [INF].
    ctx.collection("lists").put(stored["id"], {**stored, "archived": True})
    return {"status": "ok"}


@SANDBOX.route("POST", *paths("/lists/{id}/subscribers"), auth=key_auth)  # §4.19: U, email needs U+P
def add_subscriber(req: SandboxRequest, ctx: SandboxContext):
    body = json_object(req)
    stored = get_list(ctx, req.path_params["id"])
    if "email" in body:
        require_secret(req)  # "Passing `email` requires key and secret."
    attributes = check_attributes({k: v for k, v in body.items() if k in ("email", "number", "first_name", "last_name", "created_at", "meta")})
    if not attributes.get("email") and not attributes.get("number"):
        raise SANDBOX.fail(400, "email or number is required.")  # nothing to find or create the user by [INF]
    if stored.get("archived"):
        raise SANDBOX.fail(400, "List is archived: new subscribers can't be added.")
    user = find_user(ctx, email=attributes.get("email"), number=attributes.get("number"))
    if user is None:
        # A new contact has no app id: Engage generates its uid (here its internal id) and
        # marks it uid_updateable (§2.1, §4.19 [INF]).
        user = new_user(ctx, "", uid_updateable=True)
        user["uid"] = user["id"]
        user = apply_attributes(user, attributes)
    # An existing user's attributes are left as they are (§7, FuseWP's observation).
    save_user(ctx, subscribe(user, [stored["id"]], resubscribe=True))
    return {"uid": user["uid"]}


def _entry(ctx: SandboxContext, req: SandboxRequest) -> tuple[dict[str, Any], dict[str, Any]]:
    stored = get_list(ctx, req.path_params["id"])
    return stored, get_user(ctx, req.path_params["uid"])


@SANDBOX.route("PUT", *paths("/lists/{id}/subscribers/{uid}"))  # §4.20
def set_subscription(req: SandboxRequest, ctx: SandboxContext):
    body = json_object(req)
    if not isinstance(body.get("subscribed"), bool):
        raise SANDBOX.fail(400, "subscribed must be true or false.")
    stored, user = _entry(ctx, req)
    if not any(e["id"] == stored["id"] for e in user["lists"]):
        raise SANDBOX.fail(404, "User is not on this list.")  # undocumented [INF]
    # Resubscribing on an archived list is allowed: existing subscribers are not affected [INF].
    entries = [{**e, "subscribed": body["subscribed"]} if e["id"] == stored["id"] else e for e in user["lists"]]
    save_user(ctx, {**user, "lists": entries})
    return {"subscribed": body["subscribed"]}


@SANDBOX.route("DELETE", *paths("/lists/{id}/subscribers/{uid}"))  # §4.21
def remove_subscriber(req: SandboxRequest, ctx: SandboxContext):
    # RudderStack sends a JSON body on this DELETE (§4.21); it is read by nobody, so any is fine.
    stored, user = _entry(ctx, req)
    # Removing someone who is not on the list answers ok too [INF], like a retried DELETE.
    save_user(ctx, {**user, "lists": [e for e in user["lists"] if e["id"] != stored["id"]]})
    return {"status": "ok"}
