"""Sandbox state in SQLite: one database per connector under ``TETHER_HOME/sandbox/``.

Handlers see documents grouped in collections (a JSON body per id, kept in insertion
order), which fits how these platforms model users, lists and segments. The same file holds
the journal of every request and the sandbox's generated credentials.

Each collection is a table of its own (``c1``, ``c2``, … named in ``collections``): its rowid
is the insertion order and its one index is the id. With every collection in one table, each
document also needed an index on (collection, order) and carried the collection's name in
both indexes, which made a stored document cost about 40 % more; a bulk upload stores three
per record. Sandboxes made by earlier versions are moved to this layout when opened.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, tab INTEGER NOT NULL UNIQUE);
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


def _compact_encoder() -> Callable[[Any], str]:
    """``json.dumps(doc, separators=(",", ":"))`` with one C encoder made once.

    ``JSONEncoder.encode`` builds a new C encoder for every call, a third of the cost of
    encoding a small document; a bulk upload stores thousands of them per request. The C
    encoder is CPython's (``json.encoder.c_make_encoder``); where it is missing or answers
    differently, the plain encoder is used. Documents come from parsed JSON, so the circular
    check it skips cannot fire.
    """
    plain = json.JSONEncoder(separators=(",", ":")).encode
    try:
        from json import encoder

        made = encoder.c_make_encoder(  # type: ignore[attr-defined, misc]
            None, json.JSONEncoder().default, encoder.encode_basestring_ascii, None, ":", ",", False, False, True
        )

        def compact(doc: Any) -> str:
            return "".join(made(doc, 0))

        sample = {"a": [1, 2.5, None, True], "b": {"c": "\u00e9\"x"}, "d": ""}
        if compact(sample) == plain(sample):
            return compact
    except Exception:  # not CPython's C encoder, or another signature
        pass
    return plain


_compact = _compact_encoder()


def connect(path: str) -> sqlite3.Connection:
    # Statements name their collection's table: room for many collections' statements.
    db = sqlite3.connect(path, timeout=30.0, isolation_level=None, check_same_thread=False, cached_statements=1024)
    db.execute("PRAGMA journal_mode=WAL")
    # An emulator's state: a commit that reached the OS survives the process (kill -9 included);
    # only a crash of the machine itself could lose the last ones. Skipping the fsync of each
    # checkpoint keeps a bulk upload from waiting on the disk while it holds the sandbox.
    db.execute("PRAGMA synchronous=OFF")
    db.executescript(SCHEMA)
    columns = {row[1] for row in db.execute("PRAGMA table_info(journal)")}
    if "bytes" not in columns:  # a sandbox made by an earlier version
        db.execute("ALTER TABLE journal ADD COLUMN bytes INTEGER NOT NULL DEFAULT 0")
    _move_shared_table(db)
    return db


def _move_shared_table(db: sqlite3.Connection) -> None:
    """Move a sandbox of an earlier version (every collection in one ``docs`` table) to a table
    per collection, each document keeping its place in the order."""
    if not _has_table(db, "docs"):
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        if _has_table(db, "docs"):  # another process may have moved it meanwhile
            names = [n for (n,) in db.execute("SELECT collection FROM docs GROUP BY collection ORDER BY MIN(seq)")]
            for name in names:
                table = _create_table(db, name)
                db.execute(f"INSERT INTO {table} (seq, id, body) SELECT seq, id, body FROM docs WHERE collection = ? ORDER BY seq", (name,))
            db.execute("DROP TABLE docs")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    return db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def _table_of(db: sqlite3.Connection, name: str) -> str | None:
    row = db.execute("SELECT tab FROM collections WHERE name = ?", (name,)).fetchone()
    return None if row is None else f"c{row[0]}"


def _create_table(db: sqlite3.Connection, name: str) -> str:
    # Table names are numbers chosen here, never the collection's name: any string may name one.
    (number,) = db.execute("SELECT COALESCE(MAX(tab), 0) + 1 FROM collections").fetchone()
    db.execute("INSERT INTO collections (name, tab) VALUES (?, ?)", (name, number))
    # AUTOINCREMENT: a document deleted and written again goes to the end, never to an old place.
    db.execute(f"CREATE TABLE c{number} (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL)")
    return f"c{number}"


def clear_documents(db: sqlite3.Connection) -> None:
    """Remove every collection (inside the caller's transaction)."""
    for (number,) in db.execute("SELECT tab FROM collections").fetchall():
        db.execute(f"DROP TABLE IF EXISTS c{number}")
    db.execute("DELETE FROM collections")


def document_counts(db: sqlite3.Connection) -> dict[str, int]:
    """How many documents each collection that holds any has, by name (for tests and inspection)."""
    counts = {}
    for name, number in db.execute("SELECT name, tab FROM collections ORDER BY tab").fetchall():
        (count,) = db.execute(f"SELECT COUNT(*) FROM c{number}").fetchone()
        if count:
            counts[name] = count
    return counts


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
    """Documents of one kind, keyed by id, iterated in insertion order.

    An object serves one transaction (a request): it remembers its table once the collection
    exists, and a collection that does not exist yet reads as empty until written.
    """

    def __init__(self, db: sqlite3.Connection, name: str):
        self.db = db
        self.name = name
        self._table = _table_of(db, name)

    def _reading(self) -> str | None:
        """The table, or None while the collection has never been written (checked again: another
        object of the same transaction may have created it)."""
        if self._table is None:
            self._table = _table_of(self.db, self.name)
        return self._table

    def _writing(self) -> str:
        table = self._reading()
        if table is None:
            table = self._table = _create_table(self.db, self.name)
        return table

    def get(self, id: str) -> dict[str, Any] | None:
        table = self._reading()
        if table is None:
            return None
        row = self.db.execute(f"SELECT body FROM {table} WHERE id = ?", (str(id),)).fetchone()
        return None if row is None else json.loads(row[0])

    def put(self, id: str, doc: dict[str, Any]) -> dict[str, Any]:
        """Insert or replace; a replaced document keeps its place in the order."""
        self.db.execute(
            f"INSERT INTO {self._writing()} (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body",
            (str(id), _compact(doc)),
        )
        return doc

    def get_many(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The documents among ``ids`` that exist, by id: a batch endpoint's look-ups in a few statements."""
        table = self._reading()
        if table is None:
            return {}
        wanted = list(dict.fromkeys(str(id) for id in ids))
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), 500):  # well under SQLite's limit on parameters
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT id, body FROM {table} WHERE id IN ({marks})", chunk)
            found.update((id, json.loads(body)) for id, body in rows)
        return found

    def put_many(self, docs: Iterable[tuple[str, dict[str, Any]]]) -> None:
        """``put`` for many (id, doc) pairs in one statement: what a handler that buffers its
        writes (a batch endpoint) flushes at the end. Same rules: a replaced document keeps its place."""
        rows = [(str(id), _compact(doc)) for id, doc in docs]
        if rows:
            self.db.executemany(
                f"INSERT INTO {self._writing()} (id, body) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body", rows
            )

    def delete(self, id: str) -> bool:
        table = self._reading()
        return table is not None and self.db.execute(f"DELETE FROM {table} WHERE id = ?", (str(id),)).rowcount > 0

    def __iter__(self) -> Iterator[dict[str, Any]]:
        table = self._reading()
        if table is not None:
            for (body,) in self.db.execute(f"SELECT body FROM {table} ORDER BY seq"):
                yield json.loads(body)

    def ids(self) -> list[str]:
        table = self._reading()
        return [] if table is None else [r[0] for r in self.db.execute(f"SELECT id FROM {table} ORDER BY seq")]

    def find(self, where: Callable[[dict[str, Any]], bool]) -> list[dict[str, Any]]:
        return [doc for doc in self if where(doc)]

    def first(self, where: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
        return next((doc for doc in self if where(doc)), None)

    def count(self, match: Mapping[str, Any] | None = None) -> int:
        table = self._reading()
        if table is None:
            return 0
        sql, args = _filter(match)
        return self.db.execute(f"SELECT COUNT(*) FROM {table} WHERE {sql}", args).fetchone()[0]

    # -- pages: each reads only its own window, in insertion order ------------------------------

    def _seq_of(self, table: str, cursor: str, key: str) -> int | None:
        if key == "id":
            row = self.db.execute(f"SELECT seq FROM {table} WHERE id = ?", (str(cursor),)).fetchone()
        else:
            row = self.db.execute(
                f"SELECT seq FROM {table} WHERE CAST(json_extract(body, ?) AS TEXT) = ? ORDER BY seq LIMIT 1",
                (f"$.{key}", str(cursor)),
            ).fetchone()
        return None if row is None else row[0]

    def _scan(
        self, table: str, sql: str, args: list[Any], where: Callable[[dict[str, Any]], bool] | None, limit: int, *, descending: bool = False
    ) -> list[tuple[int, dict[str, Any]]]:
        """Up to ``limit`` (seq, doc) rows matching ``sql`` and ``where``, decoded one by one."""
        order = "DESC" if descending else "ASC"
        if where is None:
            rows = self.db.execute(f"SELECT seq, body FROM {table} WHERE {sql} ORDER BY seq {order} LIMIT ?", (*args, limit))
            return [(seq, json.loads(body)) for seq, body in rows]
        found: list[tuple[int, dict[str, Any]]] = []
        for seq, body in self.db.execute(f"SELECT seq, body FROM {table} WHERE {sql} ORDER BY seq {order}", args):
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
        table = self._reading()
        if table is None:
            return [], False, False
        sql, args = _filter(match)
        cursor = after if after is not None else before
        if cursor is None:
            window = self._scan(table, sql, args, where, limit + 1)
            return [doc for _, doc in window[:limit]], len(window) > limit, False
        seq = self._seq_of(table, cursor, key)
        if seq is None:
            return [], False, False
        if after is not None:
            window = self._scan(table, f"{sql} AND seq > ?", [*args, seq], where, limit + 1)
            more_after, window = len(window) > limit, window[:limit]
            edge = window[0][0] if window else seq + 1
            more_before = bool(self._scan(table, f"{sql} AND seq < ?", [*args, edge], where, 1))
            return [doc for _, doc in window], more_after, more_before
        window = self._scan(table, f"{sql} AND seq < ?", [*args, seq], where, limit + 1, descending=True)
        more_before, window = len(window) > limit, list(reversed(window[:limit]))
        edge = window[-1][0] if window else seq - 1
        more_after = bool(self._scan(table, f"{sql} AND seq > ?", [*args, edge], where, 1))
        return [doc for _, doc in window], more_after, more_before

    def slice(
        self, offset: int, limit: int, *, where: Callable[[dict[str, Any]], bool] | None = None, match: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """Documents ``offset`` to ``offset + limit - 1`` in insertion order (offset and page-number pages)."""
        table = self._reading()
        if table is None:
            return []
        sql, args = _filter(match)
        offset = max(0, offset)
        if where is None:
            rows = self.db.execute(f"SELECT body FROM {table} WHERE {sql} ORDER BY seq LIMIT ? OFFSET ?", (*args, limit, offset))
            return [json.loads(body) for (body,) in rows]
        return [doc for _, doc in self._scan(table, sql, args, where, offset + limit)][offset:]


def _filter(match: Mapping[str, Any] | None) -> tuple[str, list[Any]]:
    """SQL for "every ``match`` field equals its value" (always true without one)."""
    sql, args = "1", []
    for field, value in (match or {}).items():
        sql += " AND json_extract(body, ?) = ?"
        args += [f"$.{field}", int(value) if isinstance(value, bool) else value]
    return sql, args
