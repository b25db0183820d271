"""Which rubric of a smaller model a leaf rubric of the full model is filed under (``mapping explain --model``).

A mapping's rules target the leaf rubrics of the family's full model (752/9 in m82-f); the abbreviated
and micro models have fewer, larger rubrics (75/76B in m87-f), reached through the package's sums.  The
answer is computed by the same sums the figures are (:func:`nbb_filing.books.totals.solve_totals`): one
unit on the leaf, nothing elsewhere, and the model's rubrics that move are the ones it counts in.  The
first of them is the most detailed: the one fewest leaves reach.
"""

from __future__ import annotations

from decimal import Decimal

from nbb_filing.books.mapping_model import Mapping
from nbb_filing.books.totals import model_totals, solve_totals
from nbb_filing.taxonomy.catalog import Catalog

__all__ = ["filed_under"]


def _reached(leaf: str, leaves: set[str], totals: list, rubrics: list[str]) -> list[str]:
    values = {x: Decimal(1 if x == leaf else 0) for x in leaves}
    solve_totals(values, {}, totals)
    return [c for c in rubrics if values.get(c, 0) != 0]


def filed_under(mapping: Mapping, full: Catalog, catalog: Catalog, targets: set[str]) -> dict[str, list[str]]:
    """For each rubric of ``targets`` (leaves of ``mapping``), the rubrics of ``catalog``'s model it counts
    in, most detailed first (``[]``: none of them; a rubric the model has itself comes first)."""
    totals = model_totals(full, mapping.totals, catalog)
    leaves = {r.target for r in mapping.rubric_rules() if r.target}
    rubrics = list(catalog.rubrics())
    width: dict[str, int] = {}  # rubric of the model -> how many leaves reach it
    for leaf in leaves:
        for c in _reached(leaf, leaves, totals, rubrics):
            width[c] = width.get(c, 0) + 1
    out = {}
    for t in targets:
        reached = _reached(t, leaves | {t}, totals, rubrics)
        out[t] = sorted(reached, key=lambda c: (c != t, width.get(c, 1), rubrics.index(c)))
    return out
