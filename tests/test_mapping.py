"""Mapping engine and checker: side rules with hand-worked figures, aggregation, every refusal."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from nbb_filing.books.allocation import apply_mapping
from nbb_filing.books.ledger import TrialBalance
from nbb_filing.books.mapping import compute_figures, compute_period
from nbb_filing.books.mapping_check import check_mapping
from nbb_filing.books.mapping_file import parse_mapping
from nbb_filing.core.errors import FindingsError, InputError

D = Decimal


def tb(*items: tuple[str, str]) -> TrialBalance:
    """A trial balance from (account, signed balance) pairs, debit positive."""
    return TrialBalance.from_balances("tb.csv", [(a, D(b)) for a, b in items])


def codes(report) -> list[str]:
    return [f.code for f in report.findings]


# ---------------------------------------------------------------- side rules of the default mapping


def test_side_rules_bank_customers_suppliers_vat(wc_mapping, m82):
    t = tb(
        ("550000", "1000"),  # bank in debit -> 54/58
        ("550100", "-300"),  # overdraft -> 430/8
        ("400000", "500"),  # customer -> 40
        ("400100", "-80"),  # customer in credit -> 46
        ("440000", "-700"),  # supplier -> 440/4
        ("440100", "60"),  # supplier in debit -> 40
        ("411000", "40"),  # VAT recoverable -> 41
        ("411100", "-25"),  # VAT recoverable in credit -> 450/3
        ("451000", "-90"),  # VAT payable -> 450/3
        ("451100", "15"),  # VAT payable in debit -> 41
        ("416000", "-10"),  # other receivable in credit -> 47/48
        ("489000", "5"),  # other debt in debit -> 41
        ("110000", "-415"),  # balancing contribution
    )
    f = compute_figures(m82, wc_mapping, t, None)
    assert f.get("54/58") == D(1000)
    assert f.get("430/8") == D(300)
    assert f.get("40") == D(560)  # 500 + 60
    assert f.get("46") == D(80)
    assert f.get("440/4") == D(700)
    assert f.get("41") == D(60)  # 40 + 15 + 5
    assert f.get("450/3") == D(115)  # 25 + 90
    assert f.get("47/48") == D(10)
    assert f.get("42/48") == D(1205)  # 300 + 700 + 115 + 80 + 10
    assert f.get("20/58") == D(1620) == f.get("10/49")
    assert f.get("previous") is None and f.get("40", "previous") is None
    src = f.figure("430/8").source
    assert "550100" in src and "bank-overdrafts" in src and "without-capital.yaml" in src


def test_non_recurring_split_at_sub_account_level(wc_mapping, m82):
    t = tb(
        ("660200", "100"),
        ("661000", "40"),
        ("662000", "7"),
        ("662100", "3"),
        ("663000", "11"),
        ("663100", "13"),
        ("664000", "17"),
        ("668000", "19"),
        ("760000", "-23"),
        ("761000", "-29"),
        ("763000", "-31"),
        ("763100", "-37"),
        ("764000", "-41"),
        ("769000", "-43"),
        ("550000", "-4"),  # balancing: 210 debits, 204 credits... 100+40+7+3+11+13+17+19 = 210; 23+29+31+37+41+43 = 204
        ("110000", "-2"),
    )
    values = compute_period(wc_mapping, t, "current", m82, m82).values
    assert values["66A"] == D(135)  # 100 + 7 + 11 + 17
    assert values["66B"] == D(75)  # 40 + 3 + 13 + 19
    assert values["76A"] == D(95)  # 23 + 31 + 41
    assert values["76B"] == D(109)  # 29 + 37 + 43
    assert values["66"] == D(210) and values["76"] == D(204)


def test_unsplit_non_recurring_account_reaches_no_rubric(wc_mapping, m82):
    # 662 without its 6620/6621 sub-account cannot be told operating or financial
    t = tb(("662", "10"), ("550000", "-10"))
    with pytest.raises(
        FindingsError,
        match=r"account 662 \(line 1, balance 10.00\) reaches no rubric \(nearest rules of this mapping: 661 -> rubric 66B, 6620 -> rubric 66A",
    ):
        compute_figures(m82, wc_mapping, t, None)


def test_gross_margin_and_operating_result_consistent(wc_mapping, m82, m81):
    t = tb(
        ("700000", "-1000"),
        ("740000", "-40"),
        ("764000", "-20"),
        ("604000", "200"),
        ("610000", "150"),
        ("620000", "300"),
        ("630000", "50"),
        ("660200", "30"),
        ("550000", "330"),
        ("141000", "-330"),
    )
    for cat in (m82, m81):
        f = compute_figures(cat, wc_mapping, t, None)
        assert f.get("9901") == D(330)  # (1000 + 40 + 20) - (200 + 150 + 300 + 50 + 30)
        # the gross margin is computed for the models whose package has it, and only for them
        # (build 2+ of the replica: the abbreviated model has it, the full one does not)
        assert f.get("9900") == (D(710) if cat.has_rubric("9900") else None)  # 1000 + 40 + 20 - 200 - 150
    assert m81.has_rubric("9900")
    f81 = compute_figures(m81, wc_mapping, t, None)
    assert f81.get("60/61") == D(350)
    assert f81.get("600/8") is None  # not a rubric of the abbreviated model


def test_aggregation_solves_split_totals(wc_mapping, m81, m87):
    t = tb(("170000", "-100"), ("172000", "-30"), ("173000", "-20"), ("174000", "-5"), ("550000", "155"))
    for cat in (m81, m87):
        f = compute_figures(cat, wc_mapping, t, None)
        assert f.get("170/4") == D(155)
        assert f.get("172/3") == D(50)
        assert f.get("174/0") == D(105)  # 100 + 5: from 170/4 = 172/3 + 174/0
        assert "174/0" in f.figure("174/0").source


def test_suspense_refused_unless_zero(wc_mapping, m82):
    ok = tb(("499000", "0"), ("550000", "5"), ("110000", "-5"))
    assert compute_figures(m82, wc_mapping, ok, None).get("54/58") == D(5)
    bad = tb(("499000", "12.5"), ("550000", "-12.5"))
    with pytest.raises(FindingsError, match=r"account 499000 .* must be zero \(suspense accounts"):
        compute_figures(m82, wc_mapping, bad, None)


def test_carried_forward_control(wc_mapping, m82):
    # profit 100 carried forward: 693 debit 100 mirrors 140 credit 100
    good = tb(("700000", "-100"), ("693000", "100"), ("140000", "-100"), ("550000", "100"), ("110000", "-100"))
    assert compute_figures(m82, wc_mapping, good, None).get("14") == D(100)
    bad = tb(("700000", "-100"), ("693000", "100"), ("140000", "-90"), ("550000", "90"), ("110000", "-100"))
    with pytest.raises(FindingsError, match=r"accounts 693000 give 100.00 but rubric 14 is -?90.00"):
        compute_figures(m82, wc_mapping, bad, None)


def test_negative_amount_on_nonnegative_rubric_refused(wc_mapping, m82):
    # a fixed asset account with a credit balance gives a negative 24, which met:am1 refuses
    t = tb(("240900", "-50"), ("110000", "50"))
    with pytest.raises(FindingsError, match=r"rubric 24 \(current\) = -50"):
        compute_figures(m82, wc_mapping, t, None)


def test_model_outside_mapping_refused(wc_mapping, catalog):
    with pytest.raises(InputError, match="not m01-f"):
        compute_figures(catalog("m01-f"), wc_mapping, tb(("550000", "0")), None)


# ---------------------------------------------------------------- the default mapping checks clean


@pytest.mark.parametrize("model", ["m82-f", "m81-f", "m87-f"])
def test_default_mapping_clean(wc_mapping, m82, catalog, model):
    report = check_mapping(wc_mapping, catalog(model), full_catalog=m82)
    assert report.ok, [f.message for f in report.findings]


# ---------------------------------------------------------------- each refusal of the checker

HEAD = "family: test\nmodel: m82-f\nmodels: [m82-f, m81-f]\n"


def mk(rules: str, totals: str = "") -> object:
    return parse_mapping(HEAD + "rules:\n" + rules + (("totals:\n" + totals) if totals else ""), "t.yaml")


def test_refuses_unknown_rubric(m82):
    m = mk(
        "  - {id: a, accounts: ['61'], rubric: '6199', sign: debit}\n"
        "  - {id: b, accounts: ['62'], rubric: '9999X', sign: debit}\n"
    )
    r = check_mapping(m, m82)
    msgs = [f.message for f in r.findings if f.code == "unknown-rubric"]
    assert len(msgs) == 2 and "rubric 6199 is not in model m82-f" in msgs[0] and "9999X" in msgs[1]


def test_refuses_overlaps_on_same_side(m82):
    m = mk(
        "  - {id: a, accounts: ['55'], side: debit, rubric: '54/58', sign: debit}\n"
        "  - {id: b, accounts: ['55'], rubric: '430/8', sign: credit}\n"  # either overlaps debit
        "  - {id: c, accounts: ['55'], side: credit, rubric: '430/8', sign: credit}\n"  # credit vs b
        "  - {id: d, accounts: ['600-604'], rubric: '600/8', sign: debit}\n"
        "  - {id: e, accounts: ['604-608'], rubric: '600/8', sign: debit}\n"
        "  - {id: f, accounts: ['56'], side: debit, rubric: '54/58', sign: debit}\n"
        "  - {id: g, accounts: ['56'], side: credit, rubric: '430/8', sign: credit}\n"
    )  # no overlap
    r = check_mapping(m, m82)
    pairs = sorted(f.message.split(" both")[0] for f in r.findings if f.code == "overlap")
    assert len(pairs) == 3
    assert any("'a'" in p and "'b'" in p for p in pairs)
    assert any("'b'" in p and "'c'" in p for p in pairs)
    assert any("'d'" in p and "'e'" in p for p in pairs)


def test_more_specific_rule_wins_without_conflict(m82):
    m = mk(
        "  - {id: services, accounts: ['61'], rubric: '61', sign: debit}\n"
        "  - {id: rent, accounts: ['=610000'], rubric: '62', sign: debit}\n"
        "  - {id: cash, accounts: ['55'], rubric: '54/58', sign: debit}\n"
    )
    a = apply_mapping(m, tb(("610000", "10"), ("611000", "5"), ("550000", "-15")))
    got = {p.account.account: p.rule.id for p in a.postings}
    assert got == {"610000": "rent", "611000": "services", "550000": "cash"}
    assert not a.conflicts


def test_refuses_totals_mapped_directly(m82):
    m = mk("  - {id: a, accounts: ['2'], rubric: '20/58', sign: debit}\n")
    r = check_mapping(m, m82)
    assert "total-mapped" in codes(r)
    assert any("20/58 = 20 + 21/28 + 29/58" in f.message for f in r.findings)


def test_refuses_cycles_in_totals(m82):
    m = mk(
        "  - {id: a, accounts: ['61'], rubric: '61', sign: debit}\n",
        "  '60/61': ['9900', '61']\n  '9900': ['60/61', '-61']\n",
    )
    r = check_mapping(m, m82)
    cyc = [f.message for f in r.findings if f.code == "total-cycle"]
    assert cyc and "60/61" in cyc[0] and "9900" in cyc[0]


def test_refuses_contradicting_totals(m82, m81):
    # 9900 without 76A contradicts 9901 = 70/76A - 60/66A (m82) read with 9901 = 9900 - 62 - ... (m81)
    m = mk(
        "  - {id: a, accounts: ['61'], rubric: '61', sign: debit}\n",
        "  '60/61': ['60', '61']\n  '9900': ['70', '71', '72', '74', '-60', '-61']\n  '20/58': ['20', '21/28']\n",
    )
    r = check_mapping(m, m81, full_catalog=m82)
    msgs = [f.message for f in r.findings if f.code == "total-contradiction"]
    assert any(m.startswith("9901 = 9900") and "76A" in m for m in msgs), msgs
    assert any(m.startswith("20/58 = 20 + 21/28") and "29/58" in m for m in msgs), msgs


def test_refuses_sign_against_type(m82):
    m = mk(
        "  - {id: wrong, accounts: ['40'], side: credit, rubric: '40', sign: debit}\n"
        "  - {id: fine, accounts: ['44'], side: credit, rubric: '440/4', sign: credit}\n"
        "  - {id: signed-ok, accounts: ['14'], side: debit, rubric: '14', sign: credit}\n"
    )
    r = check_mapping(m, m82)
    st = [f for f in r.findings if f.code == "sign-type"]
    assert [f.rule for f in st] == ["wrong"]
    assert "always gives a negative amount" in st[0].message and "must be >= 0" in st[0].message


def test_refuses_mixed_signs_on_one_rubric(m82):
    m = mk(
        "  - {id: a, accounts: ['40'], side: debit, rubric: '40', sign: debit}\n"
        "  - {id: b, accounts: ['44'], side: debit, rubric: '40', sign: credit}\n"
    )
    assert "sign-mixed" in codes(check_mapping(m, m82))


def test_refuses_duplicate_rule_ids(m82):
    m = mk(
        "  - {id: a, accounts: ['40'], rubric: '40', sign: debit}\n"
        "  - {id: a, accounts: ['41'], rubric: '41', sign: debit}\n"
    )
    assert "duplicate-id" in codes(check_mapping(m, m82))


def test_reports_unreachable_totals(m82):
    m = mk("  - {id: a, accounts: ['22'], rubric: '22', sign: debit}\n")
    r = check_mapping(m, m82)
    assert any(f.code == "unreachable-total" and f.rubric == "22/27" and "23" in f.message for f in r.findings)


def test_with_trial_balance_lists_every_unmapped_account(wc_mapping, m82):
    t = tb(("550000", "100"), ("100000", "-60"), ("730000", "-40"), ("580000", "0"))
    r = check_mapping(wc_mapping, m82, current=t)
    un = [f for f in r.findings if f.code == "unmapped"]
    assert sorted(f.account for f in un) == ["100000", "730000"]  # zero balance 580000 is not listed
    cov = r.coverage[0]
    assert (cov.accounts, cov.mapped) == (3, 1)
    assert cov.amount == D(200) and cov.mapped_amount == D(100)
    assert ("54/58", D(100), None) in r.figures


def test_check_reports_refused_and_conflicting_accounts(m82):
    m = mk(
        "  - {id: a, accounts: ['55'], rubric: '54/58', sign: debit}\n"
        "  - {id: b, accounts: ['55'], rubric: '54/58', sign: debit}\n"
        "  - {id: s, accounts: ['499'], refuse: 'clear it'}\n"
    )
    r = check_mapping(m, m82, current=tb(("550000", "5"), ("499000", "-5")))
    assert {"overlap", "conflict", "refused"} <= set(codes(r))


# ---------------------------------------------------------------- file validation


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "family: x\nmodel: m82-f\nrules:\n  - {id: a, accounts: ['6x'], rubric: '61', sign: debit}\n",
            "t.yaml line 4 (rules[0].accounts): account selector '6x'",
        ),
        (
            "family: x\nmodel: m82-f\nrules:\n  - {id: a, accounts: ['61'], rubric: '61'}\n",
            "t.yaml line 4 (rules[0]): a 'rubric' rule needs 'sign",
        ),
        (
            "family: x\nmodel: m82-f\nrules:\n  - {id: a, accounts: ['61'], rubric: '61', refuse: 'why', sign: debit}\n",
            "exactly one of 'rubric', 'control', 'refuse' or 'ignore'",
        ),
        (
            "family: x\nmodel: m82-f\nrules:\n  - {id: a, accounts: ['61'], side: left, rubric: '61', sign: debit}\n",
            "t.yaml line 4 (rules[0].side)",
        ),
        ("family: x\nmodel: m82-f\nrules: [\n", "t.yaml line 4: not valid YAML"),
        ("", "t.yaml: the mapping file is empty"),
        (
            "family: x\nmodel: m82-f\nrules:\n  - {id: a, accounts: ['609-600'], rubric: '61', sign: debit}\n",
            "first not above the second",
        ),
    ],
)
def test_mapping_file_errors(text, expected):
    with pytest.raises(InputError) as e:
        parse_mapping(text, "t.yaml")
    assert expected in str(e.value)


def test_rubric_codes_stay_text():
    m = parse_mapping(
        "family: x\nmodel: m82-f\nrules:\n  - {id: a, accounts: [61], rubric: 61, sign: debit}\n", "t.yaml"
    )
    assert m.rules[0].target == "61" and m.rules[0].selectors[0].lo == "61"


def test_exported_schema_is_current():
    from nbb_filing.books.mapping_file import mapping_json_schema

    shipped = json.loads((Path(__file__).resolve().parents[1] / "mappings" / "mapping.schema.json").read_text())
    assert shipped == mapping_json_schema()


# ---------------------------------------------------------------- the other two families


@pytest.mark.parametrize(
    "name, models",
    [("with-capital", ["m02-f", "m01-f", "m07-f"]), ("association", ["m05-f", "m04-f", "m08-f"])],
)
def test_other_family_mappings_clean(catalog, name, models):
    from nbb_filing.books.mapping_file import load_mapping

    m = load_mapping(name)
    assert m.model == models[0] and list(m.models) == models
    for model in models:
        r = check_mapping(m, catalog(model), full_catalog=catalog(models[0]))
        assert r.ok, (model, [f.message for f in r.findings])


def test_with_capital_uncalled_capital_deducted(catalog):
    from nbb_filing.books.mapping_file import load_mapping

    m = load_mapping("with-capital")
    t = tb(("100000", "-1000"), ("101000", "250"), ("110000", "-40"), ("130000", "-10"), ("550000", "800"))
    f = compute_figures(catalog("m01-f"), m, t, None, full_catalog=catalog("m02-f"))
    assert f.get("10") == D(750)  # 1000 - 250
    assert f.get("10/11") == D(790)  # 750 + 40 share premiums
    assert f.get("13") == D(10)  # legal reserve
    assert f.get("10/15") == D(800) == f.get("20/58")


def test_association_gifts_in_gross_margin(catalog):
    from nbb_filing.books.mapping_file import load_mapping

    m = load_mapping("association")
    t = tb(
        ("730000", "-500"),
        ("700000", "-100"),
        ("610000", "120"),
        ("693000", "480"),
        ("140000", "-480"),
        ("550000", "480"),
    )
    f = compute_figures(catalog("m04-f"), m, t, None, full_catalog=catalog("m05-f"))
    assert f.get("73") == D(500)
    assert f.get("9900") == D(480)  # 100 + 500 - 120
    assert f.get("9905") == D(480)
