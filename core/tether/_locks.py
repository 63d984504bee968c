"""A cross-process file lock (POSIX flock, Windows msvcrt), also exclusive between threads."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from types import TracebackType


class FileLock:
    def __init__(self, path: Path, timeout: float = 60.0):
        self.path = Path(path)
        self.timeout = timeout
        self._fd: int | None = None
        self._thread_lock = threading.Lock()

    def __enter__(self) -> FileLock:
        if not self._thread_lock.acquire(timeout=self.timeout):
            raise TimeoutError(f"could not lock {self.path} within {self.timeout:.0f}s")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                _lock(fd)
                break
            except OSError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    self._thread_lock.release()
                    raise TimeoutError(f"could not lock {self.path} within {self.timeout:.0f}s") from None
                time.sleep(0.01)
        self._fd = fd
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                _unlock(fd)
            finally:
                os.close(fd)
                self._thread_lock.release()


try:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

except ImportError:  # pragma: no cover - Windows
    import msvcrt

    def _lock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
