"""The social balance sheet's other tables (year end, entries, exits, external staff, training,
joint committees), cell by cell from ``data/social-balance.yaml``.

The dossier's :class:`~nbb_filing.filing.dossier_notes_social.SocialBalanceSheet` is flattened into
paths (``year_end.by_contract.permanent.fte``); each path is a cell of the data file (metric and
members), resolved in the model's catalog: the full models (m02-f, m82-f) have every table, the
abbreviated, micro and association models only some rows (no entries by contract, no exit
reasons, no external staff), and what a model lacks is reported as left out.

Why the checks here: the NBB's ``cs_`` rules are warnings in the package, and a social balance
sheet that does not add up is nevertheless wrong; the block is checked before anything is written
(one line, exit 1): every partition of a headcount table adds up to its total column by column,
the total in full-time equivalents lies strictly between the full-time count and full time + part
time when there are part-timers (and equals the full-time count otherwise), exits of the "self
employed" kind are among the "other reason" exits, and training figures go together (workers,
hours and cost all positive, fewer workers than hours or euros).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ValidationError

from nbb_filing.core.data_files import load_data_yaml
from nbb_filing.core.errors import FindingsError, InputError
from nbb_filing.core.money import quantity
from nbb_filing.core.pydantic_errors import dotted
from nbb_filing.filing.dossier import Dossier
from nbb_filing.filing.dossier_notes_social import SocialBalanceSheet
from nbb_filing.filing.notes.social_balance import TABLE_FILE, add_social_balance
from nbb_filing.filing.store import FactStore
from nbb_filing.taxonomy.catalog import Catalog, Datapoint
from nbb_filing.taxonomy.values import check_value

Path_ = tuple[str, ...]
Members = tuple[tuple[str, str], ...]
ZERO = Decimal(0)
#: the headcount tables' partitions: each adds up to the table's total, column by column
PARTITIONS = {
    "year_end": ("by_contract", "by_sex_and_education", "by_category"),
    "entries": ("by_contract",),
    "exits": ("by_contract", "by_reason"),
}
HEADCOUNT_COLUMNS = ("full_time", "part_time", "fte")


@dataclass(frozen=True)
class Cell:
    """One cell of the social balance sheet: the dossier path of its figure, metric and members."""

    path: Path_
    metric: str
    members: Members

    def resolve(self, catalog: Catalog) -> Datapoint | None:
        return catalog.resolve(self.metric, self.members)


@dataclass(frozen=True)
class SocialCells:
    cells: tuple[Cell, ...]
    committees_metric: str
    committees_members: Members
    committees_index: str

    def by_path(self) -> dict[Path_, Cell]:
        return {c.path: c for c in self.cells}

    def committee_cell(self, catalog: Catalog) -> Datapoint | None:
        return catalog.resolve(self.committees_metric, self.committees_members, (self.committees_index,))


def _merge(*parts: Mapping[str, str] | None) -> Members:
    out: dict[str, str] = {}
    for p in parts:
        out.update(p or {})
    return tuple(sorted(out.items()))


def parse_social_cells(data: Mapping[str, Any]) -> SocialCells:
    """The cells of the data file's tables (all but the first table's, see ``social_balance.py``)."""
    note = data.get("cells_note") or {}
    cells: list[Cell] = []
    columns = data["headcount_columns"]
    for table, spec in data["headcount_tables"].items():
        for row, row_members in spec["rows"].items():
            for col, cspec in columns.items():
                path = (table, *row.split("."), col)
                cells.append(Cell(path, cspec["metric"], _merge(note, spec["members"], row_members, cspec["members"])))
    ext = data["external_staff"]
    for row, row_members in ext["rows"].items():
        for col, cspec in ext["columns"].items():
            cells.append(Cell((row, col), cspec["metric"], _merge(note, ext["members"], row_members, cspec["members"])))
    tr = data["training"]
    for kind, kind_members in tr["kinds"].items():
        for sex, sex_members in tr["sexes"].items():
            for fig, fspec in tr["figures"].items():
                if kind not in fspec.get("kinds", (kind,)):
                    continue
                members = _merge(note, kind_members, sex_members, fspec["members"])
                cells.append(Cell(("training", kind, sex, fig), fspec["metric"], members))
    jc = data["joint_committees"]
    return SocialCells(tuple(cells), jc["metric"], _merge(jc["members"]), jc["index"])


@lru_cache(maxsize=1)
def load_social_cells() -> SocialCells:
    return parse_social_cells(load_data_yaml(TABLE_FILE))


# ====================================================================== the block as paths

#: the first table's keys (written by social_balance.py) and the block's non-figure keys
FIRST_TABLE = ("average_workers", "hours_worked", "personnel_costs", "benefits", "staff_register", "joint_committees")


def flatten(sb: SocialBalanceSheet) -> dict[Path_, Any]:
    """The figures of ``sb``'s other tables by path (absent figures left out)."""
    out: dict[Path_, Any] = {}

    def walk(obj: Any, path: Path_) -> None:
        if isinstance(obj, BaseModel):
            for name in type(obj).model_fields:
                walk(getattr(obj, name), (*path, name))
        elif obj is not None:
            out[path] = obj

    for name in type(sb).model_fields:
        if name not in FIRST_TABLE:
            walk(getattr(sb, name), (name,))
    return out


