"""Social balance sheet: the binding table per model, the SmartCoop block in m82-f (men/women
columns) and m81-f/m87-f (totals), its checks, and the package's cs_ rules satisfied (through the
shared ``sample_validation`` fixture: no extra Arelle run).

Expected figures are the sample's (``samples/smartcoop-2024/dossier.yaml``) added by hand.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from lxml import etree

from nbb_filing.core.errors import FindingsError, InputError
from nbb_filing.filing.dossier_files import load_dossier
from nbb_filing.filing.dossier_notes_social import SocialBalanceSheet
from nbb_filing.filing.dossier_parts import SocialBalance, SocialMeasure
from nbb_filing.filing.facts import build_facts
from nbb_filing.filing.notes.social_balance import load_social_table

D = Decimal
XBRLI = "{http://www.xbrl.org/2003/instance}"
XBRLDI = "{http://xbrl.org/2006/xbrldi}"


def value_of(path: Path, dp) -> Decimal | None:
    """The value of datapoint ``dp`` (no typed dimension) in the instance at ``path``."""
    root = etree.parse(str(path)).getroot()
    ctxs = {
        c.get("id"): sorted((e.get("dimension"), e.text.strip()) for e in c.iter(f"{XBRLDI}explicitMember"))
        for c in root.iter(f"{XBRLI}context")
    }
    local = dp.metric.split(":", 1)[1]
    for el in root:
        if etree.QName(el).localname == local and ctxs.get(el.get("contextRef")) == sorted(dp.members):
            return D(el.text)
    return None


@pytest.mark.parametrize("model", ["m82-f", "m81-f", "m87-f"])
def test_every_total_cell_resolves(catalog, model):
    assert load_social_table().problems(catalog(model)) == []


def test_layouts_differ_and_are_found_by_members(catalog):
    t = load_social_table()
    m82, m87 = catalog("m82-f"), catalog("m87-f")
    # the full model has men/women columns; the micro model only totals
    assert t.cell(m82, "average_workers", "total", "men", "current").column_label("fr") == "1. Hommes"
    assert t.cell(m87, "average_workers", "total", "men", "current") is None
    # the FTE total: a column of the micro model, a row of the full one (which adds dim:qlt=qlt:m3)
    fte87 = t.cell(m87, "average_workers", "total", "total", "current")
    fte82 = t.cell(m82, "average_workers", "total", "total", "current")
    assert "ETP" in fte87.column_label("fr") and ("dim:qlt", "qlt:m3") not in fte87.members
    assert ("dim:qlt", "qlt:m3") in fte82.members and fte82.rubric == "1003"
    assert t.cell(m82, "personnel_costs", "total", "total", "previous").rubric == "1023P"


def test_dossier_vocabulary_matches_the_table():
    t = load_social_table()
    assert set(t.measures) == set(SocialBalance.model_fields) | {"benefits"}
    assert "benefits" in SocialBalanceSheet.model_fields
    assert set(SocialMeasure.model_fields) == {"full_time", "part_time", "total", "previous_total"}
    assert set(t.regimes) == {"full_time", "part_time", "total"}


@pytest.mark.parametrize("model", ["m81-f", "m87-f"])
def test_sample_totals_in_the_coarser_models(sample_outputs, catalog, model):
    t = load_social_table()
    c = catalog(model)
    out = sample_outputs[model].output
    cell = lambda m, r, p="current": value_of(out, t.cell(c, m, r, "total", p))  # noqa: E731
    # 44.1 + 54.3 full time, 18.2 + 34.4 part time, 56.2 + 76.8 FTE (2023: 50.0 + 68.0)
    assert cell("average_workers", "full_time") == D("98.4") and cell("average_workers", "part_time") == D("52.6")
    assert cell("average_workers", "total") == D("133.0") and cell("average_workers", "total", "previous") == D("118.0")
    # 85,232 + 116,936 hours; costs 3,918,293.60 + 5,494,351.20 = rubric 62 (620200 + 621000 + 623000)
    assert cell("hours_worked", "total") == D("202168")
    assert cell("personnel_costs", "total") == D("9412644.80") == D("6890415.20") + D("1820118.50") + D("702111.10")
    assert cell("personnel_costs", "total", "previous") == D("7969524.25")
    assert any("no men/women columns" in x for x in sample_outputs[model].left_out)


def test_sample_gender_columns_in_the_full_model(sample_outputs, catalog):
    t = load_social_table()
    c = catalog("m82-f")
    out = sample_outputs["m82-f"].output
    assert value_of(out, t.cell(c, "average_workers", "total", "men", "current")) == D("56.2")
    assert value_of(out, t.cell(c, "average_workers", "total", "women", "previous")) == D("68.0")
    assert value_of(out, t.cell(c, "hours_worked", "part_time", "total", "current")) == D("52600")  # 18,200 + 34,400


def test_package_social_checks_ran_and_hold(sample_validation):
    for model, rep in sample_validation.items():
        cs = [a for a in rep.assertions_evaluated if a.id.startswith("cs_")]
        assert cs, model
        assert [a.id for a in cs if a.not_satisfied] == [], model


# ---------------------------------------------------------------- checks (no Arelle)

BLOCK = """
social_balance:
  average_workers: {full_time: 10.0, part_time: 4.0, total: 12.5, previous_total: 11.0}
  hours_worked: {full_time: 15200, part_time: 4000, total: 19200}
  personnel_costs: {full_time: 700000, part_time: 150000, total: 850000}
