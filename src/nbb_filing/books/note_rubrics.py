"""Rubrics of the notes from the trial balance: the mapping's ``notes:`` rules, with what the dossier adds.

The notes detail what the statements net: personnel costs 62 into 620 ... 624, taxes 670/3 into the
current year's (9135, 9136, 9137) and earlier years' (9139, 9140), "of which" rubrics such as 753
(capital and interest subsidies in financial income), debts by heading and remaining term, debts
and receivables towards affiliated enterprises.  Each account keeps its rubric of the statements
(``rules:``) and, through the ``notes:`` rules, adds its amount to one or more note rubrics.

Two things a closing trial balance does not know come from the dossier, as plain data of this
module (:class:`NoteInputs`; the dossier's pydantic models live in ``filing/``):

* the **portions** of a debt account (``debts:``): how much of a 17 account falls due in one to
  five years or after five, how much is guaranteed (by public authorities, by real securities on the
  company's assets), how much of a tax or social debt is overdue (``not_overdue`` is the rest).  A
  rule with ``portion`` takes only that part; the two maturities of an account always add up to its balance (the missing one is the
  rest), so the note ties to 17 by construction and a schedule that does not is refused;
* the **group**: which accounts are towards affiliated enterprises, associated enterprises or other
  enterprises linked by participating interests (the PCMN splits them only in class 28).  A rule
  with ``group`` catches only those accounts.

Resolution: an account may feed several note rubrics (each rule adds it to its own rubric), but a
rubric takes an account once: among the rules of one rubric that catch it, the most specific
selector wins, and two at the same specificity are an error (the mapping is ambiguous).
"""

from __future__ import annotations

from collections.abc import Mapping as TMapping
from dataclasses import dataclass, field
from decimal import Decimal

from nbb_filing.books.ledger import AccountLine, TrialBalance
from nbb_filing.books.mapping_model import Mapping, NoteRubricRule, most_specific
from nbb_filing.books.selectors import Selector
from nbb_filing.core.errors import InputError

ZERO = Decimal(0)
MATURITIES = ("one_to_five_years", "over_five_years")

__all__ = ["DebtPortions", "NoteInputs", "NoteValues", "note_values", "note_targets"]


@dataclass(frozen=True)
class DebtPortions:
    """What the dossier says of one debt account (several loans in one account are summed)."""

    account: str
    amounts: TMapping[str, Decimal]  # portion -> amount given (a maturity not given is the rest)
    where: str  # "dossier.yaml line 120 (debts)"


@dataclass(frozen=True)
class NoteInputs:
    """The dossier's part of the notes from the books.

    ``debts`` is None when the dossier has no ``debts:`` block: the rules with a ``portion`` are then
    left out (the note is not written), rather than guessed; only ``not_overdue`` takes the whole
    balance (nothing is known to be overdue, and the NBB reads an absent overdue figure as zero).
    """

    debts: TMapping[str, DebtPortions] | None = None
    groups: TMapping[str, tuple[Selector, ...]] = field(default_factory=dict)
    where: str = "dossier"

    def group_of(self, account: str) -> str | None:
        kinds = [k for k, sels in self.groups.items() if any(s.matches(account) for s in sels)]
        if len(kinds) > 1:
            raise InputError(f"{self.where} (group): account {account} is listed as {' and '.join(kinds)}")
        return kinds[0] if kinds else None


@dataclass(frozen=True)
class NoteValues:
    values: dict[str, Decimal]
    sources: dict[str, str]


def note_targets(mapping: Mapping) -> dict[str, list[NoteRubricRule]]:
    """The ``notes:`` rules of ``mapping`` by the rubric they feed."""
    out: dict[str, list[NoteRubricRule]] = {}
    for r in mapping.notes:
        out.setdefault(r.rubric, []).append(r)
    return out


def _by_first_digit(targets: dict[str, list[NoteRubricRule]]) -> dict[str, dict[str, list[NoteRubricRule]]]:
    """first digit of an account -> rubric -> the rules of that rubric that can match such an account."""
    out: dict[str, dict[str, list[NoteRubricRule]]] = {}
    for rubric, rules in targets.items():
        for r in rules:
            for sel in r.selectors:
                for d in range(int(sel.lo[0]), int(sel.hi[0]) + 1):
                    lst = out.setdefault(str(d), {}).setdefault(rubric, [])
                    if r not in lst:
                        lst.append(r)
    return out


def _winner(rules: list[NoteRubricRule], a: AccountLine, inputs: NoteInputs, tb: TrialBalance) -> NoteRubricRule | None:
    candidates = (r for r in rules if r.admits(a) and (r.group is None or inputs.group_of(a.account) == r.group))
    top = most_specific(candidates, a.account)
    if not top:
        return None
    if len(top) > 1:
        raise InputError(
            f"{tb.source} line {a.line}: account {a.account} is caught by {top[0].where} and {top[1].where} "
            f"for rubric {top[0].rubric}; make one more specific"
        )
    return top[0]


