"""App API: exports of people and of deliveries (§A5.7), and the signed download link.

An export's rows are computed when it is created (a snapshot of who matched then) and kept
with it. [INF] Real exports run in the background: one is created "pending" with total 0
(§A5.7 "total reads 0 until the export is done") and the sandbox finishes it on the next
read of any export route (GET /v1/exports, /v1/exports/{id}, …/download), which then reports
"done" with its total.

§A5.7's download link is "a signed link, expires after 15 min"; the sandbox signs a URL on
its own App host, GET /v1/exports/{id}/file?workspace&expires&signature (no credentials,
like the storage link it stands for), that serves the CSV [INF: the spec names no format;
the UI's exports are CSV].
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from typing import Any
from urllib.parse import urlencode

from tether.connector import PUBLIC, Abort, Reply, same_secret

from .. import samples
from . import model
from .base import SANDBOX, api_error, app_auth, collection, json_body, next_id, not_found
from .queries import METRICS, check_filter

BAD_BODY = api_error(400, "the request body must be a JSON object")

LINK_TTL = 15 * 60  # §A5.7: the link expires after 15 minutes
SIX_MONTHS, TWELVE_MONTHS = 183 * 86400, 366 * 86400  # §A5.7: default 6 months, max 12 [INF days]
DELIVERY_KEYS = ("newsletter_id", "campaign_id", "transactional_message_id", "action_id")
# §A5.7's metric values; "created" is every delivery.
EXPORT_METRICS = tuple(m for m in METRICS if m != "drafted")


def exports(ctx):
    return collection(ctx, "exports")


# -- rows ---------------------------------------------------------------------------------------


def customer_rows(ctx, people: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """[INF] One row per person: id, email, cio_id, then every other attribute (sorted)."""
    views = [model.customer_view(p) for p in people]
    others = sorted({name for v in views for name in v["attributes"]} - {"id", "email", "cio_id"})
    columns = ["id", "email", "cio_id", *others]
    rows = []
    for v in views:
        who = v["identifiers"]
        rows.append([who.get("id") or "", who.get("email") or "", who["cio_id"], *(v["attributes"].get(n, "") for n in others)])
    return columns, rows


DELIVERY_COLUMNS = [
    "delivery_id", "customer_id", "email", "recipient", "type", "subject", "created",
    "campaign_id", "action_id", "newsletter_id", "content_id", "broadcast_id", "transactional_message_id",
]


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def delivery_rows(ctx, messages: list[dict[str, Any]], attributes: list[str]) -> tuple[list[str], list[list[str]]]:
    """[INF] One row per delivery: who, what, each metric's time, then the asked-for attributes."""
    columns = [*DELIVERY_COLUMNS, *EXPORT_METRICS[1:], *attributes]
    rows = []
    for m in messages:
        who = m.get("customer_identifiers") or {}
        row = [m["id"], _cell(m.get("customer_id")), _cell(who.get("email")), _cell(m.get("recipient")), _cell(m.get("type")), _cell(m.get("subject"))]
        row += [_cell(m.get(name)) for name in DELIVERY_COLUMNS[6:]]
        metrics = m.get("metrics") or {}
        row += [_cell(metrics.get(name)) for name in EXPORT_METRICS[1:]]
        person = model.people(ctx).get(m["_cio_id"]) if m.get("_cio_id") else None
        view = model.customer_view(person)["attributes"] if person else {}
        row += [view.get(name, "") for name in attributes]
        rows.append(row)
    return columns, rows


def new_export(ctx, kind: str, description: str, columns: list[str], rows: list[list[str]], **fields: Any) -> dict[str, Any]:
    now = model.now(ctx)
    export_id = fields.pop("id", None) or next_id(ctx, "export", samples.CUSTOMERS_EXPORT + 1)
    doc = {
        "id": export_id,
        # [INF] an App API key belongs to no user, so exports it starts have none.
        "user_id": None,
        "user_email": None,
        "total": 0,
        "deduplicate_id": f"{export_id}:{now}",
        "type": kind,
        "failed": False,
        "description": description,
        "downloads": 0,
        "created_at": now,
        "updated_at": now,
        "status": "pending",
        "_total": len(rows),
        "_columns": columns,
        "_rows": rows,
        **fields,
    }
    exports(ctx).put(str(export_id), doc)
    return doc


def settle(ctx, doc: dict[str, Any]) -> dict[str, Any]:
    """A pending export finishes on its next read (see the module docstring)."""
    if doc.get("status") == "pending":
        doc.update(status="done", total=doc["_total"], updated_at=max(model.now(ctx), doc["created_at"]))
        exports(ctx).put(str(doc["id"]), doc)
    return doc


def export_or_404(ctx, raw: str) -> dict[str, Any]:
    doc = exports(ctx).get(raw) if raw.isdigit() else None
    if doc is None:
        raise not_found("Export")
    return doc


# -- routes -------------------------------------------------------------------------------------


@SANDBOX.route("POST", "/v1/exports/customers", auth=app_auth)
def export_customers(req, ctx):
    body = json_body(req, bad=BAD_BODY)
    if "filters" not in body:  # §A5.7: the key is plural
        raise Abort(api_error(400, "filters is required", "/filters"))
    flt = check_filter(body["filters"], "/filters")
    people = [p for p in model.people(ctx) if model.matches(ctx, p, flt)]
    columns, rows = customer_rows(ctx, people)
    doc = new_export(ctx, "customers", "Customers matching a filter", columns, rows)
    return {"export": model.public(doc)}


def _int_field(body: dict[str, Any], name: str) -> int | None:
    value = body.get(name)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise Abort(api_error(400, f"{name} must be an integer", f"/{name}"))
    return value


