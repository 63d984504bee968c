"""Uploading a stream of any length through the Python API, one request's worth in memory.

An action's input is validated whole, so ``upload-events`` takes a list. For a generator (a
file read line by line, a database cursor) this helper cuts the stream into inputs of one
request each and runs the action on them in turn, yielding each answer with its indices shifted
to the record's position in the stream::

    from tether import Client
    from tether_clevertap import upload_stream

    with Client() as client:
        for answer in upload_stream(client, "clevertap-1a2b", (row_to_event(r) for r in rows)):
            for failed in answer["unprocessed"] + answer["unknown"]:
                print(failed["index"], failed["error"])
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from .actions.uploads import ACTIONS

# Records per request of each upload action, as the actions themselves declare it (§A5.1–A5.3).
PER_REQUEST = {action.key: action.batch.max_records for action in ACTIONS}


def upload_stream(client: Any, connection_id: str, records: Iterable[dict[str, Any]], action: str = "upload-events") -> Iterator[dict[str, Any]]:
    """Run ``action`` (an upload) over ``records`` one request at a time; yield each answer with
    ``offset`` (the stream position of its first record) and stream-wide indices."""
    if action not in PER_REQUEST:
        raise ValueError(f"upload_stream runs one of {', '.join(PER_REQUEST)}, not {action!r}")
    stream, offset = iter(records), 0
    while True:
        chunk = list(islice(stream, PER_REQUEST[action]))
        if not chunk:
            return
        answer = client.run(action, connection_id=connection_id, input={"records": chunk})
        for entry in answer["unprocessed"] + answer["unknown"]:
            if entry.get("index") is not None:
                entry["index"] += offset
        yield {**answer, "offset": offset}
        offset += len(chunk)
