"""previous.py: last year's filing as this year's previous-year column, and the comparison."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from nbb_filing.books.figures import Figure, RubricFigures
from nbb_filing.core.errors import InputError
from nbb_filing.reading.previous import compare, previous_column


@pytest.fixture(scope="session")
def accepted_as_previous(accepted_m87, accepted_facts, m87_catalog):
    return previous_column(accepted_m87, m87_catalog, filing=accepted_facts)


def test_current_year_becomes_previous_year(accepted_as_previous):
    figs = accepted_as_previous.figures
    assert figs.model == "m87-f"
    assert all(f.period == "previous" for f in figs.figures)
    # values of the file's current-year column (lines 1414, 1371, 1379 of the filing)
    assert figs.get("9904", "previous") == Decimal("1672.05")
    assert figs.get("20/58", "previous") == Decimal("554894.28")
    assert figs.get("14", "previous") == Decimal("231428.46")
    # last year's previous column is not carried over (9904 previous of 2021 was -110927.07)
    assert figs.get("9904", "current") is None
    assert "line 1414" in figs.figure("9904", "previous").source


def test_closing_values_of_notes_move_to_their_P_rubric(accepted_as_previous):
    figs = accepted_as_previous.figures
    # 8199 (acquisition value at the end of 2022) is 8199P of 2023, 8329 -> 8329P, 8395 -> 8395P
    assert figs.get("8199P", "previous") == Decimal("191312.91")
    assert figs.get("8329P", "previous") == Decimal("53170.95")
    assert figs.get("8395P", "previous") == Decimal("64340.22")
    # 14P of 2022 (brought forward from 2021) is the previous column of 14P in 2023
    assert figs.get("14P", "previous") == Decimal("229756.41")


def test_movements_of_the_year_are_listed_apart_not_as_lost(accepted_as_previous):
    # 8029 acquisitions, 8169 acquisitions, 8279 depreciation recorded (filing lines 1422, 1425,
    # 1428): movements, which no model shows for the previous year, so nothing is lost
    assert accepted_as_previous.movements == (
        "m87-f-accepted-2022-anonymised.xbrl line 1422: rubric 8029 (movement of the year)",
        "m87-f-accepted-2022-anonymised.xbrl line 1425: rubric 8169 (movement of the year)",
        "m87-f-accepted-2022-anonymised.xbrl line 1428: rubric 8279 (movement of the year)",
    )
    # every other current-year fact of the filing found its previous-year cell
    assert accepted_as_previous.not_placed == ()


def test_a_fact_without_previous_cell_that_is_not_a_movement_is_still_reported(
    accepted_m87, accepted_facts, m87_catalog
):
    from dataclasses import replace

    # the accepted filing, plus one current-year fact of a table no model has a previous column
    # for (rubric 9150, bills of exchange endorsed, in the commitments note)
    facts = accepted_facts
    bills = next(dp for dp in m87_catalog.by_rubric("9150") if dp.period == "current")
    extra = replace(facts.facts[0], datapoint=bills, value="100", typed_values=(), source_line=9999)
    column = previous_column(accepted_m87, m87_catalog, filing=replace(facts, facts=facts.facts + (extra,)))
    assert column.not_placed == (
        "m87-f-accepted-2022-anonymised.xbrl line 9999: rubric 9150 (current year) has no previous-year datapoint in m87-f",
    )
    assert len(column.movements) == 3


def test_exercise_dates_move_too(accepted_as_previous, m87_catalog):
    starts = [p for p in accepted_as_previous.placed if p.datapoint.metric == "met:dte1"]
    assert sorted(p.value for p in starts) == ["2022-01-01", "2022-12-31"]
    assert all(p.datapoint.period == "previous" for p in starts)


def test_filing_of_another_model_is_refused(filing_variant, m87_catalog):
    path = filing_variant(lambda t: t.replace("/mod/m87/m87-f.xsd", "/mod/m81/m81-f.xsd"))
    with pytest.raises(InputError, match=r"previous_filing: .*model m81-f, not m87-f"):
        previous_column(path, m87_catalog)


def test_compare_lists_every_disagreeing_rubric():
    published = RubricFigures(
        "m87-f",
        (
            Figure("10/15", "previous", Decimal("100.00"), "last.xbrl line 10"),
            Figure("9904", "previous", Decimal("5"), "last.xbrl line 11"),
            Figure("21", "previous", Decimal("0"), "last.xbrl line 12"),
            Figure("9904", "current", Decimal("999"), "ignored: not the previous year"),
        ),
    )
    computed = RubricFigures(
        "m87-f",
        (
            Figure("10/15", "previous", Decimal("100"), "tb-2023.csv"),
            Figure("9904", "previous", Decimal("7.5"), "tb-2023.csv: accounts 6, 7"),
            Figure("640/8", "previous", Decimal("3"), "tb-2023.csv: account 640"),
        ),
    )
    got = compare(published, computed)
    assert [(d.rubric, d.published, d.computed, d.difference) for d in got] == [
        ("9904", Decimal(5), Decimal("7.5"), Decimal("2.5")),
        ("640/8", None, Decimal(3), Decimal(3)),
    ]
    assert got[0].describe() == (
        "rubric 9904 (previous year): published 5.00, trial balance gives 7.50 (difference 2.50)"
    )
    assert compare(published, published) == []


# ---------------------------------------------------------------------- previous_filing in a dossier


@pytest.fixture
def dossier_2023(imported_m87, accepted_m87, tmp_path):
    """A 2023 dossier of the same company, naming the accepted 2022 filing as previous_filing.

    Its 2023 figures are the 2022 ones, except the appropriation lines that must follow from 2022:
    14P (brought forward) = 14 of 2022 = 231428.46, so 9906 = 9905 + 14P = 1672.05 + 231428.46.
    """
    import shutil

    from nbb_filing.filing.dossier_files import dossier_to_yaml, load_dossier
    from nbb_filing.filing.dossier_parts import PeriodAmounts

    # beside the dossier: files a dossier names are read from its folder (docs/security.md)
    shutil.copyfile(accepted_m87, tmp_path / accepted_m87.name)

    def make(**changes):
        d = load_dossier(imported_m87.dossier_path)
        figures = {code: PeriodAmounts(current=a.current) for code, a in d.figures.items() if a.current is not None}
        figures["14P"] = PeriodAmounts(current=Decimal("231428.46"))
        figures["9906"] = PeriodAmounts(current=Decimal("233100.51"))
        data = d.model_dump(exclude_defaults=True)
        data.update(
            exercise={"start": date(2023, 1, 1), "end": date(2023, 12, 31)},
            general_meeting=date(2024, 6, 3),
            previous_filing=accepted_m87.name,
            figures={k: v.model_dump(exclude_none=True) for k, v in figures.items()},
        )
        data.pop("previous_exercise", None)
        data.pop("previous_amounts_identical", None)
        data.update(changes)
        path = tmp_path / "dossier-2023.yaml"
        path.write_text(dossier_to_yaml(type(d).model_validate(data)), encoding="utf-8")
        return load_dossier(path)

    return make


def test_previous_filing_fills_the_previous_column(dossier_2023, m87_catalog, package):
    from nbb_filing.filing.facts import build_facts
    from nbb_filing.reading.previous import apply_previous_filing

    d, figures, outcome = apply_previous_filing(dossier_2023(), m87_catalog, None, package)
    assert (d.previous_exercise.start, d.previous_exercise.end) == (date(2022, 1, 1), date(2022, 12, 31))
    assert outcome.used == "filing" and outcome.disagreements == () and outcome.identical
    assert d.previous_amounts_identical is True
    facts = build_facts(m87_catalog, d, figures)
    previous = {(f.datapoint.rubric, f.datapoint.period): f.value for f in facts.facts if f.datapoint.rubric}
    # 2022's current column, now 2023's previous column
    assert previous[("20/58", "previous")] == Decimal("554894.28")
    assert previous[("9904", "previous")] == Decimal("1672.05")
    assert previous[("8199P", "previous")] == Decimal("191312.91")
    assert previous[("14P", "current")] == Decimal("231428.46")


def test_previous_trial_balance_is_compared_with_the_published_filing(
    dossier_2023, m87_catalog, package, accepted_as_previous
):
    from nbb_filing.reading.previous import apply_previous_filing

    # a previous-year trial balance that agrees with the publication except on 640/8 (1459.05 published)
    tb = [f for f in accepted_as_previous.figures.figures if f.rubric != "640/8"]
    tb.append(Figure("640/8", "previous", Decimal("1500.00"), "tb-2022.csv: accounts 640, 643"))
    mapped = RubricFigures("m87-f", tuple(tb))
    d, figures, outcome = apply_previous_filing(dossier_2023(), m87_catalog, mapped, package)
    assert outcome.used == "trial balance"
    assert [(x.rubric, x.published, x.computed, x.difference) for x in outcome.disagreements] == [
        ("640/8", Decimal("1459.05"), Decimal("1500.00"), Decimal("40.95"))
    ]
    assert d.previous_amounts_identical is False
    assert figures.get("640/8", "previous") == Decimal("1500.00")  # the trial balance is written
    report = "\n".join(outcome.report_lines())
    assert "disagrees with the published filing on 1 rubric(s)" in report
    assert "rubric 640/8 (previous year): published 1,459.05, trial balance gives 1,500.00 (difference 40.95)" in report


def test_previous_filing_of_another_model_or_year(dossier_2023, filing_variant, m87_catalog, package):
    from nbb_filing.reading.previous import apply_previous_filing

    other_model = filing_variant(lambda t: t.replace("/mod/m87/m87-f.xsd", "/mod/m81/m81-f.xsd"))
    with pytest.raises(InputError, match=r"dossier-2023.yaml line \d+ \(previous_filing\): .*model m81-f, not m87-f"):
        apply_previous_filing(dossier_2023(previous_filing=str(other_model)), m87_catalog, None, package)
    wrong_year = dossier_2023(previous_exercise={"start": date(2021, 1, 1), "end": date(2021, 12, 31)})
    with pytest.raises(InputError, match=r"covers 2022-01-01 to 2022-12-31, but previous_exercise is 2021-01-01"):
        apply_previous_filing(wrong_year, m87_catalog, None, package)
