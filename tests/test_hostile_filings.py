"""Hostile filings, second round (issue 23, classes 1, 2, 5 and 9).

Amounts with huge exponents or too many digits, references to files other than the package's entry
points, files over 65,535 lines and deep nesting: each is refused (or read) with one line naming the
file, before Arelle sees the file, in bounded time and memory.
"""

from __future__ import annotations

import resource
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from nbb_filing.cli import main
from nbb_filing.core.errors import InputError, PackageError
from nbb_filing.reading.reader import read_facts
from nbb_filing.taxonomy.filing_xml import parse_filing_bytes

AMOUNT = ">284932.83<"  # one amount of the accepted m87 filing (line 1351)
ENTRY = "http://www.nbb.be/be/fr/cbso/fws/23.0/mod/m87/m87-f.xsd"


def _variant(tmp_path: Path, text: str, name: str = "f.xbrl") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


@pytest.fixture
def no_arelle(monkeypatch):
    """Fails the test if a refused filing reaches Arelle."""
    import nbb_filing.checks.kept_dts as kept_dts
    import nbb_filing.checks.validate as v

    def refuse(*a, **k):
        raise AssertionError("Arelle was asked to load a refused file")

    monkeypatch.setattr(kept_dts, "dts_for", refuse)
    monkeypatch.setattr(v, "_run_arelle", refuse)


def _validate_error(path: Path, tmp_path: Path) -> str:
    out = tmp_path / "report.json"
    r = CliRunner().invoke(main, ["validate", str(path), "--format", "json", "-o", str(out)])
    assert r.exit_code == 2, r.output
    assert "internal error" not in r.output
    import json

    (file_report,) = json.loads(out.read_text())["files"]
    return file_report["error"]


# ---------------------------------------------------------------------- class 1: amounts


@pytest.mark.parametrize(
    "amount, why",
    [
        ("1e999999999", "exponent"),
        ("1e999999", "exponent"),
        ("1234567890123456789012345678901234567890", "digits"),
        ("0.00000000000000000000000000001", "decimals"),
    ],
)
def test_amount_out_of_bounds_is_refused_naming_the_line(tmp_path, accepted_text, package, amount, why):
    p = _variant(tmp_path, accepted_text.replace(AMOUNT, f">{amount}<"))
    with pytest.raises(InputError) as e:
        read_facts(p, package)
    message = str(e.value)
    assert message.startswith(f"{p}:1351: ")
    assert "met:am1" in message and why in message
    assert "\n" not in message and len(message) < 300


def test_largest_accepted_amount_is_read_exactly(tmp_path, accepted_text, package):
    # 18 integer digits and 10 decimals: 28 significant digits, Decimal's default precision
    amount = "123456789012345678.0123456789"
    p = _variant(tmp_path, accepted_text.replace(AMOUNT, f">{amount}<"))
    facts = read_facts(p, package)
    (fact,) = [f for f in facts.facts if f.source_line == 1351]
    assert fact.value == amount


def test_thousands_of_huge_exponents_stay_small_and_quick(tmp_path, accepted_text, package, no_arelle):
    head, tail = accepted_text.split("</xbrl>")
    facts = "".join(
        f'<met:am1 contextRef="c40" id="x{i}" decimals="INF" unitRef="EUR">1e999999</met:am1>\n' for i in range(3000)
    )
    p = _variant(tmp_path, head + facts + "</xbrl>" + tail)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    assert "exponent" in _validate_error(p, tmp_path)
    assert time.perf_counter() - started < 30
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kib < 300 * 1024


def test_import_out_of_bounds_writes_no_dossier(tmp_path, accepted_text):
    p = _variant(tmp_path, accepted_text.replace(AMOUNT, ">1e999999999<"))
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["import", str(p), "-o", str(out)])
    assert r.exit_code == 2, r.output
    assert "internal error" not in r.output and "1351" in r.output
    assert not (out / "dossier.yaml").exists()


# ---------------------------------------------------------------------- class 2: references


@pytest.mark.parametrize(
    "old, new",
    [
        (ENTRY, "file:///dev/zero"),
        (ENTRY, "file:///etc/cbso/fws/23.0/mod/m87/m87-f.xsd"),
        (
            f'<link:schemaRef xlink:type="simple" xlink:href="{ENTRY}"/>',
            f'<link:schemaRef xlink:type="simple" xlink:href="{ENTRY}"/>\n'
            '<link:linkbaseRef xlink:type="simple" xlink:href="file:///etc/passwd" '
            'xlink:arcrole="http://www.w3.org/1999/xlink/properties/linkbase"/>',
        ),
        (
            f'<link:schemaRef xlink:type="simple" xlink:href="{ENTRY}"/>',
            f'<link:schemaRef xlink:type="simple" xlink:href="{ENTRY}"/>\n'
            '<link:schemaRef xlink:type="simple" xlink:href="file:///dev/zero"/>',
        ),
        (
            f'<link:schemaRef xlink:type="simple" xlink:href="{ENTRY}"/>',
            f'<link:schemaRef xlink:type="simple" xlink:href="{ENTRY}"/>\n'
            '<link:roleRef xlink:type="simple" roleURI="urn:r" xlink:href="/etc/hosts#r"/>',
        ),
        (
            'xml:lang="fr"',
            'xml:lang="fr" xsi:schemaLocation="urn:x file:///dev/zero" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
        ),
    ],
    ids=["dev-zero", "file-base", "linkbaseRef", "second-schemaRef", "roleRef", "schemaLocation"],
)
def test_references_other_than_the_entry_point_are_refused_before_arelle(tmp_path, accepted_text, no_arelle, old, new):
    text = accepted_text.replace(old, new, 1)
    assert text != accepted_text
    error = _validate_error(_variant(tmp_path, text), tmp_path)
    assert "entry point" in error and "\n" not in error


