"""Jotter's sandbox: the same paths, auth check, errors and pagination as the API.

Jotter is fictional, so this module is its own reference; a real connector cites the
platform's documentation beside each route. Routes are full paths as on the wire (the
API's base path ``/v1`` included).
"""

from tether.connector import Reply, Sandbox, bearer_auth


def error(status, message, code=None):
    """Jotter's error body: {"error": {"code": …, "message": …}}."""
    codes = {400: "invalid", 401: "unauthorized", 404: "not_found", 429: "rate_limited"}
    return Reply(status, {"error": {"code": code or codes.get(status, "internal"), "message": message}})


def seed(ctx):
    notes = ctx.collection("notes")
    for i, (title, tags) in enumerate([("Welcome", ["intro"]), ("Shopping", ["todo"]), ("Ideas", ["todo", "later"])], start=1):
        notes.put(f"n-{i}", {"id": f"n-{i}", "title": title, "body": "", "tags": tags, "created_at": 1767225600 + i})
    ctx.next_id("note", start=3)


SANDBOX = Sandbox(
    "example",
    credentials=lambda token: {"api_key": "jk_" + token(16)},
    auth=bearer_auth("api_key", error(401, "Missing or invalid API key.")),
    seed=seed,
    error=error,
    rate_limited=lambda: Reply(429, error(429, "Slow down.").body, {"Retry-After": "1"}),
)


@SANDBOX.route("POST", "/v1/notes")
def create_note(req, ctx):
    body = req.json(on_error=error(400, "Body is not JSON.", "bad_json"))
    if not isinstance(body, dict) or not isinstance(body.get("title"), str) or not body["title"]:
        raise SANDBOX.fail(400, "title is required.")
    note_id = f"n-{ctx.next_id('note')}"
    note = {"id": note_id, "title": body["title"], "body": body.get("body", ""), "tags": list(body.get("tags", [])), "created_at": int(ctx.now())}
    return Reply(201, ctx.collection("notes").put(note_id, note))


@SANDBOX.route("GET", "/v1/notes/{id}")
def get_note(req, ctx):
    note = ctx.collection("notes").get(req.path_params["id"])
    if note is None:
        raise SANDBOX.fail(404, "No such note.")
    return note


@SANDBOX.route("GET", "/v1/notes")
def list_notes(req, ctx):
    try:
        limit = min(max(int(req.query.get("limit", 20)), 1), 50)
    except ValueError:
        raise SANDBOX.fail(400, "limit must be an integer.") from None
    tag = req.query.get("tag")
    items, more, _ = ctx.collection("notes").page(
        after=req.query.get("cursor"), limit=limit, where=(lambda n: tag in n["tags"]) if tag else None
    )
    return {"data": items, "next_cursor": items[-1]["id"] if more and items else None}


@SANDBOX.route("DELETE", "/v1/notes/{id}")
def delete_note(req, ctx):
    if not ctx.collection("notes").delete(req.path_params["id"]):
        raise SANDBOX.fail(404, "No such note.")
    return Reply(204)
