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
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from nbb_filing.books.figures import Figure, RubricFigures
from nbb_filing.books.notes_table import load_notes_table
from nbb_filing.core.errors import InputError, RubricNotFound
from nbb_filing.core.money import money, quantity
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
    # cells of a column the model shows for the current year only (the social balance sheet's full-
    # and part-time columns: only the total has a previous-year cell); set apart like the movements
    current_only: tuple[str, ...] = ()

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
    computed_by: str = "trial balance"  # or "the dossier" (figures:, social_balance: ...)
    monetary: bool = True  # False for counts, hours and FTE (the social balance sheet): no cents shown

    @property
    def difference(self) -> Decimal:
        return (self.computed or Decimal(0)) - (self.published or Decimal(0))

    def describe(self) -> str:
        shown = money if self.monetary else quantity
        pub = "not reported" if self.published is None else shown(self.published)
        comp = "no figure" if self.computed is None else shown(self.computed)
        return (
            f"rubric {self.rubric} (previous year): published {pub}, {self.computed_by} gives {comp} "
            f"(difference {shown(self.difference)})"
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
    current_only: list[str] = []
    previous_rubrics = {dp.rubric for dp in catalog.datapoints if dp.period == "previous" and dp.rubric}
    social_current = _social_cells(catalog, "current")
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
            elif not f.typed_values and (f.datapoint.rubric in previous_rubrics or f.datapoint.key in social_current):
                # the rubric has a previous-year cell, in another column (its total): nothing is lost
                current_only.append(f"{where}: {what}, {f.datapoint.column_label('en')} (current year only)")
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
        current_only=tuple(current_only),
    )


def _social_cells(catalog: Catalog, period: str) -> set[str]:
    """Keys of every cell of the social balance sheet's first table for ``period`` (all regimes, genders)."""
    from nbb_filing.filing.notes.social_balance import load_social_table

    table = load_social_table()
    out = set()
    for measure in table.measures:
        for regime in table.regimes:
            for gender in table.genders:
                dp = table.cell(catalog, measure, regime, gender, period)
                if dp is not None:
                    out.add(dp.key)
    return out


def previous_year_figures(
    filing_path: str | os.PathLike, catalog: Catalog, package: PackageInfo | None = None
) -> RubricFigures:
    """The previous-year rubric figures that last year's filing gives this year's model."""
    return previous_column(filing_path, catalog, package).figures


def compare(published: RubricFigures, computed: RubricFigures, catalog: Catalog | None = None) -> list[Disagreement]:
    """Rubrics whose previous-year amount differs between the filing and the trial balance.

    An absent figure reads as zero on both sides (the NBB omits zero rubrics), so a rubric that
    one side reports as 0 and the other omits is not a disagreement.  Ordered as the published
    figures, then the rubrics only the trial balance has.  Published cells given by datapoint key
    (see :func:`figure_code`) are compared only when the trial balance gives the same cell: a
    mapping produces rubric codes, and such cells are not its business.

    With the ``catalog``, each figure is first taken to the cells the generator writes it to, and
    cells are compared, not codes: a mapping may name one cell by two codes (an association's
    ``(14)`` and ``14``), and a filing names it by one.
    """
    if catalog is None:
        pub: dict[str, Figure] = {}
        comp: dict[str, Figure] = {}
        for side, figures in ((pub, published), (comp, computed)):
            for f in figures.figures:
                if f.period == "previous":
                    side.setdefault(f.rubric, f)
    else:
        pub = _by_cell(catalog, published)
        comp = _by_cell(catalog, computed)
    keys = [k for k, f in pub.items() if "[" not in f.rubric or k in comp]  # cells by key: only where both give one
    keys += [k for k in comp if k not in pub]
    out: list[Disagreement] = []
    seen: set[tuple] = set()
    for key in keys:
        a, b = pub.get(key), comp.get(key)
        if (a.amount if a else Decimal(0)) == (b.amount if b else Decimal(0)):
            continue
        rubric = a.rubric if a else b.rubric if b else key
        ident = (rubric, a.amount if a else None, b.amount if b else None)
        if ident in seen:  # a rubric the package shows in two tables: one line
            continue
        seen.add(ident)
        out.append(
            Disagreement(
                rubric=rubric,
                published=a.amount if a else None,
                computed=b.amount if b else None,
                published_source=a.source if a else "",
                computed_source=b.source if b else "",
            )
        )
    return out


def _by_cell(catalog: Catalog, figures: RubricFigures) -> dict[str, Figure]:
    """The previous-year figures by the key of each cell they are written to (the first figure of a cell)."""
    out: dict[str, Figure] = {}
    for f in figures.figures:
        if f.period != "previous":
            continue
        cells = _cells(catalog, f.rubric, "previous")
        for key in [dp.key for dp in cells] or [f"rubric {f.rubric}"]:
            out.setdefault(key, f)
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
    used, disagreements, previous = _previous_figures(dossier, catalog, mapped, column)
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


