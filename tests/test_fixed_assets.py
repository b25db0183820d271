"""Fixed-asset notes: the binding table against the catalogs, closing values from the trial
balances, movements from the dossier, their checks, and the SmartCoop sample filed in m82-f,
m81-f and m87-f with no blocking finding (``sample_validation``: one validation per model).

Expected amounts are worked out by hand from ``samples/smartcoop-2024/tb-2023.csv`` and
``tb-2024.csv`` (see the comments), not read back from the code.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from nbb_filing.api import generate
from nbb_filing.books.mapping_file import parse_mapping
from nbb_filing.books.notes_table import load_notes_table
from nbb_filing.books.selectors import Selector
from nbb_filing.core.errors import FindingsError, InputError
from nbb_filing.filing.dossier_parts import FixedAssetMovements, FixedAssets
from nbb_filing.filing.facts import build_facts

from .fixtures_generate import ROOT, copy_sample

D = Decimal


# ---------------------------------------------------------------- the binding table


# every model of the package: the table is data for all three families (catalogs are compiled once
# per session and shared with test_catalog's nine-model test)
@pytest.mark.parametrize("model", ["m01-f", "m02-f", "m04-f", "m05-f", "m07-f", "m08-f", "m81-f", "m82-f", "m87-f"])
def test_every_line_resolves_where_the_model_has_the_note(catalog, model):
    assert load_notes_table().problems(catalog(model)) == []


def test_rubric_codes_come_from_the_catalog(catalog):
    t = load_notes_table()
    m87 = catalog("m87-f")

    def code(cls, line, period="current"):
        return t.cell(m87, cls, line, period).rubric

    # the micro model's note (NBB form: 8059 acquisition value at the end, 8059P at the end of the
    # previous year, 8029 acquisitions, 8079 depreciation recorded, 8395 financial acquisition value)
    assert code("intangible", "acquisition_value") == "8059"
    assert code("intangible", "acquisition_value", "previous") == "8059P"
    assert code("intangible", "acquisitions") == "8029"
    assert code("intangible", "depreciation_recorded") == "8079"
    assert code("tangible", "depreciation") == "8329"
    assert code("tangible", "revaluation", "previous") == "8259P"
    assert code("financial", "acquisition_value") == "8395"
    assert code("financial", "uncalled") == "8555"
    assert t.cell(m87, "intangible", "acquisitions", "previous") is None  # movements are of the year


def test_full_model_notes_are_per_kind(catalog):
    t = load_notes_table()
    m82, m87 = catalog("m82-f"), catalog("m87-f")
    for c in t.classes:  # the full model details every class per kind, the micro model none
        assert t.detailed(m82, c) and not t.has_class(m82, c)
        assert t.has_class(m87, c) and not t.detailed(m87, c)

    def code(cls, kind, line="acquisition_value", period="current"):
        return t.cell(m82, cls, line, period, kind).rubric

    # the NBB full-model form: 8051 development costs, 8193 furniture and vehicles, 8391/8392/8393
    # per category of investee (affiliated, participating interests, other)
    assert code("intangible", "210") == "8051" and code("intangible", "210", period="previous") == "8051P"
    assert code("intangible", "210", "depreciation_cancelled") == "8101"
    # goodwill's depreciation written back has no dim:bkd in the package: found in its roll-forward
    assert code("intangible", "212", "depreciation_written_back") == "8083"
    # the intangible kinds' previous-year cells have no dim:rut: the roll-forward's opening term
    assert code("intangible", "212", "depreciation", "previous") == "8123P"
    assert code("tangible", "24") == "8193" and code("tangible", "24", "depreciation") == "8323"
    assert [code("financial", k) for k in ("280", "282", "284")] == ["8391", "8392", "8393"]
    # receivables have no roll-forward note of their own: kinds without members
    assert set(t.kinds_with_note(m82, "financial")) == {"280", "282", "284"}


def test_dossier_vocabulary_matches_the_table():
    t = load_notes_table()
    assert set(t.classes) == set(FixedAssets.model_fields)
    movements = {ln.name for c in t.classes.values() for ln in c.lines if not ln.closing}
    closings = {ln.name for c in t.classes.values() for ln in c.lines if ln.closing}
    assert movements == set(FixedAssetMovements.model_fields) - {"by_kind"}
    assert not closings & set(FixedAssetMovements.model_fields)


def test_pattern_selector():
    s = Selector.parse("22x9")
    assert s.matches("221900") and s.matches("2209") and not s.matches("2210") and not s.matches("229")
    assert s.specificity > Selector.parse("22-27").specificity
    assert s.specificity > Selector.parse("22").specificity
    with pytest.raises(ValueError):
        Selector.parse("6x")


# ---------------------------------------------------------------- the sample, through generate


def _amount(res, catalog, model, rubric, period="current"):
    """The amount of ``rubric`` in the instance ``res`` wrote, found by the datapoint's members."""
    dp = catalog(model).lookup(rubric, period)
    root = etree.parse(str(res.output)).getroot()
    ctxs = {}
    for c in root.findall("{http://www.xbrl.org/2003/instance}context"):
        mem = sorted(
            (e.get("dimension"), e.text.strip()) for e in c.iter("{http://xbrl.org/2006/xbrldi}explicitMember")
        )
        ctxs[c.get("id")] = mem
    want = sorted(dp.members)
    metric_local = dp.metric.split(":", 1)[1]
    for el in root:
        if etree.QName(el).localname == metric_local and ctxs.get(el.get("contextRef")) == want:
            return D(el.text)
    return None


