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
   previous-year cell in any model: this year's filing never shows last year's movements.  They
   are listed apart in :attr:`PreviousColumn.movements`, not among the facts that could not be
   placed (:attr:`PreviousColumn.not_placed`, which the generate report prints: a note per
   movement there would be noise, since nothing is lost).

:func:`compare` then sets those figures against the ones computed from a previous-year trial
balance; every rubric where the two disagree is one :class:`Disagreement`, and "previous-year
figures identical to those published" is true exactly when the list is empty.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from nbb_filing.books.figures import Figure, RubricFigures
from nbb_filing.books.notes_table import load_notes_table
from nbb_filing.core.errors import InputError, RubricNotFound
from nbb_filing.filing.notes.staff_figures import derived_figures
from nbb_filing.reading.reader import FilingFacts, ReadFact, TypedValues, read_facts
from nbb_filing.taxonomy.catalog import Catalog, Datapoint
from nbb_filing.taxonomy.packages import PackageInfo


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
    movements: tuple[str, ...] = ()  # fixed-asset movements of last year (never in a previous column)

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


def figure_code(catalog: Catalog, dp: Datapoint) -> str:
    """How a rubric figure reaches ``dp`` through the generator: its rubric code, or its datapoint key.

    The generator places ``figures:`` by rubric code with :meth:`Catalog.lookup`; where a rubric has
    several cells for one year under the same column heading (the replica's m82-f shows some rubrics
    in two tables) it writes the figure in each; any other cell is reached by its datapoint key
    (``figures: {"met:am1[...]": {current: 5}}``).  Cells without a year (``dim:prd`` absent) always
    go by key.
    """
    if not dp.rubric or dp.period not in ("current", "previous"):
        return dp.key
    try:
        return dp.rubric if catalog.lookup(dp.rubric, dp.period).key == dp.key else dp.key
    except RubricNotFound:
        cells = same_column_cells(catalog, dp.rubric, dp.period)
        return dp.rubric if any(c.key == dp.key for c in cells) else dp.key


def same_column_cells(catalog: Catalog, rubric: str, period: str) -> list[Datapoint]:
    """The cells the generator fills for ``rubric`` when :meth:`Catalog.lookup` finds several."""
    if not catalog.has_rubric(rubric):
        return []
    cands = [dp for dp in catalog.by_rubric(rubric) if dp.period == period and dp.rubric == rubric]
    if len(cands) > 1 and len({dp.column_label("en") for dp in cands}) == 1:
        return cands
    return []


def _as_figures(catalog: Catalog, items: list[tuple[Datapoint, Decimal, str]]) -> list[Figure]:
    """Figures of previous-year amounts: by rubric code where that reaches the cell, else by key.

    A rubric whose several same-column cells carry different amounts is given cell by cell.
    """
    groups: dict[str, list[tuple[Datapoint, Decimal, str]]] = {}
    for item in items:
        groups.setdefault(figure_code(catalog, item[0]), []).append(item)
    out: list[Figure] = []
    for code, group in groups.items():
        if len({a for _, a, _ in group}) == 1:
            out.append(Figure(code, "previous", group[0][1], group[0][2]))
        else:
            out.extend(Figure(dp.key, "previous", a, src) for dp, a, src in group)
    return out


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
        raise InputError(
            f"previous_filing {path}: this filing is of model {filing.model}, not {catalog.model} as expected"
        )
    placed: list[PlacedFact] = []
    not_placed: list[str] = [f"{path.name} {u.describe()}" for u in filing.unresolved]
    movement_keys = load_notes_table().movement_keys(catalog)
    movements: list[str] = []
    numeric: list[tuple[Datapoint, Decimal, str]] = []
    for f in filing.facts:
        if f.datapoint.period != "current":
            continue
        where = f"{path.name} line {f.source_line}"
        what = f"rubric {f.datapoint.rubric}" if f.datapoint.rubric else f.datapoint.path_label("en")
        target = place_on_previous(f, catalog)
        if target is None:
            if f.datapoint.key in movement_keys:
                movements.append(f"{where}: {what} (movement of the year)")
            else:
                not_placed.append(f"{where}: {what} (current year) has no previous-year datapoint in {catalog.model}")
            continue
        src = f"{where} ({what}, current year of the filing)"
        placed.append(PlacedFact(target, f.typed_values, f.value, src))
        if catalog.metric_type(target).numeric and not f.typed_values and f.value is not None:
            numeric.append((target, Decimal(f.value), src))
    figures = _as_figures(catalog, numeric)
    return PreviousColumn(
        filing=filing,
        placed=tuple(placed),
        figures=RubricFigures(catalog.model, tuple(figures)),
        not_placed=tuple(not_placed),
        movements=tuple(movements),
    )


