"""The routes: five list endpoints (B3, B5.1) and nine form-encoded writes (B3, third-party).

Each list answers GET and POST, with and without a trailing slash (B3 note on POST
/avatars/list; B5.1: the Go connector requests ``tags/list/``). Writes read their fields from
a form body only (B2 "accepts form-encoded request bodies"): a JSON body carries no form
fields, so it gets the same missing-field 400 as an empty form [INF].
"""

from __future__ import annotations

from typing import Any

from .base import SANDBOX
from .model import KINDS, PROFILE, account_for, add_item, add_subscriber, avatars_of, items, named, owned_avatar, subscribers_of

FORM = "application/x-www-form-urlencoded"


def listing(method: str, name: str):
    return SANDBOX.route(method, f"/{name}/list", f"/{name}/list/")


def form_fields(req) -> dict[str, str]:
    return req.form() if req.content_type == FORM else {}


def required(fields: dict[str, str], *names: str) -> list[str]:
    """B3's starred fields; the first one missing is a 400 [INF status and message]."""
    for name in names:
        if not fields.get(name, "").strip():
            raise SANDBOX.fail(400, f"{name} is required.")
    return [fields[name].strip() for name in names]


def the_avatar(req, ctx, fields: dict[str, str]) -> str:
    """The request's avatar, which must belong to the key's account (404 otherwise [INF])."""
    (avatar_id,) = required(fields, "avatar_id")
    if owned_avatar(ctx, account_for(req, ctx), avatar_id) is None:
        raise SANDBOX.fail(404, "Avatar not found.")
    return avatar_id


def list_params(req) -> dict[str, str]:
    """B3: avatar_id in the query; on POST also from a form body [INF]."""
    fields = dict(form_fields(req)) if req.method == "POST" else {}
    fields.update(req.query)
    return fields


# -- reads -----------------------------------------------------------------------------------


@listing("GET", "avatars")
@listing("POST", "avatars")
def list_avatars(req, ctx):
    # Docs: no parameter; an avatar_id query (the Go connector sends one) is ignored [INF].
    return avatars_of(ctx, account_for(req, ctx))


def _kind_list(kind: str):
    def handler(req, ctx):
        return items(ctx, kind, the_avatar(req, ctx, list_params(req)))

    return handler


for _path, _kind in (("tags", "tags"), ("customfields", "custom_fields"), ("sequences", "sequences")):
    for _method in ("GET", "POST"):
        listing(_method, _path)(_kind_list(_kind))


def public(subscriber: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in subscriber.items() if k != "avatar_id"}


@listing("GET", "subscribers")
@listing("POST", "subscribers")
def list_subscribers(req, ctx):
    # B3 (polymetrics): GET /subscribers/list/?avatar_id; record shape [INF] (NOTES.md §3).
    return [public(s) for s in subscribers_of(ctx, the_avatar(req, ctx, list_params(req)))]


# -- writes ----------------------------------------------------------------------------------


def the_subscriber(ctx, avatar_id: str, subscriber_id: str) -> dict[str, Any]:
    found = ctx.collection("subscribers").get(subscriber_id)
    if found is None or found["avatar_id"] != avatar_id:
        raise SANDBOX.fail(404, "Subscriber not found.")
    return found


def save(ctx, subscriber: dict[str, Any]) -> dict[str, Any]:
    """Every subscriber write answers with the record in its list shape [INF: B3 shows no answer]."""
    return public(ctx.collection("subscribers").put(subscriber["subscriber_id"], subscriber))


@SANDBOX.route("POST", "/subscribers/add")
def subscribers_add(req, ctx):
    fields = form_fields(req)
    avatar_id = the_avatar(req, ctx, fields)
    email = fields.get("email", "").strip()
    if email and any(s["email"] == email for s in subscribers_of(ctx, avatar_id)):
        raise SANDBOX.fail(409, "A subscriber with this email already exists.")  # [INF]
    return public(add_subscriber(ctx, avatar_id, {k: fields[k].strip() for k in PROFILE if k in fields}))


@SANDBOX.route("POST", "/subscribers/update")
def subscribers_update(req, ctx):
    fields = form_fields(req)
    avatar_id = the_avatar(req, ctx, fields)
    (subscriber_id,) = required(fields, "subscriber_id")
    subscriber = the_subscriber(ctx, avatar_id, subscriber_id)
    # B3: "omitted fields stay unchanged".
    subscriber.update({k: fields[k].strip() for k in PROFILE if k in fields})
    return save(ctx, subscriber)


def _create(kind: str, name_param: str, **extra_params: str):
    id_field, name_field = KINDS[kind]

    def handler(req, ctx):
        fields = form_fields(req)
        avatar_id = the_avatar(req, ctx, fields)
        name, *rest = required(fields, name_param, *extra_params.values())
        if named(ctx, kind, avatar_id, name) is not None:
            raise SANDBOX.fail(409, f"{name_field} {name!r} already exists.")  # [INF]
        extra = {key: fields.get(param, "").strip() for key, param in extra_params.items()}
        return add_item(ctx, kind, avatar_id, name, **extra)

    return handler


SANDBOX.route("POST", "/tags/create")(_create("tags", "name"))
SANDBOX.route("POST", "/customfields/create")(
    _create("custom_fields", "custom_field_name", custom_field_type="custom_field_type")
)


def _membership(kind: str, param: str, key: str, add: bool, by_id: bool):
    """tags/add|delete (tag by name, B3 + polymetrics) and sequences/add|remove (sequence by id,
    Pipedream #13453). Repeating an add or removing what is absent changes nothing [INF]."""
    id_field, _ = KINDS[kind]

    def handler(req, ctx):
        fields = form_fields(req)
        avatar_id = the_avatar(req, ctx, fields)
        subscriber_id, value = required(fields, "subscriber_id", param)
        subscriber = the_subscriber(ctx, avatar_id, subscriber_id)
        item = ctx.collection(kind).get(f"{avatar_id}:{value}") if by_id else named(ctx, kind, avatar_id, value)
        if item is None:
            raise SANDBOX.fail(404, f"{param.capitalize()} not found.")
        member = item[id_field] if by_id else value
        if add and member not in subscriber[key]:
            subscriber[key].append(member)
        elif not add and member in subscriber[key]:
            subscriber[key].remove(member)
        return save(ctx, subscriber)

    return handler


SANDBOX.route("POST", "/tags/add")(_membership("tags", "tag", "tags", add=True, by_id=False))
SANDBOX.route("POST", "/tags/delete")(_membership("tags", "tag", "tags", add=False, by_id=False))
SANDBOX.route("POST", "/sequences/add")(_membership("sequences", "sequence", "sequences", add=True, by_id=True))
SANDBOX.route("POST", "/sequences/remove")(_membership("sequences", "sequence", "sequences", add=False, by_id=True))


@SANDBOX.route("POST", "/customfields/update")
def customfields_update(req, ctx):
    # B3: set one subscriber's value; `field` is the field's name (Pipedream #13453).
    fields = form_fields(req)
    avatar_id = the_avatar(req, ctx, fields)
    subscriber_id, field = required(fields, "subscriber_id", "field")
    if "value" not in fields:
        raise SANDBOX.fail(400, "value is required.")
    subscriber = the_subscriber(ctx, avatar_id, subscriber_id)
    if named(ctx, "custom_fields", avatar_id, field) is None:
        raise SANDBOX.fail(404, "Field not found.")
    subscriber["custom_fields"][field] = fields["value"]
    return save(ctx, subscriber)
