"""Rubric figures and the appropriation account, placed by rubric code and period.

Figures come from the mapping (trial balances) and from the dossier (``figures:`` and
``appropriation:``), placed with :meth:`Catalog.lookup`.  Every figure must have a datapoint in the
model and fit its type (a negative amount on a non-negative datapoint is refused, never clipped or
dropped); a dossier figure repeating a mapped rubric is refused by the store.  Figures equal to zero
are not written (an absent rubric reads as zero at the NBB); their count is reported as left out.

Where the domain surprises:

* one rubric may have several cells: ``rubric@column`` picks one by its column heading (the social
  balance sheet), a datapoint key names one outright, and a rubric some packages show in two tables
  under the same column is written in each;
* one cell may carry two rubric codes (the balance sheet's 14 is the appropriation's (14)): the
  mapping computing both is a check of one by the other;
* the appropriation account states what the general meeting decided, so where it names a rubric the
  balance sheet already carries the two must agree to the cent and one fact is written; then the
  account must tie out (:func:`tie_out`, rules from ``data/dossier-datapoints.yaml``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from nbb_filing.books.figures import RubricFigures
from nbb_filing.core.errors import FindingsError, InputError, RubricNotFound
from nbb_filing.core.money import money
from nbb_filing.filing.dossier import Dossier
from nbb_filing.filing.store import FactStore
from nbb_filing.taxonomy.catalog import Datapoint
from nbb_filing.taxonomy.values import check_value


class RubricFacts:
    """The rubric figures of one filing: mapped, stated in the dossier, and the appropriation."""

    def __init__(self, store: FactStore, dossier: Dossier) -> None:
        self.store = store
        self.catalog = store.catalog
        self.dossier = dossier

    def figure(self, rubric: str, period: str, amount: Decimal, source: str) -> None:
        if period == "previous" and self.dossier.previous_exercise is None:
            raise InputError(
                f"{source}: rubric {rubric} has a previous-year figure but the dossier has no previous_exercise: "
                "give previous_exercise: {start: ..., end: ...} (the dates of last year's exercise), or name last "
                "year's filing as previous_filing: (it gives the dates and the whole previous-year column)"
            )
        if "[" in rubric:  # a datapoint key, for rubrics shown in several columns
            dp = self.catalog.by_key(rubric)
            if dp is None:
                raise InputError(f"{source}: {rubric} is not a datapoint of model {self.catalog.model}")
            if dp.period not in (period, "none"):
                raise InputError(f"{source}: datapoint {rubric} is a {dp.period}-year cell, not {period}-year")
            cells = [dp]
        elif "@" in rubric:  # rubric@column, e.g. 1003@Total (social balance sheet)
            cells = [self._column_cell(rubric, period, source)]
        else:
            try:
                cells = [self.catalog.lookup(rubric, period)]
            except RubricNotFound as e:
                cells = self._same_column_cells(rubric, period)
                if not cells:
                    raise InputError(f"{source}: {e}") from None
        written = 0
        first_why = None
        for dp in cells:
            why = check_value(self.catalog.metric_type(dp), amount)
            if why:
                first_why = first_why or why
                continue
            self.store.add(dp, amount, source)
            written += 1
        if not written:
            raise InputError(f"{source}: rubric {rubric} ({period} year) {first_why}")
        if written < len(cells):
            self.store.left_out.append(
                f"rubric {rubric} ({period} year): {len(cells) - written} of its {len(cells)} cells refuse {money(amount)} ({first_why})"
            )

    def _column_cell(self, spec: str, period: str, source: str) -> Datapoint:
        """The cell of ``rubric@column``: the rubric's cell for ``period`` whose column heading is
        ``column`` (any language, case-insensitive) or, failing that, the only one containing it."""
        code, column = (x.strip() for x in spec.split("@", 1))
        try:
            cands = [dp for dp in self.catalog.by_rubric(code) if dp.period == period]
        except RubricNotFound as e:
            raise InputError(f"{source}: {e}") from None
        want = column.casefold()

        def heads(dp: Datapoint) -> list[str]:
            return [t.casefold() for _, t in dp.column_labels]

        exact = [dp for dp in cands if want in heads(dp)]
        found = exact or [dp for dp in cands if any(want in h for h in heads(dp))]
        if len(found) != 1:
            cols = "; ".join(dp.column_label(self.dossier.language) for dp in cands) or "none"
            how = "matches several columns" if found else "matches no column"
            raise InputError(
                f"{source}: {column!r} {how} of rubric {code} ({period} year) in model {self.catalog.model} (columns: {cols})"
            )
        return found[0]

    def _same_column_cells(self, rubric: str, period: str) -> list[Datapoint]:
        """The cells of a rubric the package shows in several tables under the same column.

        Some packages (the replica's m82-f) carry one rubric in two tables with two datapoints
        under the same column heading; the figure belongs in each.  Rubrics whose cells differ by
        column (the social balance sheet: total / men / women) stay ambiguous: give a datapoint key.
        """
        if not self.catalog.has_rubric(rubric):
            return []
        cands = [dp for dp in self.catalog.by_rubric(rubric) if dp.period == period and dp.rubric == rubric]
        if len(cands) > 1 and len({dp.column_label("en") for dp in cands}) == 1:
            return cands
        return []

    def rubric_figures(self, mapped: RubricFigures | None) -> None:
        d = self.dossier
        zero = 0
        seen: dict[str, Any] = {}
        if mapped is not None:
            for f in mapped.figures:
                if f.amount == 0:
                    zero += 1
                    continue
                if self._same_cell_again(f, seen):
                    continue
                self.figure(f.rubric, f.period, f.amount, f.source or f"mapping, rubric {f.rubric}")
        for code, amounts in d.figures.items():
            for period, amount in amounts.items():
                where = (
                    d.where("figures", code, period)
                    if d.has_line("figures", code, period)
                    else d.where("figures", code)
                )
                if amount == 0:
                    zero += 1
                    continue
                self.figure(code, period, amount, where)
        if zero:
            self.store.left_out.append(f"{zero} figure(s) equal to zero not written (an absent rubric reads as zero)")

    def _same_cell_again(self, f: Any, seen: dict[str, Any]) -> bool:
        """True when mapped figure ``f`` falls on a cell the mapping already filled under another code.

        One cell may carry two rubric codes: the balance sheet's 14 is the appropriation's (14),
        9905 is (9905).  The association mapping computes both (14x for one, 693/793 for the
        other), so the second is a check of the first: equal, the cell is written once; different,
        the trial balance contradicts itself (exit 1).  ``seen`` maps cell keys to the first figure.
        """
        if "[" in f.rubric or "@" in f.rubric:
            return False
        try:
            dp = self.catalog.lookup(f.rubric, f.period)
        except RubricNotFound:
            return False
        first = seen.setdefault(dp.key, f)
        if first is f:
            return False
        if first.amount != f.amount:
            raise FindingsError(
                f"{f.source or 'mapping'}: rubric {f.rubric} ({f.period} year) is {money(f.amount)}, but rubric "
                f"{first.rubric} of the same cell is {money(first.amount)} ({first.source or 'mapping'}); they must agree"
            )
        return True

    def appropriation(self) -> None:
        d = self.dossier
        for code, amounts in d.appropriation.items():
            for period, amount in amounts.items():
                where = d.where("appropriation", code)
                try:
                    dp = self.catalog.lookup(code, period)
                except RubricNotFound as e:
                    raise InputError(f"{where}: {e}") from None
                existing = self.store.get(dp)
                if existing is not None:
                    if existing.value != amount:
                        raise FindingsError(
                            f"{where}: appropriation {code} ({period} year) is {money(amount)} but {existing.source} "
                            f"gives {money(existing.value)}; the balance sheet is filed after appropriation, they must agree"
                        )
                    continue
                if amount == 0:
                    continue
                self.figure(code, period, amount, where)


def tie_out(store: FactStore, dossier: Dossier, checks: Iterable[Mapping[str, Any]]) -> None:
    """The appropriation account must tie out with the result and with 14/14P."""
    d = dossier
    periods = ("current", "previous") if d.previous_exercise else ("current",)
    for chk in checks:
        total = str(chk["total"])
        if "previous_of" in chk:
            got = store.amount(total, "current")
            other = str(chk["previous_of"])
            want = store.amount(other, "previous")
            if not d.previous_exercise or (got is None and want is None):
                continue
            got = got or Decimal(0)  # a 14P left at zero while last year carried a result forward is caught too
            if (want or Decimal(0)) != got:
                raise FindingsError(
                    f"{d.where('appropriation', total)}: rubric {total} ({money(got)}) must equal rubric {other} of the "
                    f"previous year ({money(want or Decimal(0))})"
                )
            continue
        for period in periods:
            failed = sum_mismatch(chk, period, store.amount)
            if failed:
                got, parts, want = failed
                raise FindingsError(
                    f"{d.where('appropriation', total) if total in d.appropriation else 'figures'}: rubric {total} "
                    f"({period} year) is {money(got)} but {parts} = {money(want)}; the appropriation does not tie out"
                )


def sum_mismatch(
    chk: Mapping[str, Any], period: str, amount: Callable[[str, str], Decimal | None]
) -> tuple[Decimal, str, Decimal] | None:
    """``(total, "9904 + 789 - 689", sum)`` when the total of a sum check differs from its sum in
    ``period``, else ``None`` (also when the total has no amount); ``amount(code, period)`` gives
    a rubric's amount, ``None`` for none (read as zero in the sum)."""
    got = amount(str(chk["total"]), period)
    if got is None:
        return None
    want = sum((amount(str(c), period) or Decimal(0) for c in chk.get("plus", ())), Decimal(0))
    want -= sum((amount(str(c), period) or Decimal(0) for c in chk.get("minus", ())), Decimal(0))
    if want == got:
        return None
    parts = " + ".join(str(c) for c in chk.get("plus", ()))
    if chk.get("minus"):
        parts += " - " + " - ".join(str(c) for c in chk["minus"])
    return got, parts, want
