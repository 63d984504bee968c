"""What :class:`~tether._client.Client` and :class:`~tether._client.AsyncClient` share.

Everything that involves the network is written once here as a generator of engine
operations (see :mod:`tether._http.engine`); the two clients differ only in the runner that
executes them. Plugins, connections, secrets, validation and sandboxes are plain sync code.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from . import _connections as rules
from ._errors import AuthError, ConfigurationError, TetherError, UsageError, ValidationError
from ._home import home_dir
from ._http.pacing import Pacer
from ._models import CLIENT_ACTION_REQUIRED, CONFIGURATION_ERROR, READY, Action, Connection, Connector, RunInfo
from ._plugins import Plugins, get_plugins
from ._registry import Registry
from ._secret_store import ConnectionCredentials, Secrets
from ._store import ConnectionStore
from ._validation import validate
from ._wire import UNSET, Request

if TYPE_CHECKING:  # pragma: no cover - the engine (and httpx) load only when a request is made
    from ._http.engine import Session
    from ._http.retry import RetryPolicy

ALL_STATUSES = tuple(range(100, 600))


def split_action_ref(ref: str) -> tuple[str | None, str]:
    """``"engage.create-user"`` → (``"engage"``, ``"create-user"``); a bare key has no connector."""
    connector, sep, key = ref.rpartition(".")
    return (connector or None, key) if sep else (None, ref)


def nest(path: str, value: Any) -> Any:
    for part in reversed(path.split(".")) if path else ():
        value = {part: value}
    return value


@attrs.frozen
class Prepared:
    session: Session
    action: Action
    input: dict[str, Any]
    run: RunInfo
    stream: bool


class BaseClient:
    def __init__(
        self,
        home: str | os.PathLike[str] | None = None,
        *,
        plugins: Plugins | None = None,
        retry: RetryPolicy | None = None,
        timeout: Any = None,
        strict: bool = False,
        sandbox_faults: str | None = None,
        secrets_backend: str | None = None,
        open_url: Any = None,
    ):
        self.home: Path = home_dir(home)
        self.open_url = open_url or _show_url
        self._plugins = plugins
        self._registry: Registry | None = None
        self._store: ConnectionStore | None = None
        self.secrets = Secrets(self.home, secrets_backend)
        self.retry = retry
        self.timeout = timeout
        self.strict = strict
        self.sandbox_faults = sandbox_faults if sandbox_faults is not None else os.environ.get("TETHER_SANDBOX_FAULTS")
        self._pacer = Pacer()
        self._runtimes: dict[str, Any] = {}

    # -- plumbing ---------------------------------------------------------------------------

    @property
    def plugins(self) -> Plugins:
        if self._plugins is None:
            self._plugins = get_plugins()
        return self._plugins

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            self._registry = Registry(self.plugins)
        return self._registry

    @property
    def store(self) -> ConnectionStore:
        if self._store is None:
            self._store = ConnectionStore(self.home)
        return self._store

    def sandbox_runtime(self, connector_id: str, *, faults: str | None = None, region: str | None = None) -> Any:
        """The connector's sandbox bound to this home (shared by every sandbox connection)."""
        from ._sandbox.faults import FaultPlan
        from ._sandbox.runtime import Runtime

        if connector_id not in self._runtimes or faults is not None or region is not None:
            connector = self.registry.connector(connector_id)
            plan = FaultPlan.parse(faults if faults is not None else self.sandbox_faults)
            runtime = Runtime(connector, self.registry.sandbox(connector_id), self.home, faults=plan, region=region)
            if faults is not None or region is not None:
                return runtime
            self._runtimes[connector_id] = runtime
        return self._runtimes[connector_id]

    def _close_local(self) -> None:
        for runtime in self._runtimes.values():
            runtime.close()
        self._runtimes.clear()
        if self._store is not None:
            self._store.close()
            self._store = None

    def _in_process(self, conn: Connection) -> bool:
        return conn.sandbox and not any(k.startswith("baseUrl") for k in conn.settings)

    def _http_timeout(self) -> Any:
        from ._http.engine import DEFAULT_TIMEOUT

        return self.timeout if self.timeout is not None else DEFAULT_TIMEOUT

    def _session(self, conn: Connection) -> Session:
        from ._http.engine import Session
        from ._http.retry import RetryPolicy

        if self.retry is None:
            self.retry = RetryPolicy()
        connector = self.registry.connector(conn.connector)
        lock = self.home / "locks" / f"{conn.id}.lock"
        creds = ConnectionCredentials(self.secrets, conn.secret_ref or f"file:{conn.id}", lock, connector.secret_fields)
        return Session(
            connector,
            conn,
            creds,
            self.registry.auth_kinds(),
            hooks=self.plugins.hook,
            policy=self.retry,
            pacer=self._pacer,
            transport=f"sandbox:{conn.connector}" if self._in_process(conn) else None,
        )

    # -- discovery --------------------------------------------------------------------------

    def connectors(self) -> list[Connector]:
        return list(self.registry.connectors().values())

    def connector(self, key: str) -> Connector:
        return self.registry.connector(key)

    def actions(
        self, *, connection_id: str | None = None, connector_id: str | None = None, intent: str | None = None, limit: int | None = None
    ) -> list[Action]:
        """A connector's actions; with ``intent``, ordered by relevance (nothing is hidden)."""
        if (connection_id is None) == (connector_id is None):
            raise UsageError("give exactly one of connection_id or connector_id")
        if connection_id is not None:
            connector_id = self.connection(connection_id).connector
        assert connector_id is not None
        actions = list(self.registry.actions(connector_id).values())
        if intent:
            from ._search import rank_actions

            actions = rank_actions(actions, intent)
        return actions[:limit] if limit else actions

    def find_actions(self, intent: str, *, limit: int | None = None) -> list[tuple[str, Action]]:
        """Every installed connector's actions as ``(connector key, action)``, most relevant to ``intent`` first."""
        from ._search import rank_all_actions

        connectors = self.connectors()
        ranked = rank_all_actions(connectors, self._actions_of(connectors), intent)
        return [(c.key, a) for c, a in (ranked[:limit] if limit else ranked)]

    def _actions_of(self, connectors: list[Connector]) -> dict[str, list[Action]]:
        actions: dict[str, list[Action]] = {}
        for connector in connectors:
            try:
                actions[connector.key] = list(self.registry.actions(connector.key).values())
            except ConfigurationError:
                actions[connector.key] = []  # reported by `tether plugins`; search goes on
        return actions

    def search(self, query: str, *, element_type: str | None = None, limit: int | None = 20) -> list[dict[str, Any]]:
        """Connectors and actions matching ``query``, best first."""
        from ._search import search_elements

        if element_type not in (None, "connector", "action"):
            raise UsageError("elementType must be connector or action")
        connectors = self.connectors()
        actions = self._actions_of(connectors) if element_type != "connector" else {}
        return search_elements(query, connectors, actions, element_type=element_type, limit=limit)

    # -- connections ------------------------------------------------------------------------

    def connections(self, connector_id: str | None = None) -> list[Connection]:
        return self.store.list(connector_id)

    def connection(self, ref: str) -> Connection:
        return self.store.get(ref)

    def delete_connection(self, ref: str) -> Connection:
        conn = self.store.get(ref)
        if conn.secret_ref:
            self.secrets.delete(conn.secret_ref)
        self.store.delete(conn.id)
        return conn

    def _new_connection(
        self, connector: Connector, *, name: str | None, credentials: Mapping[str, Any], settings: Mapping[str, Any], sandbox: bool
    ) -> Connection:
        kinds = self.registry.auth_kinds()
        rules.check_credentials_input(connector, credentials, kinds)
        settings = rules.check_settings(connector, settings)
        conn_id = rules.new_id(connector.key)
        creds = {k: v for k, v in credentials.items() if v not in (None, "")}
        gaps = rules.credential_gaps(connector, creds, kinds)
        complete = len(gaps) < len(connector.apis)
        conn = Connection(
            id=conn_id,
            connector=connector.key,
            name=name or (f"{connector.name} sandbox" if sandbox else connector.name),
            state=READY if complete else CLIENT_ACTION_REQUIRED,
            sandbox=sandbox,
            created_at=rules.now_iso(),
            settings=settings,
            credential_fields=tuple(sorted(creds)),
            secret_ref=self.secrets.put_new(conn_id, creds),
            client_action=None if complete else rules.client_action(connector, conn_id, gaps),
        )
        self.store.add(conn)
        return conn

    def _verification_plan(self, conn: Connection) -> list[tuple[Action, dict[str, Any]]]:
        connector = self.registry.connector(conn.connector)
        creds_set = set(conn.credential_fields)
        kinds = self.registry.auth_kinds()
        plan = []
        for api in connector.apis:
            fields = rules.api_fields(connector, api, kinds)
            if api.verify is None or not set(fields) <= creds_set:
                continue
            action_key, action_input = api.verify
            plan.append((self.registry.action(connector.key, action_key), dict(action_input)))
        return plan

    def _verified(self, conn: Connection, error: TetherError | None) -> Connection:
        if error is None:
            conn = attrs.evolve(conn, state=READY, error=None, client_action=None)
        elif isinstance(error, AuthError):
            conn = attrs.evolve(conn, state=CONFIGURATION_ERROR, error=error.to_dict(), client_action=None)
        else:
            raise error
        self.store.save(conn)
        return conn

    def _update(self, ref: str, credentials: Mapping[str, Any] | None, settings: Mapping[str, Any] | None) -> Connection:
        conn = self.store.get(ref)
        connector = self.registry.connector(conn.connector)
        kinds = self.registry.auth_kinds()
        current = self.secrets.get(conn.secret_ref) if conn.secret_ref else {}
        merged = {**current, **{k: v for k, v in (credentials or {}).items()}}
        merged = {k: v for k, v in merged.items() if v not in (None, "")}
        if credentials:
            rules.check_credentials_input(connector, merged, kinds)
        new_settings = rules.check_settings(connector, {**conn.settings, **(settings or {})})
        gaps = rules.credential_gaps(connector, merged, kinds)
        complete = len(gaps) < len(connector.apis)
        if conn.secret_ref:
            self.secrets.put(conn.secret_ref, merged)
        conn = attrs.evolve(
            conn,
            settings=new_settings,
            credential_fields=tuple(sorted(merged)),
            state=READY if complete else CLIENT_ACTION_REQUIRED,
            client_action=None if complete else rules.client_action(connector, conn.id, gaps),
            error=None,
        )
        self.store.save(conn)
        return conn

    def _sandbox_credentials(self, connector_id: str, region: str | None = None) -> dict[str, Any]:
        return dict(self.sandbox_runtime(connector_id).credentials_for(region))

    def _find_sandbox_connection(self, connector_id: str) -> Connection | None:
        for conn in self.store.list(connector_id):
            if conn.sandbox and conn.state == READY and self._in_process(conn):
                # The sandbox database may have been deleted and its credentials re-made.
                expected = self._sandbox_credentials(connector_id, conn.region)
                if conn.secret_ref and self.secrets.get(conn.secret_ref) != expected:
                    self.secrets.put(conn.secret_ref, expected)
                return conn
        return None

    def ensure_target(self, url_or_domain: str) -> tuple[Connector, Connection | None]:
        host = rules.normalize_domain(url_or_domain)
        for connector in self.connectors():
            if rules.domain_matches(host, connector.domains) or host == connector.key:
                live = [c for c in self.store.list(connector.key) if c.state == READY and not c.sandbox]
                anyc = live or [c for c in self.store.list(connector.key) if not c.sandbox]
                return connector, (anyc[0] if anyc else None)
        known = ", ".join(d for c in self.connectors() for d in c.domains) or "none"
        from ._errors import NotFoundError

        raise NotFoundError(f"no installed connector serves {host!r} (known domains: {known})")

    # -- running ----------------------------------------------------------------------------

    def _prepare(self, action_ref: str, connection_id: str, input: Any) -> Prepared:
        conn = self.store.get(connection_id)
        qualifier, key = split_action_ref(action_ref)
        if qualifier is not None and qualifier != conn.connector:
            raise UsageError(f"action {action_ref!r} belongs to {qualifier}, but connection {conn.id} is {conn.connector}")
        if conn.state != READY:
            hint = (conn.client_action or {}).get("description") or (conn.error or {}).get("message") or ""
            raise ConfigurationError(f"connection {conn.id} is {conn.state}, not READY. {hint}".strip())
        action = self.registry.action(conn.connector, key)
        if input is None:
            input = {}
        if not isinstance(input, Mapping):
            raise ValidationError(f"input: expected object, got {type(input).__name__}", path="input", expected="object", given=input)
        input = dict(input)
        validate(action.input_schema, input)
        session = self._session(conn)
        session.check_credentials(session.connector.api(action.api))
        stream = bool(action.pages is not None and input.pop("all", False))
        run = RunInfo(conn.connector, conn.id, action.key, input, conn.sandbox)
        self.plugins.hook.action_started(run=run)
        return Prepared(session, action, input, run, stream)

    def _finished(self, prepared: Prepared, output: Any, error: TetherError | None) -> None:
        if error is None and self.strict:
            try:
                validate(prepared.action.output_schema, output, root="output")
            except ValidationError as exc:
                error = ConfigurationError(
                    f"{prepared.action.key} returned output that breaks its own schema: {exc.message}", details=exc.details
                )
        try:
            self.plugins.hook.action_finished(run=prepared.run, output=output, error=error)
        except Exception:
            import logging

            logging.getLogger("tether").exception("an action_finished hook failed")
        if error is not None:
            raise error

    def _proxy_request(
        self,
        path: str,
        method: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Any = None,
        path_params: Mapping[str, Any] | None = None,
        json: Any = UNSET,
        data: Any = None,
        content: bytes | None = None,
        api: str | None = None,
    ) -> Request:
        path = rules.safe_proxy_path(path)
        path, _, query = path.partition("?")
        from urllib.parse import parse_qsl

        items = parse_qsl(query, keep_blank_values=True)
        items += list(params.items() if isinstance(params, Mapping) else params or [])
        req = Request(
            method, path, dict(path_params or {}), items, json=json, data=data, content=content,
            headers=dict(headers or {}), api=api, accept=ALL_STATUSES,
        )
        try:
            req.rendered_path()
        except ValueError as exc:
            raise UsageError(f"{exc} (pass it with --pathParam)") from None
        return req

    def _proxy_session(self, connection_id: str, api: str | None) -> tuple[Session, RunInfo]:
        conn = self.store.get(connection_id)
        session = self._session(conn)
        try:
            session.connector.api(api)
        except KeyError:
            raise UsageError(f"{conn.connector} has no API {api!r} (APIs: {', '.join(a.key for a in session.connector.apis)})") from None
        return session, RunInfo(conn.connector, conn.id, None, None, conn.sandbox)

    # -- operations shared by both clients (generators of engine operations) ----------------

    def _test_ops(self, ref: str) -> Any:
        """Check a connection's credentials with a cheap authenticated read per API."""
        conn = self.store.get(ref)
        if conn.state == CLIENT_ACTION_REQUIRED:
            return conn
        session = self._session(conn)
        error: TetherError | None = None
        for action, action_input in self._verification_plan(conn):
            run = RunInfo(conn.connector, conn.id, action.key, action_input, conn.sandbox)
            try:
                yield from session.run_action(action, action_input, run)
            except AuthError as exc:
                error = exc
                break
        return self._verified(conn, error)

    def _connect_ops(
        self,
        connector_id: str,
        name: str | None,
        credentials: Mapping[str, Any] | None,
        settings: Mapping[str, Any] | None,
        sandbox: bool,
        verify: bool,
    ) -> Any:
        connector = self.registry.connector(connector_id)
        if sandbox:
            if credentials:
                raise UsageError("a sandbox connection uses the sandbox's generated credentials; omit --input")
            # A regional sandbox has a workspace (and keys) per region, as the platform has.
            region = rules.check_settings(connector, settings or {}).get("region")
            credentials = self._sandbox_credentials(connector_id, region)
        conn = self._new_connection(connector, name=name, credentials=credentials or {}, settings=settings or {}, sandbox=sandbox)
        if conn.state == READY:
            try:
                conn = self._grant(conn, connector)
            except TetherError:
                self.delete_connection(conn.id)
                raise
        if verify and conn.state == READY:
            try:
                conn = yield from self._test_ops(conn.id)
            except TetherError:
                self.delete_connection(conn.id)  # unverifiable (network): nothing half-made stays behind
                raise
        return conn

    def _grant(self, conn: Connection, connector: Connector) -> Connection:
        """Run interactive grants (OAuth) for APIs whose kind has one and lacks its tokens."""
        kinds = self.registry.auth_kinds()
        creds = self.secrets.get(conn.secret_ref) if conn.secret_ref else {}
        granted = False
        for api in connector.apis:
            kind = kinds.get(api.auth.kind)
            if kind is None or kind.authorize is None:
                continue
            user = kind.user_fields(api.auth.params)
            if all(creds.get(f) for f in kind.fields(api.auth.params)) or not all(creds.get(f) for f in user):
                continue
            creds = kind.authorize(api.auth.params, creds, self.open_url)
            granted = True
        if not granted:
            return conn
        self.secrets.put(conn.secret_ref, creds)  # type: ignore[arg-type]
        conn = attrs.evolve(conn, credential_fields=tuple(sorted(creds)))
        self.store.save(conn)
        return conn

    def _sandbox_connection_ops(self, connector_id: str) -> Any:
        existing = self._find_sandbox_connection(connector_id)
        if existing is not None:
            return existing
        return (yield from self._connect_ops(connector_id, None, None, None, True, True))

    def _update_ops(self, ref: str, credentials: Mapping[str, Any] | None, settings: Mapping[str, Any] | None, verify: bool) -> Any:
        conn = self._update(ref, credentials, settings)
        if conn.state == READY:
            conn = self._grant(conn, self.registry.connector(conn.connector))
        if verify and conn.state == READY:
            conn = yield from self._test_ops(conn.id)
        return conn

    def _ensure_ops(self, url_or_domain: str) -> Any:
        connector, conn = self.ensure_target(url_or_domain)
        if conn is not None:
            return conn
        return (yield from self._connect_ops(connector.key, None, None, None, False, True))

    def _run_ops(self, prepared: Prepared) -> Any:
        from ._http.runners import collect

        session = prepared.session
        try:
            if prepared.stream:
                items = yield from collect(session.stream_action(prepared.action, prepared.input, prepared.run))
                output = nest(prepared.action.pages.items, items)  # type: ignore[union-attr]
            else:
                output = yield from session.run_action(prepared.action, prepared.input, prepared.run)
        except TetherError as exc:
            self._finished(prepared, None, exc)
            raise
        self._finished(prepared, output, None)
        return output

    def _paginate_ops(self, prepared: Prepared) -> Any:
        from ._http.engine import Emit

        if prepared.action.pages is None:
            raise UsageError(f"action {prepared.action.key!r} is not paginated")
        count = 0
        ops = prepared.session.stream_action(prepared.action, prepared.input, prepared.run)
        value: Any = None
        try:
            while True:
                try:
                    op = ops.send(value)
                except StopIteration:
                    break
                if isinstance(op, Emit):
                    count += len(op.items)
                value = yield op
        except TetherError as exc:
            self._finished(prepared, None, exc)
            raise
        self._finished(prepared, {"items": count}, None)

    def _request_ops(self, connection_id: str, path: str, method: str, api: str | None, **body: Any) -> Any:
        req = self._proxy_request(path, method, api=api, **body)
        session, run = self._proxy_session(connection_id, api)
        return (yield from session.exchange(req, api, run))


def _show_url(url: str) -> None:
    """Default for interactive grants: print the URL (stderr) and try a browser."""
    import sys
    import webbrowser

    print(f"Open this URL to authorize tether (waiting for the redirect):\n  {url}", file=sys.stderr, flush=True)
    try:
        webbrowser.open(url)
    except Exception:  # no browser on a headless machine: the printed URL is enough
        pass
