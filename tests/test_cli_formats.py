"""One output convention: --format text|json on every command that reports, -o FILE ('-':
standard output) where the report is the product; generate --report and --lang."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner
from lxml import etree

from nbb_filing.cli import main

ROOT = Path(__file__).resolve().parents[1]
WITHOUT_CAPITAL = ROOT / "mappings" / "without-capital.yaml"


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_generate_json_summary(mini_text, write_dossier, tmp_path, catalog):
    out = tmp_path / "g.xbrl"
    r = run("generate", write_dossier(mini_text), "-o", out, "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["output"] == str(out) and data["model"] == "m82-f" and data["validation"] is None
    totals = {t["rubric"]: t for t in data["totals"]}
    assert Decimal(totals["20/58"]["current"]) == Decimal("1000.50")  # amounts as exact decimal text
    assert Decimal(totals["20/58"]["previous"]) == Decimal("900")
    assert totals["20/58"]["label"] == catalog("m82-f").by_rubric("20/58")[0].label("fr")


def test_generate_lang_nl_translates_the_summary(mini_text, write_dossier, tmp_path, catalog):
    r = run("generate", write_dossier(mini_text), "-o", tmp_path / "g.xbrl", "--lang", "nl")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == f"geschreven: {tmp_path / 'g.xbrl'}"
    assert lines[3].split() == ["boekjaar", "vorig", "boekjaar"]
    label = catalog("m82-f").by_rubric("20/58")[0].label("nl")
    assert label != catalog("m82-f").by_rubric("20/58")[0].label("en")
    assert any(line.startswith(f"20/58 {label} ") for line in lines), r.stdout
    assert "total assets" not in r.stdout


def _fake_validation(monkeypatch, exit_error: str | None = None):
    """``validate_files`` replaced by one building a real report without running Arelle."""
    import nbb_filing.checks.validate as validate_mod
    from nbb_filing.checks.findings import FileReport, ValidationReport

    def fake(paths, package=None, lang="fr", workers=None, **kw):
        files = [FileReport(path=str(p), error=exit_error) for p in paths]
        return ValidationReport(files=files, package="replica.zip", package_version="x", lang=lang)

    monkeypatch.setattr(validate_mod, "validate_files", fake)


def test_generate_validate_writes_the_report_in_validates_formats(mini_text, write_dossier, tmp_path, monkeypatch):
    _fake_validation(monkeypatch)
    dossier = write_dossier(mini_text)
    out = tmp_path / "g.xbrl"
    r = run("generate", dossier, "-o", out, "--validate", "--report", tmp_path / "r.json")
    assert r.exit_code == 0, r.output
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in report["files"]] == [str(out)]
    r = run("generate", dossier, "-o", out, "--validate", "--report", tmp_path / "r.xml")
    assert etree.parse(str(tmp_path / "r.xml")).getroot().tag == "testsuites"
    r = run("generate", dossier, "-o", out, "--validate", "--report", tmp_path / "r.txt", "--report-format", "json")
    assert json.loads((tmp_path / "r.txt").read_text(encoding="utf-8"))["files"]


def test_generate_validate_prints_the_text_report(mini_text, write_dossier, tmp_path, monkeypatch):
    """The text summary is followed by the report ``validate`` prints, never a Python repr."""
    from nbb_filing import render_report

    _fake_validation(monkeypatch)
    out = tmp_path / "g.xbrl"
    r = run("generate", write_dossier(mini_text), "-o", out, "--validate")
    assert r.exit_code == 0, r.output
    assert "ValidationReport(" not in r.stdout and "FileReport(" not in r.stdout
    import nbb_filing.checks.validate as validate_mod

    expected = render_report(validate_mod.validate_files([out], lang="fr"), "text").strip()
    assert expected and r.stdout.rstrip().endswith(expected)


def test_generate_validate_json_carries_the_report_and_exit_code(mini_text, write_dossier, tmp_path, monkeypatch):
    _fake_validation(monkeypatch, exit_error="not an NBB instance")
    r = run("generate", write_dossier(mini_text), "-o", tmp_path / "g.xbrl", "--validate", "--format", "json")
    assert r.exit_code == 2
    data = json.loads(r.stdout)
    assert data["exit_code"] == 2 and data["validation"]["files"][0]["error"] == "not an NBB instance"


def test_report_without_validate_is_refused(mini_text, write_dossier, tmp_path):
    r = run("generate", write_dossier(mini_text), "-o", tmp_path / "g.xbrl", "--report", tmp_path / "r.json")
    assert r.exit_code == 2 and "--report needs --validate" in r.output
    r = run(
        "generate",
        write_dossier(mini_text),
        "-o",
        tmp_path / "g.xbrl",
        "--validate",
        "--report",
        "-",
        "--format",
        "json",
    )
    assert r.exit_code == 2 and "two documents on standard output" in r.output
    assert not (tmp_path / "g.xbrl").exists()


def test_report_dash_follows_the_text_summary(mini_text, write_dossier, tmp_path, monkeypatch):
    _fake_validation(monkeypatch)
    r = run(
        "generate",
        write_dossier(mini_text),
        "-o",
        tmp_path / "g.xbrl",
        "--validate",
        "--report",
        "-",
        "--report-format",
        "json",
    )
    assert r.exit_code == 0, r.output
    summary, _, report = r.stdout.partition("{")
    assert summary.startswith("wrote ") and json.loads("{" + report)["files"][0]["path"] == str(tmp_path / "g.xbrl")


def test_mapping_explain_json_to_a_file(tmp_path):
    out = tmp_path / "explain.json"
    r = run("mapping", "explain", WITHOUT_CAPITAL, "550000:-120.50", "--format", "json", "-o", out)
    assert r.exit_code == 0, r.output
    assert r.stdout == ""
    [row] = json.loads(out.read_text(encoding="utf-8"))["accounts"]
    assert row["account"] == "550000" and row["side"] == "credit" and row["outcome"] == "rubric"


def test_mapping_explain_text_dash_is_stdout():
    r = run("mapping", "explain", WITHOUT_CAPITAL, "550000:-120.50", "-o", "-")
    assert r.exit_code == 0 and r.stdout.startswith("550000 (credit): rubric ")


def test_taxonomy_show_json_to_a_file(tmp_path, catalog):
    out = tmp_path / "show.json"
    r = run("taxonomy", "show", "m82-f", "20/58", "--format", "json", "-o", out)
    assert r.exit_code == 0, r.output
    rows = json.loads(out.read_text(encoding="utf-8"))
    assert {x["period"] for x in rows} == {"current", "previous"} and rows[0]["rubric"] == "20/58"


def test_validate_report_dash_is_stdout(tmp_path, package):
    r = run("validate", tmp_path / "missing.xbrl", "--format", "json", "-o", "-")  # fails before Arelle
    assert r.exit_code == 2
    assert json.loads(r.stdout)["files"][0]["path"] == str(tmp_path / "missing.xbrl")


def test_import_json(tmp_path, accepted_m87, catalog):
    catalog("m87-f")
    r = run("import", accepted_m87, "-o", tmp_path / "imp", "--no-check", "--format", "json")
    assert r.exit_code in (0, 1), r.output
    data = json.loads(r.stdout)
    assert data["dossier"] == str(tmp_path / "imp" / "dossier.yaml") and data["model"] == "m87-f"
    assert 0 < data["imported"] <= data["facts"] and data["round_trip"] is None


def test_generate_validate_says_the_replica_notice_once(mini_text, write_dossier, tmp_path, monkeypatch, package):
    """The summary and the validation report both carry the replica notice: printed together, once."""
    import nbb_filing.checks.validate as validate_mod
    from nbb_filing.checks.findings import FileReport, ValidationReport

    notice = package.replica_notice
    assert notice and "replica" in notice  # the tests run on the embedded replica

    def fake(paths, package=None, lang="fr", workers=None, **kw):  # the report validate_files makes, minus Arelle
        return ValidationReport([FileReport(path=str(p)) for p in paths], "replica.zip", "x", lang, notice=notice)

    monkeypatch.setattr(validate_mod, "validate_files", fake)
    dossier = write_dossier(mini_text)
    r = run("generate", dossier, "-o", tmp_path / "g.xbrl", "--validate")
    assert r.exit_code == 0, r.output
    assert r.stdout.count(notice) == 1, r.stdout
    # with the report in a file too: once on the terminal, once in the file
    r = run("generate", dossier, "-o", tmp_path / "g.xbrl", "--validate", "--report", tmp_path / "r.txt")
    assert r.stdout.count(notice) == 1, r.stdout
    assert (tmp_path / "r.txt").read_text(encoding="utf-8").count(notice) == 1
    r = run("generate", dossier, "-o", tmp_path / "g.xbrl")  # no validation: the summary says it
    assert r.stdout.count(notice) == 1, r.stdout
