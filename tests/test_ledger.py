"""Trial balances: formats read, and each refusal with its one-line message naming file and line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from nbb_filing.books.ledger import TrialBalance, read_trial_balance
from nbb_filing.core.errors import InputError

D = Decimal


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(text, bytes):
        p.write_bytes(text)
    else:
        p.write_text(text, encoding="utf-8")
    return p


def test_semicolon_decimal_comma_french_headers(tmp_path):
    p = write(tmp_path, "tb.csv", "Compte;Libellé;Débit;Crédit\n550000;Banque;1.234,56;0\n100000;Apport;;1.234,56\n")
    tb = read_trial_balance(p)
    assert [a.account for a in tb.accounts] == ["550000", "100000"]
    bank = tb.account("550000")
    assert bank.debit == D("1234.56") and bank.credit == 0 and bank.balance == D("1234.56")
    assert bank.label == "Banque" and bank.line == 2
    assert tb.account("100000").side == "credit"
    assert isinstance(bank.debit, Decimal)


def test_comma_delimiter_thousands_and_quotes(tmp_path):
    p = write(
        tmp_path,
        "tb.csv",
        'account,label,debit,credit\n550000,"Bank, current","12,500.10",0.00\n440000,Supplier,0.00,"12,500.10"\n',
    )
    tb = read_trial_balance(p)
    assert tb.account("550000").debit == D("12500.10")
    assert tb.account("550000").label == "Bank, current"


def test_signed_balance_column_and_tab(tmp_path):
    p = write(tmp_path, "tb.txt", "Rekening\tOmschrijving\tSaldo\n550000\tBank\t250,75\n440000\tLeverancier\t-250,75\n")
    tb = read_trial_balance(p)
    assert tb.account("550000").debit == D("250.75")
    assert tb.account("440000").credit == D("250.75")
    assert tb.imbalance == 0


def test_configured_delimiter_and_decimal(tmp_path):
    # "1,500" is ambiguous; configured as a decimal comma it is one and a half
    p = write(tmp_path, "tb.csv", "account|debit|credit\n550000|1,500|0\n100000|0|1,500\n")
    tb = read_trial_balance(p, delimiter="|", decimal=",")
    assert tb.account("550000").debit == D("1.500")


def test_windows_1252_export(tmp_path):
    p = write(
        tmp_path,
        "tb.csv",
        "compte;libellé;débit;crédit\n550000;Dépôt;10,00;0\n100000;Réserve;0;10,00\n".encode("cp1252"),
    )
    tb = read_trial_balance(p)
    assert tb.account("550000").label == "Dépôt"


def test_xlsx_floats_become_cents(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Account", "Label", "Debit", "Credit"])
    ws.append([550000, "Bank", 0.1 + 0.2, None])  # 0.30000000000000004 in binary
    ws.append(["100000", "Equity", None, 0.3])
    p = tmp_path / "tb.xlsx"
    wb.save(p)
    tb = read_trial_balance(p)
    assert tb.account("550000").debit == D("0.30")
    assert tb.account("100000").credit == D("0.30")
    assert tb.imbalance == 0


@pytest.mark.parametrize(
    "content, expected",
    [
        ("", "tb.csv: the trial balance is empty"),
        ("account;debit;credit\n", "tb.csv: the trial balance is empty"),
        ("account;amount_x;credit\n550000;1;0\n", "tb.csv line 1: missing column(s) debit"),
        ("label;debit;credit\nBank;1;1\n", "tb.csv line 1: missing column(s) account"),
        ("account;debit;credit\n550000;12a;0\n100000;0;12\n", "tb.csv line 2: debit '12a' is not a number"),
        ("account;debit;credit\n550000;1;0\n550000;0;1\n", "tb.csv line 3: account 550000 appears twice (also line 2)"),
        ("account;debit;credit\n55.00;1;0\n100000;0;1\n", "tb.csv line 2: account number '55.00' is not numeric"),
        ("account;debit;credit\n550000;100,00;0\n100000;0;90,50\n", "differ by 9.50"),
        (
            "account;label;debit;credit\n550000;Bank;10;0\n100000;Equity;0;10\n;Total;10;10\n",
            "tb.csv line 4: no account number (a total or title line? remove it)",
        ),
    ],
)
def test_refusals_name_file_and_line(tmp_path, content, expected):
    p = write(tmp_path, "tb.csv", content)
    with pytest.raises(InputError) as e:
        read_trial_balance(p)
    assert expected in str(e.value)
    assert "\n" not in str(e.value)


def test_unbalanced_message_gives_both_totals(tmp_path):
    p = write(tmp_path, "tb.csv", "account;debit;credit\n550000;100,00;0\n100000;0;90,50\n")
    with pytest.raises(InputError, match=r"debits \(100.00\) and credits \(90.50\) differ by 9.50"):
        read_trial_balance(p)
    # an unbalanced trial balance can still be read on purpose
    assert read_trial_balance(p, require_balanced=False).imbalance == D("9.50")


def test_unknown_encodings(tmp_path):
    p = write(tmp_path, "tb.csv", "account;debit;credit\n550000;1;0\n100000;0;1\n")
    with pytest.raises(InputError, match="tb.csv: unknown encoding 'klingon'"):
        read_trial_balance(p, encoding="klingon")
    # 0x81 is neither UTF-8 nor defined in Windows-1252
    bad = write(tmp_path, "bad.csv", b"account;label;debit;credit\n550000;\x81\x8d;1;0\n")
    with pytest.raises(InputError, match="bad.csv: unknown encoding"):
        read_trial_balance(bad)
    binary = write(tmp_path, "bin.csv", b"a\x00c\x00c\x00")
    with pytest.raises(InputError, match="bin.csv: unknown encoding"):
        read_trial_balance(binary)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="trial balance file not found"):
        read_trial_balance(tmp_path / "nope.csv")


def test_duplicate_accounts_refused_in_code_too():
    with pytest.raises(InputError, match="account 550000 appears twice"):
        TrialBalance.from_balances("x", [("550000", D(1)), ("550000", D(-1))])


def test_parentheses_mean_negative(tmp_path):
    p = write(tmp_path, "tb.csv", "compte;solde\n550000;1.000,00\n440000;(1.000,00)\n")
    tb = read_trial_balance(p)
    assert tb.account("440000").credit == D("1000.00") and tb.imbalance == 0
