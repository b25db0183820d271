"""reader.py: a real accepted filing (framework 23.0) read against the installed 22.19 replica."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from nbb_filing.core.errors import InputError
from nbb_filing.reading.reader import canonical_decimal, diff_sets, read_facts

# The accepted filing holds 121 facts (its README says so, and `grep -c contextRef=` on the facts).
N_FACTS = 121


def _insert_before_end(text: str, xml: str) -> tuple[str, int]:
    """Insert ``xml`` before ``</xbrl>``; return the new text and the line where ``xml`` starts."""
    at = text.rindex("</xbrl>")
    line = text.count("\n", 0, at) + 1
    return text[:at] + xml + "\n" + text[at:], line


def test_every_fact_of_the_accepted_filing_resolves(accepted_facts, accepted_text):
    assert len(re.findall(r"<[\w-]+:[\w]+ contextRef=", accepted_text)) == N_FACTS
    assert len(accepted_facts) == N_FACTS
    assert accepted_facts.unresolved == ()
    assert accepted_facts.problems == ()
    assert len(accepted_facts.as_set()) == N_FACTS  # one context per fact, no duplicates
    assert accepted_facts.model == "m87-f"
    assert accepted_facts.framework == "23.0"
    assert accepted_facts.retargeted[0] == "schemaRef fws/23.0 -> fws/22.19"
    assert accepted_facts.closing_date == "2022-12-31"
    assert accepted_facts.entity_identifier == "0925590628"
    assert accepted_facts.language == "fr"


def test_amounts_are_placed_on_their_rubric_and_year(accepted_facts):
    by_rubric = {(f.datapoint.rubric, f.datapoint.period): f for f in accepted_facts.rubric_facts()}
    # line 1415 of the file: <met:am2 ... f96 context c104 ...>-110927.07 = 9904 previous year
    assert by_rubric[("9904", "previous")].value == "-110927.07"
    assert by_rubric[("9904", "current")].amount == Decimal("1672.05")
    # "7372.20" in the file is normalised to the same number written canonically
    assert by_rubric[("65/66B", "previous")].value == "7372.2"
    assert by_rubric[("20/58", "current")].value == "554894.28"
    # the file writes 15000 for 10/11 in both years
    assert by_rubric[("10/11", "current")].amount == by_rubric[("10/11", "previous")].amount == Decimal(15000)
    # balance sheet: total assets = fixed + current assets, in both years (checked on read values)
    for period in ("current", "previous"):
        total = by_rubric[("20/58", period)].amount
        assert total == by_rubric[("21/28", period)].amount + by_rubric[("29/58", period)].amount


def test_enumeration_and_typed_dimension_facts(accepted_facts, m87_catalog):
    legal_form = [f for f in accepted_facts if f.datapoint.metric == "lgf-enum:list2"]
    assert [f.value for f in legal_form] == ["lgf:m610"]
    # the installed list holds the value, with labels
    assert m87_catalog.metric_type("lgf-enum:list2").enum_value("lgf:m610") is not None
    director = [f for f in accepted_facts if ("dim:afnp", "CAMILLE") in f.typed_values]
    assert director and all(f.typed_values[:2] == (("dim:afnp", "CAMILLE"), ("dim:annp", "PEETERS")) for f in director)
    mandate = [f for f in director if f.datapoint.metric == "fct-enum:list1"]
    assert [(f.value, dict(f.typed_values)["dim:open"]) for f in mandate] == [("fct:m13", "1")]
    missions = sorted(f.value for f in accepted_facts if f.datapoint.metric == "nmc-enum:list1")
    assert missions == ["nmc:mA", "nmc:mB", "nmc:mC", "nmc:mD"]


def test_prefixes_and_framework_version_do_not_change_the_facts(accepted_facts, filing_variant, package):
    def edit(t: str) -> str:
        t = t.replace("fws/23.0/", "fws/25.0/").replace("cbso/23.0/enum", "cbso/25.0/enum")
        # rename prefixes: the metric namespace, a dimension-member namespace and an enum value namespace
        t = t.replace('xmlns:met="', 'xmlns:metric="').replace("<met:", "<metric:").replace("</met:", "</metric:")
        t = t.replace('xmlns:prd="', 'xmlns:period="').replace(">prd:m", ">period:m")
        t = t.replace('xmlns:lgf="', 'xmlns:legalform="').replace(">lgf:m", ">legalform:m")
        return t

    path = filing_variant(edit)
    assert "legalform:m610" in path.read_text()
    other = read_facts(path, package)
    assert other.framework == "25.0"
    assert diff_sets(accepted_facts.as_set(), other.as_set()) == []


def test_unknown_facts_are_listed_not_dropped(filing_variant, package, accepted_text):
    extra = (
        '<context id="cx1"><entity><identifier scheme="http://www.fgov.be">0925590628</identifier></entity>'
        "<period><instant>2022-12-31</instant></period><scenario>"
        '<xbrldi:explicitMember dimension="dim:bas">bas:m2</xbrldi:explicitMember>'
        '<xbrldi:explicitMember dimension="dim:part">part:m99</xbrldi:explicitMember>'
        '<xbrldi:explicitMember dimension="dim:prd">prd:m1</xbrldi:explicitMember>'
        "</scenario></context>\n"
        '<met:am1 contextRef="cx1" unitRef="EUR" decimals="INF">12.50</met:am1>\n'
        '<oth:thing xmlns:oth="urn:example:not-nbb" contextRef="c1">x</oth:thing>\n'
        '<lgf-enum:list2 contextRef="c11">lgf:m9999</lgf-enum:list2>'
    )
    text, line = _insert_before_end(accepted_text, extra)
    facts = read_facts(filing_variant(lambda _: text), package)
    assert len(facts) == N_FACTS
    reasons = {u.source_line: u for u in facts.unresolved}
    assert sorted(reasons) == [line + 1, line + 2, line + 3]
    bad_member = reasons[line + 1]
    assert bad_member.element == "met:am1" and ("dim:part", "part:m99") in bad_member.members
    assert bad_member.value == "12.50" and "no datapoint" in bad_member.reason
    assert reasons[line + 2].element == "{urn:example:not-nbb}thing"
    assert "not a metric" in reasons[line + 2].reason
    assert "lgf:m9999 is not a value of the list lgf-enum:list2" in reasons[line + 3].reason
    assert f"line {line + 1}:" in bad_member.describe()


def test_nil_and_inconsistent_duplicates(filing_variant, package, accepted_text):
    # c121 is the valuation-rules text (met:str1); c60 holds 20/58 current = 554894.28
    extra = (
        '<met:str1 contextRef="c121" xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>\n'
        '<met:am1 contextRef="c60" unitRef="EUR" decimals="INF">554894.29</met:am1>'
    )
    text, line = _insert_before_end(accepted_text, extra)
    facts = read_facts(filing_variant(lambda _: text), package)
    key = next(f.key for f in facts if f.datapoint.metric == "met:str1")
    assert [f.value is None for f in facts.by_key(key)] == [False, True]
    assert any(p.startswith(f"line {line + 1}:") and "different values" in p for p in facts.problems)
    assert len(facts.as_set()) == N_FACTS + 2


def test_filing_of_another_model_is_refused(accepted_m87, package):
    with pytest.raises(InputError, match=r"model m87-f, not m82-f"):
        read_facts(accepted_m87, package, model="m82-f")


def test_malformed_file(filing_variant, package):
    path = filing_variant(lambda t: t.replace("</context>", "</contxt>", 1))
    with pytest.raises(InputError) as e:
        read_facts(path, package)
    assert str(path) in str(e.value) and "not well-formed" in str(e.value)
    assert "\n" not in str(e.value)


def test_entity_expansion_is_refused(tmp_path, package):
    lol = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = tmp_path / "laughs.xbrl"
    path.write_text(
        f'<?xml version="1.0"?><!DOCTYPE xbrl [<!ENTITY l0 "lol">{lol}]>'
        '<xbrl xmlns="http://www.xbrl.org/2003/instance">&l9;</xbrl>'
    )
    with pytest.raises(InputError, match="refused"):
        read_facts(path, package)


def test_not_an_nbb_filing(tmp_path, package):
    path = tmp_path / "other.xbrl"
    path.write_text(
        '<xbrl xmlns="http://www.xbrl.org/2003/instance" xmlns:link="http://www.xbrl.org/2003/linkbase" '
        'xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<link:schemaRef xlink:type="simple" xlink:href="http://example.com/other.xsd"/></xbrl>'
    )
    with pytest.raises(InputError, match="not an NBB CBSO entry point"):
        read_facts(path, package)


@pytest.mark.parametrize(
    "text, expected",
    [("7372.20", "7372.2"), ("1E+2", "100"), ("-0.00", "0"), ("0012", "12"), ("-110927.07", "-110927.07")],
)
def test_canonical_decimal(text, expected):
    assert canonical_decimal(Decimal(text)) == expected


def test_retargeted_tree_has_no_old_framework_left(accepted_m87):
    """The tree the reader resolves: every namespace moved, every declaration kept, lines kept."""
    from lxml import etree

    from nbb_filing.taxonomy.filing_xml import parse_filing, retarget_framework

    before = parse_filing(accepted_m87)
    after, changes = retarget_framework(before, "22.19")
    text = etree.tostring(after)
    # 9 enumeration namespaces of 23.0 in the file (atc, cct, cty, fct, lgf, nmc, nmt, pcd ... -enum)
    assert len([c for c in changes if c.startswith("namespace ")]) == len(
        [u for u in before.getroot().nsmap.values() if "/cbso/23.0/enum/" in u]
    )
    assert b"/23.0/" not in text
    assert after.getroot().nsmap.keys() == before.getroot().nsmap.keys()  # dim:, bas: ... all still declared
    assert text.count(b"xmlns") == len(before.getroot().nsmap)  # no stale local redeclarations
    lines = lambda t: [e.sourceline for e in t.getroot().iter() if isinstance(e.tag, str)]  # noqa: E731
    assert lines(after) == lines(before)


def test_writer_and_reader_agree_on_amounts(m87_catalog):
    """Whatever amount the instance writer formats, the reader gives back the same number."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from nbb_filing.filing.instance import format_value
    from nbb_filing.reading.reader import normalise_value

    mt = m87_catalog.metric_type("met:am2")

    @settings(max_examples=300, deadline=None)
    @given(
        st.decimals(
            min_value=Decimal("-1e14"), max_value=Decimal("1e14"), places=2, allow_nan=False, allow_infinity=False
        )
    )
    def check(d: Decimal) -> None:
        text = format_value(mt, d)
        got = normalise_value(m87_catalog, "met:am2", text)
        assert Decimal(got) == d
        assert got == canonical_decimal(d)
        assert normalise_value(m87_catalog, "met:am2", f"  {got}\n") == got  # idempotent, layout ignored

    check()


def test_a_default_member_written_explicitly_is_a_problem(filing_variant, package, accepted_facts):
    # context c40 is 21/28 current; add dim:spec = spec:m0, the default of dim:spec (forbidden by XDT)
    def edit(t: str) -> str:
        i = t.index('<context id="c40">')
        j = t.index("</scenario>", i)
        return t[:j] + '<xbrldi:explicitMember dimension="dim:spec">spec:m0</xbrldi:explicitMember>' + t[j:]

    facts = read_facts(filing_variant(edit), package)
    assert facts.as_set() == accepted_facts.as_set()  # still the same cell, as XBRL Dimensions reads it
    (problem,) = facts.problems
    assert problem.endswith("context c40 writes the default member dim:spec=spec:m0")
