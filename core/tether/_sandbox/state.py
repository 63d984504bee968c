"""Sandbox state in SQLite: one database per connector under ``TETHER_HOME/sandbox/``.

Handlers see documents grouped in collections (a JSON body per id, kept in insertion
order), which fits how these platforms model users, lists and segments. The same file holds
the journal of every request and the sandbox's generated credentials.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS docs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (collection, id)
);
CREATE INDEX IF NOT EXISTS docs_in_order ON docs (collection, seq);
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


# json.dumps(doc, separators=(",", ":")) without a new encoder per document.
_compact = json.JSONEncoder(separators=(",", ":")).encode


def connect(path: str) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.executescript(SCHEMA)
    columns = {row[1] for row in db.execute("PRAGMA table_info(journal)")}
    if "bytes" not in columns:  # a sandbox made by an earlier version
        db.execute("ALTER TABLE journal ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0")
    return db


def next_counter(db: sqlite3.Connection, name: str, start: int = 1, count: int = 1) -> int:
    """The next value of the sequence ``name`` (``start`` for a new one); ``count`` > 1 takes that
    many consecutive values at once and returns the first."""
    row = db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
    value = start if row is None else row[0] + 1
    db.execute("INSERT OR REPLACE INTO counters (name, value) VALUES (?, ?)", (name, value + count - 1))
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

    def get_many(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The documents among ``ids`` that exist, by id: a batch endpoint's look-ups in a few statements."""
        wanted = list(dict.fromkeys(str(id) for id in ids))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), 500):  # well under SQLite's limit on parameters
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT id, body FROM docs WHERE collection = ? AND id IN ({marks})", (self.name, *chunk))
            found.update((id, json.loads(body)) for id, body in rows)
        return found

    def put_many(self, docs: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """``put`` for many (id, doc) pairs in one statement: what a handler that buffers its
        writes (a batch endpoint) flushes at the end. Same rules: a replaced document keeps its place."""
        self.db.executemany(
            "INSERT INTO docs (collection, id, body) VALUES (?, ?, ?) ON CONFLICT (collection, id) DO UPDATE SET body = excluded.body",
            [(self.name, str(id), _compact(doc)) for id, doc in docs],
        )

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

    def count(self, match: Mapping[str, Any] | None = None) -> int:
        sql, args = self._filter(match)
        return self.db.execute(f"SELECT COUNT(*) FROM docs WHERE {sql}", args).fetchone()[0]

    # -- pages: each reads only its own window, in insertion order, through an index ----------

    def _filter(self, match: Mapping[str, Any] | None) -> tuple[str, list[Any]]:
        """SQL for "in this collection, and every ``match`` field equals its value"."""
        sql, args = "collection = ?", [self.name]
        for field, value in (match or {}).items():
            sql += " AND json_extract(body, ?) = ?"
            args += [f"$.{field}", int(value) if isinstance(value, bool) else value]
        return sql, args

    def _seq_of(self, cursor: str, key: str) -> int | None:
        if key == "id":
            row = self.db.execute("SELECT seq FROM docs WHERE collection = ? AND id = ?", (self.name, str(cursor))).fetchone()
        else:
            row = self.db.execute(
                "SELECT seq FROM docs WHERE collection = ? AND CAST(json_extract(body, ?) AS TEXT) = ? ORDER BY seq LIMIT 1",
                (self.name, f"$.{key}", str(cursor)),
            ).fetchone()
        return None if row is None else row[0]

    def _scan(
        self, sql: str, args: list[Any], where: Callable[[dict[str, Any]], bool] | None, limit: int, *, descending: bool = False
    ) -> list[tuple[int, dict[str, Any]]]:
        """Up to ``limit`` (seq, doc) rows matching ``sql`` and ``where``, decoded one by one."""
        order = "DESC" if descending else "ASC"
        if where is None:
            rows = self.db.execute(f"SELECT seq, body FROM docs WHERE {sql} ORDER BY seq {order} LIMIT ?", (*args, limit))
            return [(seq, json.loads(body)) for seq, body in rows]
        found: list[tuple[int, dict[str, Any]]] = []
        for seq, body in self.db.execute(f"SELECT seq, body FROM docs WHERE {sql} ORDER BY seq {order}", args):
            doc = json.loads(body)
            if where(doc):
                found.append((seq, doc))
                if len(found) >= limit:
                    break
        return found

    def page(
        self,
        *,
        after: str | None = None,
        before: str | None = None,
        limit: int,
        where: Callable[[dict[str, Any]], bool] | None = None,
        match: Mapping[str, Any] | None = None,
        key: str = "id",
    ) -> tuple[list[dict[str, Any]], bool, bool]:
        """A window of documents after (or before) the one whose ``key`` equals the cursor.

        Returns (items, more_after, more_before): enough for a handler to emit the
        platform's own cursor fields. Only the window (and one row beyond each end) is read;
        ``match`` filters by field equality in SQL, ``where`` row by row. A cursor naming a
        document that no longer exists gives an empty page.
        """
        sql, args = self._filter(match)
        cursor = after if after is not None else before
        if cursor is None:
            window = self._scan(sql, args, where, limit + 1)
            return [doc for _, doc in window[:limit]], len(window) > limit, False
        seq = self._seq_of(cursor, key)
        if seq is None:
            return [], False, False
        if after is not None:
            window = self._scan(f"{sql} AND seq > ?", [*args, seq], where, limit + 1)
            more_after, window = len(window) > limit, window[:limit]
            edge = window[0][0] if window else seq + 1
            more_before = bool(self._scan(f"{sql} AND seq < ?", [*args, edge], where, 1))
            return [doc for _, doc in window], more_after, more_before
        window = self._scan(f"{sql} AND seq < ?", [*args, seq], where, limit + 1, descending=True)
        more_before, window = len(window) > limit, list(reversed(window[:limit]))
        edge = window[-1][0] if window else seq - 1
        more_after = bool(self._scan(f"{sql} AND seq > ?", [*args, edge], where, 1))
        return [doc for _, doc in window], more_after, more_before

    def slice(
        self, offset: int, limit: int, *, where: Callable[[dict[str, Any]], bool] | None = None, match: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Documents ``offset`` to ``offset + limit - 1`` in insertion order (offset and page-number pages)."""
        sql, args = self._filter(match)
        offset = max(0, offset)
        if where is None:
            rows = self.db.execute(f"SELECT body FROM docs WHERE {sql} ORDER BY seq LIMIT ? OFFSET ?", (*args, limit, offset))
            return [json.loads(body) for (body,) in rows]
        return [doc for _, doc in self._scan(sql, args, where, offset + limit)][offset:]
