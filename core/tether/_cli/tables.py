"""Tables for people: aligned columns that fit the terminal's width.

The width comes from the terminal (or ``COLUMNS``; 100 when output is not a terminal). When
the natural widths do not fit, the widest column gives up a character at a time, so a long
description shrinks before an id does; a cut cell ends in "…". ``--json`` never comes here.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from typing import Any

GAP = "  "
MIN_WIDTH = 4
MAX_WIDTH = 60  # no single column wider than this, except the last (it has the line's end)
FLEX_FLOOR = 20  # the last column shrinks to this before any other column gives up a character


def terminal_width() -> int:
    return max(40, shutil.get_terminal_size(fallback=(100, 24)).columns)


def cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value) or "-"
    return " ".join(str(value).split())


def fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def column_widths(headers: Sequence[str], cells: Sequence[Sequence[str]], width: int) -> list[int]:
    """Natural widths, shrunk to fit: first the last column (the description) down to
    :data:`FLEX_FLOOR`, then the widest of the middle ones, then anything but the first
    (an id is worth more whole), then the first."""
    last = len(headers) - 1
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
    widths = [w if i == last else min(MAX_WIDTH, w) for i, w in enumerate(widths)]
    excess = sum(widths) + len(GAP) * last - width
    stages = [({last}, FLEX_FLOOR), (set(range(1, last)), MIN_WIDTH), ({last}, len(headers[last])), ({0}, MIN_WIDTH), ({last}, MIN_WIDTH)]
    for columns, floor in stages:
        while excess > 0:
            shrinkable = [i for i in columns if widths[i] > floor]
            if not shrinkable:
                break
            widest = max(shrinkable, key=lambda i: widths[i])
            widths[widest] -= 1
            excess -= 1
    return widths


def render(
    rows: Sequence[dict[str, Any]], columns: Sequence[tuple[str, str]], width: int | None = None, clean: Callable[[str], str] = str
) -> list[str]:
    """The table's lines: a header, then one line per row, none longer than ``width``.

    ``clean`` (the redactor) sees whole cells, before any is cut."""
    headers = [h.upper() for _, h in columns]
    cells = [[clean(cell(row.get(key))) for key, _ in columns] for row in rows]
    widths = column_widths(headers, cells, width or terminal_width())
    lines = [GAP.join(fit(h, w).ljust(w) for h, w in zip(headers, widths)).rstrip()]
    lines += [GAP.join(fit(v, w).ljust(w) for v, w in zip(c, widths)).rstrip() for c in cells]
    return lines


def short(text: Any, limit: int = 80) -> str:
    """The first sentence of a description, for a table's description column."""
    line = " ".join(str(text or "").split())
    end = line.find(". ")
    return line[: end + 1] if 0 < end < limit else line
