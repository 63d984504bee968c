"""Raw requests through a connection: the path as the platform's docs write it, auth added,
every status returned (nothing is retried that is not provably safe)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .. import _connections as rules
from .._errors import UsageError
from .._models import RunInfo
from .._wire import UNSET, Request, Response
from .plumbing import ClientCore
from .verbs import Ops, verb

if TYPE_CHECKING:  # pragma: no cover
    from .._http.engine import Session

ALL_STATUSES = tuple(range(100, 600))


class Proxy(ClientCore):
    @verb
    def request(
        self,
        connection_id: str,
        path: str,
        *,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        params: Any = None,
        path_params: Mapping[str, Any] | None = None,
        json: Any = UNSET,
        data: Any = None,
        content: bytes | None = None,
        api: str | None = None,
    ) -> Ops[Response]:
        """Send a raw request through the connection (auth added); any status is returned.

        ``path`` may include a query string and ``{name}`` placeholders filled from
        ``path_params``; ``params`` (a mapping or pairs) are added to the query; the body is
        ``json``, form ``data`` or raw ``content``; ``api`` picks one of the connector's APIs.
        """
        req = _proxy_request(path, method, headers, params, path_params, json, data, content, api)
        session, run = self._proxy_session(connection_id, api)
        req = attrs.evolve(req, path=docs_path(req.path, session.base_url(session.connector.api(api))))
        response: Response = yield from session.exchange(req, api, run)
        return response

    def _proxy_session(self, connection_id: str, api: str | None) -> tuple[Session, RunInfo]:
        conn = self.store.get(connection_id)
        session = self._session(conn)
        try:
            session.connector.api(api)
        except KeyError:
            raise UsageError(f"{conn.connector} has no API {api!r} (APIs: {', '.join(a.key for a in session.connector.apis)})") from None
        return session, RunInfo(conn.connector, conn.id, None, None, conn.sandbox)


def _proxy_request(
    path: str,
    method: str,
    headers: Mapping[str, str] | None,
    params: Any,
    path_params: Mapping[str, Any] | None,
    json: Any,
    data: Any,
    content: bytes | None,
    api: str | None,
) -> Request:
    if not isinstance(method, str):
        raise UsageError(f"method must be a string such as 'GET', got {type(method).__name__}")
    if headers is not None and not isinstance(headers, Mapping):
        raise UsageError(f"headers must be a mapping of names to values, got {type(headers).__name__}")
    path = rules.safe_proxy_path(path)
    path, _, query = path.partition("?")
    from urllib.parse import parse_qsl

    items = parse_qsl(query, keep_blank_values=True)
    items += _query_pairs(params)
    req = Request(
        method, path, dict(path_params or {}), items, json=json, data=data, content=content,
        headers=dict(headers or {}), api=api, accept=ALL_STATUSES,
    )
    try:
        req.rendered_path()
    except ValueError as exc:
        raise UsageError(f"{exc} (pass it with --pathParam)") from None
    return req


def _query_pairs(params: Any) -> list[tuple[Any, Any]]:
    """``params`` as (name, value) pairs: a mapping or pairs; anything else is a usage error."""
    if params is None:
        return []
    if isinstance(params, Mapping):
        return list(params.items())
    if not isinstance(params, (str, bytes)) and hasattr(params, "__iter__"):
        pairs = list(params)
        if all(isinstance(p, (tuple, list)) and len(p) == 2 for p in pairs):
            return [tuple(p) for p in pairs]
    raise UsageError(f"params must be a mapping or (name, value) pairs, got {type(params).__name__}")


def docs_path(path: str, base_url: str) -> str:
    """A path as the platform's docs write it, made relative to the API's base URL.

    Docs give full paths (``/api/v1/customers/42`` for a base URL ending in ``/api``; ``/v1/…``
    for one ending in ``/v1``); a path that already starts with the base URL's own path has it
    removed once, so both spellings reach the same endpoint.
    """
    from urllib.parse import urlsplit

    prefix = urlsplit(base_url).path.rstrip("/")
    if prefix and (path == prefix or path.startswith(prefix + "/")):
        return path[len(prefix):] or "/"
    return path
