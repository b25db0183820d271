"""Trial balances: the accountant's closing balances per PCMN/MAR account, read from CSV or XLSX.

A trial balance is the input of the mapping engine (:mod:`nbb_filing.books.mapping`).  Belgian
accounting software exports it in many dialects: semicolon or comma separated, decimal comma or
point, thousands separators, UTF-8 or Windows-1252, separate debit/credit columns or one signed
balance column.  This module reads them all into one shape, with amounts as :class:`~decimal.Decimal`,
and refuses anything doubtful with a one-line :class:`~nbb_filing.core.errors.InputError` naming the file
and line: a silently misread trial balance would produce a filing that balances but is wrong.

Why the checks are strict:

* an account number must be digits only: the mapping selects accounts by their digit prefix, so
  ``"6100.A"`` or ``"61 00"`` could silently land in the wrong rubric;
* two lines for the same account are refused rather than added: exports that repeat an account
  usually repeat it by mistake (a sub-total line, a second export appended);
* debits must equal credits: an unbalanced trial balance is an incomplete export;
* one file uses one number convention: ``1.234,56`` on one line and ``1,234.56`` on another is
  refused (naming both lines), and every amount must be well formed in the file's convention
  (thousands groups of three digits);
* an XLSX cell holding a formula without a computed (cached) value is refused, naming the cell:
  files written by programs that do not compute formulas would otherwise read as zero.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation, localcontext
from pathlib import Path

from nbb_filing.core.errors import InputError
from nbb_filing.core.money import NumberOutOfBounds, bounded_decimal, money
from nbb_filing.core.text_checks import control_character, excerpt

ZERO = Decimal(0)
CENT = Decimal("0.01")
#: totals are summed exactly: amounts have at most 28 digits (``core.money``), a total a few more
_EXACT = Context(prec=60)
#: Largest trial-balance file read (a 10,000-account CSV is ~1 MB): refused before it is read
MAX_TRIAL_BALANCE_BYTES = 32 * 1024 * 1024

#: Header names accepted for each column (compared lower-cased, without accents or punctuation).
#: These are words of the file format, not taxonomy content.
_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "account": (
        "account",
        "accountnumber",
        "accountno",
        "compte",
        "numerocompte",
        "numero",
        "no",
        "n",
        "rekening",
        "rekeningnummer",
        "konto",
        "code",
        "number",
    ),
    "label": ("label", "libelle", "intitule", "description", "name", "nom", "omschrijving", "naam", "bezeichnung"),
    "debit": ("debit", "debet", "soll", "dr"),
    "credit": ("credit", "krediet", "haben", "cr"),
    "balance": ("balance", "solde", "saldo", "amount", "montant", "bedrag"),
}


@dataclass(frozen=True)
class AccountLine:
    """One account of a trial balance with its closing debit and credit totals.

    ``balance`` is debit minus credit: positive for a debit balance, negative for a credit one.
    ``line`` is the 1-based line (CSV) or row (XLSX) in the source, for error messages.
    """

    account: str
    label: str
    debit: Decimal
    credit: Decimal
    line: int

    @property
    def balance(self) -> Decimal:
        return self.debit - self.credit

    @property
    def side(self) -> str:
        """``"debit"``, ``"credit"`` or ``"zero"``, decided on the closing balance."""
        b = self.balance
        return "debit" if b > 0 else "credit" if b < 0 else "zero"


@dataclass(frozen=True)
class TrialBalance:
    """The accounts of one exercise, in file order.  ``source`` names the file in messages."""

    source: str
    accounts: tuple[AccountLine, ...]

    def __post_init__(self) -> None:
        seen: dict[str, AccountLine] = {}
        for a in self.accounts:
            if a.account in seen:
                raise InputError(
                    f"{self.source} line {a.line}: account {a.account} appears twice "
                    f"(also line {seen[a.account].line}); give one line per account"
                )
            seen[a.account] = a

    @property
    def total_debit(self) -> Decimal:
        with localcontext(_EXACT):
            return sum((a.debit for a in self.accounts), ZERO)

    @property
    def total_credit(self) -> Decimal:
        with localcontext(_EXACT):
            return sum((a.credit for a in self.accounts), ZERO)

    @property
    def imbalance(self) -> Decimal:
        """Debits minus credits; zero for a balanced trial balance (never hidden by rounding)."""
        with localcontext(_EXACT):
            return self.total_debit - self.total_credit

    def account(self, number: str) -> AccountLine | None:
        for a in self.accounts:
            if a.account == number:
                return a
        return None

    def nonzero(self) -> tuple[AccountLine, ...]:
        return tuple(a for a in self.accounts if a.balance != 0)

    @classmethod
    def from_balances(
        cls, source: str, balances: Iterable[tuple[str, Decimal] | tuple[str, Decimal, str]]
    ) -> TrialBalance:
        """Build a trial balance from ``(account, signed balance[, label])`` tuples (debit positive)."""
        lines = []
        for i, item in enumerate(balances, start=1):
            number, bal = item[0], Decimal(item[1])
            label = item[2] if len(item) > 2 else ""
            lines.append(AccountLine(str(number), str(label), bal if bal > 0 else ZERO, -bal if bal < 0 else ZERO, i))
        return cls(source, tuple(lines))


# ====================================================================== reading


def read_trial_balance(
    path: str | os.PathLike,
    *,
    delimiter: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    require_balanced: bool = True,
) -> TrialBalance:
    """Read a trial balance from a ``.csv`` (or ``.txt``) or ``.xlsx`` file.

    ``delimiter`` (``;`` ``,`` tab ``|``) and ``decimal`` (``,`` or ``.``) are detected when not
    given; ``encoding`` defaults to UTF-8 (with or without BOM, or UTF-16 with BOM) and falls back
    to Windows-1252, the usual encoding of Excel CSV exports in Belgium.  ``sheet`` selects an XLSX
    worksheet (default: the first).  The columns are found by their header: account, label and
    either debit and credit, or one signed balance (debit positive).
    """
    p = Path(path)
    name = p.name
    if not p.is_file():
        raise InputError(f"{p}: trial balance file not found")
    if decimal not in (None, ",", "."):
        raise InputError(f"{name}: decimal separator must be ',' or '.', not {decimal!r}")
    size = p.stat().st_size
    if size > MAX_TRIAL_BALANCE_BYTES:
        raise InputError(
            f"{name}: refused, {size} bytes, more than the {MAX_TRIAL_BALANCE_BYTES} accepted for a trial balance"
        )
    if p.suffix.lower() in (".xlsx", ".xlsm"):
        rows = _xlsx_rows(p, sheet)
        decimal = decimal or "."
    else:
        text = _decode(p, encoding)
        rows = _csv_rows(name, text, delimiter)
    tb = _parse_rows(name, rows, decimal)
    if require_balanced and tb.imbalance != 0:
        raise InputError(
            f"{name}: debits ({money(tb.total_debit)}) and credits ({money(tb.total_credit)}) differ by "
            f"{money(abs(tb.imbalance))}; a trial balance must balance"
        )
    return tb


def _decode(p: Path, encoding: str | None) -> str:
    raw = p.read_bytes()
    name = p.name
    if not raw.strip():
        raise InputError(f"{name}: the trial balance is empty")
    if encoding:
        try:
            return raw.decode(encoding)
        except LookupError:
            raise InputError(f"{name}: unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as e:
            raise InputError(f"{name}: not valid {encoding} text (byte {e.start}); give the right --encoding") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="strict")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if b"\x00" in raw:
        raise InputError(f"{name}: unknown encoding (binary content or UTF-16 without BOM); export as UTF-8 CSV")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        _refuse_mixed_encodings(name, raw, e.start)
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as e:
        raise InputError(
            f"{name}: unknown encoding (neither UTF-8 nor Windows-1252 at byte {e.start}); give --encoding"
        ) from None


#: a multi-byte UTF-8 sequence; in Windows-1252 text such pairs (``Ã©``) practically never occur
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _refuse_mixed_encodings(name: str, raw: bytes, bad: int) -> None:
    """Refuse a file that is not UTF-8 at byte ``bad`` but holds UTF-8 accented letters elsewhere:
    read as Windows-1252 those would turn into garbage (``CrÃ©ances``) without a word."""
    m = _UTF8_SEQUENCE.search(raw)
    if m is None:
        return
    utf8_line = raw.count(b"\n", 0, m.start()) + 1
    other_line = raw.count(b"\n", 0, bad) + 1
    raise InputError(
        f"{name} line {other_line}: not UTF-8 (Windows-1252?), while line {utf8_line} is UTF-8: the file mixes "
        "two encodings; save it again in one (or give --encoding)"
    )


def _csv_rows(name: str, text: str, delimiter: str | None) -> list[tuple[int, list[str]]]:
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        raise InputError(f"{name}: the trial balance is empty")
    if delimiter is None:
        first = next(line for line in lines if line.strip())
        counts = {d: first.count(d) for d in (";", "\t", "|", ",")}
        delimiter = max(counts, key=lambda d: counts[d])
        if counts[delimiter] == 0:
            raise InputError(f"{name} line 1: cannot detect the column delimiter; give --delimiter")
    elif len(delimiter) != 1:
        raise InputError(f"{name}: the delimiter must be one character, not {delimiter!r}")
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    out = []
    try:
        for row in reader:
            out.append((reader.line_num, [c.strip() for c in row]))
    except csv.Error as e:
        raise InputError(f"{name} line {reader.line_num}: {e}") from None
    return out


def _xlsx_rows(p: Path, sheet: str | None) -> list[tuple[int, list]]:
    try:
        from openpyxl import load_workbook
    except ImportError:  # pragma: no cover - a declared dependency
        raise InputError("reading XLSX needs openpyxl") from None
    _check_xlsx_size(p)
    try:
        wb = load_workbook(p, read_only=True, data_only=True)
        formulas = load_workbook(p, read_only=True, data_only=False)
    except Exception as e:  # openpyxl raises many kinds for a bad file
        raise InputError(f"{p.name}: not a readable XLSX workbook ({type(e).__name__})") from None
    try:
        if sheet is not None:
            if sheet not in wb.sheetnames:
                raise InputError(f"{p.name}: no worksheet {sheet!r} (sheets: {', '.join(wb.sheetnames)})")
            ws, fs = wb[sheet], formulas[sheet]
        else:
            if not wb.worksheets:
                raise InputError(f"{p.name}: the workbook has no worksheet")
            ws, fs = wb.worksheets[0], formulas.worksheets[0]
        rows = []
        pairs = zip(
            ws.iter_rows(min_row=1, min_col=1, values_only=True), fs.iter_rows(min_row=1, min_col=1, values_only=True)
        )
        for i, (row, frow) in enumerate(pairs, start=1):
            for j, (v, f) in enumerate(zip(row, frow)):
                if v is None and isinstance(f, str) and f.startswith("="):
                    raise InputError(
                        f"{p.name} sheet {ws.title!r} cell {_cell_name(i, j)}: formula {f[:60]} has no computed "
                        "value (saved by a program that does not calculate); recalculate and save it, or export CSV"
                    )
            rows.append((i, ["" if v is None else v for v in row]))
        return rows
    except InputError:
        raise
    except Exception as e:  # a damaged sheet inside a valid ZIP
        raise InputError(f"{p.name}: not a readable XLSX workbook ({type(e).__name__})") from None
    finally:
        wb.close()
        formulas.close()


#: Largest uncompressed content of an XLSX trial balance (a 10,000-account workbook is ~5 MB).
MAX_XLSX_UNCOMPRESSED = 256 * 1024 * 1024


def _check_xlsx_size(p: Path) -> None:
    """Refuse an XLSX whose parts would expand beyond :data:`MAX_XLSX_UNCOMPRESSED` (a ZIP bomb)."""
    import zipfile

    try:
        with zipfile.ZipFile(p) as zf:
            total = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # reported by openpyxl's reader as "not a readable XLSX workbook"
    if total > MAX_XLSX_UNCOMPRESSED:
        raise InputError(
            f"{p.name}: refused, the workbook expands to {total} bytes (more than {MAX_XLSX_UNCOMPRESSED}); "
            "export the trial balance as CSV"
        )


def _cell_name(row: int, col: int) -> str:
    """``(5, 2)`` -> ``C5`` (``col`` is 0-based)."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


