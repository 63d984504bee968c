"""The nouns of tether: connectors, their APIs and actions, connections and results.

Connector modules build these at import time, so they stay plain frozen attrs classes with
cheap validation of the things that are public API (keys).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable

import attrs

if TYPE_CHECKING:  # pragma: no cover
    from ._errors import TetherError
    from ._pages import Pages
    from ._wire import RunFunc

KEY_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

READY = "READY"
CLIENT_ACTION_REQUIRED = "CLIENT_ACTION_REQUIRED"
CONFIGURATION_ERROR = "CONFIGURATION_ERROR"
STATES = (READY, CLIENT_ACTION_REQUIRED, CONFIGURATION_ERROR)


def _kebab(_inst: Any, attribute: attrs.Attribute, value: str) -> None:
    if not KEY_RE.match(value):
        raise ValueError(f"{attribute.name} {value!r} must be kebab-case (a-z, 0-9, single hyphens)")


@attrs.frozen
class AuthSpec:
    """How one API authenticates: a registered auth kind and its parameters.

    ``params`` name the credential fields the kind reads, e.g. ``{"username": "site_id",
    "password": "api_key"}`` for ``basic``.
    """

    kind: str
    params: Mapping[str, Any] = attrs.field(factory=dict)


@attrs.frozen
class RateLimit:
    """At most ``requests`` per ``per`` seconds (the platform's published limit)."""

    requests: int
    per: float = 1.0

    @property
    def interval(self) -> float:
        return self.per / self.requests


@attrs.frozen
class Api:
    """One HTTP API of a connector: base URL per region, auth, limits.

    Most platforms have one (key ``default``); Customer.io has two, each with its own
    credential and host.
    """

    key: str
    base_url: str | Mapping[str, str]
    """One URL, or a URL per region. Overridable per connection (``baseUrl`` setting)."""
    auth: AuthSpec
    name: str = ""
    rate_limits: Mapping[str, RateLimit] = attrs.field(factory=dict)
    """Published limits by request family (``default`` applies to all unlabelled requests)."""
    concurrency: Mapping[str, int] = attrs.field(factory=dict)
    """Published caps on requests in flight at once, by request family (``default`` for the
    rest). Enforced per connection across every client in the process."""
    follow_redirects: bool = True
    verify: tuple[str, Mapping[str, Any]] | None = None
    """A cheap authenticated read (action key, input) proving this API's credentials work."""
    auth_statuses: tuple[int, ...] = (401, 403)
    """Statuses by which this API says the credentials were refused."""

    def url(self, region: str | None) -> str:
        if isinstance(self.base_url, str):
            return self.base_url
        if region is None:
            region = next(iter(self.base_url))
        try:
            return self.base_url[region]
        except KeyError:
            raise ValueError(f"unknown region {region!r} for API {self.key!r}") from None

    def hosts(self) -> dict[str, str | None]:
        """Every host this API is served on, mapped to its region."""
        from urllib.parse import urlsplit

        if isinstance(self.base_url, str):
            return {urlsplit(self.base_url).hostname or "": None}
        return {urlsplit(url).hostname or "": region for region, url in self.base_url.items()}


@attrs.frozen
class Batch:
    """Records of one action carried, many at a time, by a batch action of the same connector.

    ``combine`` turns records (inputs of the declaring action) into one input of ``carrier``;
    ``split`` turns the carrier's output back into one :class:`Result` per record, in order.
    ``carrier`` may be the declaring action itself (an action that takes a list).
    """

    carrier: str
    max_records: int
    combine: Callable[[list[dict[str, Any]]], dict[str, Any]]
    split: Callable[[Any, list[dict[str, Any]]], list[Result]]
    max_bytes: int | None = None
    """The largest carrier input (its JSON encoding) the platform takes, if it has such a limit."""


@attrs.frozen
class Action:
    """A named, schema-described operation of a connector. ``key`` is public API: keep it stable."""

    key: str = attrs.field(validator=_kebab)
    name: str
    description: str
    entity: str
    input_schema: Mapping[str, Any]
    output_schema: Mapping[str, Any]
    run: RunFunc
    examples: tuple[Mapping[str, Any], ...] = ()
    read_only: bool = False
    destructive: bool = False
    idempotent: bool = False
    pages: Pages | None = None
    """How to follow this action's pages; with it, input ``{"all": true}`` streams every item."""
    api: str = "default"
    batch: Batch | None = None
    """How bulk jobs may carry many records of this action in fewer requests."""

    @property
    def paginated(self) -> bool:
        return self.pages is not None

    def flags(self) -> dict[str, bool]:
        return {
            "readOnly": self.read_only,
            "destructive": self.destructive,
            "idempotent": self.idempotent,
            "paginated": self.paginated,
        }


ErrorParser = Callable[[int, Any], str | None]
"""Turns a platform's error status and parsed body into its own message (or None)."""


@attrs.frozen
class Connector:
    """A platform tether can act on. ``actions`` and ``sandbox`` are loaded only when needed."""

    key: str = attrs.field(validator=_kebab)
    name: str
    description: str
    apis: tuple[Api, ...]
    credentials: Mapping[str, Any]
    """JSON Schema (an object) of the credential fields; secret ones carry ``writeOnly: true``."""
    actions: str | Callable[[], tuple[Action, ...]]
    """``"module:attribute"`` or a callable giving the actions; resolved on first use."""
    domains: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    region_setting: str = "region"
    """What users call the setting that picks one of ``regions`` (ESputnik's are hosts, so
    ``host``); ``region`` is accepted too, and the connection stores it as ``region``."""
    sandbox: str | Callable[[], Any] | None = None
    """``"module:attribute"`` of the connector's :class:`tether._sandbox.Sandbox`."""
    error_message: ErrorParser | None = None
    version: str = ""
    docs_url: str = ""
    settings: Mapping[str, Any] = attrs.field(factory=dict)
    """Connector-specific, non-secret connection settings: name → JSON Schema of its value
    (e.g. a default account id that actions use when their input omits it)."""

    def __attrs_post_init__(self) -> None:
        keys = [api.key for api in self.apis]
        if not keys or len(set(keys)) != len(keys):
            raise ValueError(f"connector {self.key!r} needs at least one API, with unique keys")

    def api(self, key: str | None = None) -> Api:
        if key is None:
            return self.apis[0]
        for api in self.apis:
            if api.key == key:
                return api
        raise KeyError(f"connector {self.key!r} has no API {key!r}")

    @property
    def secret_fields(self) -> tuple[str, ...]:
        props = self.credentials.get("properties", {})
        return tuple(name for name, spec in props.items() if spec.get("writeOnly"))

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.key,
            "key": self.key,
            "name": self.name,
            "description": self.description,
            "domains": list(self.domains),
            "regions": list(self.regions),
            "regionSetting": self.region_setting if self.regions else None,
            "apis": [api.key for api in self.apis],
            "version": self.version,
            "docsUrl": self.docs_url or None,
        }


