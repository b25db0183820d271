"""Files that are not what they claim, under ``watch`` and ``generate`` (issue 23, class 7).

A control character in a dossier string, a document swapped for a FIFO, a document that is a
symbolic link to ``/dev/zero``: each is a one-line error of the check, within seconds, and the
watcher goes on waiting for the next change.  No regeneration or validation runs (each case fails
while reading the dossier), so no Arelle work is done here.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from nbb_filing.api import generate
from nbb_filing.core.errors import InputError

TEXT_REPORT = 'management_report: {text: "Rapport de gestion de test."}'


def _step_within(watcher, seconds: float = 20.0) -> bool:
    """One watch step in a thread; fails when it does not end in ``seconds`` (a blocked or spinning read)."""
    result: list[bool] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            result.append(watcher.step())
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"the watch step did not end within {seconds} s"
    if errors:
        raise errors[0]
    return result[0]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "dossier"
    d.mkdir()
    return d


def _watcher(folder: Path, text: str, package, printed: list[str]):
    from nbb_filing.cli.cmd_watch import Watcher

    dossier = folder / "dossier.yaml"
    dossier.write_text(text, encoding="utf-8")
    return Watcher(dossier, folder / "out.xbrl", package, echo=printed.append)


def test_escape_character_in_a_dossier_string_is_an_error_of_the_check(mini_text, folder, package):
    printed: list[str] = []
    text = mini_text.replace(TEXT_REPORT, 'management_report: {text: "Rapport \\e[31m rouge"}')
    w = _watcher(folder, text, package, printed)
    assert _step_within(w)
    assert len(printed) == 1 and "control character (U+001B" in printed[0] and "management_report.text" in printed[0]
    assert "internal error" not in printed[0] and not (folder / "out.xbrl").exists()


def test_document_swapped_for_a_fifo_does_not_block(mini_text, folder, package):
    os.mkfifo(folder / "report.txt")
    printed: list[str] = []
    w = _watcher(folder, mini_text.replace(TEXT_REPORT, "management_report: {file: report.txt}"), package, printed)
    assert _step_within(w)
    assert "report.txt is not a regular file" in printed[0]


def test_document_linked_to_dev_zero_does_not_spin(mini_text, folder, package):
    (folder / "report.txt").symlink_to("/dev/zero")
    printed: list[str] = []
    w = _watcher(folder, mini_text.replace(TEXT_REPORT, "management_report: {file: report.txt}"), package, printed)
    assert _step_within(w)
    assert "error:" in printed[0] and "internal error" not in printed[0]
    assert not _step_within(w)  # nothing changed: a device is not read to be fingerprinted


@pytest.mark.parametrize("kind", ["fifo", "device", "folder"])
def test_generate_refuses_a_document_that_is_not_a_regular_file(mini_text, folder, package, kind):
    target = folder / "report.txt"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":
        target.symlink_to("/dev/zero")
    else:
        target.mkdir()
    dossier = folder / "dossier.yaml"
    dossier.write_text(mini_text.replace(TEXT_REPORT, "management_report: {file: report.txt}"), encoding="utf-8")
    with pytest.raises(InputError, match=r"\(management_report.file\): report.txt is not a regular file"):
        generate(dossier, folder / "out.xbrl", package=package, allow_outside_paths=True)


def test_document_larger_than_a_filing_is_refused_before_reading(mini_text, folder, package, monkeypatch):
    from nbb_filing.taxonomy.limits import max_filing_bytes

    big = folder / "report.pdf"
    with big.open("wb") as f:
        f.write(b"%PDF-1.4\n")
        f.truncate(max_filing_bytes() + 1)  # sparse: no disk used

    def no_read(*a, **k):
        raise AssertionError("read before the size check")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    dossier = folder / "dossier.yaml"
    dossier.write_text(mini_text.replace(TEXT_REPORT, "management_report: {file: report.pdf}"), encoding="utf-8")
    with pytest.raises(InputError, match=r"\(management_report\): report.pdf has \d+ bytes, more than a whole filing"):
        generate(dossier, folder / "out.xbrl", package=package)


@pytest.mark.parametrize("option", ["report", "html"])
def test_watch_output_over_the_dossier_is_an_error_of_the_check(mini_text, folder, package, option):
    from nbb_filing.cli.cmd_watch import Watcher

    dossier = folder / "dossier.yaml"
    dossier.write_text(mini_text, encoding="utf-8")
    printed: list[str] = []
    w = Watcher(dossier, folder / "out.xbrl", package, echo=printed.append, **{option: dossier})
    assert _step_within(w)
    assert "refused as the" in printed[0] and dossier.read_text(encoding="utf-8") == mini_text
    assert not (folder / "out.xbrl").exists()
