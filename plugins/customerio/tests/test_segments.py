"""Segments through the App API (§A5.3): definitions, size, members and what uses them."""

from __future__ import annotations

import pytest
from tether import NotFoundError, ValidationError

from tether_customerio import samples


def test_list_segments_shows_the_seeded_ones_without_members(cio):
    segments = cio.run("list-segments")["segments"]
    assert [(s["id"], s["type"]) for s in segments] == [(7, "manual"), (8, "manual"), (9, "dynamic")]
    assert all("members" not in s and "_rule" not in s for s in segments)


def test_create_segment_then_get_and_list_it(cio):
    created = cio.run("create-segment", name="Webinar attendees", description="March webinar")
    assert created["id"] == 10 and created["type"] == "manual" and created["name"] == "Webinar attendees"
    assert created["deduplicate_id"] == f"10:{created['created_at']}" and created["state"] == "finished"
    assert cio.run("get-segment", segment_id=10) == created
    assert cio.segment(10)["members"] == []
    assert cio.run("create-segment", name="Second")["id"] == 11
    assert [s["id"] for s in cio.run("list-segments")["segments"]][-2:] == [10, 11]
    # the new segment is empty, and is one of nobody's segments
    assert cio.run("get-segment-customer-count", segment_id=10) == {"segment_id": 10, "count": 0}


def test_create_segment_needs_a_name(cio):
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError):
        cio.run("create-segment", name="")
    with pytest.raises(ValidationError):
        cio.run("create-segment", description="no name")
    assert cio.runtime.journal(after=before) == []
    with cio.http("app") as http:
        no_name = http.post("/v1/segments", json={"segment": {"description": "x"}})
        flat = http.post("/v1/segments", json={"name": "not wrapped"})
    assert no_name.status_code == 400
    assert no_name.json() == {"errors": [{"detail": "segment name is required", "status": "400", "source": {"pointer": "/segment/name"}}]}
    assert flat.status_code == 400
    assert len(cio.collection("segments")) == 3  # nothing was created


def test_delete_segment_then_it_is_gone(cio):
    assert cio.run("delete-segment", segment_id=samples.BETA_SEGMENT) == {"deleted": True}
    assert cio.segment(samples.BETA_SEGMENT) is None
    with pytest.raises(NotFoundError) as info:
        cio.run("get-segment", segment_id=samples.BETA_SEGMENT)
    assert info.value.details["body"] == {"errors": [{"detail": "Segment not found", "status": "404"}]}
    with pytest.raises(NotFoundError):
        cio.run("delete-segment", segment_id=samples.BETA_SEGMENT)


def test_delete_answers_204_with_no_body(cio):
    created = cio.run("create-segment", name="Temporary")
    with cio.http("app") as http:
        reply = http.delete(f"/v1/segments/{created['id']}")
    assert reply.status_code == 204 and reply.content == b""
    assert cio.segment(created["id"]) is None


def test_unknown_and_non_numeric_segment_ids_are_404(cio):
    with pytest.raises(NotFoundError):
        cio.run("get-segment-customer-count", segment_id=999)
    with pytest.raises(NotFoundError):
        cio.run("get-segment-membership", segment_id=999)
    with pytest.raises(NotFoundError):
        cio.run("get-segment-usage", segment_id=999)
    with cio.http("app") as http:
        assert http.get("/v1/segments/vip").status_code == 404
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError):
        cio.run("get-segment", segment_id=0)
    assert cio.runtime.journal(after=before) == []


def test_customer_count_follows_manual_and_dynamic_membership(cio):
    assert cio.run("get-segment-customer-count", segment_id=samples.VIP_SEGMENT) == {"segment_id": 7, "count": 2}
    assert cio.run("get-segment-customer-count", segment_id=samples.ACTIVE_SEGMENT)["count"] == 2
    cio.run("identify-customer", identifier=samples.KATHERINE, attributes={"plan": "pro"})
    assert cio.run("get-segment-customer-count", segment_id=samples.ACTIVE_SEGMENT)["count"] == 3
    assert cio.run("get-segment-customer-count", segment_id=samples.VIP_SEGMENT)["count"] == 2


