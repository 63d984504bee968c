"""Contacts one at a time: each action's effect in the sandbox's state, and the platform's quirks."""

from __future__ import annotations

import pytest

from tether.connector import NotFoundError, PlatformError, ValidationError


def test_add_contact_then_search_finds_it(esp):
    out = esp.run("add-update-contact", firstName="Joan", lastName="Clarke", channels=[{"type": "email", "value": "joan@example.com"}])
    assert isinstance(out["id"], int)
    page = esp.run("search-contacts", email="joan@example.com")
    assert [c["id"] for c in page["contacts"]] == [out["id"]]
    assert page["totalCount"] == 1
    assert page["contacts"][0]["firstName"] == "Joan"


def test_adding_the_same_email_again_updates_instead_of_duplicating(esp):
    first = esp.run("add-update-contact", firstName="Joan", channels=[{"type": "email", "value": "joan@example.com"}])
    second = esp.run("add-update-contact", firstName="Joanie", channels=[{"type": "email", "value": "joan@example.com"}, {"type": "sms", "value": "380671112233"}])
    assert second["id"] == first["id"]
    stored = esp.contact_by_email("joan@example.com")
    assert stored["firstName"] == "Joanie"
    assert {c["type"] for c in stored["channels"]} == {"email", "sms"}


def test_update_by_id_reads_the_plain_text_answer(esp):
    out = esp.run("add-update-contact", id=100001, firstName="Augusta", channels=[{"type": "email", "value": "ada@example.com"}])
    assert out == {"id": 100001, "created": False, "message": "Contact with id='100001' has been updated"}
    assert esp.run("get-contact", id=100001)["firstName"] == "Augusta"


def test_update_of_an_unknown_id_is_a_not_found(esp):
    with pytest.raises(NotFoundError):
        esp.run("add-update-contact", id=999999, channels=[{"type": "email", "value": "x@example.com"}])


def test_an_identical_repeat_is_reported_as_a_duplicate_not_a_failure(esp):
    contact = {"firstName": "Rep", "channels": [{"type": "email", "value": "rep@example.com"}]}
    first = esp.run("add-update-contact", **contact)
    again = esp.run("add-update-contact", **contact)
    assert again["duplicate"] is True and again["id"] is None
    assert "Duplicated request" in again["message"]
    assert [c["id"] for c in esp.docs("contacts") if any(ch["value"] == "rep@example.com" for ch in c["channels"])] == [first["id"]]


def test_the_platform_refusal_of_a_bad_email_is_an_error_with_its_text(esp):
    with pytest.raises(PlatformError) as info:
        esp.run("add-update-contact", channels=[{"type": "email", "value": "not-an-address"}])
    assert "'not-an-address' is not valid email" in str(info.value)


def test_get_contact_gives_integer_ids_and_named_segments(esp):
    contact = esp.run("get-contact", id="100002")
    assert contact["id"] == 100002
    assert contact["groups"] == [{"id": 2001, "name": "Customers", "type": "Static"}]
    assert contact["fields"] == [{"id": 15868, "value": "F"}]


def test_search_by_name_and_pages_are_one_based_with_a_total(esp):
    for i in range(4):
        esp.run("add-update-contact", firstName="Page", lastName="Turner", channels=[{"type": "email", "value": f"p{i}@example.com"}])
    first = esp.run("search-contacts", lastname="turner", maxrows=3)
    second = esp.run("search-contacts", lastname="turner", maxrows=3, startindex=4)
    assert first["totalCount"] == 4 and len(first["contacts"]) == 3 and len(second["contacts"]) == 1
    streamed = esp.items("search-contacts", lastname="turner", maxrows=3)
    assert [c["id"] for c in streamed] == [c["id"] for c in first["contacts"] + second["contacts"]]


def test_all_contacts_stream_across_pages(esp):
    for i in range(7):
        esp.run("add-update-contact", channels=[{"type": "email", "value": f"s{i}@example.com"}])
    everyone = esp.items("search-contacts", maxrows=2)
    assert len(everyone) == 10 and len({c["id"] for c in everyone}) == 10


def test_subscribe_creates_an_unconfirmed_contact_in_its_segments_and_fires_the_form_event(esp):
    out = esp.run("subscribe-contact", contact={"channels": [{"type": "email", "value": "reader@example.com"}]}, groups=["Newsletter"], formType="footer")
    stored = next(c for c in esp.docs("contacts") if c["id"] == out["id"])
    assert stored["emailConfirmed"] is False
    newsletter = next(g for g in esp.docs("groups") if g["name"] == "Newsletter")
    assert newsletter["type"] == "Static" and newsletter["id"] in stored["groups"]
    assert [e["eventTypeKey"] for e in esp.docs("events")] == ["subscribeFromApi-footer"]
    esp.run("subscribe-contact", contact={"channels": [{"type": "email", "value": "reader@example.com"}], "firstName": "Rea"})
    assert esp.docs("events")[-1]["eventTypeKey"] == "subscribeUpdateFromApi"


def test_delete_by_id_then_get_and_search_find_nothing(esp):
    out = esp.run("delete-contact", id=100002)
    assert out == {"deleted": True, "message": "Contact with id='100002' has been deleted"}
    with pytest.raises(NotFoundError):
        esp.run("get-contact", id=100002)
    assert esp.run("search-contacts", email="grace@example.com")["contacts"] == []


def test_erase_by_external_id_forgets_the_contact(esp):
    esp.run("delete-contact", externalCustomerId="crm-3", erase=True)
    assert all(c["id"] != 100003 for c in esp.docs("contacts"))


def test_delete_needs_exactly_one_way_to_name_the_contact(esp):
    before = esp.runtime.last_seq()
    with pytest.raises(ValidationError):
        esp.run("delete-contact", id=100001, externalCustomerId="crm-1")
    with pytest.raises(ValidationError):
        esp.run("delete-contact")
    assert esp.sent_since(before) == []


def test_contact_fields_are_read_from_their_string_form(esp):
    # The sandbox answers as the recorded platform did: ids and flags as strings, one field group as an object.
    out = esp.run("get-contact-fields")
    assert out["addressBookId"] == 7200
    [group] = out["fieldGroups"]
    gender = next(f for f in group["fields"] if f["name"] == "Gender")
    assert gender == {"id": 15868, "name": "Gender", "type": "combobox", "required": False, "readonly": False, "allowedValues": ["M", "F"]}


def test_custom_field_values_are_kept(esp):
    out = esp.run("add-update-contact", channels=[{"type": "email", "value": "tea@example.com"}], fields=[{"id": 15869, "value": "Oolong"}])
    assert esp.run("get-contact", id=out["id"])["fields"] == [{"id": 15869, "value": "Oolong"}]
