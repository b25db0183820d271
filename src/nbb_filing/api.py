"""``generate``: dossier (+ trial balances and mapping) -> NBB XBRL instance.

The Python API behind ``nbb-filing generate``::

    from nbb_filing.api import generate
    result = generate("samples/smartcoop-2024/dossier.yaml", "out/smartcoop-2024.xbrl")
    print(result.facts, result.total("total_assets"))

Steps: read and check the dossier; find the package and the catalog of the dossier's model;
compute rubric figures from the trial balances with the mapping (when the dossier names them);
bind everything to datapoints (:mod:`nbb_filing.filing.facts`); write the instance atomically
(:mod:`nbb_filing.filing.instance`); optionally validate it with Arelle (:mod:`nbb_filing.checks.validate`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nbb_filing.books import size as size_mod
from nbb_filing.books.closed_books import (
    balance_sheet_mismatch,
    closing_rubrics,
    unappropriated,
)
from nbb_filing.books.figures import RubricFigures
from nbb_filing.core.errors import (
    FindingsError,
    InputError,
    ModelNotFound,
    NbbFilingError,
)
from nbb_filing.filing.binding import load_table
from nbb_filing.filing.dossier import Dossier
from nbb_filing.filing.dossier_files import load_dossier
from nbb_filing.filing.facts import build_facts
from nbb_filing.filing.instance import build_instance, write_instance
from nbb_filing.filing.legal_form import check_legal_form, load_legal_forms
from nbb_filing.filing.store import FactSet
from nbb_filing.taxonomy.catalog import Catalog
from nbb_filing.taxonomy.catalog_cache import cached_catalog, load_catalog, load_catalogs
from nbb_filing.taxonomy.packages import PackageInfo, resolve_package
from nbb_filing.taxonomy.releases import framework_for_closing, replica_of

if TYPE_CHECKING:
    from nbb_filing.filing.notes.fixed_assets import Closings

#: Rubric roles shown in the summary, in this order (codes come from data/dossier-datapoints.yaml).
SUMMARY_ROLES = ("total_assets", "equity", "result_before_taxes", "result_of_period")


@dataclass(frozen=True)
class KeyTotal:
    role: str
    rubric: str
    label: str
    current: Decimal | None
    previous: Decimal | None

    def to_json(self) -> dict[str, str | None]:
        """The total for a JSON report: amounts as decimal strings (never floats), None when absent."""
        return {
            "role": self.role,
            "rubric": self.rubric,
            "label": self.label,
            "current": None if self.current is None else str(self.current),
            "previous": None if self.previous is None else str(self.previous),
        }


@dataclass(frozen=True)
class GenerateResult:
    """What ``generate`` did: the file, the counts, the key totals, what was left out and why."""

    output: Path
    model: str
    framework: str
    package: str
    language: str
    facts: int
    contexts: int
    totals: tuple[KeyTotal, ...]
    left_out: tuple[str, ...]
    seconds: float
    notes: tuple[str, ...] = ()  # e.g. what the previous filing gave, and disagreements
    validation: Any = None  # the report of nbb_filing.checks.validate when --validate was asked
    trail_path: Path | None = None  # the mapping's audit trail, when asked (generate --trail)
    warnings: tuple[str, ...] = ()  # written all the same, but to look at (630 vs notes, size of the company ...)
    #: what the dossier adds to the completeness check of the filing (``not_applicable``, dossier facts);
    #: give it to ``ValidationSession.validate`` / ``validate_files(dossier=...)`` when validating later
    dossier_context: Any = None

    def total(self, role: str, period: str = "current") -> Decimal | None:
        for t in self.totals:
            if t.role == role:
                return t.current if period == "current" else t.previous
        return None

    @property
    def validation_exit_code(self) -> int:
        """0 when not validated or valid; the validation report's exit code otherwise (1 or 2)."""
        v = self.validation
        if v is None:
            return 0
        code = getattr(v, "exit_code", None)
        if isinstance(code, int):
            return code
        ok = getattr(v, "ok", None)
        ok = ok() if callable(ok) else ok
        return 0 if ok or ok is None else 1

    @property
    def validation_failed(self) -> bool:
        return self.validation_exit_code != 0


