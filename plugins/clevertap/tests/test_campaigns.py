"""Campaigns (§A5.10–A5.14): created through the sandbox they move scheduled → running →
completed, or stopped; the report exists once completed; message reports list what was sent."""

from __future__ import annotations

import pytest
from tether.connector import PlatformError, ValidationError

CONTENT = {"title": "Hi", "body": "Hello there"}


def create(ct, **extra):
    base = {"name": "Test push", "where": {"event_name": "App Launched", "from": 20240101, "to": 20241231}, "content": CONTENT, "devices": ["android"]}
    return ct.run("create-campaign", **{**base, **extra})


def test_create_now_then_report_counts_the_audience(ct):
    ct.configure(campaign_run_seconds=0)
    made = create(ct, when="now")
    report = ct.run("get-campaign-report", id=made["id"])
    assert report["sent"] == 3 and report["name"] == "Test push"  # the three seeded users launched the app


def test_a_running_or_scheduled_campaign_has_no_report_yet(ct):
    ct.configure(campaign_run_seconds=3600)
    made = create(ct, when="now")
    with pytest.raises(PlatformError) as info:
        ct.run("get-campaign-report", id=made["id"])
    assert info.value.status == 400 and "running" in str(info.value)


def test_stop_a_scheduled_campaign(ct):
    later = create(ct, when="20991231 10:00", name="Later")
    listed = {t["id"]: t["status"] for t in ct.run("get-campaigns", **{"from": 20991231, "to": 20991231})["targets"]}
    assert listed == {later["id"]: "scheduled"}
    assert ct.run("stop-campaign", id=later["id"]) == {"status": "success"}
    assert ct.run("stop-campaign", id=later["id"]) == {"status": "success"}  # stopping again: nothing to do
    listed = {t["id"]: t["status"] for t in ct.run("get-campaigns", **{"from": 20991231, "to": 20991231})["targets"]}
    assert listed == {later["id"]: "stopped"}
    with pytest.raises(PlatformError, match="stopped"):
        ct.run("get-campaign-report", id=later["id"])


def test_stop_of_an_unknown_campaign_fails(ct):
    with pytest.raises(PlatformError) as info:
        ct.run("stop-campaign", id=42)
    assert info.value.status == 400


def test_estimate_only_creates_nothing(ct):
    before = len(ct.state("campaigns"))
    out = create(ct, estimate_only=True)
    assert out["estimates"] == {"total": 3} and len(ct.state("campaigns")) == before


def test_segment_all_and_where_are_exclusive(ct):
    before = ct.runtime.last_seq()
    with pytest.raises(ValidationError):
        ct.run("create-campaign", name="x", content=CONTENT, where={"event_name": "a", "from": 20240101, "to": 20240101}, segment="all")
    assert ct.runtime.journal(after=before) == []  # refused before anything was sent


def test_message_reports_list_campaigns_and_sends_to_users(ct):
    ct.configure(campaign_run_seconds=0)
    made = create(ct, when="now", target_mode="email")
    out = ct.run("send-message-to-users", channel="sms", to={"Identity": ["user-1", "user-2", "ghost"]}, content={"body": "Code 1234"}, tag_group="otp")
    assert out["status"] == "success" and out["sent"] == 2
    today = str(ct.today())
    messages = ct.run("get-message-reports", **{"from": today, "to": today})["messages"]
    by_name = {m["name"]: m for m in messages}
    assert by_name["Test push"]["id"] == made["id"] and by_name["Test push"]["channel"] == "email"
    assert by_name["otp"]["sent"] == 2 and by_name["otp"]["channel"] == "sms"
    sms_only = ct.run("get-message-reports", channel=["sms"], **{"from": today, "to": today})["messages"]
    assert [m["name"] for m in sms_only] == ["otp"]
