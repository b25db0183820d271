"""Processes and temporary files that end with the run that made them.

A validation forks children and works in a temporary folder; ``taxonomy install`` copies and
downloads packages through temporary files.  When such a run is killed (SIGKILL) or terminated
(SIGTERM, what a CI timeout sends), nothing it made may outlive it for long:

* :func:`die_with_parent`: a child asks Linux (``prctl(PR_SET_PDEATHSIG, SIGKILL)``) to be killed
  when its parent ends, however the parent ends; elsewhere it only checks the parent still exists;
* :func:`terminate_as_exit`: while it is active, SIGTERM raises ``SystemExit(143)`` in the main
  thread, so ``finally`` blocks and context managers clean up (children killed, folders removed);
* :class:`Children`: forked children killed and reaped when the block they run in is left by an
  exception;
* :func:`run_temp_dir` and :func:`sweep_stale`: temporary names carry the owner's process id and
  PID namespace (``nbb-validate-<pid>-<namespace>-xxxx``); leftovers whose owner is dead (a SIGKILL
  gives no chance to clean) are removed by later runs.  Entries of another user, of a live process,
  or of another PID namespace (a container sharing /tmp, where the pid means another process) are
  not judged by their pid: they are left alone for a day.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "Children",
    "die_with_parent",
    "owned_name",
    "pid_namespace",
    "run_temp_dir",
    "sweep_stale",
    "terminate_as_exit",
    "TERMINATED_EXIT",
]

PR_SET_PDEATHSIG = 1  # linux/prctl.h
#: Exit code of a run ended by SIGTERM (128 + 15), as a shell reports it.
TERMINATED_EXIT = 128 + signal.SIGTERM
#: Temporary entries without an owner pid in their name (older layouts) are swept after this long.
LEGACY_AGE_SECONDS = 24 * 3600


def die_with_parent(parent_pid: int) -> None:
    """In a freshly forked child: be killed when the parent ends; end at once if it already has.

    SIGTERM gets its default action back (the parent may have turned it into an exception).
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl
            pass
    if os.getppid() != parent_pid:  # the parent died between fork() and prctl()
        os._exit(1)


@contextmanager
def terminate_as_exit() -> Iterator[None]:
    """SIGTERM raises ``SystemExit(143)`` inside the block (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(TERMINATED_EXIT)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class Children:
    """Forked children of a block: ``add(pid)`` each; ``discard(pid)`` once reaped.  Leaving the
    block by an exception (SIGTERM turned into SystemExit, Ctrl-C, an error) kills and reaps the rest."""

    def __init__(self) -> None:
        self.pids: set[int] = set()

    def add(self, pid: int) -> None:
        self.pids.add(pid)

    def discard(self, pid: int) -> None:
        self.pids.discard(pid)

    def kill_all(self) -> None:
        for pid in list(self.pids):
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            self.pids.discard(pid)

    def __enter__(self) -> Children:
        return self

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        if exc_type is not None:
            self.kill_all()


def pid_namespace() -> str:
    """An identifier of this process's PID namespace (the inode of ``/proc/self/ns/pid``; ``0`` elsewhere)."""
    try:
        return str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        return "0"


def owned_name(prefix: str) -> str:
    """``<prefix><pid>-<namespace>-``: the start of a temporary name :func:`sweep_stale` can judge."""
    return f"{prefix}{os.getpid()}-{pid_namespace()}-"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    return True


def sweep_stale(directory: str | os.PathLike, prefix: str, suffix: str = "") -> list[Path]:
    """Remove entries ``<prefix><pid>-<namespace>-…<suffix>`` of ``directory`` whose process is dead
    (same PID namespace); returns them.

    Only entries of the current user are removed.  Entries named otherwise (older layouts without a
    pid, another PID namespace) are removed once older than :data:`LEGACY_AGE_SECONDS`.
    """
    removed: list[Path] = []
    try:
        entries = list(Path(directory).iterdir())
    except OSError:
        return removed
    uid = os.getuid() if hasattr(os, "getuid") else None
    now = time.time()
    namespace = pid_namespace()
    for p in entries:
        name = p.name
        if not name.startswith(prefix) or not name.endswith(suffix):
            continue
        try:
            st = p.lstat()
        except OSError:
            continue
        if uid is not None and st.st_uid != uid:
            continue
        parts = name[len(prefix) :].split("-", 2)
        if len(parts) == 3 and parts[0].isdigit() and parts[1] == namespace:
            if int(parts[0]) == os.getpid() or _alive(int(parts[0])):
                continue
        elif now - st.st_mtime < LEGACY_AGE_SECONDS:
            continue
        try:
            if p.is_dir() and not p.is_symlink():
                shutil.rmtree(p)
            else:
                p.unlink()
            removed.append(p)
        except OSError:
            continue
    return removed


@contextmanager
def run_temp_dir(prefix: str) -> Iterator[Path]:
    """A temporary folder ``<tmp>/<prefix><pid>-xxxx`` removed on exit; stale ones of dead runs are swept first."""
    sweep_stale(tempfile.gettempdir(), prefix)
    path = Path(tempfile.mkdtemp(prefix=owned_name(prefix)))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
