"""Contra accounts (issue 11, defect 1): write-downs, depreciation and uncalled amounts net into
their asset line whatever their side; a balance on the unexpected side is a finding, never a re-route.

Books written for these tests: a small company with capital whose customers carry a write-down
(409), a receivable written down (419), depreciated furniture (2409), written-down stock (349) and
investments (519), closed after appropriation.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from nbb_filing.books.allocation import apply_mapping
from nbb_filing.books.ledger import TrialBalance
from nbb_filing.books.mapping import compute_figures
from nbb_filing.books.mapping_check import check_mapping
from nbb_filing.books.mapping_file import load_mapping, parse_mapping
from nbb_filing.core.errors import FindingsError, InputError
from tests.fixtures_mapping import ROOT

D = Decimal


def tb(*items: tuple[str, str]) -> TrialBalance:
    return TrialBalance.from_balances("books.csv", [(a, D(b)) for a, b in items])


@pytest.fixture(scope="module")
def with_capital():
    return load_mapping(ROOT / "mappings" / "with-capital.yaml")


BOOKS = (
    ("100000", "-60000"),  # capital
    ("140000", "-6500"),  # profit carried forward
    ("240000", "12000"),  # furniture, gross
    ("240900", "-4000"),  # its depreciation
    ("340000", "9000"),  # goods for resale
    ("349000", "-1500"),  # written down
    ("400000", "10000"),  # customers
    ("409000", "-2500"),  # amounts written down on customers
    ("416000", "3000"),  # other receivables
    ("419000", "-1000"),  # written down
    ("510000", "8000"),  # shares held as investments
    ("519000", "-500"),  # written down
    ("550000", "40000"),  # bank
    ("440000", "-6000"),  # suppliers
    ("700000", "-20000"),  # turnover
    ("604000", "13500"),  # purchases
    ("693000", "6500"),  # profit to carry forward (appropriation)
)


def test_contra_accounts_net_into_their_assets(with_capital, catalog):
    figures = compute_figures(catalog("m02-f"), with_capital, tb(*BOOKS), None)
    assert figures.get("24") == D(8000)
    assert figures.get("34") == D(7500)
    assert figures.get("40") == D(7500)  # 10,000 - 2,500: the write-down is a deduction ...
    assert figures.get("41") == D(2000)
    assert figures.get("51/53") == D(7500)
    assert figures.get("46") is None  # ... not an advance received on orders
    assert figures.get("47/48") is None
    assert figures.get("20/58") == figures.get("10/49") == D(72500)


def test_contra_account_routes_identically_on_both_sides(with_capital):
    t = tb(("409000", "-2500"), ("419000", "700"), ("400000", "2500"), ("410000", "-700"))
    a = apply_mapping(with_capital, t)
    by_account = {p.account.account: p.rule.target for p in a.postings}
    assert by_account["409000"] == "40" and by_account["419000"] == "41"
    assert [p.account.account for p in a.wrong_side] == ["419000"]


def test_contra_account_on_unexpected_side_is_a_finding(with_capital, catalog):
    books = dict(BOOKS)
    books["409000"] = "2500"  # a debit write-down: a reversal larger than the write-down
    books["550000"] = "35000"
    t = tb(*books.items())
    report = check_mapping(with_capital, catalog("m02-f"), current=t)
    found = [f for f in report.findings if f.code == "contra-side"]
    assert len(found) == 1 and found[0].account == "409000"
    assert "normally in credit" in found[0].message and "debit balance of 2,500.00" in found[0].message
    with pytest.raises(FindingsError, match=r"account 409000 .* contra account normally in credit"):
        compute_figures(catalog("m02-f"), with_capital, t, None)


def test_depreciation_in_debit_is_a_finding(with_capital, catalog):
    books = dict(BOOKS)
    books["240900"] = "100"
    books["550000"] = "35900"
    report = check_mapping(with_capital, catalog("m02-f"), current=tb(*books.items()))
    assert [f.account for f in report.findings if f.code == "contra-side"] == ["240900"]


def test_uncalled_capital_in_credit_is_a_finding(with_capital, catalog):
    books = dict(BOOKS)
    books["101000"] = "-100"
    books["550000"] = "40100"
    report = check_mapping(with_capital, catalog("m02-f"), current=tb(*books.items()))
    assert [f.account for f in report.findings if f.code == "contra-side"] == ["101000"]


@pytest.mark.parametrize("name", ["with-capital", "without-capital", "association"])
def test_every_shipped_mapping_nets_409_and_419(name):
    m = load_mapping(ROOT / "mappings" / f"{name}.yaml")
    a = apply_mapping(m, tb(("409000", "-1"), ("419000", "-1"), ("379000", "-1"), ("539000", "-1"), ("282900", "-1")))
    targets = {p.account.account: p.rule.target for p in a.postings}
    assert targets["409000"] == "40" and targets["419000"] == "41" and targets["379000"] == "37"
    assert targets["282900"] == "282"
    assert targets["539000"] in ("51/53", "50/53")
    assert not a.wrong_side and not a.unmapped and not a.conflicts


def test_contra_rule_needs_a_normal_side():
    text = """
family: x
model: m02-f
rules:
  - {id: w, accounts: ["409"], contra: true, rubric: "40", sign: debit}
"""
    with pytest.raises(InputError, match=r"line 5 .*contra.*normal 'side'"):
        parse_mapping(text, "m.yaml")
