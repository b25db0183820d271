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
from nbb_filing.taxonomy.catalog_cache import cached_catalog, load_catalogs
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
    if dossier.previous_exercise is not None and not inp.previous_trial_balance and not dossier.previous_filing:
        raise InputError(
            f"{dossier.where('inputs')}: the dossier has a previous_exercise, give previous_trial_balance too"
        )
    from nbb_filing.books.ledger import read_trial_balance
    from nbb_filing.books.mapping import compute_figures
    from nbb_filing.books.mapping_file import load_mapping, locate_mapping

    mapping_file = locate_mapping(inp.mapping, dossier.base_dir)
    for key in ("trial_balance", "previous_trial_balance", "mapping"):
        rel = getattr(inp, key)
        # the mapping holds rules, not content of the filing: a shipped one or a shared file (../../mappings/)
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
    return compute_figures(catalog, mp, current, previous)


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
) -> GenerateResult:
    """Generate the filing of ``dossier_path`` into ``output`` (default: beside the dossier, ``.xbrl``).

    ``model`` overrides the dossier's model (used to test coarser models on the same inputs);
    ``lang`` is the language of labels in messages (the filing language is the dossier's).
    ``trail`` also writes the mapping's audit trail beside the output (``FILE.trail.json``).
    ``allow_outside_paths``: documents, trial balances and the previous filing the dossier names
    may lie outside its folder (refused by default: a dossier may come from someone else).
    Raises :class:`NbbFilingError` subclasses with one-line messages; writes nothing on error.
    ``progress``: a :class:`nbb_filing.core.progress.ProgressHook` told about the long steps (catalog
    compile, validation); nothing is printed without one.
    """
    from nbb_filing.core.progress import reporting

    with reporting(progress):
        return _generate(dossier_path, output, taxonomy, package, validate, lang, model, trail, allow_outside_paths)


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
) -> GenerateResult:
    t0 = time.perf_counter()
    dpath = Path(dossier_path)
    dossier = load_dossier(dpath, allow_outside_paths=allow_outside_paths)
    if model is not None and model != dossier.model:
        dossier = dossier.with_changes(model=model)
    info = package or resolve_package(taxonomy)
    framework, framework_notice = framework_of(info, dossier.model, dossier.exercise.end)
    try:
        models = [dossier.model]
        if cached_catalog(info, dossier.model, framework) is None:
            models += _mapping_model(dossier)  # a first run: the mapping's full model is compiled beside it
        catalog = load_catalogs(info, models, framework)[0]
    except ModelNotFound as e:
        raise InputError(f"{dossier.where('model')}: {e}") from None
    early_warnings = check_legal_form(catalog, dossier)  # refuses a legal form of another family
    mapped, closings = _figures_from_books(dossier, catalog)
    from_books = mapped is not None
    notes: tuple[str, ...] = tuple(n for n in (info.replica_notice, framework_notice) if n)
    if dossier.previous_filing:
        dossier, mapped, previous_notes = _with_previous_filing(dossier, catalog, mapped, info)
        notes += previous_notes
    factset: FactSet = build_facts(catalog, dossier, mapped, closings=closings)
    _check_balance_sheet(factset, dossier, from_books=from_books)
    data, stats = build_instance(
        catalog,
        factset.facts,
        enterprise_number=dossier.entity.enterprise_number,
        closing=dossier.exercise.end,
        lang=dossier.language,
    )
    warnings = (*early_warnings, *factset.warnings, *_size_warnings(catalog, dossier, factset))
    out = Path(output) if output is not None else default_output(dpath)
    _write_filing(out, data, factset)
    trail_path = None
    if trail:
        trail_path = _write_trail(dossier, catalog, out)
        if trail_path is None:
            notes += ("no audit trail: the dossier names no trial balance and mapping",)
    totals = _key_totals(catalog, factset, lang or dossier.language)
    seconds = time.perf_counter() - t0  # generation alone; validation reports its own time
    report = None
    if validate:
        report = _validate(out, info, lang or dossier.language)
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
    )


def _mapping_model(dossier: Dossier) -> list[str]:
    """The model whose rubrics the dossier's mapping targets (``[]`` when none, or not readable now:
    :func:`compute_mapped_figures` then reports it)."""
    if not dossier.inputs.mapping:
        return []
    from nbb_filing.books.mapping_file import load_mapping, locate_mapping

    try:
        path = locate_mapping(dossier.inputs.mapping, dossier.base_dir)
        return [load_mapping(path).model] if path.is_file() else []
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


def _write_trail(dossier: Dossier, catalog: Catalog, out: Path) -> Path | None:
    """Write the mapping's audit trail beside ``out``; ``None`` when the dossier names no books."""
    from nbb_filing.books.trail import build_trail, trail_path_for, write_trail

    built = build_trail(dossier, catalog)
    return None if built is None else write_trail(built, trail_path_for(out))


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


def _validate(path: Path, info: PackageInfo, lang: str) -> Any:
    """Run the validation engine on the written file (imported lazily: it loads Arelle)."""
    from nbb_filing.checks.validate import validate_files

    return validate_files([path], package=info, lang=lang)
