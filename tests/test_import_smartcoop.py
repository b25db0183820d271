"""The SmartCoop sample (m82-f) and last year's filing.

A 2023 filing of SmartCoop is generated from the sample's 2023 trial balance; the 2024 dossier then
names it as ``previous_filing`` and keeps its previous-year trial balance, so ``generate`` compares
the two.  Both generated filings are also imported and regenerated (round trip on m82-f, with an
auditor firm and its representative, mandates with dates, texts, rubrics shown in two tables).
"""

from __future__ import annotations

import re
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from nbb_filing.api import generate
from nbb_filing.books.notes_table import load_notes_table
from nbb_filing.reading.importer import import_filing
from nbb_filing.reading.previous import previous_column
from nbb_filing.reading.reader import diff_sets, read_facts

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "samples" / "smartcoop-2024"

# SmartCoop's appropriation of 2023 (samples/smartcoop-2024/FIGURES.md, column 2023): the loss of
# the year (9905) plus the loss brought forward (14P) is carried forward whole (9906 = 14).
APPROPRIATION_2023 = (
    'appropriation:\n  "9905": -917337.00\n  "14P": -685408.12\n  "9906": -1602745.12\n  "14": -1602745.12\n'
)


@pytest.fixture(scope="module")
def smartcoop(tmp_path_factory, package):
    """Directory with the 2023 filing generated, and dossier texts for 2023 and 2024."""
    d = tmp_path_factory.mktemp("smartcoop")
    for name in ("tb-2023.csv", "tb-2024.csv", "rapport-de-gestion.txt", "regles-d-evaluation.txt"):
        shutil.copy(SAMPLE / name, d / name)
    src = (SAMPLE / "dossier.yaml").read_text(encoding="utf-8")
    src = src.replace("../../mappings/without-capital.yaml", str(ROOT / "mappings" / "without-capital.yaml"))
    assert (
        "exercise: {start: 2024-01-01, end: 2024-12-31}\nprevious_exercise: {start: 2023-01-01, end: 2023-12-31}" in src
    )
    y23 = (
        src.replace(
            "exercise: {start: 2024-01-01, end: 2024-12-31}\nprevious_exercise: {start: 2023-01-01, end: 2023-12-31}",
            "exercise: {start: 2023-01-01, end: 2023-12-31}",
        )
        .replace("general_meeting: 2025-06-17", "general_meeting: 2024-06-18")
        .replace(
            "  trial_balance: tb-2024.csv\n  previous_trial_balance: tb-2023.csv\n", "  trial_balance: tb-2023.csv\n"
        )
        .replace("previous_amounts_identical: true\n", "")
    )
    y23 = re.sub(r"appropriation:\n(  .*\n)+", APPROPRIATION_2023, y23)
    # the 2023 filing states 2023's average FTE (9087, derived from social_balance since issue 19):
    # the 2024 block's previous-year total, 118.0 (50.0 + 68.0)
    assert y23.count("    total: {men: 56.2, women: 76.8}") == 1
    y23 = y23.replace("    total: {men: 56.2, women: 76.8}", "    total: {men: 50.0, women: 68.0}")
    (d / "dossier-2023.yaml").write_text(y23, encoding="utf-8")
    generate(d / "dossier-2023.yaml", d / "smartcoop-2023.xbrl", package=package)
    # 2024: the sample, with last year's filing; "identical to published" left to the comparison
    y24 = src.replace("previous_amounts_identical: true\n", "previous_filing: smartcoop-2023.xbrl\n")
    (d / "dossier-2024.yaml").write_text(y24, encoding="utf-8")
    (d / "dossier-2024-plain.yaml").write_text(src, encoding="utf-8")
    return d


