"""The fixed-asset notes ("état des immobilisations"): closing values, movements and their checks.

Why this is its own step: the balance sheet shows fixed assets *net* (21 = gross value minus
depreciation), but the notes show the gross value, the revaluation surpluses, the depreciation or
write-downs and the uncalled amounts separately, at the end of both years, with the movements of
the year between them.  The Belgian chart (PCMN) keeps those apart in the accounts (2100 gross,
2109 depreciation ...), so:

* **closing values** come from the trial balances, through the ``fixed_assets:`` rules of the
  mapping file (an account reaches its balance-sheet rubric *and* a line of the notes); the
  previous-year trial balance gives the previous-year closing cells (the "P" rubrics, 8059P ...);
* **movements** (acquisitions, disposals, depreciation recorded ...) are not in a closing trial
  balance: the dossier states them in its ``fixed_assets:`` block, by class and movement name.

Where each line is written comes from ``data/fixed-assets.yaml`` (dictionary metric and members;
the rubric codes are read from the catalog).  Checks, each failing with one line naming the asset
class and both figures (exit 1): for every closing line, opening + movements = closing; the net
value of the notes equals the class's balance-sheet rubric, both years; and the depreciation charge
(630) equals the depreciation recorded in the notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from typing import Mapping as TMapping

from .catalog import Catalog, Datapoint
from .data_files import load_data_yaml
from .errors import InputError
from .fixed_asset_kinds import (
    Kind,
    movement_in_roll_forward,
    net_value_totals,
    opening_in_roll_forward,
    parse_kind,
    resolve_any,
    roll_forward_terms,
)
from .fixed_asset_notes import (
    check_charges,
    check_movement_names,
    check_net_values,
    check_roll_forward,
    put_kinds,
    put_moves,
    sum_moves,
)

if TYPE_CHECKING:  # pragma: no cover
    from .dossier import Dossier
    from .figures import Figure, RubricFigures
    from .ledger import TrialBalance
    from .mapping import Mapping

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


# =========================================================================== closing values


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


def check_note_rules(mapping: "Mapping", table: NotesTable | None = None) -> None:
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


def closing_values(mapping: "Mapping", tb: "TrialBalance") -> dict[str, Closing]:
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
        scored = [(r.specificity_for(a.account), r) for r in mapping.fixed_assets]
        scored = [(s, r) for s, r in scored if s is not None]
        if not scored:
            continue
        best = max(s for s, _ in scored)
        top = [r for s, r in scored if s == best]
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


def load_closings(dossier: "Dossier") -> Closings | None:
    """The closing values of the dossier's trial balances, or None when its mapping has no such rules."""
    inp = dossier.inputs
    if not (inp.trial_balance and inp.mapping):
        return None
    from .ledger import read_trial_balance
    from .mapping import load_mapping

    mapping = load_mapping(dossier.resolve_path(inp.mapping))
    if not mapping.fixed_assets:
        return None
    current = closing_values(mapping, read_trial_balance(dossier.resolve_path(inp.trial_balance)))
    previous = None
    if inp.previous_trial_balance:
        previous = closing_values(mapping, read_trial_balance(dossier.resolve_path(inp.previous_trial_balance)))
    classes = frozenset(split_note(r.note)[0] for r in mapping.fixed_assets)
    return Closings(mapping.source, current, previous, classes)


def closing_figures(catalog: Catalog, closings: Closings) -> list["Figure"]:
    """The closing values as rubric figures of ``catalog`` (8059, 8059P ... for a class's note;
    8051, 8191, 8391 ... per kind of asset in the full models), so that they travel with the other
    trial-balance figures (the previous-filing comparison included) and are written by the same
    code.  A class's note takes the sum of its kinds' closing values."""
    from .figures import Figure

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


def with_closings(catalog: Catalog, mapped: "RubricFigures", closings: Closings | None) -> "RubricFigures":
    """``mapped`` plus the closing values of the notes (see :func:`closing_figures`) and the
    package's totals made of them alone (the net value of each kind in the full models, 211 =
    8052 - 8122 ...)."""
    from .figures import Figure, RubricFigures

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


# =========================================================================== facts and checks


def add_notes(builder: Any, closings: Closings | None) -> None:
    """Write the movements through ``builder`` (a ``facts._Builder``) and check the notes.

    Runs after the rubric figures, whose balance-sheet and 630 facts it compares with.  The closing
    values are rubric figures already (:func:`with_closings`); here they are only checked.  A class
    is written per kind of asset where the model details it so (full models), else as a whole, its
    movements being then the sum of its kinds'.
    """
    catalog: Catalog = builder.catalog
    d = builder.dossier
    table = load_notes_table()
    given = dict(d.fixed_assets.classes()) if d.fixed_assets is not None else {}
    fed = closings.classes if closings is not None else frozenset()
    previous_known = closings is not None and closings.previous is not None and d.previous_exercise is not None
    done: set[str] = set()  # classes whose note is written and whose movements are checked
    totals: dict[str, dict[str, Decimal]] = {}  # class -> movement -> amount (kinds summed)
    for cname, cls in table.classes.items():
        mv = given.get(cname)
        if mv is None and cname not in fed:
            continue
        per_kind = {k: dict(x.items()) for k, x in mv.by_kind.items()} if mv is not None else {}
        whole = dict(mv.items()) if mv is not None else {}
        check_movement_names(d, cls, whole, per_kind)
        totals[cname] = sum_moves(whole, per_kind)
        mode = table.mode(catalog, cname)
        if mode is None:
            builder.left_out.append(
                f"{d.where('fixed_assets', cname)}: model {catalog.model} has no fixed-asset note for {cname} assets"
            )
            continue
        if previous_known:
            done.add(cname)
        if mode == "class":
            put_moves(builder, table, cname, None, totals[cname], ("fixed_assets", cname))
        else:
            put_kinds(builder, table, cname, whole, per_kind, closings)
        if closings is not None and previous_known:
            # the most detailed note the model shows is checked first (its message names its cells)
            kinds: list[str | None] = []
            if per_kind:
                kinds = sorted({*per_kind, *(k for k in closings.kinds(cname) if k is not None)})
            levels = [*kinds, None] if mode == "kinds" else [None, *kinds]
            for kind in levels:
                moves = totals[cname] if kind is None else per_kind.get(kind, {})
                check_roll_forward(builder, table, closings, cname, kind, moves)
        elif closings is not None:
            builder.left_out.append(
                f"{d.where('fixed_assets', cname)}: no previous-year trial balance: opening values of the {cname} note "
                "not written, movements not checked"
            )
        if closings is not None and cname in fed:
            check_net_values(builder, table, closings, cname, previous_known)
    check_charges(builder, table, done, given, totals)
