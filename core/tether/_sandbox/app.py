"""Declaring a platform emulation: routes, auth checks and the platform's own replies.

A connector's sandbox module builds one :class:`Sandbox`, registers handlers with
:meth:`Sandbox.route`, and names in each route the auth check the real endpoint performs.
Handlers receive the parsed :class:`SandboxRequest` and a :class:`SandboxContext` (state, region,
credentials) and return a :class:`Reply` (or a dict/list for ``200`` JSON).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Union
from urllib.parse import parse_qsl, unquote

import attrs

from .._wire import FIELD_VALUE, TOKEN
from .state import Collection


@attrs.frozen
class Reply:
    """An HTTP answer. ``body``: JSON-encodable (encoded), ``bytes`` (sent as is) or None (empty)."""

    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = attrs.field(factory=dict)

    def encoded(self) -> tuple[bytes, dict[str, str]]:
        headers = dict(self.headers)
        if self.body is None:
            return b"", headers
        if isinstance(self.body, bytes):
            return self.body, headers
        headers.setdefault("Content-Type", "application/json; charset=utf-8")
        return json.dumps(self.body, separators=(",", ":"), ensure_ascii=False).encode(), headers


class Abort(Exception):
    """Raise from anywhere in a handler to answer with ``reply`` (and roll back its writes)."""

    def __init__(self, reply: Reply):
        super().__init__(reply.status)
        self.reply = reply


@attrs.frozen
class SandboxRequest:
    method: str
    host: str
    path: str
    """The raw (still percent-encoded) path, as on the wire."""
    query_string: str = ""
    headers: Mapping[str, str] = attrs.field(factory=dict)
    body: bytes = b""
    path_params: Mapping[str, str] = attrs.field(factory=dict)

    def header(self, name: str, default: str | None = None) -> str | None:
        lname = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lname:
                return value
        return default

    @property
    def query(self) -> dict[str, str]:
        """Query parameters; the last value wins for repeated names."""
        return dict(parse_qsl(self.query_string, keep_blank_values=True))

    def query_list(self, name: str) -> list[str]:
        return [v for k, v in parse_qsl(self.query_string, keep_blank_values=True) if k == name]

    @property
    def content_type(self) -> str:
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    def json(self, *, on_error: Reply | None = None, default: Any = None) -> Any:
        """The body as JSON; ``default`` when empty; ``on_error`` raised (as Abort) if malformed."""
        if not self.body.strip():
            return default
        try:
            return json.loads(self.body)
        except ValueError:
            if on_error is None:
                raise Abort(Reply(400, {"error": "malformed JSON body"})) from None
            raise Abort(on_error) from None

    def form(self) -> dict[str, str]:
        """A form-encoded body (the last value wins for repeated names)."""
        return dict(parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True))

    def form_list(self, name: str) -> list[str]:
        return [v for k, v in parse_qsl(self.body.decode("utf-8", "replace"), keep_blank_values=True) if k == name]

    def parsed(self, *, on_error: Reply | None = None) -> Any:
        """The body by its content type: a dict for a form, JSON for anything else; None if empty.

        ``on_error`` answers a body that does not parse (default: a bare 400).
        """
        if not self.body.strip():
            return None
        if self.content_type == "application/x-www-form-urlencoded":
            return self.form()
        return self.json(on_error=on_error)

    def basic_auth(self) -> tuple[str, str] | None:
        """(username, password) from a Basic ``Authorization`` header, or None."""
        import base64
        import binascii

        value = self.header("authorization") or ""
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "basic" or not token:
            return None
        try:
            decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        user, sep, password = decoded.partition(":")
        return (user, password) if sep else (user, "")

    def bearer(self) -> str | None:
        value = self.header("authorization") or ""
        scheme, _, token = value.partition(" ")
        if scheme.lower() != "bearer":
            return None
        return token.strip() or None


class SandboxContext:
    """What a sandbox handler may touch: the sandbox's state, its credentials, the request's region.

    Not to be confused with :class:`tether._wire.RunContext`, what an action sees.
    """

    def __init__(
        self,
        db: Any,
        credentials: Mapping[str, str],
        region: str | None,
        api: str | None,
        clock: Callable[[], float],
        workspaces: Mapping[str | None, Mapping[str, str]] | None = None,
    ):
        self.db = db
        self.credentials = credentials
        """The credentials of the workspace this request's host serves (its region's)."""
        self.region = region
        """The region of the host the request was sent to (the default region on loopback)."""
        self.api = api
        self.workspaces = workspaces if workspaces is not None else {region: credentials}
        """Every emulated workspace's credentials, by region (one entry unless regional)."""
        self.workspace = region
        """Whose data the request acts on; an auth check may point it at another region's
        workspace (a platform that routes a request to the data centre its key belongs to)."""
        self._clock = clock

    def collection(self, name: str) -> Collection:
        """Documents of one kind in this sandbox's state (see :class:`tether._sandbox.state.Collection`)."""
        return Collection(self.db, name)

    def now(self) -> float:
        return self._clock()

    def next_id(self, name: str, start: int = 1, count: int = 1) -> int:
        """A per-name integer sequence (ids of segments, exports, …), kept in state; ``count``
        takes that many consecutive ids at once and returns the first."""
        from .state import next_counter

        return next_counter(self.db, name, start, count)


Context = SandboxContext  # the name before the kit; kept for third-party sandboxes

AuthCheck = Callable[[SandboxRequest, SandboxContext], Union[Reply, None]]
Handler = Callable[[SandboxRequest, SandboxContext], Any]
"""A route handler: returns a :class:`Reply`, or a JSON-encodable value for a 200."""


