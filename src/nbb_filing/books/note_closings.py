"""Closing values of the fixed-asset notes, from the trial balances through the mapping.

The Belgian chart keeps gross values, depreciation and revaluations apart (2100 gross, 2109
depreciation ...), so a closing trial balance gives the notes' closing lines directly; the mapping's
``fixed_assets:`` rules say which accounts make which line.  The closing values travel as rubric
figures (8059, 8059P ...; per kind 8051, 8191 ... in the full models) with the other figures.
"""

from __future__ import annotations

from collections.abc import Mapping as TMapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from nbb_filing.books.fixed_asset_kinds import net_value_totals
from nbb_filing.books.mapping_model import most_specific
from nbb_filing.books.notes_table import (
    PERIODS,
    ZERO,
    NotesTable,
    load_notes_table,
    split_note,
)
from nbb_filing.core.errors import InputError
from nbb_filing.taxonomy.catalog import Catalog

if TYPE_CHECKING:  # pragma: no cover
    from nbb_filing.books.figures import Figure, RubricFigures
    from nbb_filing.books.ledger import TrialBalance
    from nbb_filing.books.mapping_model import Mapping


@dataclass(frozen=True)
class Closing:
    """A closing value of the notes from one trial balance: ``note`` is "class.line"."""

    note: str
    amount: Decimal
    accounts: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Closings:
    """Closing values of both years (``previous`` is None without a previous trial balance)."""

    mapping: str
    current: TMapping[str, Closing]
    previous: TMapping[str, Closing] | None = None
    classes: frozenset[str] = field(default_factory=frozenset)  # classes the mapping's rules feed

    def get(self, note: str, period: str) -> Closing | None:
        values = self.current if period == "current" else self.previous
        return values.get(note) if values is not None else None

    def amount(self, note: str, period: str) -> Decimal:
        c = self.get(note, period)
        return c.amount if c is not None else ZERO

    def parts(self, cls: str, line: str, period: str, kind: str | None = None) -> list[Closing]:
        """The closing values that make ``cls.line`` of ``kind`` (or of the whole class: the
        class-level rules' and every kind's)."""
        values = self.current if period == "current" else self.previous
        if values is None:
            return []
        out = []
        for note, c in values.items():
            cn, k, ln = split_note(note)
            if cn == cls and ln == line and (kind is None or k == kind):
                out.append(c)
        return out

    def total(self, cls: str, line: str, period: str, kind: str | None = None) -> Decimal:
        return sum((c.amount for c in self.parts(cls, line, period, kind)), ZERO)

    def source(self, cls: str, line: str, period: str, kind: str | None = None) -> str | None:
        parts = self.parts(cls, line, period, kind)
        return "; ".join(c.source for c in parts) if parts else None

    def kinds(self, cls: str) -> set[str | None]:
        """Kinds of ``cls`` the rules fed (None: class-level rules)."""
        return {split_note(n)[1] for v in (self.current, self.previous or {}) for n in v if split_note(n)[0] == cls}


def check_note_rules(mapping: Mapping, table: NotesTable | None = None) -> None:
    """Every ``fixed_assets:`` rule of ``mapping`` names a closing line of the table."""
    table = table or load_notes_table()
    valid = set(table.closing_notes())
    for r in mapping.fixed_assets:
        if r.note not in valid:
            choices = ", ".join(f"{c.name}[.kind].{x.name}" for c in table.classes.values() for x in c.closing_lines)
            kinds = "; ".join(f"{c.name}: {', '.join(k.code for k in c.kinds)}" for c in table.classes.values())
            raise InputError(
                f"{mapping.source}: {r.where}: {r.note!r} is not a closing line of the notes ({choices}; kinds {kinds})"
            )


def closing_values(mapping: Mapping, tb: TrialBalance) -> dict[str, Closing]:
    """Closing values of the notes from one trial balance through the mapping's ``fixed_assets:`` rules.

    Each account goes to the most specific matching rule (exact > longer prefix > range); two rules
    tied for an account with a balance are an error.  Accounts no rule matches are not in the notes.
    """
    check_note_rules(mapping)
    sums: dict[str, Decimal] = {}
    accounts: dict[str, list[str]] = {}
    rules: dict[str, list[str]] = {}
    for a in tb.accounts:
        if a.balance == 0:
            continue
        top = most_specific(mapping.fixed_assets, a.account)
        if not top:
            continue
        if len(top) > 1:
            raise InputError(
                f"{tb.source} line {a.line}: account {a.account} is caught by {top[0].where} and {top[1].where} "
                f"of {mapping.source}; make one more specific"
            )
        r = top[0]
        sums[r.note] = sums.get(r.note, ZERO) + r.amount(a)
        accounts.setdefault(r.note, []).append(a.account)
        if r.id not in rules.setdefault(r.note, []):
            rules[r.note].append(r.id)
    out = {}
    for note, amount in sums.items():
        accs = accounts[note]
        shown = ", ".join(accs[:6]) + (f" and {len(accs) - 6} more" if len(accs) > 6 else "")
        via = ", ".join(f"'{x}'" for x in rules[note])
        src = f"{tb.source}: accounts {shown} via fixed_assets rule {via} of {mapping.source}"
        out[note] = Closing(note, amount, tuple(accs), src)
    return out


def closing_figures(catalog: Catalog, closings: Closings) -> list[Figure]:
    """The closing values as rubric figures of ``catalog`` (8059, 8059P ... for a class's note;
    8051, 8191, 8391 ... per kind of asset in the full models), so that they travel with the other
    trial-balance figures (the previous-filing comparison included) and are written by the same
    code.  A class's note takes the sum of its kinds' closing values."""
    from nbb_filing.books.figures import Figure

    table = load_notes_table()
    out = []
    for cname, kind in table.levels(catalog):
        if cname not in closings.classes:
            continue
        for ln in table.classes[cname].closing_lines:
            for period in PERIODS:
                amount = closings.total(cname, ln.name, period, kind)
                dp = table.cell(catalog, cname, ln.name, period, kind)
                if amount == 0 or dp is None or not dp.rubric:
                    continue
                out.append(Figure(dp.rubric, period, amount, closings.source(cname, ln.name, period, kind) or ""))
    return out


def with_closings(catalog: Catalog, mapped: RubricFigures, closings: Closings | None) -> RubricFigures:
    """``mapped`` plus the closing values of the notes (see :func:`closing_figures`) and the
    package's totals made of them alone (the net value of each kind in the full models, 211 =
    8052 - 8122 ...)."""
    from nbb_filing.books.figures import Figure, RubricFigures

    if closings is None:
        return mapped
    extra = closing_figures(catalog, closings)
    table = load_notes_table()
    note_rubrics = {
        dp.rubric
        for cname, kind in table.levels(catalog)
        for ln in table.classes[cname].closing_lines
        for period in PERIODS
        if (dp := table.cell(catalog, cname, ln.name, period, kind)) is not None and dp.rubric
    }
    known = {(f.rubric, f.period): f.amount for f in (*mapped.figures, *extra)}
    for period in PERIODS:
        for rubric, amount, why in net_value_totals(catalog, note_rubrics, known, period):
            extra.append(Figure(rubric, period, amount, f"{why}, from the fixed-asset notes"))
    return RubricFigures(mapped.model, mapped.figures + tuple(extra)) if extra else mapped