def compute_mapped_figures(dossier: Dossier, catalog: Catalog) -> RubricFigures | None:
    """Rubric figures from the dossier's trial balances and mapping, or ``None`` if it names none."""
    inp = dossier.inputs
    if not inp.trial_balance and not inp.mapping:
        return None
    if not (inp.trial_balance and inp.mapping):
        raise InputError(f"{dossier.where('inputs')}: give both trial_balance and mapping (or neither)")
    gives_previous = any(a.previous is not None for a in (*dossier.figures.values(), *dossier.appropriation.values()))
    if (
        dossier.previous_exercise is not None
        and not inp.previous_trial_balance
        and not dossier.previous_filing
        and not gives_previous
    ):
        raise InputError(
            f"{dossier.where('inputs')}: the dossier has a previous_exercise but no previous-year figures: give "
            "inputs.previous_trial_balance (last year's trial balance), previous_filing (last year's filing as "
            "published by the NBB) or the previous-year amounts under figures: (rubric: {previous: amount})"
        )
    from nbb_filing.books.ledger import read_trial_balance
    from nbb_filing.books.mapping import compute_figures
    from nbb_filing.books.mapping_file import load_mapping

    mapping_file = dossier.mapping_path()
    assert mapping_file is not None
    for key in ("trial_balance", "previous_trial_balance", "mapping"):
        rel = getattr(inp, key)
        # the mapping: a shipped one, or a file in the dossier's folder (Dossier.mapping_path)
        found = mapping_file if key == "mapping" else dossier.resolve_path(rel, "inputs", key) if rel else None
        if rel and found is not None and not found.is_file():
            extra = " (nor a shipped mapping: with-capital, without-capital, association)" if key == "mapping" else ""
            raise InputError(f"{dossier.where('inputs', key)}: no such file {rel}{extra}")
    mp = load_mapping(mapping_file)
    current = read_trial_balance(dossier.resolve_path(inp.trial_balance, "inputs", "trial_balance"))
    previous = (
        read_trial_balance(dossier.resolve_path(inp.previous_trial_balance, "inputs", "previous_trial_balance"))
        if inp.previous_trial_balance
        else None
    )
    not_closed = [why for why in (unappropriated(tb) for tb in (current, previous) if tb is not None) if why]
    if not_closed:
        raise FindingsError("; ".join(not_closed))
    from nbb_filing.filing.dossier_notes_books import note_inputs

    return compute_figures(catalog, mp, current, previous, note_inputs=note_inputs(dossier))


def default_output(dossier_path: Path) -> Path:
    return dossier_path.with_suffix(".xbrl")


def generate(
    dossier_path: str | os.PathLike,
    output: str | os.PathLike | None = None,
    *,
    taxonomy: str | os.PathLike | None = None,
    package: PackageInfo | None = None,
    validate: bool = False,
    lang: str | None = None,
    model: str | None = None,
    progress: Any = None,
    trail: bool = False,
    allow_outside_paths: bool = False,
    other_outputs: Sequence[tuple[str, str | os.PathLike | None]] = (),
) -> GenerateResult:
    """Generate the filing of ``dossier_path`` into ``output`` (default: beside the dossier, ``.xbrl``).

    ``model`` overrides the dossier's model (used to test coarser models on the same inputs);
    ``lang`` is the language of labels in messages (the filing language is the dossier's).
    ``trail`` also writes the mapping's audit trail beside the output (``FILE.trail.json``).
    ``allow_outside_paths``: documents, trial balances and the previous filing the dossier names
    may lie outside its folder (refused by default: a dossier may come from someone else).
    ``other_outputs``: files the caller will write after this run, as ``(option, path)`` (the CLI's
    ``--html`` and ``--report``): refused with the outputs here when one resolves to an input or
    to another output.
    Raises :class:`NbbFilingError` subclasses with one-line messages; writes nothing on error.
    ``progress``: a :class:`nbb_filing.core.progress.ProgressHook` told about the long steps (catalog
    compile, validation); nothing is printed without one.
    """
    from nbb_filing.core.progress import reporting

    with reporting(progress):
        return _generate(
            dossier_path, output, taxonomy, package, validate, lang, model, trail, allow_outside_paths, other_outputs
        )


