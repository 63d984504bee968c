"""Regions (§A1, §A9): each has its own host and its own accounts. An in1 connection talks only to
in1's host, for every API family; credentials of another region answer like an unknown account,
and the error says to check the region."""

from __future__ import annotations

import pytest
from tether.connector import AuthError


@pytest.fixture
def in1(tether_client):
    return tether_client.connect("clevertap", sandbox=True, settings={"region": "in1"})


def test_an_in1_connection_talks_only_to_the_in1_host(tether_client, in1):
    runtime = tether_client.sandbox_runtime("clevertap")
    before = runtime.last_seq()
    run = lambda action, **inp: tether_client.run(action, connection_id=in1.id, input=inp)  # noqa: E731
    run("upload-events", records=[{"identity": "india-1", "evtName": "Paid", "evtData": {}, "ts": 1767225600}])
    run("upload-user-profiles", records=[{"identity": "india-1", "profileData": {"City": "Pune"}}])
    assert run("get-events", event_name="Paid", **{"from": 20260101, "to": 20260101}, all=True)["records"]
    assert run("get-event-count", event_name="Paid", **{"from": 20260101, "to": 20260101})["count"] == 1
    run("get-campaigns", **{"from": 20240101, "to": 20240101})
    run("create-segments", segments=[{"segment_name": "Pune", "customer_segment_id": "pune"}])  # /api/… outside /1
    run("get-user-profile", identity="india-1")
    hosts = {e["host"] for e in runtime.journal(after=before)}
    assert hosts == {"in1.api.clevertap.com"}
    # the data lives in in1's workspace only
    assert [e["evtName"] for e in runtime.collection("in1/events") if e["evtName"] == "Paid"] == ["Paid"]
    assert not [e for e in runtime.collection("eu1/events") if e["evtName"] == "Paid"]


def test_another_regions_account_is_refused_with_a_region_hint(tether_client, in1):
    runtime = tether_client.sandbox_runtime("clevertap")
    eu1 = runtime.credentials_for("eu1")
    assert eu1 != runtime.credentials_for("in1")
    wrong = tether_client.update_connection(in1.id, credentials=eu1, verify=False)  # eu1's account, in1's host
    with pytest.raises(AuthError) as info:
        tether_client.run("get-campaigns", connection_id=wrong.id, input={"from": 20240101, "to": 20240101})
    assert info.value.status == 401 and "Account ID is not valid" in str(info.value)
    assert "check the connection's region" in str(info.value)


def test_connecting_with_another_regions_account_is_a_configuration_error_with_the_hint(tether_client, in1):
    eu1 = tether_client.sandbox_runtime("clevertap").credentials_for("eu1")
    checked = tether_client.update_connection(in1.id, credentials=eu1)
    assert checked.state == "CONFIGURATION_ERROR"
    assert "check the connection's region" in checked.error["message"]
