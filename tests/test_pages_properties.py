"""Pagination styles: over any data and page sizes, every item exactly once, in order.

A style works at the level of the action: from the input of one page and that page's output,
it gives the input of the next. ``follow`` drives it as the engine does.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tether._pages import CursorPages, OffsetPages, PageNumberPages, dig


def follow(pages, first: dict, serve) -> list:
    """Drive a pagination style against ``serve(input) -> output``, as the engine does."""
    out, page_input, guard = [], first, 0
    while page_input is not None:
        guard += 1
        assert guard < 10_000, "pagination does not terminate"
        output = serve(page_input)
        out.extend(pages.page_items(output))
        page_input = pages.next_input(page_input, output)
    return out


items_st = st.lists(st.integers(), max_size=120)


@settings(max_examples=150, deadline=None)
@given(items=items_st, size=st.integers(min_value=1, max_value=40), empty_last=st.booleans())
def test_cursor_pages_every_item_once(items, size, empty_last):
    def serve(q):
        start = int(q.get("cursor") or 0)
        chunk = items[start : start + int(q["limit"])]
        more = start + len(chunk) < len(items)
        return {"data": chunk, "next": str(start + len(chunk)) if more else ("" if empty_last else None)}

    pages = CursorPages(items="data", next="next", param="cursor")
    assert follow(pages, {"limit": size}, serve) == items


@settings(max_examples=150, deadline=None)
@given(items=items_st, size=st.integers(min_value=1, max_value=40), start=st.sampled_from([0, 1]), with_total=st.booleans())
def test_offset_pages_every_item_once(items, size, start, with_total):
    def serve(q):
        offset = int(q.get("start", start)) - start
        body = {"results": items[offset : offset + int(q["count"])]}
        if with_total:
            body["total"] = len(items)
        return body

    pages = OffsetPages(items="results", param="start", size_param="count", start=start, total="total" if with_total else None)
    assert follow(pages, {"count": size}, serve) == items


@settings(max_examples=150, deadline=None)
@given(items=items_st, size=st.integers(min_value=1, max_value=40), with_total=st.booleans())
def test_page_number_pages_every_item_once(items, size, with_total):
    def serve(q):
        page = int(q.get("page", 1))
        body = {"data": {"rows": items[(page - 1) * size : page * size]}}
        if with_total:
            body["pages"] = max(1, -(-len(items) // size))
        return body

    pages = PageNumberPages(items="data.rows", param="page", size_param="per_page", total_pages="pages" if with_total else None)
    assert follow(pages, {"per_page": size}, serve) == items


def test_a_repeated_cursor_stops_instead_of_looping():
    pages = CursorPages(items="data", next="next", param="cursor")
    stuck = lambda q: {"data": [1], "next": "same"}  # noqa: E731
    assert follow(pages, {"cursor": "same"}, stuck) == [1]


def test_following_drops_the_parameters_that_only_fit_the_first_page():
    pages = CursorPages(items="data", next="next", param="next_cursor", drop=("previous_cursor",))
    following = pages.next_input({"previous_cursor": "p1", "limit": 5}, {"data": [1], "next": "c2"})
    assert following == {"limit": 5, "next_cursor": "c2"}


def test_dig():
    assert dig({"a": {"b": [1]}}, "a.b") == [1]
    assert dig({"a": 1}, "a.b") is None
    assert dig([1], "") == [1]