@pytest.mark.parametrize("model", ["m87-f", "m81-f"])
def test_sample_notes_closing_values_and_movements(sample_outputs, catalog, model):
    res = sample_outputs[model]
    a = lambda r, p="current": _amount(res, catalog, model, r, p)  # noqa: E731
    # intangible: 210000 = 1,920,415.25 (2024) / 1,484,750.00 (2023); 210900 = 796,064.85 / 610,644.85
    assert a("8059") == D("1920415.25") and a("8059P", "previous") == D("1484750.00")
    assert a("8129") == D("796064.85") and a("8129P", "previous") == D("610644.85")
    assert a("8029") == D("520665.25") and a("8039") == D("85000.00")
    assert a("8079") == D("270420.00") and a("8109") == D("85000.00")
    # the balance sheet: 21 = 8059 - 8129 = 1,920,415.25 - 796,064.85
    assert a("21") == D("1124350.40")
    # tangible: 240000 405,426.40 / 398,210.25; 240900 236,984.30 / 213,303.90
    assert a("8199") == D("405426.40") and a("8199P", "previous") == D("398210.25")
    assert a("8329") == D("236984.30") and a("22/27") == D("168442.10")
    # financial: 62,000 + 25,000 + 1,250 + 500 + 57,320 (2024); guarantees 48,920 in 2023
    assert a("8395") == D("146070.00") and a("8395P", "previous") == D("137670.00")
    assert a("8365") == D("12000.00") and a("8375") == D("3600.00")
    # 630 = 8079 + 8279 = 270,420.00 + 42,130.40
    assert a("630") == D("312550.40") and a("8279") == D("42130.40")


def test_sample_m82_notes_and_what_is_left_out(sample_outputs, catalog):
    res = sample_outputs["m82-f"]
    a = lambda r, p="current": _amount(res, catalog, "m82-f", r, p)  # noqa: E731
    # development costs (210000 / 210900), per kind in the full model
    assert a("8051") == D("1920415.25") and a("8051P", "previous") == D("1484750.00")
    assert a("8021") == D("520665.25") and a("8031") == D("85000.00")
    assert a("8121") == D("796064.85") and a("8071") == D("270420.00") and a("8101") == D("85000.00")
    # its net value, a package total of the note (81311 = 8051 - 8121): 1,920,415.25 - 796,064.85
    assert a("81311") == D("1124350.40")
    # furniture and vehicles (240000 / 240900)
    assert a("8193") == D("405426.40") and a("8193P", "previous") == D("398210.25")
    assert a("8163") == D("25666.15") and a("8323") == D("236984.30") and a("8273") == D("42130.40")
    # participations: affiliated 280000 62,000.00; other shares 284xxx 25,000 + 1,250 + 500
    assert a("8391") == D("62000.00") and a("8393") == D("26750.00") and a("8393P", "previous") == D("26750.00")
    # the guarantees (288000) have no note of their own in the full model: reported, not written
    left = [x for x in res.left_out if "285/8" in x]
    assert any("fixed_assets.financial.285/8" in x for x in left) and any("closing values" in x for x in left)


@pytest.mark.parametrize("model", ["m82-f", "m81-f", "m87-f"])
def test_sample_has_no_blocking_finding(sample_validation, model):
    rep = sample_validation[model]
    assert rep.error is None
    assert [(f.rule, f.message[:160]) for f in rep.blocking] == []
    # the movement notes and participations no longer leave the complementary checks unsatisfied;
    # SmartCoop is large (balance-sheet total and turnover above the small thresholds, both years),
    # so the smaller models get the product's size warning
    assert [(f.rule, f.message[:160]) for f in rep.warnings if f.rule != "size_fits_model"] == []
    size = [f.rule for f in rep.warnings if f.rule == "size_fits_model"]
    assert size == ([] if model == "m82-f" else ["size_fits_model"])
    assert rep.assertions_evaluated  # the package's assertions did run


# ---------------------------------------------------------------- errors (no Arelle)


