"""The SmartCoop sample trial balances give the published figures through the real default mapping.

Published facts (in thousands of EUR, 2024 against 2023) are checked after rounding the computed
differences; the exact figures are those listed in samples/smartcoop-2024/FIGURES.md.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest

from nbb_filing.books.mapping import compute_figures
from nbb_filing.books.mapping_check import check_mapping

D = Decimal


def k(amount: Decimal) -> int:
    """Rounded to thousands, as the published comparison states them."""
    return int((amount / 1000).quantize(D(1), rounding=ROUND_HALF_UP))


@pytest.fixture(scope="module")
def fig(m82, wc_mapping, smartcoop_tbs):
    cur, prev = smartcoop_tbs
    return compute_figures(m82, wc_mapping, cur, prev)


def delta(fig, rubric: str) -> Decimal:
    return (fig.get(rubric, "current") or D(0)) - (fig.get(rubric, "previous") or D(0))


def test_totals_and_results_to_the_cent(fig):
    assert fig.get("20/58") == D("10018553.00") == fig.get("10/49")
    assert fig.get("20/58", "previous") == fig.get("10/49", "previous") == D("17131627.39")
    assert fig.get("9903") == D("456498.00")
    assert fig.get("9903", "previous") == D("-917337.00")
    assert fig.get("10/15") == D("4817140.55") and fig.get("10/15", "previous") == D("3813830.55")


def test_equity_movement(fig):
    assert k(fig.get("10/15")) == 4817
    assert k(delta(fig, "10/15")) == 1003
    assert k(delta(fig, "10/11")) == 547  # contributions
    assert k(fig.get("9904")) == 456  # result of the year


def test_income_statement_movements(fig):
    assert k(delta(fig, "70/76A")) == 2027
    assert k(delta(fig, "72")) == 127
    assert k(delta(fig, "60/66A")) == 1951
    assert k(delta(fig, "61")) == 461
    assert k(delta(fig, "62")) == 1443
    assert k(delta(fig, "630")) == 48
    assert k(delta(fig, "65")) == 816
    assert k(delta(fig, "75")) == 919
    assert k(delta(fig, "66B")) == -1138


def test_intra_group_and_subsidies_by_account(smartcoop_tbs):
    cur, prev = smartcoop_tbs

    def d(acc: str) -> Decimal:
        a, b = cur.account(acc), prev.account(acc)
        return -(a.balance - b.balance)  # income accounts: credit positive

    assert k(d("706100")) == 1555  # intra-group re-invoicing
    assert k(d("740000")) == 297  # operating subsidies


def test_balance_sheet_movements(fig):
    assert k(delta(fig, "21/28")) == 242
    assert k(delta(fig, "21")) == 250
    assert k(delta(fig, "29/58")) == -7355
    assert k(delta(fig, "41")) == -8176
    assert k(delta(fig, "40")) == 475
    assert k(delta(fig, "54/58")) == 182
    assert k(delta(fig, "44")) == 464
    assert k(delta(fig, "45")) == 300
    assert k(delta(fig, "47/48")) == -8962


def test_participations(smartcoop_tbs, fig):
    cur, _ = smartcoop_tbs
    assert "Ubik" in cur.account("280000").label and fig.get("280") == D("62000.00")
    labels = [cur.account(a).label for a in ("284000", "284010", "284020")]
    assert ["SmartImmo" in labels[0], "intérim" in labels[1], "Matlease" in labels[2]] == [True] * 3
    assert fig.get("284") == D("26750.00")  # 25,000 + 1,250 + 500


def test_appropriation_ties_out(fig):
    for p in ("current", "previous"):
        r9905, r14p, r14 = fig.get("9905", p), fig.get("14P", p), fig.get("14", p)
        assert fig.get("9906", p) == r9905 + r14p
        # everything carried forward: nothing to equity, nothing distributed
        assert r14 == r9905 + r14p
        assert fig.get("694/7", p) is None and fig.get("691/2", p) is None and fig.get("791/2", p) is None
    assert fig.get("14P") == fig.get("14", "previous")  # 2024 brings forward 2023's carried-forward result
    assert fig.get("9905") == D("456498.00")


def test_side_rules_in_the_sample(fig):
    assert fig.get("430/8") == D("3215.60")  # Belfius overdraft
    assert fig.get("54/58") == D("2708420.15")  # without the overdraft


@pytest.mark.parametrize("model", ["m82-f", "m81-f", "m87-f"])
def test_sample_checks_clean_for_every_model(model, catalog, m82, wc_mapping, smartcoop_tbs):
    cur, prev = smartcoop_tbs
    r = check_mapping(wc_mapping, catalog(model), full_catalog=m82, current=cur, previous=prev)
    assert r.ok, [f.message for f in r.findings]
    assert all(c.mapped == c.accounts for c in r.coverage)
    f = compute_figures(catalog(model), wc_mapping, cur, prev, full_catalog=m82)
    assert f.get("20/58") == D("10018553.00") and f.get("9904") == D("456498.00")


def test_figures_md_table(fig):
    """Every amount of the table in samples/smartcoop-2024/FIGURES.md, both years, to the cent."""
    expected = {
        "10/11": ("5924887.67", "5378075.67"),
        "110": ("5906287.67", "5359475.67"),
        "111": ("18600.00", "18600.00"),
        "13": ("38500.00", "38500.00"),
        "14": ("-1146247.12", "-1602745.12"),
        "14P": ("-1602745.12", "-685408.12"),
        "9901": ("658153.56", "581380.31"),
        "9904": ("456498.00", "-917337.00"),
        "9905": ("456498.00", "-917337.00"),
        "9906": ("-1146247.12", "-1602745.12"),
    }
    for rubric, (cur, prev) in expected.items():
        assert (fig.get(rubric), fig.get(rubric, "previous")) == (D(cur), D(prev)), rubric
