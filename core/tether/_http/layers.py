"""One exchange (a request, its retries, refreshes and redirects) as four layers, each a
sub-generator that wraps the next, as httpx layers auth, redirects and the single send:

    retrying → refreshing (a 401 refreshes once) → following redirects → send_once

A layer takes the exchange's state and ``inner`` (a callable starting the next layer) and
returns the outcome it settles on, so each can be driven alone in a test. The state lives for
the whole exchange, retries included: a retry goes to where a redirect led, with credentials
already stripped for a foreign host, and a 401 refreshes at most once per exchange.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._errors import PlatformError
from .._models import Api, RunInfo
from .._observers import busy
from .._redact import redact
from .._wire import Request, Response
from .lazylog import DEBUG, get_logger
from .messages import Answer, Outgoing, Url, answer_of, parse
from .ops import Acquire, HttpExchange, Ops, Send, Sleep
from .outcomes import already_gone
from .pacing import slot
from .retry import rule_for

if TYPE_CHECKING:  # pragma: no cover
    from .engine import Session

log = get_logger("tether.http")  # logging loads only when a record is emitted

MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
GONE = frozenset({404, 410})
"""Answers to a DELETE that mean "nothing there": after a lost answer, the DELETE took effect."""

Outcome = Any
"""What one send observed: an :class:`~.messages.Answer` or a :class:`~.messages.TransportFailure`."""
Inner = Callable[[], Ops]


class Exchange:
    """Where an exchange stands; every layer reads and updates it. (A plain class: an attrs
    one costs ~0.5 ms at import, on every run.)"""

    __slots__ = ("req", "api", "run", "url", "body", "base_headers", "method", "trusted", "attempt", "redirects",
                 "refreshed", "stripped", "uncertain", "auth_names", "creds")

    def __init__(self, req: Request, api: Api, run: RunInfo | None, url: Url, body: bytes | None, base_headers: dict[str, str],
                 method: str, trusted: tuple[str, str, int | None], *, creds: Any = None):
        self.req, self.api, self.run, self.url, self.body = req, api, run, url, body
        self.base_headers, self.method = base_headers, method
        self.trusted = trusted
        """The origin the credentials belong to."""
        self.attempt = 0
        self.redirects = 0
        self.refreshed = False
        self.stripped = False
        """A redirect left the trusted origin: no credentials are sent from then on."""
        self.uncertain = False
        """An earlier attempt may have taken effect (its answer was lost)."""
        self.auth_names: tuple[str, ...] = ()
        """The credential headers of the last send."""
        self.creds = creds
        """Credentials loaded (and checked) just before the exchange: the first send uses them."""

    def __repr__(self) -> str:
        return f"Exchange({self.method} {self.url}, attempt={self.attempt}, redirects={self.redirects}, stripped={self.stripped})"


def origin(url: Url | str) -> tuple[str, str, int | None]:
    return (url if isinstance(url, Url) else parse(url)).origin


def joined_url(url: Url, location: str) -> Url:
    """Where a redirect's ``Location`` leads from ``url``, resolved by httpx (a rare path, so
    httpx is imported only here)."""
    from .carriers import httpx_url
    from .messages import of_httpx

    return of_httpx(httpx_url(url).join(location))


def retrying(session: Session, x: Exchange, inner: Inner) -> Ops:
    """Repeat ``inner`` while the retry policy says it is safe; the final :class:`Response` or raise."""
    while True:
        outcome = yield from inner()
        decision = session.policy.decide(x.attempt, x.req.is_idempotent, outcome)
        if decision.retry:
            log.info("retrying %s %s in %.2fs (%s)", x.method, redact(str(x.url)), decision.delay, decision.reason)
            x.uncertain = x.uncertain or rule_for(outcome).processed is None
            yield Sleep(decision.delay)
            x.attempt += 1
            continue
        if x.uncertain and isinstance(outcome, Answer) and x.method == "DELETE" and outcome.status in GONE:
            return already_gone(x.req, outcome)
        return session.finish(x.req, x.api, outcome, x.attempt, decision.reason)


def refreshing(session: Session, x: Exchange, inner: Inner) -> Ops:
    """On a 401 with refreshable credentials, refresh them and send again, once per exchange
    (the token may have been revoked early, or clocks differ)."""
    while True:
        outcome = yield from inner()
        if isinstance(outcome, Answer):
            kind = session.auth_kind(x.api)
            if outcome.status == 401 and kind.refreshable and not x.refreshed and not x.stripped:
                x.refreshed = True
                yield from session.refresh(x.api, kind, session.credentials.load(), True)
                continue
        return outcome


def following_redirects(session: Session, x: Exchange, inner: Inner) -> Ops:
    """Follow the API's redirects (at most :data:`MAX_REDIRECTS` per exchange); a 303, or a
    301/302 answering a POST, becomes a GET; leaving the trusted origin drops every credential."""
    while True:
        outcome = yield from inner()
        if not isinstance(outcome, Answer):
            return outcome
        location = outcome.headers.get("location")
        if not (x.api.follow_redirects and outcome.status in REDIRECT_STATUSES and location):
            return outcome
        x.redirects += 1
        if x.redirects > MAX_REDIRECTS:
            raise PlatformError(f"{session.connector.name}: more than {MAX_REDIRECTS} redirects", status=outcome.status)
        x.url = joined_url(x.url, location)
        if outcome.status == 303 or (outcome.status in (301, 302) and x.method == "POST"):
            x.method, x.body = "GET", None
            x.base_headers.pop("Content-Type", None)
        if origin(x.url) != x.trusted:
            # httpx would strip only Authorization; every credential header goes.
            x.stripped = True
            for name in x.auth_names:
                x.base_headers.pop(name, None)


def send_once(session: Session, x: Exchange) -> Ops:
    """Wait for the pace and a concurrency slot, add credentials, send once; the outcome."""
    api, req = x.api, x.req
    limit = api.rate_limits.get(req.rate_family) or api.rate_limits.get("default")
    wait = session.pacer.reserve((session.connection.id, api.key, req.rate_family), limit)
    if wait > 0:
        log.debug("pacing %s: waiting %.2fs", api.key, wait)
        yield Sleep(wait)
    headers = dict(x.base_headers)
    auth: dict[str, str] = {}
    if not x.stripped:
        creds, x.creds = x.creds, None  # a retry, after a wait, reads them again
        auth = session.checked_auth((yield from session.auth_headers(api, creds)))
        headers.update(auth)
    x.auth_names = tuple(auth)
    request = Outgoing(x.method, x.url, headers, x.body)
    cap = api.concurrency.get(req.rate_family) or api.concurrency.get("default")
    if not cap:
        return (yield from observed(session, request, x.auth_names, x.run))
    semaphore = slot((session.connection.id, api.key, req.rate_family if req.rate_family in api.concurrency else "default"), cap)
    yield Acquire(semaphore)
    try:
        return (yield from observed(session, request, x.auth_names, x.run))
    finally:
        semaphore.release()


def observed(session: Session, request: Outgoing, auth_names: tuple[str, ...], run: RunInfo | None) -> Ops:
    """Send ``request`` as the execution hooks and the debug log see it (credentials masked).
    An ``http_request`` hook may answer it instead; nothing is prepared for idle hooks."""
    exchange = None
    hooks = session.hooks
    debug = log.isEnabledFor(DEBUG)  # the log lines below cost a redacted copy each
    watched = hooks is not None and (busy(hooks.http_request) or busy(hooks.http_response))
    shown: dict[str, str] = {}
    if watched or debug:  # the headers as hooks and the log see them: credentials masked
        secret = {name.lower() for name in auth_names}
        shown = {k: ("***" if k in secret else redact(v)) for k, v in request.shown_headers().items()}
    if watched:
        exchange = HttpExchange(request.method, redact(str(request.url)), shown, request.content or None)
        canned = hooks.http_request(run=run, exchange=exchange)
        if canned is not None:
            log.debug("%s %s answered by a plugin", request.method, redact(str(request.url)))
            outcome: Any = answer_of(canned.status, dict(canned.headers), canned.content, request.url)
            hooks.http_response(run=run, exchange=exchange, status=canned.status, elapsed=0.0)
            return outcome
    if debug:
        log.debug("→ %s %s %s", request.method, redact(str(request.url)), shown)
        if request.content:
            log.debug("→ body %s", redact(request.content[:2000].decode("utf-8", "replace")))
    started = time.perf_counter()
    outcome = yield Send(request, session.transport)
    elapsed = time.perf_counter() - started
    if debug:
        if isinstance(outcome, Answer):
            log.debug("← %s %s %s (%.0f ms)", outcome.status, request.method, redact(str(request.url)), elapsed * 1000)
            if outcome.content:
                log.debug("← body %s", redact(outcome.content[:2000].decode("utf-8", "replace")))
        else:
            name = getattr(outcome, "name", type(outcome).__name__)
            log.debug("× %s %s: %s (%.0f ms)", request.method, redact(str(request.url)), name, elapsed * 1000)
    if exchange is not None:
        status = outcome.status if isinstance(outcome, Answer) else None
        hooks.http_response(run=run, exchange=exchange, status=status, elapsed=elapsed)
    return outcome


def exchange(session: Session, x: Exchange) -> Ops:
    """The four layers stacked: the exchange's :class:`Response`, or the error it ends in."""

    def send() -> Ops:
        return send_once(session, x)

    def redirect() -> Ops:
        return following_redirects(session, x, send)

    def refresh() -> Ops:
        return refreshing(session, x, redirect)

    return (yield from retrying(session, x, refresh))


__all__ = ["Exchange", "Response", "exchange", "following_redirects", "observed", "origin", "refreshing", "retrying", "send_once"]
