"""Progress of long steps (catalog compile, Arelle load and validation), reported through a hook.

The API never prints.  A caller that wants to show progress passes a :class:`ProgressHook` (any
object with ``start(step)`` and ``done(step, seconds)``) to :func:`reporting`, or to the API
entry points that take ``progress=`` (:func:`nbb_filing.api.generate`,
:func:`nbb_filing.checks.validate.validate_files`); for the duration of the call, the long steps deep
inside the API announce themselves with :func:`step`::

    with reporting(my_hook):
        load_catalog(info, "m82-f")      # my_hook.start("compiling catalog m82-f (Arelle)") ...

Without a hook, :func:`step` does nothing.  The hook lives in a context variable, so threads and
nested calls do not mix up their hooks.  :class:`TerminalProgress` is the CLI's hook: one status
line on stderr, only when stderr is a terminal.
"""

from __future__ import annotations

import contextvars
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Protocol


class ProgressHook(Protocol):
    def start(self, step: str) -> None: ...

    def done(self, step: str, seconds: float) -> None: ...


_hook: contextvars.ContextVar[ProgressHook | None] = contextvars.ContextVar("nbb_filing_progress", default=None)


@contextmanager
def reporting(hook: ProgressHook | None) -> Iterator[None]:
    """Send the steps announced inside this block to ``hook`` (``None``: keep the current hook)."""
    if hook is None:
        yield
        return
    token = _hook.set(hook)
    try:
        yield
    finally:
        _hook.reset(token)


@contextmanager
def step(what: str) -> Iterator[None]:
    """Announce a long step to the current hook (if any): ``start`` now, ``done`` when it ends.

    ``done`` is called when the step ends, also when it fails (the error message follows).
    """
    hook = _hook.get()
    if hook is None:
        yield
        return
    started = time.perf_counter()
    hook.start(what)
    try:
        yield
    finally:
        hook.done(what, time.perf_counter() - started)


class TerminalProgress:
    """One status line per step on ``stream`` (default: stderr), written only when it is a terminal.

    ``start`` writes ``… compiling catalog m82-f (Arelle)``; ``done`` rewrites the same line as
    ``compiling catalog m82-f (Arelle): 12.3 s``.  No thread, no animation: the line says what
    the tool is waiting for, and how long it took.
    """

    def __init__(self, stream: IO[str] | None = None, *, force: bool = False) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = force or _isatty(self.stream)
        self.open: str | None = None  # the step whose line has no newline yet

    def start(self, step: str) -> None:
        if not self.enabled:
            return
        if self.open is not None:  # a step inside another one: keep the outer line
            self.stream.write("\n")
        self.stream.write(f"… {step}")
        self.stream.flush()
        self.open = step

    def done(self, step: str, seconds: float) -> None:
        if not self.enabled:
            return
        if self.open == step:
            self.stream.write(f"\r\x1b[K{step}: {seconds:.1f} s\n")
        else:
            self.stream.write(f"{step}: {seconds:.1f} s\n")
        self.stream.flush()
        self.open = None


def _isatty(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False
