"""Where rawan keeps its files on the user's machine.

``RAWAN_DATA_DIR`` overrides the default, which is the platform's user data directory
(``~/.local/share/rawan`` on Linux, ``%LOCALAPPDATA%\\rawan`` on Windows).  The engine never
calls this: only the CLI, the web app and ``rawan data fetch`` do.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir


def data_dir() -> Path:
    """The user data directory, created if absent."""
    path = Path(os.environ.get("RAWAN_DATA_DIR") or user_data_dir("rawan", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
