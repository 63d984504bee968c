"""Keep secrets out of every log line, error, repr and JSON document.

Auth kinds register each secret value (and each header value built from one) the moment
they use it; anything printed passes through :func:`redact` first.
"""

from __future__ import annotations

import base64
import json
import threading
from typing import Any
from urllib.parse import quote, quote_plus

MASK = "***"
_MIN_LEN = 4  # shorter values would mask ordinary words


class Redactor:
    def __init__(self) -> None:
        self._values: set[str] = set()
        self._lock = threading.Lock()
        self._ordered: list[str] = []
        self._added: set[str] = set()

    def add(self, value: Any) -> None:
        """Mask ``value`` from now on, in every form it can take in text.

        Raw, URL-quoted (path and form style), base64, and as escaped in a repr or JSON; and
        each of these for the value without surrounding whitespace, which is how it shows
        in an error about the whitespace (``Illegal header value b'Bearer <key>\\n'``).
        """
        if not isinstance(value, str) or value in self._added:
            return  # known already: auth kinds register their secret on every request
        forms: set[str] = set()
        for text in {value, value.strip()}:
            if len(text) < _MIN_LEN:
                continue
            raw = text.encode("utf-8", "surrogatepass")
            forms |= {
                text,
                quote(raw, safe=""),
                quote_plus(raw, safe=""),
                base64.b64encode(raw).decode(),
                text.encode("unicode_escape").decode("ascii"),
                json.dumps(text)[1:-1],
            }
        if not forms:
            return
        with self._lock:
            self._added.add(value)
            new = forms - self._values
            if new:
                self._values |= new
                self._ordered = sorted(self._values, key=len, reverse=True)

    def redact(self, text: str) -> str:
        for value in self._ordered:
            if value in text:
                text = text.replace(value, MASK)
        return text

    def redact_obj(self, obj: Any) -> Any:
        """A copy of a JSON-like value with secrets masked in every string."""
        if isinstance(obj, str):
            return self.redact(obj)
        if isinstance(obj, dict):
            return {self.redact(str(k)): self.redact_obj(v) for k, v in obj.items()}
        if isinstance(obj, (list, tuple)):
            return [self.redact_obj(v) for v in obj]
        return obj

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._added.clear()
            self._ordered = []


REDACTOR = Redactor()
redact = REDACTOR.redact
redact_obj = REDACTOR.redact_obj
add_secret = REDACTOR.add
