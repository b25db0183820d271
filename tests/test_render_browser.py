"""The rendered page opened in a real browser: headless Chromium (Debian package ``chromium``).

Checks what a person would see: the DOM after Chromium parsed and laid out the page (``--dump-dom``),
a screenshot of the requested size, and the print layout (``--print-to-pdf``: one section per page).
Chromium runs offline (no background networking, no component updates, a throw-away profile).
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
from pathlib import Path

import lxml.html
import pytest

ROOT = Path(__file__).resolve().parents[1]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        pytest.fail("chromium is not installed (apt-get install chromium; .ci/run installs it)")
    return exe


def run_chromium(tmp: Path, *args: str) -> subprocess.CompletedProcess:
    profile = tmp / "profile"
    profile.mkdir(exist_ok=True)
    return subprocess.run(
        [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def page(tmp_path_factory, package, catalog):
    """The SmartCoop page (m82-f) with its audit trail and one finding at 20/58."""
    from nbb_filing.api import generate
    from nbb_filing.checks.findings import (
        FactRef,
        FileReport,
        Finding,
        ValidationReport,
    )
    from nbb_filing.rendering import render_filing

    d = tmp_path_factory.mktemp("browser")
    dossier = ROOT / "samples/smartcoop-2024/dossier.yaml"
    xbrl = generate(dossier, d / "smartcoop.xbrl", package=package, trail=True).output
    dp = catalog("m82-f").lookup("20/58", "current")
    ref = FactRef(dp.key, "20/58", dp.label("fr"), "", "current", None)
    report = ValidationReport(
        [
            FileReport(
                str(xbrl),
                "m82-f",
                findings=[Finding("va_calc_demo", "assertion", "va", "blocking", "total does not add up", (ref,))],
            )
        ]
    )
    return render_filing(xbrl, d / "smartcoop.html", package=package, report=report).output


def test_dom_as_chromium_sees_it(page, tmp_path):
    res = run_chromium(tmp_path, "--dump-dom", page.as_uri())
    assert res.returncode == 0, res.stderr[-2000:]
    doc = lxml.html.fromstring(res.stdout)
    assert doc.xpath("string(//header//h1)") == "SmartCoop"
    row = doc.xpath('//tr[@data-rubric="20/58"]')[0]
    assert row.xpath('string(td[@data-period="current"])').startswith("10.018.553,00")
    assert "finding-blocking" in row.get("class")
    assert doc.xpath('//li[@id="f-1"]') and doc.xpath('//a[@href="#f-1"]')
    assert len(doc.xpath('//details[@class="trail"]')) >= 10
    assert len(doc.xpath("//section[contains(@class, 'page')]")) >= 5


def test_screenshot_has_the_window_size(page, tmp_path):
    shot = tmp_path / "shot.png"
    res = run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=1200,900", "--hide-scrollbars", page.as_uri())
    assert res.returncode == 0 and shot.is_file(), res.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 900)
    assert len(data) > 30_000  # a laid-out page, not a blank one


def test_print_layout_one_section_per_page(page, tmp_path):
    pdf = tmp_path / "page.pdf"
    res = run_chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert res.returncode == 0 and pdf.is_file(), res.stderr[-2000:]
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))
    sections = len(lxml.html.parse(str(page)).xpath("//section[contains(@class, 'page')]"))
    assert pages >= sections
