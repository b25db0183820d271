"""Taxonomy packages: inspection, safety refusals, install/list, download errors (issue #2)."""

from __future__ import annotations

import urllib.error
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from nbb_filing.cli import main
from nbb_filing.core.errors import PackageError
from nbb_filing.taxonomy.packages import (
    inspect_package,
    install_package,
    installed_packages,
    official_url,
)

ROOT = Path(__file__).resolve().parents[1]


def _zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return path


def _one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    err = result.stderr.strip()
    assert err.startswith("error: ") and "\n" not in err, err
    assert "Traceback" not in result.output + result.stderr
    return err


def test_replica_declares_nine_full_models_in_one_framework(package):
    assert package.frameworks == ("22.19",)
    assert [m for m in package.models if m.endswith("-f")] == [
        "m01-f",
        "m02-f",
        "m04-f",
        "m05-f",
        "m07-f",
        "m08-f",
        "m81-f",
        "m82-f",
        "m87-f",
    ]
    ep = package.entry_point("m82-f")
    assert ep.url == "http://www.nbb.be/be/fr/cbso/fws/22.19/mod/m82/m82-f.xsd"
    assert len(package.sha256) == 64


@pytest.mark.parametrize(
    "entries, expected",
    [
        ({"x/readme.txt": b"hello"}, "not a taxonomy package"),
        ({"../evil/META-INF/taxonomyPackage.xml": b"<x/>"}, "escapes the package folder"),
        (
            {
                "p/META-INF/taxonomyPackage.xml": b"<tp:taxonomyPackage xmlns:tp='http://xbrl.org/2016/taxonomy-package'/>"
            },
            "no META-INF/catalog.xml",
        ),
        (
            {"p/META-INF/taxonomyPackage.xml": b"<notapackage/>", "p/META-INF/catalog.xml": b"<c/>"},
            "not a taxonomy package description",
        ),
        (
            {
                "p/META-INF/taxonomyPackage.xml": b"<tp:taxonomyPackage xmlns:tp='http://xbrl.org/2016/taxonomy-package'/>",
                "p/META-INF/catalog.xml": b"<c/>",
            },
            "declares no NBB model entry point",
        ),
    ],
)
def test_refuses_unsafe_or_foreign_zips(tmp_path, entries, expected):
    z = _zip(tmp_path / "p.zip", entries)
    with pytest.raises(PackageError, match=expected):
        inspect_package(z)


def test_refuses_zip_bomb_ratio(tmp_path):
    z = _zip(
        tmp_path / "bomb.zip", {"p/META-INF/taxonomyPackage.xml": b"<x/>", "p/big.xml": b"\0" * (40 * 1024 * 1024)}
    )
    with pytest.raises(PackageError, match="ZIP bomb"):
        inspect_package(z)


def test_cli_install_list_and_bad_zips(tmp_path, monkeypatch, replica_path):
    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    res = runner.invoke(main, ["taxonomy", "install", "--from", str(replica_path)])
    assert res.exit_code == 0, res.output
    assert "22.19" in res.output and "m82-f" in res.output
    [pkg] = installed_packages()
    assert pkg.path.parent == tmp_path / "home" / "packages" and pkg.path.is_file()
    res = runner.invoke(main, ["taxonomy", "list"])
    assert "fws/22.19" in res.output and "m87-f" in res.output and pkg.sha256 in res.output
    # installing twice keeps one entry
    install_package(replica_path)
    assert len(installed_packages()) == 1

    missing = runner.invoke(main, ["taxonomy", "install", "--from", str(tmp_path / "nope.zip")])
    assert "no such taxonomy package file" in _one_line_error(missing)
    corrupt = tmp_path / "corrupt.zip"
    corrupt.write_bytes(b"PK\x03\x04 this is not really a zip")
    assert "not a ZIP file" in _one_line_error(runner.invoke(main, ["taxonomy", "install", "--from", str(corrupt)]))
    plain = _zip(tmp_path / "plain.zip", {"a.txt": b"a"})
    assert "not a taxonomy package" in _one_line_error(
        runner.invoke(main, ["taxonomy", "install", "--from", str(plain)])
    )


