"""What every Customer.io sandbox route shares: the Sandbox, auth checks, error shapes, pages.

Imports nothing of the sandbox's own: the data model and the route modules import this one.

Reference: customerio-smartengage.md Part A, cited as §A1… per behaviour. [INF] marks a
behaviour the reference does not pin down; the choice is explained where it is made.

The sandbox keeps one workspace per data centre (US and EU), each with its own keys, as
Customer.io does: a request's workspace is the one its key belongs to, and a key used on the
other region's host is treated as §A1 describes.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from tether.connector import Abort, Collection, Reply, Sandbox, same_secret

# -- error bodies, one helper per family (§A7 "Error body shapes") ----------------------------------

# §A2: no 401 body is documented; the status text of the spec is sent as the message [INF].
UNAUTHORIZED_TEXT = "Unauthorized request. Make sure that you provided the right credentials."


def meta_errors(status: int, *messages: str) -> Reply:
    """Track v1 400 (devices, forms): {"meta": {"errors": [...]}}."""
    return Reply(status, {"meta": {"errors": list(messages)}})


def meta_error(status: int, message: str) -> Reply:
    """merge_customers 400 and /v1/send/* 400/403/413: {"meta": {"error": "..."}}."""
    return Reply(status, {"meta": {"error": message}})


def v2_errors(status: int, errors: Sequence[dict[str, Any]]) -> Reply:
    """Track v2 /entity and /batch: {"errors": [{"reason", "field", "message"(, "batch_index")}]}."""
    return Reply(status, {"errors": list(errors)})


def api_error(status: int, detail: str, pointer: str | None = None) -> Reply:
    """The App API's JSON:API shape (§A5.5 422, §A1 301): {"errors": [{"detail", "status"}]}.

    §A7 lists most App 404s and 429s as undocumented; they use this same shape [INF], the one
    the App API uses everywhere it is documented.
    """
    error: dict[str, Any] = {"detail": detail, "status": str(status)}
    if pointer is not None:
        error["source"] = {"pointer": pointer}
    return Reply(status, {"errors": [error]})


def not_found(what: str) -> Abort:
    return SANDBOX.fail(404, f"{what} not found")


# -- workspaces and auth (§A1, §A2) -------------------------------------------------------------------


def _track_workspace(req, ctx) -> str | None:
    given = req.basic_auth()
    if given is None:
        return None
    for region, creds in ctx.workspaces.items():
        # Both halves are compared every time, so timing does not tell which one was wrong.
        if all([same_secret(given[0], creds.get("site_id")), same_secret(given[1], creds.get("track_api_key"))]):
            return region
    return None


def track_auth(req, ctx):
    """Basic site_id:track_api_key (§A2).

    §A1: an EU workspace's Track calls to the US host are routed to the EU ("redirected
    accordingly but this traffic still passes through US servers"), so they act on the EU
    workspace; a US workspace's calls to the EU host fail (401).
    """
    region = _track_workspace(req, ctx)
    if region is None or (region != ctx.region and ctx.region != "us"):
        return Reply(401, {"meta": {"error": UNAUTHORIZED_TEXT}})
    ctx.workspace = region
    return None


def region_auth(req, ctx):
    """GET /api/v1/accounts/region works on either host; bad credentials get 400 (§A1)."""
    region = _track_workspace(req, ctx)
    if region is None:
        return meta_error(400, "Your credentials are not valid.")
    ctx.workspace = region
    return None


def app_auth(req, ctx):
    """Bearer App API key (§A2).

    §A1 (customerio-node#134): an EU key on the US host gets 301 "wrong datacenter" with a
    redirect to the EU host; a key unknown to the host's data centre gets 401.
    """
    token = req.bearer()
    region = None
    if token is not None:
        for name, creds in ctx.workspaces.items():
            if same_secret(token, creds.get("app_api_key")):
                region = name
    if region is None or (region != ctx.region and ctx.region != "us"):
        return api_error(401, UNAUTHORIZED_TEXT)
    if region != ctx.region:
        reply = api_error(301, "wrong datacenter")
        return Reply(301, reply.body, {"Location": f"https://api-{region}.customer.io{req.path}"})
    ctx.workspace = region
    return None


def collection(ctx, name: str) -> Collection:
    """A collection of the request's workspace (the US and EU workspaces share nothing)."""
    return ctx.collection(f"{ctx.workspace or 'us'}/{name}")


def next_id(ctx, name: str, start: int = 1) -> int:
    return ctx.next_id(f"{ctx.workspace or 'us'}/{name}", start)


# -- bodies ---------------------------------------------------------------------------------------------


def json_body(req, *, bad: Reply, required: bool = True) -> dict[str, Any]:
    """The body as a JSON object; ``bad`` (the family's own 400) if it is malformed or missing.

    An absent body counts as {} when not required: §A9.4, DELETE comes with {} (Python SDK)
    or with no body at all (Node, async SDKs).
    """
    body = req.json(on_error=bad, default=None)
    if body is None:
        if required:
            raise Abort(bad)
        return {}
    if not isinstance(body, dict):
        raise Abort(bad)
    return body


# -- App API pagination (§A5 "Conventions") -------------------------------------------------------------


def _token(offset: int) -> str:
    # §A5: next is opaque; the spec's example "MDox" is base64 of "0:1", so offsets are encoded alike.
    return base64.b64encode(f"0:{offset}".encode()).decode()


def _offset(token: str) -> int:
    try:
        prefix, _, offset = base64.b64decode(token.encode(), validate=True).decode().partition(":")
        return max(0, int(offset)) if prefix == "0" else 0
    except (ValueError, UnicodeDecodeError):
        raise SANDBOX.fail(400, "invalid start token") from None


def limit_of(req, default: int, maximum: int) -> int:
    raw = req.query.get("limit")
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SANDBOX.fail(400, "limit must be an integer") from None
    # [INF] out-of-range limits are clamped, not refused.
    return max(1, min(value, maximum))


def _window(req, default: int, maximum: int) -> tuple[int, int]:
    token = req.query.get("start")
    return (_offset(token) if token else 0), limit_of(req, default, maximum)


def _paged(window: list[Any], offset: int, limit: int) -> tuple[list[Any], str]:
    # §A5: whether the last page omits next or sends it empty is undocumented [INF]; it is sent
    # empty, and the connector stops on either. One item past the page tells whether there is more.
    return window[:limit], (_token(offset + limit) if len(window) > limit else "")


def page_of(
    req,
    docs: Collection,
    *,
    default: int,
    maximum: int,
    where: Callable[[dict[str, Any]], bool] | None = None,
    match: Mapping[str, Any] | None = None,
) -> tuple[list[dict[str, Any]], str]:
    """One ``start``/``limit`` window of a collection in insertion order, and the next token.

    Reads only that window from SQLite (``match`` filters there, ``where`` row by row).
    """
    offset, limit = _window(req, default, maximum)
    return _paged(docs.slice(offset, limit + 1, where=where, match=match), offset, limit)


def page(req, items: Sequence[Any], *, default: int, maximum: int) -> tuple[list[Any], str]:
    """The same window of a list already in memory: one document's own list (error lines, a
    segment's members) or a listing the platform sorts by time rather than by insertion."""
    offset, limit = _window(req, default, maximum)
    return _paged(list(items[offset : offset + limit + 1]), offset, limit)


# -- the sandbox ---------------------------------------------------------------------------------------


def _credentials(token):
    # Customer.io's site ids are 20 hex characters and its API keys 20 hex too; app keys longer.
    return {"site_id": token(10), "track_api_key": token(10), "app_api_key": token(16)}


def _not_found(req):
    if req.path.startswith("/api/"):
        return Reply(404, {"meta": {"error": "Not found"}})
    return api_error(404, "not found")


SANDBOX = Sandbox(
    "customerio",
    credentials=_credentials,
    auth=track_auth,
    # Loaded when the sandbox is first seeded: the seed module imports the route modules.
    seed="tether_customerio.sandbox.seed:seed",
    regional=True,
    # The App API's error shape for SANDBOX.fail(status, message); Track routes answer their own.
    error=api_error,
    not_found=_not_found,
    # §A7: 429 "Your request is over the 10-per-second limit."; no Retry-After is documented,
    # so none is sent (connectors must not rely on one).
    rate_limited=lambda: api_error(429, "Your request is over the 10-per-second limit."),
    server_error=lambda status: api_error(status, "Internal Server Error"),
)
