"""Retry decisions and pacing as pure functions."""

from __future__ import annotations

import email.utils
import random

import httpx
import pytest

from tether._http.pacing import Pacer
from tether._http.retry import RetryPolicy, parse_retry_after
from tether._models import RateLimit


def resp(status, **headers):
    return httpx.Response(status, headers=headers)


POLICY = RetryPolicy(max_retries=3, backoff=1.0, max_backoff=8.0, max_retry_after=60, rng=random.Random(1))


@pytest.mark.parametrize(
    ("outcome", "idempotent", "retry"),
    [
        (httpx.ConnectError("refused"), False, True),
        (httpx.ConnectTimeout("slow connect"), False, True),
        (httpx.ReadTimeout("slow answer"), False, False),
        (httpx.ReadTimeout("slow answer"), True, True),
        (httpx.RemoteProtocolError("dropped"), False, False),
        (httpx.RemoteProtocolError("dropped"), True, True),
        (httpx.WriteError("broken pipe"), False, False),
        (resp(429), False, True),
        (resp(503), False, True),
        (resp(502), False, False),
        (resp(502), True, True),
        (resp(504), True, True),
        (resp(500), True, False),
        (resp(400), True, False),
        (resp(200), True, False),
    ],
)
def test_decide(outcome, idempotent, retry):
    assert POLICY.decide(0, idempotent, outcome).retry is retry


def test_attempts_are_bounded():
    assert POLICY.decide(2, True, resp(503)).retry
    assert not POLICY.decide(3, True, resp(503)).retry


def test_backoff_grows_with_jitter_and_a_ceiling():
    delays = [POLICY.backoff_delay(n) for n in range(6)]
    for n, d in enumerate(delays):
        ceiling = min(8.0, 2**n)
        assert ceiling / 2 <= d <= ceiling
    assert len({round(d, 6) for d in delays}) == len(delays)


def test_retry_after_wins_over_backoff_and_has_a_limit():
    assert POLICY.decide(0, False, resp(429, **{"Retry-After": "7"})).delay == 7
    assert not POLICY.decide(0, False, resp(429, **{"Retry-After": "61"})).retry


def test_parse_retry_after():
    assert parse_retry_after("3") == 3
    assert parse_retry_after("1.5") == 1.5
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    now = 1_700_000_000.0
    assert parse_retry_after(email.utils.formatdate(now + 30, usegmt=True), now=now) == pytest.approx(30, abs=1)
    assert parse_retry_after(email.utils.formatdate(now - 30, usegmt=True), now=now) == 0


class FakeClock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def test_pacer_allows_bursts_within_the_limit_then_waits():
    clock = FakeClock()
    pacer = Pacer(clock)
    limit = RateLimit(3, 1.0)
    assert [pacer.reserve("k", limit) for _ in range(3)] == [0, 0, 0]
    assert pacer.reserve("k", limit) == pytest.approx(1.0)
    assert pacer.reserve("k", limit) == pytest.approx(1.0)
    clock.t += 1.0  # the window [101, 102) holds two booked starts: room for one more
    assert pacer.reserve("k", limit) == 0
    assert pacer.reserve("k", limit) == pytest.approx(1.0)


def test_pacer_one_per_ten_seconds():
    clock = FakeClock()
    pacer = Pacer(clock)
    limit = RateLimit(1, 10.0)
    waits = []
    for _ in range(4):
        waits.append(pacer.reserve("broadcast", limit))
    assert waits == [0, 10, 20, 30]
    assert pacer.reserve("other-key", limit) == 0 and pacer.reserve("x", None) == 0


def test_pacer_never_exceeds_the_window():
    clock = FakeClock()
    pacer = Pacer(clock)
    limit = RateLimit(5, 2.0)
    rng = random.Random(3)
    starts = []
    for _ in range(200):
        clock.t += rng.choice([0, 0, 0.01, 0.3, 1.0])
        starts.append(clock.t + pacer.reserve("k", limit))
    starts.sort()
    for i in range(len(starts) - 5):
        assert starts[i + 5] - starts[i] >= 2.0 - 1e-9
