"""Writing files so that a failure never leaves a half-written one.

Every output of nbb-filing (instance, dossier, report, JSON Schema, package registry, catalog
cache) goes through :func:`write_atomic`: the content is written to a temporary file in the target
directory and renamed over the target, which is atomic on one file system.  On any error the
temporary file is removed and an earlier file of the same name stays as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | os.PathLike, data: bytes | str, *, encoding: str = "utf-8") -> Path:
    """Write ``data`` (bytes, or text in ``encoding``) to ``path`` through a temporary file; returns the path.

    Creates missing parent directories.  Raises ``OSError`` as the file system does; callers turn it
    into a one-line error naming what they were writing.
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=p.parent, prefix=f".{p.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p
