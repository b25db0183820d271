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


def _build_wheel(tmp_path: Path) -> Path:
    """Build the wheel from a copy of the sources (so the test writes nothing into the repository)."""
    src = tmp_path / "src-copy"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for folder in ("src", "mappings", "taxonomies"):
        shutil.copytree(ROOT / folder, src / folder, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
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

    About 3 s: one wheel build (setuptools, no network: --no-build-isolation) and one CLI run whose
    catalogs come from the session cache (compiled once by the `catalog` fixture)."""
    catalog("m01-f"), catalog("m02-f")  # the CLI below reads them from the session's cache
    wheel = _build_wheel(tmp_path)
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in SHIPPED_MAPPINGS:
        assert f"nbb_filing/mappings/{name}.yaml" in names
    assert {"nbb_filing/taxonomies/nbb-cbso-22.19.3-replica.zip", "nbb_filing/taxonomies/releases.yaml"} <= names
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
