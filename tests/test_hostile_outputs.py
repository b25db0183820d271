"""Outputs, pages and the files beside them, second round (issue 23, classes 3, 6, 8, 10 and 12).

An output never replaces an input or another output of the same run; a page is rendered with a
Content-Security-Policy; an audit trail is used only for the filing it was written for; control
characters and malformed reports are one-line errors; a private file named as the mapping is
neither read from outside the dossier's folder nor echoed.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from nbb_filing.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def smartcoop_folder(tmp_path: Path) -> Path:
    """The SmartCoop sample copied to a folder of its own, naming the shipped mapping by name."""
    folder = tmp_path / "smartcoop"
    shutil.copytree(ROOT / "samples" / "smartcoop-2024", folder)
    dossier = folder / "dossier.yaml"
    text = dossier.read_text(encoding="utf-8")
    assert "mapping: ../../mappings/without-capital.yaml" in text
    dossier.write_text(text.replace("../../mappings/without-capital.yaml", "without-capital"), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def generated(tmp_path_factory, package, catalog) -> Path:
    """The SmartCoop filing with its audit trail (generated once for the module)."""
    catalog("m82-f")
    out = tmp_path_factory.mktemp("generated") / "smartcoop.xbrl"
    r = CliRunner().invoke(
        main, ["generate", str(ROOT / "samples/smartcoop-2024/dossier.yaml"), "-o", str(out), "--trail"]
    )
    assert r.exit_code == 0, r.output
    return out


def _invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def _one_line_error(r) -> str:
    assert r.exit_code == 2, r.output
    assert "internal error" not in r.output and "Traceback" not in r.output
    lines = r.output.strip().splitlines()
    assert len(lines) == 1, r.output
    return lines[0]


# ---------------------------------------------------------------------- class 10: outputs over inputs


@pytest.mark.parametrize("target", ["dossier.yaml", "tb-2024.csv", "rapport-de-gestion.txt"])
def test_generate_output_over_an_input_is_refused(smartcoop_folder, target):
    victim = smartcoop_folder / target
    before = victim.read_bytes()
    line = _one_line_error(_invoke("generate", smartcoop_folder / "dossier.yaml", "-o", victim))
    assert "refused" in line and target in line
    assert victim.read_bytes() == before


def test_generate_output_through_a_symbolic_link_to_an_input_is_refused(smartcoop_folder):
    link = smartcoop_folder / "out.xbrl"
    link.symlink_to(smartcoop_folder / "tb-2024.csv")
    before = (smartcoop_folder / "tb-2024.csv").read_bytes()
    _one_line_error(_invoke("generate", smartcoop_folder / "dossier.yaml", "-o", link))
    assert (smartcoop_folder / "tb-2024.csv").read_bytes() == before


@pytest.mark.parametrize("option", [["--html"], ["--validate", "--report"]])
def test_generate_page_or_report_over_the_filing_is_refused(smartcoop_folder, option):
    out = smartcoop_folder / "out.xbrl"
    r = _invoke("generate", smartcoop_folder / "dossier.yaml", "-o", out, *option, out)
    line = _one_line_error(r)
    assert "CAN BE FILED" not in r.output and "refused" in line
    assert not out.exists()


def test_generate_page_over_the_dossier_is_refused(smartcoop_folder):
    dossier = smartcoop_folder / "dossier.yaml"
    before = dossier.read_bytes()
    _one_line_error(_invoke("generate", dossier, "-o", smartcoop_folder / "out.xbrl", "--html", dossier))
    assert dossier.read_bytes() == before and not (smartcoop_folder / "out.xbrl").exists()


def test_render_over_its_filing_is_refused(generated, tmp_path):
    filing = tmp_path / "f.xbrl"
    shutil.copy(generated, filing)
    before = filing.read_bytes()
    _one_line_error(_invoke("render", filing, "-o", filing))
    assert filing.read_bytes() == before


def test_validate_report_over_its_filing_is_refused(generated, tmp_path):
    filing = tmp_path / "f.xbrl"
    shutil.copy(generated, filing)
    before = filing.read_bytes()
    _one_line_error(_invoke("validate", filing, "-o", filing))
    assert filing.read_bytes() == before


# ---------------------------------------------------------------------- class 6: a stale audit trail


def _changed_filing(generated: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "changed"
    folder.mkdir()
    filing = folder / generated.name
    text = generated.read_text(encoding="utf-8")
    facts = [line for line in text.splitlines() if "<met:am1 " in line and ">0<" not in line]
    first = facts[0]
    value = first.split(">")[1].split("<")[0]
    filing.write_text(text.replace(first, first.replace(f">{value}<", ">12345.67<"), 1), encoding="utf-8")
    shutil.copy(generated.with_name("smartcoop.trail.json"), folder / "smartcoop.trail.json")
    return filing


def test_trail_beside_a_changed_filing_is_ignored_with_a_note(generated, tmp_path):
    filing = _changed_filing(generated, tmp_path)
    page = tmp_path / "p.html"
    r = _invoke("render", filing, "-o", page)
    assert r.exit_code == 0, r.output
    assert "audit trail: rubrics open" not in r.output
    assert "does not belong to this filing" in r.output
    doc = lxml.html.parse(str(page)).getroot()
    assert not doc.xpath("//details[contains(@class,'trail')]") and "does not belong" in doc.text_content()


def test_trail_given_explicitly_for_another_filing_is_ignored_too(generated, tmp_path):
    filing = _changed_filing(generated, tmp_path)
    r = _invoke("render", filing, "-o", tmp_path / "p.html", "--trail", generated.with_name("smartcoop.trail.json"))
    assert r.exit_code == 0 and "does not belong to this filing" in r.output


def test_trail_of_its_own_filing_is_used(generated, tmp_path):
    r = _invoke("render", generated, "-o", tmp_path / "p.html")
    assert r.exit_code == 0 and "audit trail: rubrics open" in r.output, r.output
    trail = json.loads(generated.with_name("smartcoop.trail.json").read_text(encoding="utf-8"))
    assert trail["filing_sha256"] == hashlib.sha256(generated.read_bytes()).hexdigest()


def test_unbound_trail_of_an_older_version_is_ignored(generated, tmp_path):
    folder = tmp_path / "old"
    folder.mkdir()
    shutil.copy(generated, folder / generated.name)
    trail = json.loads(generated.with_name("smartcoop.trail.json").read_text(encoding="utf-8"))
    del trail["filing_sha256"]
    (folder / "smartcoop.trail.json").write_text(json.dumps(trail), encoding="utf-8")
    r = _invoke("render", folder / generated.name, "-o", tmp_path / "p.html")
    assert r.exit_code == 0 and "does not belong to this filing" in r.output


# ---------------------------------------------------------------------- class 8: control characters, leftovers, reports


@pytest.mark.parametrize("escape", ["\\e", "\\x07", "\\0", "\\x0c"])
def test_control_character_in_a_dossier_string_names_line_and_field(smartcoop_folder, escape):
    dossier = smartcoop_folder / "dossier.yaml"
    text = dossier.read_text(encoding="utf-8").replace("  name: SmartCoop", f'  name: "Smart{escape}Coop"')
    dossier.write_text(text, encoding="utf-8")
    line = _one_line_error(_invoke("generate", dossier, "-o", smartcoop_folder / "out.xbrl"))
    assert line.startswith("error: dossier.yaml line 13 (entity.name): ") and "control character" in line
    assert not (smartcoop_folder / "out.xbrl").exists()


def test_failed_page_leaves_no_filing_or_trail_behind(smartcoop_folder, monkeypatch):
    import nbb_filing.rendering as rendering
    from nbb_filing.core.errors import InputError

    def failing(*a, **k):
        raise InputError("the page could not be rendered (test)")

    monkeypatch.setattr(rendering, "render_html", failing)
    out = smartcoop_folder / "out.xbrl"
    r = _invoke(
        "generate", smartcoop_folder / "dossier.yaml", "-o", out, "--trail", "--html", smartcoop_folder / "p.html"
    )
    assert "could not be rendered" in _one_line_error(r)
    assert sorted(p.name for p in smartcoop_folder.iterdir() if p.name.startswith(("out", "p."))) == []


MALFORMED_REPORTS = [
    "[]",
    '{"files": 5}',
    '{"files": [5]}',
    '{"files": [{"path": 5, "findings": [1]}]}',
    '{"files": [{"path": "f.xbrl", "error": 5}]}',
    '{"files": [{"path": "f.xbrl", "error": ["x"]}]}',
    '{"files": [{"path": "f.xbrl", "findings": [{"rule": 5}]}]}',
    '{"files": [{"path": "f.xbrl", "findings": [{"rule": "r", "line": "x"}]}]}',
    '{"files": [{"path": "f.xbrl", "findings": [{"rule": "r", "facts": [{"key": ["k"]}]}]}]}',
]


@pytest.mark.parametrize("content", MALFORMED_REPORTS)
def test_malformed_report_given_to_render_is_one_line(generated, tmp_path, content):
    filing = tmp_path / "f.xbrl"
    shutil.copy(generated, filing)
    report = tmp_path / "bad.json"
    report.write_text(content, encoding="utf-8")
    line = _one_line_error(_invoke("render", filing, "-o", tmp_path / "p.html", "--report", report))
    assert "bad.json" in line
    assert not (tmp_path / "p.html").exists()


# ---------------------------------------------------------------------- class 12: Content-Security-Policy


def test_page_forbids_scripts_and_external_loads(generated, tmp_path):
    page = tmp_path / "p.html"
    assert _invoke("render", generated, "-o", page).exit_code == 0
    doc = lxml.html.parse(str(page)).getroot()
    (meta,) = doc.xpath("//head/meta[@http-equiv='Content-Security-Policy']")
    assert doc.xpath("//head/*[1]")[0].get("charset") == "utf-8"  # before the policy: the policy is read first
    policy = dict((part.split()[0], part.split()[1:]) for part in meta.get("content").split(";") if part.strip())
    assert policy["default-src"] == ["'none'"]
    assert "script-src" not in policy or policy["script-src"] == ["'none'"]
    (style,) = doc.xpath("//head/style")
    digest = base64.b64encode(hashlib.sha256(style.text.encode("utf-8")).digest()).decode()
    assert policy["style-src"] == [f"'sha256-{digest}'"]
    assert all("http" not in " ".join(v) for v in policy.values())


# ---------------------------------------------------------------------- class 3: the mapping file


@pytest.fixture
def private_key(tmp_path: Path) -> Path:
    p = tmp_path / "private" / "id_ed25519"
    p.parent.mkdir()
    p.write_text(
        "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMw"
        "TOPSECRETTOPSECRETTOPSECRET\n-----END OPENSSH PRIVATE KEY-----\n",
        encoding="utf-8",
    )
    return p


def test_mapping_outside_the_dossier_folder_is_refused(smartcoop_folder, private_key):
    dossier = smartcoop_folder / "dossier.yaml"
    dossier.write_text(
        dossier.read_text(encoding="utf-8").replace("mapping: without-capital", f"mapping: {private_key}"),
        encoding="utf-8",
    )
    line = _one_line_error(_invoke("generate", dossier, "-o", smartcoop_folder / "out.xbrl"))
    assert "(inputs.mapping)" in line and "outside the dossier's folder" in line
    assert "TOPSECRET" not in line


def test_mapping_parse_error_quotes_only_a_short_excerpt(smartcoop_folder, private_key):
    dossier = smartcoop_folder / "dossier.yaml"
    dossier.write_text(
        dossier.read_text(encoding="utf-8").replace("mapping: without-capital", f"mapping: {private_key}"),
        encoding="utf-8",
    )
    r = _invoke("generate", dossier, "-o", smartcoop_folder / "out.xbrl", "--allow-outside-paths")
    line = _one_line_error(r)
    assert "TOPSECRET" not in r.output and len(line) < 300


def test_shipped_mapping_by_path_is_still_allowed(smartcoop_folder):
    # the samples name ../../mappings/without-capital.yaml: the shipped mappings are the installation's own
    dossier = smartcoop_folder / "dossier.yaml"
    shipped = ROOT / "mappings" / "without-capital.yaml"
    dossier.write_text(
        dossier.read_text(encoding="utf-8").replace("mapping: without-capital", f"mapping: {shipped}"),
        encoding="utf-8",
    )
    r = _invoke("generate", dossier, "-o", smartcoop_folder / "out.xbrl")
    assert r.exit_code == 0, r.output