@pytest.fixture
def sample_copy(tmp_path):
    """A copy of the sample (and the mappings, keeping relative paths) as model m87-f."""
    root = tmp_path / "w"
    copy = copy_sample(root)
    d = copy / "dossier.yaml"
    d.write_text(d.read_text(encoding="utf-8").replace("\nmodel: m82-f\n", "\nmodel: m87-f\n"), encoding="utf-8")
    return copy


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_movements_that_do_not_roll_forward(sample_copy, package, catalog):
    catalog("m87-f")
    _edit(sample_copy / "dossier.yaml", "acquisitions: 520665.25", "acquisitions: 520000.00")
    with pytest.raises(FindingsError) as e:
        generate(sample_copy / "dossier.yaml", sample_copy / "out.xbrl", package=package)
    msg = str(e.value)
    # 1,484,750.00 + 520,000.00 - 85,000.00 = 1,919,750.00, the trial balance says 1,920,415.25
    assert "\n" not in msg and "intangible assets, 8059" in msg
    assert "1,484,750.00" in msg and "1,919,750.00" in msg and "1,920,415.25" in msg
    assert "tb-2024.csv: accounts 210000" in msg and "fixed_assets.intangible" in msg
    assert not (sample_copy / "out.xbrl").exists()


def test_missing_movements_are_named(sample_copy, package, catalog):
    catalog("m87-f")
    _edit(
        sample_copy / "dossier.yaml",
        '    "285/8":                       # cash guarantees (288000): rent guarantees\n'
        "      acquisitions: 12000.00       # guarantee paid for the new Liège office\n"
        "      disposals: 3600.00           # guarantee refunded on leaving the Namur office\n",
        "",
    )
    with pytest.raises(FindingsError) as e:
        generate(sample_copy / "dossier.yaml", sample_copy / "out.xbrl", package=package)
    msg = str(e.value)
    # guarantees 48,920.00 -> 57,320.00: the financial note moves by 8,400.00 with no movement stated
    assert "financial assets, 8395" in msg and "137,670.00" in msg and "146,070.00" in msg


def test_notes_rules_must_cover_the_balance_sheet(sample_copy, package, catalog):
    catalog("m87-f")
    mp = sample_copy / "mappings" / "without-capital.yaml"
    _edit(
        mp,
        'accounts: ["285-288"], note: financial.285/8.acquisition_value',
        'accounts: ["285-287"], note: financial.285/8.acquisition_value',
    )
    _edit(
        sample_copy / "dossier.yaml",
        "acquisitions: 12000.00       # guarantee",
        "acquisitions: 3600.00       # guarantee",
    )
    with pytest.raises(FindingsError) as e:
        generate(sample_copy / "dossier.yaml", sample_copy / "out.xbrl", package=package)
    msg = str(e.value)
    # without 288000 the note gives 88,750.00 (2024: 62,000 + 25,000 + 1,250 + 500) against 28 = 146,070.00
    assert "financial assets (current year)" in msg and "88,750.00" in msg and "rubric 28 is 146,070.00" in msg


def test_unknown_movement_and_unknown_note_line(sample_copy, package):
    from nbb_filing.filing.dossier_files import load_dossier

    d = sample_copy / "dossier.yaml"
    _edit(d, "      disposals: 85000.00 ", "      sales: 85000.00 ")
    with pytest.raises(InputError) as e:
        load_dossier(d)
    assert "fixed_assets.intangible.210.sales" in str(e.value) and "unknown key 'sales'" in str(e.value)
    text = (
        "family: x\nmodel: m82-f\nrules: [{id: a, accounts: ['61'], rubric: '61', sign: debit}]\n"
        "fixed_assets: [{id: b, accounts: ['21'], note: intangible.acquisitions, sign: debit}]\n"
    )
    m = parse_mapping(text, "t.yaml")
    from nbb_filing.books.note_closings import check_note_rules

    with pytest.raises(InputError) as e:
        check_note_rules(m)
    assert "t.yaml" in str(e.value) and "'intangible.acquisitions' is not a closing line" in str(e.value)


# ---------------------------------------------------------------- participations: the country


def test_participation_needs_a_country_where_the_model_lists_them(mini_text, write_dossier, catalog):
    from nbb_filing.filing.dossier_files import load_dossier

    m87 = catalog("m87-f")
    base = mini_text.replace("model: m82-f", "model: m87-f") + (
        "participations:\n  - {name: Filiale, legal_form: '610', nature: Parts, shares_held: 10, held_directly_pct: 100"
    )
    with pytest.raises(InputError) as e:
        build_facts(m87, load_dossier(write_dossier(base + "}\n")))
    assert "participation 'Filiale' has no country" in str(e.value)
    fs = build_facts(m87, load_dossier(write_dossier(base + ", country: FR}\n")))
    countries = [
        f.value for f in fs.facts if f.datapoint.metric == "cty-enum:list1" and ("dim:ptpn", "Filiale") in f.typed
    ]
    assert countries == ["cty:mFR"]


