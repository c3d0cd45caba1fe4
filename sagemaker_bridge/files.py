"""Files the package keeps between runs: where they live, and how they are written so a reader never sees half."""

from __future__ import annotations

import os
import tempfile


def cache_dir() -> str:
    """`$XDG_CACHE_HOME/sagemaker-bridge`, or `~/.cache/sagemaker-bridge` (the XDG base directory default)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "sagemaker-bridge")


def write_atomically(path: str, text: str) -> None:
    """The file holds the old text or the new, never part of either: written beside it, then renamed over it. The
    folder is made if missing; OSError when it cannot be written."""
    folder = os.path.dirname(path) or "."
    os.makedirs(folder, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
