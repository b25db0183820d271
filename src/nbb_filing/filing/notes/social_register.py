"""The social balance sheet computed from a staff register CSV (what a social secretariat exports).

One line per worker and contract (a worker who changes contract or working time has one line per
period).  Columns (header row required, ``,`` or ``;`` separated (then ``0,5`` is read 0.5), UTF-8; see docs/generate.md):

========================  ========  ==========================================================
column                    required  meaning
========================  ========  ==========================================================
worker                    yes       the worker's identifier (the same on each of his lines)
sex                       yes       ``M`` or ``F``
education                 yes       ``primary``, ``secondary``, ``higher_non_university``, ``university``
category                  yes       ``management``, ``employees``, ``blue_collar``, ``other``
contract                  yes       ``permanent``, ``fixed_term``, ``specific_work``, ``replacement``
start                     yes       first day of the line (YYYY-MM-DD)
end                       no        last day (empty: still running)
fraction                  yes       working time as a fraction of a full time (1, 0.5, 0.8 ...)
exit_reason               no        when the line ends the worker's employment in the exercise:
                                    ``retirement``, ``unemployment_with_supplement``,
                                    ``dismissal``, ``other``, ``other_self_employed``
hours                     no        hours actually worked in the exercise on this line
costs                     no        personnel costs of the exercise for this line (EUR)
benefits                  no        benefits in addition to wages (EUR)
formal_hours ...          no        training: ``formal_hours``, ``formal_gross_cost``,
                                    ``formal_contributions``, ``formal_subsidies``,
                                    ``informal_hours``, ``informal_cost``, ``initial_hours``,
                                    ``initial_cost``
========================  ========  ==========================================================

How the tables come out of it (the rules of the social balance sheet, Royal Decree of 2001):

* averages (first table): the workers in the register at the end of each month of the exercise,
  added up and divided by the number of months; full time = fraction 1, the FTE total adds the
  fractions; each sex is rounded to one decimal and the total is the sum of the two (the package
  checks total = men + women);
* year end: the lines running on the closing date; entries: the first line of a worker's run of
  contracts that starts in the exercise; exits: the last line of a run that ends in it (a line
  followed the next day by another line of the same worker is no exit and no entry: one DIMONA);
* each worker counts in the FTE columns of these headcount tables for his fraction rounded to one
  decimal, at least 0.1 and at most 0.9 for a part-timer: every breakdown then adds up exactly to
  the same total, as the package's rules require (rounding the rows' sums would not);
* training: workers involved = workers with hours of that kind; net cost of formal training =
  gross cost + contributions - subsidies.

Errors are one line naming the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from nbb_filing.core.errors import InputError

ONE = Decimal(1)
TENTH = Decimal("0.1")
SEXES = {"M": "men", "F": "women"}
EDUCATION = ("primary", "secondary", "higher_non_university", "university")
CATEGORIES = ("management", "employees", "blue_collar", "other")
CONTRACTS = ("permanent", "fixed_term", "specific_work", "replacement")
REASONS = ("retirement", "unemployment_with_supplement", "dismissal", "other", "other_self_employed")
REQUIRED = ("worker", "sex", "education", "category", "contract", "start", "fraction")
TRAINING = {
    "formal": ("formal_hours", ("formal_gross_cost", "formal_contributions", "formal_subsidies")),
    "informal": ("informal_hours", ("informal_cost",)),
    "initial": ("initial_hours", ("initial_cost",)),
}
AMOUNTS = (
    "costs",
    "benefits",
    "formal_gross_cost",
    "formal_contributions",
    "formal_subsidies",
    "informal_cost",
    "initial_cost",
)
INTEGERS = ("hours", "formal_hours", "informal_hours", "initial_hours")
OPTIONAL = ("end", "exit_reason", *INTEGERS, *AMOUNTS)
COLUMNS = REQUIRED + OPTIONAL


@dataclass(frozen=True)
class StaffLine:
    """One line of the register: one worker, one contract and working time, one period."""

    line: int
    worker: str
    sex: str  # "men" / "women"
    education: str
    category: str
    contract: str
    start: date
    end: date | None
    fraction: Decimal
    exit_reason: str | None
    numbers: tuple[tuple[str, Any], ...]  # hours, costs, training ...: column -> value

    def number(self, column: str) -> Any:
        return dict(self.numbers).get(column, 0 if column in INTEGERS else Decimal(0))

    @property
    def full_time(self) -> bool:
        return self.fraction == ONE

    @property
    def regime(self) -> str:
        return "full_time" if self.full_time else "part_time"

    def runs_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or self.end >= day)

    @property
    def counted_fte(self) -> Decimal:
        """The worker's weight in the headcount tables' FTE column (see the module docstring)."""
        if self.full_time:
            return ONE
        q = self.fraction.quantize(TENTH, rounding=ROUND_HALF_UP)
        return min(max(q, TENTH), Decimal("0.9"))


# ====================================================================== reading


def read_register(path: Path) -> tuple[StaffLine, ...]:
    """The lines of the register at ``path``; a one-line :class:`InputError` on anything wrong."""
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: staff register not found") from None
    except UnicodeDecodeError:
        raise InputError(f"{name}: the staff register must be UTF-8 text") from None
    first = text.split("\n", 1)[0]
    delim = ";" if first.count(";") > first.count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delim))
    if not rows:
        raise InputError(f"{name}: empty staff register (a header row naming the columns is required)")
    header = [h.strip().lower() for h in rows[0]]
    for h in header:
        if h not in COLUMNS:
            raise InputError(f"{name} line 1: unknown column {h!r} (columns: {', '.join(COLUMNS)})")
    for col in REQUIRED:
        if col not in header:
            raise InputError(f"{name} line 1: column {col!r} is missing")
    if len(set(header)) != len(header):
        raise InputError(f"{name} line 1: a column is named twice")
    lines = [
        _line(name, n, dict(zip(header, (_decimal_point(c.strip(), delim) for c in row))), len(row) == len(header))
        for n, row in enumerate(rows[1:], start=2)
        if any(c.strip() for c in row)
    ]
    _check_overlaps(name, lines)
    return tuple(lines)


def _decimal_point(cell: str, delim: str) -> str:
    """A ``;``-separated export (the Belgian spreadsheets' default) writes 0,5 for 0.5."""
    if delim == ";" and cell.count(",") == 1 and cell.replace(",", "").replace("-", "").isdigit():
        return cell.replace(",", ".")
    return cell


def _line(name: str, n: int, row: dict[str, str], width_ok: bool) -> StaffLine:
    def bad(col: str, why: str) -> InputError:
        return InputError(f"{name} line {n} (column {col}): {why}")

    if not width_ok:
        raise InputError(f"{name} line {n}: {len(row)} cells where the header has another number of columns")
    for col in REQUIRED:
        if not row.get(col):
            raise bad(col, "empty; it is required")

    def choice(col: str, allowed: Iterable[str]) -> str:
        v = row[col]
        if v not in allowed:
            raise bad(col, f"{v!r} is not one of {', '.join(allowed)}")
        return v

    def day(col: str) -> date | None:
        v = row.get(col, "")
        if not v:
            return None
        try:
            return date.fromisoformat(v)
        except ValueError:
            raise bad(col, f"{v!r} is not a date YYYY-MM-DD") from None

    sex = row["sex"].upper()
    if sex not in SEXES:
        raise bad("sex", f"{row['sex']!r} is not M or F")
    start, end = day("start"), day("end")
    assert start is not None
    if end is not None and end < start:
        raise bad("end", f"{end} is before the start {start}")
    try:
        fraction = Decimal(row["fraction"])
    except InvalidOperation:
        raise bad("fraction", f"{row['fraction']!r} is not a number") from None
    if not ZERO_ < fraction <= ONE:
        raise bad("fraction", f"{fraction} is not a working time above 0 and at most 1 (1 = full time)")
    reason = row.get("exit_reason") or None
    if reason is not None:
        reason = choice("exit_reason", REASONS)
        if end is None:
            raise bad("exit_reason", "given for a line without an end date")
    numbers: list[tuple[str, Any]] = []
    for col in INTEGERS + AMOUNTS:
        v = row.get(col, "")
        if not v:
            continue
        try:
            x = Decimal(v)
        except InvalidOperation:
            raise bad(col, f"{v!r} is not a number") from None
        if x < 0:
            raise bad(col, f"{v} is negative")
        if col in INTEGERS:
            if x != x.to_integral_value():
                raise bad(col, f"{v} is not a whole number of hours")
            numbers.append((col, int(x)))
        else:
            if x != x.quantize(Decimal("0.01")):
                raise bad(col, f"{v} has more than 2 decimals")
            numbers.append((col, x))
    return StaffLine(
        line=n,
        worker=row["worker"],
        sex=SEXES[sex],
        education=choice("education", EDUCATION),
        category=choice("category", CATEGORIES),
        contract=choice("contract", CONTRACTS),
        start=start,
        end=end,
        fraction=fraction,
        exit_reason=reason,
        numbers=tuple(numbers),
    )


ZERO_ = Decimal(0)


def _runs(lines: Iterable[StaffLine]) -> dict[str, list[StaffLine]]:
    by_worker: dict[str, list[StaffLine]] = {}
    for ln in lines:
        by_worker.setdefault(ln.worker, []).append(ln)
    for v in by_worker.values():
        v.sort(key=lambda x: x.start)
    return by_worker


def _check_overlaps(name: str, lines: list[StaffLine]) -> None:
    for worker, ls in _runs(lines).items():
        other = next((b for b in ls if b.sex != ls[0].sex), None)
        if other is not None:
            raise InputError(
                f"{name} line {other.line} (column sex): worker {worker} is {'M' if ls[0].sex == 'men' else 'F'} on line {ls[0].line}"
            )
        for a, b in zip(ls, ls[1:]):
            if a.end is None or a.end >= b.start:
                raise InputError(
                    f"{name} line {b.line} (column start): worker {worker}'s line starts on {b.start}, while his "
                    f"line {a.line} still runs"
                )
            if a.end + timedelta(days=1) == b.start and a.exit_reason is not None:
                raise InputError(
                    f"{name} line {a.line} (column exit_reason): worker {worker} goes on the next day (line {b.line}): "
                    "not an exit"
                )


# ====================================================================== the tables


def month_ends(start: date, end: date) -> list[date]:
    """The last day of each month that ends within the exercise ``start``..``end``."""
    out: list[date] = []
    y, m = start.year, start.month
    while True:
        last = date(y, m, monthrange(y, m)[1])
        if last > end:
            break
        if last >= start:
            out.append(last)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _round1(x: Decimal) -> Decimal:
    return x.quantize(TENTH, rounding=ROUND_HALF_UP)


def _headcount(lines: Iterable[StaffLine]) -> dict[str, Any]:
    ft = sum(1 for ln in lines if ln.full_time)
    pt = sum(1 for ln in lines if not ln.full_time)
    fte = sum((ln.counted_fte for ln in lines), Decimal(0))
    out: dict[str, Any] = {}
    if ft:
        out["full_time"] = ft
    if pt:
        out["part_time"] = pt
    if ft or pt:
        out["fte"] = fte
    return out


def _table(lines: list[StaffLine], rows: dict[str, Any]) -> dict[str, Any]:
    """A headcount table: its total and the breakdowns ``rows`` (name -> (attribute, values))."""
    out: dict[str, Any] = {}
    if not lines:
        return out
    out["total"] = _headcount(lines)
    for block, (attr, values) in rows.items():
        part = {v: _headcount([ln for ln in lines if getattr(ln, attr) == v]) for v in values}
        part = {k: v for k, v in part.items() if v}
        if part:
            out[block] = part
    return out


def register_tables(lines: tuple[StaffLine, ...], start: date, end: date, name: str = "register") -> dict[str, Any]:
    """The social balance sheet's tables (in the dossier block's shape) from the register's ``lines``
    for the exercise ``start``..``end``."""
    ends = month_ends(start, end)
    if not ends:
        raise InputError(f"{name}: the exercise {start} to {end} has no month end; averages cannot be computed")
    out: dict[str, Any] = {}
    in_year = [ln for ln in lines if ln.start <= end and (ln.end is None or ln.end >= start)]

    # first table: averages over the month ends, hours and costs of the lines
    avg: dict[str, dict[str, Decimal]] = {"full_time": {}, "part_time": {}, "total": {}}
    for sex in ("men", "women"):
        ft = pt = Decimal(0)
        fte = Decimal(0)
        for day in ends:
            running = [ln for ln in in_year if ln.sex == sex and ln.runs_on(day)]
            ft += sum(1 for ln in running if ln.full_time)
            pt += sum(1 for ln in running if not ln.full_time)
            fte += sum((ln.fraction for ln in running), Decimal(0))
        n = Decimal(len(ends))
        avg["full_time"][sex], avg["part_time"][sex], avg["total"][sex] = (
            _round1(ft / n),
            _round1(pt / n),
            _round1(fte / n),
        )
    out["average_workers"] = {k: _split(v) for k, v in avg.items() if any(v.values())}
    for measure, column in (("hours_worked", "hours"), ("personnel_costs", "costs")):
        figures: dict[str, dict[str, Any]] = {}
        for regime in ("full_time", "part_time"):
            figures[regime] = {
                sex: sum((ln.number(column) for ln in in_year if ln.sex == sex and ln.regime == regime), 0)
                for sex in ("men", "women")
            }
        figures["total"] = {sex: figures["full_time"][sex] + figures["part_time"][sex] for sex in ("men", "women")}
        out[measure] = {k: _split(v) for k, v in figures.items() if any(v.values())}
    benefits = {
        sex: sum((ln.number("benefits") for ln in in_year if ln.sex == sex), Decimal(0)) for sex in ("men", "women")
    }
    if any(benefits.values()):
        out["benefits"] = {"total": _split(benefits)}

    # year end
    at_end = [ln for ln in in_year if ln.runs_on(end)]
    year_end = _table(at_end, {"by_contract": ("contract", CONTRACTS), "by_category": ("category", CATEGORIES)})
    if at_end:
        by_sex: dict[str, Any] = {}
        for sex in ("men", "women"):
            mine = [ln for ln in at_end if ln.sex == sex]
            if mine:
                by_sex[sex] = {"total": _headcount(mine)} | {
                    e: hc for e in EDUCATION if (hc := _headcount([ln for ln in mine if ln.education == e]))
                }
        year_end["by_sex_and_education"] = by_sex
    if year_end:
        out["year_end"] = year_end

    # entries and exits: runs of contracts without a day's break
    entries: list[StaffLine] = []
    exits: list[StaffLine] = []
    for run in _runs(lines).values():  # all lines: a run may start before the exercise
        for i, ln in enumerate(run):
            prev = run[i - 1] if i else None
            nxt = run[i + 1] if i + 1 < len(run) else None
            if start <= ln.start <= end and not (prev and prev.end and prev.end + timedelta(days=1) == ln.start):
                entries.append(ln)
            if ln.end is not None and start <= ln.end <= end and not (nxt and ln.end + timedelta(days=1) == nxt.start):
                if ln.end == end and ln.exit_reason is None:
                    continue  # runs to the closing date with no reason given: still employed (next year's line)
                if ln.exit_reason is None:
                    raise InputError(
                        f"{name} line {ln.line} (column exit_reason): worker {ln.worker} leaves on {ln.end}: give the reason"
                    )
                exits.append(ln)
    if entries:
        out["entries"] = _table(entries, {"by_contract": ("contract", CONTRACTS)})
    if exits:
        table = _table(exits, {"by_contract": ("contract", CONTRACTS)})
        reasons = {
            r: _headcount([ln for ln in exits if (ln.exit_reason if r != "other" else _other(ln.exit_reason)) == r])
            for r in REASONS
        }
        table["by_reason"] = {k: v for k, v in reasons.items() if v}
        out["exits"] = table

    # training
    training: dict[str, Any] = {}
    for kind, (hours_col, cost_cols) in TRAINING.items():
        by_sex_t: dict[str, Any] = {}
        for sex in ("men", "women"):
            mine = [ln for ln in in_year if ln.sex == sex]
            workers = {ln.worker for ln in mine if ln.number(hours_col) > 0}
            hours = sum((ln.number(hours_col) for ln in mine), 0)
            costs = [sum((ln.number(c) for ln in mine), Decimal(0)) for c in cost_cols]
            if not (workers or hours or any(costs)):
                continue
            fig: dict[str, Any] = {"participants": len(workers), "hours": hours}
            if kind == "formal":
                fig.update(gross_cost=costs[0], contributions=costs[1], subsidies=costs[2])
            else:
                fig["net_cost"] = costs[0]
            by_sex_t[sex] = fig
        if by_sex_t:
            training[kind] = by_sex_t
    if training:
        out["training"] = training
    return out


def _other(reason: str | None) -> str | None:
    """The "other reason" row counts the self-employed too (they are its "of which" row)."""
    return "other" if reason == "other_self_employed" else reason


def _split(v: dict[str, Any]) -> dict[str, Any]:
    return {"men": v["men"], "women": v["women"]}
