"""Rubric figures: the amounts a filing reports, per NBB rubric code and period.

This is the hand-over point between the mapping engine (trial balance -> figures, in
:mod:`nbb_filing.books.mapping`) and the instance generator (figures -> XBRL facts).  It is deliberately
tiny and frozen so that both sides can code against it independently.

Sign convention: ``amount`` is expressed the way the datapoint reports it, not the way the ledger
holds it.  Most rubrics are non-negative (an asset, a charge, a debt are all reported positive);
signed rubrics such as 9904 (result of the year to appropriate) carry the sign of their meaning, so a
loss is negative and a profit positive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

PERIODS = ("current", "previous")


@dataclass(frozen=True)
class Figure:
    """One amount for one rubric and one period.

    ``source`` is provenance for people reading error messages, e.g.
    ``"tb-2024.csv: accounts 6100, 6110 via rule 'services' of mappings/without-capital.yaml"`` or
    ``"computed: 20/58 = 20 + 21/28 + 29/58"``.
    """

    rubric: str
    period: str
    amount: Decimal
    source: str = ""

    def __post_init__(self) -> None:
        if self.period not in PERIODS:
            raise ValueError(f"period must be one of {PERIODS}, not {self.period!r}")
        if not isinstance(self.amount, Decimal):
            raise TypeError(f"amount of rubric {self.rubric} must be a Decimal, not {type(self.amount).__name__}")


@dataclass(frozen=True)
class RubricFigures:
    """All figures of one model (e.g. ``m82-f``), both periods.

    At most one figure per (rubric, period).  Figures whose amount is zero may be absent: ``get``
    returns ``None`` for "no figure", and callers that need a number treat that as zero.
    """

    model: str
    figures: tuple[Figure, ...]
    _index: dict[tuple[str, str], Figure] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        index: dict[tuple[str, str], Figure] = {}
        for f in self.figures:
            key = (f.rubric, f.period)
            if key in index:
                raise ValueError(f"two figures for rubric {f.rubric} ({f.period})")
            index[key] = f
        object.__setattr__(self, "_index", index)

    def get(self, rubric: str, period: str = "current") -> Decimal | None:
        """The amount of ``rubric`` for ``period``, or ``None`` when there is no figure."""
        f = self._index.get((rubric, period))
        return None if f is None else f.amount

    def figure(self, rubric: str, period: str = "current") -> Figure | None:
        """The full :class:`Figure` (with its provenance), or ``None``."""
        return self._index.get((rubric, period))

    def rubrics(self, period: str | None = None) -> tuple[str, ...]:
        """Rubric codes having a figure (for one period, or either), in figure order, without duplicates."""
        seen: dict[str, None] = {}
        for f in self.figures:
            if period is None or f.period == period:
                seen.setdefault(f.rubric, None)
        return tuple(seen)

    def for_period(self, period: str) -> tuple[Figure, ...]:
        return tuple(f for f in self.figures if f.period == period)
