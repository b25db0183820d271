"""Writing files so that a failure never leaves a half-written one.

Every output of nbb-filing (instance, dossier, report, JSON Schema, package registry, catalog
cache) goes through :func:`write_atomic`: the content is written to a temporary file in the target
directory and renamed over the target, which is atomic on one file system.  On any error the
temporary file is removed and an earlier file of the same name stays as it was.

The written file gets the mode an ordinary ``open(path, "w")`` would give: ``0666`` less the
process umask for a new file (the temporary file itself is private, ``0600``), and the mode of the
file it replaces when there is one (so a report kept private with ``chmod 600`` stays private).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Sequence
from pathlib import Path


def current_umask() -> int:
    """The process umask (read by setting it and putting it back: not safe against a thread changing it)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _final_mode(p: Path) -> int:
    try:
        return stat.S_IMODE(p.stat().st_mode)
    except OSError:
        return 0o666 & ~current_umask()


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
            if hasattr(os, "fchmod"):  # POSIX (Windows has no umask modes to follow)
                os.fchmod(f.fileno(), _final_mode(p))
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return p


def _same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file (symbolic links followed; a file not there yet too)."""
    try:
        if a.exists() and b.exists():
            return os.path.samefile(a, b)
    except OSError:
        pass
    return a.resolve() == b.resolve()


def refuse_overlaps(
    outputs: Sequence[tuple[str, str | os.PathLike | None]],
    inputs: Sequence[tuple[str, str | os.PathLike | None]] = (),
) -> None:
    """Raise :class:`InputError` when an output resolves to one of the run's ``inputs`` or to another
    output, before anything is written: ``-o`` on the dossier or a trial balance, ``--html`` on the
    filing, ``render X.xbrl -o X.xbrl`` would replace a file the run reads or has just written.

    Each item is ``(what, path)``, e.g. ``("-o", "out.xbrl")``, ``("trial balance", p)``; ``None``
    paths are skipped."""
    from nbb_filing.core.errors import InputError

    seen: list[tuple[str, Path]] = [(what, Path(p)) for what, p in inputs if p is not None]
    for what, p in outputs:
        if p is None or str(p) == "-":
            continue
        out = Path(p)
        for other_what, other in seen:
            if _same_file(out, other):
                raise InputError(
                    f"{out}: refused as {what}: it is also {other_what} ({other}); choose another file name"
                )
        seen.append((what, out))
