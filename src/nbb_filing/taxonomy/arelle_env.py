"""One place that starts Arelle: in-process, offline, with one NBB taxonomy package.

Arelle keeps its taxonomy-package remappings in a process-wide singleton, so this module keeps one
controller per process and switches packages explicitly.  Arelle always runs offline here: without
``workOffline`` it tries to download schemas it already bundles, and hangs or fails on machines
without internet.  Log records are captured in memory (:class:`CapturedLog`) because validity is
decided from the logged messages, never from Arelle's return values.
"""

from __future__ import annotations

import logging
import os
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nbb_filing.core.errors import PackageError
from nbb_filing.taxonomy.packages import PackageInfo

#: The Arelle releases nbb-filing's speed-ups were verified with: ``checks/`` replaces some of
#: Arelle's private functions during a validation (``dts_prechecked``, ``taxonomy_checked``,
#: ``dimension_hints``, ``warm_dts``) and ``tests/test_differential.py`` compares the result with
#: plain Arelle.  Another release may change those functions; it then runs as plain Arelle (every
#: file loaded from scratch, nothing replaced) with a note in the report.  ``pyproject.toml``
#: allows any 2.x from 2.47, so that the tool still installs.
VERIFIED_ARELLE = ("2.47.3",)

#: Arelle keeps process-wide state (one controller, global log handlers): every use holds this lock.
LOCK = threading.RLock()
_cntlr: Any = None
_active_sha: str | None = None


@dataclass
class LogRecord:
    """One Arelle log message, reduced to what we need to classify it."""

    level: str
    code: str
    message: str
    args: dict[str, Any] = field(default_factory=dict)
    refs: list[dict[str, Any]] = field(default_factory=list)


class CapturedLog(logging.Handler):
    """A logging handler that keeps Arelle's records (with ``messageCode``) in a list."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:  # noqa: D401 - logging API
        try:
            msg = record.getMessage()
        except Exception:  # pragma: no cover - malformed args in a third-party message
            msg = str(record.msg)
        args = getattr(record, "messageArgs", None)
        self.records.append(
            LogRecord(
                level=record.levelname.lower(),
                code=getattr(record, "messageCode", "") or "",
                message=msg,
                args=dict(args) if isinstance(args, dict) else {},
                refs=list(getattr(record, "refs", []) or []),
            )
        )

    def errors(self) -> list[LogRecord]:
        return [r for r in self.records if r.level in ("error", "critical", "fatal")]


def arelle_version() -> str:
    """The installed Arelle release (``arelle-release`` distribution), e.g. ``"2.47.3"``."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("arelle-release")
    except PackageNotFoundError:  # pragma: no cover - Arelle installed from source
        from arelle import Version

        return str(getattr(Version, "__version__", "unknown"))


def speedups_verified() -> bool:
    """Whether the installed Arelle is one the speed-ups were verified with (:data:`VERIFIED_ARELLE`)."""
    return arelle_version() in VERIFIED_ARELLE


def plain_arelle_note() -> str | None:
    """The report's note when the installed Arelle runs plain (not a verified release); None otherwise."""
    if speedups_verified():
        return None
    return (
        f"Arelle {arelle_version()} is not a release nbb-filing was verified with ({', '.join(VERIFIED_ARELLE)}): "
        "validated with plain Arelle (slower: no taxonomy kept between files, none of Arelle's functions replaced)"
    )


def arelle_home() -> Path:
    """Arelle's configuration and web-cache folder: ``<data home>/arelle``, the user's own (0700).

    Arelle's cache is read before its bundled schemas, so a folder another local user can write
    (a shared temporary folder) would let them change validation results.  A folder owned by
    someone else, or a symbolic link, is refused; one opened to others is closed again.
    """
    from nbb_filing.taxonomy.packages import data_home

    folder = data_home() / "arelle"
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        folder.mkdir(mode=0o700, exist_ok=True)
        st = folder.lstat()
    except OSError as e:
        raise PackageError(f"{folder}: cannot make Arelle's cache folder ({e.strerror or e})") from None
    if not stat.S_ISDIR(st.st_mode):
        raise PackageError(f"{folder}: refused as Arelle's cache, not a folder (a symbolic link or a file); remove it")
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        raise PackageError(f"{folder}: refused as Arelle's cache, it belongs to another user (uid {st.st_uid})")
    if stat.S_IMODE(st.st_mode) & 0o077:
        folder.chmod(0o700)
    return folder


