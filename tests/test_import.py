"""importer.py / `nbb-filing import`: the accepted m87 filing -> dossier -> generate -> same facts."""

from __future__ import annotations

import base64
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from nbb_filing.cli import main as cli_main
from nbb_filing.filing.dossier_files import load_dossier
from nbb_filing.reading.importer import import_filing
from nbb_filing.reading.reader import diff_sets, read_facts
from nbb_filing.taxonomy.values import match_enum

N_FACTS = 121  # facts of the accepted filing


def test_every_fact_is_imported_and_the_self_check_is_exact(imported_m87):
    assert imported_m87.imported == N_FACTS
    assert imported_m87.not_imported == ()
    assert imported_m87.round_trip == ()
    assert imported_m87.round_trip_error is None
    assert imported_m87.exact
    assert imported_m87.remarks[0] == "filing made with framework 23.0, read with the installed 22.19"


def test_dossier_content(imported_m87, accepted_text):
    d = load_dossier(imported_m87.dossier_path)
    assert d.model == "m87-f" and d.language == "fr"
    assert d.entity.name == "CALYX WORKS"
    assert d.entity.enterprise_number == "0925590628"
    assert d.entity.legal_form == "610"  # lgf:m610 written as its code
    assert d.entity.court == "10"  # cct:m10
    assert d.entity.deed_filing_date == date(2019, 3, 22)
    addr = d.entity.address
    assert (addr.street, addr.number, addr.box, addr.postal_code, addr.country) == (
        "CHAUSSEE DE TIRLEMONT",
        "22",
        "7",
        "5000",
        "BE",
    )
    assert addr.city == "Namur"  # the fr label of pcd:m5000 in the package list
    assert (d.exercise.start, d.exercise.end) == (date(2022, 1, 1), date(2022, 12, 31))
    assert (d.previous_exercise.start, d.previous_exercise.end) == (date(2021, 1, 1), date(2021, 12, 31))
    assert d.general_meeting == date(2023, 6, 2)
    assert d.previous_amounts_identical is True and d.in_liquidation is False
    (director,) = d.directors
    assert (director.kind, director.first_name, director.last_name) == ("natural", "CAMILLE", "PEETERS")
    assert [m.function for m in director.mandates] == ["13"]
    decl = d.accountant_declaration
    assert decl.declared is True
    (acc,) = decl.accountants
    assert (acc.kind, acc.name, acc.enterprise_number, acc.membership_number) == (
        "legal",
        "AUDIT LYS SRL",
        "0228121630",
        "80.304.372",
    )
    assert acc.missions == ("A", "B", "C", "D")
    assert acc.address.city == "Gent" and acc.address.postal_code == "9000"
    # amounts: facts f40..f120 of the file (81, all in EUR), each on its rubric and year
    assert accepted_text.count('unitRef="EUR"') == 81
    assert sum(len(p.items()) for p in d.figures.values()) == 81
    assert d.figures["9904"].current == Decimal("1672.05")
    assert d.figures["9904"].previous == Decimal("-110927.07")
    assert d.figures["8199P"].previous == Decimal("186812.91") and d.figures["8199P"].current is None
    assert d.valuation_rules.text.startswith("Les regles d'evaluation sont etablies")


def test_round_trip_generate_gives_the_same_facts(regenerated_m87, accepted_facts, package):
    again = read_facts(regenerated_m87, package)
    assert again.framework == "22.19" and again.unresolved == ()
    assert diff_sets(accepted_facts.as_set(), again.as_set()) == []
    assert len(again) == N_FACTS


def test_round_trip_validates_with_arelle(regenerated_m87, package):
    """The one Arelle run of this area: the regenerated filing through the project's validator."""
    from nbb_filing.checks.validate import validate_file

    report = validate_file(regenerated_m87, package)
    assert report.error is None
    assert report.facts == N_FACTS
    assert [f.message for f in report.blocking] == []
    assert [f.message for f in report.warnings] == []
    # the replica's README: the accepted filing evaluates 123 of m87-f's 309 assertions, all satisfied
    assert len(report.assertions) == 309
    assert len(report.assertions_evaluated) == 123
    assert report.assertions_unsatisfied == []
    # as the accepted filing itself: nothing blocks, nothing missing; the regenerated filing is validated
    # without its dossier, so 62 without a social balance sheet stays "not decided" (issue 19)
    assert report.missing == [] and report.status == "can be filed"
    assert "social_balance_sheet" in [c.rule for c in report.completeness if c.state == "not decided"]


