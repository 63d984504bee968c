"""Where tether keeps its state: ``TETHER_HOME``, else the platform's user data directory.

The home and everything in it is private to the user (directories 0700, files 0600), as ssh
and gpg keep theirs, whatever the umask: connections, sandbox data, journals and locks say
which platforms and accounts a user works with. A home made earlier with wider modes is
tightened when opened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def home_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit is not None:
        path = Path(explicit)
    elif os.environ.get("TETHER_HOME"):
        path = Path(os.environ["TETHER_HOME"])
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("tether", appauthor=False))
    return private_dir(path)


def private_dir(path: Path) -> Path:
    """``path`` as a directory only its owner can enter (made if missing)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    tighten(path)
    return path


SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_file(path: Path, *companions: str) -> Path:
    """``path`` as a file only its owner can read (made empty if missing), and any existing
    ``companions`` (suffixes such as SQLite's ``-wal`` and ``-shm``) tightened too. SQLite
    gives the files it makes beside a database the database's own mode."""
    os.close(os.open(path, os.O_RDWR | os.O_CREAT, 0o600))
    tighten(path)
    for suffix in companions:
        tighten(Path(f"{path}{suffix}"))
    return path


def tighten(path: Path) -> None:
    """Remove group and other permissions from something we own (never loosen anything)."""
    try:
        info = os.stat(path)
    except OSError:
        return
    if info.st_mode & 0o077 and info.st_uid == getattr(os, "getuid", lambda: info.st_uid)():
        os.chmod(path, stat.S_IMODE(info.st_mode) & ~0o077)
