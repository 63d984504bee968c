"""User actions change the sandbox the way Engage would (engage.md §4.1–§4.7, §4.12, §4.13)."""

import pytest
from tether import NotFoundError, PlatformError, ValidationError
from tether_engage import samples


def test_create_user_then_get(engage):
    created = engage.run(
        "create-user", id="u-9001", email="ada@example.com", first_name="Ada", number="2348012345678", meta={"plan": "pro", "age": 36}
    )
    fetched = engage.run("get-user", uid="u-9001")
    assert fetched == created
    assert fetched["uid"] == "u-9001" and fetched["email"] == "ada@example.com"
    assert fetched["meta"] == {"plan": "pro", "age": 36}
    assert len(fetched["id"]) == 24 and int(fetched["id"], 16) >= 0  # Engage's internal id, not the uid
    assert fetched["is_account"] is False and fetched["member_count"] is None
    stored = engage.user("u-9001")
    assert stored["first_name"] == "Ada" and stored["number"] == "2348012345678"


def test_create_user_accepts_uid_with_lists_and_accounts(engage):
    user = engage.run("create-user", uid="u-9002", email="mary@example.com", lists=[samples.NEWSLETTER], accounts=[{"id": samples.ACME}])
    assert user["accounts"] == [{"id": samples.ACME, "role": None}]  # role null, not absent (§2.3)
    stored = engage.user("u-9002")
    assert stored["lists"] == [{"id": samples.NEWSLETTER, "subscribed": True}]
    assert stored["accounts"] == [{"id": samples.ACME, "role": None}]
    sent = [(e["method"], e["path"]) for e in engage.runtime.journal()[-2:]]
    assert sent == [("POST", "/v1/users"), ("POST", "/v1/users/u-9002/accounts")]


def test_create_user_needs_exactly_one_of_id_and_uid(engage):
    before = engage.runtime.last_seq()
    with pytest.raises(ValidationError) as missing:
        engage.run("create-user", email="x@example.com")
    assert missing.value.path == "input.id"
    with pytest.raises(ValidationError):
        engage.run("create-user", id="a", uid="b")
    assert engage.runtime.journal(after=before) == []


def test_create_user_with_a_taken_uid_is_refused(engage):
    with pytest.raises(PlatformError) as info:
        engage.run("create-user", id=samples.GRACE, email="other@example.com")
    assert info.value.status == 400 and info.value.body == {"error": "User already exists."}
    assert engage.user(samples.GRACE)["email"] == "grace@example.com"


def test_create_user_whose_accounts_fail_says_the_user_exists(engage):
    with pytest.raises(PlatformError) as info:
        engage.run("create-user", id="u-9003", accounts=[{"id": "no-such-account"}])
    assert info.value.details["user_created"] is True and info.value.details["uid"] == "u-9003"
    assert "was created" in info.value.message
    assert engage.user("u-9003") is not None and engage.user("u-9003")["accounts"] == []


def test_get_unknown_user_is_not_found(engage):
    with pytest.raises(NotFoundError) as info:
        engage.run("get-user", uid="nobody")
    assert info.value.status == 404 and "User not found." in info.value.message


def test_update_user_merges_meta_and_returns_number_as_string(engage):
    user = engage.run("update-user", uid=samples.GRACE, last_name="Murray Hopper", meta={"plan": "enterprise", "seats": 25})
    assert user["meta"] == {"plan": "enterprise", "age": 45, "seats": 25}  # merged, not replaced
    assert user["first_name"] == "Grace" and user["last_name"] == "Murray Hopper"
    stored = engage.user(samples.GRACE)
    assert stored["meta"] == user["meta"]
    # A JSON number comes back as a string (engage.md §2.3); the raw API is the way to send one.
    with engage.http(engage.full) as http:
        raw = http.put(f"/v1/users/{samples.KATHERINE}", json={"number": 6008514751443})
    assert raw.status_code == 200 and raw.json()["number"] == "6008514751443"


def test_update_user_upserts_and_keeps_the_last_five_devices(engage):
    assert engage.user("u-9100") is None
    engage.run("update-user", uid="u-9100", email="new@example.com", is_account=True)
    assert engage.user("u-9100")["is_account"] is True
    for n in range(7):
        engage.run("update-user", uid="u-9100", device_token=f"tok-{n}", device_platform="android")
    devices = engage.run("get-user", uid="u-9100")["devices"]
    assert [d["token"] for d in devices] == [f"tok-{n}" for n in range(2, 7)]


