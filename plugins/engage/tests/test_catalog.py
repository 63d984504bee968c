"""The catalog's promises beyond the kit: parameter names, described schemas, flags, wire details."""

import asyncio

import pytest
from tether import AsyncClient
from tether_engage import samples

# The third-party catalog's parameter names (seeds/004), so tools written against it carry over.
CATALOG_PARAMETERS = {
    "add-customer-to-accounts": {"uid", "accounts"},
    "add-user-to-lists": {"uid", "lists"},
    "archive-list": {"id"},
    "archive-user": {"uid"},
    "convert-user-type": {"uid", "type"},
    "create-list": {"title", "description", "double_optin", "redirect_url"},
    "create-user": {
        "id", "meta", "email", "lists", "number", "accounts", "last_name", "created_at", "first_name", "is_account",
        "device_token", "device_platform",
    },
    "delete-subscriber-from-list": {"list_id", "subscriber_uid"},
    "delete-user": {"uid"},
    "get-account-members": {"uid"},
    "get-list": {"id"},
    "get-user": {"uid"},
    "list-lists": {"limit", "next_cursor", "previous_cursor"},
    "list-users": {"email", "limit", "next_cursor", "previous_cursor"},
    "merge-users": {"source", "destination"},
    "remove-customer-from-account": {"aid", "uid"},
    "send-batch-request": {"data"},
    "subscribe-user-to-list": {"id", "meta", "email", "number", "last_name", "created_at", "first_name"},
    "track-user-event": {"uid", "event", "value", "timestamp", "properties"},
    "update-account-role": {"aid", "uid", "role"},
    "update-subscriber-status": {"id", "uid", "subscribed"},
    "update-user": {"uid", "meta", "email", "number", "last_name", "created_at", "first_name", "is_account", "device_token", "device_platform"},
}


@pytest.fixture
def ACTIONS(tether_client):
    """Engage's actions as tether registers them (from the plugin's entry point)."""
    return {action.key: action for action in tether_client.actions(connector_id="engage")}


def test_exactly_the_catalog_actions_with_its_parameter_names(ACTIONS):
    assert set(ACTIONS) == set(CATALOG_PARAMETERS)
    for key, names in CATALOG_PARAMETERS.items():
        given = set(ACTIONS[key].input_schema["properties"])
        assert names <= given, f"{key} lacks {sorted(names - given)}"
        # Only two additions: create-user's uid alias, and the paginated actions' `all`.
        assert given - names <= {"uid", "all"}, f"{key} adds {sorted(given - names - {'uid', 'all'})}"


def undescribed(schema, where):
    """Paths of properties (at any depth) without a description."""
    found = []
    for name, spec in (schema.get("properties") or {}).items():
        if not str(spec.get("description", "")).strip():
            found.append(f"{where}.{name}")
        found += undescribed(spec, f"{where}.{name}")
        if isinstance(spec.get("items"), dict):
            found += undescribed(spec["items"], f"{where}.{name}[]")
    for part in schema.get("allOf", []):
        found += undescribed(part.get("then", {}), where)
    return found


def test_every_property_is_described_in_and_out(ACTIONS):
    for key, action in ACTIONS.items():
        missing = undescribed(action.input_schema, f"{key} input") + undescribed(action.output_schema, f"{key} output")
        assert not missing, missing


def test_flags_say_what_the_action_does(ACTIONS):
    readers = {k for k, a in ACTIONS.items() if a.read_only}
    assert readers == {"get-user", "list-users", "get-list", "list-lists", "get-account-members"}
    destroyers = {k for k, a in ACTIONS.items() if a.destructive}
    assert destroyers == {"delete-user", "archive-user", "archive-list", "merge-users", "remove-customer-from-account", "delete-subscriber-from-list"}
    # A repeat of these would create, record or queue something twice.
    once_only = {k for k, a in ACTIONS.items() if not a.idempotent}
    assert once_only == {"create-user", "create-list", "merge-users", "track-user-event", "send-batch-request", "subscribe-user-to-list"}
    assert {k for k, a in ACTIONS.items() if a.paginated} == {"list-users", "list-lists"}


def test_a_uid_is_percent_encoded_in_the_path(engage):
    # engage.md §2.1: the SDKs put a uid in the path unencoded; a "/" would then escape its segment.
    uid = "a b/c@d.com"
    engage.run("create-user", id=uid, first_name="Odd")
    assert engage.run("get-user", uid=uid)["first_name"] == "Odd"
    assert engage.runtime.journal()[-1]["path"] == "/v1/users/a%20b%2Fc%40d.com"
    assert engage.run("track-user-event", uid=uid, event="Odd id") == {"status": "ok"}


def test_the_async_client_runs_the_same_actions(tether_home):
    async def main():
        async with AsyncClient(home=tether_home, secrets_backend="file") as client:
            conn = await client.sandbox_connection("engage")
            await client.run("update-user", connection_id=conn.id, input={"uid": samples.GRACE, "meta": {"plan": "async"}})
            user = await client.run("get-user", connection_id=conn.id, input={"uid": samples.GRACE})
            uids = [u["uid"] async for u in client.paginate("list-users", connection_id=conn.id, input={"limit": 3})]
            return user, uids

    user, uids = asyncio.run(main())
    assert user["meta"]["plan"] == "async"
    assert len(uids) == 7 == len(set(uids))