def test_unknown_fact_is_listed_in_the_output_and_exit_code_1(filing_variant, tmp_path, accepted_text):
    at = accepted_text.rindex("</xbrl>")
    line = accepted_text.count("\n", 0, at) + 1
    extra = '<met:am1 contextRef="c1" unitRef="EUR" decimals="INF">5.00</met:am1>\n'
    path = filing_variant(lambda t: t[:at] + extra + t[at:])
    out = tmp_path / "out"
    res = CliRunner().invoke(cli_main, ["import", str(path), "-o", str(out)])
    assert res.exit_code == 1, res.output
    assert "120 of 122 facts imported" not in res.output  # 121 imported, 1 not: 122 in the filing
    assert "121 of 122 facts imported" in res.output
    assert "not imported (1):" in res.output
    assert f"line {line}: met:am1[" in res.output and "no datapoint for these dimensions" in res.output
    text = (out / "dossier.yaml").read_text(encoding="utf-8")
    assert "# 1 fact(s) NOT imported" in text and f"#   line {line}: met:am1[" in text
    assert load_dossier(out / "dossier.yaml").entity.name == "CALYX WORKS"


def test_embedded_pdf_becomes_a_file_and_comes_back(filing_variant, tmp_path, package, m87_catalog):
    pdf = b"%PDF-1.4\n% nbb-filing test document\n%%EOF\n"
    b64 = base64.b64encode(pdf).decode()
    start = '<met:str1 contextRef="c121" id="f121">'

    def edit(t: str) -> str:
        i = t.index(start)
        j = t.index("</met:str1>", i) + len("</met:str1>")
        return t[:i] + f'<met:bsb1 contextRef="c121" id="f121">{b64[:20]}\n  {b64[20:]}</met:bsb1>' + t[j:]

    path = filing_variant(edit)
    res = import_filing(path, tmp_path / "pdf", package)
    assert res.exact, (res.not_imported, res.round_trip)
    assert [p.name for p in res.documents] == ["valuation-rules.pdf"]
    assert res.documents[0].read_bytes() == pdf
    assert load_dossier(res.dossier_path).valuation_rules.file == "valuation-rules.pdf"


def test_refuses_to_overwrite_and_writes_nothing_on_bad_input(imported_m87, tmp_path):
    runner = CliRunner()
    res = runner.invoke(
        cli_main, ["import", str(imported_m87.filing.path), "-o", str(imported_m87.dossier_path.parent)]
    )
    assert res.exit_code == 2 and "already exists (use --force" in res.output
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = tmp_path / "bomb.xbrl"
    bomb.write_text(f'<?xml version="1.0"?><!DOCTYPE xbrl [<!ENTITY l0 "lol">{lol}]><xbrl>&l9;</xbrl>')
    out = tmp_path / "never"
    res = runner.invoke(cli_main, ["import", str(bomb), "-o", str(out)])
    assert res.exit_code == 2
    assert res.output.count("\n") == 1 and "refused" in res.output and "Traceback" not in res.output
    assert not out.exists()


def _context(cid: str, catalog, members, typed=()) -> str:
    """An NBB context for a datapoint's members (namespaces declared on the element itself)."""
    prefixes = (
        {"dim"} | {m.split(":")[0] for _, m in members} | {catalog.typed_dimensions[d].split(":")[0] for d, _ in typed}
    )
    ns = " ".join(f'xmlns:{p}="{catalog.namespaces[p]}"' for p in sorted(prefixes))
    explicit = "".join(f'<xbrldi:explicitMember dimension="{d}">{m}</xbrldi:explicitMember>' for d, m in members)
    typed_xml = "".join(
        f'<xbrldi:typedMember dimension="{d}"><{catalog.typed_dimensions[d]}>{v}</{catalog.typed_dimensions[d]}></xbrldi:typedMember>'
        for d, v in typed
    )
    return (
        f'<context id="{cid}" {ns}><entity><identifier scheme="http://www.fgov.be">0925590628</identifier></entity>'
        f"<period><instant>2022-12-31</instant></period><scenario>{explicit}{typed_xml}</scenario></context>\n"
    )