def test_update_user_gives_a_subscriber_its_app_uid(engage):
    made = engage.run("subscribe-user-to-list", id=samples.NEWSLETTER, email="walk-in@example.com")
    assert engage.user(made["uid"])["uid_updateable"] is True
    engage.run("update-user", uid="u-9200", email="walk-in@example.com", first_name="Walk")
    assert engage.user(made["uid"]) is None
    adopted = engage.user("u-9200")
    assert "uid_updateable" not in adopted and adopted["lists"] == [{"id": samples.NEWSLETTER, "subscribed": True}]


def test_list_users_filters_by_email(engage):
    page = engage.run("list-users", email="alan@example.com")
    assert [u["uid"] for u in page["data"]] == [samples.ALAN]
    assert "next_cursor" not in page
    assert engage.run("list-users", email="nobody@example.com") == {"data": []}


def test_delete_user_removes_the_user_and_their_data(engage):
    engage.run("track-user-event", uid=samples.DOROTHY, event="Logged in")
    assert engage.run("delete-user", uid=samples.DOROTHY) == {"status": "ok"}
    assert engage.user(samples.DOROTHY) is None and engage.events(samples.DOROTHY) == []
    with pytest.raises(NotFoundError):
        engage.run("get-user", uid=samples.DOROTHY)


def test_deleting_an_account_drops_its_memberships(engage):
    engage.run("delete-user", uid=samples.ACME)
    assert engage.user(samples.GRACE)["accounts"] == []


def test_archive_user_marks_it_archived(engage):
    assert engage.run("archive-user", uid=samples.DOROTHY) == {"status": "ok"}
    assert engage.user(samples.DOROTHY)["archived"] is True
    assert engage.run("get-user", uid=samples.DOROTHY)["archived"] is True
    listed = {u["uid"]: u for u in engage.run("list-users", all=True)["data"]}
    assert listed[samples.DOROTHY]["archived"] is True  # archived users stay listed (§4.6 [INF])


def test_convert_user_type_flips_is_account(engage):
    account = engage.run("convert-user-type", uid=samples.KATHERINE, type="account")
    assert account["is_account"] is True and account["member_count"] == 0
    assert engage.user(samples.KATHERINE)["is_account"] is True
    customer = engage.run("convert-user-type", uid=samples.KATHERINE, type="customer")
    assert customer["is_account"] is False and customer["member_count"] is None
    assert engage.user(samples.KATHERINE)["is_account"] is False


def test_merge_users_folds_the_source_into_the_destination(engage):
    assert engage.run("merge-users", source=samples.GRACE_DUPLICATE, destination=samples.GRACE) == {"status": "queued"}
    assert engage.user(samples.GRACE_DUPLICATE) is None
    grace = engage.user(samples.GRACE)
    assert grace["email"] == "grace@example.com"  # the destination's own value wins
    assert grace["meta"] == {"plan": "pro", "age": 45, "signup_source": "webinar"}  # the source fills gaps
    assert {e["id"] for e in grace["lists"]} == {samples.NEWSLETTER, samples.BETA_WAITLIST}
    assert [e["event"] for e in engage.events(samples.GRACE)] == ["Attended webinar"]
    with pytest.raises(NotFoundError):
        engage.run("merge-users", source=samples.GRACE_DUPLICATE, destination=samples.GRACE)


def test_merge_of_a_user_into_itself_is_refused(engage):
    with pytest.raises(PlatformError) as info:
        engage.run("merge-users", source=samples.GRACE, destination=samples.GRACE)
    assert info.value.status == 400 and engage.user(samples.GRACE) is not None


def test_track_user_event_records_it(engage):
    when = "2026-05-30T09:30:10Z"
    out = engage.run("track-user-event", uid=samples.ALAN, event="Add to cart", value=12.99, properties={"product": "T123"}, timestamp=when)
    assert out == {"status": "ok"}
    [event] = engage.events(samples.ALAN)
    assert (event["event"], event["value"], event["properties"], event["timestamp"]) == ("Add to cart", 12.99, {"product": "T123"}, when)
    assert engage.user(samples.ALAN)["last_interaction"] != "2025-03-14T09:26:53.589+00:00"


def test_track_event_for_unknown_user_is_not_found(engage):
    with pytest.raises(NotFoundError):
        engage.run("track-user-event", uid="ghost", event="Paid")
    assert engage.events("ghost") == []
