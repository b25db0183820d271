"""The report of the mapping checker: :class:`MappingFinding`, :class:`Coverage`, :class:`CheckReport`.

``nbb-filing mapping check`` prints these (as text or JSON); :mod:`nbb_filing.books.mapping_lint`
and :mod:`nbb_filing.books.mapping_check` fill them.  A :class:`MappingFinding` is a problem of a
mapping (a code such as ``overlap`` or ``unmapped``, and the rule, rubric, account or period it is
about); the findings of a filing's validation are another type, with another shape
(:class:`nbb_filing.checks.findings.Finding`: an assertion or protocol rule and its effect).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from nbb_filing.books.side_routing import SideRouting

__all__ = ["MappingFinding", "Coverage", "CheckReport"]


@dataclass(frozen=True)
class MappingFinding:
    """One problem of a mapping (not of a filing: that is :class:`nbb_filing.checks.findings.Finding`)."""

    code: str  # unknown-rubric, overlap, total-mapped, total-cycle, total-contradiction, sign-type, sign-mixed, ...
    message: str
    rule: str | None = None
    rubric: str | None = None
    account: str | None = None
    period: str | None = None

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Coverage:
    period: str
    source: str
    accounts: int  # accounts with a non-zero balance
    mapped: int  # of which reaching a rubric (or a control)
    ignored: int
    amount: Decimal  # sum of absolute balances
    mapped_amount: Decimal

    def to_json(self) -> dict:
        return {
            "period": self.period,
            "source": self.source,
            "accounts": self.accounts,
            "mapped_accounts": self.mapped,
            "ignored_accounts": self.ignored,
            "amount": str(self.amount),
            "mapped_amount": str(self.mapped_amount),
        }


@dataclass(frozen=True)
class CheckReport:
    mapping: str
    model: str
    findings: tuple[MappingFinding, ...]
    coverage: tuple[Coverage, ...]
    figures: tuple[tuple[str, Decimal | None, Decimal | None], ...]  # (rubric, current, previous)
    warnings: tuple[str, ...] = ()  # to look at, not findings (the size of the entity against the model)
    by_side: tuple[SideRouting, ...] = ()  # accounts a side rule routed: to review, not findings

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_json(self) -> dict:
        return {
            "mapping": self.mapping,
            "model": self.model,
            "ok": self.ok,
            "findings": [f.to_json() for f in self.findings],
            "warnings": list(self.warnings),
            "routed_by_side": [x.to_json() for x in self.by_side],
            "coverage": [c.to_json() for c in self.coverage],
            "figures": [
                {"rubric": r, "current": None if c is None else str(c), "previous": None if p is None else str(p)}
                for r, c, p in self.figures
            ],
        }
