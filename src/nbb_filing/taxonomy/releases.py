"""Known official NBB taxonomy releases, the embedded replica package, and the framework of a closing date.

The facts live as data in ``taxonomies/releases.yaml`` (shipped in the wheel as
``nbb_filing/taxonomies/releases.yaml``; see :mod:`nbb_filing.core.shipped`): the official package versions
with their publication address when known, the frameworks with the date they are in force from, each
marked verified or not.  Nothing here is a datapoint: the package itself stays the only source of
taxonomy content.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nbb_filing.core.errors import PackageError
from nbb_filing.core.shipped import shipped_dir

RELEASES_FILE = "releases.yaml"
#: The one-line notice of every report made with a replica package ({version}: e.g. 22.19.3).
REPLICA_NOTICE = (
    "validated against the replica {version}, not an official NBB package: "
    "validate with the official package before upload"
)


@dataclass(frozen=True)
class FrameworkRelease:
    framework: str
    in_force_from: dt.date | None
    verified: bool
    source: str


@dataclass(frozen=True)
class PackageRelease:
    version: str
    address: str | None
    verified: bool
    source: str


@dataclass(frozen=True)
class Releases:
    """The content of ``releases.yaml``."""

    path: Path
    embedded_file: str
    embedded_replica_of: str
    address_pattern: str
    address_pattern_verified: bool
    packages: tuple[PackageRelease, ...]
    frameworks: tuple[FrameworkRelease, ...]

    def package(self, version: str) -> PackageRelease | None:
        return next((p for p in self.packages if p.version == version), None)

    def address(self, version: str) -> tuple[str, str]:
        """The download address of official ``version`` and a few words on where it comes from."""
        known = self.package(version)
        if known is not None and known.address:
            return known.address, f"listed in {self.path.name}, verified: {'yes' if known.verified else 'no'}"
        m = re.match(r"^(\d+)\.\d+(\.\d+)*$", version)
        if not m:
            raise PackageError(f"taxonomy version {version!r} is not of the form 26.0.15")
        url = self.address_pattern.format(year=2000 + int(m.group(1)), version=version)
        state = "listed" if known is not None else "not listed"
        return url, (
            f"{state} in {self.path.name}; address from its pattern, "
            f"verified: {'yes' if self.address_pattern_verified else 'no'}"
        )

    def in_force(self, closing: dt.date) -> FrameworkRelease | None:
        """The framework in force for accounts closed on ``closing`` (latest known date on or before it)."""
        dated = [f for f in self.frameworks if f.in_force_from is not None and f.in_force_from <= closing]
        return max(dated, key=lambda f: f.in_force_from or dt.date.min, default=None)


def _text(d: dict, key: str, where: str) -> str:
    v = d.get(key)
    if not isinstance(v, (str, int, float)):
        raise PackageError(f"{where}: {key} must be text")
    return str(v)


def _date(v: Any, where: str) -> dt.date | None:
    if v is None or isinstance(v, dt.date):
        return v
    raise PackageError(f"{where}: in_force_from must be a date (YYYY-MM-DD) or null")


def parse_releases(data: Any, path: Path) -> Releases:
    """Check and convert the parsed YAML of ``releases.yaml`` (one-line :class:`PackageError` otherwise)."""
    name = path.name
    if not isinstance(data, dict) or data.get("version") != 1:
        raise PackageError(f"{name}: not a releases file of version 1")
    emb = data.get("embedded") or {}
    packages = tuple(
        PackageRelease(_text(p, "version", name), p.get("address"), p.get("verified") is True, str(p.get("source", "")))
        for p in data.get("packages") or ()
    )
    frameworks = tuple(
        FrameworkRelease(
            _text(f, "framework", name),
            _date(f.get("in_force_from"), name),
            f.get("verified") is True,
            str(f.get("source", "")),
        )
        for f in data.get("frameworks") or ()
    )
    return Releases(
        path=path,
        embedded_file=_text(emb, "file", name),
        embedded_replica_of=_text(emb, "replica_of", name),
        address_pattern=_text(data, "address_pattern", name),
        address_pattern_verified=data.get("address_pattern_verified") is True,
        packages=packages,
        frameworks=frameworks,
    )


def load_releases() -> Releases:
    """The releases data of this installation."""
    base = shipped_dir("taxonomies")
    if base is None or not (base / RELEASES_FILE).is_file():
        raise PackageError(f"this installation has no taxonomies/{RELEASES_FILE} (reinstall nbb-filing)")
    path = base / RELEASES_FILE
    try:
        # libyaml's safe loader when PyYAML has it (same schema; read on every generate)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, yaml.YAMLError) as e:
        raise PackageError(f"{path}: unreadable releases data ({e})") from None
    return parse_releases(data, path)


def embedded_package_path() -> Path | None:
    """The replica package shipped with nbb-filing (``taxonomies/<file>``), or ``None`` when absent."""
    base = shipped_dir("taxonomies")
    if base is None or not (base / RELEASES_FILE).is_file():
        return None
    p = base / load_releases().embedded_file
    return p if p.is_file() else None


# ---------------------------------------------------------------------------- replica packages


def replica_of(name: str, version: str) -> str | None:
    """The official version a replica package stands in for (``22.19.3``), ``None`` for an official one.

    A replica says so in its own metadata: the package version ``22.19.3-replica.3`` or a name
    containing ``(replica)``.
    """
    m = re.match(r"^(?P<v>[\d.]+)-replica\b", version)
    if m:
        return m.group("v")
    if "replica" in name.lower():
        found = re.search(r"\d+\.\d+(\.\d+)?", name)
        return found.group(0) if found else version
    return None


def replica_notice(name: str, version: str) -> str | None:
    """The one line every report made with a replica carries, or ``None`` for an official package."""
    of = replica_of(name, version)
    return REPLICA_NOTICE.format(version=of) if of else None


# ---------------------------------------------------------------------------- framework of a closing date


def _fw_key(v: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-]", v))


def framework_for_closing(
    carried: tuple[str, ...],
    closing: dt.date,
    *,
    package_label: str,
    replica: str | None = None,
    releases: Releases | None = None,
) -> tuple[str, str | None]:
    """The framework of a package to use for accounts closed on ``closing``, and a notice or ``None``.

    The framework in force for the closing date (``releases.yaml``) when the package carries it;
    otherwise the newest framework the package carries, with a one-line notice saying why.
    """
    if not carried:
        raise PackageError(f"{package_label}: the package carries no framework")
    rel = releases or load_releases()
    newest = max(carried, key=_fw_key)
    target = rel.in_force(closing)
    if target is not None and target.framework in carried:
        return target.framework, None
    due = (
        f"framework {target.framework} is in force for closing date {closing.isoformat()} "
        f"({rel.path.name}, verified: {'yes' if target.verified else 'no'})"
        if target is not None
        else f"no framework of {rel.path.name} has a known in-force date on or before {closing.isoformat()}"
    )
    if replica:
        return newest, f"{due}; the replica {replica} carries only framework {', '.join(carried)}: using fws/{newest}"
    return newest, f"{due}; {package_label} does not carry it: using fws/{newest}, the newest it carries"
