"""Pacing follows Customer.io's published limits per family (§A7): App 10/s, transactional
100/s, broadcast triggers 1 per 10 s. The engine's sleeps are recorded, not slept, and the
sandbox's and the pacer's clocks advance by them, so the sandbox's own 10-second rule is
checked too."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from tether._http import runners
from tether._http.pacing import Pacer

from tether_customerio import samples as s


@pytest.fixture
def slept(cio, monkeypatch):
    sleeps: list[float] = []
    now = {"t": time.time()}
    cio.runtime.clock = lambda: now["t"]

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now["t"] += seconds

    monkeypatch.setattr(runners, "time", SimpleNamespace(sleep=sleep))
    # A fresh pacer on the same clock (the connection's verification requests are forgotten).
    monkeypatch.setattr(cio.client, "_pacer", Pacer(clock=lambda: now["t"]))
    return sleeps


def test_a_second_broadcast_trigger_waits_ten_seconds_and_is_accepted(cio, slept):
    before = cio.runtime.last_seq()
    first = cio.run("trigger-broadcast", broadcast_id=s.OUTAGE_BROADCAST, ids=[s.ADA])
    second = cio.run("trigger-broadcast", broadcast_id=s.OUTAGE_BROADCAST, ids=[s.GRACE])
    assert first["id"] != second["id"]
    assert slept == [pytest.approx(10.5)]
    assert [e["status"] for e in cio.runtime.journal(after=before)] == [200, 200]  # no 429 from the sandbox


def test_app_requests_are_paced_at_ten_per_second(cio, slept):
    for _ in range(10):
        cio.run("list-segments")
    assert slept == []
    for _ in range(11):
        cio.run("list-segments")
    assert slept == [pytest.approx(1.0), pytest.approx(1.0)]  # before the 11th and the 21st


def test_transactional_sends_have_their_own_hundred_per_second_allowance(cio, slept):
    for n in range(12):
        cio.run("send-transactional-email", transactional_message_id=s.PASSWORD_RESET_EMAIL, identifiers={"id": s.ADA}, to=s.ADA_EMAIL)
    assert slept == []  # 12 sends: well under 100/s, and not counted against the App's 10/s
