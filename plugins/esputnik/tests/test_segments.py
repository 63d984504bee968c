"""Segments: list, members, attach and detach (500 per request), static segments only."""

from __future__ import annotations

import pytest

from tether.connector import PlatformError, ValidationError


def member_ids(esp, group_id):
    return [c["id"] for c in esp.items("get-segment-contacts", id=group_id)]


def test_segments_list_and_find_by_name(esp):
    everything = esp.run("get-segments")
    assert [(s["id"], s["name"], s["type"]) for s in everything["segments"]] == [
        (2001, "Customers", "Static"), (2002, "VIP", "Dynamic"), (2003, "Subscribers", "Static"), (2004, "Loyal buyers", "Combined"),
    ]
    assert everything["totalCount"] == 4
    assert [s["id"] for s in esp.run("get-segments", name="buy")["segments"]] == [2004]
    assert [s["id"] for s in esp.items("get-segments", maxrows=1)] == [2001, 2002, 2003, 2004]


def test_attach_then_segment_contacts(esp):
    assert member_ids(esp, 2003) == [100003]
    esp.run("attach-contacts-to-segment", id=2003, contactIds=[100001, 100002])
    assert member_ids(esp, 2003) == [100003, 100001, 100002]
    assert esp.run("get-segment-contacts", id=2003, maxrows=2)["totalCount"] == 3
    esp.run("attach-contacts-to-segment", id=2003, externalCustomerIds=["crm-1"])  # already in: stays once
    assert member_ids(esp, 2003) == [100003, 100001, 100002]
    assert 2003 in [g["id"] for g in esp.run("get-contact", id=100001)["groups"]]


def test_detach_some_then_all(esp):
    esp.run("attach-contacts-to-segment", id=2001, contactIds=[100003])
    esp.run("detach-contacts-from-segment", id=2001, externalCustomerIds=["crm-2"])
    assert member_ids(esp, 2001) == [100001, 100003]
    assert esp.run("get-contact", id=100002)["groups"] == []  # still a contact, no longer a member
    esp.run("detach-contacts-from-segment", id=2001, allContacts=True)
    assert member_ids(esp, 2001) == []
    assert esp.run("get-contact", id=100001)["groups"] == []


def test_more_than_500_ids_go_in_several_requests(esp):
    ids = [c["id"] for c in (esp.run("add-update-contact", channels=[{"type": "email", "value": f"m{i}@example.com"}]) for i in range(3))]
    padded = ids + list(range(900001, 900001 + 600))  # unknown ids are skipped by the platform
    before = esp.runtime.last_seq()
    out = esp.run("attach-contacts-to-segment", id=2003, contactIds=padded)
    assert out == {"attached": 603, "requests": 2}
    assert [e["path"] for e in esp.sent_since(before)] == ["/api/v1/group/2003/contacts/attach"] * 2
    assert member_ids(esp, 2003) == [100003, *ids]


def test_only_static_segments_take_members(esp):
    with pytest.raises(PlatformError) as info:
        esp.run("attach-contacts-to-segment", id=2002, contactIds=[100001])
    assert "not a static segment" in str(info.value)


def test_emptying_needs_the_explicit_flag(esp):
    before = esp.runtime.last_seq()
    for bad in ({"id": 2001}, {"id": 2001, "contactIds": []}, {"id": 2001, "allContacts": False}, {"id": 2001, "allContacts": True, "contactIds": [1]}):
        with pytest.raises(ValidationError):
            esp.run("detach-contacts-from-segment", **bad)
    assert esp.sent_since(before) == []
    assert member_ids(esp, 2001) == [100001, 100002]
