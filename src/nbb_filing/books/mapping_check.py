"""The mapping checker (``nbb-filing mapping check``): every problem of a mapping, listed, not raised.

:func:`check_mapping` takes the findings of the mapping on its own (:mod:`nbb_filing.books.mapping_lint`)
and, given trial balances, adds what the mapping does with them: accounts that reach no rubric or
two rules, refused or wrong-side balances, disagreeing controls, totals that do not hold, figures
that break their datapoint's type, the post-appropriation guards (:mod:`nbb_filing.books.closed_books`),
and the coverage of the books.  Where :func:`~nbb_filing.books.mapping.compute_figures` refuses a
trial balance with a one-line summary, the checker reports every finding in a
:class:`~nbb_filing.books.mapping_report.CheckReport`.
"""

from __future__ import annotations

from decimal import Decimal

from nbb_filing.books import closed_books, size
from nbb_filing.books.allocation import Allocation, control_mismatches, wrong_side_message
from nbb_filing.books.ledger import TrialBalance
from nbb_filing.books.mapping import (
    PeriodResult,
    compute_period,
    full_model_catalog,
    is_amount_rubric,
    type_problem,
)
from nbb_filing.books.mapping_lint import family_catalogs, notes_lacking, static_findings
from nbb_filing.books.mapping_model import Mapping
from nbb_filing.books.mapping_report import CheckReport, Coverage, MappingFinding
from nbb_filing.books.note_ties import note_tie_problems
from nbb_filing.books.side_routing import SideRouting, side_routings
from nbb_filing.books.totals import TotalDef, model_totals, total_violations
from nbb_filing.books.unmapped_hint import unmapped_hint
from nbb_filing.core.money import money
from nbb_filing.taxonomy.catalog import Catalog

ZERO = Decimal(0)


def _hint(mapping: Mapping, account: str) -> str:
    hint = unmapped_hint(mapping, account)
    return f" ({hint})" if hint else ""


__all__ = ["check_mapping"]


def _allocation_findings(tb: TrialBalance, res: PeriodResult, period: str, mapping: Mapping) -> list[MappingFinding]:
    """Accounts that reach no rubric or two rules, refused and wrong-side balances, disagreeing controls."""
    a = res.allocation
    out = []
    for acc in a.unmapped:
        out.append(
            MappingFinding(
                "unmapped",
                f"{tb.source} line {acc.line}: account {acc.account} "
                f"({acc.label or 'no label'}) with balance {money(acc.balance)} reaches no rubric"
                + _hint(mapping, acc.account),
                account=acc.account,
                period=period,
            )
        )
    for acc, rules in a.conflicts:
        out.append(
            MappingFinding(
                "conflict",
                f"{tb.source} line {acc.line}: account {acc.account} is caught by "
                f"{' and '.join(r.where for r in rules)}",
                account=acc.account,
                period=period,
            )
        )
    for p in a.refused:
        out.append(
            MappingFinding(
                "refused",
                f"{tb.source} line {p.account.line}: account {p.account.account} has "
                f"balance {money(p.account.balance)}; {p.rule.where}: {p.rule.reason}",
                account=p.account.account,
                rule=p.rule.id,
                period=period,
            )
        )
    for p in a.wrong_side:
        out.append(
            MappingFinding(
                "contra-side",
                f"{tb.source}: {wrong_side_message(p)}",
                account=p.account.account,
                rule=p.rule.id,
                period=period,
            )
        )
    for rubric, message in control_mismatches(a, res.values):
        out.append(MappingFinding("control", f"{tb.source}: {message}", rubric=rubric, period=period))
    return out


def _model_figures(catalog: Catalog, res: PeriodResult) -> dict[str, Decimal]:
    """The computed rubrics of ``catalog``'s model that carry an amount for the period, in the catalog's order."""
    return {
        code: res.values[code]
        for code in catalog.rubrics()
        if code in res.values and is_amount_rubric(catalog, code, res.period)
    }


def _figure_findings(
    tb: TrialBalance, res: PeriodResult, totals: list[TotalDef], catalog: Catalog, figures: dict[str, Decimal]
) -> list[MappingFinding]:
    """Totals that do not hold, figures that break their datapoint's type."""
    out = [
        MappingFinding("total-contradiction", f"{tb.source}: {msg}", period=res.period)
        for msg in total_violations(res.values, totals)
    ]
    out += [
        MappingFinding("note-tie", f"{tb.source}: {msg}", period=res.period) for msg in note_tie_problems(res.values)
    ]
    for code, amount in figures.items():
        why = type_problem(catalog, code, res.period, amount) if amount else None
        if why:
            out.append(
                MappingFinding(
                    "sign-type",
                    f"{tb.source}: rubric {code} = {money(amount)}: {why} ({res.sources.get(code, '')})",
                    rubric=code,
                    period=res.period,
                )
            )
    return out


