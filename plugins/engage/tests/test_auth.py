"""The sandbox checks credentials per endpoint as Engage does (engage.md §1, §3 "Auth" column)."""

import pytest
from tether_engage import samples

WRONG = {"error": "Wrong authentication credentials."}

# Endpoints documented as working with the public key alone (§3 "U"), plus the ones the
# Flutter and iOS SDKs call that way (§1, §6.4). Bodies that need no secret.
KEY_ONLY = [
    ("POST", "/v1/users", {"id": "u-key-1", "first_name": "Key"}),
    ("PUT", f"/v1/users/{samples.GRACE}", {"first_name": "Gracie", "email": "grace@example.com"}),
    ("POST", f"/v1/users/{samples.GRACE}/events", {"event": "Opened app"}),
    ("GET", "/v1/lists", None),
    ("GET", f"/v1/lists/{samples.NEWSLETTER}", None),
    ("PUT", f"/v1/lists/{samples.NEWSLETTER}", {"description": "Renamed"}),
    ("POST", f"/v1/lists/{samples.NEWSLETTER}/subscribers", {"number": "2348000000001"}),
    ("POST", f"/v1/users/{samples.KATHERINE}/convert", {"type": "account"}),
    ("POST", f"/v1/users/{samples.KATHERINE}/accounts", {"accounts": [{"id": samples.ACME}]}),
    ("PUT", f"/v1/users/{samples.ALAN}/accounts/{samples.ACME}", {"role": "owner"}),
    ("DELETE", f"/v1/users/{samples.ALAN}/accounts/{samples.ACME}", None),
    ("POST", "/v1/users/merge", {"source": samples.GRACE_DUPLICATE, "destination": samples.GRACE}),
    ("DELETE", f"/v1/users/{samples.GRACE}/tokens/apns-token-grace", None),
]

# Endpoints marked U+P, or with no statement (use key and secret).
FULL = [
    ("GET", "/v1/users", None),
    ("GET", f"/v1/users/{samples.GRACE}", None),
    ("DELETE", f"/v1/users/{samples.DOROTHY}", None),
    ("POST", f"/v1/users/{samples.DOROTHY}/archive", None),
    ("GET", f"/v1/users/{samples.ACME}/members", None),
    ("POST", f"/v1/users/{samples.KATHERINE}/lists", {"lists": [samples.NEWSLETTER]}),
    ("POST", "/v1/lists", {"title": "Keyless"}),
    ("DELETE", f"/v1/lists/{samples.NEWSLETTER}", None),
    ("PUT", f"/v1/lists/{samples.NEWSLETTER}/subscribers/{samples.GRACE}", {"subscribed": False}),
    ("DELETE", f"/v1/lists/{samples.NEWSLETTER}/subscribers/{samples.GRACE}", None),
    ("POST", "/v1/batch", {"data": [{"type": "event", "id": samples.GRACE, "event": "Paid"}]}),
]


@pytest.mark.parametrize(("method", "path", "body"), KEY_ONLY, ids=[f"{m} {p}" for m, p, _ in KEY_ONLY])
def test_key_only_endpoints_accept_the_public_key_alone(engage, method, path, body):
    with engage.http(engage.key_only) as http:
        response = http.request(method, path, json=body)
    assert response.status_code == 200, response.text
    assert engage.runtime.journal()[-1]["processed"] is True


@pytest.mark.parametrize(("method", "path", "body"), FULL, ids=[f"{m} {p}" for m, p, _ in FULL])
def test_full_endpoints_refuse_the_public_key_alone(engage, method, path, body):
    with engage.http(engage.key_only) as http:
        refused = http.request(method, path, json=body)
    assert refused.status_code == 401 and refused.json() == WRONG
    assert engage.runtime.journal()[-1]["processed"] is False
    with engage.http(engage.full) as http:
        accepted = http.request(method, path, json=body)
    assert accepted.status_code == 200, accepted.text


def test_a_wrong_public_key_or_secret_is_refused_everywhere(engage):
    public, secret = engage.full
    for auth in [("wrong", ""), ("wrong", secret), (public, "wrong-secret"), None]:
        with engage.http(auth) as http:
            response = http.get(f"/v1/lists/{samples.NEWSLETTER}")
        assert response.status_code == 401 and response.json() == WRONG, auth


def test_changing_an_email_needs_the_secret(engage):
    path = f"/v1/users/{samples.GRACE}"
    with engage.http(engage.key_only) as http:
        refused = http.put(path, json={"email": "grace.h@example.com"})
        first_email = http.put("/v1/users/u-mobile", json={"email": "mobile@example.com"})
    assert refused.status_code == 401 and refused.json() == WRONG
    assert engage.user(samples.GRACE)["email"] == "grace@example.com"
    # Setting the first email of a (new) user is not a change: the mobile SDKs do it key-only.
    assert first_email.status_code == 200 and engage.user("u-mobile")["email"] == "mobile@example.com"
    with engage.http(engage.full) as http:
        changed = http.put(path, json={"email": "grace.h@example.com"})
    assert changed.status_code == 200 and engage.user(samples.GRACE)["email"] == "grace.h@example.com"


def test_subscribing_by_email_needs_the_secret(engage):
    path = f"/v1/lists/{samples.NEWSLETTER}/subscribers"
    with engage.http(engage.key_only) as http:
        refused = http.post(path, json={"email": "someone@example.com"})
    assert refused.status_code == 401 and refused.json() == WRONG
    with engage.http(engage.full) as http:
        accepted = http.post(path, json={"email": "someone@example.com"})
    assert accepted.status_code == 200 and set(accepted.json()) == {"uid"}


def test_connection_test_proves_the_private_key(tether_client, engage):
    """The check is a read that needs both keys, so a wrong secret cannot pass as READY."""
    conn = tether_client.connect("engage", sandbox=True)
    assert conn.state == "READY"
    bad = tether_client.update_connection(conn.id, credentials={"private_key": "not-the-secret"})
    assert bad.state == "CONFIGURATION_ERROR" and "Wrong authentication credentials." in bad.error["message"]
    checked = engage.runtime.journal()[-1]
    assert (checked["method"], checked["path"], checked["status"]) == ("GET", "/v1/users", 401)
    fixed = tether_client.update_connection(conn.id, credentials={"private_key": engage.credentials["private_key"]})
    assert fixed.state == "READY" and tether_client.test_connection(conn.id).state == "READY"
