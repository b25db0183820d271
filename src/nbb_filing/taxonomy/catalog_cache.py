"""Where catalogs come from: memory, the on-disk cache, or a compilation with Arelle.

:func:`load_catalog` is the one way in.  A compilation costs one Arelle load of the model (seconds),
so its result is written as JSON per (package SHA-256, framework, model) in the user data directory,
with an integrity header (:mod:`nbb_filing.core.checked_json`).  A cache file is never trusted
blindly: a damaged, stale, foreign or wrongly shaped one is recompiled and rewritten whole.  Every
catalog handed out carries :func:`load_catalog` as its loader, so that :meth:`Catalog.sibling` can
reach the other models of the same package without the catalog module knowing this one.
"""

from __future__ import annotations

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