def _portion(r: NoteRubricRule, a: AccountLine, amount: Decimal, debts: TMapping[str, DebtPortions]) -> Decimal:
    """The part ``r.portion`` of ``a`` (``amount`` in the rule's sign) the dossier gives."""
    assert r.portion is not None
    entry = debts.get(a.account)
    if r.portion in MATURITIES:
        given = {m: entry.amounts.get(m) for m in MATURITIES} if entry else {}
        if entry is None or all(v is None for v in given.values()):
            where = entry.where if entry else "the dossier's debts:"
            raise InputError(
                f"{where}: account {a.account} ({amount} in {r.where}) has no maturity: give one_to_five_years "
                f"and/or over_five_years (the other is the rest of the balance)"
            )
        other = next(m for m in MATURITIES if m != r.portion)
        mine, theirs = given[r.portion], given[other]
        if mine is not None and theirs is not None and mine + theirs != amount:
            raise InputError(
                f"{entry.where}: account {a.account}: one_to_five_years {given['one_to_five_years']} + "
                f"over_five_years {given['over_five_years']} is {mine + theirs}, not the balance {amount}"
            )
        part = mine if mine is not None else amount - (theirs or ZERO)
    elif r.portion == "not_overdue":  # the rest of a tax or social debt once its overdue part is set aside
        part = amount - ((entry.amounts.get("overdue") or ZERO) if entry else ZERO)
    else:
        part = (entry.amounts.get(r.portion) or ZERO) if entry else ZERO
    if part < 0 or (amount >= 0 and part > amount):
        where = entry.where if entry else "the dossier's debts:"
        raise InputError(
            f"{where}: account {a.account}: {r.portion.replace('_', ' ')} {part} is not within its balance {amount}"
        )
    return part


def note_values(mapping: Mapping, tb: TrialBalance, period: str, inputs: NoteInputs | None = None) -> NoteValues:
    """The note rubrics the ``notes:`` rules of ``mapping`` give from ``tb``.

    Every rubric a rule targets is present (zero when no account feeds it), so that the package's
    totals of the notes (8912 = 8802 + 8862 + 8892 + 8902) are computed like the statements'.  The
    rules with a ``portion`` run for the current year only, and only when the dossier has ``debts:``
    (``not_overdue`` excepted, see :class:`NoteInputs`); the rules with a ``group`` only for the accounts the dossier's ``group:`` lists.
    """
    inputs = inputs or NoteInputs()
    targets = note_targets(mapping)
    unused = [k for k in inputs.groups if not any(r.group == k for r in mapping.notes)]
    if unused:
        raise InputError(f"{inputs.where}: no notes rule of {mapping.source} has group: {', '.join(unused)}")
    if period != "current":
        # a rubric the dossier's debts: splits is a note of the year only (the debts note has no
        # previous-year column): its other rules would give a part without the rest
        targets = {k: rs for k, rs in targets.items() if not any(r.portion for r in rs)}
    values = dict.fromkeys(targets, ZERO)
    by_digit = _by_first_digit(targets)  # a big ledger meets only the rules of its accounts' class
    accounts: dict[str, dict[str, list[str]]] = {}
    portions_used: set[str] = set()
    for a in tb.accounts:
        if a.balance == 0:
            continue
        for rubric, rules in by_digit.get(a.account[:1], {}).items():
            r = _winner(rules, a, inputs, tb)
            if r is None:
                continue
            amount = r.amount(a)
            if r.portion is not None:
                if period != "current":
                    continue
                if inputs.debts is None:
                    # without debts: nothing is known to be overdue (the NBB reads an absent figure as
                    # zero), but no maturity or guarantee is guessed: those rules are left out
                    if r.portion != "not_overdue":
                        continue
                else:
                    amount = _portion(r, a, amount, inputs.debts)
                    portions_used.add(a.account)
            values[rubric] += amount
            accounts.setdefault(rubric, {}).setdefault(r.id, []).append(a.account)
    if period == "current" and inputs.debts:
        present = {a.account for a in tb.accounts if a.balance != 0}
        for acc, entry in inputs.debts.items():
            if acc not in present:
                raise InputError(f"{entry.where}: account {acc} has no balance in {tb.source}")
            if acc not in portions_used:
                raise InputError(
                    f"{entry.where}: account {acc} is caught by no notes rule with a portion in {mapping.source}"
                )
    sources = {}
    for rubric, by_rule in accounts.items():
        parts = []
        for rid, accs in by_rule.items():
            shown = ", ".join(accs[:8]) + (f" and {len(accs) - 8} more" if len(accs) > 8 else "")
            parts.append(f"accounts {shown} via notes rule '{rid}'")
        sources[rubric] = f"{tb.source}: {'; '.join(parts)} of {mapping.source}"
    return NoteValues(values, sources)
