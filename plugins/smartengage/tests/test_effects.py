"""Each action's real effect, read back through SmartEngage's own reads and the sandbox state."""

from __future__ import annotations

import pytest
from tether.connector import NotFoundError, PlatformError, UsageError, ValidationError


def by(key, items):
    return {item[key]: item for item in items}


def test_list_avatars_shows_the_keys_account_newest_first(se):
    # The single-avatar account's key is tried over HTTP (test_over_http.py).
    avatars = se.run("list-avatars")
    assert [a["avatar_id"] for a in avatars] == ["3", "2"]
    assert all(isinstance(v, str) for a in avatars for v in a.values())  # B3: every value a string


def test_add_subscriber_then_list(se):
    answer = se.run("add-subscriber", avatar_id="2", email="ada@example.com", first_name="Ada")
    listed = by("email", se.listed("list-subscribers"))
    assert listed["ada@example.com"]["first_name"] == "Ada"
    assert answer["subscriber_id"] == listed["ada@example.com"]["subscriber_id"]  # the sandbox's answer, unchanged
    assert "ada@example.com" not in by("email", se.listed("list-subscribers", "3"))  # only in its avatar


def test_update_subscriber_changes_only_what_is_given(se):
    se.run("update-subscriber", avatar_id="2", subscriber_id="1001", last_name="Brewster")
    grace = by("subscriber_id", se.listed("list-subscribers"))["1001"]
    assert (grace["first_name"], grace["last_name"], grace["email"]) == ("Grace", "Brewster", "grace@example.com")


def test_create_tag_then_list_ids_count_per_avatar(se):
    se.run("create-tag", avatar_id="3", name="#webinar")
    tags = se.listed("list-tags", "3")
    assert tags[-1] == {"tag_id": "3", "tag_name": "#webinar"}
    assert by("tag_id", se.listed("list-tags", "2"))["3"]["tag_name"] == "#vip"  # the same id in another avatar


def test_tag_then_untag_shows_in_the_subscribers_tags(se):
    se.run("tag-subscriber", avatar_id="2", subscriber_id="1002", tag="#vip")
    assert by("subscriber_id", se.listed("list-subscribers"))["1002"]["tags"] == ["$purchased", "#vip"]
    se.run("untag-subscriber", avatar_id="2", subscriber_id="1002", tag="$purchased")
    assert se.subscriber("1002")["tags"] == ["#vip"]


def test_custom_field_created_then_set_then_read_back(se):
    se.run("create-custom-field", avatar_id="2", custom_field_name="company_size", custom_field_type="text")
    assert "company_size" in by("custom_field_name", se.listed("list-custom-fields"))
    se.run("set-subscriber-custom-field", avatar_id="2", subscriber_id="1002", field="company_size", value="11-50")
    assert by("subscriber_id", se.listed("list-subscribers"))["1002"]["custom_fields"] == {"company_size": "11-50"}


def test_enrol_then_the_sequences_subscribers(se):
    welcome = by("sequence_name", se.listed("list-sequences"))["Welcome series"]["sequence_id"]

    def members():
        return {s["subscriber_id"] for s in se.listed("list-subscribers") if welcome in s["sequences"]}

    assert members() == {"1001"}
    se.run("add-subscriber-to-sequence", avatar_id="2", subscriber_id="1002", sequence=welcome)
    assert members() == {"1001", "1002"}
    se.run("remove-subscriber-from-sequence", avatar_id="2", subscriber_id="1001", sequence=int(welcome))
    assert members() == {"1002"}


def test_the_avatar_setting_stands_in_for_the_input(se):
    with_setting = se.connect(avatar_id="3")
    assert [t["tag_name"] for t in se.run("list-tags", connection=with_setting)] == ["#newsletter", "#lead"]
    assert [t["tag_name"] for t in se.run("list-tags", connection=with_setting, avatar_id="2")][0] == "#lead"
    se.run("tag-subscriber", connection=with_setting, subscriber_id="1004", tag="#lead")
    assert se.subscriber("1004")["tags"] == ["#newsletter", "#lead"]


def test_the_avatar_setting_is_checked_when_saved(se):
    with pytest.raises(UsageError, match="avatar_id"):
        se.connect(avatar_id="")
    with pytest.raises(UsageError, match="avatar_ids"):
        se.connect(avatar_ids="2")  # a typo is refused, not ignored


@pytest.mark.parametrize("action, extra", [("list-tags", {}), ("tag-subscriber", {"subscriber_id": "1001", "tag": "#vip"}), ("bulk-tag-subscribers", {"tag": "#vip", "subscriber_ids": ["1001"]})])
def test_no_avatar_anywhere_fails_before_sending(se, action, extra):
    before = se.runtime.last_seq()
    with pytest.raises(ValidationError) as info:
        se.run(action, **extra)
    assert info.value.path == "input.avatar_id"
    assert "input" in info.value.message and "--setting avatar_id" in info.value.message
    assert se.sent(before) == []


def test_platform_errors_carry_the_body(se):
    with pytest.raises(NotFoundError) as missing:
        se.run("tag-subscriber", avatar_id="2", subscriber_id="1001", tag="#nosuchtag")
    assert missing.value.status == 404 and missing.value.details["body"] == {"error": "Tag not found."}
    with pytest.raises(PlatformError) as duplicate:
        se.run("create-tag", avatar_id="2", name="#vip")
    assert duplicate.value.status == 409 and "already exists" in duplicate.value.details["body"]["error"]
    with pytest.raises(NotFoundError):  # an avatar of the other account
        se.run("list-tags", avatar_id="1")
