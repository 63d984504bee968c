"""The catalog: every action of the issue in the seed's order, flags, pacing, a lean and acyclic package."""

from __future__ import annotations

import subprocess
import sys

import pytest

SEED = [
    "get-contacts-activity", "get-workflows", "get-account-info", "add-orders", "get-segment-contacts", "get-segments",
    "generate-event", "send-prepared-message", "get-message-status", "send-sms", "send-email", "subscribe-contact",
    "delete-contact", "search-contacts", "get-contact", "add-update-contact",
]
REST = [
    "get-contact-fields", "add-update-contacts", "get-import-status", "attach-contacts-to-segment", "detach-contacts-from-segment",
    "search-email-templates", "get-email-template", "create-email-template", "delete-email-template",
]


@pytest.fixture
def catalog(tether_client):
    return tether_client.connector("esputnik"), {a.key: a for a in tether_client.actions(connector_id="esputnik")}


def test_every_action_in_the_seed_order_then_the_rest(catalog):
    _, actions = catalog
    assert list(actions) == SEED + REST


def test_flags(catalog):
    _, actions = catalog
    destructive = {k for k, a in actions.items() if a.destructive}
    assert destructive == {"delete-contact", "detach-contacts-from-segment", "delete-email-template"}
    paginated = {k for k, a in actions.items() if a.paginated}
    assert paginated == {"search-contacts", "get-segment-contacts", "get-segments", "search-email-templates", "get-contacts-activity"}
    assert all(actions[k].read_only for k in paginated)


def test_pacing_follows_the_rate_table(catalog):
    connector, actions = catalog
    limits = {family: limit.requests for family, limit in connector.api().rate_limits.items()}
    assert limits == {"default": 200, "contacts-search": 50, "events": 350, "message-history": 10, "email-message": 10}


def test_hosts_are_regions_of_one_api(catalog):
    connector, _ = catalog
    assert connector.regions == ("esputnik.com", "yespo.io", "api.yespo.io")
    assert [connector.api().url(r) for r in connector.regions] == ["https://esputnik.com/api", "https://yespo.io/api", "https://api.yespo.io/api"]


def test_start_up_stays_lean():
    code = "import sys, tether_esputnik; print(sorted(m for m in sys.modules if m.split('.')[0] in ('httpx', 'jsonschema', 'tether_esputnik')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['tether_esputnik']"
