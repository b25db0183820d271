"""Where the fixed-asset notes are written: the binding table ``data/fixed-assets.yaml``.

The notes ("état des immobilisations") show, per asset class and, in the full models, per kind of
asset, closing values (gross, revaluation, depreciation, uncalled) of both years and the movements
between them.  This table says which dictionary members carry each line; the rubric codes are read
from the catalog of the model.  It lives with the books because the mapping's ``fixed_assets:``
rules name its lines (``tangible.24.acquisition_value``), and the filing's notes write them.
"""

from __future__ import annotations

from collections.abc import Mapping as TMapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from nbb_filing.books.fixed_asset_kinds import (
    Kind,
    movement_in_roll_forward,
    opening_in_roll_forward,
    parse_kind,
    resolve_any,
    roll_forward_terms,
)
from nbb_filing.core.data_files import load_data_yaml
from nbb_filing.core.errors import InputError
from nbb_filing.taxonomy.catalog import Catalog, Datapoint

TABLE_FILE = "fixed-assets.yaml"
ZERO = Decimal(0)
PERIODS = ("current", "previous")


# =========================================================================== the binding table


@dataclass(frozen=True)
class NoteLine:
    """One line of a class's note: a closing value (``of`` is None) or a movement of one."""

    name: str
    metric: str
    members: tuple[tuple[str, str], ...]
    of: str | None = None  # movement: the closing line it moves
    sign: int = 1  # movement: its sign in the roll-forward
    net: int = 0  # closing line: its sign in the net book value
    own: tuple[tuple[str, str], ...] = ()  # the line's own members (without the note's and class's)

    @property
    def closing(self) -> bool:
        return self.of is None


@dataclass(frozen=True)
class AssetClass:
    name: str
    balance_sheet: str  # rubric code of the class on the balance sheet (21, 22/27, 28)
    lines: tuple[NoteLine, ...]
    kinds: tuple[Kind, ...] = ()  # the kinds of asset the full models detail the note by

    def line(self, name: str) -> NoteLine | None:
        return next((ln for ln in self.lines if ln.name == name), None)

    def kind(self, code: str) -> Kind | None:
        return next((k for k in self.kinds if k.code == code), None)

    @property
    def closing_lines(self) -> tuple[NoteLine, ...]:
        return tuple(ln for ln in self.lines if ln.closing)

    def movements_of(self, closing: str) -> tuple[NoteLine, ...]:
        return tuple(ln for ln in self.lines if ln.of == closing)


