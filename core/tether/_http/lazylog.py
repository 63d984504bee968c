"""A logger that loads :mod:`logging` only when a record would be emitted.

Importing ``logging`` is ~3 ms of every CLI run; the engine and the sandbox log only on
retries, faults and ``-v``. Until something imports ``logging`` nobody can have configured
it, so the levels are the defaults (WARNING and above go to stderr through logging's last
resort, as they would): a warning loads it, a debug line is skipped. Once ``logging`` is
loaded (``-v``, an embedding program, pytest) every call goes to the real logger.
"""

from __future__ import annotations

import sys
from typing import Any

DEBUG, INFO, WARNING, ERROR = 10, 20, 30, 40


class LazyLogger:
    __slots__ = ("name", "_logger")

    def __init__(self, name: str):
        self.name = name
        self._logger: Any = None

    def __repr__(self) -> str:
        return f"LazyLogger({self.name!r})"

    def real(self) -> Any:
        """The ``logging.Logger`` of this name (loading logging)."""
        logger = self._logger
        if logger is None:
            import logging

            logger = self._logger = logging.getLogger(self.name)
        return logger

    def isEnabledFor(self, level: int) -> bool:  # noqa: N802 (logging's name)
        if self._logger is None and "logging" not in sys.modules:
            return level >= WARNING  # the root logger's default level: nothing configured another
        return bool(self.real().isEnabledFor(level))

    def _log(self, level: int, msg: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        if self.isEnabledFor(level):
            kwargs.setdefault("stacklevel", 3)  # the record names the caller, not this shim
            self.real().log(level, msg, *args, **kwargs)

    def debug(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._log(DEBUG, msg, args, kwargs)

    def info(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._log(INFO, msg, args, kwargs)

    def warning(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._log(WARNING, msg, args, kwargs)

    def error(self, msg: str, *args: Any, **kwargs: Any) -> None:
        self._log(ERROR, msg, args, kwargs)

    def exception(self, msg: str, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("exc_info", True)
        self._log(ERROR, msg, args, kwargs)


def get_logger(name: str) -> LazyLogger:
    return LazyLogger(name)