def _closing_findings(tb: TrialBalance, res: PeriodResult, period: str) -> list[MappingFinding]:
    """Post-appropriation guards (:mod:`nbb_filing.books.closed_books`) on one trial balance and its figures."""
    out = []
    why = closed_books.unappropriated(tb)
    if why:
        out.append(MappingFinding("unappropriated", why, period=period))
    why = closed_books.balance_sheet_mismatch(res.values, tb.source, period)
    if why:
        out.append(MappingFinding("balance-mismatch", why, period=period))
    return out


def _carried_forward_findings(
    values: dict[str, dict[str, Decimal]], current: TrialBalance | None, previous: TrialBalance | None
) -> list[MappingFinding]:
    """14P of the current trial balance against 14 of the previous one."""
    if current is None or previous is None or not {"current", "previous"} <= set(values):
        return []
    why = closed_books.carried_forward_mismatch(values["current"], values["previous"], current.source, previous.source)
    return [MappingFinding("carried-forward", why, period="current")] if why else []


def _coverage(tb: TrialBalance, a: Allocation, period: str) -> Coverage:
    nonzero = tb.nonzero()
    reached = {p.account.account for p in (*a.postings, *a.controls)}
    ign = {p.account.account for p in a.ignored}
    return Coverage(
        period,
        tb.source,
        len(nonzero),
        len(reached),
        len(ign),
        sum((abs(x.balance) for x in nonzero), ZERO),
        sum((abs(x.balance) for x in nonzero if x.account in reached), ZERO),
    )


def check_mapping(
    mapping: Mapping,
    catalog: Catalog,
    *,
    full_catalog: Catalog | None = None,
    current: TrialBalance | None = None,
    previous: TrialBalance | None = None,
) -> CheckReport:
    """Check ``mapping`` against the model of ``catalog`` and, when given, trial balances.

    Every finding is listed (not only the first).  With trial balances, coverage and the rubric
    figures of the chosen model are reported too, and each account with a balance that reaches no
    rubric is a finding (fail closed).
    """
    if full_catalog is None:
        full_catalog = full_model_catalog(mapping, catalog)
    findings = static_findings(mapping, full_catalog, catalog)
    cyclic = any(f.code == "total-cycle" for f in findings)
    totals = model_totals(full_catalog, mapping.totals, catalog)
    coverage: list[Coverage] = []
    by_side: list[SideRouting] = []
    table: dict[str, list[Decimal | None]] = {}
    values: dict[str, dict[str, Decimal]] = {}
    for idx, (period, tb) in enumerate((("current", current), ("previous", previous))):
        if tb is None or cyclic:
            continue  # the totals of a cyclic mapping cannot be solved
        res = compute_period(mapping, tb, period, full_catalog, catalog)
        values[period] = res.values
        figures = _model_figures(catalog, res)
        findings += _closing_findings(tb, res, period)
        findings += _allocation_findings(tb, res, period, mapping)
        findings += _figure_findings(tb, res, totals, catalog, figures)
        for code, amount in figures.items():
            table.setdefault(code, [None, None])[idx] = amount
        coverage.append(_coverage(tb, res.allocation, period))
        by_side += side_routings(mapping, res.allocation, period)
    findings += _carried_forward_findings(values, current, previous)
    order = {c: i for i, c in enumerate(catalog.rubrics())}
    rows = tuple(
        (code, vals[0], vals[1]) for code, vals in sorted(table.items(), key=lambda kv: order.get(kv[0], 10**9))
    )
    warnings = []
    if "current" in values:
        warnings = size.books_size_warnings(catalog.model, values["current"], values.get("previous"))
    lacking = notes_lacking(
        mapping, family_catalogs(mapping, {full_catalog.model: full_catalog, catalog.model: catalog})
    )
    if lacking:
        warnings.append(
            f"{mapping.source}: {len(lacking)} rubric(s) of the notes: rules are in no model of the installed package "
            f"({catalog.package_version}): {', '.join(lacking)}; they are computed and tied to the statements, "
            "not written (see nbb-filing taxonomy coverage)"
        )
    by_side.sort(key=lambda s: (not s.moved, s.period != "current", s.account))
    return CheckReport(
        mapping.source, catalog.model, tuple(findings), tuple(coverage), rows, tuple(warnings), tuple(by_side)
    )
