"""Exports by cursor: Get Events and Get User Profiles (§A5.4, §A5.5).

The first request posts the query and gets a cursor; ``GET ?cursor=`` then answers a page of
records and the next cursor, until a page has none. With ``all: true`` tether follows every
cursor (one page in memory). What is guarded against, because clients have lost data there:

- a page that is not ready yet (``{"status":"fail","code":2}`` or HTTP 202) is asked for again,
  same cursor, with backoff, bounded by ``timeout`` (§A5.4 [3P]);
- a cursor is sent back as CleverTap returned it: decoded once, encoded once (§A5.4: no double
  encoding);
- a page that repeats its own cursor, or answers ``partial``, is an error, never a silent end
  (quickhouse measured 3.4 % read through a non-advancing chain, §A9);
- pages may be short, or empty, without being the last: only a missing ``next_cursor`` ends.
"""

from urllib.parse import unquote

import attrs

from tether.connector import (
    PENDING,
    Action,
    PlatformError,
    Request,
    all_flag,
    array,
    boolean,
    dig,
    input_object,
    integer,
    nullable,
    obj,
    poll_job,
    string,
)

from .common import QUERY_PROPERTIES, QUERY_REQUIRED, TIMEOUT, body_of, query_body


@attrs.frozen
class ExportPages:
    """Follow ``next_cursor`` while there is one, whatever the page's size (§A5.4)."""

    items: str = "records"
    param: str = "cursor"
    size_param: str | None = "batch_size"
    max_size: int | None = 5000

    def page_items(self, output):
        return dig(output, self.items) or []

    def next_input(self, input, output):
        cursor = dig(output, "next_cursor")
        if not cursor:
            return None
        return {**input, self.param: cursor}


def _read_page(kind, cursor, timeout):
    """One page at ``cursor``: retried while CleverTap is still preparing it."""

    def check():
        return Request("GET", f"/1/{kind}.json", params={"cursor": unquote(cursor)})

    def state(response):
        body = response.json(default=None)
        if response.status == 202 or (isinstance(body, dict) and body.get("status") == "fail" and body.get("code") == 2):
            return PENDING
        return body_of(response)

    page = yield from poll_job(
        check, state=state, timeout=timeout, job_id=cursor, what=f"the {kind} page",
        resume=f"run get-{'events' if kind == 'events' else 'user-profiles'}-by-cursor again with this cursor",
    )
    if page.get("status") == "partial":
        raise PlatformError(f"CleverTap answered an incomplete {kind} page (status partial); the export is not complete", status=200, body=page)
    next_cursor = page.get("next_cursor") or None
    if next_cursor is not None and next_cursor == cursor:
        raise PlatformError(f"CleverTap repeated the cursor of the {kind} page just read; the export would not advance", status=200, body={"cursor": cursor})
    return {"records": page.get("records") or [], "next_cursor": next_cursor}


def _start_run(kind):
    def run(inp, ctx):
        timeout = inp.get("timeout", 60)
        cursor = inp.get("cursor")
        if not cursor:
            params = [("batch_size", inp.get("batch_size", 5000))]
            params += [(flag, "true" if inp[flag] else "false") for flag in ("app", "events", "profile") if flag in inp]
            # Starting an export changes nothing: a retry after a lost answer opens another cursor.
            response = yield Request("POST", f"/1/{kind}.json", params=params, json=query_body(inp), idempotent=True)
            cursor = body_of(response).get("cursor")
            if not cursor:
                raise PlatformError(f"CleverTap started the {kind} export but returned no cursor", status=response.status, body=response.json(default=None))
        return (yield from _read_page(kind, cursor, timeout))

    return run


def _cursor_run(kind):
    def run(inp, ctx):
        return (yield from _read_page(kind, inp["cursor"], inp.get("timeout", 60)))

    return run


def _page_output(what):
    return obj(
        {
            "records": array({"type": "object"}, f"The {what} of this page (pages may be short)."),
            "next_cursor": nullable("string", "Cursor of the next page; null when this was the last."),
        },
        f"A page of {what}.",
        required=("records", "next_cursor"),
    )


EVENT_RECORD_NOTE = (
    "Each record: profile (objectId, identity, email, name, phone, platform, profileData…), ts, event_props, "
    "session_props."
)


def _start_action(key, name, kind, description):
    return Action(
        key=key,
        name=name,
        description=description,
        entity="event" if kind == "events" else "profile",
        input_schema=input_object(
            {
                **QUERY_PROPERTIES,
                "batch_size": integer("Records per page (1–5000, default 5000; profiles come in multiples of 23).", minimum=1, maximum=5000),
                "app": boolean("Include app fields (OS and app version, device make and model) in each profile."),
                "events": boolean("Include the event summary of each profile (default true)."),
                "profile": boolean("Include custom profile properties (default true)."),
                "cursor": string("Continue an export: the next_cursor of a previous page (the query is then not sent again)."),
                "timeout": TIMEOUT,
                "all": all_flag(kind),
            },
            QUERY_REQUIRED,
        ),
        output_schema=_page_output(kind),
        run=_start_run(kind),
        examples=({"event_name": "App Launched", "from": 20240101, "to": 20241231, "batch_size": 2},),
        read_only=True,
        idempotent=True,
        pages=ExportPages(),
    )


def _cursor_action(key, name, kind, description, cursor_example):
    return Action(
        key=key,
        name=name,
        description=description,
        entity="event" if kind == "events" else "profile",
        input_schema=input_object(
            {
                "cursor": string("The cursor (or next_cursor) from a previous page, exactly as returned."),
                "timeout": TIMEOUT,
                "all": all_flag(kind),
            },
            ("cursor",),
        ),
        output_schema=_page_output(kind),
        run=_cursor_run(kind),
        examples=({"cursor": cursor_example},),
        read_only=True,
        idempotent=True,
        pages=ExportPages(size_param=None, max_size=None),
    )


# A seeded export of the sandbox (its "App Launched" events), so the examples have a live cursor.
SEEDED_EVENTS_CURSOR = "c2VlZC1ldmVudHM6MA%3D%3D"
SEEDED_PROFILES_CURSOR = "c2VlZC1wcm9maWxlczow"

ACTIONS = (
    _start_action(
        "get-events",
        "Get events",
        "events",
        "Export (download, pull) the raw event records of one event type between two dates, one record per "
        "occurrence (e.g. every Charged or add-to-cart event last week), optionally filtered by event or profile "
        "properties: the first page and a next_cursor; all=true streams every event. " + EVENT_RECORD_NOTE,
    ),
    _cursor_action(
        "get-events-by-cursor",
        "Get events by cursor",
        "events",
        "Continue (resume, paginate) an event download page by page: the next page (batch) after the cursor or next_cursor a previous page returned.",
        SEEDED_EVENTS_CURSOR,
    ),
    _start_action(
        "get-user-profiles",
        "Get user profiles",
        "profiles",
        "Export (download, bulk pull) the user profiles (people, customer records: one per person) of everyone "
        "who did an event between two dates, optionally filtered by event or profile properties: the first page "
        "and a next_cursor; all=true streams every profile.",
    ),
    _cursor_action(
        "get-user-profiles-by-cursor",
        "Get user profiles by cursor",
        "profiles",
        "Continue (resume, paginate) a user profile download page by page: the next page (batch) after the cursor or next_cursor a previous page returned.",
        SEEDED_PROFILES_CURSOR,
    ),
)
