"""The dossier's part of the notes that come from the books: ``debts:`` and ``group:`` (issue #20).

A closing trial balance gives each debt account's balance but not its remaining term, its
guarantees or whether it is overdue, and it does not say which customers, suppliers or current
accounts are group enterprises.  The dossier says so, per account; the mapping's ``notes:`` rules
(``portion:``, ``group:``) route it to the rubrics of the model (:mod:`nbb_filing.books.note_rubrics`).

```yaml
debts:                                   # per debt account (several loans of one account: one entry each)
  - {account: "173000", over_five_years: 20000.00, guaranteed_by_real_securities: 75000.00,
     what: "investment loan KBC, mortgage on the workshop"}
  - {account: "453000", overdue: 0}
group:                                   # account numbers or prefixes ("=440100" exact, "4401" prefix)
  affiliated: ["400100", "416100", "440100", "489100"]
  guarantees: 0.00                       # guarantees given in favour of group enterprises
```
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from pydantic import Field, field_validator

from nbb_filing.books.mapping_model import PORTIONS
from nbb_filing.books.note_rubrics import DebtPortions, NoteInputs
from nbb_filing.books.selectors import Selector
from nbb_filing.filing.dossier_parts import DossierPart, exact_decimal

__all__ = ["DebtEntry", "GroupAccounts", "note_inputs", "dossier_note_figures"]

#: the amounts a debts: entry may give (``not_overdue`` is never given: it is the rest of ``overdue``)
AMOUNTS = tuple(p for p in PORTIONS if p != "not_overdue")


#: refuses binary floats and booleans (the dossier reader gives exact decimals)
_no_float = exact_decimal("an amount")


class DebtEntry(DossierPart):
    """What the trial balance does not say of one debt account (or one loan booked in it)."""

    account: str = Field(description="the account number of the trial balance, e.g. 173000")
    one_to_five_years: Optional[Decimal] = Field(
        None, description="part falling due after one year and within five (17 accounts); default: the rest"
    )
    over_five_years: Optional[Decimal] = Field(
        None, description="part falling due after more than five years (17 accounts); default: the rest"
    )
    guaranteed_by_government: Optional[Decimal] = Field(
        None, description="part guaranteed by Belgian public authorities"
    )
    guaranteed_by_real_securities: Optional[Decimal] = Field(
        None, description="part guaranteed by real securities given or promised on the company's own assets"
    )
    overdue: Optional[Decimal] = Field(None, description="part overdue (tax and social debts, 45x)")
    what: Optional[str] = Field(None, description="free text: the loan, the lender, the guarantee")

    _amounts = field_validator(*AMOUNTS, mode="before")(_no_float)

    @field_validator("account", mode="before")
    @classmethod
    def _digits(cls, v: Any) -> Any:
        v = str(v) if isinstance(v, int) and not isinstance(v, bool) else v
        if isinstance(v, str) and not v.strip().isdigit():
            raise ValueError(f"account {v!r} is not an account number (digits only)")
        return v

    @field_validator(*AMOUNTS)
    @classmethod
    def _not_negative(cls, v: Optional[Decimal]) -> Optional[Decimal]:
        if v is not None and v < 0:
            raise ValueError("an amount of the debts note cannot be negative")
        return v


class GroupAccounts(DossierPart):
    """Accounts towards related enterprises, and what the company undertook in their favour."""

    affiliated: tuple[str, ...] = Field((), description="accounts towards affiliated enterprises (numbers or prefixes)")
    associated: tuple[str, ...] = Field((), description="accounts towards associated enterprises")
    participating: tuple[str, ...] = Field(
        (), description="accounts towards other enterprises linked by participating interests"
    )
    guarantees: Optional[Decimal] = Field(None, description="guarantees provided in favour of these enterprises")
    other_commitments: Optional[Decimal] = Field(
        None, description="other significant commitments undertaken in favour of these enterprises"
    )

    _amounts = field_validator("guarantees", "other_commitments", mode="before")(_no_float)

    @field_validator("affiliated", "associated", "participating", mode="before")
    @classmethod
    def _selectors(cls, v: Any) -> Any:
        if isinstance(v, (list, tuple)):
            out = []
            for s in v:
                s = str(s).strip()
                Selector.parse(s)  # "400100", "=400100", "4001", "400-401"
                out.append(s)
            return tuple(out)
        return v


def note_inputs(dossier: Any) -> NoteInputs | None:
    """The dossier's ``debts:`` and ``group:`` as the books' :class:`NoteInputs` (None: neither given).

    ``dossier`` is a :class:`~nbb_filing.filing.dossier.Dossier` (not imported: it imports this module)."""
    debts_in = getattr(dossier, "debts", None)
    group = getattr(dossier, "group", None)
    if debts_in is None and group is None:
        return None
    debts: dict[str, DebtPortions] | None = None
    if debts_in is not None:
        merged: dict[str, dict[str, Decimal]] = {}
        first: dict[str, int] = {}
        for i, e in enumerate(debts_in):
            first.setdefault(e.account, i)
            acc = merged.setdefault(e.account, {})
            for p in AMOUNTS:
                v = getattr(e, p)
                if v is not None:
                    acc[p] = acc.get(p, Decimal(0)) + v
        debts = {a: DebtPortions(a, amounts, dossier.where("debts", first[a])) for a, amounts in merged.items()}
    groups: dict[str, tuple[Selector, ...]] = {}
    if group is not None:
        for kind in ("affiliated", "associated", "participating"):
            sels = getattr(group, kind)
            if sels:
                groups[kind] = tuple(Selector.parse(s) for s in sels)
    return NoteInputs(debts, groups, dossier.where("group"))


def dossier_note_figures(catalog: Any, dossier: Any) -> list[Any]:
    """The amounts of these notes the dossier gives outright (``group.guarantees`` ...), as rubric
    figures of ``catalog``'s model: the first rubric of ``data/notes-from-books.yaml`` the model has."""
    from nbb_filing.books.figures import Figure
    from nbb_filing.books.note_ties import dossier_rubrics

    out = []
    for key, codes in dossier_rubrics().items():
        block, _, name = key.partition(".")
        part = getattr(dossier, block, None)
        amount = getattr(part, name, None) if part is not None else None
        if amount is None or amount == 0:
            continue
        code = next((c for c in codes if catalog.has_rubric(c)), None)
        if code is None:
            continue  # the coverage command lists what the package lacks
        out.append(Figure(code, "current", amount, dossier.where(block, name)))
    return out
