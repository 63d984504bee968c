"""Cursor pagination of list-users and list-lists (engage.md §2.2, §4.4, §4.16)."""

import json
from urllib.parse import parse_qs

import pytest
from tether import ValidationError
from tether_engage import samples

EXTRA_USERS = 40  # with the 7 seeded users: more than one page of 30


def add_users(engage, count=EXTRA_USERS):
    engage.run("send-batch-request", data=[{"type": "create", "id": f"bulk-{n:03d}", "email": f"bulk{n}@example.com"} for n in range(count)])
    return sorted(engage.users())


def test_all_returns_every_user_exactly_once(engage):
    expected = add_users(engage)
    assert len(expected) > 30
    before = engage.runtime.last_seq()
    users = engage.run("list-users", all=True)["data"]
    uids = [u["uid"] for u in users]
    assert len(uids) == len(set(uids)) and sorted(uids) == expected
    pages = [parse_qs(e["query"]) for e in engage.runtime.journal(after=before)]
    assert len(pages) == 2
    assert pages[0] == {"limit": ["30"]}  # the core asks for Engage's largest page
    assert pages[1]["next_cursor"] == [users[29]["id"]]


def test_paginate_streams_the_same_users(engage, tether_client):
    expected = add_users(engage)
    streamed = [u["uid"] for u in tether_client.paginate("list-users", connection_id=engage.conn.id, input={"limit": 7})]
    assert sorted(streamed) == expected and len(streamed) == len(expected)


def test_limit_is_only_sent_when_given(engage):
    before = engage.runtime.last_seq()
    page = engage.run("list-users")
    assert engage.runtime.journal(after=before)[0]["query"] == ""
    assert len(page["data"]) == 7  # Engage's default page size is 10; 7 users are seeded


def test_cursors_walk_forward_and_back(engage):
    add_users(engage, 15)  # 22 users: pages of 10, 10 and 2
    first = engage.run("list-users", limit=10)
    assert "previous_cursor" not in first and first["next_cursor"] == first["data"][-1]["id"]
    second = engage.run("list-users", limit=10, next_cursor=first["next_cursor"])
    third = engage.run("list-users", limit=10, next_cursor=second["next_cursor"])
    assert len(third["data"]) == 2 and "next_cursor" not in third  # omitted on the last page
    back = engage.run("list-users", limit=10, previous_cursor=second["previous_cursor"])
    assert back["data"] == first["data"]
    ids = [u["id"] for page in (first, second, third) for u in page["data"]]
    assert ids == sorted(ids) and len(set(ids)) == 22


def test_one_cursor_at_a_time(engage):
    before = engage.runtime.last_seq()
    for bad in ({"next_cursor": "a", "previous_cursor": "b"}, {"all": True, "previous_cursor": "b"}):
        with pytest.raises(ValidationError):
            engage.run("list-users", **bad)
    assert engage.runtime.journal(after=before) == []
    with engage.http(engage.full) as http:
        both = http.get("/v1/lists", params={"next_cursor": "a", "previous_cursor": "b"})
    assert both.status_code == 400 and both.json() == {"error": "Use only one of next_cursor and previous_cursor."}


def test_limit_above_thirty_is_clamped(engage):
    add_users(engage)
    with engage.http(engage.full) as http:
        page = http.get("/v1/users", params={"limit": 100}).json()
        default = http.get("/v1/users").json()
    assert len(page["data"]) == 30 and "next_cursor" in page
    assert len(default["data"]) == 10


def test_list_lists_pages_and_hides_archived(engage):
    for n in range(32):
        engage.run("create-list", title=f"List {n}")
    lists = engage.run("list-lists", all=True)["data"]
    ids = [item["id"] for item in lists]
    assert len(ids) == len(set(ids)) == 35  # 3 open seeded lists + 32 new; the archived one hidden
    assert samples.ARCHIVED_PROMO not in ids
    page = engage.run("list-lists", limit=2)
    assert [item["id"] for item in page["data"]] == [samples.NEWSLETTER, samples.PRODUCT_UPDATES]


def test_cli_streams_all_users_as_one_json_document(engage, tether_cli):
    expected = add_users(engage)
    code, out, err = tether_cli("action", "run", "engage.list-users", "--sandbox", "--input", '{"all": true}', "--json")
    assert code == 0, err
    document = json.loads(out)  # exactly one JSON document: anything else would not parse
    assert sorted(u["uid"] for u in document["output"]["data"]) == expected
