"""Writing and checking the fixed-asset notes, class by class or kind by kind (see
:mod:`nbb_filing.filing.notes.fixed_assets`, whose ``add_notes`` drives these steps).

* ``put_moves`` / ``put_kinds``: the movements of the year in the cells of the model (per kind in
  the full models, the kinds summed per class in the others), and what has no place reported;
* ``check_roll_forward``: opening + movements = closing, per class and per kind;
* ``check_net_values``: the notes' net value equals the balance sheet, per class and per kind where
  the model has the kind's rubric;
* ``check_charges``: the depreciation charge (630) equals the depreciation recorded in the notes.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from nbb_filing.core.errors import FindingsError, InputError
from nbb_filing.core.money import money
from nbb_filing.filing.dossier import Dossier
from nbb_filing.filing.store import FactStore
from nbb_filing.taxonomy.catalog import Catalog

if TYPE_CHECKING:  # pragma: no cover
    from nbb_filing.books.note_closings import Closings
    from nbb_filing.books.notes_table import AssetClass, NotesTable

ZERO = Decimal(0)
PERIODS = ("current", "previous")


def check_movement_names(d: Dossier, cls: AssetClass, whole: dict, per_kind: dict) -> None:
    names = ", ".join(ln.name for ln in cls.lines if not ln.closing)
    for kind, moves in [(None, whole), *per_kind.items()]:
        if kind is not None and cls.kind(kind) is None:
            codes = ", ".join(k.code for k in cls.kinds)
            where = d.where("fixed_assets", cls.name, kind)
            raise InputError(f"{where}: {cls.name} assets have no kind {kind!r} ({codes})")
        for name in moves:
            ln = cls.line(name)
            if ln is None or ln.closing:
                loc = ("fixed_assets", cls.name, name) if kind is None else ("fixed_assets", cls.name, kind, name)
                raise InputError(f"{d.where(*loc)}: {cls.name} assets have no movement {name!r} ({names})")


def sum_moves(whole: dict[str, Decimal], per_kind: dict[str, dict[str, Decimal]]) -> dict[str, Decimal]:
    out = dict(whole)
    for moves in per_kind.values():
        for name, amount in moves.items():
            out[name] = out.get(name, ZERO) + amount
    return out


def put_moves(
    store: FactStore, d: Dossier, table: NotesTable, cname: str, kind: str | None, moves: dict, loc: tuple
) -> None:
    """Write the movements of one note (a class's, or a kind's in the full models)."""
    catalog = store.catalog
    where = d.where(*loc)
    what = f"{cname}{' ' + kind if kind else ''}"
    for name, amount in moves.items():
        if amount == 0:
            continue
        dp = table.cell(catalog, cname, name, "current", kind)
        if dp is None:
            store.left_out.append(f"{where}: model {catalog.model} has no cell for {what}.{name} (current year)")
            continue
        why = catalog.metric_type(dp).check(amount)
        if why:
            raise InputError(f"{where}: {what}.{name} ({dp.rubric}, current year) {why}")
        store.add(dp, amount, d.where(*loc, name))


def put_kinds(
    store: FactStore, d: Dossier, table: NotesTable, cname: str, whole: dict, per_kind: dict, closings: Closings | None
) -> None:
    """A class the model details per kind: each kind's movements in its note, and what has no
    place reported (movements given for the whole class; kinds without a note of their own)."""
    catalog = store.catalog
    noted = set(table.kinds_with_note(catalog, cname))
    if any(whole.values()):
        store.left_out.append(
            f"{d.where('fixed_assets', cname)}: model {catalog.model} gives the {cname} note per kind of asset "
            f"({', '.join(sorted(noted))}): movements given for the whole class not written; give them per kind"
        )
    for kind, moves in per_kind.items():
        if kind in noted:
            put_moves(store, d, table, cname, kind, moves, ("fixed_assets", cname, kind))
        elif any(moves.values()):
            store.left_out.append(
                f"{d.where('fixed_assets', cname, kind)}: model {catalog.model} has no note of its own for {cname} "
                f"{kind}: movements not written (they count in the {cname} total of the smaller models)"
            )
    if closings is None:
        return
    for kind in sorted(closings.kinds(cname), key=str):
        if kind in noted:
            continue
        lines = [
            ln.name
            for ln in table.classes[cname].closing_lines
            if any(closings.total(cname, ln.name, p, kind) for p in PERIODS)
        ]
        if lines:
            what = f"{cname} {kind}" if kind else f"{cname} (rules without a kind)"
            store.left_out.append(
                f"{closings.mapping}: model {catalog.model} has no note of its own for {what}: closing values "
                f"({', '.join(lines)}) not written"
            )


def check_roll_forward(
    catalog: Catalog, d: Dossier, table: NotesTable, closings: Closings, cname: str, kind: str | None, moves: dict
) -> None:
    """opening + movements = closing, line by line, for a class (kinds summed) or one kind."""
    cls = table.classes[cname]
    what = f"{cname} assets{' ' + kind if kind else ''}"
    loc = ("fixed_assets", cname) if kind is None else ("fixed_assets", cname, kind)
    for ln in cls.closing_lines:
        opening = closings.total(cname, ln.name, "previous", kind)
        closing = closings.total(cname, ln.name, "current", kind)
        delta = sum((m.sign * moves.get(m.name, ZERO) for m in cls.movements_of(ln.name)), ZERO)
        if opening + delta == closing:
            continue
        whole_in_kinds = kind is None and table.mode(catalog, cname) == "kinds"
        dp = None if whole_in_kinds else table.cell(catalog, cname, ln.name, "current", kind)
        code = f"{dp.rubric} " if dp is not None and dp.rubric else ""
        src = closings.source(cname, ln.name, "current", kind) or f"no account of {closings.mapping}"
        raise FindingsError(
            f"{d.where(*loc)}: {what}, {code}{ln.name}: {money(opening)} at the start of the year "
            f"{'+' if delta >= 0 else '-'} movements {money(abs(delta))} = {money(opening + delta)}, but the "
            f"trial balance gives {money(closing)} at the end ({src}); complete {'.'.join(loc)}"
        )


def check_net_values(store: FactStore, table: NotesTable, closings: Closings, cname: str, previous_known: bool) -> None:
    """The notes' net value is the balance sheet's: the class's, and each kind's whose rubric the model has."""
    catalog = store.catalog
    cls = table.classes[cname]
    periods = PERIODS if previous_known else ("current",)
    levels: list[tuple[str | None, str]] = [(None, cls.balance_sheet)]
    levels += [(k.code, k.balance_sheet) for k in cls.kinds if k.balance_sheet and catalog.has_rubric(k.balance_sheet)]
    fed_kinds = closings.kinds(cname)
    for kind, rubric in levels:
        if kind is not None and kind not in fed_kinds:
            continue
        for period in periods:
            net = sum((ln.net * closings.total(cname, ln.name, period, kind) for ln in cls.closing_lines), ZERO)
            bs = store.amount(rubric, period) or ZERO
            if net == bs:
                continue
            parts = " ".join(
                f"{'+' if ln.net > 0 else '-'} {ln.name} {money(closings.total(cname, ln.name, period, kind))}"
                for ln in cls.closing_lines
                if closings.total(cname, ln.name, period, kind)
            ).lstrip("+ ")
            what = f"{cname} assets{' ' + kind if kind else ''}"
            raise FindingsError(
                f"{closings.mapping}: {what} ({period} year): the notes give {money(net)} ({parts or 'nothing'}) "
                f"but balance-sheet rubric {rubric} is {money(bs)}; the fixed_assets rules must cover the accounts "
                f"of {rubric}"
            )


def check_charges(store: FactStore, d: Dossier, table: NotesTable, done: set[str], given: dict, totals: dict) -> None:
    """The depreciation charge should equal the depreciation recorded in the notes (where the
    movements were checked against both trial balances: without the previous year nothing ties
    them down).  A warning, not an error: 630 legitimately differs (formation expenses 6300 have no
    note in the smaller models; a non-recurring write-down is in the notes but in 66, not 630)."""
    catalog = store.catalog
    for chk in table.charge_checks:
        code = str(chk["rubric"])
        terms = [str(t).split(".", 1) for t in chk.get("equals", ())]
        if not catalog.has_rubric(code) or not all(c in done for c, _ in terms):
            continue
        if not any(c in given for c, _ in terms):
            continue
        parts = [(c, line, totals.get(c, {}).get(line, ZERO)) for c, line in terms]
        total = sum((x for _, _, x in parts), ZERO)
        charge = store.amount(code, "current") or ZERO
        if total != charge:  # a warning, as the NBB's own complementary (ca_) rule: both can be right
            shown = " + ".join(f"{money(x)} ({c})" for c, _, x in parts)
            store.warnings.append(
                f"{d.where('fixed_assets')}: rubric {code} (current year) is {money(charge)} but the depreciation "
                f"recorded in the notes is {shown} = {money(total)} (difference {money(charge - total)}); this is "
                f"allowed when {code} holds amortisation of formation expenses (6300, which has no note in the "
                f"smaller models) or when a write-down recorded in the notes is non-recurring (660, in 66A, not in "
                f"{code}); check the difference"
            )
