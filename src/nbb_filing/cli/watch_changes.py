"""How ``nbb-filing watch`` learns that a file changed: file-system events, else polling.

Events come from the operating system through the ``watchfiles`` library (inotify on Linux,
FSEvents on macOS, ReadDirectoryChangesW on Windows): a save is seen within ~50 ms instead of up to
one polling interval later.  The folders of the watched files are watched, not the files: editors
save by writing a new file and renaming it over the old one, which a watch on the old file would
miss.  Only events on the watched files (or on a missing folder on their way) wake the loop, and
an event is only a reason to look: :class:`nbb_filing.Fingerprints` still decides whether the
content changed (a ``touch`` or a save without a change triggers nothing).

Polling stays for where events are not available: ``watchfiles`` not installed, a folder the
system cannot watch (some network file systems deliver no events for changes made on another
machine: ``--poll`` forces polling there), or an error of the event source while watching (the loop
then says so in one line and polls).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

#: milliseconds without a further event before a burst of events is reported (an editor's save is
#: several events: write, rename, attributes)
STEP_MS = 50
#: at most this many milliseconds of grouping, however long a burst lasts
DEBOUNCE_MS = 400
#: how often the event wait returns to Python with nothing (to see a stop request)
TIMEOUT_MS = 500


def events_unavailable() -> str | None:
    """Why file-system events cannot be used here, or ``None`` when they can."""
    try:
        import watchfiles  # noqa: F401
    except ImportError:  # pragma: no cover - a dependency of nbb-filing; only a broken install lacks it
        return "the watchfiles library is not installed"
    return None


def _norm(p: Path | str) -> str:
    return os.path.normcase(os.path.normpath(os.path.abspath(p)))


def interesting(files: Iterable[Path]) -> tuple[list[Path], frozenset[str]]:
    """The folders to watch (not recursively) for ``files``, and the paths whose events count.

    A file whose folder does not exist yet is watched from its nearest existing ancestor; the
    missing folders on the way count, so that creating them wakes the loop (which then watches the
    new folder).
    """
    folders: dict[str, Path] = {}
    names: set[str] = set()
    for f in files:
        for variant in {Path(os.path.abspath(f)), f.resolve()}:
            names.add(_norm(variant))
            parent = variant.parent
            while not parent.is_dir() and parent != parent.parent:
                names.add(_norm(parent))
                parent = parent.parent
            folders.setdefault(_norm(parent), parent)
    return sorted(folders.values()), frozenset(names)


def changes(files: Iterable[Path], stop: Any = None) -> Iterator[set[str]]:
    """Yield the watched paths that had an event, each time some had (an empty set on a quiet
    ``TIMEOUT_MS``, so the caller can stop); ends when ``stop`` (anything with ``is_set()``) is set.

    Raises ``OSError`` / ``RuntimeError`` when the system refuses to watch a folder.
    """
    import watchfiles

    folders, names = interesting(files)

    def wanted(_change: Any, path: str) -> bool:
        return _norm(path) in names

    for batch in watchfiles.watch(
        *folders,
        watch_filter=wanted,
        debounce=DEBOUNCE_MS,
        step=STEP_MS,
        rust_timeout=TIMEOUT_MS,
        yield_on_timeout=True,
        stop_event=stop,
        recursive=False,
    ):
        yield {_norm(path) for _change, path in batch}