def _generate(
    dossier_path: str | os.PathLike,
    output: str | os.PathLike | None,
    taxonomy: str | os.PathLike | None,
    package: PackageInfo | None,
    validate: bool,
    lang: str | None,
    model: str | None,
    trail: bool,
    allow_outside_paths: bool,
    other_outputs: Sequence[tuple[str, str | os.PathLike | None]] = (),
) -> GenerateResult:
    t0 = time.perf_counter()
    dpath = Path(dossier_path)
    dossier = load_dossier(dpath, allow_outside_paths=allow_outside_paths)
    out = Path(output) if output is not None else default_output(dpath)
    _refuse_outputs_over_inputs(dossier, out, trail, other_outputs)
    if model is not None and model != dossier.model:
        dossier = dossier.with_changes(model=model)
    info = package or resolve_package(taxonomy)
    framework, framework_notice = framework_of(info, dossier.model, dossier.exercise.end)
    try:
        models = [dossier.model]
        if cached_catalog(info, dossier.model, framework) is None:
            models += _mapping_model(dossier)  # a first run: the mapping's full model is compiled beside it
        meanwhile = None
        if validate:  # a first run loads the validation's taxonomy while its catalogs compile
            from nbb_filing.checks.kept_dts import taxonomy_loader

            meanwhile = taxonomy_loader(info, dossier.model)
        catalog = load_catalogs(info, models, framework, meanwhile=meanwhile)[0]
    except ModelNotFound as e:
        raise InputError(f"{dossier.where('model')}: {e}") from None
    early_warnings = check_legal_form(catalog, dossier)  # refuses a legal form of another family
    mapped, closings = _figures_from_books(dossier, catalog)
    from_books = mapped is not None
    mapped = _with_dossier_note_figures(dossier, catalog, mapped)
    notes: tuple[str, ...] = tuple(n for n in (info.replica_notice, framework_notice) if n)
    if dossier.previous_filing:
        dossier, mapped, previous_notes = _with_previous_filing(dossier, catalog, mapped, info)
        notes += previous_notes
    factset: FactSet = build_facts(catalog, dossier, mapped, closings=closings)
    _check_balance_sheet(factset, dossier, from_books=from_books)
    _check_note_ties(catalog, factset)
    data, stats = build_instance(
        catalog,
        factset.facts,
        enterprise_number=dossier.entity.enterprise_number,
        closing=dossier.exercise.end,
        lang=dossier.language,
    )
    warnings = (*early_warnings, *factset.warnings, *_size_warnings(catalog, dossier, factset))
    _write_filing(out, data, factset)
    trail_path = None
    if trail:
        trail_path = _write_trail(dossier, catalog, out, data)
        if trail_path is None:
            notes += ("no audit trail: the dossier names no trial balance and mapping",)
    totals = _key_totals(catalog, factset, lang or dossier.language)
    seconds = time.perf_counter() - t0  # generation alone; validation reports its own time
    report = None
    context = _completeness_context(dossier)
    if validate:
        report = _validate(out, info, lang or dossier.language, context)
    return GenerateResult(
        output=out,
        model=catalog.model,
        framework=catalog.framework,
        package=f"{info.name} {info.version}",
        language=dossier.language,
        facts=stats.facts,
        contexts=stats.contexts,
        totals=totals,
        left_out=factset.left_out,
        seconds=seconds,
        notes=notes,
        validation=report,
        trail_path=trail_path,
        warnings=warnings,
        dossier_context=context,
    )


def _refuse_outputs_over_inputs(
    dossier: Dossier, out: Path, trail: bool, other_outputs: Sequence[tuple[str, str | os.PathLike | None]]
) -> None:
    """Refuse, before anything is written, an output that is the dossier, a file it names, or another output."""
    from nbb_filing.books.trail import trail_path_for
    from nbb_filing.core.atomic import refuse_overlaps
    from nbb_filing.filing.dossier_inputs import dossier_files

    inputs: list[tuple[str, str | os.PathLike | None]] = [("the dossier", dossier.path)]
    try:
        inputs += [("a file the dossier names", p) for p in dossier_files(dossier)[1:]]
    except InputError:
        pass  # a path outside the folder: refused later, naming its field, before anything is written
    outputs: list[tuple[str, str | os.PathLike | None]] = [("the filing (-o)", out)]
    if trail:
        outputs.append(("the audit trail", trail_path_for(out)))
    refuse_overlaps([*outputs, *other_outputs], inputs)


