"""The connection lifecycle: create, update, verify, grant (OAuth), find the sandbox's, delete.

State changes of one connection happen under its file lock (``_connection_lock``), in any
process: another process may update or rotate the keys while a check request is out.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import attrs

from .. import _connections as rules
from .._errors import AuthError, NotFoundError, TetherError, UsageError
from .._locks import FileLock
from .._models import CLIENT_ACTION_REQUIRED, CONFIGURATION_ERROR, READY, Action, Connection, Connector, RunInfo
from .discovery import Discovery
from .verbs import Ops, verb


def fingerprint(conn: Connection) -> tuple[Any, ...] | None:
    """What ``wait_connection`` watches: the state, its error, the pending client action and
    which credential fields are set (a key rotation keeps READY but changes the last two).
    None when nothing waits for the user: then there is nothing to wait for."""
    if conn.state != CLIENT_ACTION_REQUIRED and conn.client_action is None:
        return None
    return (conn.state, conn.error, conn.client_action, conn.credential_fields)


class Connections(Discovery):
    # -- reading and deleting (no network) --------------------------------------------------

    def connections(self, connector_id: str | None = None) -> list[Connection]:
        """Every saved connection, or a connector's."""
        return self.store.list(connector_id)

    def connection(self, ref: str) -> Connection:
        """One connection by id or name; :class:`~tether.NotFoundError` if none."""
        return self.store.get(ref)

    def delete_connection(self, ref: str) -> Connection:
        """Forget a connection and its secret; returns what was deleted."""
        conn = self.store.get(ref)
        if conn.secret_ref:
            self.secrets.delete(conn.secret_ref)
        self.store.delete(conn.id)
        return conn

    def ensure_target(self, url_or_domain: str) -> tuple[Connector, Connection | None]:
        """The connector serving this URL or domain and its best existing connection (if any)."""
        host = rules.normalize_domain(url_or_domain)
        for connector in self.connectors():
            if rules.domain_matches(host, connector.domains) or host == connector.key:
                live = [c for c in self.store.list(connector.key) if c.state == READY and not c.sandbox]
                anyc = live or [c for c in self.store.list(connector.key) if not c.sandbox]
                return connector, (anyc[0] if anyc else None)
        known = ", ".join(d for c in self.connectors() for d in c.domains) or "none"
        raise NotFoundError(f"no installed connector serves {host!r} (known domains: {known})")

    # -- verbs ------------------------------------------------------------------------------

    @verb
    def connect(
        self,
        connector_id: str,
        *,
        name: str | None = None,
        credentials: Mapping[str, Any] | None = None,
        settings: Mapping[str, Any] | None = None,
        sandbox: bool = False,
        verify: bool = True,
    ) -> Ops[Connection]:
        """Create a connection; with ``sandbox``, to the connector's sandbox with its credentials.

        Credentials are checked with a cheap authenticated read unless ``verify`` is false;
        refused ones leave the connection in ``CONFIGURATION_ERROR``, missing ones in
        ``CLIENT_ACTION_REQUIRED``.
        """
        connector = self.registry.connector(connector_id)
        waiting = None if sandbox else self._awaiting_credentials(connector.key, name)
        if waiting is not None:  # a second `connect` completes the first instead of adding another
            return (yield from self._update_ops(waiting.id, credentials, settings, verify))
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
            except TetherError as exc:
                if sandbox:
                    self.delete_connection(conn.id)  # an unreachable sandbox is a setup mistake
                    raise
                conn = self._unverified(conn, exc)  # the user's keys are not lost to a network fault
        return conn

    @verb
    def sandbox_connection(self, connector_id: str) -> Ops[Connection]:
        """The READY in-process sandbox connection of a connector, made on first use."""
        # Find-or-create under one lock: parallel first uses make one connection, not one each.
        # Nothing is sent while it is held; the sandbox's own credentials need no check.
        connector = self.registry.connector(connector_id)
        with FileLock(self.home / "locks" / f"sandbox-{connector_id}.lock"):
            conn = self._find_sandbox_connection(connector_id)
            if conn is not None:
                return conn
            settings = rules.check_settings(connector, {})
            credentials = self._sandbox_credentials(connector_id, settings.get("region"))
            conn = self._new_connection(connector, name=None, credentials=credentials, settings=settings, sandbox=True)
        if conn.state == READY:
            conn = self._grant(conn, connector)
        return conn
        yield  # a generator of engine operations, like every verb (it needs none)

    @verb
    def update_connection(
        self, ref: str, *, credentials: Mapping[str, Any] | None = None, settings: Mapping[str, Any] | None = None, verify: bool = True
    ) -> Ops[Connection]:
        """Add or replace credentials or settings, then check them."""
        return (yield from self._update_ops(ref, credentials, settings, verify))

    @verb
    def test_connection(self, ref: str) -> Ops[Connection]:
        """Check the credentials against the platform and record the resulting state."""
        return (yield from self._test_ops(ref))

    @verb
    def ensure_connection(self, url_or_domain: str) -> Ops[Connection]:
        """The connection for the app at this URL or domain, created (awaiting credentials) if none."""
        connector, conn = self.ensure_target(url_or_domain)
        if conn is not None:
            return conn
        return (yield from Connections.connect.ops(self, connector.key))  # awaiting its user's keys

    @verb
    def wait_connection(self, ref: str, timeout: float = 300.0, interval: float = 0.25) -> Ops[Connection]:
        """Poll until a connection that waits for its user changes state (see :func:`fingerprint`),
        or ``timeout`` passes; a connection nothing waits on is returned at once."""
        from .._http.engine import Sleep

        deadline = time.monotonic() + timeout
        conn = self.store.get(ref)
        start = fingerprint(conn)
        while start is not None and fingerprint(conn) == start and time.monotonic() < deadline:
            yield Sleep(min(interval, max(0.0, deadline - time.monotonic())))
            conn = self.store.get(ref)
        return conn

    # -- the steps the verbs share ----------------------------------------------------------

    def _test_ops(self, ref: str) -> Ops[Connection]:
        """Check a connection's credentials with a cheap authenticated read per API."""
        conn = self.store.get(ref)
        if conn.state == CLIENT_ACTION_REQUIRED:
            return conn
        checked = self._checked_inputs(conn)
        session = self._session(conn)
        error: TetherError | None = None
        for action, action_input in self._verification_plan(conn):
            run = RunInfo(conn.connector, conn.id, action.key, action_input, conn.sandbox)
            try:
                yield from session.run_action(action, action_input, run)
            except AuthError as exc:
                error = exc
                break
        return self._verified(conn.id, checked, error)

    def _update_ops(self, ref: str, credentials: Mapping[str, Any] | None, settings: Mapping[str, Any] | None, verify: bool) -> Ops[Connection]:
        conn = self._update(ref, credentials, settings)
        if conn.state == READY:
            conn = self._grant(conn, self.registry.connector(conn.connector))
        if verify and conn.state == READY:
            conn = yield from self._test_ops(conn.id)
        return conn

    def _new_connection(
        self, connector: Connector, *, name: str | None, credentials: Mapping[str, Any], settings: Mapping[str, Any], sandbox: bool
    ) -> Connection:
        kinds = self.registry.auth_kinds()
        credentials = rules.clean_credentials(credentials)
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

    def _update(self, ref: str, credentials: Mapping[str, Any] | None, settings: Mapping[str, Any] | None) -> Connection:
        conn = self.store.get(ref)
        connector = self.registry.connector(conn.connector)
        kinds = self.registry.auth_kinds()
        given = rules.clean_credentials(credentials or {})
        with self._connection_lock(conn.id):
            # Read again under the lock: another process may have changed it since.
            conn = self.store.get(conn.id)
            current = self.secrets.get(conn.secret_ref) if conn.secret_ref else {}
            merged = {k: v for k, v in {**current, **given}.items() if v not in (None, "")}
            if given:
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

    def _awaiting_credentials(self, connector_id: str, name: str | None) -> Connection | None:
        for conn in self.store.list(connector_id):
            if not conn.sandbox and conn.state == CLIENT_ACTION_REQUIRED and name in (None, conn.name):
                return conn
        return None

    def _connection_lock(self, conn_id: str) -> FileLock:
        return FileLock(self._connection_lock_path(conn_id))

    # -- verification -----------------------------------------------------------------------

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

    def _checked_inputs(self, conn: Connection) -> tuple[Any, ...]:
        """What a verification verdict is about: the settings and the user-given credentials."""
        connector = self.registry.connector(conn.connector)
        kinds = self.registry.auth_kinds()
        fields = {f for api in connector.apis for f in rules.api_fields(connector, api, kinds)}
        creds = self.secrets.get(conn.secret_ref) if conn.secret_ref else {}
        return (dict(conn.settings), {k: v for k, v in creds.items() if k in fields})

    def _verified(self, conn_id: str, checked: tuple[Any, ...], error: TetherError | None) -> Connection:
        """Record a verification's verdict, changing nothing but the state fields.

        Under the connection's lock the connection is read again: an update that landed
        while the check request was out is kept, and if it changed what was checked, this
        verdict is about credentials no longer stored and is dropped (that update's own
        check decides).
        """
        if error is not None and not isinstance(error, AuthError):
            raise error
        with self._connection_lock(conn_id):
            conn = self.store.get(conn_id)
            if self._checked_inputs(conn) != checked:
                return conn
            if error is None:
                conn = attrs.evolve(conn, state=READY, error=None, client_action=None)
            else:
                conn = attrs.evolve(conn, state=CONFIGURATION_ERROR, error=error.to_dict(), client_action=None)
            self.store.save(conn)
        return conn

    def _unverified(self, conn: Connection, exc: TetherError) -> Connection:
        """Saved keys the platform could not be asked about: not READY until `connection test`."""
        message = f"the keys are saved but could not be checked ({exc.message}); check them with: tether connection test {conn.id}"
        conn = attrs.evolve(conn, state=CONFIGURATION_ERROR, error={**exc.to_dict(), "message": message}, client_action=None)
        self.store.save(conn)
        return conn

    # -- grants and sandbox credentials -----------------------------------------------------

    def _grant(self, conn: Connection, connector: Connector) -> Connection:
        """Run interactive grants (OAuth) for APIs whose kind has one and lacks its tokens."""
        kinds = self.registry.auth_kinds()
        before = self.secrets.get(conn.secret_ref) if conn.secret_ref else {}
        creds = dict(before)
        for api in connector.apis:
            kind = kinds.get(api.auth.kind)
            if kind is None or kind.authorize is None:
                continue
            user = kind.user_fields(api.auth.params)
            if all(creds.get(f) for f in kind.fields(api.auth.params)) or not all(creds.get(f) for f in user):
                continue
            creds = kind.authorize(api.auth.params, creds, self.open_url)
        granted = {k: v for k, v in creds.items() if before.get(k) != v}
        if not granted or not conn.secret_ref:
            return conn
        with self._connection_lock(conn.id):  # the grant took a while: merge into what is stored now
            merged = {**self.secrets.get(conn.secret_ref), **granted}
            self.secrets.put(conn.secret_ref, merged)
            conn = attrs.evolve(self.store.get(conn.id), credential_fields=tuple(sorted(merged)))
            self.store.save(conn)
        return conn

    def _sandbox_credentials(self, connector_id: str, region: str | None = None) -> dict[str, Any]:
        return dict(self.sandbox_runtime(connector_id).credentials_for(region))

    def _find_sandbox_connection(self, connector_id: str) -> Connection | None:
        for conn in self.store.list(connector_id):
            if conn.sandbox and conn.state == READY and self._in_process(conn):
                # The sandbox database may have been deleted and its credentials re-made.
                expected = self._sandbox_credentials(connector_id, conn.region)
                with self._connection_lock(conn.id):
                    if conn.secret_ref and self.secrets.get(conn.secret_ref) != expected:
                        self.secrets.put(conn.secret_ref, expected)
                return conn
        return None
