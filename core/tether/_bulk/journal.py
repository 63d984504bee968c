"""The journal of one bulk job: a SQLite file under ``TETHER_HOME/bulk/<job>.db``.

It is what makes ``kill -9`` safe. The rule the runner follows: a record is written here as
``inflight`` (in a committed transaction) just *before* its first request leaves (after any
pacing wait, so a record killed while queued is known not to have been sent), and its outcome
is written after the answer. So after any crash every record read from the input is in exactly
one of these states:

- ``pending``  journaled, provably not processed (queued, waiting for its pacing slot, or
  refused before processing): sent on resume;
- ``inflight`` sent, fate not recorded: the process died. On resume it becomes ``unknown``,
  and is sent again only if the action is idempotent;
- ``ok`` / ``failed``: final (``failed`` holds the error; nothing is re-sent);
- ``unknown``: the request may have taken effect (answer lost). Re-sent on resume only for
  idempotent actions; otherwise left for the user (``bulk results --status unknown``).

Durability: WAL with ``synchronous=NORMAL``. A commit is then appended to the WAL file with
``write()`` but not fsynced; the bytes are in the kernel's page cache, which survives the
death of the process (``kill -9``, a crash, an OOM kill) — only a power cut or kernel panic
can lose the last commits, and WAL keeps the database consistent even then. That is the
failure we design for (a killed job), and fsync per record would cost far more than a request.

The input position (``next_line``) advances in the same transaction that journals the line,
so a line is either journaled or will be read again on resume: never both, never neither.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

PENDING, INFLIGHT, OK, FAILED, UNKNOWN = "pending", "inflight", "ok", "failed", "unknown"
FINAL = (OK, FAILED, UNKNOWN)

# Job states. "running" is what a live runner writes; a "running" job whose process is gone
# was killed and is shown as "interrupted".
RUNNING, INTERRUPTED, DONE, JOB_FAILED = "running", "interrupted", "done", "failed"

# One encoder for every result (json.dumps with options builds a new one per call).
_encode = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, default=str).encode

SCHEMA = """
CREATE TABLE IF NOT EXISTS job (
    id TEXT PRIMARY KEY,
    connector TEXT NOT NULL,
    connection_id TEXT NOT NULL,
    action TEXT NOT NULL,
    source TEXT,
    batch INTEGER NOT NULL,
    concurrency INTEGER NOT NULL,
    state TEXT NOT NULL,
    pid INTEGER,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    next_line INTEGER NOT NULL DEFAULT 1,
    input_done INTEGER NOT NULL DEFAULT 0,
    expected_total INTEGER,
    error TEXT
);
CREATE TABLE IF NOT EXISTS records (
    line INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    state TEXT NOT NULL,
    result TEXT
);
"""
# No index on records.state: every change of state would update it (a record goes pending →
# inflight → ok), about half the journal's cost per record; what reads by state (the counts of
# `bulk status`, the records to resend on resume, `bulk results --status`) scans the table
# once, which takes a fraction of a second even for a million records. Journals made before
# keep their index (harmless).


def jobs_dir(home: Path) -> Path:
    from .._home import private_dir

    return private_dir(Path(home) / "bulk")


def job_path(home: Path, job_id: str) -> Path:
    return jobs_dir(home) / f"{job_id}.db"


def pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, someone else's
        return True
    except OSError:
        return False
    return True


def is_journal(path: Path) -> bool:
    """Whether the existing file ``path`` is a job's journal (anything else under bulk/ is
    not opened as one: opening would add the journal's tables to it)."""
    try:
        db = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, timeout=30.0)
    except sqlite3.Error:
        return False
    try:
        return db.execute("SELECT id FROM job LIMIT 1").fetchone() is not None
    except sqlite3.Error:
        return False
    finally:
        db.close()