def _mapping_model(dossier: Dossier) -> list[str]:
    """The model whose rubrics the dossier's mapping targets (``[]`` when none, or not readable now:
    :func:`compute_mapped_figures` then reports it)."""
    if not dossier.inputs.mapping:
        return []
    from nbb_filing.books.mapping_file import load_mapping

    try:
        path = dossier.mapping_path()  # the folder rule: a file outside the dossier's folder is not read
        return [load_mapping(path).model] if path is not None and path.is_file() else []
    except NbbFilingError:
        return []


def _figures_from_books(dossier: Dossier, catalog: Catalog) -> tuple[RubricFigures | None, Closings | None]:
    """The mapped figures (with the notes' closing values) and the closings, or ``(None, None)``
    when the dossier names no trial balance and mapping."""
    mapped = compute_mapped_figures(dossier, catalog)
    if mapped is None:
        return None, None
    from nbb_filing.books.note_closings import with_closings
    from nbb_filing.filing.notes.fixed_assets import load_closings

    closings = load_closings(dossier)
    return with_closings(catalog, mapped, closings), closings  # the notes' closing values (8059, 8059P ...)


def _with_dossier_note_figures(
    dossier: Dossier, catalog: Catalog, mapped: RubricFigures | None
) -> RubricFigures | None:
    """``mapped`` plus the amounts of the notes from the books the dossier gives outright
    (guarantees in favour of group enterprises), written with or without trial balances."""
    from nbb_filing.filing.dossier_notes_books import dossier_note_figures

    if mapped is None:
        for block in ("debts", "group"):
            given = getattr(dossier, block, None)
            if given and (
                block == "debts" or any(getattr(given, k) for k in ("affiliated", "associated", "participating"))
            ):
                raise InputError(
                    f"{dossier.where(block)}: the accounts of {block}: are read from the trial balances through "
                    "the mapping's notes: rules; give inputs.trial_balance and inputs.mapping"
                )
    extra = dossier_note_figures(catalog, dossier)
    if not extra:
        return mapped
    return RubricFigures(catalog.model, (mapped.figures if mapped is not None else ()) + tuple(extra))


def _with_previous_filing(
    dossier: Dossier, catalog: Catalog, mapped: RubricFigures | None, info: PackageInfo
) -> tuple[Dossier, RubricFigures | None, tuple[str, ...]]:
    """The dossier and figures completed from last year's filing, and what it gave (notes)."""
    from nbb_filing.reading.previous import apply_previous_filing

    dossier, mapped, outcome = apply_previous_filing(dossier, catalog, mapped, info)
    return dossier, mapped, tuple(outcome.report_lines())


def _write_filing(out: Path, data: bytes, factset: FactSet) -> None:
    """Write the instance atomically, once it passes the NBB's size limits (filing and documents)."""
    from nbb_filing.taxonomy.limits import check_filing_size

    documents = {f.source: len(f.value) for f in factset.facts if isinstance(f.value, (bytes, bytearray))}
    check_filing_size(len(data), str(out), documents)
    write_instance(out, data)


def _write_trail(dossier: Dossier, catalog: Catalog, out: Path, filing: bytes) -> Path | None:
    """Write the mapping's audit trail beside ``out``, bound to the ``filing`` written there;
    ``None`` when the dossier names no books."""
    from nbb_filing.books.trail import build_trail, trail_path_for, write_trail

    built = build_trail(dossier, catalog)
    return None if built is None else write_trail(built, trail_path_for(out), filing)


def framework_of(info: PackageInfo, model: str, closing: date) -> tuple[str | None, str | None]:
    """The framework of ``info`` for ``model`` and accounts closed on ``closing``, with a notice or ``None``.

    The framework in force for the closing date (``taxonomies/releases.yaml``) when the package
    carries it for the model, else the newest it carries (see :func:`framework_for_closing`).
    """
    carried = tuple(sorted({e.framework for e in info.entry_points if e.model == model}))
    if not carried:
        return None, None  # load_catalog says the model is not in the package
    return framework_for_closing(
        carried, closing, package_label=info.path.name, replica=replica_of(info.name, info.version)
    )


