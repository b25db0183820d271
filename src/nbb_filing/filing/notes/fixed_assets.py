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

from decimal import Decimal
from typing import TYPE_CHECKING

from nbb_filing.books.note_closings import Closings, closing_values
from nbb_filing.books.notes_table import load_notes_table, split_note
from nbb_filing.filing.notes.fixed_asset_notes import (
    check_charges,
    check_movement_names,
    check_net_values,
    check_roll_forward,
    put_kinds,
    put_moves,
    sum_moves,
)
from nbb_filing.filing.store import FactStore

if TYPE_CHECKING:  # pragma: no cover
    from nbb_filing.filing.dossier import Dossier


def load_closings(dossier: Dossier) -> Closings | None:
    """The closing values of the dossier's trial balances, or None when its mapping has no such rules."""
    inp = dossier.inputs
    if not (inp.trial_balance and inp.mapping):
        return None
    from nbb_filing.books.ledger import read_trial_balance
    from nbb_filing.books.mapping_file import load_mapping

    mapping_file = dossier.mapping_path()
    assert mapping_file is not None
    mapping = load_mapping(mapping_file)
    if not mapping.fixed_assets:
        return None
    tb = dossier.resolve_path(inp.trial_balance, "inputs", "trial_balance")
    current = closing_values(mapping, read_trial_balance(tb))
    previous = None
    if inp.previous_trial_balance:
        previous = closing_values(
            mapping,
            read_trial_balance(dossier.resolve_path(inp.previous_trial_balance, "inputs", "previous_trial_balance")),
        )
    classes = frozenset(split_note(r.note)[0] for r in mapping.fixed_assets)
    return Closings(mapping.source, current, previous, classes)


# =========================================================================== facts and checks


def add_notes(store: FactStore, d: Dossier, closings: Closings | None) -> None:
    """Write the movements of ``d`` into ``store`` and check the notes.

    Runs after the rubric figures, whose balance-sheet and 630 facts it compares with.  The closing
    values are rubric figures already (:func:`with_closings`); here they are only checked.  A class
    is written per kind of asset where the model details it so (full models), else as a whole, its
    movements being then the sum of its kinds'.
    """
    catalog = store.catalog
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
            store.left_out.append(
                f"{d.where('fixed_assets', cname)}: model {catalog.model} has no fixed-asset note for {cname} assets"
            )
            continue
        if previous_known:
            done.add(cname)
        if mode == "class":
            put_moves(store, d, table, cname, None, totals[cname], ("fixed_assets", cname))
        else:
            put_kinds(store, d, table, cname, whole, per_kind, closings)
        if closings is not None and previous_known:
            # the most detailed note the model shows is checked first (its message names its cells)
            kinds: list[str | None] = []
            if per_kind:
                kinds = list(sorted({*per_kind, *(k for k in closings.kinds(cname) if k is not None)}))
            levels = [*kinds, None] if mode == "kinds" else [None, *kinds]
            for kind in levels:
                moves = totals[cname] if kind is None else per_kind.get(kind, {})
                check_roll_forward(catalog, d, table, closings, cname, kind, moves)
        elif closings is not None and d.previous_filing:
            store.left_out.append(
                f"{d.where('fixed_assets', cname)}: opening values of the {cname} note from last year's filing "
                "(previous_filing); opening + movements = closing is left to the package's assertions (validate)"
            )
        elif closings is not None:
            store.left_out.append(
                f"{d.where('fixed_assets', cname)}: no previous-year data: opening values of the {cname} note not "
                "written, movements not checked; give previous_trial_balance, previous_filing (last year's filing) "
                "or the openings as figures (8059P ...) with previous_exercise"
            )
        if closings is not None and cname in fed:
            check_net_values(store, table, closings, cname, previous_known)
    check_charges(store, d, table, done, given, totals)
