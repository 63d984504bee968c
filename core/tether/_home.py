"""Where tether keeps its state: ``TETHER_HOME``, else the platform's user data directory."""

from __future__ import annotations

import os
from pathlib import Path


def home_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit is not None:
        path = Path(explicit)
    elif os.environ.get("TETHER_HOME"):
        path = Path(os.environ["TETHER_HOME"])
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("tether", appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
