"""generate: errors bound to datapoints, the SmartCoop sample for m82-f/m81-f/m87-f, the CLI.

The Arelle checks use the session fixture ``sample_validation`` (one validation per model).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from nbb_filing.api import generate
from nbb_filing.books.figures import Figure, RubricFigures
from nbb_filing.cli import main
from nbb_filing.core.errors import FindingsError, InputError
from nbb_filing.filing.dossier_files import load_dossier
from nbb_filing.filing.facts import build_facts

from .test_dossier import line_of


def facts_of(write_dossier, text, m82, mapped=None):
    return build_facts(m82, load_dossier(write_dossier(text)), mapped)


# ---------------------------------------------------------------- errors bound to the catalog


def test_unknown_enumeration_value(mini_text, write_dossier, m82):
    text = mini_text.replace('legal_form: "706"', 'legal_form: "999"')
    with pytest.raises(InputError) as e:
        facts_of(write_dossier, text, m82)
    msg = str(e.value)
    assert "\n" not in msg
    assert msg.startswith(
        f"dossier.yaml line {line_of(text, 'legal_form')} (entity.legal_form): '999' is not a value of the package list lgf-enum:list2"
    )


def test_unknown_function_of_a_director(mini_text, write_dossier, m82):
    text = mini_text.replace("function: Administrateur délégué", "function: Grand chef")
    with pytest.raises(InputError) as e:
        facts_of(write_dossier, text, m82)
    assert (
        f"line {line_of(text, 'Grand chef')} (directors[0].mandates[0].function): 'Grand chef' is not a value"
        in str(e.value)
    )


def test_unknown_court(mini_text, write_dossier, m82):
    text = mini_text.replace("court: Bruxelles, francophone", "court: Tribunal de Gotham")
    with pytest.raises(
        InputError, match=r"\(entity.court\): 'Tribunal de Gotham' is not a value of the package list cct-enum:list1"
    ):
        facts_of(write_dossier, text, m82)


def test_negative_figure_on_a_non_negative_datapoint(mini_text, write_dossier, m82):
    text = mini_text.replace("20/58: {current: 1000.5, previous: 900}", "20/58: {current: -1000.5, previous: 900}")
    with pytest.raises(InputError) as e:
        facts_of(write_dossier, text, m82)
    msg = str(e.value)
    assert msg.startswith(f"dossier.yaml line {line_of(text, '20/58')} (figures.20/58.current): ")
    assert "rubric 20/58 (current year) is negative (-1000.5)" in msg and ">= 0" in msg


def test_negative_mapped_figure_names_its_source(mini_text, write_dossier, m82):
    mapped = RubricFigures(
        "m82-f", (Figure("22/27", "current", Decimal("-5"), "tb-2024.csv: account 220000 via rule 'land'"),)
    )
    with pytest.raises(InputError) as e:
        facts_of(write_dossier, mini_text, m82, mapped)
    assert str(e.value).startswith(
        "tb-2024.csv: account 220000 via rule 'land': rubric 22/27 (current year) is negative"
    )


def test_rubric_the_model_lacks(mini_text, write_dossier, m82):
    text = mini_text.replace(
        "  9904: {current: 100, previous: -50}\n", "  9904: {current: 100, previous: -50}\n  12345: 7\n"
    )
    with pytest.raises(InputError) as e:
        facts_of(write_dossier, text, m82)
    assert f"line {line_of(text, '12345')} (figures.12345): rubric '12345' is not in model m82-f" in str(e.value)


def test_duplicate_datapoint_names_both_sources(mini_text, write_dossier, m82):
    mapped = RubricFigures("m82-f", (Figure("20/58", "current", Decimal("1000.50"), "tb-2024.csv: computed 20/58"),))
    with pytest.raises(InputError) as e:
        facts_of(write_dossier, mini_text, m82, mapped)
    msg = str(e.value)
    assert "two values for datapoint 20/58" in msg
    assert "from tb-2024.csv: computed 20/58" in msg
    assert f"from dossier.yaml line {line_of(mini_text, '20/58')} (figures.20/58" in msg


def test_appropriation_must_agree_with_the_figures(mini_text, write_dossier, m82):
    # 9905 is stated as 100 and 9904 is 100: the result to appropriate ties out.  Change it:
    text = mini_text.replace("  9905: {current: 100, previous: -50}", "  9905: {current: 120, previous: -50}")
    with pytest.raises(FindingsError) as e:
        facts_of(write_dossier, text, m82)
    assert e.value.exit_code == 1
    # 9905 = 9904 + 789 - 689 = 100 + 0 - 0, worked by hand
    assert "rubric 9905 (current year) is 120.00 but 9904 + 789 - 689 = 100.00" in str(e.value)


def test_appropriation_equal_to_a_mapped_figure_is_one_fact(mini_text, write_dossier, m82):
    text = mini_text.replace("  9904: {current: 100, previous: -50}\n", "")
    text = text.replace(
        "  9905: {current: 100, previous: -50}", "  9905: {current: 100, previous: -50}\n  14P: {current: -30}"
    )
    mapped = RubricFigures(
        "m82-f",
        (
            Figure("9904", "current", Decimal("100"), "tb"),
            Figure("9904", "previous", Decimal("-50"), "tb"),
            Figure("9905", "current", Decimal("100.00"), "tb"),
            Figure("14", "previous", Decimal("-30"), "tb"),
        ),
    )
    fs = facts_of(write_dossier, text, m82, mapped)
    on_9905 = [f for f in fs.facts if f.datapoint.rubric == "9905" and f.datapoint.period == "current"]
    assert len(on_9905) == 1 and on_9905[0].source == "tb"
    # 14P (current) must equal 14 of the previous year: -30 = -30
    bad = text.replace("14P: {current: -30}", "14P: {current: -31}")
    with pytest.raises(
        FindingsError, match=r"rubric 14P \(-31.00\) must equal rubric 14 of the previous year \(-30.00\)"
    ):
        facts_of(write_dossier, bad, m82, mapped)


def test_previous_year_figure_without_previous_exercise(mini_text, write_dossier, m82):
    text = mini_text.replace("previous_exercise: {start: 2023-01-01, end: 2023-12-31}\n", "")
    with pytest.raises(InputError, match="has a previous-year figure but the dossier has no previous_exercise"):
        facts_of(write_dossier, text, m82)


def test_failure_leaves_no_output(mini_text, write_dossier, package, tmp_path):
    text = mini_text.replace('legal_form: "706"', 'legal_form: "999"')
    out = tmp_path / "out" / "f.xbrl"
    with pytest.raises(InputError):
        generate(write_dossier(text), out, package=package)
    assert not out.exists()
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_same_inputs_same_bytes(mini_text, write_dossier, package, tmp_path):
    p = write_dossier(mini_text)
    a = generate(p, tmp_path / "a.xbrl", package=package)
    b = generate(p, tmp_path / "b.xbrl", package=package)
    assert (tmp_path / "a.xbrl").read_bytes() == (tmp_path / "b.xbrl").read_bytes()
    assert a.facts == b.facts > 0


# ---------------------------------------------------------------- the SmartCoop sample


def test_sample_key_totals_to_the_cent(sample_outputs):
    res = sample_outputs["m82-f"]
    assert res.model == "m82-f" and res.language == "fr"
    # Published facts of FY 2024: total balance sheet 10,018,553; equity 4,817 K (up 1,003 K);
    # result before taxes 456,498 (2024) against -917,337 (2023).
    assert res.total("total_assets") == Decimal("10018553.00")
    assert res.total("result_before_taxes") == Decimal("456498.00")
    assert res.total("result_before_taxes", "previous") == Decimal("-917337.00")
    equity, equity_before = res.total("equity"), res.total("equity", "previous")
    assert round(equity / 1000) == 4817
    assert round((equity - equity_before) / 1000) == 1003


def test_sample_same_totals_in_coarser_models(sample_outputs):
    for model in ("m81-f", "m87-f"):
        res = sample_outputs[model]
        assert res.model == model
        assert res.total("total_assets") == Decimal("10018553.00")
        assert res.total("result_before_taxes") == Decimal("456498.00")


def test_sample_left_out_is_explained(sample_outputs, catalog):
    # the list of participations is written wherever the model's catalog has it (the section with
    # the typed dimension dim:ptpn), and reported as left out, with the reason, where it has not
    for model, res in sample_outputs.items():
        has_list = any("dim:ptpn" in dp.typed for dp in catalog(model).datapoints)
        root = etree.parse(str(res.output)).getroot()
        typed = {(t.get("dimension"), t[0].text) for t in root.iter("{http://xbrl.org/2006/xbrldi}typedMember")}
        written = {name for dim, name in typed if dim == "dim:ptpn"}
        left = [x for x in res.left_out if "participation" in x]
        if has_list:
            assert written == {"Ubik", "SmartImmo", "Palais de l'intérim", "Matlease"} and not left, model
        else:
            assert not written and any("no datapoints for participation" in x for x in left), model


def test_sample_participations_as_fractions(sample_outputs):
    root = etree.parse(str(sample_outputs["m87-f"].output)).getroot()
    pct = sorted(el.text for el in root if etree.QName(el).localname == "pct1")
    # 100 %, 5 %, 0.16 %, 0.14 % held directly -> fractions
    assert pct == ["0.0014", "0.0016", "0.05", "1"]


def test_sample_people_and_management_report(sample_outputs, sample_dir):
    root = etree.parse(str(sample_outputs["m82-f"].output)).getroot()
    typed = {(t.get("dimension"), t[0].text) for t in root.iter("{http://xbrl.org/2006/xbrldi}typedMember")}
    for first, last in (("Anne-Laure", "Desgris"), ("Maxime", "Dechesne"), ("Laurence", "Vanmechelen")):
        assert ("dim:afnp", first) in typed and ("dim:annp", last) in typed
    report = [el.text for el in root if etree.QName(el).localname == "str1"]
    expected = (sample_dir / "rapport-de-gestion.txt").read_text(encoding="utf-8").strip()
    assert expected in report


@pytest.mark.parametrize("model", ["m82-f", "m81-f", "m87-f"])
def test_arelle_finds_no_xbrl_or_dimensional_error(arelle_results, model):
    errors = arelle_results[model]
    assert [(e.rule, e.message[:200]) for e in errors] == []


# ---------------------------------------------------------------- the CLI


def test_cli_summary_and_exit_codes(mini_text, write_dossier, tmp_path):
    p = write_dossier(mini_text)
    out = tmp_path / "cli.xbrl"
    r = CliRunner().invoke(main, ["generate", str(p), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert out.is_file()
    assert f"wrote {out}" in r.output
    assert "model m82-f" in r.output and "language fr" in r.output
    assert "20/58 total assets" in r.output and "1,000.50" in r.output and "900.00" in r.output

    bad = write_dossier(mini_text.replace("0999.999.922", "0999.999.921"), "bad.yaml")
    r = CliRunner().invoke(main, ["generate", str(bad), "-o", str(tmp_path / "bad.xbrl")])
    assert r.exit_code == 2
    assert r.output.count("\n") == 1 and r.output.startswith("error: bad.yaml line ")

    tie = write_dossier(mini_text.replace("9905: {current: 100,", "9905: {current: 99,"), "tie.yaml")
    r = CliRunner().invoke(main, ["generate", str(tie), "-o", str(tmp_path / "tie.xbrl")])
    assert r.exit_code == 1 and "does not tie out" in r.output
    assert not (tmp_path / "tie.xbrl").exists()


def test_validate_flag_calls_the_validation_engine_on_the_written_file(mini_text, write_dossier, tmp_path, monkeypatch):
    import nbb_filing.checks.validate as validate_mod
    from nbb_filing.checks.findings import BLOCKING, FileReport, Finding, ValidationReport

    calls = []

    def fake_validate_files(paths, package=None, lang="fr", workers=None, **kw):
        calls.append(([Path(p) for p in paths], lang, Path(paths[0]).is_file()))
        finding = Finding("va_fake_1", "assertion", "va", BLOCKING, "FAKE FINDING: 20/58 is not 10/49")
        return ValidationReport(files=[FileReport(path=str(paths[0]), findings=[finding])], lang=lang)

    monkeypatch.setattr(validate_mod, "validate_files", fake_validate_files)
    out = tmp_path / "v.xbrl"
    r = CliRunner().invoke(main, ["generate", str(write_dossier(mini_text)), "-o", str(out), "--validate"])
    assert calls == [([out], "fr", True)]  # called once, after the file was written
    assert "FAKE FINDING: 20/58 is not 10/49" in r.output  # the report as validate prints it
    assert r.exit_code == 1


def test_previous_filing_gives_the_previous_column(mini_text, write_dossier, package, tmp_path):
    # Last year: exercise 2023 with total assets 900 and equity 300 in its current-year column.
    last = (
        mini_text.replace(
            "exercise: {start: 2024-01-01, end: 2024-12-31}", "exercise: {start: 2023-01-01, end: 2023-12-31}"
        )
        .replace("previous_exercise: {start: 2023-01-01, end: 2023-12-31}\n", "")
        .replace("general_meeting: 2025-06-17", "general_meeting: 2024-06-18")
        .replace("20/58: {current: 1000.5, previous: 900}", "20/58: 900")
        .replace("10/15: {current: 400, previous: 300}", "10/15: 300")
        .replace("9904: {current: 100, previous: -50}", "9904: -50")
        .replace("9905: {current: 100, previous: -50}", "9905: -50")
    )
    last_path = write_dossier(last, "last.yaml")
    generate(last_path, tmp_path / "last.xbrl", package=package)
    # This year: no previous_exercise, no previous amounts; the previous filing supplies both.
    this = (
        mini_text.replace("previous_exercise: {start: 2023-01-01, end: 2023-12-31}\n", "previous_filing: last.xbrl\n")
        .replace("20/58: {current: 1000.5, previous: 900}", "20/58: 1000.5")
        .replace("10/15: {current: 400, previous: 300}", "10/15: 400")
        .replace("9904: {current: 100, previous: -50}", "9904: 100")
        .replace("9905: {current: 100, previous: -50}", "9905: 100")
    )
    res = generate(write_dossier(this, "this.yaml"), tmp_path / "this.xbrl", package=package)
    assert res.total("total_assets", "previous") == Decimal("900")
    assert res.total("equity", "previous") == Decimal("300")
    assert res.total("result_of_period", "previous") == Decimal("-50")
    root = etree.parse(str(tmp_path / "this.xbrl")).getroot()
    dates = sorted(el.text for el in root if etree.QName(el).localname == "dte1")
    assert "2023-01-01" in dates and "2023-12-31" in dates  # previous exercise taken from the filing
    assert any("last.xbrl" in line for line in res.notes)


ACCOUNTANTS = """\
accountant_declaration:
  declared: true
  accountants:
    - kind: legal
      name: Boekhouding NV
      enterprise_number: 0999.000.624
      membership_number: "12345678"
      representative: {first_name: Els, last_name: Claes, membership_number: "87654321"}
      missions: [A, B]
    - first_name: Piet
      last_name: Janssens
      missions: [Vérification des comptes annuels]
