"""Segments (groups) and their members (§B5.8; attach/detach per the docs quoted in §B4)."""

from __future__ import annotations

from typing import Any

from . import model
from .base import body, fail, page_reply, page_window
from .routes import api_route

MAX_IDS = 500


@api_route("GET", "/v1/groups")
def groups(req: Any, ctx: Any) -> Any:
    # §B5.8: ?name= (a substring), 1-based pages; [{"id","name","type"}], TotalCount [INF on groups].
    offset, rows = page_window(req)
    name = (req.query.get("name") or "").lower()
    where = (lambda g: name in g["name"].lower()) if name else None
    collection = ctx.collection("groups")
    page = collection.slice(offset, rows, where=where)
    total = collection.count() if where is None else len(collection.find(where))
    return page_reply([{"id": g["id"], "name": g["name"], "type": g["type"]} for g in page], total)


def _group(ctx: Any, req: Any) -> dict[str, Any]:
    group = model.group(ctx, req.path_params["id"])
    if group is None:
        raise fail(404, f"Group with id='{req.path_params['id']}' not found")  # [INF text]
    return group


@api_route("GET", "/v1/group/{id}/contacts")
def group_contacts(req: Any, ctx: Any) -> Any:
    # §B5.8: the segment's contacts, 1-based pages of at most 500, TotalCount header.
    group = _group(ctx, req)
    offset, rows = page_window(req)
    members = ctx.collection("members")
    page = members.slice(offset, rows, match={"group": group["id"]})
    contacts = [model.get(ctx, m["contact"]) for m in page]
    return page_reply([model.render(ctx, c) for c in contacts if c], members.count({"group": group["id"]}))


def _members(ctx: Any, payload: Any) -> list[dict[str, Any]]:
    """The contacts a request names: by contactIds or by externalCustomerIds, one kind only."""
    payload = payload or {}
    ids, external = payload.get("contactIds"), payload.get("externalCustomerIds")
    if ids and external:
        raise fail(400, "Use only one contact identifier: contactIds or externalCustomerIds")
    given = ids or external or []
    if not isinstance(given, list):
        raise fail(400, "contactIds and externalCustomerIds must be arrays")
    if len(given) > MAX_IDS:
        raise fail(400, f"The maximum number of contacts in one request is {MAX_IDS}")
    found = [model.get(ctx, i) if ids else model.by_external_id(ctx, str(i)) for i in given]
    return [c for c in found if c is not None]  # unknown contacts are skipped [INF]


def _static(group: dict[str, Any]) -> None:
    if group["type"] != "Static":
        raise fail(400, f"Group with id='{group['id']}' is not a static segment")  # "List type" only [INF text]


@api_route("POST", "/v1/group/{id}/contacts/attach")
def attach(req: Any, ctx: Any) -> Any:
    group = _group(ctx, req)
    _static(group)
    for contact in _members(ctx, body(req)):
        model.join(ctx, group["id"], contact)
    return None


@api_route("POST", "/v1/group/{id}/contacts/detach")
def detach(req: Any, ctx: Any) -> Any:
    group = _group(ctx, req)
    _static(group)
    payload = body(req) or {}
    if not payload.get("contactIds") and not payload.get("externalCustomerIds"):
        # "If you do not specify IDs, all contacts will be removed from the segment."
        for member in ctx.collection("members").find(lambda m: m["group"] == group["id"]):
            contact = model.get(ctx, member["contact"], include_deleted=True)
            if contact:
                model.leave(ctx, group["id"], contact)
            ctx.collection("members").delete(f"{group['id']}:{member['contact']}")
        return None
    for contact in _members(ctx, payload):
        model.leave(ctx, group["id"], contact)
    return None