class Journal:
    """One job's journal; writers in several threads share one connection under a lock.
    Readers may be other processes (``bulk status`` while a job runs)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.RLock()
        # Group commit (see _commit): the work queued for the next commit, its number, whether
        # a thread is writing, the events the waiters of each commit sleep on, failed commits.
        self._guard = threading.Lock()
        self._queued: list[tuple[str, list[Any]]] = []  # (SQL, rows for executemany)
        self._gen, self._writing = 0, False
        self._done: dict[int, threading.Event] = {}
        self._failed: dict[int, BaseException] = {}
        self._db = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # see the module docstring: safe against kill -9
        self._db.execute("PRAGMA busy_timeout=30000")
        self._db.executescript(SCHEMA)
        self._txn = _Transaction(self._db, self._lock)

    @classmethod
    def create(cls, home: Path, job_id: str, **job: Any) -> Journal:
        path = job_path(home, job_id)
        # Owner-only from the first byte (records hold customer data); fails if the job exists.
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        journal = cls(path)
        now = time.time()
        columns = {"id": job_id, "state": RUNNING, "pid": os.getpid(), "created_at": now, "updated_at": now, **job}
        names = ", ".join(columns)
        journal._db.execute(f"INSERT INTO job ({names}) VALUES ({', '.join('?' for _ in columns)})", tuple(columns.values()))
        return journal

    def close(self) -> None:
        self._db.close()

    # -- the job row ------------------------------------------------------------------------

    def job(self) -> dict[str, Any]:
        with self._lock:
            cursor = self._db.execute("SELECT * FROM job")
            row = cursor.fetchone()
        return dict(zip([c[0] for c in cursor.description], row))

    def set_job(self, **fields: Any) -> None:
        fields["updated_at"] = time.time()
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self._lock:
            self._db.execute(f"UPDATE job SET {assignments}", tuple(fields.values()))

    # -- records ----------------------------------------------------------------------------

    def start(self, entries: Iterable[tuple[int, str, str, str | None]], next_line: int | None) -> None:
        """Journal records (line, hash, state, result) and move the input position, atomically."""
        work: list[tuple[str, list[Any]]] = [(
            "INSERT INTO records (line, hash, state, result) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(line) DO UPDATE SET state = excluded.state, result = excluded.result",
            list(entries),
        )]
        if next_line is not None:
            work.append(("UPDATE job SET next_line = ?", [(next_line,)]))
        self._commit(work)

    def mark_inflight(self, lines: Iterable[int]) -> None:
        """The records' request is about to leave: from this commit on, their fate may be in doubt."""
        self._mark(INFLIGHT, lines)

    def mark_pending(self, lines: Iterable[int]) -> None:
        """The platform provably did not act on the records (a 429, a refused connection)."""
        self._mark(PENDING, lines)

    def _mark(self, state: str, lines: Iterable[int]) -> None:
        self._commit([("UPDATE records SET state = ? WHERE line BETWEEN ? AND ?", [(state, a, b) for a, b in runs(lines)])])

    def finish(self, outcomes: Iterable[tuple[int, str, Any]]) -> None:
        """Record final (or pending) states with their results, atomically.

        Consecutive lines with the same state and result (a batch's successes) are written as
        one range; a result object met again (the same object) is encoded once.
        """
        rows: list[list[Any]] = []  # [state, result text, first line, last line]
        last_result: Any = _NOTHING
        text: str | None = None
        for line, state, result in outcomes:
            if result is not last_result:
                text, last_result = (None if result is None else _encode(result)), result
            if rows and rows[-1][3] == line - 1 and rows[-1][0] == state and rows[-1][1] == text:
                rows[-1][3] = line
            else:
                rows.append([state, text, line, line])
        self._commit([("UPDATE records SET state = ?, result = ? WHERE line BETWEEN ? AND ?", rows)])

    def _commit(self, work: list[tuple[str, list[Any]]]) -> None:
        """Run ``work`` in a transaction, committed before returning; threads at once share one commit.

        Group commit, for every writer of the job (workers marking records in flight, the reading
        thread journaling new records and outcomes): a caller that finds no commit under way
        becomes the writer, and writes what is queued, again and again until nothing is (each
        sending thread can queue one mark at a time, so this ends within a few commits); the
        others queue their work and sleep until the commit carrying it is written (one wake-up
        each). Each caller still returns only once its own work is committed: "in flight before
        the request leaves" holds, at a fraction of the transactions, lock hand-offs and wake-ups
        of a commit per caller.
        """
        with self._guard:
            self._queued.extend(work)
            mine = self._gen
            writer = not self._writing
            if writer:
                self._writing = True
            else:
                done = self._done.get(mine) or self._done.setdefault(mine, threading.Event())
        if not writer:
            done.wait()
            if mine in self._failed:
                raise self._failed[mine]
            return
        interrupted: BaseException | None = None
        while True:
            with self._guard:
                batch, self._queued = self._queued, []
                gen = self._gen
                if not batch:
                    self._writing = False
                    break
                self._gen += 1
            error: BaseException | None = None
            try:
                self._write(batch)
            except Exception as exc:  # every caller of this commit learns it failed
                error = exc
            except BaseException as exc:
                # Ctrl-C in the reading thread while it wrote others' work too (rolled back): they
                # learn it as an ordinary failure; this thread stops once the queue is settled.
                interrupted = interrupted or exc
                error = JournalInterrupted("the job was interrupted while the journal was written")
            with self._guard:
                if error is not None:
                    self._failed[gen] = error
                event = self._done.pop(gen, None)
            if event is not None:
                event.set()
        if interrupted is not None:
            raise interrupted
        if mine in self._failed:
            raise self._failed[mine]

    def _write(self, batch: list[tuple[str, list[Any]]]) -> None:
        if len(batch) == 1 and len(batch[0][1]) == 1:
            # One statement (a record's mark, most often): SQLite commits it on its own, atomically.
            # Each call into SQLite lets the other threads take the GIL, and getting it back can
            # take milliseconds while they run: one call instead of BEGIN, UPDATE and COMMIT keeps
            # the request that waits for this mark from waiting three times.
            with self._lock:
                self._db.execute(batch[0][0], batch[0][1][0])
            return
        with self._transaction():
            for sql, rows in batch:
                self._db.executemany(sql, rows)

    def retry_set(self, idempotent: bool) -> dict[int, str]:
        """Lines to send again on resume (line → hash), after settling what a crash left.

        ``inflight`` records of a non-idempotent action become ``unknown`` here, for good.
        """
        with self._transaction():
            if not idempotent:
                self._db.execute(
                    "UPDATE records SET state = ?, result = ? WHERE state = ?",
                    (UNKNOWN, json.dumps(_lost_error()), INFLIGHT),
                )
            states = (PENDING, INFLIGHT, UNKNOWN) if idempotent else (PENDING,)
            marks = ", ".join("?" for _ in states)
            rows = self._db.execute(f"SELECT line, hash FROM records WHERE state IN ({marks})", states).fetchall()
        return dict(rows)

    def counts(self) -> dict[str, int]:
        with self._lock:
            rows = self._db.execute("SELECT state, COUNT(*) FROM records GROUP BY state").fetchall()
        counts = {state: 0 for state in (PENDING, INFLIGHT, OK, FAILED, UNKNOWN)}
        counts.update(dict(rows))
        return counts

    def records(self, state: str | None = None) -> Iterator[dict[str, Any]]:
        """Every record in line order, read in chunks (the journal may hold millions)."""
        after = 0
        while True:
            sql = "SELECT line, state, result FROM records WHERE line > ?"
            args: tuple[Any, ...] = (after,)
            if state is not None:
                sql += " AND state = ?"
                args += (state,)
            with self._lock:
                rows = self._db.execute(sql + " ORDER BY line LIMIT 1000", args).fetchall()
            if not rows:
                return
            for line, st, result in rows:
                yield {"line": line, "status": st, "result": json.loads(result) if result else None}
            after = rows[-1][0]

    def _transaction(self) -> _Transaction:
        return self._txn


