"""The journal's group commit: threads marking records at once share commits, and none of them
returns (and so sends its request) before its own marks are committed."""

from __future__ import annotations

import sqlite3
import threading
import time

from tether._bulk import journal as jr


class _SlowCommit:
    """The journal's transaction, holding each commit back a while so that marks pile up."""

    def __init__(self, txn, commits):
        self.txn, self.commits = txn, commits

    def __enter__(self):
        self.txn.__enter__()

    def __exit__(self, *exc):
        time.sleep(0.02)
        self.commits.append(1)
        return self.txn.__exit__(*exc)


def test_marks_are_committed_before_each_caller_returns_and_share_commits(tmp_path):
    journal = jr.Journal.create(tmp_path, "job-1", connector="x", connection_id="x-1", action="a", batch=0, concurrency=8)
    lines = list(range(1, 41))
    journal.start([(line, f"h{line}", jr.PENDING, None) for line in lines], 41)
    commits: list[int] = []
    journal._txn = _SlowCommit(journal._txn, commits)
    reader = sqlite3.connect(str(journal.path), check_same_thread=False)  # another connection: sees committed rows only
    seen: dict[int, str] = {}
    guard = threading.Lock()

    def mark(line):
        journal.mark_inflight([line])
        state = reader_state(line)
        with guard:
            seen[line] = state

    def reader_state(line):
        with guard:
            return reader.execute("SELECT state FROM records WHERE line = ?", (line,)).fetchone()[0]

    threads = [threading.Thread(target=mark, args=(line,)) for line in lines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {line: jr.INFLIGHT for line in lines}
    assert len(commits) < len(lines)  # marks that arrived during a commit went together in the next
    journal._txn = journal._txn.txn
    journal.mark_pending([1])
    assert reader_state(1) == jr.PENDING
    reader.close()
    journal.close()


def test_marks_and_outcomes_written_as_ranges_touch_exactly_their_lines(tmp_path):
    # Lines 4 and 9 are blank in the input (never journaled); 7 is another unit's, already failed.
    journal = jr.Journal.create(tmp_path, "job-2", connector="x", connection_id="x-1", action="a", batch=1, concurrency=2)
    lines = [1, 2, 3, 5, 6, 8, 10, 11]
    journal.start([(line, f"h{line}", jr.PENDING, None) for line in lines] + [(7, "h7", jr.FAILED, '{"message":"bad"}')], 12)
    assert jr.runs([1, 2, 3, 5, 6, 8, 10, 11]) == [(1, 3), (5, 6), (8, 8), (10, 11)]
    assert jr.runs([5, 3, 4]) == [(5, 5), (3, 4)]
    journal.mark_inflight(lines)
    assert {r["line"]: r["status"] for r in journal.records()} == {**{line: jr.INFLIGHT for line in lines}, 7: jr.FAILED}
    shared = {"status": "success"}
    journal.finish(
        [(1, jr.OK, shared), (2, jr.OK, shared), (3, jr.OK, {"status": "success"}), (5, jr.OK, {"status": "other"}), (6, jr.OK, shared)]
        + [(8, jr.OK, shared), (10, jr.UNKNOWN, {"message": "lost"}), (11, jr.OK, True)]
    )
    assert [(r["line"], r["status"], r["result"]) for r in journal.records()] == [
        (1, jr.OK, shared), (2, jr.OK, shared), (3, jr.OK, shared), (5, jr.OK, {"status": "other"}), (6, jr.OK, shared),
        (7, jr.FAILED, {"message": "bad"}), (8, jr.OK, shared), (10, jr.UNKNOWN, {"message": "lost"}), (11, jr.OK, True),
    ]
    journal.close()


class _InterruptedCommit:
    """The journal's transaction: the first commit waits until another thread has queued its mark
    (for the next commit) and succeeds; the next one, written by the same thread and carrying only
    the other thread's mark, is interrupted (a Ctrl-C in the reading thread) and rolled back."""

    def __init__(self, txn, queued):
        self.txn, self.queued, self.commits = txn, queued, 0

    def __enter__(self):
        self.txn.__enter__()

    def __exit__(self, *exc):
        self.commits += 1
        if self.commits == 1:
            self.queued.wait(5)
        elif self.commits == 2:
            self.txn.__exit__(KeyboardInterrupt, None, None)
            raise KeyboardInterrupt
        return self.txn.__exit__(*exc)


def test_an_interrupted_commit_fails_its_other_callers_without_hanging_them(tmp_path):
    journal = jr.Journal.create(tmp_path, "job-3", connector="x", connection_id="x-1", action="a", batch=0, concurrency=2)
    journal.start([(line, f"h{line}", jr.PENDING, None) for line in (1, 2, 3, 4)], 5)
    queued = threading.Event()
    journal._txn = _InterruptedCommit(journal._txn, queued)
    outcome: list[BaseException | None] = []

    def worker():
        while not journal._writing:  # the reading thread is writing: this mark waits for the next commit
            time.sleep(0.001)
        try:
            journal.mark_inflight([2, 4])  # two ranges: a transaction
            outcome.append(None)
        except BaseException as exc:  # noqa: BLE001 - the test looks at what arrived
            outcome.append(exc)

    def signal_when_queued():
        while not any(rows == [(jr.INFLIGHT, 2, 2), (jr.INFLIGHT, 4, 4)] for _, rows in list(journal._queued)):
            time.sleep(0.001)
        queued.set()

    threads = [threading.Thread(target=worker), threading.Thread(target=signal_when_queued, daemon=True)]
    for thread in threads:
        thread.start()
    try:
        journal.finish([(1, jr.OK, {"n": 1}), (3, jr.OK, {"n": 3})])  # two ranges: a transaction
    except KeyboardInterrupt:
        interrupted = True
    else:
        interrupted = False
    threads[0].join(5)
    assert interrupted and not threads[0].is_alive()
    assert len(outcome) == 1 and isinstance(outcome[0], jr.JournalInterrupted)  # an Exception, not a Ctrl-C
    assert {r["line"]: r["status"] for r in journal.records()} == {1: jr.OK, 2: jr.PENDING, 3: jr.OK, 4: jr.PENDING}  # the marks rolled back
    journal.mark_inflight([2])  # the journal goes on
    assert {r["line"]: r["status"] for r in journal.records()}[2] == jr.INFLIGHT
    journal.close()


def test_a_journal_is_recognised_whatever_characters_its_path_holds(tmp_path):
    """``is_journal`` opens the file read-only through a URI: '#', '?' and '%' in TETHER_HOME
    must not cut the path short (a real journal would then read as a stray file)."""
    from tether._bulk.journal import Journal, is_journal

    home = tmp_path / "odd #1 ?x %20"
    (home / "bulk").mkdir(parents=True)
    Journal.create(home, "job-1", connector="x", connection_id="x-1", action="a", batch=0, concurrency=1).close()
    assert is_journal(home / "bulk" / "job-1.db")
    (home / "bulk" / "other.db").write_text("not a database")
    assert not is_journal(home / "bulk" / "other.db")