def _rubric_values(factset: FactSet) -> dict[str, dict[str, Decimal]]:
    """period -> rubric -> amount of the facts about to be written (untyped amount facts only)."""
    values: dict[str, dict[str, Decimal]] = {"current": {}, "previous": {}}
    for f in factset.facts:
        dp = f.datapoint
        if dp.rubric and dp.period in values and not f.typed and isinstance(f.value, Decimal):
            values[dp.period][dp.rubric] = f.value
    return values


def _check_note_ties(catalog: Catalog, factset: FactSet) -> None:
    """The notes tie to the statements (``data/notes-from-books.yaml``) in the facts about to be
    written, whether their figures come from the books or from the dossier's ``figures:``."""
    from nbb_filing.books.note_ties import note_tie_problems

    available = set(catalog.rubrics())
    problems = [
        f"{period} year: {why}"
        for period, values in _rubric_values(factset).items()
        for why in note_tie_problems(values, available)
    ]
    if problems:
        raise FindingsError(f"{len(problems)} note tie(s) do not hold: " + "; ".join(problems))


def _size_warnings(catalog: Catalog, dossier: Dossier, factset: FactSet) -> list[str]:
    """Does the model fit the entity's size (CSA art. 1:24, 1:25, 3:47)?  Warnings only."""
    placed = load_legal_forms().family_of_model(catalog.model)
    if placed is None:
        return []
    family, size = placed
    kind = "associations" if family.name == "association" else "companies"
    values = _rubric_values(factset)
    years = [size_mod.YearFigures(str(dossier.exercise.end.year), size_mod.criterion_values(kind, values["current"]))]
    if dossier.previous_exercise is not None:
        label = str(dossier.previous_exercise.end.year)
        years.append(size_mod.YearFigures(label, size_mod.criterion_values(kind, values["previous"])))
    fitting = {size_mod.MODEL_CATEGORY[s]: f"{stem}-{dossier.part}" for s, stem in family.models}
    found = size_mod.size_warnings(
        kind, catalog.model, size, years, dossier.exercise.start, group_member=dossier.entity.group, fitting=fitting
    )
    return [f"{dossier.where('model')}: {w}" for w in found]


def _check_balance_sheet(factset: FactSet, dossier: Dossier, *, from_books: bool) -> None:
    """Total assets = total liabilities in each period, from the facts to be written (whatever the package holds).

    With trial balances every period with figures is checked (an absent total is zero); with
    figures typed into the dossier only, a period where both totals are given.
    """
    codes = closing_rubrics()
    values = _rubric_values(factset)
    problems = []
    for period, vals in values.items():
        both = all(codes.get(r) in vals for r in ("total_assets", "total_liabilities"))
        if not vals or not (from_books or both):
            continue
        where = dossier.where("figures") if dossier.figures else dossier.where("inputs", "trial_balance")
        why = balance_sheet_mismatch(vals, where, period)
        if why:
            problems.append(why)
    if problems:
        raise FindingsError("; ".join(problems))


def _key_totals(catalog: Catalog, factset: FactSet, lang: str) -> tuple[KeyTotal, ...]:
    table = load_table()
    values = {(f.datapoint.rubric, f.datapoint.period): f.value for f in factset.facts if f.datapoint.rubric}
    out = []
    for role in SUMMARY_ROLES:
        code = table.rubrics.get(role)
        if not code or not catalog.has_rubric(code):
            continue
        label = catalog.by_rubric(code)[0].label(lang)
        out.append(KeyTotal(role, code, label, values.get((code, "current")), values.get((code, "previous"))))
    return tuple(out)


def _completeness_context(dossier: Dossier) -> Any:
    """What the dossier adds to the filing's completeness check (declared sections, dossier facts)."""
    from nbb_filing.checks.completeness import context_from_dossier

    return context_from_dossier(dossier)


def _validate(path: Path, info: PackageInfo, lang: str, context: Any = None) -> Any:
    """Run the validation engine on the written file (imported lazily: it loads Arelle)."""
    from nbb_filing.checks.validate import validate_files

    return validate_files([path], package=info, lang=lang, dossier=context)


