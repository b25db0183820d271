"""Finding, checking and installing NBB taxonomy packages.

An NBB taxonomy package is a ZIP that follows XBRL Taxonomy Packages 1.0: one top folder holding
``META-INF/taxonomyPackage.xml`` (name, version, entry points) and ``META-INF/catalog.xml`` (URL
rewrites so that ``http://www.nbb.be/...`` resolves inside the ZIP).  Nothing here knows a datapoint:
this module only locates a package and lists what it declares.

Resolution order for the package used by a command: the ``--taxonomy PATH`` option, then the
environment variable ``NBB_FILING_TAXONOMY``, then the newest package installed in the user data
directory (``NBB_FILING_HOME`` overrides that directory, which tests and CI use), then the replica
package embedded in nbb-filing (``taxonomies/``, see :mod:`nbb_filing.taxonomy.releases`).  Relative paths in
``NBB_FILING_TAXONOMY`` and ``NBB_FILING_HOME`` are resolved once, against the working directory the
process started in (:func:`pin_environment`, called by the CLI at start).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from nbb_filing.core.atomic import current_umask
from nbb_filing.core.errors import ModelNotFound, PackageError
from nbb_filing.core.lifetime import (
    owned_name,
    run_temp_dir,
    sweep_stale,
    terminate_as_exit,
)
from nbb_filing.taxonomy.filing_xml import refuse_dtd, refuse_parsed_dtd
from nbb_filing.taxonomy.releases import (
    embedded_package_path,
    load_releases,
    replica_notice,
)

TP_NS = "http://xbrl.org/2016/taxonomy-package"
ENV_PACKAGE = "NBB_FILING_TAXONOMY"
ENV_HOME = "NBB_FILING_HOME"

#: Largest uncompressed size we accept for a whole package (the official one is ~60 MB zipped).
MAX_UNCOMPRESSED = 2 * 1024**3
#: Name start of a package being copied into the packages folder (``.partial-<pid>-xxxx.zip.tmp``).
PARTIAL_PREFIX = ".partial-"
#: Largest compression ratio of one entry: beyond this a "ZIP bomb" is more likely than XML (the
#: NBB's XML expands at most ~75x: 74x for the largest linkbase of the 22.19 replica).
MAX_RATIO = 200


def _cwd_or_none() -> Path | None:
    try:
        return Path.cwd()
    except OSError:  # the working directory was removed
        return None


#: The working directory when nbb-filing was first imported: relative package paths are resolved here.
START_DIR = _cwd_or_none()

#: Entries smaller than this (uncompressed) are not held to MAX_RATIO: a small file of repeated
#: bytes compresses further than 200x and is harmless; the total is capped by MAX_UNCOMPRESSED.
RATIO_CHECK_FROM_BYTES = 64 * 1024

_ENTRY_RE = re.compile(r"/fws/(?P<fw>[^/]+)/mod/(?P<mod>[^/]+)/(?P<model>[^/]+)\.xsd$")


@dataclass(frozen=True)
class EntryPoint:
    """One entry point of a package: a model and part (``m82-f``) in one framework (``22.19``)."""

    model: str
    framework: str
    url: str
    name: str


@dataclass(frozen=True)
class PackageInfo:
    """What a package declares, plus the SHA-256 of the ZIP (the key of every cache)."""

    path: Path
    sha256: str
    identifier: str
    name: str
    version: str
    entry_points: tuple[EntryPoint, ...]

    @property
    def frameworks(self) -> tuple[str, ...]:
        return tuple(sorted({e.framework for e in self.entry_points}, key=_version_key))

    @property
    def models(self) -> tuple[str, ...]:
        return tuple(sorted({e.model for e in self.entry_points}))

    def entry_point(self, model: str, framework: str | None = None) -> EntryPoint:
        """The entry point of ``model``; the newest framework unless ``framework`` is given."""
        candidates = [e for e in self.entry_points if e.model == model]
        if framework is not None:
            candidates = [e for e in candidates if e.framework == framework]
        if not candidates:
            known = ", ".join(self.models) or "none"
            where = f" in framework {framework}" if framework else ""
            raise ModelNotFound(f"model {model!r}{where} is not in taxonomy package {self.path.name} (models: {known})")
        return max(candidates, key=lambda e: _version_key(e.framework))

    @property
    def replica_notice(self) -> str | None:
        """The one-line notice of reports made with a replica package; ``None`` for an official one."""
        return replica_notice(self.name, self.version)

    def to_json(self) -> dict:
        d = asdict(self)
        d["path"] = str(self.path)
        return d

    @classmethod
    def from_json(cls, d: dict) -> PackageInfo:
        return cls(
            path=Path(d["path"]),
            sha256=d["sha256"],
            identifier=d["identifier"],
            name=d["name"],
            version=d["version"],
            entry_points=tuple(EntryPoint(**e) for e in d["entry_points"]),
        )


def _version_key(v: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"[.\-]", v))


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _safe_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def inspect_package(path: str | os.PathLike) -> PackageInfo:
    """Check that ``path`` is a safe taxonomy package ZIP and read its metadata.

    Refuses (with :class:`PackageError`): a missing file, a file that is not a ZIP, entries whose
    name escapes the package (absolute, ``..``), absurd uncompressed sizes or ratios, and a ZIP
    without ``META-INF/taxonomyPackage.xml`` and ``META-INF/catalog.xml``.
    """
    p = Path(path)
    if not p.is_file():
        raise PackageError(f"{p}: no such taxonomy package file")
    try:
        zf = zipfile.ZipFile(p)
    except (zipfile.BadZipFile, OSError) as e:
        raise PackageError(f"{p}: not a ZIP file ({e})") from None
    with zf:
        infos = zf.infolist()
        total = 0
        for info in infos:
            name = info.filename
            pure = PurePosixPath(name.replace("\\", "/"))
            if pure.is_absolute() or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
                raise PackageError(f"{p}: refused, entry {name!r} escapes the package folder")
            total += info.file_size
            if info.file_size >= RATIO_CHECK_FROM_BYTES and info.file_size > MAX_RATIO * info.compress_size:
                ratio = info.file_size // max(info.compress_size, 1)
                raise PackageError(f"{p}: refused, entry {name!r} expands {ratio}x, more than {MAX_RATIO}x (ZIP bomb?)")
        if total > MAX_UNCOMPRESSED:
            raise PackageError(f"{p}: refused, uncompressed size {total} bytes exceeds {MAX_UNCOMPRESSED}")
        names = {i.filename for i in infos}
        meta = [n for n in names if n.endswith("META-INF/taxonomyPackage.xml") and n.count("/") <= 2]
        if not meta:
            raise PackageError(f"{p}: not a taxonomy package (no META-INF/taxonomyPackage.xml)")
        meta_name = sorted(meta, key=len)[0]
        top = meta_name[: -len("META-INF/taxonomyPackage.xml")]
        if top + "META-INF/catalog.xml" not in names:
            raise PackageError(f"{p}: not a taxonomy package (no META-INF/catalog.xml beside taxonomyPackage.xml)")
        _refuse_outside_rewrites(zf, top + "META-INF/catalog.xml", p)
        try:
            meta_bytes = zf.read(meta_name)
            refuse_dtd(meta_bytes, f"{p}: {meta_name}", PackageError)
            root = etree.fromstring(meta_bytes, _safe_parser())
            refuse_parsed_dtd(root.getroottree(), f"{p}: {meta_name}", PackageError)
        except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError) as e:
            raise PackageError(f"{p}: unreadable {meta_name} ({e})") from None
    if root.tag != f"{{{TP_NS}}}taxonomyPackage":
        raise PackageError(f"{p}: {meta_name} is not a taxonomy package description")

    def text(tag: str) -> str:
        el = root.find(f"{{{TP_NS}}}{tag}")
        return (el.text or "").strip() if el is not None else ""

    entry_points: list[EntryPoint] = []
    for ep in root.iter(f"{{{TP_NS}}}entryPoint"):
        name_el = ep.find(f"{{{TP_NS}}}name")
        for doc in ep.iter(f"{{{TP_NS}}}entryPointDocument"):
            href = doc.get("href", "")
            m = _ENTRY_RE.search(href)
            if m:
                entry_points.append(
                    EntryPoint(
                        model=m.group("model"),
                        framework=m.group("fw"),
                        url=href,
                        name=(name_el.text or "").strip() if name_el is not None else m.group("model"),
                    )
                )
    if not entry_points:
        raise PackageError(f"{p}: taxonomy package declares no NBB model entry point (fws/<version>/mod/...)")
    version = text("version") or "unknown"
    return PackageInfo(
        path=p.resolve(),
        sha256=sha256_of(p),
        identifier=text("identifier"),
        name=text("name"),
        version=version,
        entry_points=tuple(sorted(entry_points, key=lambda e: (e.model, _version_key(e.framework)))),
    )


_CATALOG_NS = "urn:oasis:names:tc:entity:xmlns:xml:catalog"


def _refuse_outside_rewrites(zf: zipfile.ZipFile, catalog_name: str, p: Path) -> None:
    """Raise :class:`PackageError` when the package's ``catalog.xml`` rewrites a URL to a place
    outside the package (an absolute path or URL, or ``..`` above the ZIP's top): Arelle would then
    read schemas from the local disk instead of the package."""
    try:
        data = zf.read(catalog_name)
        refuse_dtd(data, f"{p}: {catalog_name}", PackageError)
        root = etree.fromstring(data, _safe_parser())
    except (etree.XMLSyntaxError, zipfile.BadZipFile, OSError) as e:
        raise PackageError(f"{p}: unreadable {catalog_name} ({e})") from None
    folder = PurePosixPath(catalog_name).parent
    for el in root.iter():
        prefix = el.get("rewritePrefix") if isinstance(el.tag, str) else None
        if prefix is None:
            continue
        parts: list[str] = []
        inside = not (prefix.startswith(("/", "\\")) or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", prefix))
        for part in (*folder.parts, *PurePosixPath(prefix.replace("\\", "/")).parts):
            if part == "..":
                if not parts:
                    inside = False
                    break
                parts.pop()
            elif part not in (".", "/"):
                parts.append(part)
        if not inside:
            raise PackageError(
                f"{p}: refused, {catalog_name} rewrites {el.get('uriStartString') or el.get('systemIdStartString')!r} "
                f"to {prefix[:80]!r}, outside the package"
            )


# --------------------------------------------------------------------------- user data directory


def _from_start(value: str) -> Path:
    """``value`` as a path, a relative one taken against the directory the process started in."""
    p = Path(value).expanduser()
    if p.is_absolute() or START_DIR is None:
        return p
    return START_DIR / p


def pin_environment() -> None:
    """Make relative ``NBB_FILING_TAXONOMY`` / ``NBB_FILING_HOME`` absolute, once, at start.

    Later changes of the working directory (a test, a library caller) and child processes then see
    the same files.
    """
    for var in (ENV_PACKAGE, ENV_HOME):
        value = os.environ.get(var)
        if value:
            os.environ[var] = str(_from_start(value))


def data_home() -> Path:
    """Where installed packages and compiled catalogs live (``NBB_FILING_HOME`` overrides).

    Raises :class:`PackageError` (one line) when the path, or its nearest existing parent, is not a
    directory (e.g. ``NBB_FILING_HOME`` names a regular file).
    """
    env = os.environ.get(ENV_HOME)
    if env:
        home = _from_start(env)
    else:
        import platformdirs

        home = Path(platformdirs.user_data_dir("nbb-filing", appauthor=False))
    probe = home
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if not probe.is_dir():
        what = f"{ENV_HOME}={env}" if env else f"the data directory {home}"
        raise PackageError(f"{what}: {probe} is not a directory (point {ENV_HOME} at a directory)")
    return home


def cache_dir() -> Path:
    return data_home() / "cache"


def _registry_path() -> Path:
    return data_home() / "packages" / "installed.json"


def _read_registry() -> tuple[list[PackageInfo], bool]:
    """The packages the registry lists (whose ZIP still exists), and whether the registry is damaged
    (unreadable, not JSON, or of the wrong shape: such entries are skipped, never an internal error)."""
    reg = _registry_path()
    if not reg.exists():
        return [], False
    try:
        data = json.loads(reg.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return [], True
    entries = data.get("packages") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        return [], True
    out, damaged = [], False
    for d in entries:
        try:
            pk = PackageInfo.from_json(d)
            if not (isinstance(pk.sha256, str) and isinstance(pk.version, str) and pk.entry_points):
                raise TypeError("incomplete entry")
        except Exception:  # any wrong shape
            damaged = True
            continue
        if pk.path.is_file():
            out.append(pk)
    return out, damaged


def installed_packages(*, strict: bool = False) -> list[PackageInfo]:
    """The installed packages; a damaged registry is tolerated (its bad entries are skipped;
    ``taxonomy install`` repairs it), unless ``strict``: then it raises :class:`PackageError`
    saying so (a listing must not read "nothing installed" when it cannot tell)."""
    pkgs, damaged = _read_registry()
    if damaged and strict:
        raise PackageError(
            f"the package registry {_registry_path()} is damaged (unreadable or of the wrong shape); "
            "nbb-filing taxonomy install --from FILE.zip repairs it"
        )
    return pkgs


def _rebuild_registry(dest_dir: Path, known: list[PackageInfo]) -> list[PackageInfo]:
    """``known`` plus every package ZIP in ``dest_dir`` the registry lost (checked again)."""
    have = {pk.path.resolve() for pk in known}
    out = list(known)
    for z in sorted(dest_dir.glob("*.zip")):
        if z.resolve() in have:
            continue
        try:
            out.append(PackageInfo(**{**inspect_package(z).__dict__, "path": z.resolve()}))
        except PackageError:
            continue  # not a package (or not one any more): left alone
    return out


def _write_json_atomic(path: Path, data: object) -> None:
    from nbb_filing.core.atomic import write_atomic

    write_atomic(path, json.dumps(data, indent=1, sort_keys=True))


def install_package(source: str | os.PathLike) -> PackageInfo:
    """Check ``source`` and copy it into the user data directory; returns the installed package."""
    info = inspect_package(source)
    dest_dir = data_home() / "packages"
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / f"{info.sha256[:12]}-{Path(source).name}"
    # copies interrupted by a kill in earlier runs (their owner pid is dead) are removed; "tmp…" is the old naming
    sweep_stale(dest_dir, PARTIAL_PREFIX, ".zip.tmp")
    sweep_stale(dest_dir, "tmp", ".zip.tmp")
    if not dest.exists():
        fd, tmp = tempfile.mkstemp(dir=dest_dir, prefix=owned_name(PARTIAL_PREFIX), suffix=".zip.tmp")
        os.close(fd)
        try:
            with terminate_as_exit():  # SIGTERM during the copy still removes the partial file
                shutil.copyfile(source, tmp)
                os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp made it 0600
                os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    installed = PackageInfo(**{**info.__dict__, "path": dest.resolve()})
    known, damaged = _read_registry()
    if damaged:  # repaired: rebuilt from the package ZIPs present in the folder
        known = _rebuild_registry(dest_dir, known)
    others = [pk for pk in known if pk.sha256 != installed.sha256]
    _write_json_atomic(_registry_path(), {"packages": [pk.to_json() for pk in others + [installed]]})
    return installed


def official_url(version: str) -> str:
    """Publication address of an official package version, e.g. ``26.0.15`` (``taxonomies/releases.yaml``)."""
    return load_releases().address(version)[0]


def download_package(
    version: str,
    *,
    progress: Callable[[int, int | None], None] | None = None,
    timeout: float = 30.0,
) -> PackageInfo:
    """Download the official package ``version`` from the NBB and install it.

    ``progress(done_bytes, total_bytes_or_None)`` is called while downloading.  Offline machines get
    a one-line :class:`PackageError` suggesting ``taxonomy install --from FILE.zip``.
    """
    url, origin = load_releases().address(version)
    with run_temp_dir("nbb-filing-dl-") as tmp_dir:  # a download killed midway is swept by a later run
        return _download_into(url, origin, tmp_dir / url.rsplit("/", 1)[1], progress, timeout)


def _download_into(
    url: str, origin: str, target: Path, progress: Callable[[int, int | None], None] | None, timeout: float
) -> PackageInfo:
    """Fetch ``url`` into ``target`` (a file of a run temp folder) and install it."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp, open(target, "wb") as out:
            total = resp.headers.get("Content-Length")
            total_n = int(total) if total and total.isdigit() else None
            done = 0
            while True:
                block = resp.read(1 << 16)
                if not block:
                    break
                out.write(block)
                done += len(block)
                if progress:
                    progress(done, total_n)
    except (urllib.error.URLError, OSError, TimeoutError) as e:
        reason = getattr(e, "reason", e)
        raise PackageError(
            f"cannot download {url} ({reason}; address {origin}); on an offline machine, fetch the ZIP elsewhere "
            "and run: nbb-filing taxonomy install --from FILE.zip"
        ) from None
    return install_package(target)


def resolve_package(explicit: str | os.PathLike | None = None) -> PackageInfo:
    """The package a command uses: ``explicit`` path, ``$NBB_FILING_TAXONOMY``, installed, embedded replica."""
    if explicit:
        return inspect_package(explicit)
    env = os.environ.get(ENV_PACKAGE)
    if env:
        return inspect_package(_from_start(env))
    pkgs, damaged = _read_registry()
    if pkgs:
        return max(pkgs, key=lambda pk: _version_key(pk.version))
    embedded = embedded_package_path()
    if embedded is None or damaged:
        # a damaged registry may hide an installed official package: never fall back to the replica then
        why = f" (the package registry {_registry_path()} is damaged; installing repairs it)" if damaged else ""
        raise PackageError(
            "no NBB taxonomy package: pass --taxonomy PATH.zip, set NBB_FILING_TAXONOMY, "
            f"or run: nbb-filing taxonomy install --from PATH.zip{why}"
        )
    return inspect_package(embedded)


def iter_models(info: PackageInfo, suffix: str | None = None) -> Iterable[str]:
    for m in info.models:
        if suffix is None or m.endswith(suffix):
            yield m
