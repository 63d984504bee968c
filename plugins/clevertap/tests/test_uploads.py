"""Uploads: what lands in the workspace, split requests, per-record failures mapped to the caller's
index, and records whose answer was lost reported as unknown, never re-sent (§A5.1–A5.3, §A6)."""

from __future__ import annotations

import pytest
from tether.connector import ValidationError


def event(i, name="Test Bought", **data):
    return {"identity": f"u-{i % 7}", "evtName": name, "evtData": {"i": i, **data}, "ts": 1767225600 + i}


def test_uploaded_events_come_back_from_the_export(ct):
    out = ct.run("upload-events", records=[event(i) for i in range(5)])
    assert out == {"status": "success", "processed": 5, "unprocessed": [], "unknown": [], "requests": 1}
    stored = ct.events_named("Test Bought")
    assert sorted(e["evtData"]["i"] for e in stored) == [0, 1, 2, 3, 4]
    exported = ct.run("get-events", event_name="Test Bought", **{"from": 20260101, "to": 20260101}, all=True)
    assert sorted(r["event_props"]["i"] for r in exported["records"]) == [0, 1, 2, 3, 4]
    assert {r["profile"]["identity"] for r in exported["records"]} == {f"u-{i}" for i in range(5)}


def test_large_inputs_are_split_and_failures_keep_the_callers_index(ct):
    records = [event(i) for i in range(2500)]
    records[5] = {**event(5), "evtName": "App Launched"}  # 513: a restricted system event
    records[1500] = {**event(1500), "evtName": "Notification Sent"}
    records[2499] = {**event(2499), "evtName": "Stayed"}
    out = ct.run("upload-events", records=records)
    assert out["requests"] == 3 and out["processed"] == 2497 and out["status"] == "partial"
    assert [(u["index"], u["code"]) for u in out["unprocessed"]] == [(5, 513), (1500, 513), (2499, 513)]
    assert out["unprocessed"][1]["record"]["evtName"] == "Notification Sent"
    assert len(ct.events_named("Test Bought")) == 2497
    uploads = [e for e in ct.runtime.journal() if e["path"] == "/1/upload"]
    assert len(uploads) == 3


def test_batch_size_sets_the_records_per_request(ct):
    out = ct.run("upload-events", records=[event(i) for i in range(10)], batch_size=4)
    assert out["requests"] == 3 and out["processed"] == 10


def test_profiles_are_validated_with_the_platforms_codes(ct):
    out = ct.run(
        "upload-user-profiles",
        records=[
            {"identity": "p-1", "profileData": {"Name": "One", "Email": "one@example.com", "Phone": "+14155550101", "tier": "gold"}},
            {"identity": "p-2", "profileData": {"Email": "$$$$$"}},
            {"identity": "p-3", "profileData": {"Phone": "+44+441234"}},
            {"identity": "p-4", "profileData": {"Age": "aa"}},
        ],
    )
    assert out["status"] == "partial" and out["processed"] == 1
    assert [(u["index"], u["code"]) for u in out["unprocessed"]] == [(1, 515), (2, 516), (3, 520)]
    # §A5.2 [V-rec]: the recorded wording, record number 1-based within the request.
    assert out["unprocessed"][0]["error"] == "Profile data is incorrect. Email is not valid.Skipped record number : 2"
    profile = ct.run("get-user-profile", identity="p-1")["record"]
    assert profile["email"] == "one@example.com" and profile["profileData"]["tier"] == "gold"


def test_all_records_refused_is_fail_not_success(ct):
    out = ct.run("upload-user-profiles", records=[{"identity": "p-9", "profileData": {"Married": "maybe"}}])
    assert out["status"] == "fail" and out["processed"] == 0 and out["unprocessed"][0]["code"] == 519


def test_device_tokens_attach_to_the_profile(ct):
    oid = ct.run("get-user-profile", identity="user-1")["record"]["objectId"]
    out = ct.run("upload-device-tokens", records=[{"objectId": oid, "tokenData": {"id": "apns-1", "type": "apns"}}, {"objectId": "nobody123", "tokenData": {"id": "x", "type": "fcm"}}])
    assert out["processed"] == 1 and [(u["index"], u["code"]) for u in out["unprocessed"]] == [(1, 530)]
    info = ct.run("get-user-profile", objectId=oid)["record"]["platformInfo"]
    assert [(p["push_token"], p["platform"]) for p in info] == [("apns-1", "iOS")]