def test_mapping_check_reports_an_unknown_note_line(catalog):
    from nbb_filing.books.mapping_check import check_mapping
    from nbb_filing.books.mapping_file import load_mapping

    text = (ROOT / "mappings" / "without-capital.yaml").read_text(encoding="utf-8")
    text = text.replace("note: financial.280.uncalled,", "note: financial.280.uncalled_amounts,")
    m = parse_mapping(text, "wc.yaml")
    report = check_mapping(m, catalog("m82-f"))
    codes = [(f.code, f.rule) for f in report.findings]
    assert ("unknown-note", "notes-affiliated-shares-uncalled") in codes
    # the shipped file has none
    assert not [
        f for f in check_mapping(load_mapping("without-capital"), catalog("m82-f")).findings if f.code == "unknown-note"
    ]


# ---------------------------------------------------------------- kinds of asset (no Arelle)


@pytest.fixture
def sample_m82(tmp_path):
    """A copy of the sample (and the mappings) in its own model, m82-f."""
    root = tmp_path / "w"
    copy = copy_sample(root)
    return copy


def test_full_model_roll_forward_names_the_kind(sample_m82, package, catalog):
    catalog("m82-f")
    _edit(sample_m82 / "dossier.yaml", "acquisitions: 520665.25", "acquisitions: 520000.00")
    with pytest.raises(FindingsError) as e:
        generate(sample_m82 / "dossier.yaml", sample_m82 / "out.xbrl", package=package)
    msg = str(e.value)
    # the development costs' own note (8051 in the full model), and the kind in the location
    assert "\n" not in msg and "intangible assets 210, 8051 acquisition_value" in msg
    assert "1,919,750.00" in msg and "1,920,415.25" in msg and "complete fixed_assets.intangible.210" in msg


def test_class_movements_are_not_spread_over_kinds(sample_m82, package, catalog):
    catalog("m82-f")
    d = sample_m82 / "dossier.yaml"
    text = d.read_text(encoding="utf-8")
    # the tangible movements given for the whole class: m82-f cannot tell which kind they belong to
    start = text.index("  tangible:\n")
    end = text.index("  financial:", start)
    whole = (
        "  tangible:\n    acquisitions: 25666.15\n    disposals: 18450.00\n"
        "    depreciation_recorded: 42130.40\n    depreciation_cancelled: 18450.00\n"
    )
    text = text[:start] + whole + text[end:]
    d.write_text(text, encoding="utf-8")
    res = generate(d, sample_m82 / "out.xbrl", package=package)
    assert any("fixed_assets.tangible" in x and "give them per kind" in x for x in res.left_out)
    # the closing values are still written per kind (from the mapping's per-kind rules) ...
    assert _amount(res, catalog, "m82-f", "8193") == D("405426.40")
    # ... but not the movements
    assert _amount(res, catalog, "m82-f", "8163") is None


def test_unknown_kind_and_mixed_levels(sample_copy, package):
    from nbb_filing.filing.dossier_files import load_dossier

    d = sample_copy / "dossier.yaml"
    _edit(d, '    "24":', '    "29":')
    with pytest.raises(InputError) as e:
        generate(d, sample_copy / "out.xbrl", package=package)
    assert "fixed_assets.tangible.29" in str(e.value) and "no kind '29' (22, 23, 24, 25, 26, 27)" in str(e.value)
    _edit(d, '    "29":', '    acquisitions: 1.00\n    "24":')
    with pytest.raises(InputError) as e:
        load_dossier(d)
    assert "fixed_assets.tangible" in str(e.value) and "per kind of asset, not both" in str(e.value)


def test_note_rules_name_a_kind_of_the_table():
    from nbb_filing.books.note_closings import check_note_rules

    def rules(note: str) -> object:
        return parse_mapping(
            "family: x\nmodel: m82-f\nrules: [{id: a, accounts: ['61'], rubric: '61', sign: debit}]\n"
            f"fixed_assets: [{{id: b, accounts: ['24'], note: '{note}', sign: debit}}]\n",
            "t.yaml",
        )

    check_note_rules(rules("tangible.24.acquisition_value"))  # a kind of the class
    check_note_rules(rules("tangible.acquisition_value"))  # the whole class
    with pytest.raises(InputError) as e:
        check_note_rules(rules("tangible.29.acquisition_value"))
    assert "'tangible.29.acquisition_value' is not a closing line" in str(e.value) and "22, 23, 24" in str(e.value)
    with pytest.raises(InputError, match="class.kind.line"):
        rules("tangible.twenty.acquisition_value")
