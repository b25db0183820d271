"""The fixed-asset binding table agrees with the package's own roll-forward assertions.

``data/fixed-assets.yaml`` states, per asset class, which movements lead from the previous closing
value to this one and with which sign.  The package says the same thing in its cross-year value
assertions (``8329 = 8329P + 8279 - 8289 + 8299 - 8309 + 8319``), read into
``Catalog.roll_forwards``.  This test holds the data file to the package: a movement the package
has and the file lacks, a wrong sign or a wrong opening rubric fails here.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from nbb_filing.books.notes_table import load_notes_table


@pytest.mark.parametrize("model", ["m87-f", "m81-f"])
def test_binding_table_matches_package_roll_forwards(catalog, model):
    cat = catalog(model)
    table = load_notes_table()
    rolls = {t.rubric: t for t in cat.roll_forwards}
    compared = 0
    for cls in table.classes.values():
        for closing in cls.closing_lines:
            moves = cls.movements_of(closing.name)
            cur = table.cell(cat, cls.name, closing.name, "current")
            prev = table.cell(cat, cls.name, closing.name, "previous")
            if not moves or cur is None or cur.rubric not in rolls:
                continue
            ours = {(1, prev.rubric)} | {
                (mv.sign, dp.rubric) for mv in moves if (dp := table.cell(cat, cls.name, mv.name)) is not None
            }
            assert ours == set(rolls[cur.rubric].terms), (cls.name, closing.name, rolls[cur.rubric].id)
            compared += 1
    # every roll-forward of the package is covered by a line of the table
    assert compared == len(rolls) and compared >= 6


def test_roll_forwards_hold_on_the_accepted_filing(catalog, accepted_m87):
    from nbb_filing.reading.reader import read_facts

    cat = catalog("m87-f")
    facts = read_facts(accepted_m87, None, model="m87-f", catalog=cat).facts
    by_rubric = {
        f.datapoint.rubric: Decimal(f.value)
        for f in facts
        if f.datapoint.rubric and cat.metric_type(f.datapoint).numeric
    }
    checked = 0
    for roll in cat.roll_forwards:
        if roll.rubric in by_rubric:
            assert by_rubric[roll.rubric] == sum(s * by_rubric.get(r, Decimal(0)) for s, r in roll.terms), roll
            checked += 1
    assert checked >= 2
