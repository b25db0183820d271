"""Has a set of files changed?  Size and modification time first, content hash to be sure.

Used by ``nbb-filing watch`` (polling, no file-system notification library): a file whose size
and mtime are unchanged is taken as unchanged without reading it; otherwise its SHA-256 decides,
so that a save without a change (or a ``touch``) does not trigger a regeneration.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FileState:
    size: int
    mtime_ns: int
    sha256: str


class Fingerprints:
    """The last seen state of each watched file; :meth:`changed` says which differ now."""

    def __init__(self) -> None:
        self.states: dict[Path, FileState | None] = {}

    def changed(self, paths: Iterable[Path]) -> list[Path]:
        """The files of ``paths`` that differ from their last seen state (all of them the first
        time; a file that appears or disappears counts), and remember the new states."""
        out: list[Path] = []
        seen: dict[Path, FileState | None] = {}
        for p in paths:
            before = self.states.get(p)
            now = _state(p, before)
            seen[p] = now
            if p not in self.states or _content(now) != _content(before):
                out.append(p)
        self.states = seen
        return out


def _content(state: FileState | None) -> str | None:
    return state.sha256 if state is not None else None


def _state(path: Path, before: FileState | None) -> FileState | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    if before is not None and before.size == st.st_size and before.mtime_ns == st.st_mtime_ns:
        return before
    if not stat.S_ISREG(st.st_mode):
        # never read: a FIFO blocks, a device such as /dev/zero never ends (the check reports it)
        return FileState(st.st_size, st.st_mtime_ns, f"not a regular file (mode {st.st_mode:o})")
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return FileState(st.st_size, st.st_mtime_ns, h.hexdigest())