def test_tokens_go_100_per_request(ct):
    oid = ct.run("get-user-profile", identity="user-1")["record"]["objectId"]
    out = ct.run("upload-device-tokens", records=[{"objectId": oid, "tokenData": {"id": f"t-{i}", "type": "fcm"}} for i in range(150)])
    assert out["requests"] == 2 and out["processed"] == 150


def test_bad_records_are_refused_before_anything_is_sent(ct):
    before = ct.runtime.last_seq()
    for bad in ({"evtName": "x", "evtData": {}}, {"identity": "a", "evtName": "x", "ts": 1767225600000}):
        with pytest.raises(ValidationError):
            ct.run("upload-events", records=[event(1), bad])
    assert ct.runtime.journal(after=before) == []


def test_an_upload_whose_answer_is_lost_is_unknown_and_not_resent(tether_home):
    from tether import Client
    from tether.testing import fast_retry

    with Client(home=tether_home, retry=fast_retry(), secrets_backend="file", sandbox_faults="drop-after=1x") as client:
        runtime = client.sandbox_runtime("clevertap")
        conn = client.sandbox_connection("clevertap")
        runtime.faults.counts["drop-after"] = 1  # the next request is processed, its answer lost
        out = client.run("upload-events", connection_id=conn.id, input={"records": [event(i) for i in range(6)], "batch_size": 3})
        stored = [e for e in runtime.collection("eu1/events") if e["evtName"] == "Test Bought"]
        uploads = [e for e in runtime.journal() if e["path"] == "/1/upload"]
    assert out["status"] == "partial" and out["processed"] == 3
    assert [u["index"] for u in out["unknown"]] == [0, 1, 2] and "answer lost" in out["unknown"][0]["error"]
    assert len(uploads) == 2  # not re-sent
    assert sorted(e["evtData"]["i"] for e in stored) == [0, 1, 2, 3, 4, 5]  # the lost answer's records did land, once


@pytest.mark.parametrize(("fault", "fate"), [("502", "unknown"), ("500", "unknown"), ("503", "unprocessed")])
def test_a_failed_upload_reads_its_fate_from_the_core_outcome_table(ct, fault, fate):
    """Issue 10: a 502 or 500 proves nothing (its records are unknown, never re-sent); a 503 that
    outlasts the retries proves they were not taken (unprocessed)."""
    ct.runtime.faults.counts[fault] = 4 if fault == "503" else 1  # every attempt of the first request (a 503 is retried)
    try:
        out = ct.run("upload-events", records=[event(i) for i in range(4)], batch_size=2)
    finally:
        ct.runtime.faults.counts.clear()
    failed = {"unknown": out["unknown"], "unprocessed": out["unprocessed"]}
    assert [u["index"] for u in failed[fate]] == [0, 1]
    assert [u["index"] for u in failed["unknown" if fate == "unprocessed" else "unprocessed"]] == []


def test_batch_declaration_maps_results_back_per_input(ct):
    action = ct.client.registry.actions("clevertap")["upload-events"]
    inputs = [{"records": [event(i)]} for i in range(3)]
    carrier = action.batch.combine(inputs)
    assert len(carrier["records"]) == 3
    output = {"status": "partial", "processed": 1, "unprocessed": [{"index": 1, "code": 513, "error": "no", "record": {}}], "unknown": [{"index": 2, "error": "answer lost"}], "requests": 1}
    results = action.batch.split(output, inputs)
    assert results[0].ok and not results[1].ok and not results[2].ok
    assert results[2].error.to_dict()["type"] == "network_error"


def test_bulk_split_leaves_records_unknown_when_clevertap_does_not_name_what_it_skipped():
    """A skipped record without its number in CleverTap's message cannot be placed: every record
    not otherwise accounted for may be it, so none of them reads as a success (nor as a plain
    failure, which a resume could send again)."""
    from tether._bulk.sending import _status_of
    from tether_clevertap.actions.uploads import _split

    inputs = [{"records": [{"identity": f"u{i}"}]} for i in range(4)]
    output = {
        "status": "partial", "processed": 2,
        "unprocessed": [{"index": 1, "code": 515, "error": "Email is not valid"}, {"index": None, "code": 509, "error": "Bad record"}],
        "unknown": [{"index": 3, "error": "answer lost"}],
    }
    results = _split(output, inputs)
    assert [r.ok for r in results] == [False, False, False, False]
    assert [_status_of(r.error) for r in results] == ["unknown", "failed", "unknown", "unknown"]
    assert "without naming them" in results[0].error.message
    # Every record named, nothing unnamed: the others are successes.
    output["unprocessed"] = output["unprocessed"][:1]
    assert [r.ok for r in _split(output, inputs)] == [True, False, True, False]
