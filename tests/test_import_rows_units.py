"""Real filings round-trip fact for fact (issue 11, defect 6): the typed row ids a filing used
(``dim:open`` of the participations' holdings and of the mandates) are kept, and units are compared
by meaning (the measure's namespace and name), not by the unit's id or the measure's prefix.

The fixture ``tests/data/m81-f-rows-and-units.xbrl`` lists three participations as rows 2, 5 and 7,
a director's mandates as rows 2 and 5, and writes its units as U-EUR (``iso:EUR``) and U-SHR
(``shares`` under the default namespace).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from nbb_filing.api import generate
from nbb_filing.reading.importer import import_filing
from nbb_filing.reading.reader import read_facts

FIXTURE = Path(__file__).parent / "data" / "m81-f-rows-and-units.xbrl"


def _open_ids(facts, typed_dim: str) -> set[str]:
    rows = (dict(f.typed_values) for f in facts)
    return {t["dim:open"] for t in rows if typed_dim in t and "dim:open" in t}


def test_units_of_the_right_meaning_are_not_reported(package, catalog):
    catalog("m81-f")
    filing = read_facts(FIXTURE, package)
    assert not [p for p in filing.problems if "unit" in p], filing.problems
    shares = [f for f in filing.facts if f.unit and "shares" in f.unit]
    assert len(shares) == 3


def test_wrong_unit_is_still_reported(package, catalog, tmp_path):
    catalog("m81-f")
    bad = tmp_path / "bad.xbrl"
    text = FIXTURE.read_text(encoding="utf-8")
    bad.write_text(
        text.replace(
            '<measure xmlns="http://www.xbrl.org/2003/instance">shares</measure>',
            '<measure xmlns="http://www.xbrl.org/2003/instance">pure</measure>',
        ),
        encoding="utf-8",
    )
    problems = [p for p in read_facts(bad, package).problems if "unit" in p]
    assert len(problems) == 3 and "has unit pure" in problems[0] and "expected shares" in problems[0]


def test_import_keeps_the_row_ids_and_round_trips_exactly(package, catalog, tmp_path):
    catalog("m81-f")
    res = import_filing(FIXTURE, tmp_path / "imp", package)
    assert res.exact, (res.not_imported, res.round_trip, res.round_trip_error)
    assert not [r for r in res.remarks if "renumbered" in r or "unit" in r], res.remarks
    data = yaml.safe_load(res.dossier_path.read_text(encoding="utf-8"))
    assert [p.get("row") for p in data["participations"]] == ["2", "5", "7"]
    assert [m.get("row") for m in data["directors"][0]["mandates"]] == ["2", "5"]

    out = tmp_path / "again.xbrl"
    generate(res.dossier_path, out, package=package)
    before, after = read_facts(FIXTURE, package), read_facts(out, package)
    assert _open_ids(after.facts, "dim:ptpn") == _open_ids(before.facts, "dim:ptpn") == {"2", "5", "7"}
    assert before.as_set() == after.as_set()
