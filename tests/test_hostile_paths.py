"""Files a dossier names stay inside its folder unless the user allows otherwise (issue 15, class 5),
and embedded documents are of the type their slot requires."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from nbb_filing.api import generate
from nbb_filing.cli import main
from nbb_filing.core.errors import InputError

TEXT_REPORT = 'management_report: {text: "Rapport de gestion de test."}'


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A local file outside the dossier's folder, that a hostile dossier would like to embed."""
    p = tmp_path / "private" / "secret.txt"
    p.parent.mkdir()
    p.write_text("the client's password\n", encoding="utf-8")
    return p


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "dossier"
    d.mkdir()
    return d


def _write(folder: Path, text: str) -> Path:
    p = folder / "dossier.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def _line(text: str, needle: str) -> int:
    return next(i for i, x in enumerate(text.splitlines(), 1) if needle in x)


@pytest.mark.parametrize("how", ["absolute", "relative", "symlink"])
def test_document_outside_the_folder_is_refused(mini_text, folder, secret, package, how):
    if how == "symlink":
        (folder / "report.txt").symlink_to(secret)
        ref = "report.txt"
    else:
        ref = str(secret) if how == "absolute" else "../private/secret.txt"
    text = mini_text.replace(TEXT_REPORT, f"management_report: {{file: '{ref}'}}")
    out = folder / "out.xbrl"
    with pytest.raises(InputError) as e:
        generate(_write(folder, text), out, package=package)
    line = _line(text, "management_report:")
    where = f"dossier.yaml line {line} (management_report.file)"
    assert str(e.value).startswith(f"{where}: {ref} is outside the dossier's folder")
    assert "--allow-outside-paths" in str(e.value)
    assert not out.exists()


def test_allowed_outside_paths_read_the_file(mini_text, folder, secret, package):
    text = mini_text.replace(TEXT_REPORT, f"management_report: {{file: '{secret}'}}")
    out = folder / "out.xbrl"
    generate(_write(folder, text), out, package=package, allow_outside_paths=True)
    assert "the client&apos;s password" in out.read_text() or "the client's password" in out.read_text()


def test_cli_refuses_unless_the_option_is_given(mini_text, folder, secret):
    text = mini_text.replace(TEXT_REPORT, f"valuation_rules: {{file: '{secret}'}}")
    dossier = _write(folder, text)
    out = folder / "out.xbrl"
    r = CliRunner().invoke(main, ["generate", str(dossier), "-o", str(out)])
    assert r.exit_code == 2
    assert r.output.startswith(f"error: dossier.yaml line {_line(text, 'valuation_rules')} (valuation_rules.file): ")
    assert len(r.output.strip().splitlines()) == 1 and not out.exists()
    r = CliRunner().invoke(main, ["generate", str(dossier), "-o", str(out), "--allow-outside-paths"])
    assert r.exit_code == 0, r.output
    assert out.is_file()


@pytest.mark.parametrize("key", ["trial_balance", "previous_trial_balance"])
def test_trial_balance_outside_the_folder_is_refused(mini_text, folder, secret, package, key):
    mapping = os.path.relpath(Path("mappings/without-capital.yaml").resolve(), folder)  # shared mapping: allowed
    paths = {"trial_balance": "tb.csv", "previous_trial_balance": "tb-prev.csv", key: str(secret)}
    text = mini_text + "inputs:\n" + "".join(f"  {k}: {v}\n" for k, v in paths.items()) + f"  mapping: {mapping}\n"
    for name in ("tb.csv", "tb-prev.csv"):
        (folder / name).write_text("account;debit;credit\n", encoding="utf-8")
    line = _line(text, f"  {key}:")
    expected = rf"^dossier.yaml line {line} \(inputs.{key}\): .* is outside the dossier's folder"
    with pytest.raises(InputError, match=expected):
        generate(_write(folder, text), folder / "out.xbrl", package=package)


def test_datapoint_fact_file_outside_the_folder_and_not_a_pdf(mini_text, folder, secret, package):
    key = "met:bsb1[dim:bas=bas:m107,dim:part=part:m6]"
    text = mini_text.replace(TEXT_REPORT, f"datapoint_facts:\n  - {{datapoint: '{key}', file: '{secret}'}}")
    with pytest.raises(InputError, match=r"\(datapoint_facts\[0\].file\): .* is outside the dossier's folder"):
        generate(_write(folder, text), folder / "out.xbrl", package=package)
    (folder / "doc.pdf").write_text("not a pdf", encoding="utf-8")
    text = text.replace(str(secret), "doc.pdf")
    with pytest.raises(InputError, match=r"\(datapoint_facts\[0\]\): doc.pdf is not a PDF file"):
        generate(_write(folder, text), folder / "out.xbrl", package=package)


@pytest.mark.parametrize(
    "name, content, expected",
    [
        ("report.pdf", b"MZ\x90\x00 an executable", "is not a PDF file"),
        ("report.txt", b"%PDF-1.4 a pdf named .txt", "is not plain text"),
        ("report.txt", b"text\x00with a NUL", "is not plain text"),
        ("report.txt", b"\xff\xfe\x00binary", "neither a PDF nor UTF-8 text"),
    ],
)
def test_document_of_the_wrong_type_is_refused(mini_text, folder, package, name, content, expected):
    (folder / name).write_bytes(content)
    text = mini_text.replace(TEXT_REPORT, f"management_report: {{file: {name}}}")
    out = folder / "out.xbrl"
    with pytest.raises(InputError, match=expected):
        generate(_write(folder, text), out, package=package)
    assert not out.exists()
