"""Protocol rules one by one, on the accepted m87 filing and small edits of it (no Arelle run).

The filing (exercise 2022-01-01..2022-12-31, previous 2021-01-01..2021-12-31, general meeting
2023-06-02, enterprise number 0925590628, language fr) passes every rule; each test changes one
thing and checks the rule that must object, and only that one.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from nbb_filing.checks import protocol
from nbb_filing.checks.findings import BLOCKING, WARNING

XBRLI = "http://www.xbrl.org/2003/instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def m87(catalog):
    return catalog("m87-f")


@pytest.fixture()
def tree(accepted_m87):
    return etree.parse(str(accepted_m87))


def run(tree, catalog, rule, *, size: int = 1000, path: Path = Path("filing.xbrl")):
    from nbb_filing.reading.reader import read_tree

    facts = read_tree(tree, None, path=path, catalog=catalog)
    pin = protocol.ProtocolInput(path=path, size=size, root=tree.getroot(), facts=facts, catalog=catalog)
    return list(rule(pin))


def fact(tree, fid):
    return tree.getroot().find(f"*[@id='{fid}']")


def test_accepted_filing_passes_every_rule(tree, m87):
    for rule in protocol.RULES:
        assert run(tree, m87, rule) == [], rule.__name__


def test_rules_are_named_by_their_id():
    names = [r.__name__ for r in protocol.RULES]
    assert "dat_26_dates_consistent" in names and "dat_34_one_value_per_datapoint" in names
    assert len(set(names)) == len(names) == 8
    assert all(protocol.title(r) for r in protocol.RULES)


# ---------------------------------------------------------------------- enterprise number


@pytest.mark.parametrize(
    "number,ok",
    [
        ("0925590628", True),  # 97 - 09255906 % 97 = 97 - 69 = 28
        ("0925590629", False),
        ("0203201340", True),  # 97 - 02032013 % 97 = 97 - 57 = 40
        ("203201340", True),  # old 9-digit form, leading 0 implied
        ("2203201340", False),  # must start with 0 or 1
    ],
)
def test_enterprise_number(tree, m87, number, ok):
    for ident in tree.getroot().iter(f"{{{XBRLI}}}identifier"):
        ident.text = number
    found = run(tree, m87, protocol.enterprise_number_mod97)
    assert (found == []) is ok, found


def test_two_entities_in_one_filing(tree, m87):
    ident = next(tree.getroot().iter(f"{{{XBRLI}}}identifier"))
    ident.text = "0203201340"
    found = run(tree, m87, protocol.enterprise_number_mod97)
    assert len(found) == 1 and "2 different entities" in found[0].message


# ---------------------------------------------------------------------- DAT 26


def test_exercise_starting_after_its_end(tree, m87):
    fact(tree, "f6").text = "2023-01-15"  # current start after current end 2022-12-31
    found = run(tree, m87, protocol.dat_26_dates_consistent)
    msgs = [x.message for x in found]
    assert any("must start before it ends" in m for m in msgs), msgs
    assert next(x for x in found if "must start" in x.message).effect == BLOCKING
    # and the previous exercise (ending 2021-12-31) now leaves a gap before 2023-01-15: a warning
    assert [x.effect for x in found if "gap" in x.message] == [WARNING]


def test_previous_exercise_overlapping(tree, m87):
    fact(tree, "f10").text = "2022-03-01"  # previous end after current start 2022-01-01
    found = run(tree, m87, protocol.dat_26_dates_consistent)
    assert len(found) == 1 and "not before the exercise starts" in found[0].message
    assert sorted(f.value for f in found[0].facts) == ["2022-01-01", "2022-03-01"]


def test_gap_between_exercises_is_a_warning(tree, m87):
    fact(tree, "f10").text = "2021-11-30"  # one month gap before 2022-01-01
    found = run(tree, m87, protocol.dat_26_dates_consistent)
    assert [x.effect for x in found] == [WARNING]


def test_exercise_end_differs_from_context_date(tree, m87):
    fact(tree, "f7").text = "2022-12-30"
    found = run(tree, m87, protocol.dat_26_dates_consistent)
    assert any("contexts are dated 2022-12-31" in x.message for x in found)


def test_long_exercise_is_a_warning(tree, m87):
    fact(tree, "f6").text = "2020-06-01"  # 31 months up to 2022-12-31
    fact(tree, "f9").text = "2019-06-01"
    fact(tree, "f10").text = "2020-05-31"
    found = run(tree, m87, protocol.dat_26_dates_consistent)
    assert [x.effect for x in found] == [WARNING] and "longer than 24 months" in found[0].message


def test_contexts_with_two_dates(tree, m87):
    inst = tree.getroot().find(f"{{{XBRLI}}}context/{{{XBRLI}}}period/{{{XBRLI}}}instant")
    inst.text = "2021-12-31"
    found = run(tree, m87, protocol.dat_26_dates_consistent)
    assert any("2 different dates" in x.message for x in found)


# ---------------------------------------------------------------------- DAT 31 / DAT 34 / duplicates


@pytest.mark.parametrize(
    "text,flagged",
    [("82450.6", False), ("82450.65", False), ("82450.650", False), ("82450.651", True), ("82450", False)],
)
def test_at_most_two_decimals(tree, m87, text, flagged):
    fact(tree, "f42").text = text
    found = run(tree, m87, protocol.dat_31_at_most_two_decimals)
    assert bool(found) is flagged
    if flagged:
        assert found[0].facts[0].rubric == "21" and found[0].facts[0].value == text


def test_duplicates(tree, m87):
    f60 = fact(tree, "f60")  # 20/58 of the exercise
    again = etree.fromstring(etree.tostring(f60))
    again.set("id", "f60b")
    f60.addnext(again)
    assert len(run(tree, m87, protocol.no_duplicate_facts)) == 1
    assert run(tree, m87, protocol.dat_34_one_value_per_datapoint) == []
    again.text = "1.00"
    assert run(tree, m87, protocol.no_duplicate_facts) == []
    found = run(tree, m87, protocol.dat_34_one_value_per_datapoint)
    assert len(found) == 1 and found[0].facts[0].rubric == "20/58"


# ---------------------------------------------------------------------- language, court, size


def test_language(tree, m87):
    root = tree.getroot()
    fact(tree, "f121").set(XML_LANG, "nl")
    found = run(tree, m87, protocol.dat_14_15_one_official_language)
    assert len(found) == 1 and "'nl'" in found[0].message
    del fact(tree, "f121").attrib[XML_LANG]
    del root.attrib[XML_LANG]
    found = run(tree, m87, protocol.dat_14_15_one_official_language)
    assert len(found) == 1 and "no xml:lang" in found[0].message
    root.set(XML_LANG, "de")
    assert run(tree, m87, protocol.dat_14_15_one_official_language) == []


def test_court(tree, m87):
    f17 = fact(tree, "f17")
    f17.getparent().remove(f17)
    found = run(tree, m87, protocol.business_court_present)
    assert len(found) == 1 and found[0].effect == BLOCKING


def test_file_size(tree, m87):
    limit = 50 * 1024 * 1024
    assert run(tree, m87, protocol.file_size_under_50mb, size=limit - 1) == []
    found = run(tree, m87, protocol.file_size_under_50mb, size=limit)
    assert len(found) == 1 and "50 MB" in found[0].message
