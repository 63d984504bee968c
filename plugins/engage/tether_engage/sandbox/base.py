"""What every Engage sandbox route shares: the Sandbox, its auth checks, errors, ids, pages.

Reference: engage.md, cited per behaviour. [INF] marks behaviour the reference infers
rather than verifies; the sandbox follows the reference's recommendation there.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from tether.connector import Abort, Reply, Sandbox, SandboxContext, SandboxRequest, basic_auth, same_secret

# engage.md §1 "Bad credentials": the body is verified; the 401 status is [INF].
UNAUTHORIZED = Reply(401, {"error": "Wrong authentication credentials."})

# engage.md §8.8: limit defaults to 10; above 30 is clamped [INF] rather than refused.
DEFAULT_LIMIT, MAX_LIMIT = 10, 30


def error(status: int, message: str) -> Reply:
    """engage.md §1 "Error body": {"error": "More details about error"}."""
    return Reply(status, {"error": message})


def paths(template: str) -> tuple[str, str]:
    """engage.md §1 "Unversioned root" and §8.1: the SDKs use both /v1/... and /...; serve both."""
    return ("/v1" + template, template)


# -- auth (engage.md §1 "Auth", "Username-only auth"; §3 "Auth" column) ----------------------------

full_auth = basic_auth("public_key", "private_key", UNAUTHORIZED)
"""Key and secret: the endpoints marked U+P, and "?" (unstated: key and secret) in §3."""


def key_auth(req: SandboxRequest, ctx: SandboxContext) -> Reply | None:
    """Username authentication: the public key with an empty secret, or both keys.

    A secret that is given but wrong is refused [INF]: a client sending one expects it checked.
    """
    given = req.basic_auth()
    if given is None or not same_secret(given[0], ctx.credentials.get("public_key")):
        return UNAUTHORIZED
    if given[1] and not same_secret(given[1], ctx.credentials.get("private_key")):
        return UNAUTHORIZED
    return None


def has_secret(req: SandboxRequest) -> bool:
    """Whether a key-only route was called with the secret too (auth already passed)."""
    given = req.basic_auth()
    return bool(given and given[1])


def require_secret(req: SandboxRequest) -> None:
    """For key-only routes that need the secret for some inputs (an email change, §4.3, §4.19)."""
    if not has_secret(req):
        raise Abort(UNAUTHORIZED)


# -- bodies ----------------------------------------------------------------------------------------


def json_object(req: SandboxRequest, *, required: bool = True) -> dict[str, Any]:
    """The body as a JSON object (engage.md §1: JSON with or without ;charset=utf-8, any casing)."""
    body = req.json(on_error=error(400, "Invalid JSON body."), default=None)
    if body is None:
        if required:
            raise SANDBOX.fail(400, "Request body is required.")
        return {}
    if not isinstance(body, dict):
        raise SANDBOX.fail(400, "Request body must be a JSON object.")
    return body


def scalar_map(value: Any, field: str) -> dict[str, Any]:
    """engage.md §2.3, §4.13: meta and properties hold string, number or boolean values."""
    if not isinstance(value, dict):
        raise SANDBOX.fail(400, f"{field} must be an object.")
    for key, item in value.items():
        if not isinstance(item, (str, int, float, bool)):
            raise SANDBOX.fail(400, f"{field}.{key} must be a string, number or boolean.")
    return value


# -- ids and times ---------------------------------------------------------------------------------


def object_id(ctx: SandboxContext) -> str:
    """A 24-hex id like Engage's Mongo ObjectIds (engage.md §2.1): seconds, then a counter.

    Ids therefore sort in creation order, which is what the cursors below rely on.
    """
    return f"{int(ctx.now()):08x}{ctx.next_id('object-id'):016x}"


def _utc(ctx: SandboxContext) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(ctx.now(), datetime.timezone.utc)


def user_time(ctx: SandboxContext) -> str:
    """The user object's format: 2021-01-12T05:24:39.062+00:00 (engage.md §2.3)."""
    return _utc(ctx).isoformat(timespec="milliseconds")


def list_time(ctx: SandboxContext) -> str:
    """The list object's format: 2011-10-05T14:48:00.000Z (engage.md §2.4)."""
    return _utc(ctx).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# -- pagination (engage.md §2.2) -------------------------------------------------------------------


def page(
    req: SandboxRequest, ctx: SandboxContext, collection: str, *, match: dict[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """One cursor page of ``collection`` (documents keyed by their ``id``), and its cursor fields.

    The cursors are item ids (as in Engage's own examples), and ids sort in creation order,
    which is the collection's order: the page is read as an indexed window after (or before)
    the cursor's document, never by sorting everything. next_cursor is the last item's id,
    previous_cursor the first item's, each omitted when there is nothing that way [INF §8.6].
    A cursor that names no item ever made (Engage would compare it with the ids as they
    are) gives an empty page [INF]; a deleted user's keeps its place (see model).
    """
    query = req.query
    try:
        limit = int(query.get("limit") or DEFAULT_LIMIT)
    except ValueError:
        limit = DEFAULT_LIMIT  # [INF] an unreadable limit falls back to the default
    limit = max(1, min(limit, MAX_LIMIT))
    after, before = query.get("next_cursor") or None, query.get("previous_cursor") or None
    if after and before:
        raise SANDBOX.fail(400, "Use only one of next_cursor and previous_cursor.")
    window, more_after, more_before = ctx.collection(collection).page(after=after, before=before, limit=limit, match=match)
    return window, _cursors(window, more_after, more_before)


def _cursors(window: Sequence[dict[str, Any]], more_after: bool, more_before: bool) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if window and more_after:
        fields["next_cursor"] = window[-1]["id"]
    if window and more_before:
        fields["previous_cursor"] = window[0]["id"]
    return fields


def _credentials(token):
    # Engage's key format is not documented; hex tokens of plausible length stand in.
    return {"public_key": token(16), "private_key": token(24)}


SANDBOX = Sandbox(
    "engage",
    credentials=_credentials,
    auth=full_auth,
    # Imported when the sandbox is first seeded: the seed builds on the model, which builds on this module.
    seed="tether_engage.sandbox.seed:seed",
    error=error,
    # 2: users are paged through the `user-ids` index collection (a sandbox made before it is reset).
    state_version=2,
    not_found=lambda req: error(404, "Not found."),
    # Engage documents no rate limit (engage.md §5): the kit's 429 (this error body, with
    # Retry-After: 1) is our invention for testing retries, as the reference suggests [INF].
)
