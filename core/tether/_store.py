"""Connection metadata in SQLite (``TETHER_HOME/tether.db``).

SQLite's locking lets any number of concurrent CLI invocations read and write without
corrupting each other; every change is one short transaction. Secrets are not here: a
connection only holds a reference into :mod:`tether._secret_store`.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from ._errors import NotFoundError, UsageError
from ._home import SQLITE_COMPANIONS, private_file
from ._models import Connection

SCHEMA = """
CREATE TABLE IF NOT EXISTS connections (
    id TEXT PRIMARY KEY,
    connector TEXT NOT NULL,
    name TEXT NOT NULL,
    state TEXT NOT NULL,
    sandbox INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    settings TEXT NOT NULL,
    credential_fields TEXT NOT NULL,
    secret_ref TEXT,
    error TEXT,
    client_action TEXT
);
"""
_COLUMNS = ("id", "connector", "name", "state", "sandbox", "created_at", "settings", "credential_fields", "secret_ref", "error", "client_action")


def _row(conn: Connection) -> tuple[Any, ...]:
    return (
        conn.id,
        conn.connector,
        conn.name,
        conn.state,
        int(conn.sandbox),
        conn.created_at,
        json.dumps(dict(conn.settings)),
        json.dumps(list(conn.credential_fields)),
        conn.secret_ref,
        json.dumps(dict(conn.error)) if conn.error is not None else None,
        json.dumps(dict(conn.client_action)) if conn.client_action is not None else None,
    )


def _connection(row: tuple[Any, ...]) -> Connection:
    data = dict(zip(_COLUMNS, row))
    return Connection(
        id=data["id"],
        connector=data["connector"],
        name=data["name"],
        state=data["state"],
        sandbox=bool(data["sandbox"]),
        created_at=data["created_at"],
        settings=json.loads(data["settings"]),
        credential_fields=tuple(json.loads(data["credential_fields"])),
        secret_ref=data["secret_ref"],
        error=json.loads(data["error"]) if data["error"] else None,
        client_action=json.loads(data["client_action"]) if data["client_action"] else None,
    )


class ConnectionStore:
    def __init__(self, home: Path):
        self.path = private_file(Path(home) / "tether.db", *SQLITE_COMPANIONS)
        self._db = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def version(self) -> tuple[int, int]:
        """Changes whenever any connection changes, by this store or another (another process):
        SQLite's ``data_version`` counts others' commits, ``total_changes`` this handle's own."""
        return (self._db.execute("PRAGMA data_version").fetchone()[0], self._db.total_changes)

    def add(self, conn: Connection) -> None:
        placeholders = ", ".join("?" for _ in _COLUMNS)
        self._db.execute(f"INSERT INTO connections ({', '.join(_COLUMNS)}) VALUES ({placeholders})", _row(conn))

    def save(self, conn: Connection) -> None:
        assignments = ", ".join(f"{c} = ?" for c in _COLUMNS[1:])
        row = _row(conn)
        if not self._db.execute(f"UPDATE connections SET {assignments} WHERE id = ?", (*row[1:], row[0])).rowcount:
            raise NotFoundError(f"no connection {conn.id!r}")

    def list(self, connector: str | None = None) -> list[Connection]:
        sql = f"SELECT {', '.join(_COLUMNS)} FROM connections"
        args: tuple[Any, ...] = ()
        if connector is not None:
            sql += " WHERE connector = ?"
            args = (connector,)
        return [_connection(r) for r in self._db.execute(sql + " ORDER BY created_at, id", args)]

    def get(self, ref: str) -> Connection:
        """A connection by id, or by name when exactly one connection has that name."""
        cols = ", ".join(_COLUMNS)
        row = self._db.execute(f"SELECT {cols} FROM connections WHERE id = ?", (ref,)).fetchone()
        if row is not None:
            return _connection(row)
        rows = self._db.execute(f"SELECT {cols} FROM connections WHERE name = ?", (ref,)).fetchall()
        if len(rows) == 1:
            return _connection(rows[0])
        if len(rows) > 1:
            raise UsageError(f"{len(rows)} connections are named {ref!r}; use an id (tether connection list)")
        raise NotFoundError(f"no connection {ref!r} (see: tether connection list)")

    def delete(self, id: str) -> None:
        self._db.execute("DELETE FROM connections WHERE id = ?", (id,))
