"""Account selectors of mapping rules: which account numbers a rule names, and how specifically.

A selector is an exact number (``=610000``), a prefix (``61``), a range of prefixes (``600-608``)
or a prefix pattern (``22x9``).  Specificity is what decides between rules that catch the same
account (:func:`nbb_filing.books.allocation.resolve_account`): exact number > longer prefix >
shorter prefix; a range counts as slightly less specific than a prefix of the same length, and
each ``x`` of a pattern makes it half a digit less specific.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Selector"]

_SELECTOR = re.compile(r"^(?:=(?P<exact>\d+)|(?P<lo>\d+)-(?P<hi>\d+)|(?P<prefix>\d+)|(?P<pattern>\d[\dx]*x[\dx]*\d))$")


@dataclass(frozen=True)
class Selector:
    """``"61"`` (prefix), ``"=610000"`` (exact number), ``"600-608"`` (range of prefixes) or
    ``"2xx9"`` (prefix pattern, ``x`` = any digit).

    A range compares the account's first N digits, N being the length of the bounds, so
    ``600-608`` catches 6000, 60411 and 608999 but not 609.  A pattern names the PCMN's
    sub-accounts that recur under every asset account: ``22x9`` catches the depreciation accounts
    2209, 2219 ... 2299 (and their sub-accounts); each ``x`` makes it half a digit less specific.
    """

    text: str
    kind: str  # "exact" | "prefix" | "range" | "pattern"
    lo: str
    hi: str

    @classmethod
    def parse(cls, text: str) -> Selector:
        m = _SELECTOR.match(text.strip())
        if not m:
            raise ValueError(
                f"account selector {text!r} must be digits (prefix), '=digits' (exact account), 'digits-digits' "
                "(range) or a pattern like '22x9' (x = any digit, ends with a digit)"
            )
        if m.group("exact"):
            v = m.group("exact")
            return cls(text, "exact", v, v)
        if m.group("prefix"):
            v = m.group("prefix")
            return cls(text, "prefix", v, v)
        if m.group("pattern"):
            v = m.group("pattern")
            return cls(text, "pattern", v, v)
        lo, hi = m.group("lo"), m.group("hi")
        if len(lo) != len(hi) or lo > hi:
            raise ValueError(
                f"account range {text!r} needs two bounds of the same length, the first not above the second"
            )
        return cls(text, "range", lo, hi)

    @property
    def specificity(self) -> float:
        if self.kind == "exact":
            return 1000.0
        if self.kind == "prefix":
            return float(len(self.lo))
        if self.kind == "pattern":
            return len(self.lo) - 0.5 * self.lo.count("x")
        return len(self.lo) - 0.5

    def matches(self, account: str) -> bool:
        if self.kind == "exact":
            return account == self.lo
        if self.kind == "prefix":
            return account.startswith(self.lo)
        if self.kind == "pattern":
            return len(account) >= len(self.lo) and all(p in ("x", a) for p, a in zip(self.lo, account))
        head = account[: len(self.lo)]
        return len(head) == len(self.lo) and self.lo <= head <= self.hi

    def overlaps_at_same_level(self, other: Selector) -> bool:
        """Could one account match both selectors with the same specificity (an ambiguity)?"""
        if self.specificity != other.specificity:
            return False
        if "pattern" in (self.kind, other.kind):
            # conservative: the common positions are compatible (a digit range counts as its bounds)
            a, b = self.lo, other.lo
            return all(x == y or "x" in (x, y) for x, y in zip(a, b))
        if self.kind == "exact" or self.kind == "prefix":
            return self.lo == other.lo
        return not (self.hi < other.lo or other.hi < self.lo)
