"""What the notes state about the statements, where the package has no sum for it.

The package's own sums of the notes (8912 = 8802 + 8862 + 8892 + 8902, 9134 = 9135 - 9136 + 9137)
are solved and verified with every other total (:mod:`nbb_filing.books.totals`).  Some relations
of the notes to the primary statements are stated by the model but are no assertion of the package:
the debts over one year split by remaining term add up to 17, the personnel costs 620 ... 624 to 62,
an "of which" rubric (753, 6501, 653) or the guaranteed and overdue debts stay within their parent.
``data/notes-from-books.yaml`` lists them (``ties:``); :func:`note_tie_problems` checks them on any
set of rubric amounts: the figures computed from a trial balance (``generate``, ``mapping check``)
or the facts of a filing (the product rule ``notes_tie_to_statements``).
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping as TMapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from nbb_filing.core.data_files import load_data_yaml

TABLE_FILE = "notes-from-books.yaml"
ZERO = Decimal(0)

__all__ = ["Tie", "load_ties", "note_tie_problems", "dossier_rubrics"]


def _terms(items: Iterable[Any]) -> tuple[tuple[int, str], ...]:
    return tuple((-1 if str(t).startswith("-") else 1, str(t).lstrip("+-")) for t in items)


def _show(terms: tuple[tuple[int, str], ...]) -> str:
    out = ""
    for i, (sg, c) in enumerate(terms):
        out += (c if sg > 0 else f"-{c}") if i == 0 else (f" + {c}" if sg > 0 else f" - {c}")
    return out


@dataclass(frozen=True)
class Tie:
    id: str
    label: str
    note: tuple[tuple[int, str], ...]
    statement: tuple[tuple[int, str], ...]
    relation: str  # "equal" | "at_most"

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c for _, c in (*self.note, *self.statement))

    def formula(self) -> str:
        return f"{_show(self.note)} {'=' if self.relation == 'equal' else '<='} {_show(self.statement)}"


@lru_cache(maxsize=1)
def load_ties() -> tuple[Tie, ...]:
    data = load_data_yaml(TABLE_FILE)
    return tuple(
        Tie(str(t["id"]), str(t["label"]), _terms(t["note"]), _terms(t["statement"]), str(t["relation"]))
        for t in data.get("ties") or ()
    )


def dossier_rubrics() -> dict[str, tuple[str, ...]]:
    """Dossier key (``group.guarantees``) -> the rubric codes that take it, first the model has."""
    data = load_data_yaml(TABLE_FILE)
    return {str(k): tuple(str(c) for c in v) for k, v in (data.get("dossier_rubrics") or {}).items()}


def note_tie_problems(
    values: TMapping[str, Decimal], available: Iterable[str] | None = None, ties: Iterable[Tie] | None = None
) -> list[str]:
    """The ties of the notes that ``values`` (rubric -> amount; absent = zero) break.

    A tie is checked only where every code it names is ``available`` (default: the keys of
    ``values``, as computed from a trial balance) and its note side carries an amount.
    """
    have = set(values) if available is None else set(available)
    out = []
    for t in load_ties() if ties is None else ties:
        if not all(c in have for c in t.codes):
            continue
        if all(values.get(c, ZERO) == 0 for _, c in t.note):
            continue
        note = sum((sg * values.get(c, ZERO) for sg, c in t.note), ZERO)
        stmt = sum((sg * values.get(c, ZERO) for sg, c in t.statement), ZERO)
        broken = note != stmt if t.relation == "equal" else note > stmt
        if broken:
            out.append(
                f"note tie '{t.id}' ({t.formula()}) does not hold: the note gives {_show(t.note)} = {note}, "
                f"the statements {_show(t.statement)} = {stmt} ({t.label})"
            )
    return out
