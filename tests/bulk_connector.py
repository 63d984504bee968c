"""Ledger: a fictional platform with a batch endpoint, for bulk-job tests (no distribution needed).

Being fictional, this module is its own reference: POST /v1/entries adds one entry (not
idempotent: each call adds one more), PUT /v1/entries/{key} sets one (idempotent), and
POST /v1/entries/batch adds up to 100 and answers 207 with one result per item, in order —
the shape of Customer.io's and CleverTap's batch answers.
"""

from __future__ import annotations

from tether.connector import (
    REST,
    Action,
    Api,
    AuthSpec,
    Batch,
    Connector,
    PlatformError,
    Reply,
    Result,
    Sandbox,
    bearer_auth,
    input_object,
    integer,
    obj,
    rest,
    string,
)

BATCH_LIMIT = 100

SANDBOX = Sandbox(
    "ledger",
    credentials=lambda token: {"api_key": "lk_" + token(12)},
    auth=bearer_auth("api_key", Reply(401, {"error": "bad key"})),
    error=lambda status, message: Reply(status, {"error": message}),
)


def _add(ctx, body):
    entry_id = f"e-{ctx.next_id('entry')}"
    entry = {"id": entry_id, "key": body["key"], "amount": body["amount"]}
    return ctx.collection("entries").put(entry_id, entry)


@SANDBOX.route("POST", "/v1/entries")
def _create(req, ctx):
    body = req.json(on_error=Reply(400, {"error": "not JSON"}))
    if body.get("amount", 0) < 0:
        raise SANDBOX.fail(400, "amount must not be negative")
    return Reply(201, _add(ctx, body))


@SANDBOX.route("PUT", "/v1/entries/{key}")
def _set(req, ctx):
    body = req.json(on_error=Reply(400, {"error": "not JSON"}))
    entry = {"id": req.path_params["key"], "key": req.path_params["key"], "amount": body["amount"]}
    return ctx.collection("settings").put(entry["id"], entry)


@SANDBOX.route("POST", "/v1/entries/batch")
def _batch(req, ctx):
    items = req.json(on_error=Reply(400, {"error": "not JSON"}))["entries"]
    if len(items) > BATCH_LIMIT:
        raise SANDBOX.fail(413, f"at most {BATCH_LIMIT} entries per batch")
    results = []
    for item in items:
        if item.get("amount", 0) < 0:
            results.append({"status": 400, "error": "amount must not be negative"})
        else:
            results.append({"status": 201, "entry": _add(ctx, item)})
    return Reply(207, {"results": results})


ENTRY = obj({"id": string("Id."), "key": string("Key."), "amount": integer("Amount.")}, "An entry.")
ENTRY_INPUT = input_object({"key": string("Key."), "amount": integer("Amount.")}, ("key", "amount"))


def combine(records):
    return {"entries": records}


def split(output, records):
    return [
        Result(output=item["entry"]) if item["status"] < 300 else Result(error=PlatformError(item["error"], status=item["status"]))
        for item in output["results"]
    ]


def connector(max_records: int = 10, max_bytes: int | None = None, output_schema=ENTRY) -> Connector:
    actions = (
        Action("add-entry", "Add entry", "Add an entry.", "entry", ENTRY_INPUT, output_schema, rest("POST", "/entries", body=REST),
               batch=Batch(carrier="add-entries", max_records=max_records, combine=combine, split=split, max_bytes=max_bytes)),
        Action("add-entries", "Add entries", "Add many entries; one result per entry.", "entry",
               {"type": "object", "properties": {"entries": {"type": "array", "maxItems": BATCH_LIMIT}}, "required": ["entries"]},
               {"type": "object"}, rest("POST", "/entries/batch", body=REST, accept=(207,))),
        Action("set-entry", "Set entry", "Set an entry's amount.", "entry", ENTRY_INPUT, ENTRY,
               rest("PUT", "/entries/{key}", body=("amount",)), idempotent=True),
    )
    return Connector(
        key="ledger",
        name="Ledger",
        description="A ledger with a batch endpoint.",
        apis=(Api("default", "https://api.ledger.example/v1", AuthSpec("bearer", {"token": "api_key"})),),
        credentials={"type": "object", "properties": {"api_key": {"type": "string", "writeOnly": True}}, "required": ["api_key"]},
        actions=lambda: actions,
        sandbox=lambda: SANDBOX,
    )