def test_membership_lists_identifiers_and_pages(cio):
    members = cio.run("get-segment-membership", segment_id=samples.VIP_SEGMENT)
    assert members["segment_id"] == 7 and members["ids"] == [samples.ADA, samples.GRACE] and members["next"] == ""
    assert members["identifiers"][1] == {"id": samples.GRACE, "email": samples.GRACE_EMAIL, "cio_id": samples.GRACE_CIO}
    first = cio.run("get-segment-membership", segment_id=samples.VIP_SEGMENT, limit=1)
    assert first["ids"] == [samples.ADA] and first["next"]
    second = cio.run("get-segment-membership", segment_id=samples.VIP_SEGMENT, limit=1, start=first["next"])
    assert second["ids"] == [samples.GRACE] and second["next"] == ""
    with pytest.raises(ValidationError):
        cio.run("get-segment-membership", segment_id=samples.VIP_SEGMENT, limit=30001)  # §A5.1: at most 30000


def test_membership_of_someone_without_an_id_has_an_empty_id(cio):
    # A person known only by email (Track identify by email) who is on the pro plan.
    cio.run("identify-customer", identifier="only-email@example.com", attributes={"plan": "pro"})
    everyone = cio.run("get-segment-membership", segment_id=samples.ACTIVE_SEGMENT, all=True)["identifiers"]
    assert everyone[-1]["email"] == "only-email@example.com" and "id" not in everyone[-1]
    raw = cio.run("get-segment-membership", segment_id=samples.ACTIVE_SEGMENT)
    assert raw["ids"] == [samples.ADA, samples.GRACE, ""]  # §A5.3: ids may contain ""


def test_segment_usage_reads_campaigns_and_newsletters(cio):
    cio.put_doc("campaigns", "9001", {"id": 9001, "trigger_segment_ids": [samples.BETA_SEGMENT], "filter_segment_ids": []})
    cio.put_doc("campaigns", "9002", {"id": 9002, "trigger_segment_ids": [], "filter_segment_ids": [samples.BETA_SEGMENT]})
    cio.put_doc("campaigns", "9003", {"id": 9003, "trigger_segment_ids": [samples.VIP_SEGMENT]})
    cio.put_doc("newsletters", "9101", {"id": 9101, "recipient_segment_ids": [samples.BETA_SEGMENT], "sent_at": 1_700_000_000})
    cio.put_doc("newsletters", "9102", {"id": 9102, "recipient_segment_ids": [samples.BETA_SEGMENT], "sent_at": None})
    usage = cio.run("get-segment-usage", segment_id=samples.BETA_SEGMENT)
    assert usage["segment_id"] == samples.BETA_SEGMENT
    assert usage["used_by"]["campaigns"][-2:] == [9001, 9002] and 9003 not in usage["used_by"]["campaigns"]
    assert usage["used_by"]["sent_newsletters"][-1] == 9101 and 9102 not in usage["used_by"]["sent_newsletters"]
    assert usage["used_by"]["draft_newsletters"][-1] == 9102


def test_a_new_segment_is_used_by_nothing(cio):
    created = cio.run("create-segment", name="Fresh")
    assert cio.run("get-segment-usage", segment_id=created["id"]) == {
        "segment_id": created["id"],
        "used_by": {"campaigns": [], "sent_newsletters": [], "draft_newsletters": []},
    }


def test_segments_are_per_workspace(cio):
    created = cio.run_in(cio.eu, "create-segment", name="EU only")
    assert created["id"] == 10
    assert cio.segment(10, region="eu")["name"] == "EU only" and cio.segment(10, region="us") is None
    with pytest.raises(NotFoundError):
        cio.run("get-segment", segment_id=10)


def test_a_malformed_body_is_a_400(cio):
    with cio.http("app") as http:
        reply = http.post("/v1/segments", content=b"{not json", headers={"Content-Type": "application/json"})
    assert reply.status_code == 400 and reply.json()["errors"][0]["status"] == "400"
