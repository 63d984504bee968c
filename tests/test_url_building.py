"""The engine appends a plain path (and query) to a base URL it read once, without httpx,
instead of letting httpx parse every request URL again: the URL it builds, and the
``httpx.URL`` the network carrier makes of it, must be the ones httpx would have built."""

from __future__ import annotations

import itertools

import httpx
import pytest
from tether._http import carriers, messages

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
    "https://api.example.com:443/v1",
    "http://localhost:8080/api/",
    "https://999.1.1.1/x",
]
PATHS = ["", "/", "/users/bench-1", "/users/a%2Fb", "/a b", "/./x", "/x/..", "//x", "/%zz", "/é", "/users/x?y", "/a:b@c", "/%41", "/{x}", "/" + "a" * 70_000]
PARAMS = [[], [("a", "b")], [("a", "x y")], [("a", True)], [("q", "é&=#")], [("a", "b"), ("a", "c")], [("k", "%zz")], [("e", "")], [("q", "a" * 70_000)]]


def by_httpx(base: str, path: str, params: list) -> httpx.URL | None:
    try:
        return httpx.URL(base.rstrip("/") + "/" + path.lstrip("/"), params=params)
    except httpx.InvalidURL:
        return None  # too long: the engine must leave it to httpx, which refuses it


def same_parts(ours: messages.Url, theirs: httpx.URL) -> None:
    """What the carriers read of a URL (the sandbox: host, path, query; the log: its text;
    the credentials: its origin) is what httpx reads of its own."""
    assert (str(ours), ours.scheme, ours.host, ours.port, ours.netloc) == (
        str(theirs), theirs.scheme, theirs.host, theirs.port, theirs.netloc.decode("ascii"),
    )
    assert (ours.path or "/") + ("" if ours.query is None else "?" + ours.query) == theirs.raw_path.decode("ascii")
    assert (ours.query or "") == theirs.query.decode("ascii")


@pytest.mark.parametrize(("base", "path", "params"), list(itertools.product(BASES, PATHS, PARAMS)))
def test_an_appended_path_is_the_url_httpx_builds(base, path, params):
    read = messages.plain_base(base.rstrip("/"))
    if read is None:
        return  # such a base always goes through httpx's parser
    same_parts(read, httpx.URL(base.rstrip("/")))
    expected = by_httpx(base, path, params)
    built = messages.plain_url(read, "/" + path.lstrip("/"), params)
    if built is None:
        return  # not plain: httpx's parser builds it
    assert expected is not None, "a URL httpx refuses was built"
    same_parts(built, expected)
    sent = carriers.httpx_url(built)  # what the network carrier hands httpx
    assert (str(sent), sent.raw_path, sent.scheme, sent.host, sent.port) == (
        str(expected), expected.raw_path, expected.scheme, expected.host, expected.port,
    )
    assert sent == expected


def test_bases_written_otherwise_are_left_to_httpx():
    """Guards the guard: what httpx would rewrite (case, default port, IPv6, user info, a bad
    address) is not read without it."""
    for base in ("HTTP://Example.COM/v1", "http://[::1]:8/x", "http://u:p@h/x", "https://999.1.1.1/x", "http://01.2.3.4/",
                 "https://h:0443/", "ftp://h/x", "http://h/a/../b", "http://h/x#frag", "http://h/x?q=1", "http://bücher.example/"):
        assert messages.plain_base(base) is None, base
    read = messages.plain_base("https://api.example.com:443/v1")
    assert read is not None and (str(read), read.port) == ("https://api.example.com/v1", None)


@pytest.mark.parametrize(
    "params",
    [
        [("a", "1"), ("b", "2"), ("a", "3")],
        [("n", 30), ("f", 1.5), ("t", True), ("z", False), ("none", None)],
        [("q", "é&=#+ /?%41%zz"), ("k y", "v")],
        [(1, "x"), ("e", "")],
    ],
)
def test_a_query_is_encoded_as_httpx_encodes_it(params):
    assert messages.query_string(params) == str(httpx.QueryParams(params))


def test_plain_paths_and_queries_take_the_short_way():
    """Guards the guard: the ordinary request URL is built without parsing, here and in the carrier."""
    base = messages.plain_base("http://h/v1")
    assert base is not None
    built = messages.plain_url(base, "/users/bench-1", [("limit", 30), ("all", True)])
    assert built is not None and str(built) == "http://h/v1/users/bench-1?limit=30&all=true"
    assert messages.plain_url(base, "/a b", []) is None
    assert messages.plain_url(base, "/x/../y", []) is None
    carriers.httpx_url(built)
    assert base.extendable and carriers._can_extend(base.extendable)  # the base was parsed once, and extended since