class _Transaction:
    """``with journal._transaction():`` one write transaction, under the journal's lock (made once)."""

    def __init__(self, db: sqlite3.Connection, lock: Any):
        self._db, self._lock = db, lock

    def __enter__(self) -> None:
        self._lock.acquire()
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._lock.release()
            raise

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        try:
            self._db.execute("COMMIT" if exc_type is None else "ROLLBACK")
        finally:
            self._lock.release()


_NOTHING = object()


class JournalInterrupted(Exception):
    """A commit carrying this thread's work was rolled back because another thread was interrupted."""


def runs(lines: Iterable[int]) -> list[tuple[int, int]]:
    """Ascending ``lines`` as (first, last) runs of consecutive numbers: one UPDATE … BETWEEN
    each instead of one per line (a batch's lines are mostly consecutive)."""
    out: list[list[int]] = []
    for line in lines:
        if out and out[-1][1] == line - 1:
            out[-1][1] = line
        else:
            out.append([line, line])
    return [(first, last) for first, last in out]


def _lost_error() -> dict[str, Any]:
    return {
        "type": "network_error",
        "message": "the job stopped while this record's request was in flight: it may have taken effect; "
        "it was not sent again because the action is not idempotent (check the platform before re-sending)",
        "details": {"processed": None},
    }


def summary(journal: Journal) -> dict[str, Any]:
    """The job as ``bulk status`` shows it: ``{"job", "state", "total", "succeeded", "failed", "unknown", …}``."""
    job = journal.job()
    counts = journal.counts()
    state = job["state"]
    if state == RUNNING and not pid_alive(job["pid"]):
        state = INTERRUPTED
    journaled = sum(counts.values())
    total = journaled if job["input_done"] else max(journaled, job["expected_total"] or 0)
    return {
        "job": job["id"],
        "state": state,
        "total": total,
        "succeeded": counts[OK],
        "failed": counts[FAILED],
        "unknown": counts[UNKNOWN],
        "inflight": counts[INFLIGHT] + counts[PENDING],
        "action": f"{job['connector']}.{job['action']}",
        "connectionId": job["connection_id"],
        "input": job["source"],
        "batch": bool(job["batch"]),
        "createdAt": job["created_at"],
        "updatedAt": job["updated_at"],
        **({"error": json.loads(job["error"])} if job["error"] else {}),
    }
