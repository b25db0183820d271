"""Rubric figures from trial balances: a mapping applied, its totals solved, the model's figures kept.

This is the engine's top: :func:`compute_period` routes one trial balance
(:mod:`nbb_filing.books.allocation`) and solves every identity (:mod:`nbb_filing.books.totals`);
:func:`compute_figures` keeps the rubrics of the chosen model that carry an amount for the period,
and refuses the lot when any account, control, total or datapoint type disagrees (the message counts
every problem and names the first ones; :mod:`nbb_filing.books.mapping_check` lists them all).
The mapping's rules target the leaf rubrics of the family's full model; a smaller model
(abbreviated, micro) gets its figures through the same totals.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from nbb_filing.books.allocation import Allocation, apply_mapping, control_mismatches, wrong_side_message
from nbb_filing.books.figures import Figure, RubricFigures
from nbb_filing.books.ledger import TrialBalance
from nbb_filing.books.mapping_model import Mapping
from nbb_filing.books.note_rubrics import NoteInputs, note_values
from nbb_filing.books.note_ties import note_tie_problems
from nbb_filing.books.totals import model_totals, solve_totals, total_violations
from nbb_filing.books.unmapped_hint import unmapped_hint
from nbb_filing.core.errors import FindingsError, InputError
from nbb_filing.core.money import money
from nbb_filing.taxonomy.catalog import Catalog

ZERO = Decimal(0)

__all__ = [
    "PeriodResult",
    "compute_period",
    "compute_figures",
    "full_model_catalog",
    "is_amount_rubric",
    "type_problem",
]


def full_model_catalog(mapping: Mapping, catalog: Catalog) -> Catalog:
    """The catalog of the family's full model, whose leaf rubrics ``mapping``'s rules target."""
    return catalog if catalog.model == mapping.model else catalog.sibling(mapping.model)


def is_amount_rubric(catalog: Catalog, code: str, period: str) -> bool:
    """Does ``code`` have an amount datapoint for ``period`` in ``catalog``'s model?"""
    if not catalog.has_rubric(code):
        return False
    for dp in catalog.by_rubric(code):
        if dp.period == period and catalog.metric_type(dp).kind == "amount":
            return True
    return False


def type_problem(catalog: Catalog, code: str, period: str, amount: Decimal) -> str | None:
    """Why ``amount`` breaks the type of every amount datapoint of ``code`` (e.g. negative where >= 0 is
    required), or ``None`` when one of them takes it."""
    reasons = []
    for dp in catalog.by_rubric(code):
        if dp.period != period or catalog.metric_type(dp).kind != "amount":
            continue
        why = catalog.metric_type(dp).check(amount)
        if why is None:
            return None
        reasons.append(why)
    return reasons[0] if reasons else None


def _first(items: list[str], limit: int = 10) -> str:
    """``a, b, c`` or ``a, b, ... and 12 more``: provenance stays readable for big ledgers."""
    head = ", ".join(items[:limit])
    return head + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _summarise(items: list[str], limit: int = 8) -> str:
    head = "; ".join(items[:limit])
    return head + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def _allocation_errors(alloc: Allocation, values: dict[str, Decimal], mapping: Mapping) -> list[str]:
    errs = []
    for a in alloc.unmapped:
        hint = unmapped_hint(mapping, a.account)
        errs.append(
            f"account {a.account} (line {a.line}, balance {money(a.balance)}) reaches no rubric"
            + (f" ({hint})" if hint else "")
        )
    for a, rules in alloc.conflicts:
        errs.append(f"account {a.account} (line {a.line}) is caught by {' and '.join(r.where for r in rules)}")
    for p in alloc.refused:
        errs.append(
            f"account {p.account.account} (line {p.account.line}) must be zero ({p.rule.reason}), "
            f"balance {money(p.account.balance)}"
        )
    for p in alloc.wrong_side:
        errs.append(wrong_side_message(p))
    errs += [message for _, message in control_mismatches(alloc, values)]
    return errs


@dataclass(frozen=True)
class PeriodResult:
    """Everything computed for one period: the allocation and every rubric value (full and target)."""

    period: str
    allocation: Allocation
    values: dict[str, Decimal]
    sources: dict[str, str]
    errors: tuple[str, ...]


