"""Credential checks for sandbox routes: how real endpoints refuse a missing or wrong key.

Each factory returns an auth check for :meth:`Sandbox.route` (or a sandbox's default): it
compares what the request carries with the credentials of the workspace the request's host
serves, in constant time, and answers with ``refuse`` (the platform's own reply) when they
differ. Platforms with stranger rules write their own check with :func:`same_secret`.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Mapping
from typing import Union

from .app import AuthCheck, Reply, SandboxContext, SandboxRequest

Refusal = Union[Reply, Callable[[SandboxRequest], Reply]]


def same_secret(given: str | None, expected: str | None) -> bool:
    """Whether two secrets are equal, in time that does not depend on where they differ."""
    if given is None or expected is None:
        return False
    return hmac.compare_digest(str(given).encode(), str(expected).encode())


def _refuse(refuse: Refusal, req: SandboxRequest) -> Reply:
    return refuse(req) if callable(refuse) else refuse


def bearer_auth(field: str, refuse: Refusal) -> AuthCheck:
    """``Authorization: Bearer <credentials[field]>``."""

    def check(req: SandboxRequest, ctx: SandboxContext) -> Reply | None:
        return None if same_secret(req.bearer(), ctx.credentials.get(field)) else _refuse(refuse, req)

    return check


def basic_auth(username: str | None, password: str, refuse: Refusal) -> AuthCheck:
    """HTTP Basic; ``username`` None accepts any user name (platforms that read only the password)."""

    def check(req: SandboxRequest, ctx: SandboxContext) -> Reply | None:
        given = req.basic_auth()
        if given is None or not same_secret(given[1], ctx.credentials.get(password)):
            return _refuse(refuse, req)
        if username is not None and not same_secret(given[0], ctx.credentials.get(username)):
            return _refuse(refuse, req)
        return None

    return check


def header_auth(headers: Mapping[str, str], refuse: Refusal) -> AuthCheck:
    """Credentials in named headers: ``{"X-Api-Key": "api_key"}`` maps a header to a field."""

    def check(req: SandboxRequest, ctx: SandboxContext) -> Reply | None:
        # Every header is compared (no early exit), so timing does not tell which one was wrong.
        results = [same_secret(req.header(name), ctx.credentials.get(field)) for name, field in headers.items()]
        return None if all(results) else _refuse(refuse, req)

    return check