def previous_year_figures(
    filing_path: str | os.PathLike, catalog: Catalog, package: PackageInfo | None = None
) -> RubricFigures:
    """The previous-year rubric figures that last year's filing gives this year's model."""
    return previous_column(filing_path, catalog, package).figures


def compare(published: RubricFigures, computed: RubricFigures) -> list[Disagreement]:
    """Rubrics whose previous-year amount differs between the filing and the trial balance.

    An absent figure reads as zero on both sides (the NBB omits zero rubrics), so a rubric that
    one side reports as 0 and the other omits is not a disagreement.  Ordered as the published
    figures, then the rubrics only the trial balance has.  Published cells given by datapoint key
    (see :func:`figure_code`) are compared only when the trial balance gives the same key: a
    mapping produces rubric codes, and such cells are not its business.
    """
    out: list[Disagreement] = []
    codes = [
        c
        for c in published.rubrics("previous")
        if "[" not in c or computed.get(c, "previous") is not None  # cells by key: only where both give one
    ]
    codes += [c for c in computed.rubrics("previous") if published.get(c, "previous") is None]
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


# ====================================================================== the dossier's previous_filing


@dataclass(frozen=True)
class PreviousFilingOutcome:
    """What ``previous_filing:`` did to a generation, for the generate report."""

    filing: Path
    column: PreviousColumn
    used: str  # "filing" (published figures written) or "trial balance" (compared only)
    disagreements: tuple[Disagreement, ...]
    identical: bool  # the answer written for "previous-year figures identical to those published"
    notes: tuple[str, ...]

    def report_lines(self) -> list[str]:
        """Human-readable lines: what was taken, and every disagreeing rubric."""
        n = len(self.column.figures.figures)
        lines = [f"previous year: {n} rubric figure(s) in {self.filing.name} (its current-year column)"]
        if self.used == "trial balance":
            if self.disagreements:
                lines.append(
                    f"previous year: the previous-year trial balance disagrees with the published filing on "
                    f"{len(self.disagreements)} rubric(s); written: trial balance; 'identical to published': no"
                )
                lines += [f"  {d.describe()}" for d in self.disagreements]
            else:
                lines.append(
                    "previous year: the previous-year trial balance agrees with the published filing on every rubric"
                )
        lines += [f"previous year: {x}" for x in self.notes]
        return lines


def _filing_role_keys(catalog: Catalog) -> dict[str, str]:
    """Datapoint keys of the generator's ``filing`` fields (exercise dates ...), by field name."""
    from nbb_filing.filing.binding import load_table

    out = {}
    role = load_table().roles.get("filing")
    for f in role.fields if role else ():
        dp = catalog.resolve(f.metric, f.members, ())
        if dp is not None:
            out[f.name] = dp.key
    return out


def apply_previous_filing(dossier, catalog: Catalog, mapped: RubricFigures | None, package: PackageInfo | None):
    """Take the previous-year column of ``dossier`` from its ``previous_filing``.

    Returns ``(dossier, figures, outcome)``: the dossier with ``previous_exercise`` filled in from
    the filing (or checked against it) and ``previous_amounts_identical`` set from the comparison
    (unless the dossier states it), the rubric figures to generate from, and the report.

    * without a previous-year trial balance, the published figures are the previous column;
    * with one, the trial balance's figures are written (they may hold restatements) and every
      rubric where they differ from the published ones is a :class:`Disagreement`; the answer to
      "previous-year figures identical to those published" is true exactly when there is none.
    Previous-year amounts the dossier gives itself (``figures:``) win over the filing's and are
    compared the same way.
    """
    where = dossier.where("previous_filing")
    path = dossier.resolve_path(dossier.previous_filing, "previous_filing")
    if not path.is_file():
        raise InputError(f"{where}: no such file {dossier.previous_filing}")
    try:
        column = previous_column(path, catalog, package)
    except InputError as e:
        raise InputError(f"{where}: {e}") from None
    notes: list[str] = list(column.not_placed)
    update = _previous_exercise(dossier, catalog, column, where, path)
    mapped_current = tuple(f for f in (mapped.figures if mapped else ()) if f.period == "current")
    used, disagreements, previous = _previous_figures(dossier, catalog, mapped, column.figures)
    identical = not disagreements
    if "previous_amounts_identical" not in dossier.model_fields_set:
        update["previous_amounts_identical"] = identical
    elif dossier.previous_amounts_identical != identical:
        notes.append(
            f"the dossier states previous_amounts_identical: {str(dossier.previous_amounts_identical).lower()}, "
            f"but the comparison says {str(identical).lower()}; the dossier's answer is written"
        )
    if update:
        if "previous_exercise" in update:
            from nbb_filing.filing.dossier_parts import Exercise

            update["previous_exercise"] = Exercise(**update["previous_exercise"])
        dossier = dossier.with_changes(**update)
    figures = RubricFigures(catalog.model, mapped_current + tuple(previous))
    outcome = PreviousFilingOutcome(path, column, used, tuple(disagreements), identical, tuple(notes))
    return dossier, figures, outcome


