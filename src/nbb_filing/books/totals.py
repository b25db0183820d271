"""Totals: the identities ``rubric = sum(sign * term)`` that give every rubric a rule does not feed.

Totals are never mapped.  They come from the package's own linear assertions (``Catalog.totals``),
plus the few totals a mapping file declares for rubrics of the smaller models that the package does
not define as a sum of the full model's rubrics (e.g. 60/61).  The same equations aggregate the full
model's figures to the abbreviated and micro models: every identity is solved forwards (total from
parts) and, when a smaller model splits a total differently (170/4 = 172/3 + 174/0), backwards (the
one missing part from the total and the other parts).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from nbb_filing.core.money import money
from nbb_filing.taxonomy.catalog import Catalog

ZERO = Decimal(0)

__all__ = ["TotalDef", "package_totals", "dedupe_totals", "model_totals", "solve_totals", "total_violations"]


@dataclass(frozen=True)
class TotalDef:
    """``rubric = sum(sign * term)``; ``origin`` is the package assertion id or the mapping file."""

    id: str
    rubric: str
    terms: tuple[tuple[int, str], ...]
    origin: str

    def formula(self) -> str:
        parts = []
        for i, (sg, code) in enumerate(self.terms):
            parts.append((code if sg > 0 else f"- {code}") if i == 0 else (f"+ {code}" if sg > 0 else f"- {code}"))
        return f"{self.rubric} = {' '.join(parts)}"


def package_totals(catalog: Catalog) -> tuple[TotalDef, ...]:
    """The linear assertions of ``catalog``'s model as totals (origin: the model and assertion id)."""
    return tuple(
        TotalDef(t.id, t.rubric, tuple(t.terms), f"{catalog.model} {t.id}") for t in getattr(catalog, "totals", ())
    )


def dedupe_totals(totals: Iterable[TotalDef]) -> list[TotalDef]:
    """Each identity once (the same rubric and terms, in any order); the first origin is kept."""
    seen: dict[tuple, TotalDef] = {}
    for t in totals:
        key = (t.rubric, tuple(sorted(t.terms)))
        seen.setdefault(key, t)
    return list(seen.values())


def solve_totals(values: dict[str, Decimal], sources: dict[str, str], totals: Sequence[TotalDef]) -> None:
    """Complete ``values`` in place with every rubric the identities ``totals`` determine.

    Forwards: a total whose terms are all known.  Backwards: a term that is the only unknown of an
    identity whose total is known (how 174/0 of the abbreviated model comes from 170/4 and 172/3).
    """
    changed = True
    while changed:
        changed = False
        for t in totals:
            unknown = [(sg, c) for sg, c in t.terms if c not in values]
            if t.rubric not in values and not unknown:
                values[t.rubric] = sum((sg * values[c] for sg, c in t.terms), ZERO)
                sources[t.rubric] = f"computed: {t.formula()}"
                changed = True
            elif t.rubric in values and len(unknown) == 1 and sum(1 for _, c in t.terms if c == unknown[0][1]) == 1:
                sg, c = unknown[0]
                rest = sum((s * values[x] for s, x in t.terms if x != c), ZERO)
                values[c] = sg * (values[t.rubric] - rest)
                sources[c] = f"computed: {c} from {t.formula()}"
                changed = True


def model_totals(full: Catalog, own: Iterable[TotalDef], target: Catalog) -> list[TotalDef]:
    """The identities that compute ``target``'s figures from the leaves of the ``full`` model: the full
    model's package totals, the mapping's ``own`` totals, then the target model's, each once."""
    return dedupe_totals([*package_totals(full), *own, *package_totals(target)])


def total_violations(values: dict[str, Decimal], totals: Sequence[TotalDef]) -> list[str]:
    """The identities of ``totals`` whose parts and total are all known but do not add up."""
    out = []
    for t in totals:
        if t.rubric in values and all(c in values for _, c in t.terms):
            got = sum((sg * values[c] for sg, c in t.terms), ZERO)
            if got != values[t.rubric]:
                out.append(f"{t.formula()} ({t.origin}) does not hold: {money(values[t.rubric])} against {money(got)}")
    return out
