"""``nbb-filing mapping check|figures|schema``: output and exit codes 0 / 1 / 2."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from nbb_filing.cli import main

ROOT = Path(__file__).resolve().parents[1]
TB24 = str(ROOT / "samples" / "smartcoop-2024" / "tb-2024.csv")
TB23 = str(ROOT / "samples" / "smartcoop-2024" / "tb-2023.csv")


def run(*args: str):
    return CliRunner().invoke(main, ["mapping", *args])


def test_check_clean_with_trial_balances(m82, m87):
    r = run("check", "without-capital", "--model", "m87-f", "--trial-balance", TB24, "--previous", TB23)
    assert r.exit_code == 0, r.output
    assert "no finding" in r.output and "66/66 accounts" in r.output
    assert "MOVED tb-2024.csv line 23: 440500" in r.output  # a supplier in debit, shown to review
    assert "10,018,553.00" in r.output


def test_check_json_findings_exit_1(tmp_path, m82):
    tb = tmp_path / "tb.csv"
    tb.write_text("account;debit;credit\n550000;10;0\n730000;0;10\n", encoding="utf-8")
    r = run("check", str(ROOT / "mappings" / "without-capital.yaml"), "--trial-balance", str(tb), "--format", "json")
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert data["ok"] is False
    assert [f["account"] for f in data["findings"] if f["code"] == "unmapped"] == ["730000"]


def test_check_could_not_run_exit_2(tmp_path):
    r = run("check", str(tmp_path / "missing.yaml"))
    assert r.exit_code == 2 and "mapping file not found" in r.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("family: x\nmodel: m82-f\nrules: 3\n", encoding="utf-8")
    r = run("check", str(bad))
    assert r.exit_code == 2 and "bad.yaml line 3 (rules)" in r.output


def test_figures_command(m82):
    r = run("figures", "without-capital", TB24, "--previous", TB23, "--format", "json")
    assert r.exit_code == 0, r.output
    figs = {(f["rubric"], f["period"]): f["amount"] for f in json.loads(r.output)["figures"]}
    assert figs[("9903", "current")] == "456498.00" and figs[("9903", "previous")] == "-917337.00"


def test_schema_command(tmp_path):
    out = tmp_path / "s.json"
    r = run("schema", "-o", str(out))
    assert r.exit_code == 0
    assert json.loads(out.read_text())["title"] == "nbb-filing mapping file"


def test_explain_routes_on_the_side():
    r = run("explain", "without-capital", "550100:-120.50", "550100:10", "440000")
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].startswith("550100 (credit): rubric 430/8 (sign credit) by rule 'bank-overdrafts'")
    assert lines[1].startswith("550100 (debit): rubric 54/58 (sign debit) by rule 'cash'")
    assert lines[2].startswith("440000 (debit): rubric 40") and lines[3].startswith("440000 (credit): rubric 440/4")
    r = run("explain", "without-capital", "662:5")
    assert r.exit_code == 1 and "662 (debit): reaches no rubric" in r.output


def test_check_xlsx_sheet(tmp_path, m82):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "notes"
    ws = wb.create_sheet("balance")
    ws.append(["compte", "solde"])
    ws.append(["550000", 10.5])
    ws.append(["110000", -10.5])
    p = tmp_path / "tb.xlsx"
    wb.save(p)
    r = run("check", "without-capital", "--trial-balance", str(p), "--sheet", "balance", "--format", "json")
    assert r.exit_code == 0, r.output
    figs = {f["rubric"]: f["current"] for f in json.loads(r.output)["figures"]}
    assert figs["54/58"] == "10.50" and figs["10/15"] == "10.50"


def test_capital_account_in_a_company_without_capital_gets_a_hint(tmp_path, m82):
    """100000 (capital) reaches no rubric in the without-capital mapping: the finding says where the
    mapping sends the neighbouring accounts (110/111) and which family's mapping knows the account."""
    tb = tmp_path / "tb.csv"
    tb.write_text("account;debit;credit\n550000;18600;0\n100000;0;18600\n", encoding="utf-8")
    r = run("check", "without-capital", "--model", "m82-f", "--trial-balance", str(tb), "--format", "json")
    assert r.exit_code == 1, r.output
    [found] = [f for f in json.loads(r.output)["findings"] if f["code"] == "unmapped"]
    assert found["account"] == "100000"
    assert "with balance -18,600.00 reaches no rubric" in found["message"]
    assert "nearest rules of this mapping: 110 -> rubric 110, 111 -> rubric 111" in found["message"]
    assert "the with-capital mapping (another family) sends it to rubric 100" in found["message"]
    # the same hint when generate stops on it (the mapping engine's own message)
    from nbb_filing.books.ledger import read_trial_balance
    from nbb_filing.books.mapping import compute_figures
    from nbb_filing.books.mapping_file import load_mapping
    from nbb_filing.core.errors import FindingsError

    try:
        compute_figures(m82, load_mapping("without-capital"), read_trial_balance(tb), None)
    except FindingsError as e:
        assert "account 100000 (line 3, balance -18,600.00) reaches no rubric (nearest rules" in str(e)
    else:
        raise AssertionError("100000 must stop the figures")