def _cells(catalog: Catalog, code: str, period: str) -> list[Datapoint]:
    """The cells the generator writes a figure ``code`` to (by key, by rubric code, or same-column cells)."""
    if "[" in code:
        dp = catalog.by_key(code)
        return [dp] if dp is not None else []
    try:
        return [catalog.lookup(code, period)]
    except RubricNotFound:
        return same_column_cells(catalog, code, period)


def _own_social(dossier, catalog: Catalog) -> dict[str, tuple[Decimal, str]]:
    """The previous-year cells of the social balance sheet the dossier gives itself: key -> (amount, where)."""
    from nbb_filing.filing.notes.social_balance import load_social_table

    sb = dossier.social_balance
    if sb is None:
        return {}
    table = load_social_table()
    out: dict[str, tuple[Decimal, str]] = {}
    for name in table.measures:
        measure = getattr(sb, name, None)
        split = getattr(measure, "previous_total", None) if measure is not None else None
        if split is None:
            continue
        for gender, amount in split.values().items():
            dp = table.cell(catalog, name, "total", gender, "previous")
            if dp is not None:
                loc = ("social_balance", name, "previous_total") + (() if gender == "total" else (gender,))
                out[dp.key] = (amount, dossier.where(*loc))
    return out


def _previous_figures(
    dossier, catalog: Catalog, mapped: RubricFigures | None, column: PreviousColumn
) -> tuple[str, list[Disagreement], tuple[Figure, ...]]:
    """``(used, disagreements, previous-year figures to write)``: the published or the trial balance's figures.

    Each side is compared where it writes: the trial balance on the rubrics its mapping computes
    (an absent figure there reads as zero), the dossier on the figures and social-balance totals it
    gives itself.  Every other published cell (a note the mapping does not compute, a cell by
    datapoint key, last year's social balance sheet when the dossier gives none) is written from
    the publication: nothing to compare, so no difference is reported for it.
    """
    published = column.figures
    own_previous = {code for code, amounts in dossier.figures.items() if amounts.previous is not None}
    own_previous |= {code for code, amounts in dossier.appropriation.items() if amounts.previous is not None}
    own_social = _own_social(dossier, catalog)
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

    def cells(codes: Iterable[str]) -> set[str]:
        return {dp.key for code in codes for dp in _cells(catalog, code, "previous")}

    own_cells = cells(own_previous) | set(own_social)

    def in_cells(f: Figure, where: set[str]) -> bool:
        return f.rubric in where or any(dp.key in where for dp in _cells(catalog, f.rubric, "previous"))

    if mapped_previous:
        used = "trial balance"
        # the cells the mapping computes, in either year (a zero figure included): its business
        taken = cells({f.rubric for f in mapped.figures} if mapped else set()) | cells(own_previous) | set(own_previous)
        # (the social balance sheet the dossier gives is compared cell by cell below)
        compared = RubricFigures(catalog.model, tuple(f for f in published.figures if in_cells(f, taken)))
        disagreements = compare(compared, RubricFigures(catalog.model, tuple(computed_figs)), catalog)
        # cells a mapping cannot reach still come from the publication
        previous = mapped_previous + tuple(f for f in published.figures if not in_cells(f, taken | own_cells))
    else:
        used = "filing"
        # the dossier's own previous amounts stay (generate writes them); they are compared too
        disagreements = compare(
            RubricFigures(catalog.model, tuple(f for f in published.figures if f.rubric in own_previous)),
            RubricFigures(catalog.model, tuple(computed_figs)),
            catalog,
        )
        disagreements = [replace(d, computed_by="the dossier") for d in disagreements]
        previous = tuple(f for f in published.figures if not in_cells(f, own_cells | set(own_previous)))
    disagreements += _social_disagreements(catalog, column, own_social)
    return used, disagreements, previous


def _social_disagreements(
    catalog: Catalog, column: PreviousColumn, own: dict[str, tuple[Decimal, str]]
) -> list[Disagreement]:
    """The dossier's social-balance totals of last year against the published cells (the same cells)."""
    out = []
    published = {
        p.datapoint.key: (Decimal(p.value), p.source)
        for p in column.placed
        if p.value is not None and not p.typed_values and catalog.metric_type(p.datapoint).numeric
    }
    for key, (amount, where) in own.items():
        pub = published.get(key)
        if (pub[0] if pub else Decimal(0)) != amount:
            dp = catalog.by_key(key)
            out.append(
                Disagreement(
                    rubric=f"{dp.rubric if dp else key} ({where.rsplit('(', 1)[-1].rstrip(')')})",
                    published=pub[0] if pub else None,
                    computed=amount,
                    published_source=pub[1] if pub else "",
                    computed_source=where,
                    computed_by="the dossier",
                    monetary=dp is None or catalog.metric_type(dp).kind == "amount",
                )
            )
    return out
