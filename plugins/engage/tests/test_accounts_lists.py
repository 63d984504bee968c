"""Account memberships and list subscriptions change the sandbox as Engage would (§4.8–§4.21)."""

import pytest
from tether import NotFoundError, PlatformError
from tether_engage import samples

# -- accounts --------------------------------------------------------------------------------------


def test_add_customer_to_accounts_then_members(engage):
    user = engage.run("add-customer-to-accounts", uid=samples.KATHERINE, accounts=[{"id": samples.ACME, "role": "developer"}, {"id": samples.GLOBEX}])
    assert user["accounts"] == [{"id": samples.ACME, "role": "developer"}, {"id": samples.GLOBEX, "role": None}]
    assert engage.user(samples.KATHERINE)["accounts"] == user["accounts"]
    members = engage.run("get-account-members", uid=samples.ACME)["data"]
    assert {m["uid"] for m in members} == {samples.GRACE, samples.ALAN, samples.KATHERINE}
    assert engage.run("get-user", uid=samples.ACME)["member_count"] == 3


def test_adding_to_a_customer_that_is_not_an_account_is_refused(engage):
    with pytest.raises(PlatformError) as info:
        engage.run("add-customer-to-accounts", uid=samples.KATHERINE, accounts=[{"id": samples.DOROTHY}])
    assert info.value.status == 400 and "not an account" in info.value.message
    assert engage.user(samples.KATHERINE)["accounts"] == []


def test_update_account_role(engage):
    user = engage.run("update-account-role", uid=samples.ALAN, aid=samples.ACME, role="owner")
    assert user["accounts"] == [{"id": samples.ACME, "role": "owner"}]
    assert engage.user(samples.ALAN)["accounts"] == [{"id": samples.ACME, "role": "owner"}]
    with pytest.raises(NotFoundError):
        engage.run("update-account-role", uid=samples.ALAN, aid=samples.GLOBEX, role="owner")


def test_remove_customer_from_account(engage):
    user = engage.run("remove-customer-from-account", uid=samples.GRACE, aid=samples.ACME)
    assert user["accounts"] == []  # engage.md §4.9
    assert engage.user(samples.GRACE)["accounts"] == []
    assert samples.GRACE not in {m["uid"] for m in engage.run("get-account-members", uid=samples.ACME)["data"]}
    assert engage.user(samples.ACME) is not None  # the account itself stays


def test_members_of_a_customer_is_refused(engage):
    with pytest.raises(PlatformError) as info:
        engage.run("get-account-members", uid=samples.GRACE)
    assert info.value.status == 400


# -- lists -----------------------------------------------------------------------------------------


def test_create_list_then_get(engage):
    created = engage.run("create-list", title="Spring launch", description="Launch news", double_optin=True)
    assert len(created["id"]) == 24 and created["subscriber_count"] == 0
    assert engage.run("get-list", id=created["id"]) == created
    assert engage.lists()[created["id"]]["double_optin"] is True
    assert created["id"] in {item["id"] for item in engage.run("list-lists", all=True)["data"]}


def test_archive_list_hides_it_and_refuses_new_subscribers(engage):
    assert engage.run("archive-list", id=samples.PRODUCT_UPDATES) == {"status": "ok"}
    assert engage.lists()[samples.PRODUCT_UPDATES]["archived"] is True
    assert samples.PRODUCT_UPDATES not in {item["id"] for item in engage.run("list-lists", all=True)["data"]}
    with pytest.raises(PlatformError) as info:
        engage.run("subscribe-user-to-list", id=samples.PRODUCT_UPDATES, email="late@example.com")
    assert info.value.status == 400 and "archived" in info.value.message
    with pytest.raises(PlatformError):
        engage.run("add-user-to-lists", uid=samples.KATHERINE, lists=[samples.PRODUCT_UPDATES])
    # "Existing subscribers will not be affected."
    assert {"id": samples.PRODUCT_UPDATES, "subscribed": True} in engage.user(samples.ALAN)["lists"]


