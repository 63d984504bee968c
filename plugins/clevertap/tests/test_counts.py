"""Counts, trends, top values and real-time users (§A3, §A5.6–A5.8, §A5.15): computed from what
was uploaded, polled by req_id while CleverTap answers partial, a timeout carrying the req_id."""

from __future__ import annotations

import pytest
from tether.connector import JobTimeout

RANGE = {"from": 20260101, "to": 20260131}
DAY = 86400


def purchases(ct):
    ct.run("upload-user-profiles", records=[{"identity": "b-1", "profileData": {"City": "Oslo"}}, {"identity": "b-2", "profileData": {"City": "Rome"}}, {"identity": "b-3", "profileData": {"City": "Oslo"}}])
    ct.run("upload-events", records=[
        {"identity": "b-1", "evtName": "Bought", "evtData": {"Amount": 10, "Mode": "card"}, "ts": 1767225600},
        {"identity": "b-1", "evtName": "Bought", "evtData": {"Amount": 5, "Mode": "card"}, "ts": 1767225600 + DAY},
        {"identity": "b-2", "evtName": "Bought", "evtData": {"Amount": 7, "Mode": "cash"}, "ts": 1767225600 + DAY},
        {"identity": "b-3", "evtName": "Bought", "evtData": {"Amount": 1, "Mode": "card"}, "ts": 1767225600 + 8 * DAY},
        {"identity": "b-3", "evtName": "Viewed", "evtData": {}, "ts": 1767225600},
    ])


def test_upload_then_count_events_and_profiles(ct):
    purchases(ct)
    assert ct.run("get-event-count", event_name="Bought", **RANGE)["count"] == 4
    assert ct.run("get-profile-count", event_name="Bought", **RANGE)["count"] == 3
    assert ct.run("get-event-count", event_name="Bought", event_properties=[{"name": "Mode", "operator": "equals", "value": "card"}], **RANGE)["count"] == 3
    assert ct.run("get-profile-count", event_name="Bought", profile_fields=[{"name": "City", "operator": "equals", "value": "Oslo"}], **RANGE)["count"] == 2
    assert ct.run("get-event-count", event_name="Bought", **{"from": 20260102, "to": 20260102})["count"] == 2


def test_partial_answers_are_polled_by_req_id(ct):
    purchases(ct)
    ct.configure(count_pending_polls=3)
    out = ct.run("get-event-count", event_name="Bought", **RANGE)
    assert out["count"] == 4 and isinstance(out["req_id"], int)
    polls = [e for e in ct.runtime.journal() if e["path"] == "/1/counts/events.json"]
    assert [(p["method"], p["query"]) for p in polls] == [("POST", "")] + [("GET", f"req_id={out['req_id']}")] * 3


def test_a_count_that_outlives_the_timeout_carries_its_req_id_and_can_be_asked_again(ct):
    purchases(ct)
    ct.configure(count_pending_polls=10**6)
    with pytest.raises(JobTimeout) as info:
        ct.run("get-profile-count", event_name="Bought", timeout=0, **RANGE)
    req_id = info.value.job_id
    assert info.value.to_dict()["details"]["job_id"] == req_id and "req_id" in info.value.to_dict()["details"]["resume"]
    job = next(j for j in ct.state("count_jobs") if j["req_id"] == req_id)
    ct.runtime.put("eu1/count_jobs", str(req_id), {**job, "polls_left": 1})  # CleverTap finished meanwhile
    posts_before = len([e for e in ct.runtime.journal() if e["method"] == "POST" and e["path"] == "/1/counts/profiles.json"])
    assert ct.run("get-profile-count", req_id=req_id) == {"count": 3, "req_id": req_id}
    posts_after = len([e for e in ct.runtime.journal() if e["method"] == "POST" and e["path"] == "/1/counts/profiles.json"])
    assert posts_after == posts_before  # the same request waited for, not a new count


def test_trends_daily_weekly_monthly_unique_and_sum(ct):
    purchases(ct)
    groups = {"d": {"trend_type": "daily"}, "w": {"trend_type": "weekly"}, "m": {"trend_type": "monthly"}}
    out = ct.run("get-event-trends", event_name="Bought", groups=groups, **RANGE)["groups"]
    assert out["d"] == {"20260101": 1, "20260102": 2, "20260109": 1}
    assert out["w"] == {"20251229": 3, "20260105": 1} and out["m"] == {"20260101": 4}
    assert ct.run("get-event-trends", event_name="Bought", unique=True, groups={"d": {"trend_type": "daily"}}, **RANGE)["groups"]["d"]["20260102"] == 2
    assert ct.run("get-event-trends", event_name="Bought", sum_event_prop="Amount", groups={"m": {"trend_type": "monthly"}}, **RANGE)["groups"]["m"] == {"20260101": 23}


def test_top_property_counts(ct):
    purchases(ct)
    out = ct.run("get-top-property-counts", event_name="Bought", groups={
        "modes": {"property_type": "event_properties", "name": "Mode"},
        "cities": {"property_type": "profile_fields", "name": "City", "top_n": 1},
        "least": {"property_type": "event_properties", "name": "Mode", "order": "asc", "top_n": 1},
    }, **RANGE)["groups"]
    assert out == {"modes": {"card": 3, "cash": 1}, "cities": {"Oslo": 2}, "least": {"cash": 1}}


def test_real_time_users_are_those_active_in_the_last_five_minutes(ct):
    before = ct.run("real-time-user-count")["users"]
    ct.run("upload-events", records=[{"identity": "now-1", "evtName": "Opened", "evtData": {}}, {"identity": "now-2", "evtName": "Opened", "evtData": {}}])
    out = ct.run("real-time-user-count", user_type=True)
    assert out["users"] == before + 2 and out["user_type"]["New"] >= 2
