"""What ``nbb-filing watch`` prints after each re-check: one screen, what changed since the last one.

Pure formatting over the result of ``generate`` (key totals) and the validation report (findings):
no I/O, so that it can be read and tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from nbb_filing.cli.common import amount_cell

#: findings listed per direction (added / removed) before "… and N more"
MAX_LISTED = 8


@dataclass(frozen=True)
class CheckState:
    """What one re-check produced, reduced to what the next summary compares."""

    totals: dict[str, tuple[str, Decimal | None, Decimal | None]]  # rubric -> (label, current, previous)
    findings: dict[tuple[str, str, tuple[str, ...]], str]  # (effect, rule, fact keys) -> one-line text
    status: str
    facts: int = 0
    notes: tuple[str, ...] = field(default=())
    declared: tuple[str, ...] = ()  # sections the dossier declares not applicable, with the reason


def state_of(result: Any, file_report: Any) -> CheckState:
    """The state of a ``GenerateResult`` and the ``FileReport`` of its validation."""
    totals = {t.rubric: (t.label, t.current, t.previous) for t in result.totals}
    findings: dict[tuple[str, str, tuple[str, ...]], str] = {}
    for f in file_report.findings:
        if f.source == "framework":
            continue
        key = (f.effect, f.rule, tuple(x.key for x in f.facts))
        rubrics = ", ".join(f.rubrics)
        findings[key] = f"[{f.effect}] {f.rule}" + (f" ({rubrics})" if rubrics else "") + f": {f.message}"
    # required sections left empty (issue 19) come and go like findings
    for c in getattr(file_report, "completeness", ()):
        if c.state == "missing":
            findings[("missing", c.rule, ())] = f"[missing] {c.rule}: {c.title} ({c.why}); fill it with: {c.fill}"
    declared = tuple(
        f"{c.rule} ({c.reason})"
        for c in getattr(file_report, "completeness", ())
        if c.state == "declared not applicable"
    )
    status = file_report.status if file_report.error is None else f"not validated ({file_report.error})"
    return CheckState(totals=totals, findings=findings, status=status, facts=result.facts, declared=declared)


def _delta(new: Decimal | None, old: Decimal | None) -> str:
    if new is None or old is None:
        return ""
    diff = new - old
    return f" ({'+' if diff > 0 else ''}{amount_cell(diff)})"


def summary(
    now: CheckState,
    before: CheckState | None,
    changed: Iterable[Path],
    seconds: tuple[float, float],
    width: int = 100,
) -> list[str]:
    """The lines printed after a re-check (the first check lists everything)."""
    names = ", ".join(p.name for p in changed)
    generate_s, validate_s = seconds
    lines = [
        f"changed: {names}" if before is not None else f"first check of: {names}",
        f"  regenerated {now.facts} facts in {generate_s:.1f} s, validated in {validate_s:.1f} s",
    ]
    for rubric, (label, cur, prev) in now.totals.items():
        old = before.totals.get(rubric) if before is not None else None
        if before is not None and old is not None and old[1:] == (cur, prev):
            continue
        change = _delta(cur, old[1]) if old is not None else ""
        lines.append(
            f"  {rubric:8} {label[:40]:40} {amount_cell(cur):>16}{change}  (previous year {amount_cell(prev)})"
        )
    added = [v for k, v in now.findings.items() if before is None or k not in before.findings]
    removed = [v for k, v in before.findings.items() if k not in now.findings] if before is not None else []
    counts = {e: sum(1 for k in now.findings if k[0] == e) for e in ("blocking", "warning", "missing")}
    lines.append(
        f"  findings: {counts['blocking']} blocking, {counts['warning']} warning(s)"
        + (f", {counts['missing']} required section(s) missing" if counts["missing"] else "")
        + f" (+{len(added)} new, -{len(removed)} gone)"
    )
    for sign, items in (("+", added), ("-", removed)):
        for text in items[:MAX_LISTED]:
            lines.append(_cut(f"  {sign} {text}", width))
        if len(items) > MAX_LISTED:
            lines.append(f"  {sign} … and {len(items) - MAX_LISTED} more")
    if now.declared:
        lines.append(_cut("  declared not applicable: " + "; ".join(now.declared), width))
    was = "" if before is None or before.status == now.status else f" (was: {before.status})"
    lines.append(f"  {now.status}{was}")
    return lines


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
