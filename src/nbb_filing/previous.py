"""Last year's filing as the source of this year's previous-year column.

The NBB publishes every accepted filing.  What it shows as "current exercise" is exactly what this
year's filing must show as "previous exercise", so a dossier may name ``previous_filing:
last-year.xbrl`` instead of (or besides) a previous-year trial balance.

How a fact of last year moves to this year's previous column:

1. a current-year datapoint (``dim:prd`` = ``prd:m1``) goes to the datapoint with the same metric,
   members and typed dimensions but ``prd:m2``, when this year's model has one.  This covers the
   balance sheet, the income statement, the appropriation account and the exercise dates;
2. otherwise, for the notes on fixed assets, the NBB gives the previous year's closing value its own
   rubric code, the current code followed by ``P`` (``8199`` at the end of last year is ``8199P``
   this year, in the previous-year column), with extra members (``dim:aln``, ``dim:rut``).  The
   catalog is asked for that rubric's previous-year datapoint;
3. movements of the year (acquisitions ``8029``, depreciation recorded ``8279`` ...) have no
   previous-year cell: they are listed in :attr:`PreviousColumn.not_placed`, never silently lost.

:func:`compare` then sets those figures against the ones computed from a previous-year trial
balance; every rubric where the two disagree is one :class:`Disagreement`, and "previous-year
figures identical to those published" is true exactly when the list is empty.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Iterable

from .catalog import Catalog, Datapoint
from .errors import InputError, RubricNotFound
from .figures import Figure, RubricFigures
from .packages import PackageInfo
from .reader import FilingFacts, ReadFact, TypedValues, read_facts


@dataclass(frozen=True)
class PlacedFact:
    """A fact of last year's filing placed on a previous-year datapoint of this year's model."""

    datapoint: Datapoint  # this year's previous-year datapoint
    typed_values: TypedValues
    value: str | None  # normalised as by the reader
    source: str  # "last-year.xbrl line 1414 (rubric 9904, current year)"


@dataclass(frozen=True)
class PreviousColumn:
    """Everything this year's previous-year column can take from last year's filing."""

    filing: FilingFacts
    placed: tuple[PlacedFact, ...]
    figures: RubricFigures  # the numeric placed facts with a rubric, period "previous"
    not_placed: tuple[str, ...]  # current-year facts of last year with no previous-year cell here

    def value(self, key: str, typed_values: TypedValues = ()) -> str | None:
        for p in self.placed:
            if p.datapoint.key == key and p.typed_values == typed_values:
                return p.value
        return None


@dataclass(frozen=True)
class Disagreement:
    """A rubric whose previous-year amount differs between the published filing and the trial balance."""

    rubric: str
    published: Decimal | None  # from last year's filing (None: not reported, reads as zero)
    computed: Decimal | None  # from the previous-year trial balance (None: no figure)
    published_source: str
    computed_source: str

    @property
    def difference(self) -> Decimal:
        return (self.computed or Decimal(0)) - (self.published or Decimal(0))

    def describe(self) -> str:
        pub = "not reported" if self.published is None else str(self.published)
        comp = "no figure" if self.computed is None else str(self.computed)
        return (
            f"rubric {self.rubric} (previous year): published {pub}, trial balance gives {comp} "
            f"(difference {self.difference})"
        )


def _with_period(members: Iterable[tuple[str, str]], new: str) -> tuple[tuple[str, str], ...]:
    return tuple((d, new if d == "dim:prd" else m) for d, m in members)


def _previous_member(catalog: Catalog) -> tuple[str, str] | None:
    """The (current, previous) members of ``dim:prd`` as the catalog uses them."""
    cur = next((dp.member("dim:prd") for dp in catalog.datapoints if dp.period == "current"), None)
    prev = next((dp.member("dim:prd") for dp in catalog.datapoints if dp.period == "previous"), None)
    return (cur, prev) if cur and prev else None


def place_on_previous(fact: ReadFact, catalog: Catalog) -> Datapoint | None:
    """This year's previous-year datapoint for a current-year fact of last year (rules 1 and 2)."""
    dp = fact.datapoint
    if dp.period != "current":
        return None
    prd = _previous_member(catalog)
    if prd is None:
        return None
    target = catalog.resolve(dp.metric, _with_period(dp.members, prd[1]), dp.typed)
    if target is not None:
        return target
    if dp.rubric and not fact.typed_values and catalog.has_rubric(dp.rubric + "P"):
        try:
            cand = catalog.lookup(dp.rubric + "P", "previous")
        except RubricNotFound:
            return None
        if cand.metric == dp.metric and not cand.typed:
            return cand
    return None