@SANDBOX.route("POST", "/v1/exports/deliveries", auth=app_auth)
def export_deliveries(req, ctx):
    body = json_body(req, bad=BAD_BODY)
    given = {k: _int_field(body, k) for k in DELIVERY_KEYS if body.get(k) is not None}
    # §A5.7: exactly one of newsletter_id, campaign_id, transactional_message_id, action_id.
    if len(given) != 1:
        raise SANDBOX.fail(400, "give exactly one of newsletter_id, campaign_id, transactional_message_id, action_id")
    (key, value), = given.items()
    now = model.now(ctx)
    end = _int_field(body, "end")
    end = now if end is None else end
    start = _int_field(body, "start")
    start = end - SIX_MONTHS if start is None else start
    if end < start or end - start > TWELVE_MONTHS:
        raise Abort(api_error(400, "start and end must span at most 12 months", "/start"))
    metric = body.get("metric")
    if metric is not None and metric not in EXPORT_METRICS:
        raise Abort(api_error(400, f"metric must be one of {', '.join(EXPORT_METRICS)}", "/metric"))
    attributes = body.get("attributes") or []
    if not isinstance(attributes, list) or not all(isinstance(a, str) and a for a in attributes):
        raise Abort(api_error(400, "attributes must be a list of attribute names", "/attributes"))
    drafts = bool(body.get("drafts"))
    found = []
    for m in model.messages(ctx):
        if str(m.get(key)) != str(value) or not start <= int(m.get("created") or 0) <= end:
            continue
        metrics = m.get("metrics") or {}
        if metric not in (None, "created") and metric not in metrics:
            continue
        drafted_only = "drafted" in metrics and not any(x in metrics for x in ("attempted", "sent", "delivered"))
        if drafted_only and not drafts:
            continue
        found.append(m)
    columns, rows = delivery_rows(ctx, found, list(dict.fromkeys(attributes)))
    label = key.removesuffix("_id").replace("_", " ")
    doc = new_export(ctx, "deliveries", f"Deliveries of {label} {value}", columns, rows)
    return {"export": model.public(doc)}


@SANDBOX.route("GET", "/v1/exports", auth=app_auth)
def list_exports(req, ctx):
    # §A5.7: unpaginated.
    return {"exports": [model.public(settle(ctx, doc)) for doc in exports(ctx)]}


@SANDBOX.route("GET", "/v1/exports/{export_id}", auth=app_auth)
def get_export(req, ctx):
    return {"export": model.public(settle(ctx, export_or_404(ctx, req.path_params["export_id"])))}


def _signature(ctx, workspace: str, export_id: int, expires: int) -> str:
    key = ("export-link:" + str(ctx.workspaces[workspace].get("app_api_key"))).encode()
    return hmac.new(key, f"{workspace}/{export_id}/{expires}".encode(), hashlib.sha256).hexdigest()


@SANDBOX.route("GET", "/v1/exports/{export_id}/download", auth=app_auth)
def download(req, ctx):
    doc = settle(ctx, export_or_404(ctx, req.path_params["export_id"]))
    expires = model.now(ctx) + LINK_TTL
    query = urlencode({"workspace": ctx.workspace, "expires": expires, "signature": _signature(ctx, ctx.workspace, doc["id"], expires)})
    # [INF] On Customer.io's own hosts the link is https; on a loopback server the sandbox cannot
    # tell whether TLS is on, and links to http.
    scheme = "https" if ctx.api == "app" else "http"
    return {"url": f"{scheme}://{req.host}/v1/exports/{doc['id']}/file?{query}"}


def _denied(message: str) -> Reply:
    # [INF] What a storage provider's expired or tampered signed URL answers: 403 with an XML error.
    body = f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code><Message>{message}</Message></Error>"
    return Reply(403, body.encode(), {"Content-Type": "application/xml"})


@SANDBOX.route("GET", "/v1/exports/{export_id}/file", auth=PUBLIC)
def file(req, ctx):
    workspace, expires, signature = (req.query.get(k) or "" for k in ("workspace", "expires", "signature"))
    raw = req.path_params["export_id"]
    if workspace not in ctx.workspaces or not expires.isdigit() or not raw.isdigit():
        return _denied("Request is missing a valid signature")
    if not same_secret(signature, _signature(ctx, workspace, int(raw), int(expires))):
        return _denied("The request signature does not match")
    if int(expires) < model.now(ctx):
        return _denied("Request has expired")
    ctx.workspace = workspace
    doc = export_or_404(ctx, raw)
    doc["downloads"] = int(doc.get("downloads") or 0) + 1
    exports(ctx).put(str(doc["id"]), doc)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(doc["_columns"])
    writer.writerows(doc["_rows"])
    headers = {"Content-Type": "text/csv; charset=utf-8", "Content-Disposition": f'attachment; filename="export_{doc["id"]}.csv"'}
    return Reply(200, out.getvalue().encode(), headers)


# -- seed -----------------------------------------------------------------------------------------


def seed(ctx) -> None:
    """Export 110 (samples.CUSTOMERS_EXPORT): a finished export of everyone, made in the UI."""
    columns, rows = customer_rows(ctx, list(model.people(ctx)))
    new_export(
        ctx,
        "customers",
        "All customers",
        columns,
        rows,
        id=samples.CUSTOMERS_EXPORT,
        # [INF] made by a teammate in the UI, so it names its user.
        user_id=1,
        user_email="owner@example.com",
        deduplicate_id=f"{samples.CUSTOMERS_EXPORT}:{samples.SEEDED_AT}",
        created_at=samples.SEEDED_AT,
        updated_at=samples.SEEDED_AT + 60,
        status="done",
        total=len(rows),
    )