def partition_rows(figures: Mapping[Path_, Any], table: str, part: str) -> list[Path_]:
    """The rows of partition ``part`` of ``table`` that add up to the table's total: a sex's total
    row for the sexes, every reason but the "of which self-employed" row for the exits."""
    if part == "by_sex_and_education":
        return _in_order({p[:3] + ("total",) for p in figures if p[:2] == (table, part)})
    return _in_order({p[:3] for p in figures if p[:2] == (table, part) and p[2] != "other_self_employed"})


@lru_cache(maxsize=1)
def _row_ranks() -> dict[Path_, int]:
    ranks: dict[Path_, int] = {}
    for c in load_social_cells().cells:
        for n in range(1, len(c.path)):
            ranks.setdefault(c.path[:n], len(ranks))
    return ranks


def _in_order(rows: set[Path_]) -> list[Path_]:
    """``rows`` in the order of the data file (the NBB's order of the rows)."""
    ranks = _row_ranks()
    return sorted(rows, key=lambda r: ranks.get(r, len(ranks)))


def complete(figures: dict[Path_, Any]) -> dict[Path_, Any]:
    """``figures`` with what the dossier may leave out: the FTE of a row of full-timers only (their
    number), a sex's total row from its levels of education, a headcount table's total from its
    first partition given (the package's rules compare the total with every partition, so it is
    needed as soon as one is given)."""
    out = dict(figures)
    for row in {p[:-1] for p in figures if p[0] in PARTITIONS}:
        # full-timers only: their FTE is their number (the package checks 1053 = 1051 then)
        if row + ("full_time",) in out and row + ("part_time",) not in out and row + ("fte",) not in out:
            out[row + ("fte",)] = Decimal(out[row + ("full_time",)])
    for sex in ("men", "women"):
        base = ("year_end", "by_sex_and_education", sex)
        _fill_total(out, (*base, "total"), _in_order({p[:4] for p in out if p[:3] == base and p[3] != "total"}))
    for table, partitions in PARTITIONS.items():
        for part in partitions:
            if _fill_total(out, (table, "total"), partition_rows(out, table, part)):
                break
    return out


def _fill_total(out: dict[Path_, Any], total: Path_, rows: list[Path_]) -> bool:
    rows = [r for r in rows if r != total]
    if not rows or any(total + (c,) in out for c in HEADCOUNT_COLUMNS):
        return False
    for col in HEADCOUNT_COLUMNS:
        vals = [out[r + (col,)] for r in rows if r + (col,) in out]
        if vals:
            out[total + (col,)] = sum(vals[1:], vals[0])
    return True


# ====================================================================== checks


def _get(figures: Mapping[Path_, Any], row: Path_, col: str) -> Any:
    return figures.get(row + (col,), 0)


