"""The sandbox's listing order, email filter and counts stay right as users change.

GET /users pages and member/subscriber counts read small indexes kept beside the users
(see tether_engage.sandbox.model); these tests change users in every way the API allows and
compare what the API answers with what the stored users say.
"""

from tether_engage import samples


def add_users(engage, count):
    engage.run("send-batch-request", data=[{"type": "create", "id": f"bulk-{n:03d}", "email": f"bulk{n}@example.com"} for n in range(count)])


def every_user(engage):
    return engage.run("list-users", all=True)["data"]


def test_email_filter_ignores_case_and_follows_email_changes(engage):
    assert [u["uid"] for u in engage.run("list-users", email="ALAN@Example.com")["data"]] == [samples.ALAN]
    engage.run("update-user", uid=samples.ALAN, email="alan.turing@example.com")
    assert engage.run("list-users", email="alan@example.com") == {"data": []}
    assert [u["uid"] for u in engage.run("list-users", email="Alan.Turing@example.com")["data"]] == [samples.ALAN]
    engage.run("delete-user", uid=samples.ALAN)
    assert engage.run("list-users", email="alan.turing@example.com") == {"data": []}


def test_a_deleted_users_cursor_still_marks_its_place(engage):
    add_users(engage, 15)  # 22 users
    everyone = every_user(engage)
    first = engage.run("list-users", limit=10)
    engage.run("delete-user", uid=first["data"][-1]["uid"])
    # Engage's cursors are ids compared with the stored ones: the next page still follows on.
    second = engage.run("list-users", limit=10, next_cursor=first["next_cursor"])
    assert second["data"] == everyone[10:20] and second["previous_cursor"] == everyone[10]["id"]
    back = engage.run("list-users", limit=10, previous_cursor=first["next_cursor"])
    assert back["data"] == everyone[:9] and "previous_cursor" not in back


def test_listing_order_is_creation_order_whatever_happens_to_uids(engage):
    made = engage.run("subscribe-user-to-list", id=samples.NEWSLETTER, email="walk-in@example.com")
    engage.run("create-user", id="u-later", email="later@example.com")
    engage.run("update-user", uid="u-9200", email="walk-in@example.com")  # the subscriber takes this uid
    engage.run("update-user", uid=samples.ACME, first_name="Acme Inc")
    listed = every_user(engage)
    ids = [u["id"] for u in listed]
    assert ids == sorted(ids) and len(ids) == len(set(ids)) == 9
    assert [u["uid"] for u in listed][-2:] == ["u-9200", "u-later"] and listed[-2]["id"] == made["uid"]


def test_member_and_subscriber_counts_follow_every_change(engage):
    engage.run("add-customer-to-accounts", uid=samples.KATHERINE, accounts=[{"id": samples.ACME}, {"id": samples.GLOBEX, "role": "admin"}])
    engage.run("create-user", id="u-new", lists=[samples.NEWSLETTER, samples.BETA_WAITLIST], accounts=[{"id": samples.GLOBEX}])
    engage.run("remove-customer-from-account", uid=samples.ALAN, aid=samples.ACME)
    engage.run("update-subscriber-status", id=samples.NEWSLETTER, uid=samples.GRACE, subscribed=False)
    engage.run("merge-users", source=samples.GRACE_DUPLICATE, destination=samples.GRACE)
    made = engage.run("subscribe-user-to-list", id=samples.PRODUCT_UPDATES, email="walk-in@example.com")
    engage.run("add-customer-to-accounts", uid=made["uid"], accounts=[{"id": samples.ACME}])
    engage.run("update-user", uid="u-9300", email="walk-in@example.com")
    engage.run("delete-user", uid=samples.KATHERINE)
    engage.run("delete-subscriber-from-list", list_id=samples.NEWSLETTER, subscriber_uid=samples.ALAN)

    users = engage.users().values()
    for account in (samples.ACME, samples.GLOBEX):
        members = sorted(u["uid"] for u in users if any(a["id"] == account for a in u["accounts"]))
        assert engage.run("get-user", uid=account)["member_count"] == len(members)
        assert sorted(m["uid"] for m in engage.run("get-account-members", uid=account)["data"]) == members
    assert engage.run("get-user", uid=samples.ACME)["member_count"] == 2  # Grace and u-9300
    for list_id in (samples.NEWSLETTER, samples.PRODUCT_UPDATES, samples.BETA_WAITLIST):
        subscribed = [u for u in users if any(e["id"] == list_id and e["subscribed"] for e in u["lists"])]
        assert engage.run("get-list", id=list_id)["subscriber_count"] == len(subscribed)