def test_download_offline_gives_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "home"))

    def offline(*a, **k):
        raise urllib.error.URLError("Temporary failure in name resolution")

    monkeypatch.setattr("urllib.request.urlopen", offline)
    res = CliRunner().invoke(main, ["taxonomy", "install", "26.0.15"])
    err = _one_line_error(res)
    assert official_url("26.0.15") in err and "install --from" in err
    assert official_url("26.0.15") == "https://www.nbb.be/doc/ba/xbrl/taxo2026/nbb-cbso-26.0.15.zip"
    assert "not of the form" in _one_line_error(CliRunner().invoke(main, ["taxonomy", "install", "latest"]))


def test_resolution_order(tmp_path, monkeypatch, replica_path):
    from nbb_filing.taxonomy.packages import resolve_package

    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NBB_FILING_TAXONOMY", raising=False)
    # nothing given or installed: the replica embedded in the repository (taxonomies/)
    assert resolve_package(None).path.parent.name == "taxonomies"
    monkeypatch.setattr("nbb_filing.taxonomy.packages.embedded_package_path", lambda: None)  # an install without it
    with pytest.raises(PackageError, match="no NBB taxonomy package"):
        resolve_package(None)
    install_package(replica_path)
    assert resolve_package(None).path.parent == tmp_path / "home" / "packages"
    monkeypatch.setenv("NBB_FILING_TAXONOMY", str(replica_path))
    assert resolve_package(None).path == replica_path.resolve()
    with pytest.raises(PackageError, match="no such taxonomy package file"):
        resolve_package(tmp_path / "explicit-missing.zip")


@pytest.mark.parametrize(
    "size, refused",
    [
        (5 * 1024 * 1024, True),  # 1,000x and more, under 10 MiB: refused (issue 15, class 9)
        (64 * 1024, True),  # from the documented minimum size on, the ratio is checked
        (64 * 1024 - 1, False),  # below it, it is not: a small file of repeated bytes is harmless
    ],
)
def test_ratio_rule_is_the_documented_one(tmp_path, size, refused):
    from nbb_filing.taxonomy.packages import MAX_RATIO, RATIO_CHECK_FROM_BYTES

    assert (MAX_RATIO, RATIO_CHECK_FROM_BYTES) == (200, 64 * 1024)
    doc = (ROOT / "docs" / "taxonomy.md").read_text(encoding="utf-8")
    assert "64 KiB or more expanding more\nthan 200×" in doc
    meta = b'<tp:taxonomyPackage xmlns:tp="http://xbrl.org/2016/taxonomy-package"/>'
    z = _zip(
        tmp_path / "p.zip",
        {"p/META-INF/taxonomyPackage.xml": meta, "p/META-INF/catalog.xml": b"<c/>", "p/zeros.xml": b"\0" * size},
    )
    if refused:
        with pytest.raises(PackageError, match=r"expands \d+x, more than 200x"):
            inspect_package(z)
    else:  # no ratio refusal: the package is read on, up to its (missing) entry points
        with pytest.raises(PackageError, match="declares no NBB model entry point"):
            inspect_package(z)


def test_cli_install_refuses_an_expanding_entry_and_installs_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("NBB_FILING_HOME", str(tmp_path / "home"))
    meta = b'<tp:taxonomyPackage xmlns:tp="http://xbrl.org/2016/taxonomy-package"/>'
    z = _zip(
        tmp_path / "bomb.zip",
        {
            "p/META-INF/taxonomyPackage.xml": meta,
            "p/META-INF/catalog.xml": b"<c/>",
            "p/zeros.xml": b"\0" * (5 * 1024 * 1024),
        },
    )
    res = CliRunner().invoke(main, ["taxonomy", "install", "--from", str(z)])
    assert res.exit_code == 2
    assert "entry 'p/zeros.xml' expands" in _one_line_error(res) and "more than 200x" in res.output
    packages = tmp_path / "home" / "packages"
    assert not packages.exists() or not any(packages.iterdir())
