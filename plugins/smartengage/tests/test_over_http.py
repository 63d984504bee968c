"""The requests the independent SmartEngage clients send, with plain httpx, to `tether sandbox serve`.

What each client sends (NOTES.md §1): Airbyte's manifest and PostHog's source GET the four list
endpoints without a trailing slash, ``avatar_id`` in the query, PostHog with
``Accept: application/json``; the polymetrics Go connector GETs them with a trailing slash and
its own User-Agent; the vendor's docs show ``POST /avatars/list``. Answers are checked against the
reference's examples (B3): bare arrays of objects whose values are all strings.
"""

from __future__ import annotations

import httpx
import pytest

AIRBYTE = ["/avatars/list", "/tags/list", "/customfields/list", "/sequences/list"]
POLYMETRICS = ["/avatars/list", "/tags/list/", "/customfields/list/", "/sequences/list/", "/subscribers/list/"]
SHAPES = {
    # B3: the vendor's avatar example and Airbyte's schemas.
    "avatars": {"avatar_id", "brand_name", "brand_image", "user_role", "facebook_page_id"},
    "tags": {"tag_id", "tag_name"},
    "customfields": {"custom_field_id", "custom_field_name"},
    "sequences": {"sequence_id", "sequence_name"},
}


@pytest.fixture
def served(served_sandbox):
    served = served_sandbox("smartengage")
    key = served["credentials"]["api_key"]
    with httpx.Client(base_url=served["url"], headers={"Authorization": f"Bearer {key}"}) as client:
        yield client


def shape_of(path: str, body):
    assert isinstance(body, list) and body, f"{path}: not a non-empty bare array: {body!r}"
    for item in body:
        assert all(isinstance(v, str) for v in item.values()), f"{path}: a value is not a string: {item}"
    kind = path.strip("/").split("/")[0]
    if kind in SHAPES:
        assert set(body[0]) == SHAPES[kind], f"{path}: fields {sorted(body[0])}"


@pytest.mark.parametrize("path", AIRBYTE)
def test_airbyte_and_posthog_requests(served, path):
    params = {} if path == "/avatars/list" else {"avatar_id": "2"}
    response = served.get(path, params=params, headers={"Accept": "application/json"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    shape_of(path, response.json())


@pytest.mark.parametrize("path", POLYMETRICS)
def test_polymetrics_requests_with_trailing_slashes(served, path):
    response = served.get(path, params={"avatar_id": "2"}, headers={"User-Agent": "polymetrics-go-cli"})
    assert response.status_code == 200
    body = response.json()
    if path.startswith("/subscribers"):
        assert isinstance(body, list) and {s["email"] for s in body} >= {"grace@example.com"}
    else:
        shape_of(path, body)
    assert body == served.get(path.rstrip("/"), params={"avatar_id": "2"}).json()  # the slash changes nothing


def test_docs_post_avatars_list(served):
    posted = served.post("/avatars/list")
    assert posted.status_code == 200 and posted.json() == served.get("/avatars/list").json()
    assert [a["avatar_id"] for a in posted.json()] == ["3", "2"]  # newest first (docs)


def test_ids_are_unique_per_avatar_only(served):
    two = served.get("/tags/list", params={"avatar_id": "2"}).json()
    three = served.get("/tags/list", params={"avatar_id": "3"}).json()
    assert {t["tag_id"] for t in two} & {t["tag_id"] for t in three}
    assert two[0] != three[0]


def test_refusals(served):
    url = str(served.base_url)
    missing = httpx.get(url + "/avatars/list")
    wrong = httpx.get(url + "/avatars/list", headers={"Authorization": "Bearer se_wrong"})
    for response in (missing, wrong):
        assert response.status_code == 401 and set(response.json()) == {"error"}  # shape [INF]
    no_avatar = served.get("/tags/list")
    assert no_avatar.status_code == 400 and no_avatar.json() == {"error": "avatar_id is required."}


def test_writes_take_form_bodies_and_a_json_body_is_not_read(served):
    fields = {"avatar_id": "2", "subscriber_id": "1002", "tag": "#vip"}
    as_json = served.post("/tags/add", json=fields)
    assert as_json.status_code == 400 and as_json.json() == {"error": "avatar_id is required."}
    as_form = served.post("/tags/add", data=fields)
    assert as_form.status_code == 200 and "#vip" in as_form.json()["tags"]


def test_the_single_avatar_account(served_sandbox, tether_client):
    served = served_sandbox("smartengage")
    runtime = tether_client.sandbox_runtime("smartengage")
    solo_key = next(a["api_key"] for a in runtime.collection("accounts") if a["avatars"] == 1)
    conn = tether_client.connect("smartengage", credentials={"api_key": solo_key}, settings={"baseUrl": served["url"]})
    assert conn.state == "READY"
    assert [a["avatar_id"] for a in tether_client.run("list-avatars", connection_id=conn.id)] == ["1"]
    refused = httpx.get(served["url"] + "/tags/list", params={"avatar_id": "2"}, headers={"Authorization": f"Bearer {solo_key}"})
    assert refused.status_code == 404  # another account's avatar
