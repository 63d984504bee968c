"""What every Engage sandbox route shares: the Sandbox, its auth checks, errors, ids, pages.

Reference: engage.md, cited per behaviour. [INF] marks behaviour the reference infers
rather than verifies; the sandbox follows the reference's recommendation there.
"""

from __future__ import annotations

import datetime
import hmac
from collections.abc import Iterable
from typing import Any

from tether._sandbox import Abort, Reply, Sandbox

# engage.md §1 "Bad credentials": the body is verified; the 401 status is [INF].
UNAUTHORIZED = Reply(401, {"error": "Wrong authentication credentials."})

# engage.md §8.8: limit defaults to 10; above 30 is clamped [INF] rather than refused.
DEFAULT_LIMIT, MAX_LIMIT = 10, 30


def error(status: int, message: str) -> Reply:
    """engage.md §1 "Error body": {"error": "More details about error"}."""
    return Reply(status, {"error": message})


def fail(status: int, message: str) -> Abort:
    return Abort(error(status, message))


def paths(template: str) -> tuple[str, str]:
    """engage.md §1 "Unversioned root" and §8.1: the SDKs use both /v1/... and /...; serve both."""
    return ("/v1" + template, template)


# -- auth (engage.md §1 "Auth", "Username-only auth"; §3 "Auth" column) ----------------------------


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def full_auth(req, ctx):
    """Key and secret: the endpoints marked U+P, and "?" (unstated: key and secret) in §3."""
    given = req.basic_auth()
    if given is None or not _same(given[0], ctx.credentials["public_key"]) or not _same(given[1], ctx.credentials["private_key"]):
        return UNAUTHORIZED
    return None


def key_auth(req, ctx):
    """Username authentication: the public key with an empty secret, or both keys.

    A secret that is given but wrong is refused [INF]: a client sending one expects it checked.
    """
    given = req.basic_auth()
    if given is None or not _same(given[0], ctx.credentials["public_key"]):
        return UNAUTHORIZED
    if given[1] and not _same(given[1], ctx.credentials["private_key"]):
        return UNAUTHORIZED
    return None


def has_secret(req, ctx) -> bool:
    """Whether a key-only route was called with the secret too (auth already passed)."""
    given = req.basic_auth()
    return bool(given and given[1])


def require_secret(req, ctx) -> None:
    """For key-only routes that need the secret for some inputs (an email change, §4.3, §4.19)."""
    if not has_secret(req, ctx):
        raise Abort(UNAUTHORIZED)


# -- bodies ----------------------------------------------------------------------------------------


def json_object(req, *, required: bool = True) -> dict[str, Any]:
    """The body as a JSON object (engage.md §1: JSON with or without ;charset=utf-8, any casing)."""
    body = req.json(on_error=error(400, "Invalid JSON body."), default=None)
    if body is None:
        if required:
            raise fail(400, "Request body is required.")
        return {}
    if not isinstance(body, dict):
        raise fail(400, "Request body must be a JSON object.")
    return body


def scalar_map(value: Any, field: str) -> dict[str, Any]:
    """engage.md §2.3, §4.13: meta and properties hold string, number or boolean values."""
    if not isinstance(value, dict):
        raise fail(400, f"{field} must be an object.")
    for key, item in value.items():
        if not isinstance(item, (str, int, float, bool)):
            raise fail(400, f"{field}.{key} must be a string, number or boolean.")
    return value


# -- ids and times ---------------------------------------------------------------------------------


def object_id(ctx) -> str:
    """A 24-hex id like Engage's Mongo ObjectIds (engage.md §2.1): seconds, then a counter.

    Ids therefore sort in creation order, which is what the cursors below rely on.
    """
    return f"{int(ctx.now()):08x}{ctx.next_id('object-id'):016x}"


def _utc(ctx) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(ctx.now(), datetime.timezone.utc)


def user_time(ctx) -> str:
    """The user object's format: 2021-01-12T05:24:39.062+00:00 (engage.md §2.3)."""
    return _utc(ctx).isoformat(timespec="milliseconds")


def list_time(ctx) -> str:
    """The list object's format: 2011-10-05T14:48:00.000Z (engage.md §2.4)."""
    return _utc(ctx).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# -- pagination (engage.md §2.2) -------------------------------------------------------------------


def page(req, docs: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A cursor page over ``docs`` ordered by their internal id.

    The cursors are item ids (as in Engage's own examples): next_cursor is the last item's,
    previous_cursor the first item's, each omitted when there is nothing that way [INF §8.6].
    """
    query = req.query
    try:
        limit = int(query.get("limit") or DEFAULT_LIMIT)
    except ValueError:
        limit = DEFAULT_LIMIT  # [INF] an unreadable limit falls back to the default
    limit = max(1, min(limit, MAX_LIMIT))
    after, before = query.get("next_cursor"), query.get("previous_cursor")
    if after and before:
        raise fail(400, "Use only one of next_cursor and previous_cursor.")
    ordered = sorted(docs, key=lambda d: d["id"])
    if after:
        window = [d for d in ordered if d["id"] > after][:limit]
    elif before:
        window = [d for d in ordered if d["id"] < before][-limit:]
    else:
        window = ordered[:limit]
    body: dict[str, Any] = {"data": window}
    if window and ordered[-1]["id"] > window[-1]["id"]:
        body["next_cursor"] = window[-1]["id"]
    if window and ordered[0]["id"] < window[0]["id"]:
        body["previous_cursor"] = window[0]["id"]
    return body


def _credentials(token):
    # Engage's key format is not documented; hex tokens of plausible length stand in.
    return {"public_key": token(16), "private_key": token(24)}


def _seed(ctx):
    from .seed import seed

    seed(ctx)


SANDBOX = Sandbox(
    "engage",
    credentials=_credentials,
    auth=full_auth,
    seed=_seed,
    not_found=lambda req: error(404, "Not found."),
    # Engage documents no rate limit (engage.md §5): this 429 is our invention for testing
    # retries, as the reference suggests [INF].
    rate_limited=lambda: Reply(429, {"error": "Too many requests"}, {"Retry-After": "1"}),
    server_error=lambda status: error(status, "Internal server error"),
)
