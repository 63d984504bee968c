"""The network carriers: an engine :class:`~.messages.Outgoing` request sent with httpx.

The only engine module that imports httpx; a runner loads it when a request goes to the
network. One ``httpx.Request`` is built per send, straight from the engine's parts (the URL
from the base httpx parsed once, as before), so the bytes on the wire are httpx's own.
"""

from __future__ import annotations

from typing import Any

import httpx

from .messages import (
    Answer,
    AnswerLost,
    ConnectFailed,
    ConnectTimedOut,
    Outgoing,
    PoolTimedOut,
    RefusedLocally,
    TransportFailure,
    UnsupportedScheme,
    Url,
    joined,
)

# httpx's transport exceptions, most specific first (LocalProtocolError is a TransportError too).
_FAILURES: tuple[tuple[type[Exception], type[TransportFailure]], ...] = (
    (httpx.LocalProtocolError, RefusedLocally),
    (httpx.UnsupportedProtocol, UnsupportedScheme),
    (httpx.ConnectError, ConnectFailed),
    (httpx.ConnectTimeout, ConnectTimedOut),
    (httpx.PoolTimeout, PoolTimedOut),
    (httpx.TransportError, AnswerLost),
)


def failure_of(exc: BaseException) -> TransportFailure | None:
    """An httpx transport exception as tether's kind of failure (keeping its name and text)."""
    for kind, ours in _FAILURES:
        if isinstance(exc, kind):
            return ours(str(exc), type(exc).__name__)
    return None


def _can_extend(url: httpx.URL) -> bool:
    """Whether this httpx keeps a URL's parsed parts as the named tuple :func:`httpx_url` extends."""
    ref = getattr(url, "_uri_reference", None)
    return ref is not None and hasattr(ref, "_replace") and {"path", "query"} <= set(getattr(ref, "_fields", ()))


def httpx_url(url: Url) -> httpx.URL:
    """``url`` as an ``httpx.URL``: the one httpx parsed, or its base (parsed once) extended
    with the plain path and query, without parsing again (a large share of a call's CPU)."""
    if url.parsed is not None:
        return url.parsed  # type: ignore[no-any-return]
    base = url.base
    if base is not None:
        parsed = base.extendable
        if parsed is None:  # once per base (threads may race here: they compute the same)
            parsed = httpx.URL(str(base))
            parsed = base.extendable = parsed if _can_extend(parsed) else False
        if parsed is not False:
            extended = httpx.URL.__new__(httpx.URL)
            extended._uri_reference = parsed._uri_reference._replace(path=url.path, query=url.query)
            return extended
    return httpx.URL(str(url))


def _can_send_direct(http: httpx.Client | httpx.AsyncClient) -> bool:
    """Whether this httpx lets a request go straight to the transport the client picks for its
    URL (the pool, or the proxy the environment names), past the client's own layers.

    Those layers (auth, redirects, cookies, event hooks, a log line per request) are work tether
    does itself or must not have done: tether sends requests it built whole, follows redirects
    in its engine, keeps no cookies; skipping them is a third of a call's CPU. An httpx without
    the method falls back to ``send``.
    """
    return callable(getattr(http, "_transport_for_url", None)) and isinstance(getattr(http, "timeout", None), httpx.Timeout)


def to_httpx(request: Outgoing) -> httpx.Request:
    return httpx.Request(request.method, httpx_url(request.url), content=request.content, headers=request.headers)


def answer_from(response: httpx.Response, url: Url) -> Answer:
    """The answer as ``dict(response.headers)`` reads it (lower-case names, repeated ones
    joined by ", "), in one pass."""
    return Answer(response.status_code, joined(response.headers.multi_items()), response.content, url)


class NetworkCarrier:
    """Sends with one ``httpx.Client`` (``http``, made by the client with its timeout)."""

    def __init__(self, http: httpx.Client):
        self.http = http
        self._timeout = http.timeout.as_dict()
        self._direct = _can_send_direct(http)

    def _sent(self, request: httpx.Request) -> httpx.Response:
        """``http.send(request)``, the body read, through the transport itself when it can be."""
        if not self._direct:
            return self.http.send(request)
        request.extensions = {**request.extensions, "timeout": self._timeout}
        response = self.http._transport_for_url(request.url).handle_request(request)
        try:
            response.read()
        finally:
            response.close()  # the connection goes back to the pool
        return response

    def send(self, request: Outgoing | httpx.Request) -> Any:
        if type(request) is not Outgoing:  # an auth kind's own httpx.Request (a token refresh): as is
            try:
                return self.http.send(request)  # type: ignore[arg-type]
            except httpx.TransportError as exc:
                return exc
        try:
            response = self._sent(to_httpx(request))
        except httpx.TransportError as exc:
            return failure_of(exc)
        return answer_from(response, request.url)

    def close(self) -> None:
        self.http.close()


class AsyncNetworkCarrier:
    """Sends with one ``httpx.AsyncClient`` (one per event loop: see ``AsyncClient``)."""

    def __init__(self, http: httpx.AsyncClient):
        self.http = http
        self._timeout = http.timeout.as_dict()
        self._direct = _can_send_direct(http)

    async def _sent(self, request: httpx.Request) -> httpx.Response:
        if not self._direct:
            return await self.http.send(request)
        request.extensions = {**request.extensions, "timeout": self._timeout}
        response = await self.http._transport_for_url(request.url).handle_async_request(request)
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response

    async def send(self, request: Outgoing | httpx.Request) -> Any:
        if type(request) is not Outgoing:
            try:
                return await self.http.send(request)  # type: ignore[arg-type]
            except httpx.TransportError as exc:
                return exc
        try:
            response = await self._sent(to_httpx(request))
        except httpx.TransportError as exc:
            return failure_of(exc)
        return answer_from(response, request.url)

    async def aclose(self) -> None:
        await self.http.aclose()
