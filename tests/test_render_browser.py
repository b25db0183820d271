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
from decimal import Decimal
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


# ---------------------------------------------------------------- the accountant's page (issue 24)


def amount(text: str) -> Decimal:
    """``−1.146.247,12`` (the page's fr format) -> Decimal."""
    return Decimal(text.strip().replace("\u2212", "-").replace(".", "").replace(",", "."))


@pytest.fixture(scope="module")
def m81(tmp_path_factory, package, catalog):
    """SmartCoop filed as m81-f (abbreviated, without capital) with its audit trail, and its page."""
    from nbb_filing.api import generate
    from nbb_filing.rendering import render_filing

    catalog("m81-f")
    d = tmp_path_factory.mktemp("m81")
    dossier = ROOT / "samples/smartcoop-2024/dossier.yaml"
    xbrl = generate(dossier, d / "smartcoop-m81.xbrl", package=package, trail=True, model="m81-f").output
    return xbrl, render_filing(xbrl, d / "smartcoop-m81.html", package=package).output


@pytest.fixture(scope="module")
def m81_dom(m81, tmp_path_factory):
    res = run_chromium(tmp_path_factory.mktemp("dom"), "--dump-dom", m81[1].as_uri())
    assert res.returncode == 0, res.stderr[-2000:]
    return lxml.html.fromstring(res.stdout)


def test_identification_fields_under_their_own_labels(m81_dom):
    card = m81_dom.xpath('//dl[@class="ident"]')[0]
    fields = dict(zip([x.text_content() for x in card.xpath("dt")], [x.text_content() for x in card.xpath("dd")]))
    assert fields["Adresse E-mail"] == "comptabilite@smartcoop.example"  # not under the court's header
    assert fields["Adresse Internet"] == "https://smartcoop.example"
    assert not any(k.startswith("Registre") and "mail" in k for k in fields)
    assert fields["Adresse > N°"] == "72" and "Adresse" not in fields  # the house number is "N°"
    grid = m81_dom.xpath('//table[contains(@data-table, "s.01.00.2/tab/1")]')[0]
    email = grid.xpath('.//tr[td[@class="label"][normalize-space(text())="Adresse E-mail"]]')[0]
    assert "d0" in email.get("class")  # a row of its own, not indented under "Registre des personnes morales"
    number = grid.xpath('.//tr[td[@class="label"][normalize-space(text())="N°"]]')[0]
    assert number.get("class").split() == ["d1"]  # under "Adresse", like "Rue"; not a bold total row


def test_mandate_end_date_is_headed_end(m81_dom):
    table = m81_dom.xpath('//table[contains(@data-table, "s.02.01.0.abcdef/tab/5")]')[0]
    heads = [th.text_content() for th in table.xpath(".//thead//th")]
    assert "Date de début de mandat" in heads and "Date de fin de mandat" in heads
    end = heads.index("Date de fin de mandat")
    first = table.xpath(".//tbody/tr")[0]
    assert first.xpath("td")[end].text_content() == "16/06/2026"  # the dossier's end of Anne-Laure Desgris' mandate


def test_list_values_show_labels_not_qnames(m81_dom):
    text = m81_dom.text_content()
    assert not re.search(r"\(m[0-9A-Z]{1,4}\)", text), re.search(r".{40}\(m[0-9A-Z]{1,4}\)", text)
    assert "Société coopérative" in text and "Belgique" in text
    assert "1060 Saint-Gilles" in text  # a postal code keeps its code: it is the address


def test_appropriation_account_is_whole_and_adds_up(m81_dom):
    section = m81_dom.xpath('//section[starts-with(@id, "sec-s.05.00.0")]')[0]
    rows = {
        tr.xpath('string(td[@class="code"])'): tr
        for tr in section.xpath(".//table[@data-table]/tbody/tr[@data-rubric]")
    }
    assert {"9906", "(9905)", "14P", "(14)"} <= set(rows), sorted(rows)

    def cell(code, period):
        return amount(rows[code].xpath(f'string(td[@data-period="{period}"])'))

    for period in ("current", "previous"):
        assert cell("9906", period) == cell("(9905)", period) + cell("14P", period)
        assert cell("(14)", period) == cell("9906", period)  # nothing allocated: all carried forward
    # 14 is the liabilities' figure, shown again
    liabilities = m81_dom.xpath('//tr[@data-rubric="14"]')[0]
    assert amount(liabilities.xpath('string(td[@data-period="current"])')) == cell("(14)", "current")


