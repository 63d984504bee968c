"""Everything a connector author imports: ``from tether.connector import …``.

A connector is a distribution with four small parts (``contrib/example`` is the template):

1. **The plugin module** (the entry point in group ``tether``; its name is the connector key):
   implements :func:`hookimpl`-decorated ``register_connectors(register)`` and imports the
   connector inside the hook, so ``tether --help`` stays fast.

2. **The connector** — a :class:`Connector` with one :class:`Api` per host family (base URL per
   region, :class:`AuthSpec`, :class:`RateLimit` rates and ``concurrency`` caps by request
   family, a cheap ``verify`` read), a credentials schema (secret fields ``writeOnly``), and its
   actions and sandbox as ``"module:attribute"`` strings, imported only when needed.

3. **Actions** — :class:`Action` objects with closed input schemas (built with
   :func:`input_object`, :func:`string`, :func:`identifier` …) and open output schemas.
   ``run`` is either declarative, one request built from the input::

       run=rest("GET", "/users", query=("limit", "cursor"))

   or a generator that yields :class:`Request` objects (receiving :class:`Response` objects),
   may yield :class:`Wait` between polls (:func:`poll_job` does that for platform jobs), and
   returns the output. Either way the core adds auth, retries, pacing, redirects and error
   mapping, and one action serves the sync and async APIs, the CLI and bulk jobs.

   A paginated action declares ``pages=`` (:class:`CursorPages`, :class:`OffsetPages`,
   :class:`PageNumberPages`, or any :class:`PageStyle`) naming where the items sit in its
   *output* and which *input* advances the page, and takes an ``all`` input
   (:func:`all_flag`). With ``{"all": true}`` the core runs the action once per page, so
   every page is shaped by the action exactly like a single page.

   An action whose records a platform accepts many at a time declares ``batch=``
   (:class:`Batch`) so that bulk jobs can group them and still report per record.

4. **The sandbox** — a :class:`Sandbox` emulating the platform's API: routes registered with
   ``@SANDBOX.route("GET", "/v1/users/{id}", auth=…)`` on the *full path* as it appears on
   the wire (base path included), each with the auth check the real endpoint performs
   (:func:`bearer_auth`, :func:`basic_auth`, :func:`header_auth`, or :data:`PUBLIC`);
   handlers get a :class:`SandboxRequest` and a :class:`SandboxContext` (state in SQLite
   collections whose pages read only the requested window) and return a :class:`Reply` or a
   JSON value; ``raise SANDBOX.fail(status, message)`` answers with the platform's error body
   and rolls back the handler's writes.

Test it with the conformance kit: ``class TestMine(tether.testing.ConformanceSuite)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import hookimpl

if TYPE_CHECKING:  # pragma: no cover
    from ._auth import AuthKind, add_secret
    from ._errors import (
        AuthError,
        ConfigurationError,
        NetworkError,
        NotFoundError,
        PlatformError,
        RateLimitedError,
        TetherError,
        UsageError,
        ValidationError,
    )
    from ._jobs import PENDING, JobTimeout, poll_job
    from ._models import Action, Api, AuthSpec, Batch, Connector, RateLimit, Result
    from ._pages import CursorPages, OffsetPages, PageNumberPages, PageStyle, dig
    from ._rest import REST, Rest, pick, rest
    from ._sandbox.app import PUBLIC, Abort, Reply, Sandbox, SandboxContext, SandboxRequest
    from ._sandbox.auth import basic_auth, bearer_auth, header_auth, same_secret
    from ._sandbox.state import Collection
    from ._schema import (
        all_flag,
        array,
        boolean,
        email,
        enum,
        identifier,
        input_object,
        integer,
        nullable,
        number,
        obj,
        page_output,
        secret,
        string,
    )
    from ._wire import UNSET, ActionGen, Request, Response, RunContext, Wait

__all__ = [
    # declaring a connector (and plugins of other kinds)
    "hookimpl",
    "AuthKind",
    "add_secret",
    "Connector",
    "Api",
    "AuthSpec",
    "RateLimit",
    # actions
    "Action",
    "Batch",
    "Result",
    "Request",
    "Response",
    "RunContext",
    "ActionGen",
    "Wait",
    "UNSET",
    "rest",
    "Rest",
    "REST",
    "pick",
    "poll_job",
    "PENDING",
    "JobTimeout",
    # pages
    "CursorPages",
    "OffsetPages",
    "PageNumberPages",
    "PageStyle",
    "dig",
    # schemas
    "input_object",
    "obj",
    "string",
    "integer",
    "number",
    "boolean",
    "array",
    "enum",
    "nullable",
    "identifier",
    "email",
    "all_flag",
    "page_output",
    "secret",
    # errors
    "TetherError",
    "UsageError",
    "ValidationError",
    "ConfigurationError",
    "PlatformError",
    "AuthError",
    "RateLimitedError",
    "NotFoundError",
    "NetworkError",
    # the sandbox kit
    "Sandbox",
    "SandboxRequest",
    "SandboxContext",
    "Reply",
    "Abort",
    "PUBLIC",
    "Collection",
    "same_secret",
    "bearer_auth",
    "basic_auth",
    "header_auth",
]

_HOMES = {
    "_models": ("Connector", "Api", "AuthSpec", "RateLimit", "Action", "Batch", "Result"),
    "_wire": ("Request", "Response", "RunContext", "ActionGen", "Wait", "UNSET"),
    "_rest": ("rest", "Rest", "REST", "pick"),
    "_jobs": ("poll_job", "PENDING", "JobTimeout"),
    "_pages": ("CursorPages", "OffsetPages", "PageNumberPages", "PageStyle", "dig"),
    "_schema": (
        "input_object", "obj", "string", "integer", "number", "boolean", "array", "enum", "nullable",
        "identifier", "email", "all_flag", "page_output", "secret",
    ),
    "_errors": (
        "TetherError", "UsageError", "ValidationError", "ConfigurationError", "PlatformError", "AuthError",
        "RateLimitedError", "NotFoundError", "NetworkError",
    ),
    "_sandbox.app": ("Sandbox", "SandboxRequest", "SandboxContext", "Reply", "Abort", "PUBLIC"),
    "_sandbox.state": ("Collection",),
    "_sandbox.auth": ("same_secret", "bearer_auth", "basic_auth", "header_auth"),
    "_auth": ("AuthKind", "add_secret"),
}
_LAZY = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    # Lazy: a plugin module imports this module at start-up (for hookimpl), and must not pay
    # for attrs, the sandbox or the engine then.
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'tether.connector' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"tether.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
