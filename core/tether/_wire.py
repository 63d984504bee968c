"""What an action says to a platform and hears back, free of any I/O.

An action is a generator: it yields :class:`Request` objects and receives
:class:`Response` objects (or an exception thrown in). The engine does the sending, so
one action implementation serves the sync and async clients, the CLI and bulk jobs.
"""

from __future__ import annotations

import functools
import json as _json
import re
from collections.abc import Generator, Mapping, Sequence
from typing import Any, Callable, Union
from urllib.parse import quote, unquote

import attrs

from ._errors import UsageError

QueryParams = Union[Mapping[str, Any], Sequence[tuple[str, Any]]]

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_DOT_SEGMENTS = frozenset({"", ".", ".."})


def _collapses(segment: str) -> bool:
    """Whether a rendered (percent-encoded) segment is, or decodes to, ``.``, ``..`` or nothing."""
    for _ in range(4):
        if segment in _DOT_SEGMENTS:
            return True
        decoded = unquote(segment)
        if decoded == segment:
            return False
        segment = decoded
    return True  # still encoded after four rounds: nobody sends an id like that


def _shorten(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")


MAX_SEGMENT = 8192
"""Characters one encoded path parameter may take: servers refuse longer request lines (414)."""


def _encode_segment(name: str, value: Any) -> str:
    text = str(value)
    try:
        encoded = quote(text, safe="")
    except UnicodeEncodeError as exc:
        raise UsageError(
            f"path parameter {name} cannot be encoded as UTF-8 ({exc.reason} at character {exc.start})",
            details={"path_params": [name]},
        ) from None
    if len(encoded) > MAX_SEGMENT:
        raise UsageError(
            f"path parameter {name} is {len(encoded):,} characters once encoded; at most {MAX_SEGMENT:,} fit in a URL",
            details={"path_params": [name]},
        )
    return encoded


# What HTTP/1.1 allows on the wire (RFC 9110 §5.1, §5.5, §9.1), as h11 checks it: anything
# else fails before a byte is sent, so tether refuses it first, naming the culprit.
TOKEN = re.compile(r"[-!#$%&'*+.^_`|~0-9a-zA-Z]+")
FIELD_VALUE = re.compile(r"(?:[^\x00\s]+(?:[ \t]+[^\x00\s]+)*)?", re.ASCII)
MANAGED_HEADERS = frozenset({"host", "content-length", "transfer-encoding"})
"""Headers tether sets itself: a caller's would redirect the request or break its framing."""


def method_problem(method: str) -> str | None:
    """Why ``method`` cannot be sent, or None."""
    if not TOKEN.fullmatch(method):
        return f"method {_shorten(method)} is not an HTTP method (letters, digits and !#$%&'*+-.^_`|~ only)"
    return None


def header_problem(name: str, value: Any) -> str | None:
    """Why the header ``name: value`` cannot be sent as given, or None. Never quotes the value."""
    if not isinstance(name, str) or not TOKEN.fullmatch(name):
        return f"header name {_shorten(str(name))} is not valid (letters, digits and !#$%&'*+-.^_`|~ only)"
    if not isinstance(value, str):
        return f"header {name}: the value must be text, not {type(value).__name__}"
    if not value.isascii():
        return f"header {name}: the value must be ASCII"
    if not FIELD_VALUE.fullmatch(value):
        return f"header {name}: the value has a line break, a NUL or surrounding whitespace"
    return None


@functools.lru_cache(maxsize=1024)
def _placeholder_segments(path: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The segments of a path template that hold placeholders, with their names (a template
    is analysed once, not on every request)."""
    found = []
    for segment in path.split("/"):
        names = tuple(_PLACEHOLDER.findall(segment))
        if names:
            found.append((segment, names))
    return tuple(found)


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()


@attrs.frozen
class Request:
    """One HTTP request, relative to an API's base URL.

    ``path`` may hold ``{name}`` placeholders, filled from ``path_params`` with every
    character outside the unreserved set percent-encoded (``/`` included), so an id can
    never escape its path segment.
    """

    method: str
    path: str
    path_params: Mapping[str, Any] = attrs.field(factory=dict)
    params: QueryParams = attrs.field(factory=dict)
    json: Any = UNSET
    data: Mapping[str, Any] | None = None
    content: bytes | None = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    api: str | None = None
    idempotent: bool | None = None
    rate_family: str = "default"
    accept: tuple[int, ...] = ()
    """Non-2xx statuses handed to the action as a response instead of raised as errors."""

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "method", self.method.upper())

    @property
    def is_idempotent(self) -> bool:
        if self.idempotent is not None:
            return self.idempotent
        return self.method in _IDEMPOTENT_METHODS

    def rendered_path(self) -> str:
        """The path with placeholders filled and encoded.

        This is the one place a value becomes part of a URL path, for actions and for
        ``tether request`` alike. A placeholder fills exactly one segment: a value that would
        make that segment ``.``, ``..`` or empty (also once percent-decoded, as some servers
        and proxies decode more than once) is refused, since clients and servers remove dot
        segments and merge empty ones, sending the request, credentials included, to another
        endpoint.
        """
        if not self.path_params and "{" not in self.path and "}" not in self.path:  # nothing to fill
            return self.path
        values = {k: _encode_segment(k, v) for k, v in self.path_params.items()}
        try:
            rendered = self.path.format_map(values)
        except KeyError as exc:
            raise ValueError(f"path {self.path!r} needs a value for {exc.args[0]!r}") from None
        for segment, names in _placeholder_segments(self.path):
            if _collapses(segment.format_map(values)):
                shown = ", ".join(f"{n}={_shorten(str(self.path_params[n]))}" for n in names)
                raise UsageError(
                    f"path parameter {shown} would not stay one path segment of {self.path!r} "
                    "('.', '..' and empty values, percent-encoded or not, are refused)",
                    details={"path_params": list(names)},
                )
        return rendered

    def with_params(self, **extra: Any) -> Request:
        """A copy whose query has ``extra`` set, replacing keys of the same name (None removes one)."""
        items = list(self.params.items() if isinstance(self.params, Mapping) else self.params)
        items = [(k, v) for k, v in items if k not in extra]
        items.extend((k, v) for k, v in extra.items() if v is not None)
        return attrs.evolve(self, params=items)

    def body_bytes(self) -> tuple[bytes | None, str | None]:
        """The encoded body and its content type."""
        if self.content is not None:
            return self.content, None
        if self.json is not UNSET:
            return _json.dumps(self.json, separators=(",", ":"), ensure_ascii=False).encode(), "application/json"
        if self.data is not None:
            from urllib.parse import urlencode

            return urlencode(self.data, doseq=True).encode(), "application/x-www-form-urlencoded"
        return None, None


@attrs.frozen
class Response:
    """A complete HTTP response, body already read."""

    status: int
    headers: Mapping[str, str] = attrs.field(factory=dict)
    content: bytes = b""
    url: str = ""
    note: str | None = None
    """What tether concluded beyond the status (e.g. a retried DELETE found its object gone)."""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", errors="replace")

    def json(self, default: Any = UNSET) -> Any:
        """The body parsed as JSON; ``default`` (if given) for an empty or non-JSON body."""
        if not self.content.strip():
            if default is not UNSET:
                return default
            raise ValueError("the response body is empty")
        try:
            return _json.loads(self.content)
        except ValueError:
            if default is not UNSET:
                return default
            raise

    def header(self, name: str, default: str | None = None) -> str | None:
        lname = name.lower()
        for key, value in self.headers.items():
            if key.lower() == lname:
                return value
        return default


@attrs.frozen
class Wait:
    """Yielded by an action to pause (between polls of a job); the engine sleeps, sync or async."""

    seconds: float


ActionGen = Generator[Union[Request, Wait], Union[Response, None], Any]
"""What an action's ``run`` returns: yields requests (receiving their responses) and waits,
and returns the output."""

RunFunc = Callable[[dict[str, Any], "RunContext"], ActionGen]


@attrs.frozen
class RunContext:
    """What an action may know besides its input: never credentials.

    Not to be confused with :class:`tether._sandbox.SandboxContext`, what a sandbox handler sees.
    """

    connector: str
    action: str
    settings: Mapping[str, Any] = attrs.field(factory=dict)
    region: str | None = None
