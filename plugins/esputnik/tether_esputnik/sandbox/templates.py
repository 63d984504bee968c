"""Email templates: the platform's "email messages" (§B5.15)."""

from __future__ import annotations

from typing import Any

from .base import body, fail, page_reply, page_window
from .routes import api_route

FIELDS = ("name", "from", "subject", "htmlText", "plainText", "tags")


def _template(ctx: Any, req: Any) -> dict[str, Any]:
    found = ctx.collection("templates").get(req.path_params["id"]) if req.path_params["id"].isdigit() else None
    if found is None:
        raise fail(404, f"Message with id='{req.path_params['id']}' not found")  # §B9 [3P]: unknown id → 404
    return found


def _checked(payload: Any) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise fail(400, "Request body must be a JSON object")
    for name in ("name", "from", "subject", "htmlText"):
        if not payload.get(name):
            raise fail(400, f"{name} is required")  # [INF text]
    return {k: payload[k] for k in FIELDS if k in payload}


@api_route("GET", "/v1/messages/email")
def search(req: Any, ctx: Any) -> Any:
    # dkulyk: "Search email-messages on the part of the name or label", 1-based pages [TotalCount: INF].
    offset, rows = page_window(req)
    text = (req.query.get("search") or "").lower()

    def hit(t: dict[str, Any]) -> bool:
        return text in t["name"].lower() or any(text in tag.lower() for tag in t.get("tags") or [])

    collection = ctx.collection("templates")
    where = hit if text else None
    page = collection.slice(offset, rows, where=where)
    total = collection.count() if where is None else len(collection.find(hit))
    return page_reply(page, total)


@api_route("POST", "/v1/messages/email")
def create(req: Any, ctx: Any) -> Any:
    template = {"id": ctx.next_id("template", 3001), **_checked(body(req))}
    template.setdefault("tags", [])
    ctx.collection("templates").put(str(template["id"]), template)
    return {"id": template["id"]}


@api_route("GET", "/v1/messages/email/{id}", family="email-message")
def get(req: Any, ctx: Any) -> Any:
    return _template(ctx, req)


@api_route("PUT", "/v1/messages/email/{id}")
def update(req: Any, ctx: Any) -> Any:
    template = _template(ctx, req)
    template.update(_checked(body(req)))
    ctx.collection("templates").put(str(template["id"]), template)
    return None


@api_route("DELETE", "/v1/messages/email/{id}")
def delete(req: Any, ctx: Any) -> Any:
    template = _template(ctx, req)
    ctx.collection("templates").delete(str(template["id"]))
    return None
