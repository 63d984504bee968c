"""What the engine sends and reads, in tether's own small types (sans I/O, as h11 does it).

The engine builds an :class:`Outgoing` request and reads back an :class:`Answer` or a
:class:`TransportFailure`; a runner's carrier converts at the edge (httpx for the network,
:mod:`tether._sandbox.inprocess` for an in-process sandbox). Standard library only: an
in-process sandbox run never imports httpx.

The URL of an ordinary request is built here without a URL parser, and must be exactly the
URL httpx would have built from the same parts (``tests/test_url_building.py`` compares them):
a base URL that is not plainly written, or a path or query httpx would rewrite, goes through
httpx's parser instead (:func:`tether._http.engine.Session.url_for`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

# A path httpx's parser would send exactly as given (RFC 3986 pchars, valid %XX escapes, no
# "." or ".." segment to remove), and a query it would leave alone.
PLAIN_PATH = re.compile(r"(?:/(?!\.\.?(?:/|$))(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*)*")
PLAIN_QUERY = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*")
SHORT = 8192
"""Longer paths or queries go through the parser, which also enforces httpx's length limits."""

# A base URL written as httpx would write it back: lower-case http(s), a lower-case ASCII host
# name, a port without leading zeros, a plain path. Anything else (upper case, IDNA, IPv6,
# user info, a query or fragment) is parsed by httpx.
_PLAIN_BASE = re.compile(r"(https?)://([a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::([1-9][0-9]{0,4}))?(/[^?#]*)?")
_IPV4_STYLE = re.compile(r"[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+")  # httpx validates these as addresses
_OCTET = re.compile(r"0|[1-9][0-9]{0,2}")
_DEFAULT_PORTS = {"http": 80, "https": 443}


class Url:
    """An absolute URL as sent: ``path`` and ``query`` are already percent-encoded.

    ``host`` is as httpx's ``URL.host`` reads it (no IPv6 brackets), ``netloc`` as the Host
    header carries it, ``port`` None for the scheme's default.
    """

    __slots__ = ("scheme", "host", "port", "netloc", "path", "query", "base", "parsed", "extendable", "_text")

    def __init__(self, scheme: str, host: str, port: int | None, netloc: str, path: str, query: str | None = None,
                 *, base: Url | None = None, parsed: Any = None, text: str | None = None):
        self.scheme, self.host, self.port, self.netloc = scheme, host, port, netloc
        self.path, self.query = path, query
        self.base = base
        """The base URL this one extends (its path a plain continuation of the base's)."""
        self.parsed = parsed
        """httpx's own ``URL`` for this one, when httpx parsed it (the network carrier reuses it)."""
        self.extendable: Any = None
        """For a base: httpx's ``URL`` of it, parsed once by the network carrier to extend
        (False when this httpx cannot be extended that way); None until then."""
        self._text = text

    def __str__(self) -> str:
        text = self._text
        if text is None:
            text = f"{self.scheme}://{self.netloc}{self.path}" if self.query is None else (
                f"{self.scheme}://{self.netloc}{self.path}?{self.query}"
            )
            self._text = text
        return text

    def __repr__(self) -> str:
        return f"Url({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Url) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    @property
    def origin(self) -> tuple[str, str, int | None]:
        return (self.scheme, self.host, self.port)

    def extended(self, path: str, query: str | None) -> Url:
        """This base with a plain ``path`` appended (its own trailing slash dropped) and ``query``."""
        return Url(self.scheme, self.host, self.port, self.netloc, self.path.rstrip("/") + path, query, base=self)


def plain_base(text: str) -> Url | None:
    """``text`` parsed without httpx when httpx would write it back unchanged; else None."""
    m = _PLAIN_BASE.fullmatch(text)
    if m is None:
        return None
    scheme, host, port_text, path = m.groups()
    if path and (len(path) > SHORT or PLAIN_PATH.fullmatch(path) is None):
        return None
    if _IPV4_STYLE.fullmatch(host) and not all(_OCTET.fullmatch(o) and int(o) <= 255 for o in host.split(".")):
        return None  # httpx refuses it (or reads it otherwise): let it say so
    port = int(port_text) if port_text else None
    if port == _DEFAULT_PORTS[scheme]:
        port = None
    netloc = host if port is None else f"{host}:{port}"
    return Url(scheme, host, port, netloc, path or "")


def of_httpx(url: Any) -> Url:
    """A :class:`Url` read from an ``httpx.URL`` (which it keeps, for the network carrier)."""
    raw = url.raw_path.decode("ascii")
    path, _, query = raw.partition("?")
    return Url(url.scheme, url.host, url.port, url.netloc.decode("ascii"), path, query if url.query else None,
               parsed=url, text=str(url))


def parse(text: str) -> Url:
    """Any absolute URL: without httpx when it is plainly written, else through its parser."""
    url = plain_base(text)
    if url is not None:
        return url
    import httpx

    return of_httpx(httpx.URL(text))


