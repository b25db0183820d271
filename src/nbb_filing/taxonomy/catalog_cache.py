"""Where catalogs come from: memory, the on-disk cache, or a compilation with Arelle.

:func:`load_catalog` is the one way in.  A compilation costs one Arelle load of the model (seconds),
so its result is written as JSON per (package SHA-256, framework, model) in the user data directory,
with an integrity header (:mod:`nbb_filing.core.checked_json`).  A cache file is never trusted
blindly: a damaged, stale, foreign or wrongly shaped one is recompiled and rewritten whole.  Every
catalog handed out carries :func:`load_catalog` as its loader, so that :meth:`Catalog.sibling` can
reach the other models of the same package without the catalog module knowing this one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from nbb_filing.core.checked_json import read_checked_json, write_checked_json
from nbb_filing.core.errors import NbbFilingError
from nbb_filing.taxonomy.catalog import CACHE_FORMAT, Catalog
from nbb_filing.taxonomy.compile import compile_catalog
from nbb_filing.taxonomy.packages import PackageInfo, cache_dir


def _cache_path(info: PackageInfo, model: str, framework: str) -> Path:
    return cache_dir() / "catalogs" / info.sha256 / f"{framework}-{model}.json"


_memory: dict[tuple[str, str, str], Catalog] = {}


def load_catalog(info: PackageInfo, model: str, framework: str | None = None, *, use_cache: bool = True) -> Catalog:
    """The catalog of ``model`` (e.g. ``"m82-f"``) in package ``info``: from memory, disk, or Arelle."""
    ep = info.entry_point(model, framework)
    mkey = (info.sha256, ep.framework, model)
    if use_cache and mkey in _memory:
        return _memory[mkey]
    path = _cache_path(info, model, ep.framework)
    cat: Catalog | None = None
    if use_cache and path.is_file():
        cat = _read_cached(path, info, model, ep.framework)  # None: damaged, stale or foreign, recompiled
    if cat is None:
        from nbb_filing.core.progress import step

        with step(f"compiling catalog {model} (Arelle, once per package)"):
            cat = compile_catalog(info, model, ep.framework)
        try:
            write_checked_json(path, "catalog", CACHE_FORMAT, cat.to_json())
        except OSError:
            pass  # a read-only cache directory only costs time
    cat = cat.with_loader(load_catalog)
    _memory[mkey] = cat
    return cat


def _read_cached(path: Path, info: PackageInfo, model: str, framework: str) -> Catalog | None:
    """The cached catalog at ``path`` if its header, digest and content check out (see :mod:`.checked_json`)."""
    data = read_checked_json(path, "catalog", CACHE_FORMAT)
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or data.get("package_sha256") != info.sha256:
        return None
    if (data.get("model"), data.get("framework")) != (model, framework):
        return None
    try:
        cat = Catalog.from_json(data, package=info)
    except Exception:  # any wrong shape: the cache is rebuilt, never trusted
        return None
    return cat if cat.datapoints and cat.metrics else None


def clear_memory_cache() -> None:
    _memory.clear()


def cached_catalog(info: PackageInfo, model: str, framework: str | None = None) -> Catalog | None:
    """The catalog of ``model`` when it costs no compilation (in memory or in the cache), else ``None``.

    For callers to whom a catalog is a nicety (the page's label fallback), not worth seconds of Arelle.
    """
    try:
        ep = info.entry_point(model, framework)
    except NbbFilingError:  # no such model in this framework
        return None
    mkey = (info.sha256, ep.framework, model)
    if mkey not in _memory:
        path = _cache_path(info, model, ep.framework)
        cat = _read_cached(path, info, model, ep.framework) if path.is_file() else None
        if cat is None:
            return None  # absent, damaged or stale: a compilation, which is not wanted here
        _memory[mkey] = cat.with_loader(load_catalog)
    return _memory[mkey]


def load_catalogs(
    info: PackageInfo,
    models: list[str],
    framework: str | None = None,
    *,
    meanwhile: Callable[[], object] | None = None,
) -> list[Catalog]:
    """The catalogs of ``models`` (as :func:`load_catalog`), those not cached yet compiled side by side.

    A compilation is one Arelle load plus a walk of every table, all in one thread: seconds of one
    core.  A newcomer's first ``generate`` of an abbreviated model needs two (the model's, and the
    full model's that the mapping's rules target), so where ``os.fork`` exists and the machine has
    more than one core, each missing catalog but the first is compiled in a forked child that
    writes it to the cache, while this process compiles the first; this process then reads them
    from the cache.  A child that fails costs nothing but time: its catalog is compiled here.

    ``meanwhile``: other work of this process that needs no catalog (``generate --validate`` loads
    the taxonomy its validation will run on).  When a catalog is missing and children can be
    forked, this process runs ``meanwhile`` while children compile every missing catalog;
    otherwise ``meanwhile`` is not called at all.
    """
    wanted = list(dict.fromkeys(models))
    missing = [m for m in wanted if _missing(info, m, framework)]
    if missing and (len(missing) > 1 or meanwhile is not None) and _parallel_available():
        _compile_side_by_side(info, missing, framework, meanwhile)
    return [load_catalog(info, m, framework) for m in models]


def _missing(info: PackageInfo, model: str, framework: str | None) -> bool:
    try:
        ep = info.entry_point(model, framework)
    except NbbFilingError:
        return False  # load_catalog reports it
    return (info.sha256, ep.framework, model) not in _memory and not _cache_path(info, model, ep.framework).is_file()


def _parallel_available() -> bool:
    import os
    import sys

    return hasattr(os, "fork") and sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


def _compile_side_by_side(
    info: PackageInfo, models: list[str], framework: str | None, meanwhile: Callable[[], object] | None = None
) -> None:
    """Compile ``models`` into the cache in forked children.

    Without ``meanwhile``, the first is compiled here and the others in children.  With it, all are
    compiled in children while this process runs ``meanwhile``, and the first model's child runs
    at a lower priority (``nice`` 10): the first is the dossier's own model, never larger than the
    mapping's full model that follows it, so the longest compile and ``meanwhile`` keep the two
    cores and the smaller compile takes what they leave.  (Measured on an m81-f first run: three
    equal processes, ~0.9 s more to the last catalog; this process doing ``meanwhile`` and then
    the smaller compile itself, ~0.45 s more.)"""
    import os

    from nbb_filing.core.lifetime import Children, die_with_parent
    from nbb_filing.core.progress import reporting, step

    _prime(info)
    parent = os.getpid()
    in_children = models if meanwhile is not None else models[1:]
    with Children() as children, step(f"compiling catalogs {', '.join(models)} (Arelle, once per package)"):
        for model in in_children:
            pid = os.fork()
            if pid == 0:  # the child: compile into the cache, leave without cleanup handlers
                code = 1
                try:
                    die_with_parent(parent)
                    if meanwhile is not None and model == models[0] and len(models) > 1:
                        _lower_priority()
                    with reporting(_Silent()):  # one status line on the terminal: the parent's
                        load_catalog(info, model, framework)
                    code = 0
                except BaseException:  # noqa: BLE001 - the parent compiles it again and reports
                    pass
                finally:
                    os._exit(code)
            children.add(pid)
        if meanwhile is not None:
            meanwhile()
        else:
            load_catalog(info, models[0], framework)
        for pid in list(children.pids):
            os.waitpid(pid, 0)
            children.discard(pid)


def _lower_priority() -> None:
    import os

    try:
        os.nice(10)
    except OSError:
        pass  # only time is at stake


def _prime(info: PackageInfo) -> None:
    """Start Arelle's controller with the package active before forking (~0.5 s of CPU), so that every
    child inherits it instead of starting its own.  No file of the package stays open: a child never
    shares a file position with this process."""
    from nbb_filing.taxonomy import arelle_env

    arelle_env.use_package(info)


class _Silent:
    """A progress hook that shows nothing (a forked child's steps)."""

    def start(self, step: str) -> None:
        pass

    def done(self, step: str, seconds: float) -> None:
        pass