"""


def test_block_written_for_m87(mini_text, write_dossier, catalog):
    m87 = catalog("m87-f")
    d = load_dossier(write_dossier(mini_text.replace("model: m82-f", "model: m87-f") + BLOCK))
    fs = build_facts(m87, d)
    t = load_social_table()
    by_key = {f.datapoint.key: f.value for f in fs.facts}
    assert by_key[t.cell(m87, "hours_worked", "total", "total", "current").key] == D("19200")
    assert by_key[t.cell(m87, "average_workers", "total", "total", "previous").key] == D("11.0")


@pytest.mark.parametrize(
    "old, new, error, text",
    [
        (
            "total: 19200",
            "total: 19000",
            FindingsError,
            "total is 19,000 but full time + part time = 15,200 + 4,000 = 19,200",
        ),
        (
            "total: 12.5",
            "total: 14.5",
            FindingsError,
            "(14.5) must lie between the full-time workers (10.0) and full time + part time (14.0)",
        ),
        ("full_time: 10.0", "full_time: {men: 4.0}", InputError, "give both men and women"),
        (
            "full_time: 10.0",
            "full_time: {total: 9.0, men: 4.0, women: 6.0}",
            InputError,
            "total 9.0 is not men + women",
        ),
    ],
)
def test_block_errors(mini_text, write_dossier, catalog, old, new, error, text):
    m87 = catalog("m87-f")
    block = BLOCK.replace(old, new)
    with pytest.raises(error) as e:
        build_facts(m87, load_dossier(write_dossier(mini_text.replace("model: m82-f", "model: m87-f") + block)))
    assert text in str(e.value) and "\n" not in str(e.value)
    if error is FindingsError:
        assert "(social_balance." in str(e.value)


def test_previous_year_from_a_previous_filing_does_not_override_the_dossier(mini_text, write_dossier, catalog):
    from nbb_filing.books.figures import Figure, RubricFigures

    m87 = catalog("m87-f")
    d = load_dossier(write_dossier(mini_text.replace("model: m82-f", "model: m87-f") + BLOCK))
    cell = load_social_table().cell(m87, "average_workers", "total", "total", "previous")
    published = RubricFigures("m87-f", (Figure(cell.rubric, "previous", D("12.0"), "published.xbrl line 9"),))
    fs = build_facts(m87, d, published)
    assert [f.value for f in fs.facts if f.datapoint.key == cell.key] == [D("11.0")]
    assert any(x.startswith("published.xbrl line 9 gives 12.0") and "11.0" in x for x in fs.left_out)
    # the same figure on both sides is one fact, nothing reported
    same = RubricFigures("m87-f", (Figure(cell.rubric, "previous", D("11.0"), "published.xbrl line 9"),))
    fs = build_facts(m87, d, same)
    assert not any("published.xbrl" in x for x in fs.left_out)


def test_previous_total_without_previous_exercise_is_left_out(mini_text, write_dossier, catalog):
    m87 = catalog("m87-f")
    text = mini_text.replace("model: m82-f", "model: m87-f").replace(
        "previous_exercise: {start: 2023-01-01, end: 2023-12-31}\n", ""
    )
    text = text.replace("{current: 1000.5, previous: 900}", "1000.5").replace("{current: 400, previous: 300}", "400")
    text = text.replace("{current: 100, previous: -50}", "100")
    fs = build_facts(m87, load_dossier(write_dossier(text + BLOCK)))
    assert any("previous_total" in x and "not written" in x for x in fs.left_out)
    assert not [f for f in fs.facts if f.datapoint.metric == "met:dec1" and f.datapoint.period == "previous"]