def check_tables(figures: Mapping[Path_, Any], where: Any, sb: SocialBalanceSheet | None = None) -> None:
    """The package's ``cs_`` rules on the other tables, as one-line findings (see the module docstring)."""
    rows = sorted({p[:-1] for p in figures if p[0] in PARTITIONS})
    for row in rows:
        ft, pt, fte = (figures.get(row + (c,)) for c in HEADCOUNT_COLUMNS)
        if fte is None:
            if pt:
                raise FindingsError(f"{where(*row, 'fte')}: give the full-time equivalents of these {pt} part-timers")
            continue
        ft = ft or 0
        if pt:
            if not ft < fte < ft + pt:
                raise FindingsError(
                    f"{where(*row, 'fte')}: {quantity(fte)} full-time equivalents must lie strictly between the "
                    f"full-time workers ({ft}) and full time + part time ({ft + pt})"
                )
        elif fte != ft:
            raise FindingsError(
                f"{where(*row, 'fte')}: without part-timers the FTE ({quantity(fte)}) must equal the full-time workers ({ft})"
            )
    for table, partitions in PARTITIONS.items():
        for part in partitions:
            if part == "by_sex_and_education":
                for sex in ("men", "women"):
                    base = (table, part, sex)
                    levels = _in_order({p[:4] for p in figures if p[:3] == base and p[3] != "total"})
                    _check_sum(figures, (*base, "total"), levels, where)
            _check_sum(figures, (table, "total"), partition_rows(figures, table, part), where)
    ose, other = ("exits", "by_reason", "other_self_employed"), ("exits", "by_reason", "other")
    for col in HEADCOUNT_COLUMNS:
        if _get(figures, ose, col) > _get(figures, other, col):
            raise FindingsError(
                f"{where(*ose, col)}: {quantity(_get(figures, ose, col))} is more than the exits for another reason "
                f"({quantity(_get(figures, other, col))}) it is part of"
            )
    _check_training(figures, where, sb)


def _check_sum(figures: Mapping[Path_, Any], total: Path_, rows: list[Path_], where: Any) -> None:
    if not rows:
        return
    for col in HEADCOUNT_COLUMNS:
        s = sum((_get(figures, r, col) for r in rows), 0)
        t = _get(figures, total, col)
        if s != t:
            names = " + ".join(".".join(r[-1:] if r[-1] != "total" else r[-2:]) for r in rows)
            raise FindingsError(f"{where(*total, col)}: {quantity(t)} is not the sum of {names} ({quantity(s)})")


def _check_training(figures: Mapping[Path_, Any], where: Any, sb: SocialBalanceSheet | None) -> None:
    for path in sorted({p[:-1] for p in figures if p[0] == "training"}):
        n, h, c = (figures.get(path + (k,), 0) for k in ("participants", "hours", "net_cost"))
        if (n or h or c) and not (n > 0 and h > 0 and c > 0 and n < h and n < c):
            raise FindingsError(
                f"{where(*path)}: with training, workers ({n}), hours ({quantity(h)}) and net cost ({quantity(c)}) must all be "
                "positive and the workers fewer than the hours and the euros"
            )
    if sb is None:
        return
    hours = _first_total(sb, "hours_worked")
    costs = _first_total(sb, "personnel_costs")
    h = sum((v for p, v in figures.items() if p[0] == "training" and p[-1] == "hours"), 0)
    if hours is not None and h and not h < hours:
        raise FindingsError(
            f"{where('training')}: {quantity(h)} training hours is not less than the {quantity(hours)} hours worked"
        )
    for kinds in (("formal",), ("informal",), ("initial",)):
        c = sum((v for p, v in figures.items() if p[:2] == ("training", kinds[0]) and p[-1] == "net_cost"), ZERO)
        if costs is not None and c and not c < costs:
            raise FindingsError(
                f"{where('training', kinds[0])}: its net cost {quantity(c)} is not less than the personnel costs {quantity(costs)}"
            )


def _first_total(sb: SocialBalanceSheet, measure: str) -> Decimal | None:
    m = getattr(sb, measure, None)
    if m is None or m.total is None:
        return None
    return m.total.values().get("total")


# ====================================================================== the register, resolved


