"""Cursor exports: /1/events.json and /1/profiles.json (§A5.4, §A5.5, §A8).

Starting an export takes the query as a POST body (documented) or as ``GET ?query=<JSON>`` (the
legacy form the official Node library sends, §A7.1) and answers ``{"status":"success","cursor":…}``.
An export is a snapshot: events arriving later are not in it. A cursor names (export, position);
reading it again gives the same page, so a client may retry it. Cursors come back already
URL-encoded, as clients report of the real API (§A5.4 [3P]: "send it back exactly as returned"),
so a client that encodes them again is refused. A cursor expires ``cursor_ttl_seconds`` after its
export started [INF]. ``export_pending_polls`` makes the first reads of a new export answer
``{"status":"fail","code":2,"error":"Request still in progress, please retry later"}`` (§A5.4 [3P]).
"""

import base64
import binascii
import json

from .base import SANDBOX, body, col, public_profile, setting
from .queries import EventQuery, QueryError

MAX_BATCH = 5000  # §A5.4


def cursor_token(export_id, position):
    """The cursor as CleverTap would send it: opaque, base64, already URL-encoded."""
    from urllib.parse import quote

    return quote(base64.b64encode(f"{export_id}:{position}".encode()).decode(), safe="")


def _parse_cursor(raw):
    try:
        export_id, _, position = base64.b64decode(raw, validate=True).decode().rpartition(":")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None, None
    return export_id or None, position


def start_export(ctx, kind, query_body, batch_size, export_id=None):
    """Record an export of ``kind`` (events|profiles) for the query; return its first cursor."""
    try:
        query = EventQuery(query_body)
    except QueryError as exc:
        raise SANDBOX.fail(400, str(exc)) from None
    export_id = export_id or f"exp-{ctx.next_id(f'{ctx.workspace}/export')}"
    doc = {
        "kind": kind,
        "query": query_body,
        "batch_size": batch_size,
        "boundary": ctx.next_id(f"{ctx.workspace}/event") - 1,  # the last event that existed
        "created": ctx.now(),
        "pending": setting(ctx, "export_pending_polls"),
    }
    if kind == "profiles":
        doc["profiles"] = _profile_ids(ctx, query, doc["boundary"])
    col(ctx, "exports").put(export_id, doc)
    return cursor_token(export_id, "0")


def matching_events(ctx, query, boundary, after=None, limit=None):
    profiles = col(ctx, "profiles")

    def keep(event):
        if event["n"] > boundary or not query.event_matches(event):
            return False
        return not query.profile_filters or query.profile_matches(profiles.get(event["objectId"]) or {})

    return col(ctx, "events").page(after=after, limit=limit or 10**9, match={"evtName": query.event_name}, where=keep)[0]


def _profile_ids(ctx, query, boundary):
    seen, ordered = set(), []
    for event in matching_events(ctx, query, boundary):
        if event["objectId"] not in seen:
            seen.add(event["objectId"])
            ordered.append(event["objectId"])
    return ordered


def _batch_size(req):
    raw = req.query.get("batch_size", "10")
    try:
        size = int(raw)
    except ValueError:
        raise SANDBOX.fail(400, "batch_size must be an integer") from None
    if not 1 <= size <= MAX_BATCH:
        raise SANDBOX.fail(400, f"batch_size must be between 1 and {MAX_BATCH}")
    return size


def _read_page(ctx, kind, raw_cursor):
    export_id, position = _parse_cursor(raw_cursor)
    export = col(ctx, "exports").get(export_id) if export_id else None
    if export is None or export["kind"] != kind or ctx.now() - export["created"] > setting(ctx, "cursor_ttl_seconds"):
        raise SANDBOX.fail(400, "Invalid or expired cursor")
    if export.get("pending", 0) > 0:
        export["pending"] -= 1
        col(ctx, "exports").put(export_id, export)
        return {"status": "fail", "error": "Request still in progress, please retry later", "code": 2}
    query = EventQuery(export["query"])
    size = export["batch_size"]
    if kind == "events":
        after = None if position == "0" else position
        window = matching_events(ctx, query, export["boundary"], after=after, limit=size + 1)
        page, more = window[:size], len(window) > size
        profiles = col(ctx, "profiles")
        records = [_event_record(e, profiles.get(e["objectId"])) for e in page]
        next_position = f"{page[-1]['n']:012d}" if page else None
    else:
        start = int(position)
        ids = export["profiles"][start : start + size]
        profiles = col(ctx, "profiles")
        records = [public_profile(p) for p in (profiles.get(i) for i in ids) if p is not None]
        more = start + size < len(export["profiles"])
        next_position = str(start + size)
    out = {"status": "success", "records": records}
    if more:  # §A5.4: no next_cursor on the last page
        out["next_cursor"] = cursor_token(export_id, next_position)
    return out


def _event_record(event, profile):
    """§A5.4 record shape [3P]: the user, ts, event_props, session_props."""
    user = public_profile(profile) if profile else {"objectId": event["objectId"]}
    return {"profile": user, "ts": event["ts"], "event_props": event["evtData"], "session_props": {}}


def _export_route(kind):
    def handler(req, ctx):
        query = req.query
        if "cursor" in query:  # a page; POST too, as some clients send (§A5.4 [3P])
            return _read_page(ctx, kind, query["cursor"])
        if req.method == "GET":
            if "query" not in query:
                raise SANDBOX.fail(400, "cursor or query is mandatory")
            try:
                query_body = json.loads(query["query"])
            except ValueError:
                raise SANDBOX.fail(400, "query is not valid JSON") from None
        else:
            query_body = body(req)
        return {"status": "success", "cursor": start_export(ctx, kind, query_body, _batch_size(req))}

    return handler


for _kind in ("events", "profiles"):
    SANDBOX.route("GET", f"/1/{_kind}.json")(_export_route(_kind))
    SANDBOX.route("POST", f"/1/{_kind}.json")(_export_route(_kind))