# ====================================================================== taxonomy coverage


@dataclass(frozen=True)
class SectionCoverage:
    """One section (table) of a model: its cells and what fills each of them."""

    section: str
    label: str
    cells: int
    mapping: tuple[str, ...]  # rubric codes the family's shipped mapping gives (rules:, notes:, fixed_assets:, totals)
    dossier: tuple[str, ...]  # dossier keys that fill cells of the section
    dossier_cells: int
    generic: int  # cells only figures:/datapoint_facts: reach

    def to_json(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "label": self.label,
            "cells": self.cells,
            "mapping_rubrics": list(self.mapping),
            "mapping_cells": self.cells - self.dossier_cells - self.generic,
            "dossier_keys": list(self.dossier),
            "dossier_cells": self.dossier_cells,
            "generic_only_cells": self.generic,
        }


@dataclass(frozen=True)
class ModelCoverage:
    """What fills the model's cells (``nbb-filing taxonomy coverage MODEL``), and what the package lacks."""

    model: str
    package: str
    mapping: str | None
    sections: tuple[SectionCoverage, ...]
    # (rubric, "package" | "model"): rubrics of the mapping's notes: rules that reach no cell of the model,
    # because no model of the family has them in the installed package, or because another model has them
    lacking: tuple[tuple[str, str], ...]
    ties: tuple[tuple[str, bool], ...]  # (tie id, checked for this model: every rubric present)

    def to_json(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "package": self.package,
            "mapping": self.mapping,
            "sections": [s.to_json() for s in self.sections],
            "lacking": [{"rubric": r, "missing_from": where} for r, where in self.lacking],
            "ties": [{"id": t, "checked": ok} for t, ok in self.ties],
        }


def _mapped_rubrics(catalog: Catalog, mapping_name: str | None) -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """rubric -> how the shipped mapping fills it ('rules:', 'notes:', 'notes: + dossier debts:' ...,
    'totals'), and the notes rules' rubrics that reach no cell of ``catalog``'s model."""
    if mapping_name is None:
        return {}, ()
    from nbb_filing.books.mapping import full_model_catalog
    from nbb_filing.books.mapping_file import load_mapping
    from nbb_filing.books.mapping_lint import family_catalogs
    from nbb_filing.books.note_closings import Closings as _Closings
    from nbb_filing.books.note_closings import closing_figures
    from nbb_filing.books.totals import model_totals, solve_totals

    mp = load_mapping(mapping_name)
    full = full_model_catalog(mp, catalog)
    how: dict[str, str] = {}
    for r in mp.rubric_rules():
        how.setdefault(r.target or "", "rules:")
    for n in mp.notes:
        extra = " + dossier debts:" if n.portion else " + dossier group:" if n.group else ""
        how.setdefault(n.rubric, f"notes:{extra}")
    fake = dict.fromkeys(how, Decimal(0))
    solve_totals(fake, {}, model_totals(full, mp.totals, catalog))
    for code in fake:
        how.setdefault(code, "totals")
    classes = frozenset(r.note.split(".", 1)[0] for r in mp.fixed_assets)
    notes = {r.note: None for r in mp.fixed_assets}
    if notes:
        from nbb_filing.books.note_closings import Closing

        cur = {n: Closing(n, Decimal(1), (), "") for n in notes}
        for f in closing_figures(catalog, _Closings(mp.source, cur, cur, classes)):
            how.setdefault(f.rubric, "fixed_assets:")
    # a note rubric the model does not show is "lacking" only when no model of the family has it in
    # the installed package and no total of this model is made of it (8842 reaches m81-f as 8912)
    totals = model_totals(full, mp.totals, catalog)
    parents: dict[str, set[str]] = {}
    for t in totals:
        for _, c in t.terms:
            parents.setdefault(c, set()).add(t.rubric)

    def reaches_model(code: str, seen: frozenset[str] = frozenset()) -> bool:
        if catalog.has_rubric(code):
            return True
        return any(p not in seen and reaches_model(p, seen | {code}) for p in parents.get(code, ()))

    family = family_catalogs(mp, {full.model: full, catalog.model: catalog})
    lacking = {}
    for n in mp.notes:
        if n.rubric in lacking or reaches_model(n.rubric):
            continue
        lacking[n.rubric] = "package" if not any(c.has_rubric(n.rubric) for c in family) else "model"
    return how, tuple(lacking.items())


