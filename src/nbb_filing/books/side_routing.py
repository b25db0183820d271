"""Accounts routed by the side of their balance: the review list of ``nbb-filing mapping check``.

A rule with ``side:`` sends the same account to one rubric in debit and to another in credit: a
customer in credit is an advance received (40 -> 46), a bank account in credit is a debt to a credit
institution (55 -> 430/8).  That is right for a real customer in credit, and silent for a typing error
(a supplier booked on 404000 instead of 440000 lands in 46 with no finding).  So every account that
a side rule routed is listed for review, with the rubric it would reach on the other side.

Which of them left their own rubric is told by the chart's numbering, which the NBB rubric codes
follow (rubric 40 holds accounts 40, rubric 440/4 accounts 440-444, rubric 54/58 accounts 54-58): an
account outside the range its rubric code spells has been *moved* by its side, and is listed first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from nbb_filing.books.allocation import Allocation, resolve_account
from nbb_filing.books.ledger import AccountLine
from nbb_filing.books.mapping_model import Mapping

__all__ = ["SideRouting", "side_routings", "in_own_rubric"]


@dataclass(frozen=True)
class SideRouting:
    """One account a side rule routed: where it went, and where the other side would have sent it."""

    period: str
    source: str
    line: int
    account: str
    label: str
    side: str  # the balance's side: debit | credit
    amount: Decimal  # absolute balance
    rule: str
    rubric: str
    other_side_rubric: str  # where the same account goes with a balance on the other side
    moved: bool  # the rubric is not the account's own by the chart's numbering

    def to_json(self) -> dict:
        return {
            "period": self.period,
            "source": self.source,
            "line": self.line,
            "account": self.account,
            "label": self.label,
            "side": self.side,
            "amount": str(self.amount),
            "rule": self.rule,
            "rubric": self.rubric,
            "other_side_rubric": self.other_side_rubric,
            "moved": self.moved,
        }


def in_own_rubric(account: str, rubric: str) -> bool:
    """Whether ``account``'s number lies in the accounts the rubric code spells (``440/4`` = 440-444).

    A rubric code that is not digits (``66A``, ``9900``-style totals aside) never claims an account."""
    m = re.fullmatch(r"(\d+)(?:/(\d+))?", rubric)
    if not m:
        return False
    lo, tail = m.group(1), m.group(2)
    hi = lo if tail is None else (lo[: len(lo) - len(tail)] + tail if len(tail) <= len(lo) else tail)
    if len(hi) != len(lo):
        return False
    head = account[: len(lo)]
    return len(head) == len(lo) and lo <= head <= hi


def side_routings(mapping: Mapping, alloc: Allocation, period: str) -> list[SideRouting]:
    """Every account of ``alloc`` that a side rule (not a contra one) sent to a rubric; moved ones first."""
    out = []
    for p in alloc.postings:
        r, a = p.rule, p.account
        if r.side == "either" or r.contra or a.side == "zero":
            continue
        flipped = AccountLine(a.account, a.label, a.credit, a.debit, a.line)
        other = resolve_account(mapping, flipped)
        other_rubric = other[0].target if len(other) == 1 and other[0].kind == "rubric" else None
        if other_rubric is None or other_rubric == r.target:
            continue  # the other side reaches no rubric (a finding then) or the same one: nothing silent
        out.append(
            SideRouting(
                period,
                alloc.tb.source,
                a.line,
                a.account,
                a.label,
                a.side,
                abs(a.balance),
                r.id,
                str(r.target),
                other_rubric,
                not in_own_rubric(a.account, str(r.target)),
            )
        )
    return sorted(out, key=lambda s: (not s.moved, s.period != "current", s.account))
