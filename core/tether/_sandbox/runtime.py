"""A running sandbox: a connector's declarations bound to its state, faults and journal.

Every way in (the engine's in-process carrier, the httpx transports of plain clients, and
``tether sandbox serve``) calls :meth:`Runtime.handle`, so they behave identically by
construction.
"""

from __future__ import annotations

import secrets
import threading
import time
from pathlib import Path
from typing import Any

import attrs

from .._home import SQLITE_COMPANIONS, private_dir, private_file
from .._http.lazylog import get_logger
from .._models import Connector
from . import state
from .app import Abort, Reply, Sandbox, SandboxContext, SandboxRequest
from .faults import Fault, FaultPlan

log = get_logger("tether.sandbox")  # logging loads only when a record is emitted


@attrs.frozen
class Outcome:
    """What to do with one request: answer with ``reply``, or drop the connection (None)."""

    reply: Reply | None
    processed: bool
    fault: Fault | None = None

    @property
    def delay(self) -> float:
        return self.fault.delay if self.fault is not None else 0.0


def sandbox_dir(home: Path) -> Path:
    return Path(home) / "sandbox"


class Runtime:
    def __init__(
        self,
        connector: Connector,
        sandbox: Sandbox,
        home: Path,
        *,
        faults: FaultPlan | None = None,
        region: str | None = None,
        clock: Any = time.time,
    ):
        self.connector = connector
        self.sandbox = sandbox
        self.faults = faults or FaultPlan()
        self.clock = clock
        self.default_region = region or (connector.regions[0] if connector.regions else None)
        self.hosts: dict[str, tuple[str, str | None]] = {}
        for api in connector.apis:
            for host, host_region in api.hosts().items():
                self.hosts[host.lower()] = (api.key, host_region)
        directory = private_dir(sandbox_dir(home))
        self.path = private_file(directory / f"{connector.key}.db", *SQLITE_COMPANIONS)
        self._lock = threading.RLock()
        self._db = state.connect(str(self.path))
        self._ensure_ready()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __repr__(self) -> str:
        return f"Runtime({self.connector.key!r}, faults={self.faults.describe()!r})"

    # -- set-up -----------------------------------------------------------------------------

    def _transaction(self):
        db = self._db

        class _Txn:
            def __enter__(self_inner):
                db.execute("BEGIN IMMEDIATE")
                return db

            def __exit__(self_inner, exc_type, exc, tb):
                db.execute("ROLLBACK" if exc_type else "COMMIT")
                return False

        return _Txn()

    def _ensure_ready(self) -> None:
        with self._lock, self._transaction() as db:
            if state.get_meta(db, "credentials") is None:
                if self._regional:
                    creds = {region: self.sandbox.make_credentials(secrets.token_hex) for region in self.connector.regions}
                else:
                    creds = self.sandbox.make_credentials(secrets.token_hex)
                state.set_meta(db, "credentials", creds)
            stored = state.get_meta(db, "state_version") or 1  # a sandbox older than versions is version 1
            if state.get_meta(db, "seeded") and stored != self.sandbox.state_version:
                log.info("sandbox %s: state made by an earlier version; reset and seeded again", self.connector.key)
                state.clear_documents(db)
                db.execute("DELETE FROM counters")
                state.set_meta(db, "seeded", False)
            state.set_meta(db, "state_version", self.sandbox.state_version)
            if not state.get_meta(db, "seeded"):
                self._seed(db)

    @property
    def _regional(self) -> bool:
        return bool(self.sandbox.regional and self.connector.regions)

    def _seed(self, db: Any) -> None:
        if self.sandbox.seed is not None:
            self.sandbox.seed(self._context(db, self.default_region, None))
        state.set_meta(db, "seeded", True)

    def workspaces_in(self, db: Any) -> dict[str | None, dict[str, str]]:
        stored = state.get_meta(db, "credentials") or {}
        if self._regional:
            return {region: dict(creds) for region, creds in stored.items()}
        return {self.default_region: dict(stored)}

    def _context(self, db: Any, region: str | None, api: str | None) -> SandboxContext:
        workspaces = self.workspaces_in(db)
        creds = workspaces.get(region) if self._regional else next(iter(workspaces.values()))
        return SandboxContext(db, creds or {}, region, api, self.clock, workspaces)

    def credentials_for(self, region: str | None = None) -> dict[str, str]:
        """The credentials this sandbox accepts for ``region``'s workspace (the default region's if None).

        One set per TETHER_HOME (per region, for a regional sandbox); they guard no real account.
        """
        with self._lock:
            workspaces = self.workspaces_in(self._db)
        if not self._regional:
            return next(iter(workspaces.values()))
        region = region or self.default_region
        if region not in workspaces:
            raise ValueError(f"unknown region {region!r} for the {self.connector.key} sandbox")
        return workspaces[region]

    @property
    def credentials(self) -> dict[str, str]:
        """The credentials of the default region's workspace (see :meth:`credentials_for`)."""
        return self.credentials_for(None)

    def reset(self) -> None:
        """Forget all data and the journal, keep the credentials, seed again."""
        with self._lock, self._transaction() as db:
            state.clear_documents(db)
            db.execute("DELETE FROM counters")
            db.execute("DELETE FROM journal")
            self._seed(db)

    # -- requests ---------------------------------------------------------------------------

    def route_for_host(self, host: str) -> tuple[str | None, str | None]:
        return self.hosts.get(host.lower().split(":")[0], (None, self.default_region))

    def handle(self, req: SandboxRequest) -> Outcome:
        api, region = self.route_for_host(req.host)
        fault = self.faults.draw() if self.faults else None
        if fault is not None and fault.before:
            if fault.kind == "drop-before":
                reply = None
            elif fault.kind == "429":
                reply = self.sandbox.rate_limited()
            else:
                reply = self.sandbox.server_error(fault.status or 500)
            self._journal(req, reply, processed=False, fault=fault.kind)
            return Outcome(reply, False, fault)

        route, params, path_exists = self.sandbox.resolve(req, api)
        note = None
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            processed = False
            try:
                if route is None:
                    reply = self.sandbox.not_found(req)
                    note = "no such route" if not path_exists else "method not allowed"
                else:
                    req = attrs.evolve(req, path_params=params)
                    ctx = self._context(self._db, region, api)
                    refusal = route.auth(req, ctx) if route.auth is not None else None
                    if refusal is not None:
                        reply, note = refusal, "auth refused"
                    else:
                        result = route.handler(req, ctx)
                        reply = result if isinstance(result, Reply) else Reply(200, result)
                        # An error reply never changes state: whatever the handler wrote is undone.
                        processed = reply.status < 400
            except Abort as abort:
                reply = abort.reply
            except Exception:
                log.exception("sandbox %s: handler for %s %s failed", self.connector.key, req.method, req.path)
                reply, note = self.sandbox.server_error(500), "handler crashed"
            self._db.execute("COMMIT" if processed else "ROLLBACK")

        if fault is not None and fault.kind == "drop-after":
            self._journal(req, None, processed=processed, fault=fault.kind, note=note)
            return Outcome(None, processed, fault)
        self._journal(req, reply, processed=processed, fault=fault.kind if fault else None, note=note)
        return Outcome(reply, processed, fault)

    def _journal(self, req: SandboxRequest, reply: Reply | None, *, processed: bool, fault: str | None, note: str | None = None) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO journal (ts, method, host, path, query, status, processed, fault, note, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (self.clock(), req.method, req.host, req.path, req.query_string, reply.status if reply else None, int(processed), fault, note, len(req.body)),
            )

    def journal(self, limit: int | None = None, after: int = 0) -> list[dict[str, Any]]:
        """Journal entries, oldest first (the last ``limit`` if given)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT seq, ts, method, host, path, query, status, processed, fault, note, bytes FROM journal WHERE seq > ? ORDER BY seq",
                (after,),
            ).fetchall()
        keys = ("seq", "ts", "method", "host", "path", "query", "status", "processed", "fault", "note", "bytes")
        entries = [dict(zip(keys, row)) for row in rows]
        for entry in entries:
            entry["processed"] = bool(entry["processed"])
        return entries[-limit:] if limit else entries

    def last_seq(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT MAX(seq) FROM journal").fetchone()
        return row[0] or 0

    def put(self, collection: str, id: str, doc: dict[str, Any]) -> None:
        """Write one document directly: test set-up for what another part of the platform records."""
        with self._lock, self._transaction() as db:
            state.Collection(db, collection).put(id, doc)

    def remove(self, collection: str, id: str) -> bool:
        """Delete one document directly (test set-up)."""
        with self._lock, self._transaction() as db:
            return state.Collection(db, collection).delete(id)

    def collection(self, name: str) -> list[dict[str, Any]]:
        """A snapshot of one collection, for tests and inspection."""
        with self._lock:
            return list(state.Collection(self._db, name))
