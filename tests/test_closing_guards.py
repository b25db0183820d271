"""Post-appropriation guards (issue 11, defect 3): classes 6 and 7 net to zero, 20/58 = 10/49 from
the figures, 14P = last year's 14 — checked by `mapping check` on the trial balances and by
`generate`, whatever the package's own assertions hold.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from click.testing import CliRunner

from nbb_filing.api import generate
from nbb_filing.books.closed_books import (
    balance_sheet_mismatch,
    carried_forward_mismatch,
    unappropriated,
)
from nbb_filing.books.ledger import TrialBalance
from nbb_filing.books.mapping_check import check_mapping
from nbb_filing.books.mapping_file import load_mapping
from nbb_filing.cli import main
from nbb_filing.core.errors import FindingsError
from tests.fixtures_generate import ROOT, copy_sample

D = Decimal


def tb(source: str, *items: tuple[str, str]) -> TrialBalance:
    return TrialBalance.from_balances(source, [(a, D(b)) for a, b in items])


# books of a small SRL: 2023 closes with a profit of 4,000 carried forward; 2024 makes 2,500
CLOSED_2023 = (
    ("110000", "-20000"),
    ("140000", "-4000"),
    ("550000", "30000"),
    ("440000", "-6000"),
    ("700000", "-50000"),
    ("610000", "46000"),
    ("693000", "4000"),
)
CLOSED_2024 = (
    ("110000", "-20000"),
    ("140000", "-6500"),
    ("550000", "33000"),
    ("440000", "-6500"),
    ("700000", "-60000"),
    ("610000", "57500"),
    ("790000", "-4000"),
    ("693000", "6500"),
)
# the same 2024 before appropriation: 693/790 not booked, 140 still holds last year's 4,000
OPEN_2024 = (
    ("110000", "-20000"),
    ("140000", "-4000"),
    ("550000", "33000"),
    ("440000", "-6500"),
    ("700000", "-60000"),
    ("610000", "57500"),
)


def test_closed_books_pass():
    assert unappropriated(tb("tb-2024.csv", *CLOSED_2024)) is None


def test_unappropriated_result_is_named():
    why = unappropriated(tb("tb-2024.csv", *OPEN_2024))
    assert why is not None
    assert "tb-2024.csv" in why and "classes 6 and 7 do not net to zero (credit 2,500.00)" in why
    assert "result of the year (a profit of 2,500.00) is not appropriated" in why
    assert "700000 (C 60,000.00)" in why and "610000 (D 57,500.00)" in why


def test_partly_appropriated_result_is_named():
    books = dict(CLOSED_2024)
    books["693000"] = "5500"  # 1,000 of the profit left unappropriated
    books["140000"] = "-5500"
    books["550000"] = "33000"
    why = unappropriated(tb("tb-2024.csv", *books.items()))
    assert why is not None and "a profit of 1,000.00 is unappropriated" in why
    assert "appropriated, 691-699/791-799: a profit of 5,500.00 through 693000" in why
    assert "brought forward, 690/790: a profit of 4,000.00" in why


def test_balance_sheet_and_carried_forward_checks():
    assert balance_sheet_mismatch({"20/58": D(5), "10/49": D(5)}, "x", "current") is None
    why = balance_sheet_mismatch({"20/58": D("365675.90"), "10/49": D("364675.90")}, "tb.csv", "current")
    assert why and "20/58 (current year) is 365,675.90" in why and "10/49 is 364,675.90" in why
    assert carried_forward_mismatch({"14P": D(4000)}, {"14": D(4000)}, "a", "b") is None
    why = carried_forward_mismatch({}, {"14": D(4000)}, "tb-2024.csv", "tb-2023.csv")
    assert why and "14P (result brought forward) is 0.00" in why and "(tb-2023.csv) is 4,000.00" in why


def test_mapping_check_reports_every_guard(catalog):
    mapping = load_mapping(ROOT / "mappings" / "without-capital.yaml")
    m81 = catalog("m81-f")
    last_year = tb("tb-2023.csv", *CLOSED_2023)
    clean = check_mapping(mapping, m81, current=tb("tb-2024.csv", *CLOSED_2024), previous=last_year)
    assert not [f for f in clean.findings if f.code in ("unappropriated", "balance-mismatch", "carried-forward")]
    report = check_mapping(mapping, m81, current=tb("tb-2024.csv", *OPEN_2024), previous=last_year)
    codes = {f.code for f in report.findings}
    assert {"unappropriated", "balance-mismatch", "carried-forward"} <= codes
    [bm] = [f for f in report.findings if f.code == "balance-mismatch"]
    assert "difference 2,500.00" in bm.message


# ---------------------------------------------------------------- the issue's example on SmartCoop


@pytest.fixture
def unappropriated_sample(tmp_path):
    root = tmp_path / "w"
    copy = copy_sample(root)
    with (copy / "tb-2024.csv").open("a", encoding="utf-8") as f:
        f.write("700999;Ventes de fin d'exercice;0,00;1000,00\n550999;Banque;1000,00;0,00\n")
    d = copy / "dossier.yaml"
    text = d.read_text(encoding="utf-8").replace("\nmodel: m82-f\n", "\nmodel: m87-f\n")
    text = re.sub(r"\nappropriation:\n(  .*\n)+", "\n", text)
    d.write_text(text, encoding="utf-8")
    return copy


def test_issue_example_mapping_check_reports_it(unappropriated_sample, package, catalog):
    catalog("m87-f")
    s = unappropriated_sample
    r = CliRunner().invoke(
        main,
        [
            "mapping",
            "check",
            str(s / "mappings" / "without-capital.yaml"),
            "--model",
            "m87-f",
            "--trial-balance",
            str(s / "tb-2024.csv"),
            "--previous",
            str(s / "tb-2023.csv"),
        ],
    )
    assert r.exit_code == 1, r.output
    assert "[unappropriated]" in r.output and "a profit of 1,000.00 is unappropriated" in r.output
    assert "[balance-mismatch]" in r.output and "difference 1,000.00" in r.output


def test_issue_example_generate_refuses(unappropriated_sample, package, catalog):
    catalog("m87-f")
    out = unappropriated_sample / "out.xbrl"
    with pytest.raises(FindingsError, match=r"classes 6 and 7 do not net to zero \(credit 1,000.00\)"):
        generate(unappropriated_sample / "dossier.yaml", out, package=package)
    assert not out.exists()


def test_generate_refuses_a_14p_left_at_zero(write_dossier, mini_text, package, catalog, tmp_path):
    # last year carried 500 forward (14 previous), this year's appropriation brings nothing forward
    catalog("m82-f")
    text = mini_text.replace(
        "  9904: {current: 100, previous: -50}\n",
        "  9904: {current: 100, previous: -50}\n  14: {current: 100, previous: 500}\n",
    )
    out = tmp_path / "out.xbrl"
    with pytest.raises(
        FindingsError, match=r"rubric 14P \(0.00\) must equal rubric 14 of the previous year \(500.00\)"
    ):
        generate(write_dossier(text), out, package=package)
    assert not out.exists()
