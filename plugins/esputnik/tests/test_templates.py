"""Email templates: create, search, get, delete."""

from __future__ import annotations

import pytest

from tether.connector import NotFoundError


def test_template_create_then_search_then_delete(esp):
    created = esp.run("create-email-template", name="Spring sale", **{"from": '"Shop" <news@shop.example>'}, subject="Spring", htmlText="<h1>-20%</h1>", tags=["seasonal"])
    found = esp.run("search-email-templates", search="spring")
    assert [t["id"] for t in found["templates"]] == [created["id"]] and found["totalCount"] == 1
    assert [t["id"] for t in esp.run("search-email-templates", search="seasonal")["templates"]] == [created["id"]]  # tags match too
    template = esp.run("get-email-template", id=created["id"])
    assert (template["subject"], template["htmlText"], template["tags"]) == ("Spring", "<h1>-20%</h1>", ["seasonal"])
    assert esp.run("delete-email-template", id=created["id"]) == {"deleted": True}
    with pytest.raises(NotFoundError):
        esp.run("get-email-template", id=created["id"])
    assert esp.run("search-email-templates", search="spring")["templates"] == []


def test_templates_stream_in_one_based_pages(esp):
    for i in range(3):
        esp.run("create-email-template", name=f"T{i}", **{"from": "a@shop.example"}, subject="s", htmlText="h")
    assert [t["name"] for t in esp.items("search-email-templates", maxrows=2)] == ["Welcome", "Old promo", "T0", "T1", "T2"]


def test_get_email_template_is_paced_in_its_own_family(esp):
    action = next(a for a in esp.client.actions(connector_id="esputnik") if a.key == "get-email-template")
    request = action.run.request({"id": 3001}, None)
    assert request.rate_family == "email-message"
    connector = esp.client.connector("esputnik")
    assert connector.api().rate_limits["email-message"].requests == 10