def _dossier_cells(catalog: Catalog) -> dict[str, str]:
    """datapoint key -> the dossier key that fills it (identification fields by metric, the notes'
    movements, the social balance sheet, the participations list, the group amounts)."""
    from nbb_filing.books.note_ties import dossier_rubrics
    from nbb_filing.books.notes_table import load_notes_table
    from nbb_filing.filing.binding import dossier_fields
    from nbb_filing.filing.notes.social_balance import load_social_table

    out: dict[str, str] = {}
    fields = dossier_fields()
    for dp in catalog.datapoints:
        names = fields.get(dp.metric)
        if names and not dp.rubric:
            # by metric: a field of the identification, people, documents or participations
            out[dp.key] = "dossier fields (dossier-datapoints.yaml)"
    table = load_notes_table()
    for key in table.movement_keys(catalog):
        out[key] = "fixed_assets:"
    social = load_social_table()
    for m in social.measures:
        for regime in social.regimes:
            for gender in social.genders:
                for period in social.periods:
                    cell = social.cell(catalog, m, regime, gender, period)
                    if cell is not None:
                        out[cell.key] = f"social_balance.{m}"
    for key, codes in dossier_rubrics().items():
        code = next((c for c in codes if catalog.has_rubric(c)), None)
        if code:
            for dp in catalog.by_rubric(code):
                out[dp.key] = key
    return out


def _primary_cell(catalog: Catalog, dp: Any) -> bool:
    """Is ``dp`` the amount cell a rubric figure of its code goes to (not a second table's cell
    with the same code, such as the results note's items of exceptional size 76/66)?"""
    if catalog.metric_type(dp).kind != "amount" or dp.period not in ("current", "previous"):
        return False
    try:
        return catalog.lookup(dp.rubric, dp.period).key == dp.key
    except NbbFilingError:
        return False


def taxonomy_coverage(
    model: str,
    *,
    taxonomy: str | os.PathLike | None = None,
    package: PackageInfo | None = None,
    framework: str | None = None,
    lang: str = "en",
) -> ModelCoverage:
    """Every section of ``model`` with its cell count and what fills its cells: a rule of the
    family's shipped mapping (``rules:``, ``notes:``, ``fixed_assets:``, or a total of them), a
    dossier key, or only the generic ``figures:``/``datapoint_facts:``; and the rubrics the shipped
    mapping's ``notes:`` rules feed that the installed package lacks for the model."""
    from nbb_filing.books.note_ties import load_ties

    info = package or resolve_package(taxonomy)
    catalog = load_catalog(info, model, framework)
    placed = load_legal_forms().family_of_model(model)
    mapping_name = placed[0].name if placed is not None else None
    how, lacking = _mapped_rubrics(catalog, mapping_name)
    dossier = _dossier_cells(catalog)
    labels = {t.section: t.label(lang) for t in catalog.tables}
    sections: dict[str, list[Any]] = {}
    for dp in catalog.datapoints:
        sections.setdefault(dp.section, []).append(dp)
    out = []
    for sec, dps in sections.items():
        mapped: list[str] = []
        keys: list[str] = []
        n_dossier = generic = 0
        for dp in dps:
            if dp.rubric and dp.rubric in how and _primary_cell(catalog, dp):
                label = f"{dp.rubric} ({how[dp.rubric]})"
                if label not in mapped:
                    mapped.append(label)
            elif dp.key in dossier:
                n_dossier += 1
                if dossier[dp.key] not in keys:
                    keys.append(dossier[dp.key])
            else:
                generic += 1
        out.append(SectionCoverage(sec, labels.get(sec, ""), len(dps), tuple(mapped), tuple(keys), n_dossier, generic))
    have = set(catalog.rubrics()) | set(how)
    ties = tuple(
        (t.id, all(c in have for c in t.codes) and all(catalog.has_rubric(c) for c in t.codes)) for t in load_ties()
    )
    return ModelCoverage(catalog.model, f"{info.name} {info.version}", mapping_name, tuple(out), lacking, ties)