def query_string(params: Iterable[tuple[str, Any]]) -> str:
    """``str(httpx.QueryParams(params))``: repeated names grouped where each first appears,
    values as text (True/False as true/false, None as empty), form-encoded."""
    grouped: dict[str, list[str]] = {}
    for key, value in params:
        text = "true" if value is True else "false" if value is False else "" if value is None else str(value)
        grouped.setdefault(str(key), []).append(text)
    return urlencode([(key, value) for key, values in grouped.items() for value in values])


def plain_url(base: Url, path: str, params: list[tuple[str, Any]]) -> Url | None:
    """``base`` with ``path`` appended and ``params`` as its query, built without parsing; None
    when httpx's parser would change either (it then does the whole job)."""
    if len(path) > SHORT or PLAIN_PATH.fullmatch(path) is None:
        return None
    query = query_string(params) if params else None
    if query is not None and (len(query) > SHORT or PLAIN_QUERY.fullmatch(query) is None):
        return None
    return base.extended(path, query)


class Outgoing:
    """A request as the engine hands it to a carrier. ``headers``: the ones tether chose, in
    order; the carrier adds the framing ones (Host, Content-Length), as httpx does."""

    __slots__ = ("method", "url", "headers", "content")

    def __init__(self, method: str, url: Url, headers: dict[str, str], content: bytes | None):
        self.method, self.url, self.headers, self.content = method, url, headers, content

    def __repr__(self) -> str:
        return f"<Outgoing {self.method} {self.url}>"

    def wire_headers(self) -> list[tuple[str, str]]:
        """Every header as httpx sends this request: Host first, then a Content-Length of 0 for
        an empty POST, PUT or PATCH, then tether's, then the body's length."""
        wire = [("Host", self.url.netloc)]
        if not self.content and self.method in ("POST", "PUT", "PATCH"):
            wire.append(("Content-Length", "0"))
        wire.extend(self.headers.items())
        if self.content:
            wire.append(("Content-Length", str(len(self.content))))
        return wire

    def shown_headers(self) -> dict[str, str]:
        """The headers sent, as ``dict(httpx.Request.headers)`` reads them (for hooks and logs)."""
        return joined(self.wire_headers())


def joined(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Header pairs as ``dict(httpx.Headers)`` reads them: lower-case names, a repeated one's
    values joined by ", "."""
    headers: dict[str, str] = {}
    for name, value in pairs:
        name = name.lower()
        known = headers.get(name)
        headers[name] = value if known is None else f"{known}, {value}"
    return headers


class Answer:
    """What came back: ``headers`` with lower-case names (repeated ones joined by ", ")."""

    __slots__ = ("status", "headers", "content", "url")

    def __init__(self, status: int, headers: dict[str, str], content: bytes, url: Url):
        self.status, self.headers, self.content, self.url = status, headers, content, url

    @property
    def status_code(self) -> int:
        """``status``, under httpx's name (code reading either kind of response)."""
        return self.status

    def __repr__(self) -> str:
        return f"<Answer {self.status} {self.url}>"


def answer_of(status: int, headers: Mapping[str, str] | Iterable[tuple[str, str]], content: bytes | None, url: Url) -> Answer:
    """An answer made here (a sandbox's, a hook's) as ``httpx.Response(status, headers=...,
    content=...)`` would read: a Content-Length added when there is a body and none was given."""
    pairs = list(headers.items() if isinstance(headers, Mapping) else headers)
    content = content or b""
    read = joined(pairs)
    if content and "content-length" not in read:
        read["content-length"] = str(len(content))
    return Answer(status, read, content, url)


class TransportFailure(Exception):
    """No answer came back. The kind (subclass) says what is known of the request's fate (the
    rules in :mod:`tether._http.retry`); ``name`` is what the transport called it (httpx's
    exception name, e.g. ``ReadTimeout``), which error messages quote."""

    def __init__(self, message: str, name: str | None = None):
        super().__init__(message)
        self.name = name or type(self).__name__


class RefusedLocally(TransportFailure):
    """Refused before a byte left (an illegal header or method): the request's own fault."""


class UnsupportedScheme(TransportFailure):
    """The URL's scheme cannot be sent."""


class ConnectFailed(TransportFailure):
    """No connection: the request provably never reached the platform."""


class ConnectTimedOut(TransportFailure):
    """No connection in time: the request provably never reached the platform."""


class PoolTimedOut(TransportFailure):
    """No free connection in time: the request never left."""


class AnswerLost(TransportFailure):
    """Sent (maybe in part), but the answer never came: it may have been processed."""


__all__ = [
    "Answer", "AnswerLost", "ConnectFailed", "ConnectTimedOut", "Outgoing", "PoolTimedOut", "RefusedLocally",
    "TransportFailure", "UnsupportedScheme", "Url", "answer_of", "joined", "of_httpx", "parse", "plain_base",
    "plain_url", "query_string",
]