@dataclass(frozen=True)
class NotesTable:
    classes: TMapping[str, AssetClass]
    current: tuple[tuple[str, str], ...]
    previous: tuple[tuple[str, str], ...]
    charge_checks: tuple[TMapping[str, Any], ...]
    note: tuple[tuple[str, str], ...] = ()  # members of every cell of the notes

    def cell(
        self, catalog: Catalog, cls: str, line: str, period: str = "current", kind: str | None = None
    ) -> Datapoint | None:
        """The datapoint of ``cls.line`` (of ``kind``, else of the whole class) for ``period`` in
        ``catalog`` (None if the model lacks it).

        Only closing lines have a previous-year cell (the "P" rubric); movements are of the year.
        """
        c = self.classes[cls]
        ln = c.line(line)
        if ln is None or (period == "previous" and not ln.closing):
            return None
        extra = self.current if period == "current" else self.previous
        if kind is None:
            members = dict(ln.members)
            members.update(extra)
            return catalog.resolve(ln.metric, members.items())
        k = c.kind(kind)
        if k is None:
            return None
        dp = resolve_any(catalog, ln.metric, dict(self.note), k.member_sets, ln.own, extra)
        if dp is None and not ln.closing and ln.of is not None:
            closing = self.cell(catalog, cls, ln.of, "current", kind)
            dp = movement_in_roll_forward(catalog, closing, ln.metric, ln.own, ln.sign) if closing else None
        elif dp is None and period == "previous":
            closing = self.cell(catalog, cls, line, "current", kind)
            dp = opening_in_roll_forward(catalog, closing) if closing else None
        return dp

    def kinds_with_note(self, catalog: Catalog, cls: str) -> tuple[str, ...]:
        """Kinds of ``cls`` whose note the model has (its closing acquisition value resolves); none
        when the only cells the kinds name are the class's own (an abbreviated model's financial
        note carries the members of the first category of investee: it is the class's note)."""
        whole = self.cell(catalog, cls, "acquisition_value")
        cells = {k.code: self.cell(catalog, cls, "acquisition_value", kind=k.code) for k in self.classes[cls].kinds}
        found = {code: dp for code, dp in cells.items() if dp is not None}
        if all(whole is not None and dp.key == whole.key for dp in found.values()):
            return ()
        return tuple(found)

    def mode(self, catalog: Catalog, cls: str) -> str | None:
        """How the model gives the note of ``cls``: "kinds" (full models), "class" or None."""
        if self.kinds_with_note(catalog, cls):
            return "kinds"
        return "class" if self.cell(catalog, cls, "acquisition_value") is not None else None

    def has_class(self, catalog: Catalog, cls: str) -> bool:
        """Does the model have one note for the whole class (abbreviated and micro models)?"""
        return self.mode(catalog, cls) == "class"

    def detailed(self, catalog: Catalog, cls: str) -> bool:
        """Does the model give the class's note per kind of asset (full models)?"""
        return self.mode(catalog, cls) == "kinds"

    def levels(self, catalog: Catalog) -> list[tuple[str, str | None]]:
        """(class, kind or None) of every note the model has."""
        out: list[tuple[str, str | None]] = []
        for c in self.classes:
            mode = self.mode(catalog, c)
            if mode == "class":
                out.append((c, None))
            elif mode == "kinds":
                out += [(c, k) for k in self.kinds_with_note(catalog, c)]
        return out

    def movement_keys(self, catalog: Catalog) -> frozenset[str]:
        """Datapoint keys of the movement lines of ``catalog``'s notes (cells of the year only)."""
        return frozenset(
            dp.key
            for cname, kind in self.levels(catalog)
            for ln in self.classes[cname].lines
            if not ln.closing and (dp := self.cell(catalog, cname, ln.name, kind=kind)) is not None
        )

    def closing_notes(self) -> list[str]:
        """Every closing value a mapping rule may feed: 'class.line' and 'class.kind.line'."""
        out = []
        for c in self.classes.values():
            out += [f"{c.name}.{ln.name}" for ln in c.closing_lines]
            out += [f"{c.name}.{k.code}.{ln.name}" for k in c.kinds for ln in c.closing_lines]
        return out

    def problems(self, catalog: Catalog) -> list[str]:
        """Where the table and a model's notes disagree (for the tests): a closing line of a note
        the model has that does not resolve in both years or has no rubric, and a movement of the
        package's own roll-forward of a closing cell that no line of the table names."""
        out = []
        for cname, kind in self.levels(catalog):
            c = self.classes[cname]
            what = f"{cname}{' ' + kind if kind else ''}"
            if kind is None and not catalog.has_rubric(c.balance_sheet):
                out.append(f"{cname}: balance-sheet rubric {c.balance_sheet} is not in {catalog.model}")
            bound = {dp.rubric for ln in c.lines if (dp := self.cell(catalog, cname, ln.name, kind=kind)) is not None}
            for ln in c.closing_lines:
                for period in PERIODS:
                    dp = self.cell(catalog, cname, ln.name, period, kind)
                    if dp is None:
                        out.append(f"{what}.{ln.name} ({period} year) is not a datapoint of {catalog.model}")
                    elif not dp.rubric:
                        out.append(f"{what}.{ln.name} ({period} year) has no rubric code in {catalog.model}")
                dp = self.cell(catalog, cname, ln.name, kind=kind)
                if dp is not None:
                    for code in roll_forward_terms(catalog, dp):
                        if code not in bound:
                            out.append(f"{what}.{ln.name}: {catalog.model}'s roll-forward movement {code} is no line")
        return out


def parse_notes_table(data: TMapping[str, Any]) -> NotesTable:
    note = dict(data.get("note") or {})
    classes = {}
    for cname, c in (data.get("classes") or {}).items():
        base = dict(note)
        base.update(c.get("members") or {})
        lines = []
        for lname, raw in (c.get("lines") or {}).items():
            members = dict(base)
            members.update(raw.get("members") or {})
            of = raw.get("of")
            if of is not None and of not in (c.get("lines") or {}):
                raise InputError(f"{TABLE_FILE}: {cname}.{lname} moves an unknown line {of!r}")
            lines.append(
                NoteLine(
                    name=lname,
                    metric=str(raw.get("metric", "met:am1")),
                    members=tuple(sorted(members.items())),
                    of=of,
                    sign=int(raw.get("sign", 1)),
                    net=int(raw.get("net", 0)),
                    own=tuple(sorted((raw.get("members") or {}).items())),
                )
            )
        kinds = tuple(parse_kind(code, raw or {}) for code, raw in (c.get("kinds") or {}).items())
        classes[cname] = AssetClass(cname, str(c["balance_sheet"]), tuple(lines), kinds)
    return NotesTable(
        classes,
        tuple(sorted((data.get("current") or {}).items())),
        tuple(sorted((data.get("previous") or {}).items())),
        tuple(data.get("charge_checks") or ()),
        tuple(sorted(note.items())),
    )


def split_note(note: str) -> tuple[str, str | None, str]:
    """'class.line' -> (class, None, line); 'class.kind.line' -> (class, kind, line)."""
    parts = note.split(".")
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    cname, _, line = note.partition(".")
    return cname, None, line


@lru_cache(maxsize=1)
def load_notes_table() -> NotesTable:
    return parse_notes_table(load_data_yaml(TABLE_FILE))
