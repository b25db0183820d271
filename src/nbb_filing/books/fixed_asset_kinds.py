"""Kinds of asset in the fixed-asset notes: where the full models put each kind's cells.

The abbreviated and micro models show one note per class of fixed assets (intangible, tangible,
financial); the full models show one per *kind* of asset (development costs, concessions ... land
and buildings, plant ... participating interests in affiliated enterprises ...).  Which kinds a
model has, and the cells of each, are read from the catalog: a kind's cells are those of its class
with the kind's own members in place of the class's (``data/fixed-assets.yaml``), and a movement
cell that the members alone do not name is found in the package's own roll-forward of the closing
cell (``Catalog.roll_forwards``) by its movement member, metric and sign.

This module only reads catalogs; :mod:`nbb_filing.filing.notes.fixed_assets` builds on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from nbb_filing.core.errors import RubricNotFound
from nbb_filing.taxonomy.catalog import Catalog, Datapoint

MOVEMENT_DIMENSION = "dim:mdp"
Members = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Kind:
    """One kind of asset of a class, keyed by its code (``210``, ``22``, ``280``, ``285/8`` ...)."""

    code: str
    label: str
    member_sets: tuple[Members, ...]  # alternatives tried in order; () = no note of its own
    balance_sheet: str | None = None  # rubric its net value must equal where the model has it


def parse_kind(code: str, raw: dict) -> Kind:
    mem = raw.get("members") or []
    sets = [mem] if isinstance(mem, dict) else list(mem)
    return Kind(
        code=str(code),
        label=str(raw.get("label", code)),
        member_sets=tuple(tuple(sorted(m.items())) for m in sets),
        balance_sheet=str(raw["balance_sheet"]) if raw.get("balance_sheet") is not None else None,
    )


def resolve_any(
    catalog: Catalog, metric: str, base: dict[str, str], member_sets: Iterable[Members], own: Members, extra: Members
) -> Datapoint | None:
    """The first datapoint named by ``base`` < one of ``member_sets`` < ``own`` < ``extra``."""
    for ms in member_sets:
        members = dict(base)
        members.update(ms)
        members.update(own)
        members.update(extra)
        dp = catalog.resolve(metric, members.items())
        if dp is not None:
            return dp
    return None


def movement_in_roll_forward(
    catalog: Catalog, closing: Datapoint, metric: str, own: Members, sign: int
) -> Datapoint | None:
    """The term of the package's roll-forward of ``closing`` that is the movement ``own`` names
    (same movement member, metric and sign), or None."""
    mdp = dict(own).get(MOVEMENT_DIMENSION)
    if mdp is None or not closing.rubric:
        return None
    for rf in catalog.roll_forwards:
        if rf.rubric != closing.rubric:
            continue
        for sg, code in rf.terms:
            if sg != sign:
                continue
            try:
                dp = catalog.lookup(code, "current")
            except RubricNotFound:
                continue
            if dp.metric == metric and dp.member(MOVEMENT_DIMENSION) == mdp:
                return dp
    return None


def opening_in_roll_forward(catalog: Catalog, closing: Datapoint) -> Datapoint | None:
    """The previous-year term of the package's roll-forward of ``closing`` (its opening value)."""
    for rf in catalog.roll_forwards:
        if rf.rubric != closing.rubric:
            continue
        for _, code in rf.terms:
            for dp in _cells(catalog, code):
                if dp.period == "previous":
                    return dp
    return None


def roll_forward_terms(catalog: Catalog, closing: Datapoint) -> tuple[str, ...]:
    """Rubric codes of the movements in the package's roll-forward of ``closing`` (opening excluded)."""
    out: list[str] = []
    for rf in catalog.roll_forwards:
        if rf.rubric == closing.rubric:
            out += [c for _, c in rf.terms if c != f"{closing.rubric}P"]
    return tuple(out)


def net_value_totals(
    catalog: Catalog, note_rubrics: set[str], known: dict[tuple[str, str], Decimal], period: str
) -> list[tuple[str, Decimal, str]]:
    """Totals of the package made only of closing cells of the notes (e.g. 211 = 8052 - 8122, the
    net value of a kind in the full models), computed from ``known`` {(rubric, period): amount};
    totals already known are skipped.  Returns (rubric, amount, formula) for non-zero results."""
    out = []
    for t in catalog.totals:
        if (t.rubric, period) in known or not t.terms or not all(c in note_rubrics for _, c in t.terms):
            continue
        cells = _cells(catalog, t.rubric)
        if not any(dp.period == period and catalog.metric_type(dp).kind == "amount" for dp in cells):
            continue
        amount = sum((sg * known.get((c, period), Decimal(0)) for sg, c in t.terms), Decimal(0))
        if amount:
            formula = " ".join(f"{'+' if sg > 0 else '-'} {c}" for sg, c in t.terms).lstrip("+ ")
            out.append((t.rubric, amount, f"computed: {t.rubric} = {formula} ({t.id})"))
    return out


def _cells(catalog: Catalog, code: str) -> tuple[Datapoint, ...]:
    return catalog.by_rubric(code) if catalog.has_rubric(code) else ()