def test_2024_takes_its_previous_column_from_the_2023_filing(smartcoop, package, catalog):
    res = generate(smartcoop / "dossier-2024.yaml", smartcoop / "smartcoop-2024.xbrl", package=package)
    # FIGURES.md, column 2023
    assert res.total("total_assets", "previous") == Decimal("17131627.39")
    assert res.total("equity", "previous") == Decimal("3813830.55")
    assert res.total("result_of_period", "previous") == Decimal("-917337.00")
    notes = "\n".join(res.notes)
    assert "in smartcoop-2023.xbrl (its current-year column)" in notes
    assert "agrees with the published filing on every rubric" in notes
    # the 2023 filing's fixed-asset movements (the development costs' acquisitions ..., whose cell
    # is read from the catalog: m82-f's notes are per kind) have no previous-year cell by nature:
    # they are set apart, and the report has no note about them
    column = previous_column(smartcoop / "smartcoop-2023.xbrl", catalog("m82-f"), package)
    acquisitions = load_notes_table().cell(catalog("m82-f"), "intangible", "acquisitions", kind="210")
    assert acquisitions is not None and acquisitions.rubric
    assert any(f": rubric {acquisitions.rubric} (movement of the year)" in m for m in column.movements)
    for m in column.movements:
        rubric = m.split(": rubric ", 1)[1].removesuffix(" (movement of the year)")
        assert f"rubric {rubric} (current year)" not in notes
    # what the report does list as without a previous-year cell is exactly the column's not_placed
    assert [x for x in res.notes if "has no previous-year datapoint" in x] == [
        f"previous year: {x}" for x in column.not_placed
    ]
    # same facts as the sample generated from its two trial balances alone
    plain = generate(smartcoop / "dossier-2024-plain.yaml", smartcoop / "plain.xbrl", package=package)
    assert plain.facts == res.facts
    a = read_facts(smartcoop / "plain.xbrl", package)
    b = read_facts(smartcoop / "smartcoop-2024.xbrl", package)
    assert diff_sets(a.as_set(), b.as_set()) == []


def test_a_published_figure_that_differs_is_reported(smartcoop, package, tmp_path):
    # the published 2023 filing says 20/58 = 17131627.39 and 10/49 = 17131627.39; pretend it said
    # 17131600.00 for both (an amount corrected since): two rubrics disagree by 27.39
    text = (smartcoop / "smartcoop-2023.xbrl").read_text(encoding="utf-8")
    assert text.count(">17131627.39<") == 2
    (smartcoop / "published-2023.xbrl").write_text(text.replace(">17131627.39<", ">17131600.00<"), encoding="utf-8")
    y24 = (
        (smartcoop / "dossier-2024.yaml")
        .read_text(encoding="utf-8")
        .replace("previous_filing: smartcoop-2023.xbrl", "previous_filing: published-2023.xbrl")
    )
    (smartcoop / "dossier-2024-restated.yaml").write_text(y24, encoding="utf-8")
    out = tmp_path / "restated.xbrl"
    res = generate(smartcoop / "dossier-2024-restated.yaml", out, package=package)
    notes = "\n".join(res.notes)
    assert "disagrees with the published filing on 2 rubric(s)" in notes
    assert (
        "rubric 20/58 (previous year): published 17131600, trial balance gives 17131627.39 (difference 27.39)" in notes
    )
    assert (
        "rubric 10/49 (previous year): published 17131600, trial balance gives 17131627.39 (difference 27.39)" in notes
    )
    # the trial balance is written, and the filing answers "not identical to published"
    assert res.total("total_assets", "previous") == Decimal("17131627.39")
    facts = read_facts(out, package)
    flag = [f for f in facts if f.datapoint.metric == "met:bln1" and ("dim:dcl", "dcl:m1") in f.datapoint.members]
    assert [f.value for f in flag] == ["false"]


@pytest.mark.parametrize("name, model", [("smartcoop-2023.xbrl", None), ("plain.xbrl", None), ("sc-m87.xbrl", "m87-f")])
def test_import_round_trip_of_the_generated_smartcoop_filings(smartcoop, package, name, model, tmp_path):
    if not (smartcoop / name).exists():  # the 2024 sample as m82-f, or as m87-f (with participations)
        generate(smartcoop / "dossier-2024-plain.yaml", smartcoop / name, package=package, model=model)
    res = import_filing(smartcoop / name, tmp_path / "imported", package)
    assert res.not_imported == () and res.round_trip == (), (res.not_imported, res.round_trip)
    again = tmp_path / "again.xbrl"
    generate(res.dossier_path, again, package=package)
    assert diff_sets(read_facts(smartcoop / name, package).as_set(), read_facts(again, package).as_set()) == []
    if model == "m87-f":
        from nbb_filing.filing.dossier_files import load_dossier

        d = load_dossier(res.dossier_path)
        # the sample's four participations (samples/smartcoop-2024/dossier.yaml), percents as written there
        assert {p.name: p.held_directly_pct for p in d.participations} == {
            "Ubik": Decimal(100),
            "SmartImmo": Decimal(5),
            "Palais de l'intérim": Decimal("0.16"),
            "Matlease": Decimal("0.14"),
        }
        (auditor,) = d.auditors
        assert (auditor.name, auditor.representative.first_name, auditor.representative.last_name) == (
            "Révisions Solidaires SRL",
            "Claire",
            "Fontaine",
        )
        assert [(m.start, m.end) for m in auditor.mandates] == [(date(2022, 6, 21), date(2025, 6, 17))]
