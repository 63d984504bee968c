"""One protocol core for every exchange, whatever does the I/O.

A :class:`Session` turns an action's :class:`~tether._wire.Request` objects into a stream of
operations (:class:`Send` this request, :class:`Sleep` that long, :class:`Emit` these items)
and reads back what the runner observed (an ``httpx.Response`` or the transport exception).
Auth, retries, pacing, redirects, error mapping and pagination live here once;
:mod:`tether._http.runners` only sends and sleeps.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Generator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Protocol

import attrs
import httpx

from .. import __version__
from .._errors import (
    AuthError,
    ConfigurationError,
    NetworkError,
    PlatformError,
    PlatformNotFoundError,
    RateLimitedError,
    TetherError,
    UsageError,
)
from .._models import Action, Api, Connection, Connector, RunInfo
from .._observers import busy
from .._redact import redact, redact_obj
from .._wire import MANAGED_HEADERS, Request, Response, RunContext, Wait, header_problem, method_problem
from .pacing import Pacer, slot
from .retry import RetryPolicy, parse_retry_after, rule_for

log = logging.getLogger("tether.http")

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
GONE = frozenset({404, 410})
"""Answers to a DELETE that mean "nothing there": after a lost answer, the DELETE took effect."""
DEFAULT_TIMEOUT = httpx.Timeout(connect=10.0, read=30.0, write=30.0, pool=10.0)
USER_AGENT = f"tether/{__version__}"


@attrs.frozen
class Send:
    request: httpx.Request
    transport: str | None = None
    """Which client the runner should use (``None``: the network)."""


@attrs.frozen
class Sleep:
    seconds: float


@attrs.frozen
class Emit:
    items: Sequence[Any]


@attrs.frozen
class Acquire:
    """Take a slot of a concurrency cap before sending (the runner blocks or polls for it)."""

    semaphore: Any


Ops = Generator[Any, Any, Any]


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


@attrs.frozen
class HttpExchange:
    """An outgoing request as execution hooks see it: credentials masked."""

    method: str
    url: str
    headers: Mapping[str, str]
    content: bytes | None


def origin(url: httpx.URL | str) -> tuple[str, str, int | None]:
    u = httpx.URL(str(url))
    return (u.scheme, u.host, u.port)


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

    def url_for(self, api: Api, req: Request) -> httpx.URL:
        path = req.rendered_path()
        params = [(k, v) for k, v in (req.params.items() if isinstance(req.params, Mapping) else req.params) if v is not None]
        params = [(k, _query_value(v)) for k, v in params]
        return httpx.URL(self.base_url(api) + "/" + path.lstrip("/"), params=params)

    # -- credentials ------------------------------------------------------------------------

    def _kind(self, api: Api) -> Any:
        try:
            return self.auth_kinds[api.auth.kind]
        except KeyError:
            raise ConfigurationError(
                f"auth kind {api.auth.kind!r} (needed by {self.connector.key}) is not registered; "
                "is the plugin that provides it installed? See `tether plugins`."
            ) from None

    def check_credentials(self, api: Api) -> None:
        """Fail with a clear, actionable error if this API's credentials are missing."""
        kind = self._kind(api)
        creds = self.credentials.load()
        missing = [f for f in kind.fields(api.auth.params) if creds.get(f) in (None, "")]
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

    def _auth_headers(self, api: Api) -> Ops:
        kind = self._kind(api)
        self.check_credentials(api)
        creds = self.credentials.load()
        if kind.refreshable and kind.needs_refresh(api.auth.params, creds):
            creds = yield from self._refresh(api, kind, creds, False)
        return kind.headers(api.auth.params, creds)

    def _refresh(self, api: Api, kind: Any, stale: Mapping[str, Any], forced: bool) -> Ops:
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

    def _prepared(self, api: Api, req: Request) -> tuple[httpx.URL, bytes | None, dict[str, str]]:
        """URL, body and headers of ``req``; anything that cannot be sent is a usage error now.

        httpx and h11 refuse these only later (or the in-process sandbox not at all), as a
        transport error that would read like a lost answer; nothing has left at this point.
        """
        problem = method_problem(req.method)
        for name, value in req.headers.items():
            if problem is None:
                problem = header_problem(name, value)
            if problem is None and name.lower() in MANAGED_HEADERS:
                problem = f"header {name} is set by tether (a request goes only to the connection's own host)"
        if problem is not None:
            raise UsageError(f"{problem}; nothing was sent")
        try:
            url = self.url_for(api, req)
        except httpx.InvalidURL as exc:
            raise UsageError(f"cannot build the request URL: {exc}; nothing was sent") from None
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

    def _checked_auth(self, auth: Mapping[str, str]) -> dict[str, str]:
        for name, value in auth.items():
            problem = header_problem(name, value)
            if problem is not None:
                raise ConfigurationError(
                    f"the stored credentials of connection {self.connection.id} make an unusable {name} header "
                    f"({problem.partition(': ')[2] or problem}); store them again with: tether connection update {self.connection.id}"
                )
        return dict(auth)

    def exchange(self, req: Request, api_key: str | None, run: RunInfo | None = None) -> Ops:
        """Send ``req`` (with retries and redirects); return its :class:`Response` or raise."""
        api = self.connector.api(api_key)
        url, body, base_headers = self._prepared(api, req)
        method = req.method
        trusted = self._origin(api)
        limit = api.rate_limits.get(req.rate_family) or api.rate_limits.get("default")
        attempt = redirects = 0
        refreshed = stripped = False
        uncertain = False  # an earlier attempt may have taken effect (its answer was lost)
        while True:
            wait = self.pacer.reserve((self.connection.id, api.key, req.rate_family), limit)
            if wait > 0:
                log.debug("pacing %s: waiting %.2fs", api.key, wait)
                yield Sleep(wait)
            headers = dict(base_headers)
            auth: dict[str, str] = {}
            if not stripped:
                auth = self._checked_auth((yield from self._auth_headers(api)))
                headers.update(auth)
            http_request = httpx.Request(method, url, content=body, headers=headers)
            cap = api.concurrency.get(req.rate_family) or api.concurrency.get("default")
            if cap:
                semaphore = slot((self.connection.id, api.key, req.rate_family if req.rate_family in api.concurrency else "default"), cap)
                yield Acquire(semaphore)
                try:
                    outcome = yield from self._send(http_request, set(auth), run)
                finally:
                    semaphore.release()
            else:
                outcome = yield from self._send(http_request, set(auth), run)

            if isinstance(outcome, httpx.Response):
                location = outcome.headers.get("location")
                if api.follow_redirects and outcome.status_code in REDIRECT_STATUSES and location:
                    redirects += 1
                    if redirects > MAX_REDIRECTS:
                        raise PlatformError(f"{self.connector.name}: more than {MAX_REDIRECTS} redirects", status=outcome.status_code)
                    url = url.join(location)
                    if outcome.status_code == 303 or (outcome.status_code in (301, 302) and method == "POST"):
                        method, body = "GET", None
                        base_headers.pop("Content-Type", None)
                    if origin(url) != trusted:
                        # httpx would strip only Authorization; every credential header goes.
                        stripped = True
                        for name in auth:
                            base_headers.pop(name, None)
                    continue
                kind = self._kind(api)
                if outcome.status_code == 401 and kind.refreshable and not refreshed and not stripped:
                    # Once per exchange: the token may have been revoked early or clocks differ.
                    refreshed = True
                    yield from self._refresh(api, kind, self.credentials.load(), True)
                    continue

            decision = self.policy.decide(attempt, req.is_idempotent, outcome)
            if decision.retry:
                log.info("retrying %s %s in %.2fs (%s)", method, redact(str(url)), decision.delay, decision.reason)
                uncertain = uncertain or rule_for(outcome).processed is None
                yield Sleep(decision.delay)
                attempt += 1
                continue
            if uncertain and isinstance(outcome, httpx.Response) and method == "DELETE" and outcome.status_code in GONE:
                return self._already_gone(req, outcome)
            return self._finish(req, api, outcome, attempt, decision.reason)

    def _already_gone(self, req: Request, outcome: httpx.Response) -> Response:
        """A retried DELETE found nothing: the attempt whose answer was lost deleted it."""
        note = (
            f"a retry found nothing ({outcome.status_code}) after an attempt whose answer was lost: "
            "that attempt deleted it (or it was already gone), so this is reported as done"
        )
        log.warning("%s %s: %s", req.method, redact(str(outcome.url)), note)
        url = redact(str(outcome.url))
        if outcome.status_code in req.accept:  # the caller reads statuses itself (`tether request`)
            return Response(outcome.status_code, dict(outcome.headers), outcome.content, url, note=note)
        return Response(204, {}, b"", url, note=note)

    def _send(self, request: httpx.Request, auth_names: set[str], run: RunInfo | None) -> Ops:
        exchange = None
        secret_headers = {name.lower() for name in auth_names}
        if self.hooks is not None and (busy(self.hooks.http_request) or busy(self.hooks.http_response)):
            masked = {k: ("***" if k.lower() in secret_headers else redact(v)) for k, v in request.headers.items()}
            exchange = HttpExchange(request.method, redact(str(request.url)), masked, request.content or None)
            canned = self.hooks.http_request(run=run, exchange=exchange)
            if canned is not None:
                log.debug("%s %s answered by a plugin", request.method, redact(str(request.url)))
                outcome: Any = httpx.Response(canned.status, headers=dict(canned.headers), content=canned.content, request=request)
                self.hooks.http_response(run=run, exchange=exchange, status=canned.status, elapsed=0.0)
                return outcome
        if log.isEnabledFor(logging.DEBUG):
            shown = {k: ("***" if k.lower() in secret_headers else redact(v)) for k, v in request.headers.items()}
            log.debug("→ %s %s %s", request.method, redact(str(request.url)), shown)
            if request.content:
                log.debug("→ body %s", redact(request.content[:2000].decode("utf-8", "replace")))
        started = time.perf_counter()
        outcome = yield Send(request, self.transport)
        elapsed = time.perf_counter() - started
        if isinstance(outcome, httpx.Response):
            log.debug("← %s %s %s (%.0f ms)", outcome.status_code, request.method, redact(str(request.url)), elapsed * 1000)
            if outcome.content and log.isEnabledFor(logging.DEBUG):
                log.debug("← body %s", redact(outcome.content[:2000].decode("utf-8", "replace")))
        else:
            log.debug("× %s %s: %s (%.0f ms)", request.method, redact(str(request.url)), type(outcome).__name__, elapsed * 1000)
        if exchange is not None:
            status = outcome.status_code if isinstance(outcome, httpx.Response) else None
            self.hooks.http_response(run=run, exchange=exchange, status=status, elapsed=elapsed)
        return outcome

    def _finish(self, req: Request, api: Api, outcome: httpx.Response | Exception, attempt: int, reason: str) -> Response:
        tries = f" after {attempt + 1} attempts" if attempt else ""
        if isinstance(outcome, Exception):
            rule = rule_for(outcome)
            detail = redact(str(outcome)) or type(outcome).__name__
            if rule.local:
                raise UsageError(f"{req.method} {self.connector.name}: {rule.meaning} ({detail}); nothing was sent")
            note = "" if rule.processed is False or req.is_idempotent else (
                "; it may have been processed, so it was not retried (not idempotent): check before sending it again"
            )
            raise NetworkError(
                f"{req.method} {self.connector.name}: {rule.meaning}{tries} ({type(outcome).__name__}: {detail}){note}",
                processed=rule.processed,
            )
        response = Response(outcome.status_code, dict(outcome.headers), outcome.content, redact(str(outcome.url)))
        if response.ok or response.status in req.accept:
            return response
        raise self.error_for(api, response, tries, reason)

    def error_for(self, api: Api, response: Response, tries: str = "", reason: str = "") -> TetherError:
        body: Any = response.json(default=None)
        if body is None and response.content:
            body = response.text[:2000]
        body = redact_obj(body)
        message = None
        if self.connector.error_message is not None:
            try:
                message = self.connector.error_message(response.status, body)
            except Exception:  # a connector's parser must never hide the platform's answer
                message = None
        if not message:
            message = _default_message(body) or httpx.codes.get_reason_phrase(response.status) or "error"
        text = f"{self.connector.name} answered {response.status}{tries}: {redact(str(message))}"
        processed = rule_for(response.status).processed
        if response.status in api.auth_statuses:
            return AuthError(text, status=response.status, body=body, processed=processed)
        if response.status == 429:
            if reason and "exceeds" in reason:
                text += f" ({reason})"
            retry_after = parse_retry_after(response.header("retry-after"))
            return RateLimitedError(text, status=429, body=body, retry_after=retry_after, processed=processed)
        if response.status == 404:
            return PlatformNotFoundError(text, status=404, body=body, processed=processed)
        if processed is None:
            text += " (it may have been processed: check before sending it again)"
        return PlatformError(text, status=response.status, body=body, processed=processed)

    # -- actions ----------------------------------------------------------------------------

    def context(self, action: Action) -> RunContext:
        return RunContext(self.connector.key, action.key, dict(self.connection.settings), self.region)

    def run_action(self, action: Action, input: Mapping[str, Any], run: RunInfo | None = None) -> Ops:
        """Drive an action's generator; returns its output."""
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
                value, error = None, None
                continue
            if not isinstance(req, Request):
                gen.close()
                raise TypeError(f"action {action.key!r} yielded {type(req).__name__}; actions yield Request or Wait")
            try:
                value, error = (yield from self.exchange(req, req.api or action.api, run)), None
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


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _default_message(body: Any) -> str | None:
    """Best effort over common error shapes when a connector gives no parser."""
    if isinstance(body, str):
        return body.strip()[:500] or None
    if isinstance(body, Mapping):
        for key in ("error", "message", "detail", "error_description", "errors"):
            value = body.get(key)
            if isinstance(value, str):
                return value
            if isinstance(value, Mapping):
                nested = _default_message(value)
                if nested:
                    return nested
            if isinstance(value, list) and value:
                first = value[0]
                return first if isinstance(first, str) else _default_message(first)
    return None
