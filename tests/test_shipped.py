"""What the repository ships beside the code: the embedded replica package, the releases data, the
named mappings — from the source tree and from a wheel-like install (no editable install, no clone)."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from nbb_filing.books.mapping_file import load_mapping, locate_mapping
from nbb_filing.core.shipped import shipped_dir, shipped_mapping_names
from nbb_filing.taxonomy.releases import embedded_package_path

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_MAPPINGS = ("association", "with-capital", "without-capital")


def test_embedded_package_matches_the_sha256_of_its_readme():
    releases = yaml.safe_load((ROOT / "taxonomies" / "releases.yaml").read_text(encoding="utf-8"))
    package = ROOT / "taxonomies" / releases["embedded"]["file"]
    stated = re.findall(r"SHA-256 \| `([0-9a-f]{64})`", (ROOT / "taxonomies" / "README.md").read_text(encoding="utf-8"))
    assert len(stated) == 1
    assert hashlib.sha256(package.read_bytes()).hexdigest() == stated[0]
    assert embedded_package_path() == package  # what the tool uses when nothing else is given


def test_accepted_filing_is_in_the_repository_with_its_notice(accepted_m87):
    assert accepted_m87.parent == ROOT / "tests" / "data"
    notice = (ROOT / "tests" / "data" / "README.md").read_text(encoding="utf-8")
    assert hashlib.sha256(accepted_m87.read_bytes()).hexdigest() in notice
    assert "MIT" in notice and "financica/ts-libs" in notice and "Anonymised" in notice


def test_named_mappings_from_the_source_tree(tmp_path):
    assert shipped_dir("mappings") == ROOT / "mappings"
    assert shipped_mapping_names() == SHIPPED_MAPPINGS
    for name in SHIPPED_MAPPINGS:
        assert load_mapping(name).family == name
    # a dossier's `inputs.mapping: with-capital`: a file of that name beside the dossier wins
    assert locate_mapping("with-capital", tmp_path) == ROOT / "mappings" / "with-capital.yaml"
    (tmp_path / "with-capital").write_text("local", encoding="utf-8")
    assert locate_mapping("with-capital", tmp_path) == tmp_path / "with-capital"
    assert locate_mapping("sub/with-capital", tmp_path) == tmp_path / "sub" / "with-capital"  # a path is a path


def _source_copy(tmp_path: Path) -> Path:
    """What a build reads, copied (so the tests write nothing into the repository)."""
    src = tmp_path / "src-copy"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for folder in ("src", "mappings", "taxonomies"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return src


def test_the_build_is_configuration_only():
    """Building runs no code of the project: no setup.py, a build backend configured declaratively
    (hatchling), no build hook; the folders reach the wheel by path rewrites."""
    import tomllib

    assert not (ROOT / "setup.py").exists()
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert conf["build-system"] == {"requires": ["hatchling>=1.26"], "build-backend": "hatchling.build"}
    assert "backend-path" not in conf["build-system"]  # no in-tree backend
    hatch = conf["tool"]["hatch"]["build"]
    assert "hooks" not in hatch and all("hooks" not in t for t in hatch["targets"].values())
    wheel = hatch["targets"]["wheel"]
    assert wheel["sources"]["mappings"] == "nbb_filing/mappings"
    assert wheel["sources"]["taxonomies"] == "nbb_filing/taxonomies"
    assert any(r.startswith("hatchling") for r in conf["project"]["optional-dependencies"]["test"])


def test_editable_install_reads_the_source_tree(tmp_path):
    """``pip install -e`` (what the README and CI do), offline: a .pth naming src/, nothing copied;
    the shipped folders are those of the source tree, so an edit there is seen at once."""
    src = _source_copy(tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    vpython = bindir / ("python.exe" if os.name == "nt" else "python")
    purelib = subprocess.run(
        [str(vpython), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    import sysconfig

    # the dependencies (and the build backend) come from the environment running the tests
    (Path(purelib) / "parent-env.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", str(vpython), "install", "-q", "--no-deps"]
    res = subprocess.run([*pip, "--no-build-isolation", "-e", str(src)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout + res.stderr
    installed = sorted(p.name for p in Path(purelib).iterdir())
    assert "nbb_filing" not in installed  # nothing copied: no package, no mappings, no replica
    (src / "mappings" / "my-firm.yaml").write_text((src / "mappings" / "with-capital.yaml").read_text("utf-8"), "utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("NBB_FILING_TAXONOMY", "PYTHONPATH")}
    probe = (
        "import nbb_filing, nbb_filing.core.shipped as s, nbb_filing.taxonomy.releases as r;"
        "print(nbb_filing.__file__); print(s.shipped_dir('mappings')); print(r.embedded_package_path());"
        "print(','.join(s.shipped_mapping_names()))"
    )
    res = subprocess.run([str(vpython), "-c", probe], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[:3] == [
        str(src / "src" / "nbb_filing" / "__init__.py"),
        str(src / "mappings"),
        str(src / "taxonomies" / "nbb-cbso-22.19.3-replica.zip"),
    ]
    assert lines[3] == "association,my-firm,with-capital,without-capital"  # the edit of the source tree
    res = subprocess.run([str(bindir / "nbb-filing"), "--help"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert res.returncode == 0 and "generate" in res.stdout  # the console script


def _build_wheel(tmp_path: Path) -> Path:
    """Build the wheel from a copy of the sources, offline (the backend of the test extra)."""
    src = _source_copy(tmp_path)
    out = tmp_path / "wheels"
    res = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", str(out), str(src)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    (wheel,) = out.glob("nbb_filing-*.whl")
    return wheel


def test_named_mappings_and_embedded_package_from_a_wheel(tmp_path, catalog):
    """A wheel carries the mappings and the replica; `mapping check with-capital --model m01-f` runs from
    another directory with only the unpacked wheel on the path (what `pip install --target` gives).

    About 3 s: one wheel build (hatchling, no network: --no-build-isolation) and one CLI run whose
    catalogs come from the session cache (compiled once by the `catalog` fixture)."""
    catalog("m01-f"), catalog("m02-f")  # the CLI below reads them from the session's cache
    wheel = _build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in SHIPPED_MAPPINGS:
        assert f"nbb_filing/mappings/{name}.yaml" in names
    assert {"nbb_filing/taxonomies/nbb-cbso-22.19.3-replica.zip", "nbb_filing/taxonomies/releases.yaml"} <= names
    assert {"nbb_filing/py.typed", "nbb_filing/rendering/page.css", "nbb_filing/data/legal-forms.yaml"} <= names
    assert not [n for n in names if n.startswith(("mappings/", "taxonomies/", "src/")) or "__pycache__" in n]
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("NBB_FILING_TAXONOMY", "PYTHONPATH")}
    env["PYTHONPATH"] = str(target)
    probe = (
        "import nbb_filing, nbb_filing.books.mapping_file as m, nbb_filing.taxonomy.releases as r;"
        "print(nbb_filing.__file__); print(m.locate_mapping('with-capital')); print(r.embedded_package_path());"
        "print(m.load_mapping('association').family)"
    )
    res = subprocess.run(
        [sys.executable, "-c", probe], cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert all(line.startswith(str(target)) for line in lines[:3]), lines
    assert lines[3] == "association"
    command = ["mapping", "check", "with-capital", "--model", "m01-f"]
    res = subprocess.run(
        [sys.executable, "-m", "nbb_filing.cli", *command],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stdout + res.stderr
    assert "mapping with-capital.yaml against m01-f" in res.stdout


def test_a_dossier_names_a_shipped_mapping(sample_dir, package, catalog, tmp_path):
    """`inputs.mapping: without-capital` in a dossier copied away from the repository's mappings/."""
    from decimal import Decimal

    from nbb_filing.api import generate
    from nbb_filing.core.errors import InputError

    catalog("m82-f")
    copy = tmp_path / "smartcoop"
    shutil.copytree(sample_dir, copy)
    text = (copy / "dossier.yaml").read_text(encoding="utf-8")
    assert text.count("mapping: ../../mappings/without-capital.yaml") == 1
    (copy / "dossier.yaml").write_text(
        text.replace("mapping: ../../mappings/without-capital.yaml", "mapping: without-capital"), encoding="utf-8"
    )
    res = generate(copy / "dossier.yaml", tmp_path / "out.xbrl", package=package)
    assert res.total("total_assets") == Decimal("10018553.00")  # as with the path (README, the sample)
    (copy / "dossier.yaml").write_text(
        text.replace("mapping: ../../mappings/without-capital.yaml", "mapping: no-such-mapping"), encoding="utf-8"
    )
    with pytest.raises(InputError, match=r"no such file no-such-mapping \(nor a shipped mapping"):
        generate(copy / "dossier.yaml", tmp_path / "out2.xbrl", package=package)
