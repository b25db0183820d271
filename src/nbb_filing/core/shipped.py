"""Finding what the project ships beside the code: ``mappings/`` and ``taxonomies/``.

The documented home of the shipped mappings and of the embedded replica taxonomy package is the
top of the repository (``mappings/``, ``taxonomies/``).  Two kinds of installation must find them:

- a **wheel** (``pip install .``): the build puts both folders into the package, as
  ``nbb_filing/mappings/`` and ``nbb_filing/taxonomies/`` (package data; path rewrites declared in
  ``pyproject.toml``, no build code);
- an **editable install or a source checkout** (``pip install -e .``, ``PYTHONPATH=src``): the
  package folder has no copy, so the folders are looked up at the root of the source tree, the first
  parent of this file that holds ``pyproject.toml`` and the folder.

Package data is tried first, so that a wheel installed into a virtual environment that happens to
live inside a clone still uses its own copy.
"""

from __future__ import annotations

from pathlib import Path

#: The folders shipped beside the code (the wheel carries these inside the package).
SHIPPED_FOLDERS = ("mappings", "taxonomies")


def _package_dir() -> Path:
    """The ``nbb_filing`` package folder (this module lives in ``nbb_filing/core/``)."""
    return Path(__file__).resolve().parents[1]


def shipped_dir(name: str) -> Path | None:
    """The folder ``name`` (``"mappings"`` or ``"taxonomies"``) of this installation, or ``None``."""
    if name not in SHIPPED_FOLDERS:
        raise ValueError(f"not a shipped folder: {name!r}")
    inside = _package_dir() / name
    if inside.is_dir():
        return inside
    for parent in _package_dir().parents:
        if (parent / "pyproject.toml").is_file() and (parent / name).is_dir():
            return parent / name
    return None


def shipped_file(folder: str, name: str) -> Path | None:
    """The file ``folder/name`` of this installation when it exists, else ``None``."""
    base = shipped_dir(folder)
    if base is None:
        return None
    p = base / name
    return p if p.is_file() else None


def shipped_mapping(name: str) -> Path | None:
    """The shipped mapping called ``name`` (``with-capital``, ``without-capital``, ``association``)."""
    if not name or "/" in name or "\\" in name or name.startswith("."):
        return None
    stem = name[:-5] if name.endswith(".yaml") else name
    return shipped_file("mappings", f"{stem}.yaml")


def shipped_mapping_names() -> tuple[str, ...]:
    base = shipped_dir("mappings")
    if base is None:
        return ()
    return tuple(sorted(p.stem for p in base.glob("*.yaml")))
