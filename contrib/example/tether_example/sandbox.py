"""Jotter's sandbox: the same paths, auth check, errors and pagination as the API.

Jotter is fictional, so this module is its own reference; a real connector cites the
platform's documentation beside each route.
"""

from tether.sandbox import Abort, Reply, Sandbox


def _error(status, code, message):
    return Reply(status, {"error": {"code": code, "message": message}})


def check_key(req, ctx):
    if req.bearer() != ctx.credentials["api_key"]:
        return _error(401, "unauthorized", "Missing or invalid API key.")
    return None


def seed(ctx):
    notes = ctx.collection("notes")
    for i, (title, tags) in enumerate([("Welcome", ["intro"]), ("Shopping", ["todo"]), ("Ideas", ["todo", "later"])], start=1):
        notes.put(f"n-{i}", {"id": f"n-{i}", "title": title, "body": "", "tags": tags, "created_at": 1767225600 + i})
    ctx.next_id("note", start=3)


SANDBOX = Sandbox(
    "example",
    credentials=lambda token: {"api_key": "jk_" + token(16)},
    auth=check_key,
    seed=seed,
    not_found=lambda req: _error(404, "not_found", "No such endpoint."),
    rate_limited=lambda: Reply(429, {"error": {"code": "rate_limited", "message": "Slow down."}}, {"Retry-After": "1"}),
    server_error=lambda status: _error(status, "internal", "Something broke on our side."),
)


@SANDBOX.route("POST", "/v1/notes")
def create_note(req, ctx):
    body = req.json(on_error=_error(400, "bad_json", "Body is not JSON."))
    if not isinstance(body, dict) or not isinstance(body.get("title"), str) or not body["title"]:
        raise Abort(_error(400, "invalid", "title is required."))
    note_id = f"n-{ctx.next_id('note')}"
    note = {"id": note_id, "title": body["title"], "body": body.get("body", ""), "tags": list(body.get("tags", [])), "created_at": int(ctx.now())}
    return Reply(201, ctx.collection("notes").put(note_id, note))


@SANDBOX.route("GET", "/v1/notes/{id}")
def get_note(req, ctx):
    note = ctx.collection("notes").get(req.path_params["id"])
    if note is None:
        return _error(404, "not_found", "No such note.")
    return note


@SANDBOX.route("GET", "/v1/notes")
def list_notes(req, ctx):
    try:
        limit = min(max(int(req.query.get("limit", 20)), 1), 50)
    except ValueError:
        return _error(400, "invalid", "limit must be an integer.")
    tag = req.query.get("tag")
    items, more, _ = ctx.collection("notes").page(
        after=req.query.get("cursor"), limit=limit, where=(lambda n: tag in n["tags"]) if tag else None
    )
    return {"data": items, "next_cursor": items[-1]["id"] if more and items else None}


@SANDBOX.route("DELETE", "/v1/notes/{id}")
def delete_note(req, ctx):
    if not ctx.collection("notes").delete(req.path_params["id"]):
        return _error(404, "not_found", "No such note.")
    return Reply(204)
