"""The Sandbox object, its auth check and its error replies (routes.py adds the routes)."""

from __future__ import annotations

from tether.connector import Reply, Sandbox

from .model import account_for


def error(status: int, message: str) -> Reply:
    """B4: the error format is undocumented; {"error": "…"} as PostHog's tests model it [INF]."""
    return Reply(status, {"error": message})


def key_auth(req, ctx):
    """B2: ``Authorization: Bearer <api key>``; B5.2: 401 with a small JSON object otherwise [INF shape]."""
    if account_for(req, ctx) is None:
        return error(401, "Invalid or missing API key.")
    return None


SANDBOX = Sandbox(
    "smartengage",
    # B2: keys look like se_k73DUceVnvRCusWxDN2qQQ1a (se_ and 24 characters).
    credentials=lambda token: {"api_key": "se_" + token(12)},
    auth=key_auth,
    seed="tether_smartengage.sandbox.seed:seed",
    error=error,
    not_found=lambda req: error(404, "Not found."),
    # B4: no rate limit is documented; this 429 exists only when faults are injected, and
    # carries no Retry-After because no source shows one [INF].
    rate_limited=lambda: error(429, "Too many requests."),
    server_error=lambda status: error(status, "Internal server error."),
)
