"""Bulk contacts: split at 3,000, refused contacts per contact, the asynchronous import to its end."""

from __future__ import annotations

import pytest

from tether.connector import JobTimeout, ValidationError


def people(n, start=0, domain="bulk.example"):
    return [{"firstName": f"P{i}", "channels": [{"type": "email", "value": f"p{i}@{domain}"}]} for i in range(start, start + n)]


def test_bulk_add_then_import_status_then_get(esp):
    out = esp.run("add-update-contacts", contacts=people(3), groupNames=["Imported"])
    assert out["status"] == "FINISHED" and out["accepted"] == 3 and out["failedContacts"] == []
    [request] = out["requests"]
    status = esp.run("get-import-status", asyncSessionId=request["asyncSessionId"])
    assert status["status"] == "FINISHED"
    ids = [c["id"] for c in status["contacts"]]
    contact = esp.run("get-contact", id=ids[0])
    assert contact["channels"] == [{"type": "email", "value": "p0@bulk.example"}]
    assert [g["name"] for g in contact["groups"]] == ["Imported"]


def test_without_waiting_the_import_is_in_progress_until_polled_enough(esp):
    out = esp.run("add-update-contacts", contacts=people(2), wait=False)
    assert out["status"] == "IN_PROGRESS"
    session = out["requests"][0]["asyncSessionId"]
    assert esp.contact_by_email("p0@bulk.example") is None  # not imported yet
    assert esp.run("get-import-status", asyncSessionId=session)["status"] == "IN_PROGRESS"
    assert esp.run("get-import-status", asyncSessionId=session)["status"] == "FINISHED"  # the second poll (import_polls=2)
    assert esp.contact_by_email("p0@bulk.example") is not None


def test_an_import_also_finishes_with_time_when_nobody_polls(esp):
    esp.settings(import_seconds=0)
    esp.run("add-update-contacts", contacts=people(1), wait=False)
    esp.run("get-account-info")  # any request lets due work run
    assert esp.contact_by_email("p0@bulk.example") is not None


def test_more_than_3000_contacts_go_in_several_requests(esp):
    before = esp.runtime.last_seq()
    out = esp.run("add-update-contacts", contacts=people(3500))
    posts = [e for e in esp.sent_since(before) if e["method"] == "POST"]
    assert len(posts) == 2
    assert [(r["first"], r["contacts"]) for r in out["requests"]] == [(0, 3000), (3000, 500)]
    assert out["status"] == "FINISHED"
    assert sum(1 for c in esp.docs("contacts") if c["channels"][0]["value"].endswith("@bulk.example")) == 3500


def test_refused_contacts_come_back_per_contact(esp):
    contacts = people(3)
    contacts[1] = {"firstName": "Bad", "channels": [{"type": "email", "value": "nobody-at-nowhere"}]}
    contacts.append({"channels": [{"type": "sms", "value": "12"}]})
    out = esp.run("add-update-contacts", contacts=contacts)
    assert [(f["index"], f["message"]) for f in out["failedContacts"]] == [
        (1, "'nobody-at-nowhere' is not valid email"),
        (3, "'12' is not valid phone number"),
    ]
    assert out["accepted"] == 2
    assert esp.contact_by_email("p0@bulk.example") and esp.contact_by_email("p2@bulk.example")


def test_dedupe_by_external_id_updates_the_known_contact(esp):
    esp.run("add-update-contacts", contacts=[{"firstName": "Ada K.", "externalCustomerId": "crm-1", "channels": [{"type": "email", "value": "ada.new@example.com"}]}], dedupeOn="externalCustomerId")
    ada = esp.run("get-contact", id=100001)
    assert ada["firstName"] == "Ada K." and ada["channels"] == [{"type": "email", "value": "ada.new@example.com"}]


def test_deleted_contacts_are_skipped_unless_restored(esp):
    esp.run("delete-contact", id=100002)
    again = [{"firstName": "Back", "externalCustomerId": "crm-2", "channels": [{"type": "email", "value": "grace@example.com"}]}]
    esp.run("add-update-contacts", contacts=again)
    assert esp.run("search-contacts", externalCustomerId="crm-2")["contacts"] == []
    esp.run("add-update-contacts", contacts=again, restoreDeleted=True)
    restored = esp.run("get-contact", id=100002)
    assert restored["firstName"] == "Back"


def test_new_contacts_can_fire_an_event(esp):
    esp.run("add-update-contacts", contacts=people(2) + [{"externalCustomerId": "crm-1", "channels": [{"type": "email", "value": "ada@example.com"}]}], eventKeyForNewContacts="newContact")
    events = [e for e in esp.docs("events") if e["eventTypeKey"] == "newContact"]
    assert sorted(e["keyValue"] for e in events) == ["p0@bulk.example", "p1@bulk.example"]  # Ada was not new


def test_a_bounded_wait_names_the_session_to_ask_again(esp):
    esp.settings(import_polls=1000, import_seconds=1000)
    with pytest.raises(JobTimeout) as info:
        esp.run("add-update-contacts", contacts=people(1), timeout=0)
    assert info.value.details["job_id"]
    assert "get-import-status" in info.value.details["resume"]


def test_bad_options_are_refused_before_sending(esp):
    before = esp.runtime.last_seq()
    with pytest.raises(ValidationError):
        esp.run("add-update-contacts", contacts=people(1), dedupeOn="name")
    with pytest.raises(ValidationError):
        esp.run("add-update-contacts", contacts=[])
    assert esp.sent_since(before) == []


def test_bulk_jobs_carry_single_contacts_and_map_results_back(esp):
    action = next(a for a in esp.client.actions(connector_id="esputnik") if a.key == "add-update-contact")
    batch = action.batch
    assert batch.carrier == "add-update-contacts" and batch.max_records == 3000
    records = people(2) + [{"channels": [{"type": "email", "value": "broken"}]}]
    carried = batch.combine(records)
    assert carried["dedupeOn"] == "email_or_sms"
    results = batch.split(esp.run("add-update-contacts", **carried), records)
    assert [r.ok for r in results] == [True, True, False]
    assert "'broken' is not valid email" in str(results[2].error)
    assert results[0].output["status"] == "FINISHED"
    with_ids = batch.combine([{"id": 100001, "firstName": "Ida", "channels": [{"type": "email", "value": "ada@example.com"}]}])
    assert with_ids["dedupeOn"] == "id"
    batch.split(esp.run("add-update-contacts", **with_ids), [with_ids["contacts"][0]])
    assert esp.run("get-contact", id=100001)["firstName"] == "Ida"
