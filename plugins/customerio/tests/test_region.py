"""Regions and credentials: an EU connection stays on EU hosts; keys are checked per data centre.

Reference §A1 (hosts per region, wrong-datacenter 301, EU Track traffic routed from the US host)
and §A2 (one credential per API).
"""

from __future__ import annotations

import pytest
from tether import AuthError
from tether.connector import ConfigurationError

from tether_customerio import samples

EU_HOSTS = {"track-eu.customer.io", "api-eu.customer.io"}
US_HOSTS = {"track.customer.io", "api.customer.io"}


def _hosts(entries):
    return {e["host"] for e in entries}


def test_an_eu_connection_talks_only_to_eu_hosts_for_both_apis(cio):
    before = cio.runtime.last_seq()
    eu = cio.eu  # connect verifies both APIs: a Track and an App request
    cio.run_in(eu, "identify-customer", identifier="eu-only-1", email="eu@example.com", attributes={"plan": "eu"})
    found = cio.run_in(eu, "get-customer-attributes", customer_id="eu-only-1")
    assert found["attributes"]["plan"] == "eu"
    cio.run_in(eu, "list-segments")
    sent = cio.runtime.journal(after=before)
    assert {e["host"] for e in sent} == EU_HOSTS  # both APIs used, and nothing else
    # The EU workspace holds the person; the US workspace does not.
    assert cio.person("eu-only-1", region="eu") is not None
    assert cio.person("eu-only-1", region="us") is None


def test_a_us_connection_talks_only_to_us_hosts(cio):
    before = cio.runtime.last_seq()
    cio.run("identify-customer", identifier="us-only-1")
    cio.run("get-customer-attributes", customer_id="us-only-1")
    assert _hosts(cio.runtime.journal(after=before)) == US_HOSTS


def test_each_region_reports_its_own_data_centre(cio):
    assert cio.run("get-account-region")["region"] == "us"
    eu = cio.run_in(cio.eu, "get-account-region")
    assert eu == {"url": "https://track-eu.customer.io", "region": "eu", "environment_id": eu["environment_id"]}


def test_the_two_workspaces_have_different_keys(cio):
    us, eu = cio.credentials("us"), cio.credentials("eu")
    assert set(us) == set(eu) == {"site_id", "track_api_key", "app_api_key"}
    assert all(us[k] != eu[k] for k in us)


def _with_credentials(cio, conn, creds):
    cio.client.secrets.put(conn.secret_ref, creds)


def test_an_eu_app_key_on_the_us_host_gets_wrong_datacenter_with_a_hint(cio):
    _with_credentials(cio, cio.conn, cio.credentials("eu"))
    before = cio.runtime.last_seq()
    with pytest.raises(AuthError) as info:
        cio.run("list-segments")
    assert info.value.status == 301
    assert "wrong datacenter" in str(info.value) and "region=eu" in str(info.value)
    # Not followed: the key went only to the host the connection names.
    assert _hosts(cio.runtime.journal(after=before)) == {"api.customer.io"}


def test_the_raw_wrong_datacenter_reply_matches_the_reference(cio):
    with cio.http("app", "us", auth=None) as http:
        reply = http.get("/v1/segments", headers={"Authorization": f"Bearer {cio.credentials('eu')['app_api_key']}"})
    assert reply.status_code == 301
    assert reply.json() == {"errors": [{"detail": "wrong datacenter", "status": "301"}]}
    assert reply.headers["location"].startswith("https://api-eu.customer.io/")


def test_a_us_app_key_on_the_eu_host_is_refused(cio):
    _with_credentials(cio, cio.eu, cio.credentials("us"))
    with pytest.raises(AuthError) as info:
        cio.run_in(cio.eu, "list-segments")
    assert info.value.status == 401


def test_eu_track_keys_on_the_us_host_reach_the_eu_workspace(cio):
    # §A1: EU accounts' Track calls to US endpoints are routed to the EU data centre.
    eu = cio.credentials("eu")
    with cio.http("track", "us", auth=(eu["site_id"], eu["track_api_key"])) as http:
        reply = http.put("/api/v1/customers/routed-1", json={"plan": "x"})
    assert reply.status_code == 200 and reply.json() == {}
    assert cio.person("routed-1", region="eu") is not None
    assert cio.person("routed-1", region="us") is None


def test_us_track_keys_on_the_eu_host_are_refused(cio):
    us = cio.credentials("us")
    with cio.http("track", "eu", auth=(us["site_id"], us["track_api_key"])) as http:
        reply = http.put("/api/v1/customers/lost-1", json={"plan": "x"})
    assert reply.status_code == 401
    assert cio.person("lost-1", region="eu") is None and cio.person("lost-1", region="us") is None


def test_bad_track_credentials_on_the_region_endpoint_are_an_auth_error(cio):
    good = cio.client.secrets.get(cio.conn.secret_ref)
    _with_credentials(cio, cio.conn, {**good, "track_api_key": "nope"})
    with pytest.raises(AuthError) as info:
        cio.run("get-account-region")
    assert info.value.status == 400  # §A1: this endpoint says 400, not 401


def test_an_action_whose_credential_is_missing_names_it_and_how_to_add_it(cio):
    creds = cio.credentials("us")
    conn = cio.client.connect("customerio", credentials={"site_id": creds["site_id"], "track_api_key": creds["track_api_key"]}, verify=False)
    assert conn.state == "READY"
    before = cio.runtime.last_seq()
    with pytest.raises(ConfigurationError) as info:
        cio.run_in(conn, "list-segments")
    message = str(info.value)
    assert "app_api_key" in message and f"tether connection update {conn.id}" in message
    assert info.value.to_dict()["details"]["missing"] == ["app_api_key"]
    assert cio.runtime.journal(after=before) == []  # nothing sent


def test_half_a_credential_pair_is_refused_at_connect(cio):
    from tether.connector import UsageError

    with pytest.raises(UsageError) as info:
        cio.client.connect("customerio", credentials={"site_id": "abc"}, verify=False)
    assert "track_api_key" in str(info.value)


def test_the_eu_sandbox_credentials_are_printed_per_region(tether_cli):
    import json

    code, out, err = tether_cli("sandbox", "credentials", "customerio", "--region", "eu", "--json")
    assert code == 0, err
    eu = json.loads(out)
    code, out, _ = tether_cli("sandbox", "credentials", "customerio", "--json")
    assert set(eu) == {"site_id", "track_api_key", "app_api_key"} and json.loads(out)["site_id"] != eu["site_id"]
    code, _, err = tether_cli("sandbox", "credentials", "customerio", "--region", "mars")
    assert code == 2 and "mars" in err


def test_samples_exist_in_both_workspaces(cio):
    assert cio.person(samples.ADA, "us")["email"] == cio.person(samples.ADA, "eu")["email"] == samples.ADA_EMAIL


def test_connecting_an_eu_workspace_as_us_records_a_configuration_error_with_the_hint(cio):
    eu = cio.credentials("eu")
    conn = cio.client.connect("customerio", sandbox=True)  # US region, then give it the EU workspace's App key
    tested = cio.client.update_connection(conn.id, credentials={"app_api_key": eu["app_api_key"]})
    assert tested.state == "CONFIGURATION_ERROR"
    assert "wrong datacenter" in tested.error["message"] and "region=eu" in tested.error["message"]
