"""The social balance sheet's first table from the dossier's ``social_balance:`` block.

Why a block rather than rubric codes: the same figure sits in differently shaped tables from one
model to the next.  The abbreviated and micro models (m81-f, m87-f) show the columns full time /
part time / total with a previous-year total column; the full model (m82-f) shows those as rows,
with total / men / women columns and separate previous-year rows.  The rubric codes follow the
layout (1003 is a column in one, a row in the other), so a dossier written with codes only fits one
family.  The block names what the accountant knows (average workers, hours, costs; full time, part
time, total; men, women) and ``data/social-balance.yaml`` finds each cell by dictionary members.

Checks (one line, exit 1), mirroring the package's ``cs_`` rules so that a wrong table fails
before Arelle runs: hours and costs of full time + part time = total; the average number of
workers in full-time equivalents lies between the full-time count and full time + part time; men
+ women = total (in the dossier model itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from nbb_filing.core.data_files import load_data_yaml
from nbb_filing.core.errors import FindingsError, InputError
from nbb_filing.core.money import quantity
from nbb_filing.filing.dossier import Dossier
from nbb_filing.filing.store import FactStore
from nbb_filing.taxonomy.catalog import Catalog, Datapoint
from nbb_filing.taxonomy.values import check_value

TABLE_FILE = "social-balance.yaml"
ZERO = Decimal(0)
KEYS = ("full_time", "part_time", "total", "previous_total")


@dataclass(frozen=True)
class Measure:
    name: str
    metric: str
    members: tuple[tuple[str, str], ...]
    additive: bool
    regimes: tuple[str, ...] = ()  # the regimes the models have for it (empty: all)
    some_models: bool = False  # only some models have it (the full ones)


@dataclass(frozen=True)
class SocialTable:
    note: tuple[tuple[str, str], ...]
    optional: tuple[tuple[tuple[str, str], ...], ...]
    measures: Mapping[str, Measure]
    regimes: Mapping[str, tuple[tuple[str, str], ...]]
    genders: Mapping[str, tuple[tuple[str, str], ...]]
    periods: Mapping[str, tuple[tuple[str, str], ...]]

    def cell(self, catalog: Catalog, measure: str, regime: str, gender: str, period: str) -> Datapoint | None:
        m = self.measures[measure]
        members = dict(self.note)
        for part in (m.members, self.regimes[regime], self.genders[gender], self.periods[period]):
            members.update(part)
        dp = catalog.resolve(m.metric, members.items())
        for extra in self.optional:
            if dp is not None:
                break
            dp = catalog.resolve(m.metric, {**members, **dict(extra)}.items())
        return dp

    def problems(self, catalog: Catalog) -> list[str]:
        """Total cells a model with the table lacks (for the tests)."""
        out: list[str] = []
        if self.cell(catalog, "average_workers", "total", "total", "current") is None:
            return out
        for measure, m in self.measures.items():
            if m.some_models and self.cell(catalog, measure, "total", "total", "current") is None:
                continue
            for regime in m.regimes or tuple(self.regimes):
                if self.cell(catalog, measure, regime, "total", "current") is None:
                    out.append(f"{measure}.{regime} (current year) is not a datapoint of {catalog.model}")
            if self.cell(catalog, measure, "total", "total", "previous") is None:
                out.append(f"{measure}.previous_total is not a datapoint of {catalog.model}")
        return out


def _items(d: Mapping[str, Any] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((d or {}).items()))


def parse_social_table(data: Mapping[str, Any]) -> SocialTable:
    measures = {
        k: Measure(
            k,
            str(v["metric"]),
            _items(v.get("members")),
            bool(v.get("additive", False)),
            tuple(v.get("regimes") or ()),
            bool(v.get("some_models", False)),
        )
        for k, v in (data.get("measures") or {}).items()
    }
    return SocialTable(
        note=_items(data.get("note")),
        optional=tuple(_items(x) for x in data.get("optional") or ()),
        measures=measures,
        regimes={k: _items(v) for k, v in (data.get("regimes") or {}).items()},
        genders={k: _items(v) for k, v in (data.get("genders") or {}).items()},
        periods={k: _items(v) for k, v in (data.get("periods") or {}).items()},
    )


@lru_cache(maxsize=1)
def load_social_table() -> SocialTable:
    return parse_social_table(load_data_yaml(TABLE_FILE))


REGIME_KEYS = ("full_time", "part_time")


def measure_regimes(table: SocialTable, name: str) -> tuple[str, ...]:
    """The regimes a measure has in the models (empty: all of them)."""
    return table.measures[name].regimes


def check_social_balance(dossier: Any, sb: Any = None) -> None:
    """The consistency rules of the block (``sb``, default the dossier's own), without the taxonomy
    (see the module docstring)."""
    sb = dossier.social_balance if sb is None else sb
    if sb is None:
        return
    table = load_social_table()
    for mname, measure in table.measures.items():
        m = getattr(sb, mname, None)
        if m is None:
            continue
        where = dossier.where("social_balance", mname)
        ft = m.full_time.values() if m.full_time else {}
        pt = m.part_time.values() if m.part_time else {}
        tot = m.total.values() if m.total else {}
        for gender in ("total", "men", "women"):
            f, p, t = ft.get(gender), pt.get(gender), tot.get(gender)
            who = "" if gender == "total" else f" ({gender})"
            if measure.additive:
                if f is not None and p is not None and t is not None and f + p != t:
                    raise FindingsError(
                        f"{where}: total{who} is {quantity(t)} but full time + part time = {quantity(f)} + {quantity(p)} = {quantity(f + p)}"
                    )
            elif t is not None and f is not None and p is not None and p > 0 and not (f < t < f + p):
                raise FindingsError(
                    f"{where}: the total in full-time equivalents{who} ({quantity(t)}) must lie between the full-time "
                    f"workers ({quantity(f)}) and full time + part time ({quantity(f + p)})"
                )


def add_social_balance(store: FactStore, d: Dossier, sb: Any = None) -> bool:
    """Write the first table of ``sb`` (default: ``d``'s block) into ``store``, cell by cell;
    False when the model has no social balance sheet (reported as left out)."""
    sb = d.social_balance if sb is None else sb
    if sb is None:
        return False
    check_social_balance(d, sb)
    catalog = store.catalog
    table = load_social_table()
    if table.cell(catalog, "average_workers", "total", "total", "current") is None:
        store.left_out.append(f"{d.where('social_balance')}: model {catalog.model} has no social balance sheet")
        return False
    no_gender = False
    for mname in table.measures:
        m = getattr(sb, mname, None)
        if m is None:
            continue
        for key in KEYS:
            split = getattr(m, key)
            if split is None:
                continue
            if measure_regimes(table, mname) and key in REGIME_KEYS and key not in measure_regimes(table, mname):
                store.left_out.append(f"{d.where('social_balance', mname, key)}: the models have only its total")
                continue
            regime, period = ("total", "previous") if key == "previous_total" else (key, "current")
            where = d.where("social_balance", mname, key)
            if period == "previous" and d.previous_exercise is None:
                # a first exercise (or a dossier reused for an earlier year) has no previous column
                store.left_out.append(
                    f"{where}: no previous exercise in the dossier; not written (give previous_exercise, or "
                    "previous_filing, which gives it)"
                )
                continue
            for gender, value in split.values().items():
                dp = table.cell(catalog, mname, regime, gender, period)
                if dp is None:
                    if gender == "total":
                        store.left_out.append(f"{where}: model {catalog.model} has no cell for it")
                    else:
                        no_gender = True
                    continue
                if value == 0:
                    continue
                why = check_value(catalog.metric_type(dp), value)
                if why:
                    raise InputError(
                        f"{where}{'' if gender == 'total' else f' ({gender})'}: {dp.rubric or mname} {why}"
                    )
                store.add(dp, value, where)
                if period == "previous":
                    store.state(dp)
    if no_gender:
        store.left_out.append(
            f"{d.where('social_balance')}: model {catalog.model} shows no men/women columns; their totals are written"
        )
    return True
