"""One protocol core for every exchange, whatever does the I/O.

A :class:`Session` turns an action's :class:`~tether._wire.Request` objects into a stream of
operations (:class:`Send` this request, :class:`Sleep` that long, :class:`Emit` these items)
and reads back what the runner observed (an :class:`~.messages.Answer` or a
:class:`~.messages.TransportFailure`), in tether's own types: httpx is the network carrier's
business (:mod:`.carriers`), so an in-process sandbox run never loads it.
Auth, retries, pacing, redirects, error mapping and pagination live here once (one exchange's
layers in :mod:`.layers`, what it ends in in :mod:`.outcomes`, the operations in :mod:`.ops`);
:mod:`tether._http.runners` only sends and sleeps.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Protocol

from .. import __version__
from .._errors import ConfigurationError, TetherError, UsageError
from .._models import Action, Api, Connection, Connector, RunInfo
from .._wire import (
    MANAGED_HEADERS,
    Request,
    Response,
    RunContext,
    Wait,
    header_problem,
    method_problem,
)
from . import layers, outcomes
from .layers import GONE, MAX_REDIRECTS, REDIRECT_STATUSES, origin
from .lazylog import get_logger
from .messages import Url, of_httpx, plain_base, plain_url
from .ops import Acquire, Emit, HttpExchange, Ops, Send, Sleep
from .pacing import Pacer
from .retry import RetryPolicy

log = get_logger("tether.http")  # logging loads only when a record is emitted

__all__ = [
    "DEFAULT_TIMEOUT", "GONE", "MAX_REDIRECTS", "REDIRECT_STATUSES", "USER_AGENT", "Acquire", "CredentialStore", "Emit",
    "HttpExchange", "Ops", "Send", "Session", "Sleep", "StaticCredentials", "origin",
]
DEFAULT_TIMEOUTS = {"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 10.0}
"""Seconds, as ``DEFAULT_TIMEOUT`` (an ``httpx.Timeout``, made when first asked for) holds them."""
USER_AGENT = f"tether/{__version__}"


def __getattr__(name: str) -> Any:
    if name == "DEFAULT_TIMEOUT":  # an httpx object: httpx loads only for the network
        import httpx

        return httpx.Timeout(**DEFAULT_TIMEOUTS)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class CredentialStore(Protocol):
    """Where a session reads its credentials and saves refreshed ones."""

    def load(self) -> dict[str, Any]: ...

    def save(self, creds: Mapping[str, Any]) -> None: ...

    def locked(self) -> AbstractContextManager[Any]: ...


class StaticCredentials:
    """Credentials held in memory (tests, embedding); refreshed values stay in memory too."""

    def __init__(self, creds: Mapping[str, Any]):
        self._creds = dict(creds)

    def load(self) -> dict[str, Any]:
        return dict(self._creds)

    def save(self, creds: Mapping[str, Any]) -> None:
        self._creds = dict(creds)

    def locked(self) -> AbstractContextManager[Any]:
        return nullcontext()

    def __repr__(self) -> str:
        return f"StaticCredentials(fields={sorted(self._creds)})"


class Session:
    """Talks to one connection's platform. Holds no I/O of its own."""

    def __init__(
        self,
        connector: Connector,
        connection: Connection,
        credentials: CredentialStore,
        auth_kinds: Mapping[str, Any],
        *,
        hooks: Any = None,
        policy: RetryPolicy | None = None,
        pacer: Pacer | None = None,
        transport: str | None = None,
    ):
        self.transport = transport
        self._base_urls: dict[str, str] = {}
        self._origins: dict[str, tuple[str, str, int | None]] = {}
        self._bases: dict[str, Url | None] = {}
        self._fields: dict[str, tuple[str, ...]] = {}
        """The credential fields each API needs (they depend on its auth spec only)."""
        self._auth_ok: dict[str, str] | None = None
        """The credential headers last found sendable (they change only with the credentials)."""
        self.connector = connector
        self.connection = connection
        self.credentials = credentials
        self.auth_kinds = auth_kinds
        self.hooks = hooks
        self.policy = policy or RetryPolicy()
        self.pacer = pacer or Pacer()

    def __repr__(self) -> str:
        return f"Session(connector={self.connector.key!r}, connection={self.connection.id!r})"

    # -- addressing -------------------------------------------------------------------------

    @property
    def region(self) -> str | None:
        region = self.connection.settings.get("region")
        if region is None and self.connector.regions:
            region = self.connector.regions[0]
        return region

    def base_url(self, api: Api) -> str:
        """The API's base URL for this connection's region, with any ``baseUrl`` override.

        An override without a path replaces only scheme, host and port (so one loopback
        sandbox can stand in for every API of a connector); one with a path replaces it all.
        """
        # Computed once per API: URL parsing is a large share of a request's CPU in bulk jobs.
        known = self._base_urls.get(api.key)
        if known is not None:
            return known
        url = api.url(self.region)
        settings = self.connection.settings
        override = settings.get(f"baseUrl.{api.key}") or settings.get("baseUrl")
        if override:
            import httpx  # a baseUrl setting: a served sandbox or a proxy, so the network

            over, base = httpx.URL(override), httpx.URL(url)
            if over.path not in ("", "/"):
                url = str(over).rstrip("/")
            else:
                url = str(base.copy_with(scheme=over.scheme, host=over.host, port=over.port)).rstrip("/")
        self._base_urls[api.key] = url
        return url

    def _origin(self, api: Api) -> tuple[str, str, int | None]:
        known = self._origins.get(api.key)
        if known is None:
            known = self._origins[api.key] = origin(self.base_url(api))
        return known

    def url_for(self, api: Api, req: Request) -> Url:
        """The request's URL: a plain path and query appended to the base (parsed once) without
        httpx; anything httpx would rewrite goes through its parser (imported then)."""
        path = "/" + req.rendered_path().lstrip("/")
        items = req.params.items() if isinstance(req.params, Mapping) else req.params
        params = [(k, v) for k, v in items if v is not None]  # True/False go out as true/false (both paths)
        base = self._plain_base(api)
        if base is not None:
            url = plain_url(base, path, params)
            if url is not None:
                return url
        import httpx

        try:
            return of_httpx(httpx.URL(self.base_url(api) + path, params=params))
        except httpx.InvalidURL as exc:
            raise UsageError(f"cannot build the request URL: {exc}; nothing was sent") from None

    def _plain_base(self, api: Api) -> Url | None:
        """The base URL parsed once, when it is written as httpx would write it back (a plain
        path can then be appended as is); None sends every URL of this API through httpx's parser."""
        try:
            return self._bases[api.key]
        except KeyError:
            pass
        base = self._bases[api.key] = plain_base(self.base_url(api))
        return base

    # -- credentials ------------------------------------------------------------------------

    def auth_kind(self, api: Api) -> Any:
        try:
            return self.auth_kinds[api.auth.kind]
        except KeyError:
            raise ConfigurationError(
                f"auth kind {api.auth.kind!r} (needed by {self.connector.key}) is not registered; "
                "is the plugin that provides it installed? See `tether plugins`."
            ) from None

    def check_credentials(self, api: Api, creds: Mapping[str, Any] | None = None) -> None:
        """Fail with a clear, actionable error if this API's credentials (``creds``, else
        the stored ones) are missing."""
        fields = self._fields.get(api.key)
        if fields is None:
            fields = self._fields[api.key] = tuple(self.auth_kind(api).fields(api.auth.params))
        if creds is None:
            creds = self.credentials.load()
        missing = [f for f in fields if creds.get(f) in (None, "")]
        if missing:
            names = ", ".join(missing)
            label = api.name or f"the {api.key} API"
            example = ", ".join(f'"{m}": "…"' for m in missing)
            raise ConfigurationError(
                f"{label} needs credential {names}, which connection {self.connection.id} does not have; "
                f"add it with: tether connection update {self.connection.id} --input @FILE, FILE holding {{{example}}}; "
                "or without --input to type it in (a hidden prompt, or a page on this computer)",
                details={"missing": missing, "api": api.key},
            )

    def auth_headers(self, api: Api, creds: Mapping[str, Any] | None = None) -> Ops:
        """The credential headers for ``api``, from ``creds`` if just loaded, else the store's."""
        kind = self.auth_kind(api)
        if creds is None:
            creds = self.credentials.load()
        self.check_credentials(api, creds)
        if kind.refreshable and kind.needs_refresh(api.auth.params, creds):
            creds = yield from self.refresh(api, kind, creds, False)
        return kind.headers(api.auth.params, creds)

    def refresh(self, api: Api, kind: Any, stale: Mapping[str, Any], forced: bool) -> Ops:
        # Holding the store's lock, re-read: another process may have refreshed already, and
        # spending its rotated-away refresh token would log the user out.
        with self.credentials.locked():
            current = self.credentials.load()
            fresher = current.get("access_token") != stale.get("access_token")
            if fresher or (not forced and not kind.needs_refresh(api.auth.params, current)):
                return current
            log.debug("refreshing %s credentials for connection %s", api.auth.kind, self.connection.id)
            new = yield from kind.refresh(api.auth.params, current)
            self.credentials.save(new)
            return new

    # -- one exchange -----------------------------------------------------------------------

    def _prepared(self, api: Api, req: Request) -> tuple[Url, bytes | None, dict[str, str]]:
        """URL, body and headers of ``req``; anything that cannot be sent is a usage error now.

        httpx and h11 refuse these only later (or the in-process sandbox not at all), as a
        transport error that would read like a lost answer; nothing has left at this point.
        """
        problem = None if req.method in _SENDABLE_METHODS else method_problem(req.method)
        for name, value in req.headers.items():
            if problem is None:
                problem = header_problem(name, value)
            if problem is None and name.lower() in MANAGED_HEADERS:
                problem = f"header {name} is set by tether (a request goes only to the connection's own host)"
        if problem is not None:
            raise UsageError(f"{problem}; nothing was sent")
        try:
            url = self.url_for(api, req)
        except UnicodeEncodeError as exc:
            raise UsageError(f"the query cannot be encoded as UTF-8 ({exc.reason}); nothing was sent") from None
        try:
            body, content_type = req.body_bytes()
        except UnicodeEncodeError as exc:
            raise UsageError(f"the request body cannot be encoded as UTF-8 ({exc.reason} at character {exc.start}); nothing was sent") from None
        except (RecursionError, ValueError, TypeError) as exc:
            raise UsageError(f"the request body cannot be encoded as JSON ({type(exc).__name__}: {exc}); nothing was sent") from None
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if content_type:
            headers["Content-Type"] = content_type
        headers.update(req.headers)
        return url, body, headers

    def checked_auth(self, auth: Mapping[str, str]) -> dict[str, str]:
        if auth == self._auth_ok:  # the same headers as last time, checked then
            return dict(auth)
        for name, value in auth.items():
            problem = header_problem(name, value)
            if problem is not None:
                raise ConfigurationError(
                    f"the stored credentials of connection {self.connection.id} make an unusable {name} header "
                    f"({problem.partition(': ')[2] or problem}); store them again with: tether connection update {self.connection.id}"
                )
        self._auth_ok = dict(auth)
        return dict(auth)

    def exchange(self, req: Request, api_key: str | None, run: RunInfo | None = None, creds: Mapping[str, Any] | None = None) -> Ops:
        """Send ``req`` (with retries, a refresh and redirects: see :mod:`.layers`); return
        its :class:`Response` or raise. ``creds``: credentials loaded just before, for the first send."""
        api = self.connector.api(api_key)
        url, body, headers = self._prepared(api, req)
        state = layers.Exchange(req, api, run, url, body, headers, req.method, self._origin(api), creds=creds)
        return (yield from layers.exchange(self, state))

    def finish(self, req: Request, api: Api, outcome: Any, attempt: int, reason: str) -> Response:
        return outcomes.finish(self, req, api, outcome, attempt, reason)

    def error_for(self, api: Api, response: Response, tries: str = "", reason: str = "") -> TetherError:
        return outcomes.error_for(self, api, response, tries, reason)

    # -- actions ----------------------------------------------------------------------------

    def context(self, action: Action) -> RunContext:
        return RunContext(self.connector.key, action.key, dict(self.connection.settings), self.region)

    def run_action(self, action: Action, input: Mapping[str, Any], run: RunInfo | None = None, creds: Mapping[str, Any] | None = None) -> Ops:
        """Drive an action's generator; returns its output. ``creds``: the credentials the
        caller just loaded (and checked), used by the first send instead of loading them again."""
        gen = action.run(dict(input), self.context(action))
        value: Any = None
        error: BaseException | None = None
        while True:
            try:
                req = gen.send(value) if error is None else gen.throw(error)
            except StopIteration as stop:
                return stop.value
            if isinstance(req, Wait):
                yield Sleep(max(0.0, req.seconds) * self.policy.poll_scale)
                value, error, creds = None, None, None  # read again after the wait
                continue
            if not isinstance(req, Request):
                gen.close()
                raise TypeError(f"action {action.key!r} yielded {type(req).__name__}; actions yield Request or Wait")
            sending, creds = creds, None
            try:
                value, error = (yield from self.exchange(req, req.api or action.api, run, sending)), None
            except TetherError as exc:
                value, error = None, exc

    def stream_action(self, action: Action, input: Mapping[str, Any], run: RunInfo | None = None) -> Ops:
        """Follow a paginated action's pages, emitting each page's items; one page in memory.

        The action runs in full for every page (its input advanced by its page style), so a
        streamed page is shaped exactly as a single page is.
        """
        pages = action.pages
        if pages is None:
            raise ConfigurationError(f"action {action.key!r} is not paginated")
        first = dict(input)
        if pages.size_param and pages.max_size and first.get(pages.size_param) is None:
            first[pages.size_param] = pages.max_size
        page_input: dict[str, Any] | None = first
        while page_input is not None:
            output = yield from self.run_action(action, page_input, run)
            yield Emit(list(pages.page_items(output)))
            page_input = pages.next_input(page_input, output)


_SENDABLE_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
