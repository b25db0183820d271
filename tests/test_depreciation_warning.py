"""630 against the depreciation recorded in the fixed-asset notes is a warning (issue 11, defect 2).

The NBB's own rule is a complementary (``ca_``) one: 630 legitimately differs from the notes'
"recorded" amounts, e.g. when part of the year's depreciation is non-recurring (660, in 66A) or when
630 holds formation-expense amortisation (6300, which has no note in the smaller models).  The
arithmetic checks (opening + movements = closing; notes = balance sheet) stay hard errors.
"""

from __future__ import annotations

import pytest

from nbb_filing.api import generate
from tests.fixtures_generate import copy_sample


@pytest.fixture
def books(tmp_path):
    root = tmp_path / "w"
    copy = copy_sample(root)
    d = copy / "dossier.yaml"
    d.write_text(d.read_text(encoding="utf-8").replace("\nmodel: m82-f\n", "\nmodel: m87-f\n"), encoding="utf-8")
    return copy


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_non_recurring_depreciation_makes_630_differ_but_files(books, package, catalog):
    catalog("m87-f")
    tb = books / "tb-2024.csv"
    # 1,000.00 of the intangible depreciation is non-recurring: booked in 660200, not in 630200.
    # Result, balance sheet and the notes' recorded depreciation are unchanged; 630 is 1,000.00 lower.
    _edit(
        tb,
        "630200;Amortissements sur immobilisations incorporelles;270420,00;0,00",
        "630200;Amortissements sur immobilisations incorporelles;269420,00;0,00\n"
        "660200;Amortissements non récurrents;1000,00;0,00",
    )
    out = books / "out.xbrl"
    result = generate(books / "dossier.yaml", out, package=package)
    assert out.is_file()
    [w] = [w for w in result.warnings if "rubric 630" in w]
    assert "311,550.40" in w and "312,550.40" in w and "difference -1,000.00" in w
    assert "non-recurring" in w and "6300" in w
