"""The writes of one upload held in memory and written once, at the end of the request.

An upload carries up to 1,000 records (§A5.1). Applied one by one straight to the workspace's
collections, a new user's event costs a dozen SQL statements (look-ups, two counters, the
identity link, the profile, the event: about 50 µs), most of a bulk job's time in the sandbox.
Through :class:`Buffered` the same code (``people.apply_record``) runs against memory: a
document is read at most once, written once (the last version, in one ``put_many`` per
collection), and each counter takes its ids in one step. The state it leaves is the same:

- documents: the last version of each; a new document takes its place in the order of its
  first write (as an insert would), one deleted and written again goes to the end;
- counters: the same ids, in the same order (the handler runs under the runtime's lock, so the
  ids after the first one taken are known to follow it);
- nothing is written unless the handler returns: the runtime's transaction rolls back the rest.

Only what ``apply_record`` uses is offered (get, put, delete, next_id); anything else (a scan
of a collection) is an AttributeError rather than a read of stale state.
"""

from __future__ import annotations

from typing import Any


class Buffered:
    """Stands in for a handler's context: collections and counters buffered, the rest passed through."""

    def __init__(self, ctx: Any):
        self._ctx = ctx
        self.workspace = ctx.workspace  # fixed for the request (read for every collection: no __getattr__)
        self.now = ctx.now
        self._collections: dict[str, _BufferedCollection] = {}
        self._counters: dict[str, list[int]] = {}  # name -> [first id, ids taken from the store, ids handed out]

    def __getattr__(self, name: str) -> Any:  # workspace, credentials, now(), region …
        return getattr(self._ctx, name)

    def collection(self, name: str) -> _BufferedCollection:
        found = self._collections.get(name)
        if found is None:
            found = self._collections[name] = _BufferedCollection(self._ctx.collection(name))
        return found

    def prefetch(self, name: str, ids: Any) -> None:
        """Read those of these documents this request has not seen yet, in a few statements."""
        self.collection(name).prefetch(ids)

    def next_id(self, name: str, start: int = 1, count: int = 1) -> int:
        held = self._counters.get(name)
        if held is None:
            first = self._ctx.next_id(name, start, count)
            self._counters[name] = [first, count, count]
            return first
        value = held[0] + held[2]
        held[2] += count
        return value

    def flush(self) -> None:
        """Write everything (inside the request's transaction)."""
        for name, (first, taken, used) in self._counters.items():
            if used > taken and self._ctx.next_id(name, count=used - taken) != first + taken:
                raise RuntimeError(f"counter {name} moved during a buffered request")  # rolled back
        for found in self._collections.values():
            found.flush()


class _BufferedCollection:
    def __init__(self, inner: Any):
        self._inner = inner
        self._known: dict[str, Any] = {}  # id -> doc (None: absent), as this request sees it
        self._writes: dict[str, Any] = {}  # id -> last version, in first-write order
        self._deleted: set[str] = set()

    def get(self, id: str) -> Any:
        id = str(id)
        if id not in self._known:
            self._known[id] = self._inner.get(id)
        return self._known[id]

    def prefetch(self, ids: Any) -> None:
        wanted = [id for id in map(str, ids) if id not in self._known]
        found = self._inner.get_many(wanted)
        for id in wanted:
            self._known[id] = found.get(id)

    def put(self, id: str, doc: dict[str, Any]) -> dict[str, Any]:
        id = str(id)
        self._known[id] = self._writes[id] = doc
        return doc

    def delete(self, id: str) -> bool:
        existed = self.get(id) is not None
        id = str(id)
        self._known[id] = None
        self._writes.pop(id, None)
        self._deleted.add(id)
        return existed

    def flush(self) -> None:
        for id in self._deleted:
            self._inner.delete(id)
        if self._writes:
            self._inner.put_many(self._writes.items())
