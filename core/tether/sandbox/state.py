"""Sandbox state in SQLite: one database per connector under ``TETHER_HOME/sandbox/``.

Handlers see documents grouped in collections (a JSON body per id, kept in insertion
order), which fits how these platforms model users, lists and segments. The same file holds
the journal of every request and the sandbox's generated credentials.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (collection, id)
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS journal (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    ts REAL NOT NULL,
    method TEXT NOT NULL,
    host TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT NOT NULL,
    status INTEGER,
    processed INTEGER NOT NULL,
    fault TEXT,
    note TEXT,
    bytes INTEGER NOT NULL DEFAULT 0
);
"""


def connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    columns = {row[1] for row in db.execute("PRAGMA table_info(journal)")}
    if "bytes" not in columns:  # a sandbox made by an earlier version
        db.execute("ALTER TABLE journal ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0")
    return db


def next_counter(db: sqlite3.Connection, name: str, start: int = 1) -> int:
    row = db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
    value = start if row is None else row[0] + 1
    db.execute("INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)", (name, value))
    return value


def get_meta(db: sqlite3.Connection, key: str) -> Any:
    row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else json.loads(row[0])


def set_meta(db: sqlite3.Connection, key: str, value: Any) -> None:
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, json.dumps(value)))


class Collection:
    """Documents of one kind, keyed by id, iterated in insertion order."""

    def __init__(self, db: sqlite3.Connection, name: str):
        self.db = db
        self.name = name

    def get(self, id: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT body FROM docs WHERE collection = ? AND id = ?", (self.name, str(id))).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, id: str, doc: dict[str, Any]) -> dict[str, Any]:
        """Insert or replace; a replaced document keeps its place in the order."""
        body = json.dumps(doc, separators=(",", ":"))
        updated = self.db.execute(
            "UPDATE docs SET body = ? WHERE collection = ? AND id = ?", (body, self.name, str(id))
        ).rowcount
        if not updated:
            self.db.execute("INSERT INTO docs (collection, id, body) VALUES (?, ?, ?)", (self.name, str(id), body))
        return doc

    def delete(self, id: str) -> bool:
        return self.db.execute("DELETE FROM docs WHERE collection = ? AND id = ?", (self.name, str(id))).rowcount > 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for (body,) in self.db.execute("SELECT body FROM docs WHERE collection = ? ORDER BY seq", (self.name,)):
            yield json.loads(body)

    def ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM docs WHERE collection = ? ORDER BY seq", (self.name,))]

    def find(self, where: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        return [doc for doc in self if where(doc)]

    def first(self, where: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
        return next((doc for doc in self if where(doc)), None)

    def count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM docs WHERE collection = ?", (self.name,)).fetchone()[0]

    def page(
        self,
        *,
        after: str | None = None,
        before: str | None = None,
        limit: int,
        where: Callable[[dict[str, Any]], bool] | None = None,
        key: str = "id",
    ) -> tuple[list[dict[str, Any]], bool, bool]:
        """A window of documents after (or before) the one whose ``key`` equals the cursor.

        Returns (items, more_after, more_before): enough for a handler to emit the
        platform's own cursor fields.
        """
        docs = [d for d in self if where is None or where(d)]
        keys = [str(d.get(key)) for d in docs]
        if after is not None:
            start = keys.index(after) + 1 if after in keys else len(docs)
            window = docs[start : start + limit]
            return window, start + limit < len(docs), start > 0
        if before is not None:
            end = keys.index(before) if before in keys else 0
            start = max(0, end - limit)
            return docs[start:end], end < len(docs), start > 0
        return docs[:limit], limit < len(docs), False