"""


def test_accountants_missions_and_foreign_address(mini_text, write_dossier, m82):
    text = mini_text.replace("auditors:", ACCOUNTANTS + "auditors:").replace(
        "address: {street: Rue Basse, number: 3, box: B, postal_code: 1050, city: Ixelles}",
        "address: {street: Rue de Rivoli, number: 10, postal_code: '75001', city: Paris, country: FR}",
    )
    fs = facts_of(write_dossier, text, m82)
    by_metric = {}
    for f in fs.facts:
        by_metric.setdefault(f.datapoint.metric, []).append(f)
    missions = sorted(
        (dict(f.typed).get("dim:sanl") or dict(f.typed)["dim:sann"], dict(f.typed)["dim:open"], f.value)
        for f in by_metric["nmc-enum:list1"]
    )
    # missions numbered per accountant; a label is accepted for the code C
    assert missions == [
        ("Boekhouding NV", "1", "nmc:mA"),
        ("Boekhouding NV", "2", "nmc:mB"),
        ("Janssens", "1", "nmc:mC"),
    ]
    declared = [f for f in by_metric["met:bln1"] if dict(f.datapoint.members).get("dim:dcl") == "dcl:m28"]
    assert [f.value for f in declared] == [True]
    # a French address: the postal code and city go to the "other" text cells, the country to the list
    anne = [f for f in fs.facts if dict(f.typed).get("dim:afnp") == "Anne"]
    ctc = {
        dict(f.datapoint.members).get("dim:ctc"): (f.datapoint.metric, f.value)
        for f in anne
        if dict(f.datapoint.members).get("dim:ctc")
    }
    assert ctc["ctc:m4"] == ("met:str2", "75001")
    assert ctc["ctc:m5"] == ("met:str2", "Paris")
    assert ctc["ctc:m6"] == ("cty-enum:list1", "cty:mFR")
    assert not [f for f in anne if f.datapoint.metric == "pcd-enum:list1"]


def test_unknown_mission_code(mini_text, write_dossier, m82):
    text = mini_text.replace("auditors:", ACCOUNTANTS.replace("[A, B]", "[A, Z]") + "auditors:")
    with pytest.raises(
        InputError,
        match=r"\(accountant_declaration.accountants\[0\].missions\[1\]\): 'Z' is not a value of the package list nmc-enum:list1",
    ):
        facts_of(write_dossier, text, m82)


def test_column_of_a_rubric(mini_text, write_dossier, m82):
    text = mini_text.replace(
        "  9904: {current: 100, previous: -50}\n", "  9904: {current: 100, previous: -50}\n  1003@Women: 12.5\n"
    )
    fs = facts_of(write_dossier, text, m82)
    cell = [f for f in fs.facts if f.datapoint.metric == "met:dec1"]
    assert len(cell) == 1 and cell[0].value == Decimal("12.5")
    assert cell[0].datapoint.column_label("en") == "2. Women"
    bad = text.replace("1003@Women", "1003@Children")
    with pytest.raises(
        InputError,
        match=r"'Children' matches no column of rubric 1003 \(current year\) in model m82-f \(columns: Total; 1. Hommes; 2. Femmes\)",
    ):
        facts_of(write_dossier, bad, m82)


def test_rubric_in_two_tables_under_the_same_column_fills_both(mini_text, write_dossier, m82):
    # A rubric figure is written in every current-year amount cell the catalog gives the rubric
    # (a package may show one rubric in two tables under the same column; the replica's build 1 did
    # so for 70 in m82-f, build 2+ has one cell per year): the cells are read from the catalog.
    cells = sorted(
        dp.metric
        for dp in m82.by_rubric("70")
        if dp.period == "current" and m82.metric_type(dp).kind == "amount" and dp.rubric == "70"
    )
    assert cells
    mapped = RubricFigures("m82-f", (Figure("70", "current", Decimal("1234.56"), "tb"),))
    fs = facts_of(write_dossier, mini_text, m82, mapped)
    assert sorted(f.datapoint.metric for f in fs.facts if f.datapoint.rubric == "70") == cells
    # a negative amount is written only in the cells whose type admits it; a cell that refuses it
    # beside one that takes it is reported, and with no cell taking it the figure is an error
    fit = [c for c in cells if m82.metrics[c].check(Decimal("-1")) is None]
    mapped = RubricFigures("m82-f", (Figure("70", "current", Decimal("-1"), "tb"),))
    if not fit:
        with pytest.raises((FindingsError, InputError)):
            facts_of(write_dossier, mini_text, m82, mapped)
        return
    fs = facts_of(write_dossier, mini_text, m82, mapped)
    assert sorted(f.datapoint.metric for f in fs.facts if f.datapoint.rubric == "70") == fit
    refused = len(cells) - len(fit)
    assert any(
        x.startswith(f"rubric 70 (current year): {refused} of its {len(cells)} cells refuse -1") for x in fs.left_out
    ) == bool(refused)
