"""Staff figures of the notes derived from the dossier's ``social_balance:`` block (issue 19).

The notes of the accounts repeat a few figures of the social balance sheet: the average number of
workers in full-time equivalents (9087) and, where the model has it, the hours actually worked
(9088).  Typed twice they drift apart, and left out the size check reports the FTE as "not in the
filing".  Which rubric repeats which measure is data (``derive:`` in ``data/completeness.yaml``);
a figure the dossier or the mapping already gives wins, and a different one is reported as a
warning rather than silently replaced.  With a ``previous_filing``, the derived previous-year
figures are the dossier's own previous amounts: compared with the published ones like ``figures:``.  9086 (workers at the closing date) needs a count the block
does not hold yet and is not derived.
"""

from __future__ import annotations

from decimal import Decimal

from nbb_filing.core.errors import RubricNotFound
from nbb_filing.filing.completeness_rules import load_rules
from nbb_filing.filing.dossier import Dossier
from nbb_filing.filing.store import FactStore
from nbb_filing.taxonomy.catalog import Catalog
from nbb_filing.taxonomy.values import check_value


def derived_figures(d: Dossier, catalog: Catalog) -> list[tuple[str, str, Decimal, str]]:
    """``(rubric, period, amount, where)`` of every figure derived from ``d``'s block that the model has
    (with its staff register's tables computed in: a register gives the current year's totals)."""
    from nbb_filing.filing.notes.social_balance_tables import resolved_social_balance

    sb = resolved_social_balance(d)
    out: list[tuple[str, str, Decimal, str]] = []
    if sb is None:
        return out
    for code, (measure_name, _title) in load_rules().derive.items():
        measure = getattr(sb, measure_name, None)
        if measure is None or not catalog.has_rubric(code):
            continue
        for key, period in (("total", "current"), ("previous_total", "previous")):
            split = getattr(measure, key, None)
            value: Decimal | None = split.values().get("total") if split is not None else None
            # a previous year exists when the dossier names it or a previous filing gives it
            if value is None or (period == "previous" and d.previous_exercise is None and not d.previous_filing):
                continue
            out.append((code, period, value, d.where("social_balance", measure_name, key)))
    return out


def add_staff_figures(store: FactStore, d: Dossier) -> None:
    """Write each derived rubric the model has from the block's totals (current and previous year)."""
    catalog = store.catalog
    for code, period, value, where in derived_figures(d, catalog):
        try:
            dp = catalog.lookup(code, period)
        except RubricNotFound:
            continue
        given = store.get(dp)
        if given is not None:
            if given.value != value:
                store.warnings.append(
                    f"{given.source} gives {given.value} for {code}, {where} gives {value}; the first is written"
                )
            continue
        if value == 0 or check_value(catalog.metric_type(dp), value):
            continue  # the block's own check (social_balance) reports a value that does not fit
        store.add(dp, value, f"{where} (derived: {code})")