@attrs.frozen
class Connection:
    """A connector plus the user's settings and a reference to their secret (never the secret)."""

    id: str
    connector: str
    name: str
    state: str
    sandbox: bool
    created_at: str
    settings: Mapping[str, Any] = attrs.field(factory=dict)
    credential_fields: tuple[str, ...] = ()
    secret_ref: str | None = attrs.field(default=None, repr=False)
    error: Mapping[str, Any] | None = None
    client_action: Mapping[str, Any] | None = None

    @property
    def region(self) -> str | None:
        return self.settings.get("region")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "connectorId": self.connector,
            "state": self.state,
            "sandbox": self.sandbox,
            "settings": dict(self.settings),
            "credentials": list(self.credential_fields),
            "createdAt": self.created_at,
        }
        if self.client_action is not None:
            out["clientAction"] = dict(self.client_action)
        if self.error is not None:
            out["error"] = dict(self.error)
        return out


@attrs.frozen
class Result:
    """What one action run produced: ``output`` or ``error``, never both.

    ``output`` is the action's JSON output (shaped by its output schema: usually a dict,
    a list for some reads), typed ``Any`` because its shape is the action's, not tether's.
    ``error`` is the :class:`~tether.TetherError` (its kind, message, HTTP status and the
    platform's error body) when the run failed; check :attr:`ok` before reading ``output``.
    """

    output: Any = None
    error: TetherError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        if self.error is not None:
            return {"error": self.error.to_dict()}
        return {"output": self.output}


@attrs.define
class RunInfo:
    """What execution hooks learn about a run. Never holds credentials."""

    connector: str
    connection_id: str | None
    action: str | None
    input: Any
    sandbox: bool = False
    data: dict[str, Any] = attrs.field(factory=dict)
