"""A generator of any length streams through the Python API, one request's records at a time."""

from __future__ import annotations

from tether_clevertap import upload_stream


def test_a_generator_is_uploaded_lazily_with_stream_wide_indices(ct):
    pulled = []

    def events():
        for i in range(2500):
            pulled.append(i)
            name = "Stayed" if i in (3, 1700) else "Streamed"  # 513: refused system events
            yield {"identity": f"s-{i % 9}", "evtName": name, "evtData": {"i": i}, "ts": 1767225600}

    answers = upload_stream(ct.client, ct.conn.id, events())
    first = next(answers)
    assert len(pulled) == 1000  # nothing read ahead of the first request
    rest = list(answers)
    assert [a["offset"] for a in [first, *rest]] == [0, 1000, 2000]
    refused = [u["index"] for a in [first, *rest] for u in a["unprocessed"]]
    assert refused == [3, 1700]
    assert sum(a["processed"] for a in [first, *rest]) == 2498 == len(ct.events_named("Streamed"))
