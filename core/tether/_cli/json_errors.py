"""One line for a JSON input that does not parse: where, what, and what to do instead."""

from __future__ import annotations

import json


def not_json(option: str, source: str | None, exc: json.JSONDecodeError) -> str:
    """``--input is not valid JSON at line 1, column 2: expecting property name …; …``.

    ``source`` is the file name (or "stdin") the text came from, None when it was inline."""
    where = f"{option} ({source})" if source else option
    reason = exc.msg[0].lower() + exc.msg[1:] if exc.msg else "invalid"
    if "double quotes" in exc.msg or "Expecting value" in exc.msg and exc.doc[exc.pos : exc.pos + 1].isalpha():
        step = "JSON quotes keys and strings with double quotes"
    else:
        step = "check the text near that position"
    if source is None:
        step += f", e.g. {option} '{{\"key\": \"value\"}}' (or {option} @FILE)"
    return f"{where} is not valid JSON at line {exc.lineno}, column {exc.colno}: {reason}; {step}"
