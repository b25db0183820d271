"""The validated mapping the engine works on: frozen :class:`Mapping`, :class:`Rule` and :class:`NoteRule`.

A mapping file (:mod:`nbb_filing.books.mapping_file`) becomes one :class:`Mapping`: its rules route
the accounts of a trial balance to the leaf rubrics of the family's full model.  A rule selects
accounts (:class:`~nbb_filing.books.selectors.Selector`), and only those whose closing balance is on
its ``side`` (``debit``, ``credit`` or ``either``).  That last point is the reason the engine
exists: netting accounts by prefix, as many tools do, leaves an overdrawn bank account among the
assets and a supplier in debit among the debts.  Here each *account* is routed on its own balance,
so ``55`` in debit goes to 54/58 and ``55`` in credit to 430/8.

A rule is one of four kinds:

* ``rubric``: the account's amount is added to that rubric (a leaf of the family's full model);
* ``control``: the accounts mirror a rubric computed elsewhere and must equal it (693/793, the
  result carried forward in the appropriation account, mirror rubric 14 fed by 140/141);
* ``refuse``: a non-zero balance is an error (suspense accounts 499 must be cleared);
* ``ignore``: accounts outside the balance sheet and income statement (class 0 commitments).

A ``rubric`` rule may be ``contra: true``: its accounts are deductions from an asset (409 write-downs
on trade receivables into 40, 2x9 depreciation into the fixed asset, 309 ... 379 into the stocks,
519/529/539 into the investments) or from capital (101 uncalled capital).  Its ``side`` is then the
account's *normal* side; the rule catches the account on both sides, so a contra account is always
netted into its line and never re-routed to the debts, and a balance on the other side (409 in
debit) is a finding (``contra-side``) that blocks the figures.

``sign`` turns the balance into the rubric's amount: ``debit`` means debit minus credit, ``credit``
means credit minus debit.  All rules of one rubric must agree on it, which is what makes the sum
of the balances conserved into the leaf rubrics (each rubric is oriented debit or credit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Literal, TypeVar, get_args

from nbb_filing.books.ledger import AccountLine
from nbb_filing.books.selectors import Selector
from nbb_filing.books.totals import TotalDef

__all__ = [
    "Mapping",
    "Rule",
    "NoteRule",
    "NoteRubricRule",
    "PORTIONS",
    "GROUPS",
    "Portion",
    "Group",
    "most_specific",
]


class _Selecting:
    """What both kinds of rule do with an account: match it by selector, orient its balance by ``sign``."""

    selectors: tuple[Selector, ...]
    sign: str | None

    def specificity_for(self, account: str) -> float | None:
        best = None
        for sel in self.selectors:
            if sel.matches(account):
                best = sel.specificity if best is None else max(best, sel.specificity)
        return best

    def amount(self, account: AccountLine) -> Decimal:
        return account.balance if self.sign == "debit" else -account.balance


_R = TypeVar("_R", bound=_Selecting)


def most_specific(rules: Iterable[_R], account: str) -> list[_R]:
    """The rules among ``rules`` whose selectors match ``account`` most specifically (exact > longer
    prefix > range): one, none, or several (a tie the caller reports)."""
    best: float | None = None
    winners: list[_R] = []
    for r in rules:
        spec = r.specificity_for(account)
        if spec is None:
            continue
        if best is None or spec > best:
            best, winners = spec, [r]
        elif spec == best:
            winners.append(r)
    return winners


@dataclass(frozen=True)
class Rule(_Selecting):
    id: str
    kind: str  # "rubric" | "control" | "refuse" | "ignore"
    target: str | None  # rubric code for rubric/control
    selectors: tuple[Selector, ...]
    side: str
    sign: str | None
    reason: str | None
    line: int | None
    contra: bool = False  # a deduction account: ``side`` is its normal side, it is caught on both

    def admits(self, account: AccountLine) -> bool:
        s = account.side
        return self.side == "either" or self.contra or s == "zero" or s == self.side

    def unexpected_side(self, account: AccountLine) -> bool:
        """A contra account whose balance is on the other side than its normal one (409 in debit)."""
        return self.contra and account.side not in ("zero", self.side)

    @property
    def catches(self) -> str:
        """The sides on which the rule catches accounts (a contra rule catches both)."""
        return "either" if self.contra else self.side

    @property
    def where(self) -> str:
        return f"rule '{self.id}'" + (f" (line {self.line})" if self.line else "")


@dataclass(frozen=True)
class NoteRule(_Selecting):
    """``fixed_assets:`` rule: accounts -> closing value ``note`` ("class.line" or "class.kind.line")
    of the fixed-asset notes."""

    id: str
    note: str
    selectors: tuple[Selector, ...]
    sign: str
    line: int | None

    @property
    def where(self) -> str:
        return f"fixed_assets rule '{self.id}'" + (f" (line {self.line})" if self.line else "")


#: parts of an account's balance that only the dossier knows (``debts:``), a ``notes:`` rule may take
Portion = Literal[
    "one_to_five_years",
    "over_five_years",
    "guaranteed_by_government",
    "guaranteed_by_real_securities",
    "overdue",
    "not_overdue",
]
PORTIONS: tuple[str, ...] = get_args(Portion)
#: kinds of related enterprise whose accounts the dossier lists (``group:``)
Group = Literal["affiliated", "associated", "participating"]
GROUPS: tuple[str, ...] = get_args(Group)


@dataclass(frozen=True)
class NoteRubricRule(_Selecting):
    """``notes:`` rule: accounts -> a rubric of the notes, IN ADDITION to the account's own rubric.

    The notes detail what the statements net (62 into 620 ... 624; 17 by remaining term; debts
    towards affiliated enterprises), so an account reaches its balance-sheet or income-statement
    rubric through ``rules:`` and, through these rules, one or more note rubrics.  ``portion`` takes
    only the part of the balance the dossier's ``debts:`` gives for the account (over five years,
    guaranteed, overdue ...); ``group`` catches only accounts the dossier's ``group:`` lists.
    """

    id: str
    rubric: str
    selectors: tuple[Selector, ...]
    side: str
    sign: str
    line: int | None
    portion: str | None = None
    group: str | None = None
    excluding: tuple[Selector, ...] = ()  # sub-accounts of ``selectors`` the rule leaves to another rubric

    def admits(self, account: AccountLine) -> bool:
        s = account.side
        return self.side == "either" or s == "zero" or s == self.side

    def specificity_for(self, account: str) -> float | None:
        if any(sel.matches(account) for sel in self.excluding):
            return None
        return super().specificity_for(account)

    @property
    def where(self) -> str:
        return f"notes rule '{self.id}'" + (f" (line {self.line})" if self.line else "")


@dataclass(frozen=True)
class Mapping:
    source: str  # file name for messages
    path: Path | None
    family: str
    model: str
    models: tuple[str, ...]
    description: str
    rules: tuple[Rule, ...]
    totals: tuple[TotalDef, ...]
    fixed_assets: tuple[NoteRule, ...] = ()
    notes: tuple[NoteRubricRule, ...] = ()

    def rubric_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == "rubric")

    @cached_property
    def rules_by_digit(self) -> dict[str, tuple[Rule, ...]]:
        """Rules that can match an account starting with each digit (routing a big ledger fast)."""
        out: dict[str, list[Rule]] = {d: [] for d in "0123456789"}
        for r in self.rules:
            digits: set[str] = set()
            for sel in r.selectors:
                digits.update(str(d) for d in range(int(sel.lo[0]), int(sel.hi[0]) + 1))
            for d in sorted(digits):
                out[d].append(r)
        return {d: tuple(rs) for d, rs in out.items()}
