"""Run the real ``tether`` entry point in-process and capture what it prints."""

from __future__ import annotations

import json
from typing import Any

import attrs


@attrs.frozen
class Ran:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        """The one JSON document on stdout (fails if there is anything else)."""
        return json.loads(self.out)


def run_cli(capsys: Any, *args: str) -> Ran:
    from tether._cli import main

    capsys.readouterr()
    code = 0
    try:
        main(list(args))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    captured = capsys.readouterr()
    return Ran(code, captured.out, captured.err)
