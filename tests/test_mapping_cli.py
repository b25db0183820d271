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
    assert "clean" in r.output and "66/66 accounts" in r.output
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