def _norm_header(h: object) -> str:
    import unicodedata

    s = unicodedata.normalize("NFKD", str(h)).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z]", "", s)


def _find_columns(name: str, line: int, header: Sequence[object]) -> dict[str, int]:
    cols: dict[str, int] = {}
    for i, h in enumerate(header):
        key = _norm_header(h)
        for col, aliases in _COLUMN_ALIASES.items():
            if key in aliases and col not in cols:
                cols[col] = i
                break
    missing = [c for c in ("account",) if c not in cols]
    has_dc = "debit" in cols and "credit" in cols
    if not has_dc and "balance" not in cols:
        if "debit" in cols or "credit" in cols:
            missing.append("credit" if "debit" in cols else "debit")
        else:
            missing.append("debit and credit (or balance)")
    if missing:
        found = ", ".join(str(h) for h in header if str(h).strip()) or "nothing"
        raise InputError(f"{name} line {line}: missing column(s) {', '.join(missing)} (header has: {found})")
    if has_dc:
        cols.pop("balance", None)
    return cols


_AMOUNT_CHARS = re.compile(r"^[+-]?[\d.,' \u00a0\u202f]*\d[\d.,' \u00a0\u202f]*-?$")


def _detect_decimal(name: str, cells: Iterable[tuple[int, str]]) -> str:
    """',' when some amount ends with a comma and one or two digits (``1.234,56``), else '.'.

    A file where some amounts do so with a comma and others with a point (``1,234.56``) is refused,
    naming a line of each: which one is a thousands separator cannot be decided.
    """
    comma: tuple[int, str] | None = None
    point: tuple[int, str] | None = None
    for line, c in cells:
        c = c.strip().rstrip("-)")
        if comma is None and re.search(r",\d{1,2}$", c):
            comma = (line, c)
        if point is None and re.search(r"\.\d{1,2}$", c):
            point = (line, c)
        if comma and point:
            first, second = sorted((comma, point))
            raise InputError(
                f"{name} line {second[0]}: amount {second[1]!r} and line {first[0]}: {first[1]!r} use different "
                "decimal separators; one file uses one convention (or give --decimal)"
            )
    return "," if comma else "."


