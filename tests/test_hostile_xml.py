"""Hostile and large filings (issue 15, classes 4 and 6).

A DOCTYPE or entity declaration is refused wherever it stands (after a long comment too) by every
reader (validate before Arelle sees the file, import, the package reader); large legitimate base64
documents parse; a filing the NBB would refuse for its size is never written.
"""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from click.testing import CliRunner

from nbb_filing.cli import main
from nbb_filing.core.errors import InputError, PackageError
from nbb_filing.taxonomy.filing_xml import parse_filing, parse_filing_bytes
from nbb_filing.taxonomy.limits import max_filing_bytes

DTD = '<!DOCTYPE xbrli:xbrl [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
TEXT_REPORT = 'management_report: {text: "Rapport de gestion de test."}'
XXE = '<!DOCTYPE x SYSTEM "file:///etc/passwd">'


def _after_comment(accepted_text: str, comment_bytes: int, decl: str) -> str:
    head, rest = accepted_text.split("?>", 1)
    return f"{head}?>\n<!-- {'c' * comment_bytes} -->\n{decl}\n{rest.lstrip()}"


@pytest.mark.parametrize("comment", [5_000, 70_000, 2_000_000])
@pytest.mark.parametrize("decl", [DTD, XXE])
def test_doctype_after_a_long_comment_is_refused(tmp_path, accepted_text, comment, decl):
    p = tmp_path / "f.xbrl"
    p.write_text(_after_comment(accepted_text, comment, decl), encoding="utf-8")
    with pytest.raises(InputError) as e:
        parse_filing(p)
    assert str(e.value) == f"{p}:3: refused, the file declares a DOCTYPE or entities (not allowed in a filing)"


def test_doctype_in_utf16_is_refused():
    data = ('<?xml version="1.0" encoding="UTF-16"?>' + XXE + "<xbrl/>").encode("utf-16")
    with pytest.raises(InputError, match="not UTF-8"):
        parse_filing_bytes(data, name="f.xbrl")


def test_large_base64_document_parses(accepted_text):
    # one text node of 16 MB (a 12 MB PDF in base64): libxml2 refuses text nodes over 10 MB by default
    big = "A" * (16 * 1024 * 1024)
    text = accepted_text.replace("</xbrl>", f"<x:doc xmlns:x='urn:x'>{big}</x:doc>\n</xbrl>")
    assert text != accepted_text
    started = time.perf_counter()
    tree = parse_filing_bytes(text.encode("utf-8"), name="big.xbrl")
    assert len(tree.getroot()[-1].text) == len(big)
    assert time.perf_counter() - started < 5


def test_validate_refuses_before_arelle(tmp_path, accepted_text, monkeypatch):
    import nbb_filing.checks.kept_dts as kept_dts
    import nbb_filing.checks.validate as v

    def no_arelle(*a, **k):  # the refused file must never reach Arelle
        raise AssertionError("Arelle was asked to load a refused file")

    monkeypatch.setattr(kept_dts, "dts_for", no_arelle)
    monkeypatch.setattr(v, "_run_arelle", no_arelle)
    p = tmp_path / "f.xbrl"
    p.write_text(_after_comment(accepted_text, 70_000, DTD), encoding="utf-8")
    report = tmp_path / "report.json"
    r = CliRunner().invoke(main, ["validate", str(p), "--format", "json", "-o", str(report)])
    assert r.exit_code == 2, r.output
    assert "declares a DOCTYPE" in report.read_text()
    assert "internal error" not in r.output


def test_import_refuses_and_writes_nothing(tmp_path, accepted_text):
    p = tmp_path / "f.xbrl"
    p.write_text(_after_comment(accepted_text, 5_000, XXE), encoding="utf-8")
    out = tmp_path / "out"
    r = CliRunner().invoke(main, ["import", str(p), "-o", str(out)])
    assert r.exit_code == 2
    assert r.output.strip() == (
        f"error: {p}:3: refused, the file declares a DOCTYPE or entities (not allowed in a filing)"
    )
    assert not out.exists()


def test_package_description_with_a_late_doctype_is_refused(tmp_path):
    meta = (
        '<?xml version="1.0"?>\n<!-- '
        + "x" * 10_000
        + " -->\n"
        + DTD
        + '<tp:taxonomyPackage xmlns:tp="http://xbrl.org/2016/taxonomy-package"/>'
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("p/META-INF/taxonomyPackage.xml", meta)
        zf.writestr("p/META-INF/catalog.xml", "<catalog/>")
    pkg = tmp_path / "p.zip"
    pkg.write_bytes(buf.getvalue())
    from nbb_filing.taxonomy.packages import inspect_package

    with pytest.raises(PackageError, match=r"taxonomyPackage.xml:3: refused, the file declares a DOCTYPE"):
        inspect_package(pkg)


def _pdf(size: int) -> bytes:
    return b"%PDF-1.4\n" + b"0" * (size - 9)


def test_generate_with_a_large_pdf_then_parse_it(mini_text, write_dossier, package, tmp_path):
    from nbb_filing.api import generate

    (tmp_path / "report.pdf").write_bytes(_pdf(8 * 1024 * 1024))
    text = mini_text.replace(TEXT_REPORT, "management_report: {file: report.pdf}")
    out = tmp_path / "out.xbrl"
    generate(write_dossier(text), out, package=package)
    tree = parse_filing(out)  # what validate and import do first: the 11 MB base64 node is accepted
    assert max(len(el.text or "") for el in tree.getroot()) > 8 * 1024 * 1024 * 4 // 3


def test_generate_refuses_a_filing_above_the_nbb_limit(mini_text, write_dossier, package, tmp_path):
    from nbb_filing.api import generate

    assert max_filing_bytes() == 50 * 1024 * 1024
    # 38 MB of PDF is 50.7 MB of base64: over the limit, although the PDF itself is under it
    (tmp_path / "report.pdf").write_bytes(_pdf(38 * 1024 * 1024))
    text = mini_text.replace(TEXT_REPORT, "management_report: {file: report.pdf}")
    out = tmp_path / "out.xbrl"
    with pytest.raises(InputError) as e:
        generate(write_dossier(text), out, package=package)
    msg = str(e.value)
    assert msg.startswith(f"{out}: not written, the filing would have ") and "under 50 MB" in msg
    assert "management_report" in msg and "38.0 MB" in msg
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dossier.yaml", "report.pdf"]