def previous_column(
    filing_path: str | os.PathLike,
    catalog: Catalog,
    package: PackageInfo | None = None,
    *,
    filing: FilingFacts | None = None,
) -> PreviousColumn:
    """Read last year's filing and place its current-year facts on this year's previous column.

    The filing must be of the same model as ``catalog`` (a filing of another model raises
    :class:`InputError`: its rubrics live on other datapoints).  Facts the reader could not resolve
    are reported in ``not_placed`` too.
    """
    path = Path(filing_path)
    if filing is None:
        try:
            filing = read_facts(path, package, model=catalog.model, catalog=catalog)
        except InputError as e:
            raise InputError(f"previous_filing: {e}") from None
    elif filing.model != catalog.model:
        raise InputError(f"previous_filing {path}: this filing is of model {filing.model}, not {catalog.model} as expected")
    placed: list[PlacedFact] = []
    not_placed: list[str] = [f"{path.name} {u.describe()}" for u in filing.unresolved]
    figures: dict[str, Figure] = {}
    for f in filing.facts:
        if f.datapoint.period != "current":
            continue
        where = f"{path.name} line {f.source_line}"
        what = f"rubric {f.datapoint.rubric}" if f.datapoint.rubric else f.datapoint.path_label("en")
        target = place_on_previous(f, catalog)
        if target is None:
            not_placed.append(f"{where}: {what} (current year) has no previous-year datapoint in {catalog.model}")
            continue
        src = f"{where} ({what}, current year of the filing)"
        placed.append(PlacedFact(target, f.typed_values, f.value, src))
        if target.rubric and catalog.metric_type(target).numeric and not f.typed_values and f.value is not None:
            try:
                primary = catalog.lookup(target.rubric, "previous")
            except RubricNotFound:
                primary = None
            if primary is not None and primary.key == target.key:
                figures[target.rubric] = Figure(target.rubric, "previous", Decimal(f.value), src)
    return PreviousColumn(
        filing=filing,
        placed=tuple(placed),
        figures=RubricFigures(catalog.model, tuple(figures.values())),
        not_placed=tuple(not_placed),
    )


def previous_year_figures(filing_path: str | os.PathLike, catalog: Catalog, package: PackageInfo | None = None) -> RubricFigures:
    """The previous-year rubric figures that last year's filing gives this year's model."""
    return previous_column(filing_path, catalog, package).figures


def compare(published: RubricFigures, computed: RubricFigures) -> list[Disagreement]:
    """Rubrics whose previous-year amount differs between the filing and the trial balance.

    An absent figure reads as zero on both sides (the NBB omits zero rubrics), so a rubric that
    one side reports as 0 and the other omits is not a disagreement.  Ordered as the published
    figures, then the rubrics only the trial balance has.
    """
    out: list[Disagreement] = []
    codes = list(published.rubrics("previous")) + [c for c in computed.rubrics("previous") if published.get(c, "previous") is None]
    for code in codes:
        a = published.figure(code, "previous")
        b = computed.figure(code, "previous")
        if (a.amount if a else Decimal(0)) != (b.amount if b else Decimal(0)):
            out.append(
                Disagreement(
                    rubric=code,
                    published=a.amount if a else None,
                    computed=b.amount if b else None,
                    published_source=a.source if a else "",
                    computed_source=b.source if b else "",
                )
            )
    return out