def _package_with_catalog(tmp_path: Path, replica_path: Path, prefix: str) -> Path:
    out = tmp_path / "pkg.zip"
    with zipfile.ZipFile(replica_path) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename.endswith("META-INF/catalog.xml"):
                data = data.replace(b'rewritePrefix="../www.nbb.be/"', f'rewritePrefix="{prefix}"'.encode())
            dst.writestr(info, data)
    return out


@pytest.mark.parametrize("prefix", ["file:///tmp/evil/", "/tmp/evil/", "../../../../tmp/evil/"])
def test_package_catalog_rewriting_outside_the_package_is_refused(tmp_path, replica_path, prefix):
    from nbb_filing.taxonomy.packages import inspect_package

    with pytest.raises(PackageError, match="catalog.xml.*outside the package"):
        inspect_package(_package_with_catalog(tmp_path, replica_path, prefix))


# ---------------------------------------------------------------------- class 5: line numbers


def test_filing_over_65535_lines_is_read_with_its_lines(tmp_path, accepted_text, package):
    head, rest = accepted_text.split("<link:schemaRef", 1)
    p = _variant(tmp_path, head + "\n" * 70_000 + "<link:schemaRef" + rest)
    facts = read_facts(p, package)
    assert {f.source_line for f in facts.facts} >= {1351 + 70_000}


def test_validate_import_of_a_long_filing_do_not_fail_internally(tmp_path, accepted_text):
    head, rest = accepted_text.split("<link:schemaRef", 1)
    p = _variant(tmp_path, head + "\n" * 70_000 + "<link:schemaRef" + rest)
    r = CliRunner().invoke(main, ["import", str(p), "-o", str(tmp_path / "out"), "--no-check"])
    assert "internal error" not in r.output
    assert r.exit_code in (0, 1), r.output


# ---------------------------------------------------------------------- class 9: depth


@pytest.mark.parametrize("depth", [200, 1_000, 2_047])
def test_deep_nesting_is_refused_with_a_line(tmp_path, accepted_text, depth):
    deep = "<a:x xmlns:a='urn:a'>" * depth + "</a:x>" * depth
    text = accepted_text.replace("</xbrl>", deep + "\n</xbrl>")
    with pytest.raises(InputError, match=r"f\.xbrl:1433: refused, elements nested \d+ levels deep"):
        parse_filing_bytes(text.encode(), name="f.xbrl")


def test_deep_nesting_in_import_is_one_line(tmp_path, accepted_text):
    deep = "<a:x xmlns:a='urn:a'>" * 1500 + "</a:x>" * 1500
    p = _variant(tmp_path, accepted_text.replace("</xbrl>", deep + "\n</xbrl>"))
    r = CliRunner().invoke(main, ["import", str(p), "-o", str(tmp_path / "out")])
    assert r.exit_code == 2 and "nested" in r.output and "internal error" not in r.output


# ---------------------------------------------------------------------- class 11: dossiers too large to read back


@pytest.mark.parametrize("command", ["import", "init"])
def test_dossier_generate_would_refuse_is_not_written(tmp_path, accepted_text, command):
    from nbb_filing.core.yaml_lines import MAX_YAML_BYTES

    name = ">CALYX WORKS<"
    assert name in accepted_text
    p = _variant(tmp_path, accepted_text.replace(name, ">" + "a" * (MAX_YAML_BYTES + 10) + "<"))
    if command == "import":
        target = tmp_path / "out" / "dossier.yaml"
        r = CliRunner().invoke(main, ["import", str(p), "-o", str(target.parent), "--no-check"])
    else:
        target = tmp_path / "init.yaml"
        r = CliRunner().invoke(main, ["init", "--from", str(p), "-o", str(target)])
    assert r.exit_code == 2, r.output
    assert "not written" in r.output and str(MAX_YAML_BYTES) in r.output
    assert len(r.output.strip().splitlines()) <= 2 and "aaaaaaaaaa" * 10 not in r.output
    assert not target.exists()
