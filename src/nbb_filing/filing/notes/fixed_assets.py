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
value of the notes equals the class's balance-sheet rubric, both years.  The depreciation charge
(630) against the depreciation recorded in the notes is only a warning, as for the NBB.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from typing import Mapping as TMapping

from nbb_filing.core.data_files import load_data_yaml
from nbb_filing.core.errors import FindingsError, InputError
from nbb_filing.taxonomy.catalog import Catalog, Datapoint
from nbb_filing.taxonomy.values import check_value

if TYPE_CHECKING:  # pragma: no cover
    from nbb_filing.books.figures import Figure, RubricFigures
    from nbb_filing.books.ledger import TrialBalance
    from nbb_filing.books.mapping import Mapping
    from nbb_filing.filing.dossier import Dossier

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

    @property
    def closing(self) -> bool:
        return self.of is None


@dataclass(frozen=True)
class AssetClass:
    name: str
    balance_sheet: str  # rubric code of the class on the balance sheet (21, 22/27, 28)
    lines: tuple[NoteLine, ...]
    detailed_by: tuple[tuple[str, str], ...] = ()  # members whose presence means a detailed (full-model) note

    def line(self, name: str) -> NoteLine | None:
        return next((ln for ln in self.lines if ln.name == name), None)

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

    def cell(self, catalog: Catalog, cls: str, line: str, period: str = "current") -> Datapoint | None:
        """The datapoint of ``cls.line`` for ``period`` in ``catalog`` (None if the model lacks it).

        Only closing lines have a previous-year cell (the "P" rubric); movements are of the year.
        """
        ln = self.classes[cls].line(line)
        if ln is None or (period == "previous" and not ln.closing):
            return None
        extra = self.current if period == "current" else self.previous
        members = dict(ln.members)
        members.update(extra)
        return catalog.resolve(ln.metric, members.items())

    def movement_keys(self, catalog: Catalog) -> frozenset[str]:
        """Datapoint keys of the movement lines of ``catalog``'s notes (cells of the year only)."""
        return frozenset(
            dp.key
            for c in self.classes.values()
            for ln in c.lines
            if not ln.closing and (dp := self.cell(catalog, c.name, ln.name)) is not None
        )

    def has_class(self, catalog: Catalog, cls: str) -> bool:
        """A model has the note of a class when it has the class's closing acquisition value
        and does not detail the note further (see ``detailed_by``)."""
        return self.cell(catalog, cls, "acquisition_value") is not None and not self.detailed(catalog, cls)

    def detailed(self, catalog: Catalog, cls: str) -> bool:
        """Does the model detail the class's note (e.g. financial assets by relation in a full model)?"""
        c = self.classes[cls]
        if not c.detailed_by:
            return False
        ln = c.line("acquisition_value")
        members = dict(ln.members)  # type: ignore[union-attr]
        members.update(self.current)
        members.update(c.detailed_by)
        return catalog.resolve(ln.metric, members.items()) is not None  # type: ignore[union-attr]

    def problems(self, catalog: Catalog) -> list[str]:
        """Lines that do not resolve in a model that has the class's note (for the tests)."""
        out = []
        for c in self.classes.values():
            if not self.has_class(catalog, c.name):
                continue
            if not catalog.has_rubric(c.balance_sheet):
                out.append(f"{c.name}: balance-sheet rubric {c.balance_sheet} is not in {catalog.model}")
            for ln in c.lines:
                for period in PERIODS if ln.closing else ("current",):
                    dp = self.cell(catalog, c.name, ln.name, period)
                    if dp is None:
                        out.append(f"{c.name}.{ln.name} ({period} year) is not a datapoint of {catalog.model}")
                    elif not dp.rubric:
                        out.append(f"{c.name}.{ln.name} ({period} year) has no rubric code in {catalog.model}")
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
                )
            )
        classes[cname] = AssetClass(
            cname, str(c["balance_sheet"]), tuple(lines), tuple(sorted((c.get("detailed_by") or {}).items()))
        )
    return NotesTable(
        classes,
        tuple(sorted((data.get("current") or {}).items())),
        tuple(sorted((data.get("previous") or {}).items())),
        tuple(data.get("charge_checks") or ()),
    )


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


