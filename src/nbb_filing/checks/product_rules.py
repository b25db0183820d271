"""Rules the product checks on any filing, whatever assertions the package holds for the model.

``validate`` runs them after the filing-protocol rules (:mod:`nbb_filing.checks.protocol`), with
the same input and the same kind of findings, so that a filing the package lets through is not
called fileable when it is wrong in law or does not balance:

* ``balance_sheet_balances``: total assets equal total liabilities, each year (blocking; some models
  of the packages have no such assertion);
* ``legal_form_fits_model``: the entity's legal form belongs to the model's family (blocking when it
  is another family, a warning when the form is not classified), see
  :mod:`nbb_filing.filing.legal_form`;
* ``notes_tie_to_statements``: the notes from the books tie to the primary statements where the
  model states a relation the package has no assertion for (debts by remaining term = 17, 620 ...
  624 = 62, "of which" rubrics within their parent), see :mod:`nbb_filing.books.note_ties`;
* ``size_fits_model``: the model fits the entity's size under the Code of companies and
  associations (a warning), see :mod:`nbb_filing.books.size`.

``generate`` runs the same checks on the dossier before writing (:mod:`nbb_filing.api`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation

from nbb_filing.books import size as size_mod
from nbb_filing.books.closed_books import balance_sheet_mismatch
from nbb_filing.books.note_ties import note_tie_problems
from nbb_filing.checks.findings import BLOCKING, WARNING, Finding
from nbb_filing.checks.protocol import ProtocolInput, ProtocolRule
from nbb_filing.filing.legal_form import (
    judge_legal_form,
    legal_form_metric,
    load_legal_forms,
)


def _finding(rule: str, message: str, *, effect: str = BLOCKING, line: int | None = None) -> Finding:
    return Finding(rule=rule, source="protocol", family="product", effect=effect, message=message, line=line)


def _amounts(pin: ProtocolInput) -> dict[str, dict[str, Decimal]]:
    """period -> rubric -> amount of the filing's untyped rubric facts."""
    out: dict[str, dict[str, Decimal]] = {"current": {}, "previous": {}}
    for f in pin.facts.rubric_facts():
        dp = f.datapoint
        if dp.period not in out or f.typed_values or f.value is None:
            continue
        try:
            out[dp.period][dp.rubric or ""] = Decimal(f.value)
        except InvalidOperation:
            continue
    return out


def balance_sheet_balances(pin: ProtocolInput) -> Iterator[Finding]:
    """Total assets equal total liabilities (20/58 = 10/49), each year."""
    for period, values in _amounts(pin).items():
        if not values:
            continue
        why = balance_sheet_mismatch(values, pin.path.name, period)
        if why:
            yield _finding("balance_sheet_balances", why)


def notes_tie_to_statements(pin: ProtocolInput) -> Iterator[Finding]:
    """The notes' totals tie to the statements by the relations the model states (blocking), each
    year, for the ties whose every rubric the model has (data/notes-from-books.yaml)."""
    available = set(pin.catalog.rubrics())
    for period, values in _amounts(pin).items():
        for why in note_tie_problems(values, available):
            yield _finding("notes_tie_to_statements", f"{pin.path.name} ({period} year): {why}")


def legal_form_fits_model(pin: ProtocolInput) -> Iterator[Finding]:
    """The entity's legal form belongs to the model's family (with capital, without capital, association)."""
    metric = legal_form_metric(pin.catalog)
    if metric is None:
        return
    for f in pin.facts.facts:
        if f.datapoint.metric != metric or f.typed_values or f.value is None:
            continue
        verdict = judge_legal_form(pin.catalog, f.value)
        if verdict is not None:
            kind, why = verdict
            yield _finding(
                "legal_form_fits_model",
                f"line {f.source_line}: {why}",
                effect=BLOCKING if kind == "refuse" else WARNING,
                line=f.source_line,
            )


def _exercise_start(pin: ProtocolInput) -> date | None:
    """The first day of the exercise: the earliest date the filing reports for the current period's start."""
    from nbb_filing.filing.binding import load_table, resolve_field

    role = load_table().roles.get("filing")
    spec = next((f for f in role.fields if f.name == "exercise_start"), None) if role else None
    dp = resolve_field(pin.catalog, spec, ()) if spec is not None else None
    value = pin.facts.value(dp.key) if dp is not None else None
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def size_fits_model(pin: ProtocolInput) -> Iterator[Finding]:
    """The model fits the entity's size under the Code of companies and associations (a warning)."""
    placed = load_legal_forms().family_of_model(pin.catalog.model)
    start = _exercise_start(pin)
    if placed is None or start is None:
        return
    family, model_size = placed
    kind = "associations" if family.name == "association" else "companies"
    amounts = _amounts(pin)
    years = [size_mod.YearFigures("current year", size_mod.criterion_values(kind, amounts["current"]))]
    if amounts["previous"]:
        years.append(size_mod.YearFigures("previous year", size_mod.criterion_values(kind, amounts["previous"])))
    part = pin.catalog.model.split("-", 1)[1] if "-" in pin.catalog.model else "f"
    fitting = {size_mod.MODEL_CATEGORY[s]: f"{stem}-{part}" for s, stem in family.models}
    for why in size_mod.size_warnings(kind, pin.catalog.model, model_size, years, start, fitting=fitting):
        yield _finding("size_fits_model", why, effect=WARNING)


#: The product's own rules, in the order they run (after the protocol rules).
RULES: tuple[ProtocolRule, ...] = (
    balance_sheet_balances,
    notes_tie_to_statements,
    legal_form_fits_model,
    size_fits_model,
)

__all__ = ["RULES", "balance_sheet_balances", "notes_tie_to_statements", "legal_form_fits_model", "size_fits_model"]
