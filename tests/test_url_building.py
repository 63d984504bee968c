"""The engine appends a plain path (and query) to a base URL it parsed once instead of letting
httpx parse every request URL again: the URL it builds must be the one httpx would have built."""

from __future__ import annotations

import itertools

import httpx
import pytest
from tether._http import engine

BASES = [
    "http://127.0.0.1:9",
    "http://127.0.0.1:9/",
    "https://api.example.com/v1/",
    "http://h/a%2Fb",
    "http://h/a b",
    "http://h/a/../b",
    "http://h/v1?x=1",
    "http://[::1]:8/x",
    "HTTP://Example.COM:80/v1",
]
PATHS = ["", "/", "/users/bench-1", "/users/a%2Fb", "/a b", "/./x", "/x/..", "//x", "/%zz", "/é", "/users/x?y", "/a:b@c", "/%41", "/{x}", "/" + "a" * 70_000]
PARAMS = [[], [("a", "b")], [("a", "x y")], [("a", True)], [("q", "é&=#")], [("a", "b"), ("a", "c")], [("k", "%zz")], [("e", "")], [("q", "a" * 70_000)]]


def by_httpx(base: str, path: str, params: list) -> httpx.URL | None:
    try:
        return httpx.URL(base.rstrip("/") + "/" + path.lstrip("/"), params=[(k, engine._query_value(v)) for k, v in params])
    except httpx.InvalidURL:
        return None  # too long: the engine must leave it to httpx, which refuses it


@pytest.mark.parametrize(("base", "path", "params"), list(itertools.product(BASES, PATHS, PARAMS)))
def test_an_appended_path_is_the_url_httpx_builds(base, path, params):
    parsed = httpx.URL(base.rstrip("/"))
    raw = parsed.raw_path.decode("ascii")
    expected = by_httpx(base, path, params)
    if engine._PLAIN_PATH.fullmatch(raw) is None:
        return  # such a base always goes through httpx's parser
    built = engine._plain_url(parsed, raw.rstrip("/"), "/" + path.lstrip("/"), [(k, engine._query_value(v)) for k, v in params])
    if built is None:
        return  # not plain: httpx's parser builds it
    assert expected is not None, "a URL httpx refuses was built"
    assert (str(built), built.raw_path, built.scheme, built.host, built.port) == (
        str(expected), expected.raw_path, expected.scheme, expected.host, expected.port,
    )
    assert built == expected


def test_plain_paths_and_queries_take_the_short_way():
    """Guards the guard: the ordinary request URL is built without parsing."""
    parsed = httpx.URL("http://h/v1")
    assert engine._can_extend(parsed)
    assert engine._plain_url(parsed, "/v1", "/users/bench-1", [("limit", 30), ("all", True)]) is not None
    assert engine._plain_url(parsed, "/v1", "/a b", []) is None
    assert engine._plain_url(parsed, "/v1", "/x/../y", []) is None