def compute_period(
    mapping: Mapping,
    tb: TrialBalance,
    period: str,
    full_catalog: Catalog,
    catalog: Catalog,
    note_inputs: NoteInputs | None = None,
) -> PeriodResult:
    """Apply ``mapping`` to ``tb`` and solve all totals; errors are collected, not raised.

    The ``notes:`` rules' rubrics (:mod:`nbb_filing.books.note_rubrics`) join the statements' before
    the totals are solved, so the package's sums of the notes are computed and verified with the rest.
    """
    alloc = apply_mapping(mapping, tb)
    values = alloc.leaf_amounts(mapping)
    sources: dict[str, str] = {}
    by_rule: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for p in alloc.postings:
        by_rule[p.rule.target][p.rule.id].append(p.account.account)  # type: ignore[index]
    for rubric in values:
        parts = [f"accounts {_first(accs)} via rule '{rid}'" for rid, accs in by_rule.get(rubric, {}).items()]
        sources[rubric] = f"{tb.source}: {'; '.join(parts) if parts else 'no account'} of {mapping.source}"
    if mapping.notes or note_inputs is not None:
        notes = note_values(mapping, tb, period, note_inputs)
        for rubric, amount in notes.values.items():
            values.setdefault(rubric, amount)  # a rubric of the statements is never a note's (mapping check)
        sources.update({k: v for k, v in notes.sources.items() if k not in sources})
    totals = model_totals(full_catalog, mapping.totals, catalog)
    solve_totals(values, sources, totals)
    errors = _allocation_errors(alloc, values, mapping)
    errors += total_violations(values, totals)
    return PeriodResult(period, alloc, values, sources, tuple(errors))


def compute_figures(
    catalog: Catalog,
    mapping: Mapping,
    current: TrialBalance,
    previous: TrialBalance | None,
    *,
    full_catalog: Catalog | None = None,
    note_inputs: NoteInputs | None = None,
) -> RubricFigures:
    """Rubric figures of ``catalog``'s model from the trial balances, through ``mapping``.

    The mapping's rules give the leaf rubrics of the family's full model (``mapping.model``); the
    package's totals (of the full and of the target model) and the mapping's own totals give every
    other rubric.  Only rubrics of ``catalog``'s model with an amount datapoint for the period are
    returned, in the catalog's order, current year first.

    Convention: **zero figures are omitted** (a rubric absent from the result is zero or not
    computable from a trial balance); ``RubricFigures.get`` then returns ``None``.

    Raises :class:`~nbb_filing.core.errors.FindingsError` (exit 1), listing every occurrence, when an
    account with a balance reaches no rubric, is caught by two rules, is refused, when a control
    account disagrees with its rubric, when a total does not hold, or when a figure breaks its
    datapoint's type (a negative amount where the taxonomy requires >= 0).
    """
    if catalog.model not in mapping.models:
        raise InputError(f"{mapping.source} maps the models {', '.join(mapping.models)}, not {catalog.model}")
    if full_catalog is None:
        full_catalog = full_model_catalog(mapping, catalog)
    figures: list[Figure] = []
    errors: list[str] = []
    for period, tb in (("current", current), ("previous", previous)):
        if tb is None:
            continue
        res = compute_period(mapping, tb, period, full_catalog, catalog, note_inputs)
        errors += [f"{tb.source}: {e}" for e in res.errors]
        errors += [f"{tb.source}: {e}" for e in note_tie_problems(res.values)]
        for code in catalog.rubrics():
            if code not in res.values or not is_amount_rubric(catalog, code, period):
                continue
            amount = res.values[code]
            if amount == 0:
                continue
            why = type_problem(catalog, code, period, amount)
            if why:
                errors.append(
                    f"{tb.source}: rubric {code} ({period}) = {money(amount)}: {why} ({res.sources.get(code, '')})"
                )
                continue
            figures.append(Figure(code, period, amount, res.sources.get(code, "")))
    if errors:
        raise FindingsError(f"{len(errors)} problem(s) computing {catalog.model} figures: {_summarise(errors)}")
    return RubricFigures(catalog.model, tuple(figures))
