"""Local state files that carry their own integrity: a schema version and a digest of their content.

The catalog cache (and any other file nbb-filing writes for itself and reads back later) is stored
as one header line, then the JSON body::

    {"nbb-filing": "catalog", "schema": 8, "sha256": "<hex digest of the body bytes>", "bytes": 123456}
    {...the body...}

:func:`read_checked_json` returns the body only when the header is well formed, names the expected
kind and schema version, and the body has the recorded length and digest; otherwise ``None``, and
the caller rebuilds the file.  A file emptied, truncated, edited by hand, of an older layout or of
the wrong shape is thus never trusted.  The digest guards against corruption and stale layouts, not
against someone who can write the user's files (they could recompute it).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from nbb_filing.core.atomic import write_atomic


def write_checked_json(path: str | os.PathLike, kind: str, schema: int, body: Any) -> Path:
    """Write ``body`` (JSON-serialisable) under an integrity header, atomically."""
    data = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
    header = {"nbb-filing": kind, "schema": schema, "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    return write_atomic(path, json.dumps(header, sort_keys=True).encode("ascii") + b"\n" + data)


def read_checked_json(path: str | os.PathLike, kind: str, schema: int) -> Any | None:
    """The body of a file written by :func:`write_checked_json`, or ``None`` if it does not check out."""
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return None
    head, sep, data = raw.partition(b"\n")
    if not sep:
        return None
    try:
        header = json.loads(head)
    except ValueError:
        return None
    if not isinstance(header, dict) or header.get("nbb-filing") != kind or header.get("schema") != schema:
        return None
    if header.get("bytes") != len(data) or header.get("sha256") != hashlib.sha256(data).hexdigest():
        return None
    try:
        return json.loads(data)
    except ValueError:
        return None
