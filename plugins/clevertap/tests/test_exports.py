"""Cursor exports (§A5.4, §A5.5): pages followed to the end, not-ready pages waited for, cursors
sent back without re-encoding, expired cursors refused, snapshots, the legacy GET ?query= form."""

from __future__ import annotations

import json

import pytest
from tether.connector import JobTimeout, PlatformError, Response

from tether_clevertap.actions.exports import _read_page

RANGE = {"from": 20260101, "to": 20260131}


def upload(ct, n, name="Exported"):
    ct.run("upload-events", records=[{"identity": f"x-{i % 4}", "evtName": name, "evtData": {"i": i}, "ts": 1767225600 + i} for i in range(n)])


def test_cursor_pages_are_followed_one_by_one_and_streamed(ct):
    upload(ct, 7)
    first = ct.run("get-events", event_name="Exported", batch_size=3, **RANGE)
    assert [r["event_props"]["i"] for r in first["records"]] == [0, 1, 2] and first["next_cursor"]
    second = ct.run("get-events-by-cursor", cursor=first["next_cursor"])
    third = ct.run("get-events-by-cursor", cursor=second["next_cursor"])
    assert [r["event_props"]["i"] for r in second["records"] + third["records"]] == [3, 4, 5, 6]
    assert third["next_cursor"] is None
    streamed = ct.run("get-events", event_name="Exported", batch_size=3, all=True, **RANGE)
    assert [r["event_props"]["i"] for r in streamed["records"]] == list(range(7))


def test_profiles_export_lists_each_user_once(ct):
    upload(ct, 9)
    pages = list(ct.client.paginate("get-user-profiles", connection_id=ct.conn.id, input={"event_name": "Exported", "batch_size": 2, **RANGE}))
    assert sorted(p["identity"] for p in pages) == ["x-0", "x-1", "x-2", "x-3"]


def test_filters_on_event_and_profile_properties(ct):
    ct.run("upload-user-profiles", records=[{"identity": "x-0", "profileData": {"plan": "pro"}}])
    upload(ct, 8)
    out = ct.run("get-events", event_name="Exported", all=True, event_properties=[{"name": "i", "operator": "greater_than", "value": 3}], profile_fields=[{"name": "plan", "operator": "equals", "value": "pro"}], **RANGE)
    assert [r["event_props"]["i"] for r in out["records"]] == [4]


def test_an_export_is_a_snapshot(ct):
    upload(ct, 2)
    first = ct.run("get-events", event_name="Exported", batch_size=1, **RANGE)
    upload(ct, 3)  # arrives after the export started
    rest = ct.run("get-events-by-cursor", cursor=first["next_cursor"], all=True)
    assert len(first["records"]) + len(rest["records"]) == 2


def test_a_page_still_in_progress_is_asked_again(ct):
    upload(ct, 3)
    ct.configure(export_pending_polls=2)
    out = ct.run("get-events", event_name="Exported", **RANGE)
    assert len(out["records"]) == 3
    reads = [e for e in ct.runtime.journal() if e["method"] == "GET" and "cursor=" in e["query"]]
    assert len(reads) == 3  # two "Request still in progress" answers, then the page


def test_a_page_that_never_gets_ready_times_out_with_its_cursor(ct):
    upload(ct, 1)
    ct.configure(export_pending_polls=10**6)
    with pytest.raises(JobTimeout) as info:
        ct.run("get-events", event_name="Exported", timeout=0, **RANGE)
    cursor = info.value.job_id
    ct.configure(export_pending_polls=0)
    # the export keeps its own count of pending reads; a new export is ready at once
    assert ct.run("get-events", event_name="Exported", **RANGE)["records"]
    assert isinstance(cursor, str) and cursor


def test_expired_cursors_are_refused_with_the_platforms_message(ct):
    upload(ct, 3)
    first = ct.run("get-events", event_name="Exported", batch_size=1, **RANGE)
    ct.configure(cursor_ttl_seconds=-1)
    with pytest.raises(PlatformError) as info:
        ct.run("get-events-by-cursor", cursor=first["next_cursor"])
    assert info.value.status == 400 and "expired cursor" in str(info.value)


def test_cursors_go_back_as_returned_not_encoded_twice(ct):
    upload(ct, 3)
    first = ct.run("get-events", event_name="Exported", batch_size=1, **RANGE)
    token = first["next_cursor"]
    assert "%3D" in token or "%2B" in token or "%2F" in token or token.isalnum()
    ct.run("get-events-by-cursor", cursor=token)
    sent = [e["query"] for e in ct.runtime.journal() if "cursor=" in e["query"]][-1]
    assert sent == f"cursor={token}"  # the same bytes CleverTap gave, no %25


def test_the_legacy_get_query_form_starts_an_export(ct):
    """§A7.1: the official Node library starts with GET ?batch_size=&query=<JSON>."""
    upload(ct, 2)
    query = json.dumps({"event_name": "Exported", **RANGE})
    started = ct.client.request(ct.conn.id, "/1/events.json", params={"batch_size": 5, "query": query}).json()
    assert started["status"] == "success"
    page = ct.run("get-events-by-cursor", cursor=started["cursor"])
    assert len(page["records"]) == 2


def _drive(gen, answers):
    """Feed canned CleverTap answers to an action generator; return its result."""
    request = next(gen)
    try:
        for status, body in answers:
            request = gen.send(Response(status, {}, json.dumps(body).encode()))
    except StopIteration as stop:
        return stop.value
    raise AssertionError(f"the action asked for more: {request}")


def test_a_repeated_cursor_or_a_partial_page_is_an_error_not_an_end():
    with pytest.raises(PlatformError, match="repeated the cursor"):
        _drive(_read_page("events", "abc", 5), [(200, {"status": "success", "records": [{}], "next_cursor": "abc"})])
    with pytest.raises(PlatformError, match="incomplete"):
        _drive(_read_page("events", "abc", 5), [(200, {"status": "partial", "records": []})])
    # an empty page with a next cursor is not the end
    assert _drive(_read_page("events", "abc", 5), [(200, {"status": "success", "records": [], "next_cursor": "def"})]) == {"records": [], "next_cursor": "def"}