def check_note_rules(mapping: "Mapping", table: NotesTable | None = None) -> None:
    """Every ``fixed_assets:`` rule of ``mapping`` names a closing line of the table."""
    table = table or load_notes_table()
    for r in mapping.fixed_assets:
        cname, _, lname = r.note.partition(".")
        cls = table.classes.get(cname)
        ln = cls.line(lname) if cls else None
        if ln is None or not ln.closing:
            choices = ", ".join(f"{c.name}.{x.name}" for c in table.classes.values() for x in c.closing_lines)
            raise InputError(f"{mapping.source}: {r.where}: {r.note!r} is not a closing line of the notes ({choices})")


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
    from nbb_filing.books.ledger import read_trial_balance
    from nbb_filing.books.mapping import load_mapping

    mapping = load_mapping(dossier.resolve_path(inp.mapping))
    if not mapping.fixed_assets:
        return None
    current = closing_values(mapping, read_trial_balance(dossier.resolve_path(inp.trial_balance)))
    previous = None
    if inp.previous_trial_balance:
        previous = closing_values(mapping, read_trial_balance(dossier.resolve_path(inp.previous_trial_balance)))
    classes = frozenset(r.note.split(".", 1)[0] for r in mapping.fixed_assets)
    return Closings(mapping.source, current, previous, classes)


def closing_figures(catalog: Catalog, closings: Closings) -> list["Figure"]:
    """The closing values as rubric figures of ``catalog`` (8059, 8059P ...), for the classes the
    model has, so that they travel with the other trial-balance figures (the previous-filing
    comparison included) and are written by the same code."""
    from nbb_filing.books.figures import Figure

    table = load_notes_table()
    out = []
    for cname, cls in table.classes.items():
        if cname not in closings.classes or not table.has_class(catalog, cname):
            continue
        for ln in cls.closing_lines:
            for period in PERIODS:
                c = closings.get(f"{cname}.{ln.name}", period)
                dp = table.cell(catalog, cname, ln.name, period)
                if c is None or c.amount == 0 or dp is None or not dp.rubric:
                    continue
                out.append(Figure(dp.rubric, period, c.amount, c.source))
    return out


def with_closings(catalog: Catalog, mapped: "RubricFigures", closings: Closings | None) -> "RubricFigures":
    """``mapped`` plus the closing values of the notes (see :func:`closing_figures`)."""
    from nbb_filing.books.figures import RubricFigures

    if closings is None:
        return mapped
    extra = closing_figures(catalog, closings)
    return RubricFigures(mapped.model, mapped.figures + tuple(extra)) if extra else mapped


# =========================================================================== facts and checks


def _fmt(x: Decimal) -> str:
    return f"{x:,.2f}"