@pytest.mark.parametrize("rubric", ["60/61", "28"])
def test_drill_down_reaches_the_accounts(m81_dom, rubric):
    row = m81_dom.xpath(f'//tr[@data-rubric="{rubric}"]')[0]
    value = amount(row.xpath('string(td[@data-period="current"])'))
    trail = row.xpath('.//details[@class="trail"]/table[@data-period="current"]')[0]
    heads = [th.text_content() for th in trail.xpath(".//th")]
    assert "Via la rubrique" in heads
    accounts = trail.xpath('.//tr[@class="account"]')
    assert accounts and all(re.fullmatch(r"\d{6}", tr.xpath("string(td[1])")) for tr in accounts)
    assert sum(amount(tr.xpath("string(td[last()])")) for tr in accounts) == value
    via = {tr.xpath("string(td[4])") for tr in accounts}
    assert via == ({"600/8", "61"} if rubric == "60/61" else {"280", "284", "285/8"})


def test_social_balance_fits_a_1300_px_window(m81, tmp_path):
    """Measured by Chromium's own layout: a copy of the page with a probe script (the page has none, and
    its Content-Security-Policy forbids scripts: the copy drops that one meta element, nothing else)."""
    probe = tmp_path / "probe.html"
    script = (
        "<script>addEventListener('load',()=>{const w=document.documentElement.clientWidth;"
        "const over=[...document.querySelectorAll('table')].filter(t=>t.getBoundingClientRect().right>w)"
        ".map(t=>t.dataset.table);document.body.dataset.over=JSON.stringify(over);"
        "document.body.dataset.scroll=document.documentElement.scrollWidth-w;});</script>"
    )
    page = m81[1].read_text(encoding="utf-8")
    page, policies = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
    assert policies == 1
    probe.write_text(page.replace("</body>", script + "</body>"), encoding="utf-8")
    res = run_chromium(tmp_path, "--window-size=1300,1000", "--virtual-time-budget=3000", "--dump-dom", probe.as_uri())
    body = lxml.html.fromstring(res.stdout).xpath("//body")[0]
    assert body.get("data-over") == "[]", body.get("data-over")
    assert body.get("data-scroll") == "0"
    assert lxml.html.parse(str(m81[1])).xpath('//section[starts-with(@id, "sec-s.12.00.0")]')  # it is on the page


def _pdf_pages(pdf: Path) -> list[str]:
    if shutil.which("pdftotext") is None:
        pytest.fail("pdftotext is not installed (apt-get install poppler-utils; .ci/run installs it)")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def test_render_pdf_parts_page_numbers_and_running_header(m81, tmp_path):
    from click.testing import CliRunner

    from nbb_filing.cli import main

    xbrl, _ = m81
    html, pdf = tmp_path / "page.html", tmp_path / "accounts.pdf"
    r = CliRunner().invoke(main, ["render", str(xbrl), "-o", str(html), "--pdf", str(pdf)])
    assert r.exit_code == 0, r.output
    assert f"wrote {pdf}" in r.output and pdf.read_bytes()[:5] == b"%PDF-"
    pages = _pdf_pages(pdf)
    n = len(pages)
    titles = [h.text_content() for h in lxml.html.parse(str(html)).xpath("//section[contains(@class,'page')]/h2")]
    assert n >= len(titles) > 5
    for i, text in enumerate(pages, 1):
        lines = [x.strip() for x in text.splitlines() if x.strip()]
        assert lines[0] == "SmartCoop — Exercice 2024", (i, lines[:2])  # running header
        assert lines[-1] == f"page {i} / {n}", (i, lines[-1])  # page number
    # each part starts a page: its title is the first line under the running header of some page
    tops = [" ".join(x.strip() for x in p.splitlines() if x.strip()) for p in pages]
    for title in titles:  # (a long title wraps: its words follow the header)
        assert any(top.startswith(f"SmartCoop — Exercice 2024 {title}") for top in tops), title
    # the default name: the page's with .pdf
    r = CliRunner().invoke(main, ["render", str(xbrl), "-o", str(html), "--pdf"])
    assert r.exit_code == 0 and html.with_suffix(".pdf").is_file(), r.output


def test_render_pdf_without_chromium_says_what_to_install(m81, tmp_path, monkeypatch):
    from click.testing import CliRunner

    from nbb_filing.cli import main

    monkeypatch.setenv("NBB_FILING_CHROMIUM", str(tmp_path / "no-such-browser"))
    html = tmp_path / "page.html"
    r = CliRunner().invoke(main, ["render", str(m81[0]), "-o", str(html), "--pdf"])
    assert r.exit_code == 2
    lines = [x for x in r.output.splitlines() if x.strip()]
    assert len(lines) == 1 and "apt-get install chromium" in lines[0] and "Traceback" not in r.output
    assert html.is_file() and not html.with_suffix(".pdf").exists()