def controller() -> Any:
    """The process-wide Arelle controller (created on first use), offline, its cache in
    :func:`arelle_home`."""
    global _cntlr
    with LOCK:
        if _cntlr is None:
            from arelle import Cntlr, PackageManager

            app_dir = arelle_home()
            # Arelle takes its folder from XDG_CONFIG_HOME when it starts; set for that moment only
            before = os.environ.get("XDG_CONFIG_HOME")
            os.environ["XDG_CONFIG_HOME"] = str(app_dir)
            try:
                c = Cntlr.Cntlr(hasGui=False, logFileName="logToBuffer", disable_persistent_config=True)
            finally:
                if before is None:
                    os.environ.pop("XDG_CONFIG_HOME", None)
                else:
                    os.environ["XDG_CONFIG_HOME"] = before
            c.webCache.workOffline = True
            # Arelle's own buffer handler would grow forever; our handlers capture per job.
            c.logger.setLevel(logging.DEBUG)
            for h in list(c.logger.handlers):
                c.logger.removeHandler(h)
            c.logger.addHandler(logging.NullHandler())
            PackageManager.init(c, loadPackagesConfig=False)
            _cntlr = c
        return _cntlr


def use_package(info: PackageInfo) -> Any:
    """Make ``info`` the only active taxonomy package; returns the controller."""
    global _active_sha
    with LOCK:
        c = controller()
        if _active_sha != info.sha256:
            from arelle import PackageManager

            PackageManager.reset()
            PackageManager.init(c, loadPackagesConfig=False)
            added = PackageManager.addPackage(c, str(info.path))
            if not added:
                raise PackageError(f"{info.path}: Arelle could not open this taxonomy package")
            PackageManager.rebuildRemappings(c)
            _active_sha = info.sha256
        return c


@contextmanager
def capture() -> Iterator[CapturedLog]:
    """Capture the Arelle log records emitted inside the ``with`` block."""
    c = controller()
    handler = CapturedLog()
    c.logger.addHandler(handler)
    try:
        yield handler
    finally:
        c.logger.removeHandler(handler)


@contextmanager
def replaced(*replacements: tuple[Any, str, Any]) -> Iterator[None]:
    """Inside the block, each ``(owner, name, function)`` puts ``function`` in place of Arelle's
    ``owner.name`` (a module function or a class's method); the originals are back afterwards."""
    originals = [(owner, name, getattr(owner, name)) for owner, name, _ in replacements]
    try:
        for owner, name, function in replacements:
            setattr(owner, name, function)
        yield
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


@contextmanager
def skipping(patterns: tuple[str, ...] = ()) -> Iterator[None]:
    """Inside the block, Arelle does not load documents whose URL matches one of the file-name
    ``patterns`` (``fnmatch`` style, e.g. ``*-rend.xml``), as ``arelleCmdLine --skipLoading`` does."""
    import fnmatch
    import re

    with LOCK:
        mm = controller().modelManager
        before = mm.skipLoading
        mm.skipLoading = re.compile("|".join(fnmatch.translate(p) for p in patterns)) if patterns else None
        try:
            yield
        finally:
            mm.skipLoading = before


def load(info: PackageInfo, url: str, log: CapturedLog | None = None, skip: tuple[str, ...] = ()) -> Any:
    """Load ``url`` (an entry point or an instance) with package ``info`` active; returns ModelXbrl.

    ``skip``: file-name patterns of taxonomy documents not to load (see :func:`skipping`).
    Raises :class:`PackageError` when Arelle cannot load the document at all.
    """
    with LOCK, skipping(skip):
        c = use_package(info)
        from arelle import FileSource

        fs = FileSource.openFileSource(url, c)
        model = c.modelManager.load(fs, "loading")
        if model is None or model.modelDocument is None:
            detail = ""
            if log is not None and log.errors():
                detail = f": {log.errors()[0].code} {log.errors()[0].message}"
            raise PackageError(f"Arelle could not load {url} with package {info.path.name}{detail}")
        return model