def resolved_social_balance(d: Dossier) -> SocialBalanceSheet | None:
    """``d``'s block with the tables of its staff register (``register:``) computed in; the block
    itself without a register."""
    sb = d.social_balance
    if sb is None or not isinstance(sb, SocialBalanceSheet) or sb.staff_register is None:
        return sb
    from nbb_filing.filing.notes.social_register import read_register, register_tables

    path = d.resolve_path(sb.staff_register, "social_balance", "staff_register")
    lines = read_register(path)
    computed = register_tables(lines, d.exercise.start, d.exercise.end, path.name)
    data = sb.model_dump(exclude_none=True, exclude={"staff_register"})
    if "benefits" in computed and "total" in data.get("benefits", {}):
        raise InputError(
            f"{d.where('social_balance', 'benefits', 'total')}: the register's benefits column gives it already"
        )
    for name, value in computed.items():
        if isinstance(value, dict) and isinstance(data.get(name), dict):
            data[name] = {**data[name], **value}
        else:
            data[name] = value
    try:
        return SocialBalanceSheet.model_validate(data)
    except ValidationError as e:  # a register whose figures do not fit the block (e.g. negative costs)
        err = e.errors()[0]
        raise InputError(f"{path.name}: the computed {dotted(err['loc'])} {err['msg']}") from None


def average_fte(d: Dossier) -> dict[str, Decimal]:
    """The average number of workers in full-time equivalents (rubric 9087 of the models that have
    it) of ``d``'s social balance sheet, by period (``current``, ``previous``), computed from the
    staff register when the block names one; empty without a social balance sheet."""
    sb = resolved_social_balance(d)
    out: dict[str, Decimal] = {}
    m = getattr(sb, "average_workers", None)
    if m is None:
        return out
    for period, split in (("current", m.total), ("previous", m.previous_total)):
        total = split.values().get("total") if split is not None else None
        if total is not None:
            out[period] = total
    return out


# ====================================================================== writing


def add_social_balance_sheet(store: FactStore, d: Dossier) -> None:
    """Write ``d``'s whole social balance sheet (the register's tables computed in) into ``store``."""
    sb = resolved_social_balance(d)
    if sb is None:
        return
    if not add_social_balance(store, d, sb) or not isinstance(sb, SocialBalanceSheet):
        return
    add_social_tables(store, d, sb)


def add_social_tables(store: FactStore, d: Dossier, sb: SocialBalanceSheet) -> None:
    catalog = store.catalog
    computed = sb is not d.social_balance  # figures of a staff register: name the register, not a line

    def where(*path: str) -> str:
        if computed and d.social_balance is not None and d.social_balance.staff_register is not None:
            return f"{d.social_balance.staff_register} (computed social_balance.{'.'.join(path)})"
        return d.where("social_balance", *path)

    figures = complete(flatten(sb))
    check_tables(figures, where, sb)
    cells = load_social_cells()
    by_path = cells.by_path()
    missing: dict[Path_, int] = {}
    for path, value in figures.items():
        cell = by_path.get(path)
        if cell is None:  # pragma: no cover - the vocabulary test keeps model and data file in step
            raise InputError(f"{where(*path)}: no cell of the social balance sheet for it")
        dp = cell.resolve(catalog)
        if dp is None:
            key = path[:1] if path[0].endswith("_staff") else path[:2]
            missing[key] = missing.get(key, 0) + 1
            continue
        if value == 0:
            continue
        value = Decimal(value)
        why = check_value(catalog.metric_type(dp), value)
        if why:
            raise InputError(f"{where(*path)}: {dp.rubric or '.'.join(path)} {why}")
        store.add(dp, value, where(*path))
    for key, n in missing.items():
        store.left_out.append(
            f"{where(*key)}: model {catalog.model} has no cells for it ({n} figure{'s' if n > 1 else ''} not written)"
        )
    _add_committees(store, d, sb, cells)


def _add_committees(store: FactStore, d: Dossier, sb: SocialBalanceSheet, cells: SocialCells) -> None:
    if not sb.joint_committees:
        return
    dp = cells.committee_cell(store.catalog)
    if dp is None:
        store.left_out.append(
            f"{d.where('social_balance', 'joint_committees')}: model {store.catalog.model} has no list of joint committees"
        )
        return
    mt = store.catalog.metric_type(dp)
    for i, given in enumerate(sb.joint_committees):
        where = d.where("social_balance", "joint_committees", i)
        # 102.01 in the NBB's spelling is the list's code 10201
        probe = given.replace(".", "") if given.replace(".", "").isdigit() else given
        try:
            value = store.enum_value(mt, probe, where)
        except InputError:
            value = store.enum_value(mt, given, where)
        store.add(dp, value, where, ((cells.committees_index, str(i + 1)),))


def table_paths() -> Iterator[Path_]:
    """Every path of the data file's cells (for the tests and the importer)."""
    return (c.path for c in load_social_cells().cells)
