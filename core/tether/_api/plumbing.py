"""What every verb stands on: the client's settings, plugins, connector registry, connection
store, secrets, sandboxes and the engine :class:`~tether._http.engine.Session` of a connection.

All of it is made lazily (importing tether or making a client sends nothing and loads no
connector) and once, under a lock, so threads may share a client.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from .._home import home_dir
from .._http.pacing import Pacer
from .._models import Connection
from .._plugins import Plugins, get_plugins
from .._registry import Registry
from .._secret_store import ConnectionCredentials, Secrets
from .._store import ConnectionStore

if TYPE_CHECKING:  # pragma: no cover - the engine (and httpx) load only when a request is made
    import httpx

    from .._http.engine import Session
    from .._http.retry import RetryPolicy
    from .._sandbox.runtime import Runtime


class ClientCore:
    """The state both clients share; the verbs live in the classes built on it."""

    def __init__(
        self,
        home: str | os.PathLike[str] | None = None,
        *,
        plugins: Plugins | None = None,
        retry: RetryPolicy | None = None,
        timeout: float | httpx.Timeout | None = None,
        strict: bool = False,
        sandbox_faults: str | None = None,
        secrets_backend: str | None = None,
        open_url: Callable[[str], None] | None = None,
    ) -> None:
        """Make a client; nothing is read or sent until a verb needs it.

        :param home: where connections, secrets and sandbox state live (default: the
            ``TETHER_HOME`` environment variable, else the platform's user data directory).
        :param plugins: the plugin manager to use (default: every installed plugin).
        :param retry: a :class:`~tether.RetryPolicy`: how many attempts and how long to wait
            between them (default: ``RetryPolicy()``). Only what is provably safe is retried.
        :param timeout: seconds, or an ``httpx.Timeout``, for each request (default: 10 s to
            connect, 30 s to read or write).
        :param strict: also validate every action's output against its output schema.
        :param sandbox_faults: faults the in-process sandboxes inject, ``kind=rate`` or
            ``kind=Nx`` pairs such as ``"429=1x"`` (the first request answers 429) or
            ``"503=0.1,seed=7"`` (default: the ``TETHER_SANDBOX_FAULTS`` variable).
        :param secrets_backend: ``"file"`` (a 0600 file under ``home``), ``"keyring"`` or
            ``"auto"`` (the keyring when one is usable; default: ``TETHER_SECRETS_BACKEND``, else auto).
        :param open_url: shows the URL of an interactive (OAuth) grant to the user
            (default: print it on stderr and try a browser).
        """
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
        self._runtimes: dict[str, Runtime] = {}
        self._http: dict[Any, Any] = {}
        """The carriers (network or in-process sandbox), by what carries them (see ``_client_for``)."""
        self._local_lock = threading.RLock()
        """Guards the lazily made parts (sandboxes, HTTP clients) when threads share a client."""
        self._connections: dict[str, tuple[Any, Connection]] = {}
        """Connections read from the store, by the reference asked for, with the store's version then."""
        self._sessions: dict[str, tuple[Connection, Session]] = {}
        """The engine session of each connection id, with the connection it was made for."""
        self._load_runner()

    def _load_runner(self) -> None:
        """Import up front what the client's runner needs on its first call (nothing here)."""

    @property
    def plugins(self) -> Plugins:
        if self._plugins is None:
            self._plugins = get_plugins()
        return self._plugins

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            with self._local_lock:
                if self._registry is None:
                    self._registry = Registry(self.plugins)
        return self._registry

    @property
    def store(self) -> ConnectionStore:
        if self._store is None:
            with self._local_lock:
                if self._store is None:
                    self._store = ConnectionStore(self.home)
        return self._store

    def sandbox_runtime(self, connector_id: str, *, faults: str | None = None, region: str | None = None) -> Runtime:
        """The connector's sandbox bound to this home (shared by every sandbox connection).

        With ``faults`` or ``region``, a separate runtime made for the caller (``sandbox serve``).
        """
        from .._sandbox.faults import FaultPlan
        from .._sandbox.runtime import Runtime

        with self._local_lock:
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
        self._connections.clear()  # a new store's versions start again
        self._sessions.clear()

    def _in_process(self, conn: Connection) -> bool:
        """A sandbox connection reached through the in-process transport (not a served URL)."""
        return conn.sandbox and not any(k.startswith("baseUrl") for k in conn.settings)

    def _http_timeout(self) -> Any:
        from .._http.engine import DEFAULT_TIMEOUT

        return self.timeout if self.timeout is not None else DEFAULT_TIMEOUT

    def _connection(self, ref: str) -> Connection:
        """``store.get(ref)``, read again only when the store changed (here or in another process)."""
        version = self.store.version()
        known = self._connections.get(ref)
        if known is not None and known[0] == version:
            return known[1]
        conn = self.store.get(ref)
        self._connections[ref] = (version, conn)
        return conn

    def _session(self, conn: Connection) -> Session:
        """The engine session for ``conn``: made once per connection and kept while the
        connection is unchanged (its credentials reload themselves when their store changes)."""
        if self.retry is None:
            from .._http.retry import RetryPolicy

            self.retry = RetryPolicy()
        known = self._sessions.get(conn.id)
        if known is not None and (known[0] is conn or known[0] == conn) and known[1].policy is self.retry:
            return known[1]
        session = self._new_session(conn)
        self._sessions[conn.id] = (conn, session)
        return session

    def _connection_lock_path(self, conn_id: str) -> Path:
        """The file every read-modify-write of one connection (and its secret) locks, in any
        process: updates, verification verdicts, grants and token refreshes."""
        return self.home / "locks" / f"{conn_id}.lock"

    def _new_session(self, conn: Connection) -> Session:
        from .._http.engine import Session

        assert self.retry is not None
        connector = self.registry.connector(conn.connector)
        lock = self._connection_lock_path(conn.id)  # a token refresh holds the connection's own lock
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


def _show_url(url: str) -> None:
    """Default for interactive grants: print the URL (stderr) and try a browser."""
    import sys
    import webbrowser

    print(f"Open this URL to authorize tether (waiting for the redirect):\n  {url}", file=sys.stderr, flush=True)
    try:
        webbrowser.open(url)
    except Exception:  # no browser on a headless machine: the printed URL is enough
        pass