def add_notes(builder: Any, closings: Closings | None) -> None:
    """Write the movements through ``builder`` (a ``facts._Builder``) and check the notes.

    Runs after the rubric figures, whose balance-sheet and 630 facts it compares with.  The closing
    values are rubric figures already (:func:`with_closings`); here they are only checked.
    """


    catalog: Catalog = builder.catalog
    d = builder.dossier
    table = load_notes_table()
    given = dict(d.fixed_assets.classes()) if d.fixed_assets is not None else {}
    fed = closings.classes if closings is not None else frozenset()
    previous_known = closings is not None and closings.previous is not None and d.previous_exercise is not None
    done: set[str] = set()  # classes whose note is written and whose movements are checked
    for cname, cls in table.classes.items():
        mv = given.get(cname)
        if mv is None and cname not in fed:
            continue
        where = d.where("fixed_assets", cname)
        if table.detailed(catalog, cname):
            builder.left_out.append(
                f"{where}: model {catalog.model} details the {cname} fixed-asset note further than by class; not written"
            )
            continue
        if not table.has_class(catalog, cname):
            builder.left_out.append(f"{where}: model {catalog.model} has no fixed-asset note for {cname} assets")
            continue
        if previous_known:
            done.add(cname)
        moves = dict(mv.items()) if mv is not None else {}
        for name in moves:
            if cls.line(name) is None or cls.line(name).closing:  # type: ignore[union-attr]
                names = ", ".join(ln.name for ln in cls.lines if not ln.closing)
                raise InputError(f"{d.where('fixed_assets', cname, name)}: {cname} assets have no movement {name!r} ({names})")

        def put(ln: NoteLine, period: str, amount: Decimal, source: str) -> Datapoint | None:
            dp = table.cell(catalog, cname, ln.name, period)
            if amount == 0:
                return dp
            if dp is None:
                builder.left_out.append(f"{source}: model {catalog.model} has no cell for {cname}.{ln.name} ({period} year)")
                return None
            why = check_value(catalog.metric_type(dp), amount)
            if why:
                raise InputError(f"{source}: {cname}.{ln.name} ({dp.rubric}, {period} year) {why}")
            builder.add(dp, amount, source)
            return dp

        periods = ("current", "previous") if previous_known else ("current",)
        for name, amount in moves.items():
            put(cls.line(name), "current", amount, d.where("fixed_assets", cname, name))  # type: ignore[arg-type]

        # opening + movements = closing, line by line
        if closings is not None and previous_known:
            for ln in cls.closing_lines:
                opening = closings.amount(f"{cname}.{ln.name}", "previous")
                closing = closings.amount(f"{cname}.{ln.name}", "current")
                delta = sum((m.sign * moves.get(m.name, ZERO) for m in cls.movements_of(ln.name)), ZERO)
                if opening + delta != closing:
                    dp = table.cell(catalog, cname, ln.name)
                    code = f"{dp.rubric} " if dp is not None and dp.rubric else ""
                    c = closings.get(f"{cname}.{ln.name}", "current")
                    src = c.source if c is not None else f"no account of {closings.mapping}"
                    raise FindingsError(
                        f"{where}: {cname} assets, {code}{ln.name}: {_fmt(opening)} at the start of the year "
                        f"{'+' if delta >= 0 else '-'} movements {_fmt(abs(delta))} = {_fmt(opening + delta)}, but the "
                        f"trial balance gives {_fmt(closing)} at the end ({src}); complete fixed_assets.{cname}"
                    )
        elif closings is not None:
            builder.left_out.append(
                f"{where}: no previous-year trial balance: opening values of the {cname} note not written, movements not checked"
            )

        # the notes' net value is the balance sheet's
        if closings is not None and cname in fed:
            for period in periods:
                net = sum((ln.net * closings.amount(f"{cname}.{ln.name}", period) for ln in cls.closing_lines), ZERO)
                bs = builder.amount(cls.balance_sheet, period) or ZERO
                if net != bs:
                    parts = " ".join(
                        f"{'+' if ln.net > 0 else '-'} {ln.name} {_fmt(closings.amount(f'{cname}.{ln.name}', period))}"
                        for ln in cls.closing_lines
                        if closings.amount(f"{cname}.{ln.name}", period)
                    ).lstrip("+ ")
                    raise FindingsError(
                        f"{closings.mapping}: {cname} assets ({period} year): the notes give {_fmt(net)} "
                        f"({parts or 'nothing'}) but balance-sheet rubric {cls.balance_sheet} is {_fmt(bs)}; the "
                        f"fixed_assets rules must cover the accounts of {cls.balance_sheet}"
                    )

    # the depreciation charge equals the depreciation recorded in the notes (where the movements
    # were checked against both trial balances: without the previous year nothing ties them down)
    for chk in table.charge_checks:
        code = str(chk["rubric"])
        terms = [str(t).split(".", 1) for t in chk.get("equals", ())]
        if not catalog.has_rubric(code) or not all(c in done for c, _ in terms):
            continue
        if not any(c in given for c, _ in terms):
            continue
        parts = [(c, line, getattr(given.get(c), line, None) or ZERO) for c, line in terms]
        total = sum((x for _, _, x in parts), ZERO)
        charge = builder.amount(code, "current") or ZERO
        if total != charge:  # a warning, as the NBB's own complementary (ca_) rule: both can be right
            shown = " + ".join(f"{_fmt(x)} ({c})" for c, _, x in parts)
            builder.warnings.append(
                f"{d.where('fixed_assets')}: rubric {code} (current year) is {_fmt(charge)} but the depreciation recorded "
                f"in the notes is {shown} = {_fmt(total)} (difference {_fmt(charge - total)}); this is allowed when "
                f"{code} holds amortisation of formation expenses (6300, which has no note in the smaller models) or "
                f"when a write-down recorded in the notes is non-recurring (660, in 66A, not in {code}); "
                f"check the difference"
            )