class _Public:
    def __repr__(self) -> str:
        return "PUBLIC"


PUBLIC: Any = _Public()
"""Route ``auth=PUBLIC``: the real endpoint takes no credentials."""

_PARAM = re.compile(r"\{(\w+)(:path)?\}")


def malformed(method: str, headers: Iterable[tuple[str, str]]) -> bool:
    """What an HTTP/1.1 server (h11's rules) refuses with 400 before routing: a method that is
    not a token, a header name that is not one, a header value with a line break or a NUL.
    Both ways into a sandbox (in-process transport, served socket) ask it."""
    return not TOKEN.fullmatch(method) or any(not TOKEN.fullmatch(name) or not FIELD_VALUE.fullmatch(value) for name, value in headers)


@attrs.frozen
class Route:
    method: str
    template: str
    prefix: str
    """The template's text before its first parameter: a path that does not start with it
    cannot match, and the template's pattern is compiled only when one does (start-up)."""
    handler: Handler
    auth: AuthCheck | None
    api: str | None

    def match(self, path: str) -> dict[str, str] | None:
        if not path.startswith(self.prefix):
            return None
        m = _compile(self.template).fullmatch(path)
        if m is None:
            return None
        return {k: unquote(v) for k, v in m.groupdict().items()}


@functools.lru_cache(maxsize=None)
def _compile(template: str) -> re.Pattern[str]:
    out, pos = [], 0
    for m in _PARAM.finditer(template):
        out.append(re.escape(template[pos : m.start()]))
        out.append(f"(?P<{m.group(1)}>.+)" if m.group(2) else f"(?P<{m.group(1)}>[^/]+)")
        pos = m.end()
    out.append(re.escape(template[pos:]))
    return re.compile("".join(out))


def _default_error(status: int, message: str) -> Reply:
    return Reply(status, {"error": message})


def _with_retry_after(reply: Reply) -> Reply:
    return attrs.evolve(reply, headers={"Retry-After": "1", **reply.headers})


class Sandbox:
    """A platform emulation: its routes, credential generator, seed data and error replies."""

    def __init__(
        self,
        connector: str,
        *,
        credentials: Callable[[Callable[[int], str]], dict[str, str]],
        auth: AuthCheck | None = None,
        seed: Callable[[SandboxContext], None] | str | None = None,
        error: Callable[[int, str], Reply] | None = None,
        not_found: Callable[[SandboxRequest], Reply] | None = None,
        rate_limited: Callable[[], Reply] | None = None,
        server_error: Callable[[int], Reply] | None = None,
        regional: bool = False,
        state_version: int = 1,
    ):
        """``error(status, message)`` builds the platform's error reply; ``not_found``,
        ``rate_limited`` and ``server_error`` default to it. ``seed`` may be a
        ``"module:function"`` string, imported when the sandbox is first seeded (so a seed
        module can import the sandbox's own modules without a cycle)."""
        self.connector = connector
        self.state_version = state_version
        """Bump it when the shape of the stored state changes: a sandbox made by an earlier
        version is then reset and seeded again (its credentials kept) instead of misread."""
        self.regional = regional
        """One workspace per region, each with its own generated credentials (as on platforms
        whose accounts live in one data centre and whose keys work only there)."""
        self.make_credentials = credentials
        self.default_auth = auth
        self._seed = seed
        self.error = error or _default_error
        self.not_found = not_found or (lambda req: self.error(404, "Not found"))
        self.rate_limited = rate_limited or (lambda: _with_retry_after(self.error(429, "Too many requests")))
        self.server_error = server_error or (lambda status: self.error(status, "Internal server error"))
        self.routes: list[Route] = []

    @property
    def seed(self) -> Callable[[SandboxContext], None] | None:
        if isinstance(self._seed, str):
            from importlib import import_module

            module, _, name = self._seed.partition(":")
            self._seed = getattr(import_module(module), name)
        return self._seed  # type: ignore[return-value]

    def fail(self, status: int, message: str) -> Abort:
        """An :class:`Abort` carrying the platform's error reply: ``raise sandbox.fail(400, "…")``."""
        return Abort(self.error(status, message))

    def route(self, method: str, *templates: str, auth: Any = None, api: str | None = None) -> Callable[[Handler], Handler]:
        """Register a handler for ``method`` on each path template (``{id}``, ``{rest:path}``).

        ``auth`` is the check the real endpoint performs (default: the sandbox's), or
        :data:`PUBLIC` for an endpoint without one. ``api`` limits the route to that API's hosts.
        """
        if not templates:
            raise ValueError("route() needs at least one path template")

        def register(handler: Handler) -> Handler:
            check = None if auth is PUBLIC else (auth or self.default_auth)
            if check is None and auth is not PUBLIC:
                raise ValueError(f"route {method} {templates[0]} has no auth check; pass auth=PUBLIC if the platform has none")
            for template in templates:
                prefix = template.split("{", 1)[0]
                self.routes.append(Route(method.upper(), template, prefix, handler, check, api))
            return handler

        return register

    def resolve(self, req: SandboxRequest, api: str | None) -> tuple[Route | None, dict[str, str], bool]:
        """The route for ``req`` by its method and path (and whether the path exists under another method).

        The runtime calls this before it takes its lock, so it is also where a sandbox that
        emulates a cap on requests in flight (keyed by path, by account header, …) counts them."""
        path_exists = False
        for route in self.routes:
            if api is not None and route.api is not None and route.api != api:
                continue
            params = route.match(req.path)
            if params is None:
                continue
            if route.method == req.method:
                return route, params, True
            path_exists = True
        return None, {}, path_exists
