"""What an action says to a platform and hears back, free of any I/O.

An action is a generator: it yields :class:`Request` objects and receives
:class:`Response` objects (or an exception thrown in). The engine does the sending, so
one action implementation serves the sync and async clients, the CLI and bulk jobs.
"""

from __future__ import annotations

import json as _json
from collections.abc import Generator, Mapping, Sequence
from typing import Any, Callable, Union
from urllib.parse import quote

import attrs

QueryParams = Union[Mapping[str, Any], Sequence[tuple[str, Any]]]

_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})


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
        """The path with placeholders filled and encoded."""

        def encode(value: Any) -> str:
            return quote(str(value), safe="")

        try:
            return self.path.format_map({k: encode(v) for k, v in self.path_params.items()})
        except KeyError as exc:
            raise ValueError(f"path {self.path!r} needs a value for {exc.args[0]!r}") from None

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
