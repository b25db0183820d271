"""``nbb-filing render``: the HTML page checked structurally (parsed with lxml.html).

No Arelle run here: the SmartCoop sample is generated (no validation) and read back; findings come
from a report object built from the catalog's own datapoints, written to JSON for ``--report``.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
XBRLI = "http://www.xbrl.org/2003/instance"
XBRLDI = "http://xbrl.org/2006/xbrldi"


def _amount(text: str) -> Decimal:
    """``−1.146.247,12`` -> Decimal (the page's Belgian format)."""
    t = text.strip().replace("\u2212", "-").replace(".", "").replace(",", ".")
    return Decimal(t)


def _row(doc, rubric: str, table: str | None = None):
    rows = doc.xpath(f'//tr[@data-rubric="{rubric}"]')
    if table:
        rows = [r for r in rows if table in r.getparent().getparent().get("data-table", "")]
    assert rows, f"no row for {rubric}"
    return rows[0]


def _cell(row, period: str):
    cells = row.xpath(f'td[@data-period="{period}"][not(contains(@class, "filed"))]')
    assert cells, f"no {period} cell in row {row.get('data-rubric')}"
    return cells[0]


@pytest.fixture(scope="module")
def smartcoop(tmp_path_factory, package, catalog):
    """The SmartCoop sample generated with its audit trail (m82-f) through the CLI, and its page."""
    from nbb_filing.cli import main

    catalog("m82-f")
    out = tmp_path_factory.mktemp("render") / "smartcoop.xbrl"
    html = out.with_suffix(".html")
    res = CliRunner().invoke(
        main,
        ["generate", str(ROOT / "samples/smartcoop-2024/dossier.yaml"), "-o", str(out), "--trail", "--html", str(html)],
    )
    assert res.exit_code == 0, res.output
    assert out.with_name("smartcoop.trail.json").is_file()
    return out, lxml.html.parse(str(html)).getroot()


def test_page_is_self_contained(smartcoop):
    _, doc = smartcoop
    assert doc.xpath("//style") and not doc.xpath("//script") and not doc.xpath("//link")
    for el in doc.iter():
        for attr in ("src", "href"):
            v = el.get(attr)
            assert v is None or v.startswith(("#", "data:")), f"external reference {attr}={v!r}"


def test_key_rows_labels_codes_and_amounts(smartcoop):
    _, doc = smartcoop
    total = _row(doc, "20/58")
    assert total.xpath('string(td[@class="label"]/text())').strip() == "TOTAL DE L'ACTIF"
    assert _cell(total, "current").text == "10.018.553,00"
    assert _cell(total, "previous").text == "17.131.627,39"
    # a negative amount is shown as negative and marked
    carried = _cell(_row(doc, "14"), "current")
    assert carried.text.startswith("\u2212") and "neg" in carried.get("class")
    assert _amount(carried.text) < 0
    # the identification card and the entity in the header
    assert doc.xpath("string(//header//h1)") == "SmartCoop"
    assert "0999.000.030" in doc.xpath("string(//header)")


def test_tables_in_package_order_with_identification_first(smartcoop, catalog):
    from nbb_filing.rendering.layout import table_order_key

    _, doc = smartcoop
    ids = [t.get("data-table") for t in doc.xpath("//table[@data-table]")]
    order = {t.id: i for i, t in enumerate(sorted(catalog("m82-f").tables, key=table_order_key))}
    assert [order[i] for i in ids] == sorted(order[i] for i in ids)
    ident = doc.xpath('//section[@id="identification"]//table/@data-table')
    assert ident and ids[: len(ident)] == ident
    assert not doc.xpath('//section[@id="identification"]//tr[@data-rubric!=""]')


def test_people_and_participations_are_real_tables(smartcoop, catalog):
    _, doc = smartcoop
    people = [t for t in doc.xpath("//table[contains(@class, 'list')]") if "s.02.01" in t.get("data-table")]
    names = {td.text for t in people for td in t.xpath("tbody/tr/td[1]")}
    assert "Anne-Laure Desgris" in names
    # the participations list is whichever table of the model carries the participation's typed dimension
    # (the abbreviated models' s.07.01, the full models' note 6.5.1)
    lists = {dp.table for dp in catalog("m82-f").datapoints if "dim:ptpn" in dp.typed}
    assert lists
    parts = [t for t in doc.xpath("//table[contains(@class, 'transposed')]") if t.get("data-table") in lists]
    assert parts, "the participations list is shown as a table"
    heads = parts[0].xpath("thead/tr/th/text()")
    assert {"Matlease", "Ubik"} <= set(heads)


def test_documents_listed_with_size(smartcoop):
    _, doc = smartcoop
    docs = doc.xpath('//section[@id="documents"]//li[@class="document"]')
    assert len(docs) == 2
    text = (ROOT / "samples/smartcoop-2024/rapport-de-gestion.txt").read_text(encoding="utf-8").strip()
    kb = f"{len(text.encode()) / 1024:.1f}".replace(".", ",")
    assert any(f"{kb} KB" in li.text_content() for li in docs)


def test_audit_trail_drills_down_to_accounts(smartcoop):
    _, doc = smartcoop
    checked = 0
    for row in doc.xpath('//tr[.//details[@class="trail"]]'):
        for table in row.xpath('.//details[@class="trail"]/table[@data-period="current"]'):
            amounts = [_amount(t) for t in table.xpath('tr[@class="account"]/td[4]/text()')]
            if not amounts:
                continue
            cell = _cell(row, "current")
            assert sum(amounts) == _amount(cell.text), row.get("data-rubric")
            checked += 1
    assert checked >= 10
    # a total drills down to its terms: the linked rows add up to it
    total = _row(doc, "20/58")
    caption = total.xpath('.//details[@class="trail"]/table[@data-period="current"]/caption')[0]
    terms = [a.get("href")[len("#rub-") :] for a in caption.xpath('a[@class="term"][@href]')]
    assert len(terms) >= 2
    parts = sum(_amount(_cell(doc.xpath(f'//tr[@id="rub-{t}"]')[0], "current").text) for t in terms)
    assert parts == _amount(_cell(total, "current").text)


def test_second_language_and_english_numbers(smartcoop, package, tmp_path):
    from nbb_filing.rendering import render_filing

    xbrl, _ = smartcoop
    for lang, label, amount in (("nl", "TOTAAL VAN DE ACTIVA", "10.018.553,00"), ("en", None, "10,018,553.00")):
        res = render_filing(xbrl, tmp_path / f"{lang}.html", lang=lang, package=package)
        doc = lxml.html.parse(str(res.output)).getroot()
        row = _row(doc, "20/58")
        if label:
            assert row.xpath('string(td[@class="label"]/text())').strip() == label
        assert _cell(row, "current").text == amount
        assert doc.get("lang") == lang


def _report(path: Path, catalog):
    from nbb_filing.checks.findings import (
        FactRef,
        FileReport,
        Finding,
        ValidationReport,
    )

    dp = catalog.lookup("20/58", "current")
    ref = FactRef(dp.key, "20/58", dp.label("fr"), dp.column_label("fr"), "current", "10018553", 12)
    findings = [
        Finding("va_calc_test", "assertion", "va", "blocking", "20/58 does not add up", (ref,)),
        Finding("dat_test_note", "protocol", "protocol", "warning", "about the file as a whole"),
    ]
    return ValidationReport([FileReport(str(path), "m82-f", findings=findings)], lang="fr")


def test_findings_shown_at_their_rows_and_summarised(smartcoop, catalog, package, tmp_path):
    from nbb_filing.checks.report_formats import render_json
    from nbb_filing.cli import main
    from nbb_filing.rendering import render_filing

    xbrl, _ = smartcoop
    report = _report(xbrl, catalog("m82-f"))
    res = render_filing(xbrl, tmp_path / "direct.html", package=package, report=report)
    assert (res.findings, res.findings_placed) == (2, 1)
    (tmp_path / "report.json").write_text(render_json(report), encoding="utf-8")
    out = tmp_path / "from-json.html"
    cli = CliRunner().invoke(main, ["render", str(xbrl), "-o", str(out), "--report", str(tmp_path / "report.json")])
    assert cli.exit_code == 0, cli.output
    for page in (res.output, out):
        doc = lxml.html.parse(str(page)).getroot()
        row = _row(doc, "20/58")
        assert "finding-blocking" in row.get("class")
        note = row.getnext()
        assert "finding-note" in note.get("class")
        assert "va_calc_test" in note.text_content() and "20/58 does not add up" in note.text_content()
        assert "va_calc_test" in _cell(row, "current").text_content()
        assert "va_calc_test" not in _cell(row, "previous").text_content()
        summary = doc.xpath('//div[@id="findings"]')[0].text_content()
        assert "1 bloquant" in summary and "1 avertissement" in summary and "about the file as a whole" in summary


def _last_year(this_year: Path, target: Path, changed_rubric_fact: str, new_value: str) -> None:
    """Last year's filing made from this one: its previous-year facts become the current ones.

    A previous-year closing cell of the fixed-asset notes carries two members more than the current
    one (dim:aln, dim:rut: "at the end of the previous exercise", data/fixed-assets.yaml), which
    last year's current cell does not have."""
    tree = etree.parse(str(this_year))
    root = tree.getroot()
    drop = set()
    for ctx in root.iter(f"{{{XBRLI}}}context"):
        members = list(ctx.iter(f"{{{XBRLDI}}}explicitMember"))
        previous = any(m.get("dimension") == "dim:prd" and m.text.strip() == "prd:m2" for m in members)
        for m in members:
            if m.get("dimension") == "dim:prd":
                if m.text.strip() == "prd:m1":
                    drop.add(ctx.get("id"))
                else:
                    m.text = "prd:m1"
            elif previous and m.get("dimension") in ("dim:aln", "dim:rut"):
                m.getparent().remove(m)
    for el in list(root):
        if el.get("contextRef") in drop or (el.tag == f"{{{XBRLI}}}context" and el.get("id") in drop):
            root.remove(el)
    for el in root:
        if el.get("contextRef") == changed_rubric_fact:
            el.text = new_value
    tree.write(str(target), xml_declaration=True, encoding="UTF-8")


def test_previous_filing_beside_previous_column(smartcoop, package, catalog, tmp_path):
    from nbb_filing.reading.reader import read_facts
    from nbb_filing.rendering import render_filing

    xbrl, _ = smartcoop
    facts = read_facts(xbrl, package)
    prev_total = next(f for f in facts if f.datapoint.rubric == "20/58" and f.datapoint.period == "previous")
    tree = etree.parse(str(xbrl))
    ctx = next(
        el.get("contextRef")
        for el in tree.getroot()
        if el.get("contextRef") and el.sourceline == prev_total.source_line
    )
    last = tmp_path / "last.xbrl"
    _last_year(xbrl, last, ctx, "17131000.00")
    res = render_filing(xbrl, tmp_path / "p.html", package=package, previous=last)
    assert res.differences == 1
    doc = lxml.html.parse(str(res.output)).getroot()
    row = _row(doc, "20/58")
    filed = row.xpath('td[contains(@class, "filed")]')
    assert filed and filed[0].text == "17.131.000,00" and "diff" in filed[0].get("class")
    assert "diff" in _cell(row, "previous").get("class")
    same = _row(doc, "10/15")
    assert same.xpath('td[contains(@class, "filed")]')[0].text == _cell(same, "previous").text
    assert len(doc.xpath('//td[contains(@class, "diff")][not(contains(@class, "filed"))]')) == 1


@pytest.mark.parametrize("model", ["m81-f", "m87-f"])
def test_smartcoop_renders_in_the_coarser_models(model, sample_outputs, package, tmp_path):
    from nbb_filing.rendering import render_filing

    res = render_filing(sample_outputs[model].output, tmp_path / f"{model}.html", package=package, lang="nl")
    doc = lxml.html.parse(str(res.output)).getroot()
    assert _cell(_row(doc, "20/58"), "current").text == "10.018.553,00"
    assert res.tables >= 10


def test_accepted_real_filing_renders(accepted_m87, package, tmp_path):
    from nbb_filing.cli import main

    out = tmp_path / "accepted.html"
    res = CliRunner().invoke(main, ["render", str(accepted_m87), "-o", str(out), "--all-rows"])
    assert res.exit_code == 0, res.output
    doc = lxml.html.parse(str(out)).getroot()
    assert _cell(_row(doc, "20/58"), "current").text == "554.894,28"
    assert _cell(_row(doc, "20/58"), "previous").text == "273.907,17"
    assert doc.xpath("string(//header//h1)") == "CALYX WORKS"
    # --all-rows keeps the empty rows of a table that holds a fact: every rubric of the assets table
    assets = _row(doc, "20/58").getparent()
    assert len(assets.xpath("tr[@data-rubric!='']")) == 25


def test_code_only_label_falls_back_to_another_model(catalog):
    from nbb_filing.rendering.labels import RowLabels

    m82, m87 = catalog("m82-f"), catalog("m87-f")
    dp = m87.lookup("9900", "current")  # a rubric of m87-f that m82-f does not have
    assert not m82.has_rubric("9900")
    bare = replace(dp, labels=tuple((lang, "9900") for lang, _ in dp.labels))
    labels = RowLabels(m82, siblings=[m87])
    assert labels.of(bare, "nl") == dp.label("nl") != "9900"
    assert labels.fallbacks == {dp.key: "m87-f"}
    lonely = replace(bare, key="met:none[]", rubric="no-such-rubric", other_rubrics=())
    assert labels.of(lonely, "fr") == "9900"


def _refuse(model: str):
    raise AssertionError(f"{model} was loaded")


def test_a_model_whose_catalog_labels_its_rows_reads_no_other_model(sample_outputs, package):
    """m81-f (the issue's newcomer): its own catalog labels every row the page shows (its unlabelled
    cells are list columns named by their header), so the page reads no other model."""
    from nbb_filing.reading.reader import read_facts
    from nbb_filing.rendering import render_html
    from nbb_filing.rendering.labels import RowLabels

    facts = read_facts(sample_outputs["m81-f"].output, package)
    labels = RowLabels(facts.catalog, loader=_refuse, peek=_refuse)
    html, tables, _ = render_html(facts, lang="fr", labels=labels)
    assert len(tables) > 10 and "TOTAL DE L'ACTIF" in html
    assert labels.fallbacks == {} and labels.compiled == []


def test_label_lacking_rows_look_in_the_own_catalog_first(catalog):
    from nbb_filing.rendering.labels import RowLabels

    m82 = catalog("m82-f")
    prev = m82.lookup("20/58", "previous")
    bare = replace(prev, key="met:bare[]", labels=tuple((lang, "20/58") for lang, _ in prev.labels))
    labels = RowLabels(m82, loader=_refuse, peek=_refuse)
    # the current-year cell of the same rubric code names it: no other model is read
    assert labels.of(bare, "nl") == m82.lookup("20/58", "current").label("nl") != "20/58"
    assert labels.fallbacks == {}
    # a row without any label is not looked up anywhere (its header names it)
    blank = replace(bare, key="met:blank[]", rubric=None, labels=())
    assert labels.of(blank, "fr") == ""


def test_siblings_at_hand_first_then_one_loaded_at_a_time(catalog):
    from nbb_filing.rendering.labels import RowLabels

    m82, m81, m87 = catalog("m82-f"), catalog("m81-f"), catalog("m87-f")
    models = {"m81-f": m81, "m87-f": m87}
    loads: list[str] = []
    peeks: list[str] = []

    def load(model: str):
        loads.append(model)
        return models[model]

    def peek(model: str):  # only m87-f is "at hand" (in the catalog cache)
        peeks.append(model)
        return m87 if model == "m87-f" else None

    labels = RowLabels(m82, loader=load, peek=peek, compile_siblings=True)
    labels._sibling_models = lambda: ["m81-f", "m87-f"]  # type: ignore[method-assign]

    def code_only(code: str, key: str):
        dp = m82.lookup("20/58", "current")
        return replace(dp, key=key, rubric=code, other_rubrics=(), labels=tuple((lang, code) for lang, _ in dp.labels))

    # 9900 is in m87-f (at hand), not in m82-f: nothing is loaded
    assert not m82.has_rubric("9900") and m87.has_rubric("9900")
    assert labels.of(code_only("9900", "k1"), "fr") == m87.lookup("9900").label("fr") != "9900"
    assert labels.fallbacks == {"k1": "m87-f"} and loads == [] and peeks == ["m81-f", "m87-f"]
    # 891 is only in m81-f: m87-f is tried, then m81-f is loaded (once)
    assert not m82.has_rubric("891") and not m87.has_rubric("891") and m81.has_rubric("891")
    assert labels.of(code_only("891", "k2"), "fr") == m81.lookup("891").label("fr") != "891"
    assert labels.fallbacks["k2"] == "m81-f" and loads == ["m81-f"] and labels.compiled == ["m81-f"]
    # a code nobody labels stays the code; no model is loaded twice, none is peeked twice
    assert labels.of(code_only("no-such", "k3"), "fr") == "no-such"
    assert loads == ["m81-f"] and peeks == ["m81-f", "m87-f"]


def test_models_not_at_hand_are_not_compiled_unless_asked(catalog):
    """By default a label is borrowed only from a family model at hand; the others are named, not
    compiled (in the replica they never label those rows: a first m82-f page saved ~6 s of CPU)."""
    from nbb_filing.rendering.labels import RowLabels

    m82, m87 = catalog("m82-f"), catalog("m87-f")
    labels = RowLabels(m82, loader=_refuse, peek=lambda m: m87 if m == "m87-f" else None)
    dp = m82.lookup("20/58", "current")
    bare = replace(dp, key="k9900", rubric="9900", other_rubrics=(), labels=tuple((lg, "9900") for lg, _ in dp.labels))
    assert labels.of(bare, "fr") == m87.lookup("9900").label("fr")  # m87-f is at hand (cached)
    assert labels.not_read == [] and labels.kept_code == set()
    nobody = replace(bare, key="k-none", rubric="no-such", labels=tuple((lg, "no-such") for lg, _ in dp.labels))
    assert labels.of(nobody, "fr") == "no-such"
    assert labels.not_read == ["m81-f"] and labels.kept_code == {"k-none"} and labels.compiled == []


def test_render_names_the_models_it_did_not_compile_and_borrows_when_asked(smartcoop, tmp_path, catalog, monkeypatch):
    """The m82-f page on a data home where the family's other catalogs are not cached: the page and
    the CLI say how many rows kept their code and which models were not read; ``--borrow-labels``
    loads (on a cold cache: compiles) them and the note goes."""
    from nbb_filing.cli import main
    from nbb_filing.rendering import labels as labels_mod
    from nbb_filing.taxonomy.catalog import Catalog

    loaded: list[str] = []

    def sibling(self, model: str):
        loaded.append(model)
        return catalog(model)

    monkeypatch.setattr(labels_mod, "cached_catalog", lambda *a: None)
    monkeypatch.setattr(Catalog, "sibling", sibling)
    xbrl, _ = smartcoop
    out = tmp_path / "page.html"
    res = CliRunner().invoke(main, ["render", str(xbrl), "-o", str(out), "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert loaded == []
    note = re.search(r"note: (\d+) row\(s\) show their rubric code only.* in m81-f, m87-f \(not compiled", res.output)
    assert note is not None and int(note.group(1)) > 0, res.output
    legend = lxml.html.parse(str(out)).getroot().xpath("string(//p[@class='legend'])")
    assert f"{note.group(1)} row(s) with their rubric code only" in legend and "m81-f, m87-f" in legend
    # generate --html (a newcomer's first run) says the same
    gen = tmp_path / "gen.xbrl"
    dossier = str(ROOT / "samples/smartcoop-2024/dossier.yaml")
    res = CliRunner().invoke(main, ["generate", dossier, "-o", str(gen), "--html", str(gen.with_suffix(".html"))])
    assert res.exit_code == 0, res.output
    assert note.group(0) in res.output and loaded == []
    res = CliRunner().invoke(main, ["render", str(xbrl), "-o", str(out), "--lang", "en", "--borrow-labels"])
    assert res.exit_code == 0, res.output
    assert loaded == ["m81-f", "m87-f"]  # neither labels those rows in the replica
    assert "rubric code only" not in res.output
    assert "rubric code only" not in lxml.html.parse(str(out)).getroot().xpath("string(//p[@class='legend'])")


def test_labels_are_borrowed_within_the_models_family(catalog):
    """From the family's other models only (data/legal-forms.yaml): 10 is not the same row with and
    without capital.  The first page of m82-f reads m81-f and m87-f at most, not the eight others."""
    from nbb_filing.rendering.labels import RowLabels

    assert RowLabels(catalog("m82-f"))._sibling_models() == ["m81-f", "m87-f"]
    assert RowLabels(catalog("m01-f"))._sibling_models() == ["m02-f", "m07-f"]
    assert RowLabels(catalog("m08-f"))._sibling_models() == ["m04-f", "m05-f"]


def test_bad_inputs_are_one_line_errors(smartcoop, tmp_path):
    from nbb_filing.cli import main

    xbrl, _ = smartcoop
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    runner = CliRunner()
    bad = str(tmp_path / "bad.json")
    res = runner.invoke(main, ["render", str(xbrl), "-o", str(tmp_path / "x.html"), "--report", bad])
    assert res.exit_code != 0 and "bad.json" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "x.html").exists()
    res = runner.invoke(main, ["render", str(xbrl), "--trail", bad, "-o", str(tmp_path / "y.html")])
    assert res.exit_code != 0 and "bad.json" in res.output and not (tmp_path / "y.html").exists()


def test_belgian_number_format():
    from nbb_filing.rendering.values import format_number

    assert format_number(Decimal("-1234567.891"), "fr", 2) == "\u22121.234.567,89"
    assert format_number(Decimal("1234567.5"), "en", 2) == "1,234,567.50"
    assert format_number(Decimal("999"), "nl", 2) == "999,00"
    assert format_number(Decimal("0.125"), "de") == "0,125"
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*,\d\d", format_number(Decimal("1000000"), "fr", 2))


def test_rendering_is_the_top_layer():
    """Nothing below the rendering package imports it (it may import everything else)."""
    src = ROOT / "src" / "nbb_filing"
    offenders = [
        p.name
        for p in src.glob("*.py")
        if p.name not in ("cli_render.py", "cli_generate.py")
        and re.search(r"\brendering\b", p.read_text(encoding="utf-8"))
        and re.search(r"^\s*(from|import)\s+.*rendering", p.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []


def test_facts_the_page_cannot_show_are_listed(filing_variant, accepted_text, package, tmp_path):
    """A second value for a cell, facts of another entity or date, a fact of no datapoint: each listed."""
    from nbb_filing.cli import main

    c60 = accepted_text[accepted_text.index('<context id="c60">') :]
    c60 = c60[: c60.index("</context>") + len("</context>")]
    other_entity = c60.replace('id="c60"', 'id="cx"').replace(">0925590628<", ">0403170701<")
    other_date = c60.replace('id="c60"', 'id="cy"').replace(">2022-12-31<", ">2021-12-31<")
    at = accepted_text.rindex("</xbrl>")
    extra = (
        f"{other_entity}\n{other_date}\n"
        '<met:am1 contextRef="c60" unitRef="EUR" decimals="INF">1.00</met:am1>\n'
        '<met:am1 contextRef="cx" unitRef="EUR" decimals="INF">2.00</met:am1>\n'
        '<met:am1 contextRef="cy" unitRef="EUR" decimals="INF">3.00</met:am1>\n'
        '<met:nosuchmetric contextRef="c60" unitRef="EUR" decimals="INF">4.00</met:nosuchmetric>\n'
    )
    path = filing_variant(lambda t: t[:at] + extra + t[at:])
    out = tmp_path / "odd.html"
    res = CliRunner().invoke(main, ["render", str(path), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "4 fact(s) not shown in the tables (listed at the end of the page):" in res.output
    doc = lxml.html.parse(str(out)).getroot()
    items = [li.text_content() for li in doc.xpath("//section[@id='not-shown']//li")]
    assert len(items) == 4, items
    assert any("'1'" in x and "a second value for the cell; the page shows '554894.28'" in x for x in items)
    assert any("'2'" in x and "entity '0403170701'" in x for x in items)
    assert any("'3'" in x and "dated 2021-12-31" in x for x in items)
    assert any("nosuchmetric" in x for x in items)
    # the cell shows the filing's own first value, not one of the others
    assert _cell(_row(doc, "20/58"), "current").text == "554.894,28"


def test_running_header_is_a_css_string_a_name_cannot_break():
    """The company name comes from the filing: in the print rules it is one CSS string, escaped."""
    from nbb_filing.rendering.pdf import css_string, running_header_css

    hostile = 'Ateliers "Réunis" </style><script>x()</script>\n; } @page {'
    s = css_string(hostile)
    inner = s[1:-1]
    assert s[0] == s[-1] == '"' and not any(c in inner for c in '"<>;{}\n')
    assert "\\22 " in inner and "\\3C " in inner and "\\E9 " in inner  # ", < and é as CSS escapes
    rules = running_header_css(hostile, "page")
    assert rules.count("{") == rules.count("}") == 3 and "</style>" not in rules
