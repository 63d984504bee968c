"""An upload's writes are buffered and written once at the end (sandbox/buffer.py): the state and
the answer must be exactly those of applying each record straight to the workspace."""

from __future__ import annotations

import json
from typing import Any

import pytest
from tether_clevertap.sandbox import people

NOW = 1767225600.0


class Direct:
    """What the upload used before buffering: every read and write straight to the workspace."""

    def __init__(self, ctx: Any):
        self.ctx = ctx

    def __getattr__(self, name: str) -> Any:
        return getattr(self.ctx, name)

    def prefetch(self, name: str, ids: Any) -> None:
        pass

    def flush(self) -> None:
        pass


def requests(seeded_object_id: str) -> list[list[dict[str, Any]]]:
    first = [
        {"identity": "u1", "evtName": "Charged", "evtData": {"Amount": 1}, "ts": 1767225601},
        {"identity": "u1", "evtName": "Charged", "evtData": {"Amount": 2}, "ts": 1767225602},  # the profile just made
        {"identity": "u1", "profileData": {"Email": "a@example.com", "Phone": "+14155550001"}, "type": "profile"},
        {"identity": "u1", "profileData": {"Email": "b@example.com"}, "type": "profile"},  # unlinks a@
        {"identity": "u2", "profileData": {"Email": "a@example.com", "Name": "Two"}, "type": "profile"},  # a@ linked again
        {"identity": "u3", "profileData": {"Email": "$$$"}, "type": "profile"},  # 515, nothing written
        {"objectId": "feedfeedfeedfeedfeedfeedfeedfeed", "tokenData": {"id": "t-0", "type": "fcm"}, "type": "token"},  # 530
        {"objectId": seeded_object_id, "tokenData": {"id": "t-1", "type": "fcm"}, "type": "token"},
        {"objectId": seeded_object_id, "identity": "user-1-alt", "evtName": "Viewed", "ts": 1767225603},
        {"identity": "user-2", "evtName": "Charged", "evtData": {"Amount": 3}},  # a seeded user, no ts
        {"FBID": "fb-9", "identity": "u4", "evtName": "Charged"},
    ]
    again = [
        {"identity": "u1", "evtName": "Charged", "evtData": {"Amount": 4}, "ts": 1767225604},  # stored, not cached
        {"identity": "u1", "profileData": {"Email": "c@example.com"}, "type": "profile"},  # b@ unlinked, stored
        {"identity": "u5", "evtName": "App Launched"},  # 513
        {"identity": "u5", "evtName": "Charged"},
    ]
    return [first, again]


def run(ct: Any, monkeypatch: pytest.MonkeyPatch, buffered: bool) -> tuple[list[Any], dict[str, Any]]:
    if not buffered:
        monkeypatch.setattr(people, "Buffered", Direct)
    ct.runtime.clock = lambda: NOW
    ct.runtime.reset()  # seeded again at NOW: both sandboxes' seeds then hold the same times
    seeded = ct.run("get-user-profile", identity="user-1")["record"]["objectId"]
    answers = []
    for records in requests(seeded):
        for record in records:
            record.setdefault("type", "event")
        answers.append(ct.client.request(ct.conn.id, "/1/upload", method="POST", json={"d": records}).json())
    state = {name: ct.state(name) for name in ("profiles", "ids", "events")}
    state["counters"] = ct.runtime._db.execute("SELECT name, value FROM counters ORDER BY name").fetchall()
    monkeypatch.undo()
    return answers, state


def test_a_buffered_upload_leaves_the_state_and_answers_of_direct_writes(ct, tether_client, monkeypatch, tmp_path):
    from tether import Client

    from .conftest import CleverTap

    answers, state = run(ct, monkeypatch, buffered=True)
    with Client(home=tmp_path / "direct", secrets_backend="file") as other:
        direct_answers, direct_state = run(CleverTap(other), monkeypatch, buffered=False)
    assert [a["processed"] for a in answers] == [9, 3]
    assert [[(u["code"], u["error"][-2:]) for u in a.get("unprocessed", [])] for a in answers] == [[(515, " 6"), (530, " 7")], [(513, " 3")]]
    assert json.dumps(answers) == json.dumps(direct_answers)
    for name in ("profiles", "ids", "events", "counters"):
        assert json.dumps(state[name]) == json.dumps(direct_state[name]), name  # same documents, same order
    assert [d["objectId"] for d in state["ids"] if d["objectId"] == state["profiles"][-1]["objectId"]]