def test_facts_without_a_dossier_field_go_by_datapoint_key(
    filing_variant, tmp_path, package, m87_catalog, accepted_text
):
    """Notes per typed row, the auditor's report, an extra PDF, an explicit zero: all come back (the
    litigation row and the report's parts in their dossier blocks, the others by datapoint key)."""
    cat = m87_catalog
    litigation_text = cat.resolve(
        "met:str1",
        [("dim:bas", "bas:m91"), ("dim:dcl", "dcl:m16"), ("dim:part", "part:m6"), ("dim:sts", "sts:m20")],
        ["dim:open"],
    )
    litigation_amount = cat.resolve(
        "met:am1",
        [("dim:bas", "bas:m91"), ("dim:part", "part:m6"), ("dim:prd", "prd:m1"), ("dim:sts", "sts:m20")],
        ["dim:open"],
    )
    opinion = cat.resolve(
        "opn-enum:list1",
        [("dim:bas", "bas:m109"), ("dim:bkd", "bkd:m10"), ("dim:part", "part:m7"), ("dim:psn", "psn:m8")],
    )
    report_date = cat.resolve(
        "met:dte1", [("dim:bas", "bas:m109"), ("dim:bkd", "bkd:m14"), ("dim:part", "part:m7"), ("dim:psn", "psn:m8")]
    )
    remuneration_pdf = cat.resolve(
        "met:bsb1", [("dim:bas", "bas:m109"), ("dim:part", "part:m7"), ("dim:typ", "typ:m32")]
    )
    intangible_prev = cat.lookup("21", "previous")
    assert None not in (litigation_text, litigation_amount, opinion, report_date, remuneration_pdf)
    opinion_value = cat.metric_type(opinion).enum_values[0].qname  # first value of the package list
    pdf = b"%PDF-1.4\n% remuneration report\n%%EOF\n"
    ns_opn = cat.namespaces[opinion.metric.split(":")[0]]
    ns_val = cat.namespaces[opinion_value.split(":")[0]]
    extra = (
        _context("x1", cat, litigation_text.members, [("dim:open", "1")])
        + _context("x2", cat, litigation_amount.members, [("dim:open", "1")])
        + _context("x3", cat, opinion.members)
        + _context("x4", cat, report_date.members)
        + _context("x5", cat, remuneration_pdf.members)
        + _context("x6", cat, intangible_prev.members)
        + '<met:str1 contextRef="x1">Litige avec un fournisseur</met:str1>\n'
        + '<met:am1 contextRef="x2" unitRef="EUR" decimals="INF">12500.00</met:am1>\n'
        + f'<o:list1 xmlns:o="{ns_opn}" xmlns:v="{ns_val}" contextRef="x3">v:{opinion_value.split(":")[1]}</o:list1>\n'
        + '<met:dte1 contextRef="x4">2023-05-10</met:dte1>\n'
        + f'<met:bsb1 contextRef="x5">{base64.b64encode(pdf).decode()}</met:bsb1>\n'
        + '<met:am1 contextRef="x6" unitRef="EUR" decimals="INF">0.00</met:am1>\n'
    )
    at = accepted_text.rindex("</xbrl>")
    pdf_line = accepted_text.count("\n", 0, at) + 1 + 10  # 6 context lines, then the 5th fact line
    path = filing_variant(lambda t: t[:at] + extra + t[at:])
    res = import_filing(path, tmp_path / "extra", package)
    assert res.not_imported == () and res.round_trip == (), (res.not_imported, res.round_trip)
    assert res.imported == N_FACTS + 6
    d = load_dossier(res.dossier_path)
    by_key = {x.datapoint: x for x in d.datapoint_facts}
    assert set(by_key) == {dp.key for dp in (remuneration_pdf, intangible_prev)}
    assert d.commitments is not None and [(x.description, x.amount) for x in d.commitments.litigation] == [
        ("Litige avec un fournisseur", Decimal("12500.00"))
    ]
    assert d.auditor_report is not None and d.auditor_report.date == date(2023, 5, 10)
    assert match_enum(cat.metric_type(opinion), d.auditor_report.opinion or "") == opinion_value
    assert by_key[intangible_prev.key].value == 0  # an explicit zero: figures: would drop it
    assert "21" in d.figures and d.figures["21"].previous is None
    assert by_key[remuneration_pdf.key].file == f"document-line{pdf_line}.pdf"
    assert (res.dossier_path.parent / by_key[remuneration_pdf.key].file).read_bytes() == pdf


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (
            base64.b64encode(b"just text, not a PDF").decode(),
            "the embedded document is not a PDF (the dossier takes PDF files)",
        ),
        ("not base64 at all!", "the document is not valid base64"),
    ],
)
def test_an_embedded_document_that_is_no_pdf_is_not_imported(
    filing_variant, tmp_path, package, m87_catalog, accepted_text, payload, reason
):
    remuneration_pdf = m87_catalog.resolve(
        "met:bsb1", [("dim:bas", "bas:m109"), ("dim:part", "part:m7"), ("dim:typ", "typ:m32")]
    )
    extra = _context("x5", m87_catalog, remuneration_pdf.members) + f'<met:bsb1 contextRef="x5">{payload}</met:bsb1>\n'
    at = accepted_text.rindex("</xbrl>")
    line = accepted_text.count("\n", 0, at) + 2  # the context line, then the fact
    res = import_filing(filing_variant(lambda t: t[:at] + extra + t[at:]), tmp_path / "doc", package)
    assert len(res.not_imported) == 1
    assert res.not_imported[0].startswith(f"line {line}: ") and res.not_imported[0].endswith(": " + reason)
    assert not list((tmp_path / "doc").glob("*.pdf"))


