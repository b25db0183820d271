"""Routing the accounts of one trial balance through a mapping: where every account went.

Resolution of one account: among the rules whose side admits the account's balance, the one whose
matching selector is the most specific wins (:attr:`~nbb_filing.books.selectors.Selector.specificity`).
Two rules tied at the top are a *conflict*: the mapping is ambiguous for that account, which is
reported, never settled by the order of the rules.  Accounts with a zero balance have no side and
are not routed at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from nbb_filing.books.ledger import AccountLine, TrialBalance
from nbb_filing.books.mapping_model import Mapping, Rule, most_specific
from nbb_filing.core.money import money

ZERO = Decimal(0)

__all__ = [
    "Posting",
    "Allocation",
    "resolve_account",
    "apply_mapping",
    "wrong_side_message",
    "control_mismatches",
]


@dataclass(frozen=True)
class Posting:
    account: AccountLine
    rule: Rule
    amount: Decimal  # in the rule's sign convention


@dataclass(frozen=True)
class Allocation:
    """Where every account of one trial balance went."""

    tb: TrialBalance
    postings: tuple[Posting, ...]  # rubric rules
    controls: tuple[Posting, ...]  # control rules
    refused: tuple[Posting, ...]  # non-zero accounts caught by a refuse rule
    ignored: tuple[Posting, ...]
    unmapped: tuple[AccountLine, ...]  # non-zero accounts no rule catches
    conflicts: tuple[tuple[AccountLine, tuple[Rule, ...]], ...]
    wrong_side: tuple[Posting, ...] = ()  # contra accounts on their unexpected side (also in postings)

    def leaf_amounts(self, mapping: Mapping) -> dict[str, Decimal]:
        """Every rubric a rule targets, with the sum of its postings (zero when nothing posted)."""
        out: dict[str, Decimal] = {r.target: ZERO for r in mapping.rubric_rules() if r.target}
        for p in self.postings:
            out[p.rule.target] += p.amount  # type: ignore[index]
        return out


def resolve_account(mapping: Mapping, account: AccountLine) -> tuple[Rule, ...]:
    """The rules that catch ``account``: one, none, or several (a conflict)."""
    candidates = (r for r in mapping.rules_by_digit.get(account.account[:1], ()) if r.admits(account))
    return tuple(most_specific(candidates, account.account))


def apply_mapping(mapping: Mapping, tb: TrialBalance) -> Allocation:
    postings: list[Posting] = []
    controls: list[Posting] = []
    refused: list[Posting] = []
    ignored: list[Posting] = []
    wrong_side: list[Posting] = []
    unmapped: list[AccountLine] = []
    conflicts: list[tuple[AccountLine, tuple[Rule, ...]]] = []
    for a in tb.accounts:
        if a.balance == 0:
            continue  # no amount, no side: nothing to route
        rules = resolve_account(mapping, a)
        if not rules:
            unmapped.append(a)
            continue
        if len(rules) > 1:
            conflicts.append((a, rules))
            continue
        r = rules[0]
        p = Posting(a, r, r.amount(a) if r.sign else a.balance)
        {"rubric": postings, "control": controls, "refuse": refused, "ignore": ignored}[r.kind].append(p)
        if r.unexpected_side(a):
            wrong_side.append(p)  # netted into its asset all the same (never re-routed), and reported
    return Allocation(
        tb,
        tuple(postings),
        tuple(controls),
        tuple(refused),
        tuple(ignored),
        tuple(unmapped),
        tuple(conflicts),
        tuple(wrong_side),
    )


def wrong_side_message(p: Posting) -> str:
    """Why a contra account on its unexpected side is a finding (409 in debit ...)."""
    a, r = p.account, p.rule
    return (
        f"account {a.account} (line {a.line}) is a contra account normally in {r.side} ({r.where}, netted into "
        f"rubric {r.target}) but has a {a.side} balance of {money(abs(a.balance))}; correct the entries (e.g. a reversal "
        f"larger than the write-down) rather than presenting it elsewhere"
    )


def _control_amounts(alloc: Allocation) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for p in alloc.controls:
        out[p.rule.target] += p.amount  # type: ignore[index]
    return dict(out)


def control_mismatches(alloc: Allocation, values: dict[str, Decimal]) -> list[tuple[str, str]]:
    """``(rubric, message)`` for each rubric whose control accounts (693/793 ...) do not give its value."""
    out = []
    for rubric, amount in _control_amounts(alloc).items():
        expected = values.get(rubric, ZERO)
        if amount != expected:
            accts = ", ".join(p.account.account for p in alloc.controls if p.rule.target == rubric)
            out.append((rubric, f"accounts {accts} give {money(amount)} but rubric {rubric} is {money(expected)}"))
    return out