def test_check_lists_every_account_routed_by_its_side(tmp_path, m82):
    """A supplier typed 404000 instead of 440000 lands silently in 46 (advances received) by the
    customers-in-credit rule: the check lists it for review, first, as moved out of its own rubric."""
    tb = tmp_path / "tb.csv"
    tb.write_text(
        "account;label;debit;credit\n"
        "400000;Clients;1000;0\n"
        "404000;Fournisseur X;0;31206.44\n"
        "550000;Banque;30206.44;0\n",
        encoding="utf-8",
    )
    r = run("check", "without-capital", "--model", "m82-f", "--trial-balance", str(tb), "--format", "json")
    data = json.loads(r.output)
    assert r.exit_code == 0 and data["ok"] is True, r.output  # a review list, not findings
    routed = {x["account"]: x for x in data["routed_by_side"]}
    assert set(routed) == {"400000", "404000", "550000"}  # every account a side rule routed
    typo = routed["404000"]
    assert (typo["side"], typo["amount"], typo["rubric"], typo["other_side_rubric"], typo["moved"]) == (
        "credit",
        "31206.44",
        "46",
        "40",
        True,
    )
    assert routed["400000"]["moved"] is False and routed["400000"]["other_side_rubric"] == "46"
    assert (routed["550000"]["rubric"], routed["550000"]["other_side_rubric"]) == ("54/58", "430/8")
    assert data["routed_by_side"][0]["account"] == "404000"  # moved ones first
    text = run("check", "without-capital", "--model", "m82-f", "--trial-balance", str(tb)).output
    head = text.splitlines()[0]
    assert "clean" not in head and "3 account(s) routed by their balance side to review (1 moved)" in head
    assert (
        "MOVED tb.csv line 3: 404000 (Fournisseur X) credit 31,206.44 -> rubric 46 by rule 'customers-in-credit' "
        "(in debit: rubric 40)" in text
    )


def test_explain_names_the_rubric_of_the_chosen_model(m82, m87):
    """752/9 is a rubric of m82-f only: with --model m87-f the account is shown under m87-f's rubric."""
    from nbb_filing.books.mapping_file import load_mapping
    from nbb_filing.books.rubric_reach import filed_under

    assert m82.has_rubric("752/9") and not m87.has_rubric("752/9")
    r = run("explain", "without-capital", "752000:-10", "--model", "m87-f", "--format", "json")
    assert r.exit_code == 0, r.output
    [row] = json.loads(r.output)["accounts"]
    assert row["target"] == "752/9" and row["model"] == "m87-f"
    held = row["model_rubric"]
    assert m87.has_rubric(held)
    # what the figures engine does: 10 on 752000 shows as 10 more in that rubric of m87-f
    under = filed_under(load_mapping("without-capital"), m82, m87, {"752/9"})
    assert under["752/9"][0] == held and "9904" in under["752/9"]  # it reaches the result too, later
    text = run("explain", "without-capital", "752000:-10", "--model", "m87-f").output
    assert text.strip().endswith(f"filed in m87-f under rubric {held}")
    plain = run("explain", "without-capital", "752000:-10").output  # without --model: the full model only
    assert "rubric 752/9" in plain and "filed in" not in plain
