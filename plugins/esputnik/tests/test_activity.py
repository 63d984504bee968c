"""Contact activity: three-month windows, pages by the last row's offset, the disabled-account answer."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tether.connector import PlatformError


def put_rows(esp, dates):
    """Activity rows as the platform would have recorded them on these dates."""
    for i, day in enumerate(dates, start=100):
        esp.runtime.put("activity", str(i), {"activityDateTime": f"{day}T12:00:00", "activityStatus": "READ", "mediaType": "email", "contactId": 100001, "offset": str(i)})


def test_a_long_period_is_read_in_three_month_windows(esp):
    put_rows(esp, ["2023-02-10", "2023-05-20", "2023-09-01", "2023-09-02"])
    before = esp.runtime.last_seq()
    rows = esp.items("get-contacts-activity", dateFrom="2023-01-01", dateTo="2023-10-01")
    assert [r["activityDateTime"][:10] for r in rows] == ["2023-02-10", "2023-05-20", "2023-09-01", "2023-09-02"]
    windows = [dict(p.split("=") for p in e["query"].split("&") if p.startswith("date")) for e in esp.sent_since(before)]
    assert windows == [
        {"dateFrom": "2023-01-01T00%3A00%3A00", "dateTo": "2023-04-01T00%3A00%3A00"},
        {"dateFrom": "2023-04-01T00%3A00%3A00", "dateTo": "2023-07-01T00%3A00%3A00"},
        {"dateFrom": "2023-07-01T00%3A00%3A00", "dateTo": "2023-10-01T00%3A00%3A00"},
    ]


def test_pages_follow_the_last_rows_offset(esp):
    put_rows(esp, ["2024-03-0%d" % d for d in range(1, 6)])
    first = esp.run("get-contacts-activity", dateFrom="2024-03-01", dateTo="2024-03-31", maxrows=2)
    assert [r["offset"] for r in first["activities"]] == ["100", "101"] and first["next"] == {"offset": "101"}
    second = esp.run("get-contacts-activity", dateFrom="2024-03-01", dateTo="2024-03-31", maxrows=2, offset="101")
    assert [r["offset"] for r in second["activities"]] == ["102", "103"]
    everything = esp.items("get-contacts-activity", dateFrom="2024-03-01", dateTo="2024-03-31", maxrows=2)
    assert [r["offset"] for r in everything] == ["100", "101", "102", "103", "104"]


def test_an_account_without_the_feature_gets_the_platform_answer(esp):
    esp.settings(activity_enabled=False)
    with pytest.raises(PlatformError) as info:
        esp.run("get-contacts-activity", dateFrom="2024-01-01", dateTo="2024-02-01")
    assert "Contact support to enable ContactActivity." in str(info.value)


def test_the_sandbox_refuses_more_than_three_months(esp):
    response = esp.client.request(esp.conn.id, "/v2/contacts/activity", params={"dateFrom": "2024-01-01", "dateTo": "2024-06-01"})
    assert response.status == 400
    assert "3 months" in response.text


def test_bad_dates_are_refused_before_sending(esp):
    from tether.connector import ValidationError

    before = esp.runtime.last_seq()
    for bad in ({"dateFrom": "yesterday", "dateTo": "2024-01-01"}, {"dateFrom": "2024-02-01", "dateTo": "2024-01-01"}):
        with pytest.raises(ValidationError):
            esp.run("get-contacts-activity", **bad)
    assert esp.sent_since(before) == []


def test_seeded_delivery_of_january_2024(esp):
    [row] = esp.run("get-contacts-activity", dateFrom="2024-01-01", dateTo="2024-02-01")["activities"]
    assert row["contactId"] == 100001 and row["activityDateTime"] == datetime(2024, 1, 15, 10, tzinfo=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
