"""Trial balances that cannot be read unambiguously are refused, naming the cell or line (issue 15, class 8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from nbb_filing.books.ledger import read_trial_balance
from nbb_filing.cli import main
from nbb_filing.core.errors import InputError


def _xlsx_with_formulas(path: Path) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "balance"
    ws.append(["compte", "debit", "credit"])
    ws.append([550000, 10.5, None])
    ws.append([110000, None, "=B2"])  # openpyxl writes formulas without a computed value
    wb.save(path)
    return path


def test_formula_without_value_names_the_cell(tmp_path):
    p = _xlsx_with_formulas(tmp_path / "tb.xlsx")
    with pytest.raises(InputError) as e:
        read_trial_balance(p)
    assert str(e.value).startswith("tb.xlsx sheet 'balance' cell C3: formula =B2 has no computed value")


def test_mapping_figures_exits_2_without_figures(tmp_path):
    p = _xlsx_with_formulas(tmp_path / "tb.xlsx")
    r = CliRunner().invoke(main, ["mapping", "figures", "without-capital", str(p), "--format", "json"])
    assert r.exit_code == 2, r.output
    assert r.output.strip().splitlines() == [
        "error: tb.xlsx sheet 'balance' cell C3: formula =B2 has no computed value (saved by a program that does "
        "not calculate); recalculate and save it, or export CSV"
    ]  # nothing else: no figures printed


def test_cached_formula_values_are_read(tmp_path):
    """A formula whose value was computed and saved (what Excel does) reads as that value."""
    import zipfile

    p = _xlsx_with_formulas(tmp_path / "tb.xlsx")
    # write the cached value into the sheet XML, as a calculating program would
    with zipfile.ZipFile(p) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert b"<f>B2</f><v></v>" in parts[sheet] or b"<f>B2</f><v/>" in parts[sheet]
    parts[sheet] = (
        parts[sheet]
        .replace(b"<f>B2</f><v></v>", b"<f>B2</f><v>10.5</v>")
        .replace(b"<f>B2</f><v/>", b"<f>B2</f><v>10.5</v>")
    )
    with zipfile.ZipFile(p, "w") as zf:
        for n, data in parts.items():
            zf.writestr(n, data)
    tb = read_trial_balance(p)
    assert [(a.account, a.balance) for a in tb.accounts] == [("550000", 10.5), ("110000", -10.5)]


def _csv(tmp_path: Path, *rows: str) -> Path:
    p = tmp_path / "tb.csv"
    p.write_text("compte;libelle;debit;credit\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return p


def test_mixed_decimal_conventions_name_both_lines(tmp_path):
    p = _csv(tmp_path, "550000;Banque;1.234,56;", "604000;Achats;1,234.56;", "100000;Capital;;2469,12")
    with pytest.raises(InputError) as e:
        read_trial_balance(p)
    assert str(e.value) == (
        "tb.csv line 3: amount '1,234.56' and line 2: '1.234,56' use different decimal separators; "
        "one file uses one convention (or give --decimal)"
    )


@pytest.mark.parametrize("decimal, cell", [(",", "1,234.56"), (".", "1.234,56"), (",", "12.34"), (".", "1,23")])
def test_amount_malformed_in_the_given_convention(tmp_path, decimal, cell):
    p = _csv(tmp_path, f"550000;Banque;{cell};", f"100000;Capital;;{cell}")
    with pytest.raises(InputError, match=rf"^tb.csv line 2: debit '{cell}' is not a number written with "):
        read_trial_balance(p, decimal=decimal)


@pytest.mark.parametrize(
    "decimal, cell, value",
    [
        (",", "1.234,56", "1234.56"),
        (".", "1,234.56", "1234.56"),
        (",", "1234,5", "1234.5"),
        (".", "1 234.56", "1234.56"),
    ],
)
def test_well_formed_amounts_still_read(tmp_path, decimal, cell, value):
    from decimal import Decimal

    p = _csv(tmp_path, f"550000;Banque;{cell};", f"100000;Capital;;{cell}")
    assert read_trial_balance(p, decimal=decimal).accounts[0].debit == Decimal(value)


def test_xlsx_zip_bomb_is_refused(tmp_path):
    import zipfile

    p = tmp_path / "tb.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (257 * 1024 * 1024))  # 257 MiB of zeros, ~260 KB zipped
    with pytest.raises(InputError, match=r"^tb.xlsx: refused, the workbook expands to \d+ bytes"):
        read_trial_balance(p)


# ---------------------------------------------------------------------- issue 23 (classes 1, 8, 11)


def test_29_digit_amounts_cannot_hide_an_imbalance(tmp_path):
    # 29 significant digits: Decimal's 28-digit context would round the 0.01 difference away
    p = _csv(
        tmp_path, "550000;Banque;123456789012345678901234567.01;", "100000;Capital;;123456789012345678901234567.00"
    )
    with pytest.raises(InputError) as e:
        read_trial_balance(p)
    assert str(e.value).startswith("tb.csv line 2: debit ")
    assert "digits before the decimal point, more than the 18 accepted" in str(e.value)


def test_totals_of_many_bounded_amounts_stay_exact(tmp_path):
    big = "999999999999999999.0000000001"
    rows = [f"{550000 + i};Banque;{big};" for i in range(20)]
    p = _csv(tmp_path, *rows, "100000;Capital;;1")
    tb = read_trial_balance(p, require_balanced=False)
    from decimal import Decimal

    assert tb.imbalance == Decimal("19999999999999999979.000000002")  # 29 digits, none rounded


@pytest.mark.parametrize("char", ["\x1b", "\x7f", "\x85", "\u2028"])
def test_control_character_in_a_label_names_file_line_and_field(tmp_path, char):
    p = _csv(tmp_path, f"550000;Ban{char}que;10;", "100000;Capital;;10")
    with pytest.raises(InputError) as e:
        read_trial_balance(p)
    assert str(e.value).startswith("tb.csv line 2: label ") and "control character" in str(e.value)


def test_oversized_trial_balance_is_refused_before_reading(tmp_path, monkeypatch):
    import nbb_filing.books.ledger as ledger

    p = _csv(tmp_path, "550000;Banque;10;", "100000;Capital;;10")
    with p.open("a") as f:
        f.write("x" * (ledger.MAX_TRIAL_BALANCE_BYTES + 1))

    def no_read(*a, **k):
        raise AssertionError("read before the size check")

    monkeypatch.setattr(Path, "read_bytes", no_read)
    with pytest.raises(InputError, match=r"^tb.csv: refused, \d+ bytes, more than the \d+ accepted"):
        read_trial_balance(p)


def test_csv_mixing_utf8_and_cp1252_is_refused_naming_both_lines(tmp_path):
    p = tmp_path / "tb.csv"
    p.write_bytes(
        b"compte;libelle;debit;credit\n" + "550000;Créances;10;\n".encode() + "100000;Réserve;;10\n".encode("cp1252")
    )
    with pytest.raises(InputError) as e:
        read_trial_balance(p)
    assert str(e.value).startswith("tb.csv line 3: ") and "line 2" in str(e.value) and "UTF-8" in str(e.value)


def test_cp1252_alone_still_reads(tmp_path):
    p = tmp_path / "tb.csv"
    p.write_bytes("compte;libelle;debit;credit\n550000;Créances;10;\n100000;Réserve;;10\n".encode("cp1252"))
    assert [a.label for a in read_trial_balance(p).accounts] == ["Créances", "Réserve"]


def test_a_long_cell_is_quoted_as_a_short_excerpt(tmp_path):
    p = _csv(tmp_path, f"550000;Banque;{'SECRET' * 10_000};", "100000;Capital;;10")
    with pytest.raises(InputError) as e:
        read_trial_balance(p)
    assert str(e.value).startswith("tb.csv line 2: debit 'SECRETSECRET") and len(str(e.value)) < 150