def _previous_exercise(dossier, catalog: Catalog, column: PreviousColumn, where: str, path: Path) -> dict:
    """The dossier update for ``previous_exercise`` (the filing's current exercise), checked against the dossier's."""
    from datetime import date as _date

    keys = _filing_role_keys(catalog)
    start = column.value(keys.get("previous_exercise_start", ""))
    end = column.value(keys.get("previous_exercise_end", ""))
    update: dict = {}
    if start and end:
        pe = (_date.fromisoformat(start), _date.fromisoformat(end))
        if dossier.previous_exercise is None:
            update["previous_exercise"] = {"start": pe[0], "end": pe[1]}
        elif (dossier.previous_exercise.start, dossier.previous_exercise.end) != pe:
            raise InputError(
                f"{where}: {path.name} covers {pe[0]} to {pe[1]}, but previous_exercise is "
                f"{dossier.previous_exercise.start} to {dossier.previous_exercise.end}"
            )
    elif dossier.previous_exercise is None:
        raise InputError(f"{where}: {path.name} has no exercise dates; give previous_exercise in the dossier")
    return update


def _previous_figures(
    dossier, catalog: Catalog, mapped: RubricFigures | None, published: RubricFigures
) -> tuple[str, list[Disagreement], tuple[Figure, ...]]:
    """``(used, disagreements, previous-year figures to write)``: the published or the trial balance's figures.

    The dossier's own previous amounts (``figures:``, ``appropriation:``) are compared as the
    trial balance's are.
    """
    own_previous = {code for code, amounts in dossier.figures.items() if amounts.previous is not None}
    own_previous |= {code for code, amounts in dossier.appropriation.items() if amounts.previous is not None}
    # figures derived from the dossier's social_balance block (9087 ...) are its own previous amounts too
    derived = {
        code: (amount, where)
        for code, period, amount, where in derived_figures(dossier, catalog)
        if period == "previous" and code not in own_previous
    }
    own_previous |= set(derived)
    mapped_previous = tuple(f for f in (mapped.figures if mapped else ()) if f.period == "previous")
    computed_figs = list(mapped_previous)
    for code in sorted(own_previous):
        if code in {f.rubric for f in computed_figs}:
            continue
        if code in derived:
            computed_figs.append(Figure(code, "previous", derived[code][0], derived[code][1]))
            continue
        amounts = dossier.figures.get(code) or dossier.appropriation.get(code)
        computed_figs.append(Figure(code, "previous", amounts.previous, dossier.where("figures", code)))
    if mapped_previous:
        used = "trial balance"
        disagreements = compare(published, RubricFigures(catalog.model, tuple(computed_figs)))
        # cells a mapping cannot reach (by datapoint key) still come from the publication
        given = {f.rubric for f in computed_figs}
        previous = mapped_previous + tuple(
            f for f in published.figures if "[" in f.rubric and f.rubric not in given and f.rubric not in own_previous
        )
    else:
        used = "filing"
        # the dossier's own previous amounts stay (generate writes them); they are compared too
        disagreements = compare(
            RubricFigures(catalog.model, tuple(f for f in published.figures if f.rubric in own_previous)),
            RubricFigures(catalog.model, tuple(computed_figs)),
        )
        previous = tuple(f for f in published.figures if f.rubric not in own_previous)
    return used, disagreements, previous
