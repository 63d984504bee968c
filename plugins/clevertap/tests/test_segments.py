"""API segments (§A5.15): create, add and remove users, then use the segment as an audience."""

from __future__ import annotations

import pytest
from tether.connector import PlatformError


def test_create_fill_and_target_a_segment(ct):
    made = ct.run("create-segments", segments=[{"segment_name": "VIP", "customer_segment_id": "vip-1"}, {"segment_name": "Trial", "customer_segment_id": "trial-1"}])["segments"]
    vip = next(s for s in made if s["customer_segment_id"] == "vip-1")
    out = ct.run("update-segment-membership", bulk_profiles=[
        {"user_profiles": [{"identity": "user-1"}, {"identity": "user-2"}, {"identity": "ghost"}], "segments": [{"customer_segment_id": "vip-1", "action": "add"}]},
    ])
    assert out["status"] == "partial" and len(out["unprocessed"]) == 1
    ct.run("update-segment-membership", bulk_profiles=[{"user_profiles": [{"identity": "user-2"}], "segments": [{"ct_segment_id": str(vip["segment_id"]), "action": "remove"}]}])
    members = next(s for s in ct.state("segments") if s["customer_segment_id"] == "vip-1")["members"]
    assert members == [ct.run("get-user-profile", identity="user-1")["record"]["objectId"]]
    estimate = ct.run("create-campaign", name="VIP only", segment=vip["segment_id"], content={"title": "t", "body": "b"}, estimate_only=True)
    assert estimate["estimates"] == {"total": 1}


def test_customer_segment_ids_are_unique_across_requests(ct):
    ct.run("create-segments", segments=[{"segment_name": "A", "customer_segment_id": "same"}])
    with pytest.raises(PlatformError, match="already used"):
        ct.run("create-segments", segments=[{"segment_name": "B", "customer_segment_id": "same"}])
    with pytest.raises(PlatformError, match="Duplicate segment_name"):
        ct.run("create-segments", segments=[{"segment_name": "C", "customer_segment_id": "c1"}, {"segment_name": "C", "customer_segment_id": "c2"}])
