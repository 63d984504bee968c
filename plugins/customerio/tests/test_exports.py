"""Exports (§A5.7): customers and deliveries, pending then done, and the signed CSV link."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from tether import NotFoundError, PlatformError, ValidationError
from tether.testing import sandbox_http

from tether_customerio import samples

WINDOW = {"start": 1_699_000_000, "end": 1_701_000_000}  # around the seeded welcome delivery


def fetch(cio, url: str) -> httpx.Response:
    """GET a signed link as a browser would: no credentials at all."""
    with sandbox_http(cio.runtime) as http:
        return http.get(url)


def rows(reply: httpx.Response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(reply.text)))


def test_seeded_export_is_done(cio):
    export = cio.run("get-export", export_id=samples.CUSTOMERS_EXPORT)
    assert export["status"] == "done" and export["total"] == 4 and export["type"] == "customers"
    assert export["deduplicate_id"] == f"{samples.CUSTOMERS_EXPORT}:1700000000" and export["failed"] is False
    assert [e["id"] for e in cio.run("list-exports")["exports"]] == [samples.CUSTOMERS_EXPORT]


def test_export_customers_is_pending_then_done_with_the_matching_people(cio):
    export = cio.run("export-customers", filter={"segment": {"id": samples.VIP_SEGMENT}})
    assert export["id"] == samples.CUSTOMERS_EXPORT + 1 and export["type"] == "customers"
    assert export["status"] == "pending" and export["total"] == 0  # §A5.7: total reads 0 until done
    stored = next(e for e in cio.collection("exports") if e["id"] == export["id"])
    assert stored["_total"] == 2
    done = cio.run("get-export", export_id=export["id"])
    assert done["status"] == "done" and done["total"] == 2
    listed = {e["id"]: e for e in cio.run("list-exports")["exports"]}
    assert listed[export["id"]] == done and "_rows" not in done


def test_the_download_link_serves_the_csv_without_credentials(cio):
    export = cio.run("export-customers", filter={"attribute": {"field": "plan", "operator": "eq", "value": "pro"}})
    link = cio.run("get-export-download-url", export_id=export["id"])["url"]
    parts = urlsplit(link)
    assert (parts.scheme, parts.hostname, parts.path) == ("https", "api.customer.io", f"/v1/exports/{export['id']}/file")
    assert {"workspace", "expires", "signature"} <= set(parse_qs(parts.query))
    reply = fetch(cio, link)
    assert reply.status_code == 200 and reply.headers["content-type"].startswith("text/csv")
    table = rows(reply)
    assert [(r["id"], r["email"], r["plan"]) for r in table] == [(samples.ADA, samples.ADA_EMAIL, "pro"), (samples.GRACE, samples.GRACE_EMAIL, "pro")]
    assert table[0]["first_name"] == "Ada" and table[0]["cio_id"] == samples.ADA_CIO
    assert cio.run("get-export", export_id=export["id"])["downloads"] == 1


def test_an_export_is_a_snapshot(cio):
    export = cio.run("export-customers", filter={"attribute": {"field": "plan", "operator": "eq", "value": "pro"}})
    cio.run("identify-customer", identifier=samples.KATHERINE, attributes={"plan": "pro"})  # after the export
    assert cio.run("get-export", export_id=export["id"])["total"] == 2
    link = cio.run("get-export-download-url", export_id=export["id"])["url"]
    assert samples.KATHERINE not in [r["id"] for r in rows(fetch(cio, link))]


def test_a_tampered_or_foreign_link_is_refused(cio):
    link = cio.run("get-export-download-url", export_id=samples.CUSTOMERS_EXPORT)["url"]
    parts = urlsplit(link)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    later = parts._replace(query=urlencode({**query, "expires": int(query["expires"]) + 3600})).geturl()
    other = parts._replace(path=f"/v1/exports/{samples.CUSTOMERS_EXPORT + 1}/file").geturl()
    eu = parts._replace(query=urlencode({**query, "workspace": "eu"})).geturl()
    for bad in (later, other, eu, link.split("?")[0]):
        reply = fetch(cio, bad)
        assert reply.status_code == 403 and b"AccessDenied" in reply.content, bad
    assert cio.run("get-export", export_id=samples.CUSTOMERS_EXPORT)["downloads"] == 0


def test_export_deliveries_of_a_campaign_with_attributes(cio):
    export = cio.run("export-deliveries", campaign_id=samples.ONBOARDING_CAMPAIGN, attributes=["first_name", "plan"], **WINDOW)
    assert export["type"] == "deliveries" and export["status"] == "pending"
    assert cio.run("get-export", export_id=export["id"])["total"] == 1
    (row,) = rows(fetch(cio, cio.run("get-export-download-url", export_id=export["id"])["url"]))
    assert row["delivery_id"] == samples.ADA_WELCOME_DELIVERY and row["customer_id"] == samples.ADA
    assert row["campaign_id"] == str(samples.ONBOARDING_CAMPAIGN) and row["opened"] == "1700000600" and row["clicked"] == ""
    assert (row["first_name"], row["plan"]) == ("Ada", "pro")


def test_export_deliveries_filters_by_metric_source_and_time(cio):
    def total(**inp):
        return cio.run("get-export", export_id=cio.run("export-deliveries", **inp)["id"])["total"]

    assert total(campaign_id=samples.ONBOARDING_CAMPAIGN, metric="opened", **WINDOW) == 1
    assert total(campaign_id=samples.ONBOARDING_CAMPAIGN, metric="clicked", **WINDOW) == 0
    assert total(action_id=samples.ONBOARDING_EMAIL_ACTION, **WINDOW) == 1
    assert total(campaign_id=samples.WINBACK_CAMPAIGN, **WINDOW) == 0
    assert total(campaign_id=samples.ONBOARDING_CAMPAIGN) == 0  # default: the last 6 months


def test_export_deliveries_needs_exactly_one_source(cio):
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError):
        cio.run("export-deliveries", metric="opened")
    with pytest.raises(ValidationError):
        cio.run("export-deliveries", campaign_id=5, newsletter_id=21)
    assert cio.runtime.journal(after=before) == []
    with cio.http("app") as http:
        reply = http.post("/v1/exports/deliveries", json={"campaign_id": 5, "newsletter_id": 21})
    assert reply.status_code == 400 and reply.json()["errors"][0]["status"] == "400"
    assert len(cio.collection("exports")) == 1  # only the seeded one


def test_export_deliveries_over_twelve_months_is_refused(cio):
    with pytest.raises(PlatformError) as info:
        cio.run("export-deliveries", campaign_id=samples.ONBOARDING_CAMPAIGN, start=1_600_000_000, end=1_700_000_000)
    assert info.value.status == 400 and "12 months" in str(info.value)


def test_export_customers_needs_the_plural_filters_key_on_the_wire(cio):
    with cio.http("app") as http:
        singular = http.post("/v1/exports/customers", json={"filter": {"segment": {"id": 7}}})
        bad = http.post("/v1/exports/customers", json={"filters": {"segment": {"id": "7"}}})
    assert singular.status_code == 400 and singular.json()["errors"][0]["source"] == {"pointer": "/filters"}
    assert bad.status_code == 400
    before = cio.runtime.last_seq()
    with pytest.raises(ValidationError):
        cio.run("export-customers", filter={"segment": {"id": "7"}})
    assert cio.runtime.journal(after=before) == []


def test_unknown_exports_are_404(cio):
    with pytest.raises(NotFoundError):
        cio.run("get-export", export_id=999)
    with pytest.raises(NotFoundError):
        cio.run("get-export-download-url", export_id=999)


def test_exports_are_per_workspace(cio):
    eu = cio.run_in(cio.eu, "export-customers", filter={"segment": {"id": samples.VIP_SEGMENT}})
    assert eu["id"] == samples.CUSTOMERS_EXPORT + 1
    assert [e["id"] for e in cio.run("list-exports")["exports"]] == [samples.CUSTOMERS_EXPORT]
    link = cio.run_in(cio.eu, "get-export-download-url", export_id=eu["id"])["url"]
    assert urlsplit(link).hostname == "api-eu.customer.io"
    assert len(rows(fetch(cio, link))) == 2


def test_the_download_link_works_over_a_loopback_server(served_sandbox):
    served = served_sandbox("customerio")
    auth = {"Authorization": f"Bearer {served['credentials']['app_api_key']}"}
    reply = httpx.get(f"{served['url']}/v1/exports/{samples.CUSTOMERS_EXPORT}/download", headers=auth)
    assert reply.status_code == 200
    link = reply.json()["url"]
    assert link.startswith(f"{served['url']}/v1/exports/{samples.CUSTOMERS_EXPORT}/file?")  # on the server it was asked
    table = list(csv.DictReader(io.StringIO(httpx.get(link).text)))  # no credentials
    assert [r["id"] for r in table] == [samples.ADA, samples.GRACE, samples.ALAN, samples.KATHERINE]
