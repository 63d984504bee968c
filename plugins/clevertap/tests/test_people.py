"""One user at a time (§A5.5, §A5.9, §A5.15): read by identity/email/objectId, delete then get,
demerge, channel subscription changes and phone disassociation seen on the profile."""

from __future__ import annotations

import pytest
from tether.connector import NotFoundError


def test_one_profile_by_identity_email_or_object_id(ct):
    ct.run("upload-user-profiles", records=[{"identity": "a+b", "profileData": {"Email": "a+b@example.com", "Name": "Plus"}}])
    by_identity = ct.run("get-user-profile", identity="a+b")["record"]
    assert by_identity["name"] == "Plus"
    assert ct.run("get-user-profile", email="a+b@example.com")["record"]["objectId"] == by_identity["objectId"]
    assert ct.run("get-user-profile", objectId=by_identity["objectId"])["record"]["identity"] == "a+b"


def test_delete_then_get_is_not_found_and_deleting_again_succeeds(ct):
    oid = ct.run("get-user-profile", identity="user-2")["record"]["objectId"]
    assert ct.run("delete-user-profile", identity=["user-2"]) == {"status": "success"}
    with pytest.raises(NotFoundError):
        ct.run("get-user-profile", identity="user-2")
    assert not [e for e in ct.state("events") if e["objectId"] == oid]
    assert ct.run("delete-user-profile", identity="user-2") == {"status": "success"}  # idempotent


def test_delete_by_guid(ct):
    oid = ct.run("get-user-profile", identity="user-1")["record"]["objectId"]
    ct.run("delete-user-profile", guid=oid)
    with pytest.raises(NotFoundError):
        ct.run("get-user-profile", objectId=oid)


def test_demerge_splits_an_identity_into_its_own_profile(ct):
    merged = ct.run("get-user-profile", identity="user-3")["record"]
    assert merged["all_identities"] == ["user-3", "user-3-alt"]
    assert ct.run("demerge-user-profiles", identities=["user-3-alt"]) == {"status": "success"}
    kept = ct.run("get-user-profile", identity="user-3")["record"]
    alone = ct.run("get-user-profile", identity="user-3-alt")["record"]
    assert kept["objectId"] == merged["objectId"] and kept["all_identities"] == ["user-3"]
    assert alone["objectId"] != merged["objectId"] and alone["all_identities"] == ["user-3-alt"]


def test_subscription_change_shows_on_the_profile(ct):
    out = ct.run("update-channel-subscription", changes=[
        {"type": "email", "value": "ada@example.com", "status": "Unsubscribe"},
        {"type": "phone", "value": "+14155551234", "status": "Unsubscribe"},
        {"type": "phone", "value": "12345", "status": "Resubscribe"},
    ])
    assert out["status"] == "partial" and len(out["unprocessed"]) == 1
    data = ct.run("get-user-profile", identity="user-1")["record"]["profileData"]
    assert data["MSG-email"] is False and data["MSG-sms"] is False
    ct.run("update-channel-subscription", changes=[{"type": "email", "value": "ada@example.com", "status": "Resubscribe"}])
    assert ct.run("get-user-profile", identity="user-1")["record"]["profileData"]["MSG-email"] is True


def test_disassociated_phone_leaves_the_profile(ct):
    assert ct.run("disassociate-phone", phones=["+14155551234"]) == {"status": "success"}
    record = ct.run("get-user-profile", identity="user-1")["record"]
    assert record["phone"] is None and "Phone" not in record["profileData"]


def test_an_unknown_user_is_not_found_with_the_platforms_message(ct):
    with pytest.raises(NotFoundError, match="Profile not found"):
        ct.run("get-user-profile", identity="nobody-here")