def _well_formed(body: str, decimal: str) -> bool:
    """``body`` (no sign, no spaces) is digits, optionally in thousands groups of three, and decimals."""
    t, d = ("." if decimal == "," else ","), decimal
    return re.fullmatch(rf"(?:\d{{1,3}}(?:{re.escape(t)}\d{{3}})+|\d*)(?:{re.escape(d)}\d+)?", body) is not None


def _amount(name: str, line: int, column: str, cell: object, decimal: str) -> Decimal:
    if cell is None or cell == "":
        return ZERO
    if isinstance(cell, bool):
        raise InputError(f"{name} line {line}: {column} {excerpt(str(cell))} is not an amount")
    if isinstance(cell, int):
        return _bounded(name, line, column, str(cell))
    if isinstance(cell, float):
        # Excel stores numbers as binary floats; a trial balance is in cents.
        d = _bounded(name, line, column, repr(cell))
        q = d.quantize(CENT)
        if abs(d - q) > Decimal("0.000001"):
            raise InputError(f"{name} line {line}: {column} {excerpt(str(cell))} has more than 2 decimals")
        return q
    if isinstance(cell, Decimal):
        return _bounded(name, line, column, str(cell))
    text = str(cell).strip()
    if text.startswith("(") and text.endswith(")"):  # accounting notation for a negative amount
        text = "-" + text[1:-1].strip()
    if not _AMOUNT_CHARS.match(text):
        raise InputError(f"{name} line {line}: {column} {excerpt(text)} is not a number")
    negative = text.startswith("-") or text.endswith("-")
    body = text.strip("+-")
    for sep in (" ", "\u00a0", "\u202f", "'"):
        body = body.replace(sep, "")
    if not _well_formed(body, decimal):
        raise InputError(
            f"{name} line {line}: {column} {excerpt(text)} is not a number written with {decimal!r} as decimal separator"
        )
    thousands = "." if decimal == "," else ","
    body = body.replace(thousands, "")
    if decimal == ",":
        body = body.replace(",", ".")
    try:
        Decimal(body)
    except InvalidOperation:
        raise InputError(f"{name} line {line}: {column} {excerpt(text)} is not a number") from None
    if body.count(".") > 1:
        raise InputError(f"{name} line {line}: {column} {excerpt(text)} is not a number")
    d = _bounded(name, line, column, body)
    return -d if negative else d


