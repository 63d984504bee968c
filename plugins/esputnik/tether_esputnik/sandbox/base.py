"""What every ESputnik sandbox route shares: the Sandbox, its replies, settings, rate table.

Reference: clevertap-esputnik.md Part B, cited as §B1… beside each behaviour; [INF] marks a
choice the reference leaves open (NOTES.md §6 lists them).
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import deque
from typing import Any

from tether.connector import Abort, Reply, Sandbox, basic_auth

# §B3: errors are often plain text, even under a JSON content type (the recorded plain-text
# success of PUT /v1/contact came as application/json;charset=UTF-8 too).
CONTENT_TYPE = "application/json;charset=UTF-8"

ACTIVITY_DISABLED = "Contact support to enable ContactActivity."
"""§B5.14, §B9 [3P]: the answer of /v2/contacts/activity on an account without the feature."""


def text(status: int, message: str) -> Reply:
    return Reply(status, message.encode(), {"Content-Type": CONTENT_TYPE})


def fail(status: int, message: str) -> Abort:
    """``raise fail(400, "…")``: answer in the platform's plain-text form and undo the handler's writes."""
    return Abort(text(status, message))


def unauthorized(req: Any) -> Reply:
    # §B2: a bad key gets 401. Both official plugins parse that body as JSON and one reads its
    # "status", so it is the Java servlet stack's JSON error document [INF shape].
    return Reply(
        401,
        {"timestamp": int(time.time() * 1000), "status": 401, "error": "Unauthorized", "message": "Unauthorized", "path": req.path},
    )


def _credentials(token: Any) -> dict[str, str]:
    return {"api_key": f"esk_{token(20)}"}


SANDBOX = Sandbox(
    "esputnik",
    credentials=_credentials,
    # §B2: "enter any value as a username; enter the API key value as a password".
    auth=basic_auth(None, "api_key", refuse=unauthorized),
    seed="tether_esputnik.sandbox.seed:seed",
    error=text,
    not_found=lambda req: text(404, "Not Found"),
    # §B6: throttled requests get 429; no Retry-After header is documented.
    rate_limited=lambda: text(429, "Too Many Requests"),
)

# -- settings: how this emulated account behaves ------------------------------------------------

DEFAULT_SETTINGS: dict[str, Any] = {
    "activity_enabled": True,  # false: /v2/contacts/activity answers ACTIVITY_DISABLED (§B5.14)
    "import_polls": 2,  # an import is FINISHED at this status poll … [INF]
    "import_seconds": 3.0,  # … or this long after it was accepted, whichever comes first [INF]
    "delivery_seconds": 2.0,  # a queued message is delivered this long after sending, or at its
    # second status read [INF]
    "duplicate_window": 10.0,  # an identical contact/order write within this many seconds is refused [INF]
    "rates": {},  # overrides of RATE_TABLE, e.g. {"contacts-search": 2}
}

SETTINGS_COLLECTION, SETTINGS_ID = "settings", "account"


def settings(ctx: Any) -> dict[str, Any]:
    """This account's settings: defaults, overridden by the ``settings/account`` document.

    Tests and users change them with ``Runtime.put("settings", "account", {...})``.
    """
    stored = ctx.collection(SETTINGS_COLLECTION).get(SETTINGS_ID) or {}
    return {**DEFAULT_SETTINGS, **stored}


# -- the rate table (§B6) -----------------------------------------------------------------------

RATE_TABLE = {
    "default": 200,
    "contacts-search": 50,  # GET /api/v1/contacts
    "events": 350,  # POST /api/v1/event, /api/v2/event
    "message-history": 10,  # GET /api/v2/contacts/messages
    "email-message": 10,  # GET /api/v1/messages/email/{id}
}


class RateTable:
    """Requests per second by family, over a sliding second, per sandbox database.

    Kept in memory: a throttled request is not processed and changes no state, and the counts
    only need to live as long as the serving process.
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[int, str], deque[float]] = {}
        self._lock = threading.Lock()

    def admit(self, ctx: Any, family: str) -> bool:
        limit = int(settings(ctx)["rates"].get(family, RATE_TABLE.get(family, RATE_TABLE["default"])))
        now = time.monotonic()
        with self._lock:
            seen = self._seen.setdefault((id(ctx.db), family), deque())
            while seen and now - seen[0] >= 1.0:
                seen.popleft()
            if len(seen) >= limit:
                return False
            seen.append(now)
            return True


RATES = RateTable()

# -- "Duplicated request" (§B3) -----------------------------------------------------------------


def refuse_repeat(ctx: Any, req: Any) -> None:
    """Refuse an identical write seen within the window, as the platform does (§B3: the Shopify
    app ignores "Duplicated request" on contact and order writes: the first one took effect).

    Recorded only for writes that succeed: an error reply rolls the record back with the rest.
    """
    digest = hashlib.sha256(b"%s %s\n%s" % (req.method.encode(), req.path.rstrip("/").encode(), req.body)).hexdigest()
    seen = ctx.collection("recent_writes")
    now = ctx.now()
    earlier = seen.get(digest)
    if earlier is not None and now - earlier["at"] < float(settings(ctx)["duplicate_window"]):
        raise fail(400, "Duplicated request")
    seen.put(digest, {"at": now})


# -- pages (§B3) --------------------------------------------------------------------------------

MAX_ROWS = 500


def page_window(req: Any) -> tuple[int, int]:
    """(0-based offset, limit) from 1-based ``startindex`` and ``maxrows`` ≤ 500 (§B3, §B5.4)."""
    query = req.query
    try:
        start = int(query.get("startindex", "1") or 1)
        rows = int(query.get("maxrows", str(MAX_ROWS)) or MAX_ROWS)
    except ValueError:
        raise fail(400, "startindex and maxrows must be integers") from None
    if start < 1:
        raise fail(400, "startindex must be 1 or more")  # [INF text]
    if not 1 <= rows <= MAX_ROWS:
        raise fail(400, f"maxrows must be between 1 and {MAX_ROWS}")  # [INF text]
    return start - 1, rows


def page_reply(items: list[Any], total: int) -> Reply:
    """A JSON array with its total in the ``TotalCount`` header (§B3)."""
    return Reply(200, items, {"TotalCount": str(total)})


def first_value(req: Any, name: str) -> str | None:
    """A query parameter's first value: a repeated name keeps its first, as a Java server's
    single-valued parameter does [INF] (ok-esputnik repeats ``ids``)."""
    values = req.query_list(name)
    return values[0] if values else None


def body(req: Any) -> Any:
    """The JSON body; a malformed one is a plain-text 400 (§B6)."""
    return req.json(on_error=text(400, "Request body is not valid JSON"))
