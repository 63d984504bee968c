"""A loopback web page where a person types a connection's credentials (so an agent never sees them).

``start_page`` launches :mod:`tether._credential_page.server` as a detached process that
outlives the command which started it: it serves one connection's form until the connection is
ready, the form was submitted successfully, or :data:`LIFETIME` seconds pass. Only the standard
library is imported here, and this package is imported only when a page is actually needed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

LIFETIME = 15 * 60  # seconds a page waits for its person


class PageError(RuntimeError):
    pass


def pid_file(home: Path, connection_id: str) -> Path:
    """Where a running page writes its process id (removed when it exits)."""
    return Path(home) / "pages" / f"{connection_id}.pid"


def stop_pages(home: Path, connection_id: str = "*") -> None:
    """End the page servers of a connection (or of every connection) of this home."""
    import signal

    for path in (Path(home) / "pages").glob(f"{connection_id}.pid"):
        try:
            pid = int(path.read_text())
            # A page killed hard leaves its file behind, and the pid may since name another
            # process of this user: signal it only if it is still this connection's page.
            if _is_page(pid, path.stem):
                os.kill(pid, signal.SIGTERM)
        except (OSError, ValueError):
            pass
        path.unlink(missing_ok=True)


def _is_page(pid: int, connection_id: str) -> bool:
    """Whether process ``pid`` is the page server of ``connection_id``."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        words = [a.decode("utf-8", "replace") for a in args]
    except FileNotFoundError:
        if Path("/proc/self/cmdline").exists():
            return False  # /proc is there, this process is not: gone
        # No /proc (macOS, BSD): ask ps.
        done = subprocess.run(["ps", "-o", "command=", "-p", str(pid)], capture_output=True, text=True)
        words = done.stdout.split()
    except OSError:
        return False
    return "tether._credential_page.server" in words and connection_id in words


def start_page(home: Path, connection_id: str, *, lifetime: float = LIFETIME) -> str:
    """Start the page server for a connection and return its URL (with its secret token).

    A page already serving this connection is ended first: one live URL per connection."""
    stop_pages(home, connection_id)
    env = dict(os.environ, TETHER_HOME=str(home))
    env.pop("TETHER_LOG", None)  # the page logs nothing, whatever the caller asked for
    proc = subprocess.Popen(
        [sys.executable, "-m", "tether._credential_page.server", connection_id, str(lifetime)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # not killed with the command's terminal or process group
        close_fds=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the server writes one line once it listens, then closes stdout
    proc.stdout.close()
    try:
        return json.loads(line)["url"]
    except (ValueError, KeyError, TypeError):
        proc.kill()
        raise PageError("the credential page could not start") from None