def test_a_filing_without_what_every_dossier_needs(filing_variant, tmp_path, package, monkeypatch):
    # f2 is the date of the general meeting, which every dossier must give: written as a placeholder
    path = filing_variant(lambda t: t.replace('<met:dte1 contextRef="c2" id="f2">2023-06-02</met:dte1>', ""))
    out = tmp_path / "review"
    res = CliRunner().invoke(cli_main, ["import", str(path), "-o", str(out)])
    assert res.exit_code == 1
    assert "  general_meeting: the filing has no general meeting; written as <FILL-IN: general meeting>" in res.output
    text = (out / "dossier.yaml").read_text(encoding="utf-8")
    assert "\ngeneral_meeting: '<FILL-IN: general meeting>'  # import: the filing has no general meeting\n" in text
    # default output directory: the file name without extension, in the current directory
    monkeypatch.chdir(tmp_path)
    ok = filing_variant(name="calyx-2022.xbrl")
    res = CliRunner().invoke(cli_main, ["import", str(ok)])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "calyx-2022" / "dossier.yaml").is_file()


def test_repeated_facts_are_kept_once(filing_variant, tmp_path, package, accepted_text):
    # f60 (context c60) is 20/58 current = 554894.28; repeat it as such, then with another value
    at = accepted_text.rindex("</xbrl>")
    line = accepted_text.count("\n", 0, at) + 1
    extra = (
        '<met:am1 contextRef="c60" unitRef="EUR" decimals="INF">554894.280</met:am1>\n'
        '<met:am1 contextRef="c60" unitRef="EUR" decimals="INF">1.00</met:am1>\n'
    )
    res = import_filing(filing_variant(lambda t: t[:at] + extra + t[at:]), tmp_path / "dup", package)
    assert res.imported == N_FACTS + 1
    assert any(r.startswith(f"line {line}: repeats the fact of line ") for r in res.remarks)
    assert len(res.not_imported) == 1 and res.not_imported[0].startswith(
        f"line {line + 1}: rubric 20/58 (current year)"
    )
    # the filing's set holds the 1.00 fact too; generate writes the first value only
    assert res.round_trip == ("- met:am1[dim:bas=bas:m25,dim:part=part:m1,dim:prd=prd:m1] = '1'",)
