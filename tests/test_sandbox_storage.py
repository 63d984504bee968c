"""The sandbox's storage layout: a table per collection, and sandboxes of earlier versions moved to it."""

from __future__ import annotations

import sqlite3

from tether._sandbox import state
from tether._sandbox.state import Collection

# The layout of earlier versions: every collection in one table.
OLD_LAYOUT = """
CREATE TABLE docs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    body TEXT NOT NULL,
    UNIQUE (collection, id)
);
CREATE INDEX docs_in_order ON docs (collection, seq);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def test_a_sandbox_of_the_shared_table_layout_keeps_every_document_in_its_order(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite3.connect(path)
    old.executescript(OLD_LAYOUT)
    rows = [("ws/users", "u2", '{"n":2}'), ("ws/lists", "l1", '{"n":"list"}'), ("ws/users", "u1", '{"n":1}'), ("ws/users", "gone", "{}")]
    old.executemany("INSERT INTO docs (collection, id, body) VALUES (?, ?, ?)", rows)
    old.execute("DELETE FROM docs WHERE id = 'gone'")
    old.execute("""INSERT INTO meta VALUES ('credentials', '{"key":"k"}')""")
    old.commit()
    old.close()

    db = state.connect(str(path))
    db.execute("BEGIN IMMEDIATE")
    users = Collection(db, "ws/users")
    assert users.ids() == ["u2", "u1"] and users.get("u1") == {"n": 1}
    assert list(Collection(db, "ws/lists")) == [{"n": "list"}]
    users.put("u3", {"n": 3})
    users.put("u2", {"n": 20})  # replaced in place
    assert users.ids() == ["u2", "u1", "u3"]
    db.execute("COMMIT")
    assert state.get_meta(db, "credentials") == {"key": "k"}
    assert db.execute("SELECT name FROM sqlite_master WHERE name = 'docs'").fetchone() is None
    db.close()
    # Opened again: nothing left to move, nothing moved twice.
    again = state.connect(str(path))
    assert state.document_counts(again) == {"ws/users": 3, "ws/lists": 1}


def test_collections_are_separate_whatever_their_names(tmp_path):
    db = state.connect(str(tmp_path / "s.db"))
    odd = "x'; DROP TABLE collections; --"
    a, b = Collection(db, odd), Collection(db, "plain")
    assert a.get("1") is None and list(a) == [] and a.count() == 0 and a.page(limit=5) == ([], False, False)
    a.put("1", {"in": "odd"})
    b.put("1", {"in": "plain"})
    assert a.get("1") == {"in": "odd"} and b.get("1") == {"in": "plain"}
    assert state.document_counts(db) == {odd: 1, "plain": 1}


def test_a_collection_written_through_another_object_is_seen_and_one_deleted_and_written_again_goes_to_the_end(tmp_path):
    db = state.connect(str(tmp_path / "s.db"))
    reader = Collection(db, "things")  # made before the collection exists
    writer = Collection(db, "things")
    writer.put("a", {"v": 1})
    writer.put("b", {"v": 2})
    assert reader.get("a") == {"v": 1}
    assert writer.delete("b") and not writer.delete("b")
    writer.put("c", {"v": 3})
    writer.put("b", {"v": 2})  # deleted and written again: to the end
    assert reader.ids() == ["a", "c", "b"]


def test_clearing_removes_every_collection(tmp_path):
    db = state.connect(str(tmp_path / "s.db"))
    Collection(db, "one").put("1", {})
    Collection(db, "two").put("2", {})
    db.execute("BEGIN IMMEDIATE")
    state.clear_documents(db)
    db.execute("COMMIT")
    assert state.document_counts(db) == {} and list(Collection(db, "one")) == []
    Collection(db, "two").put("3", {"new": True})
    assert list(Collection(db, "two")) == [{"new": True}]