def test_add_user_to_lists(engage):
    user = engage.run("add-user-to-lists", uid=samples.KATHERINE, lists=[samples.NEWSLETTER, samples.PRODUCT_UPDATES])
    expected = [{"id": samples.NEWSLETTER, "subscribed": True}, {"id": samples.PRODUCT_UPDATES, "subscribed": True}]
    assert user["lists"] == expected and engage.user(samples.KATHERINE)["lists"] == expected
    assert engage.run("get-list", id=samples.NEWSLETTER)["subscriber_count"] == 2


def test_subscribe_creates_a_new_contact(engage):
    out = engage.run("subscribe-user-to-list", id=samples.NEWSLETTER, email="nia@example.com", first_name="Nia", meta={"source": "footer"})
    user = engage.user(out["uid"])
    assert user["email"] == "nia@example.com" and user["uid_updateable"] is True and user["meta"] == {"source": "footer"}
    assert user["lists"] == [{"id": samples.NEWSLETTER, "subscribed": True}]


def test_subscribe_finds_an_existing_user_by_email_and_keeps_their_attributes(engage):
    before = len(engage.users())
    out = engage.run("subscribe-user-to-list", id=samples.BETA_WAITLIST, email="katherine@example.com", first_name="Kathy")
    assert out == {"uid": samples.KATHERINE} and len(engage.users()) == before
    user = engage.user(samples.KATHERINE)
    assert user["first_name"] == "Katherine"  # engage.md §7: attributes are not updated
    assert user["lists"] == [{"id": samples.BETA_WAITLIST, "subscribed": True}]


def test_update_subscriber_status_unsubscribes_and_resubscribes(engage):
    assert engage.run("update-subscriber-status", id=samples.NEWSLETTER, uid=samples.GRACE, subscribed=False) == {"subscribed": False}
    assert engage.user(samples.GRACE)["lists"] == [{"id": samples.NEWSLETTER, "subscribed": False}]  # still on the list
    assert engage.run("get-list", id=samples.NEWSLETTER)["subscriber_count"] == 0
    engage.run("update-subscriber-status", id=samples.NEWSLETTER, uid=samples.GRACE, subscribed=True)
    assert engage.user(samples.GRACE)["lists"] == [{"id": samples.NEWSLETTER, "subscribed": True}]
    with pytest.raises(NotFoundError):
        engage.run("update-subscriber-status", id=samples.NEWSLETTER, uid=samples.KATHERINE, subscribed=True)


def test_delete_subscriber_from_list_removes_the_membership(engage):
    assert engage.run("delete-subscriber-from-list", list_id=samples.NEWSLETTER, subscriber_uid=samples.ALAN) == {"status": "ok"}
    assert engage.user(samples.ALAN)["lists"] == [{"id": samples.PRODUCT_UPDATES, "subscribed": True}]
    assert engage.user(samples.ALAN) is not None
    last = engage.runtime.journal()[-1]
    assert (last["method"], last["path"]) == ("DELETE", f"/v1/lists/{samples.NEWSLETTER}/subscribers/{samples.ALAN}")


def test_delete_tolerates_a_body_and_update_list_works(engage):
    # RudderStack sends a JSON body on this DELETE (engage.md §4.21).
    with engage.http(engage.full) as http:
        removed = http.request("DELETE", f"/v1/lists/{samples.NEWSLETTER}/subscribers/{samples.GRACE}", json={"subscribed": False})
        renamed = http.put(f"/v1/lists/{samples.NEWSLETTER}", json={"title": "Friday newsletter"})
        token = http.delete(f"/v1/users/{samples.GRACE}/tokens/apns-token-grace")
    assert removed.status_code == 200 and removed.json() == {"status": "ok"}
    assert renamed.status_code == 200 and renamed.json()["title"] == "Friday newsletter"
    assert token.status_code == 200 and engage.user(samples.GRACE)["devices"] == []