def _bounded(name: str, line: int, column: str, text: str) -> Decimal:
    """``text`` as a Decimal within the digits every number read is held to (``core.money``)."""
    try:
        return bounded_decimal(text)
    except NumberOutOfBounds as e:
        raise InputError(f"{name} line {line}: {column} {e}") from None
    except ValueError:
        raise InputError(f"{name} line {line}: {column} {excerpt(text)} is not a number") from None


def _parse_rows(name: str, rows: list[tuple[int, list]], decimal: str | None) -> TrialBalance:
    rows = [(n, r) for n, r in rows if any(str(c).strip() for c in r)]
    if not rows:
        raise InputError(f"{name}: the trial balance is empty")
    hline, header = rows[0]
    cols = _find_columns(name, hline, header)
    body = rows[1:]
    if not body:
        raise InputError(f"{name}: the trial balance is empty (a header and no account line)")
    amount_cols = [cols[c] for c in ("debit", "credit", "balance") if c in cols]
    if decimal is None:
        decimal = _detect_decimal(
            name, ((n, str(r[i])) for n, r in body for i in amount_cols if i < len(r) and isinstance(r[i], str))
        )

    def cell(r: list, col: str) -> object:
        i = cols.get(col)
        return r[i] if i is not None and i < len(r) else ""

    lines: list[AccountLine] = []
    seen: dict[str, int] = {}
    for n, r in body:
        raw_acc = cell(r, "account")
        acc = str(int(raw_acc)) if isinstance(raw_acc, int) and not isinstance(raw_acc, bool) else str(raw_acc).strip()
        if isinstance(raw_acc, float):
            acc = str(int(raw_acc)) if raw_acc.is_integer() else str(raw_acc)
        if not acc:
            raise InputError(f"{name} line {n}: no account number (a total or title line? remove it)")
        if not acc.isdigit() or not acc.isascii():
            raise InputError(
                f"{name} line {n}: account number {excerpt(acc)} is not numeric (digits only, e.g. 550000)"
            )
        if acc in seen:
            raise InputError(
                f"{name} line {n}: account {acc} appears twice (also line {seen[acc]}); give one line per account"
            )
        seen[acc] = n
        label = str(cell(r, "label") or "").strip()
        bad = control_character(label, one_line=True)
        if bad is not None:
            raise InputError(f"{name} line {n}: label {label[:40]!r} holds a control character ({bad}); remove it")
        if "balance" in cols:
            bal = _amount(name, n, "balance", cell(r, "balance"), decimal)
            debit, credit = (bal, ZERO) if bal >= 0 else (ZERO, -bal)
        else:
            debit = _amount(name, n, "debit", cell(r, "debit"), decimal)
            credit = _amount(name, n, "credit", cell(r, "credit"), decimal)
        lines.append(AccountLine(acc, label, debit, credit, n))
    return TrialBalance(name, tuple(lines))


def write_trial_balance_csv(tb: TrialBalance, path: str | os.PathLike) -> None:
    """Write ``tb`` as a UTF-8, semicolon-separated CSV with decimal points (atomically)."""
    import io

    from nbb_filing.core.atomic import write_atomic

    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(["account", "label", "debit", "credit"])
    for a in tb.accounts:
        w.writerow([a.account, a.label, f"{a.debit:.2f}", f"{a.credit:.2f}"])
    write_atomic(path, buf.getvalue())
