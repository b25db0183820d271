"""``nbb-filing validate``: would the NBB accept this filing?  Arelle offline, NBB assertions, protocol rules.

Three sources of findings, one report per file:

* **Arelle** (in-process, offline, with the taxonomy package): XBRL 2.1, XBRL Dimensions,
  schema facets, extensible enumerations, and every formula assertion of the filing's model.  The
  taxonomy itself is not re-validated (``baseTaxonomyValidation none``): it is the NBB's, and
  checking it costs more than checking the filing.
* **Filing-protocol rules** that no assertion covers (:mod:`nbb_filing.checks.protocol`), one function
  per rule, run on the facts as read by :mod:`nbb_filing.reading.reader`.
* **Framework moves**: a filing made with another framework (last year's 23.0 filing, a 25.0
  one) is moved to the installed package's framework before validation; that is reported as an
  info finding, because the NBB would validate it with its own framework.

Beside the findings, the **completeness** of the accounts (:mod:`nbb_filing.checks.completeness`):
the sections the model, the figures, the facts and the legal form require, judged on the same facts;
a required section left empty makes the file INCOMPLETE (exit code 1, like a blocking finding).

Why validity is decided from the *messages* and not from Arelle's return values: Arelle returns
"loaded" for invalid instances, and its command-line exit code says 3 whenever formulas ran.  The
NBB decides from error-level messages, so do we: an ``error`` record is blocking, an unsatisfied
assertion is classified by its NBB family (``va_`` statutory: blocks; ``ca_`` complementary,
``cs_``/``cx_`` social balance sheet: warnings; anything else by the severity the package
declares for it).

Where the parts live: this module is the public entry (one file from scratch, or several through the
kept taxonomy); :mod:`nbb_filing.checks.prepare` reads a file and runs every check that is not
Arelle's; :mod:`nbb_filing.checks.kept_dts` keeps a model's taxonomy loaded and validates files on
it in forked children (batches, a first run, ``watch``).

Assertion counts come from the assertion objects of the loaded DTS after evaluation (what
``--formulaAsserResultCounts`` prints): an assertion of the model that was never evaluated is
"skipped because nothing was reported for it" (its variables found no facts), which is not the
same as satisfied and is said so in the summary.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

from nbb_filing.checks import kept_dts
from nbb_filing.checks.arelle_messages import FactMapper, collect_findings, messages_in
from nbb_filing.checks.completeness import NO_DOSSIER, CompletenessContext
from nbb_filing.checks.dimension_hints import Hints, hinted
from nbb_filing.checks.findings import FileReport, ValidationReport
from nbb_filing.checks.kept_dts import skip_patterns
from nbb_filing.checks.prepare import TEMP_PREFIX, Job, prepare
from nbb_filing.core.errors import NbbFilingError
from nbb_filing.core.lifetime import die_with_parent, run_temp_dir, terminate_as_exit
from nbb_filing.taxonomy.packages import PackageInfo

# ====================================================================== public API


def validate_files(
    paths: Sequence[str | os.PathLike],
    package: PackageInfo | str | os.PathLike | None = None,
    lang: str = "fr",
    workers: int | None = None,
    *,
    reuse: bool | None = None,
    progress: Any = None,
    dossier: CompletenessContext | None = None,
) -> ValidationReport:
    """Validate each filing in ``paths`` with ``package``; never raises for a bad file.

    A file that cannot be validated (unreadable, not an NBB instance, model not in the package)
    gets a :class:`FileReport` with ``error`` set (exit code 2); only a missing or broken package
    raises (:class:`~nbb_filing.core.errors.PackageError`), since then nothing can be validated.

    Reuse (``reuse=True``, the default where ``os.fork`` exists, i.e. Linux): the model's
    taxonomy (DTS) is loaded and its formulas compiled ONCE in this process; each file is then
    validated in a forked child that adds the instance to that loaded taxonomy, so a file costs
    its own load and the formula run only, and no state leaks from one file to the next (the
    child is thrown away).  ``workers`` children run at the same time.  Without fork
    (``reuse=False``, other systems, ``NBB_FILING_VALIDATE_REUSE=0``) each file is loaded from
    scratch, in this process or in ``workers`` spawned processes.

    ``progress``: a :class:`nbb_filing.core.progress.ProgressHook` told about the long steps (taxonomy
    load, validation); nothing is printed without one.

    ``dossier``: what the dossier the files were generated from adds to the completeness check
    (sections declared not applicable, facts only a dossier knows; see
    :func:`nbb_filing.checks.completeness.context_from_dossier`); without it each file is judged on
    its own facts, and what they cannot decide is reported as such.
    """
    from nbb_filing.core.progress import reporting, step

    with reporting(progress), step(f"validating {len(paths)} file(s) with Arelle"):
        return _validate_files(paths, package, lang, workers, reuse, dossier or NO_DOSSIER)


def _validate_files(
    paths: Sequence[str | os.PathLike],
    package: PackageInfo | str | os.PathLike | None,
    lang: str,
    workers: int | None,
    reuse: bool | None,
    context: CompletenessContext = NO_DOSSIER,
) -> ValidationReport:
    from nbb_filing.taxonomy.packages import inspect_package, resolve_package

    started = time.perf_counter()
    if isinstance(package, PackageInfo):
        info = package
    elif package is not None:
        info = inspect_package(package)
    else:
        info = resolve_package(None)
    from nbb_filing.taxonomy import arelle_env

    files = [str(p) for p in paths]
    n = max(1, min(int(workers or 1), len(files) or 1))
    plain_note = arelle_env.plain_arelle_note()  # an Arelle release the speed-ups were not verified with
    if plain_note is not None:
        reuse = False
    if reuse is None:
        # one file of a model not loaded yet: validated in this process (no second copy of the DTS),
        # unless its catalog must be compiled first (then the taxonomy is loaded meanwhile, and kept)
        fork = kept_dts.fork_available()
        reuse = fork and (len(files) > 1 or kept_dts.any_dts_loaded())
        if fork and not reuse and len(files) == 1:
            reuse = _load_while_compiling(files[0], info)
    reports: list[FileReport]
    taxonomy_seconds = 0.0
    # SIGTERM (a CI timeout) ends the run through SystemExit: children are killed, temp folders removed
    with terminate_as_exit():
        if reuse:
            reports, taxonomy_seconds = kept_dts.validate_reusing_dts(files, info, lang, n, context)
        elif n > 1:
            reports = _validate_in_pool(files, info, lang, n, context)
        else:
            reports = [validate_file(f, info, lang, context) for f in files]
    return ValidationReport(
        files=reports,
        package=info.path.name,
        package_version=info.version,
        lang=lang,
        seconds=time.perf_counter() - started,
        taxonomy_seconds=taxonomy_seconds,
        notice="; ".join(n for n in (info.replica_notice, plain_note) if n),
    )


def _load_while_compiling(path: str, info: PackageInfo) -> bool:
    """A first validation of one file, its model's catalog not compiled yet: the catalog is compiled in
    a forked child while this process loads the model's taxonomy (as ``generate --validate`` does on
    a first run), and the file is then validated on that taxonomy in a forked child.  Returns whether
    the taxonomy is loaded; ``False`` (nothing done) when the catalog is at hand, the file names no
    model of the package near its start, or nothing can be forked beside it."""
    from nbb_filing.taxonomy.catalog_cache import cached_catalog, load_catalogs
    from nbb_filing.taxonomy.filing_xml import model_hint

    model = model_hint(path)
    if model is None or model not in info.models or cached_catalog(info, model) is not None:
        return False
    try:
        load_catalogs(info, [model], meanwhile=kept_dts.taxonomy_loader(info, model))
    except NbbFilingError:
        pass  # the catalog could not be compiled: the file's preparation reports why
    return kept_dts.dts_loaded(info, model)


def _validate_in_pool(
    files: list[str], info: PackageInfo, lang: str, n: int, context: CompletenessContext
) -> list[FileReport]:
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")  # a fresh interpreter per worker
    pool = ProcessPoolExecutor(max_workers=n, mp_context=ctx, initializer=die_with_parent, initargs=(os.getpid(),))
    try:
        return list(pool.map(_worker_validate, [(f, info, lang, context) for f in files]))
    except BaseException:
        for proc in list(getattr(pool, "_processes", {}).values()):  # workers end with the run
            proc.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)


def reuse_available() -> bool:
    """Whether validations can reuse a loaded taxonomy here (``os.fork`` on Linux, not switched off)."""
    return kept_dts.fork_available()


def _worker_validate(args: tuple[str, PackageInfo, str, CompletenessContext]) -> FileReport:
    path, info, lang, context = args  # the package travels as it was checked: no re-hashing per file
    return validate_file(path, info, lang, context)


def validate_file(
    path: str | os.PathLike, info: PackageInfo, lang: str = "fr", dossier: CompletenessContext | None = None
) -> FileReport:
    """Validate one filing from scratch in this process (see :func:`validate_files`)."""
    started = time.perf_counter()
    report = FileReport(path=str(path))
    try:
        with run_temp_dir(TEMP_PREFIX) as tmp:
            job = prepare(report, Path(path), info, lang, tmp, dossier or NO_DOSSIER)
            _run_arelle(report, job, info, lang)
    except NbbFilingError as e:
        report.error = str(e)
    report.seconds = time.perf_counter() - started
    return report


def _run_arelle(report: FileReport, job: Job, info: PackageInfo, lang: str) -> None:
    """Load the instance with its whole taxonomy from scratch, validate, collect (no reuse)."""
    from nbb_filing.taxonomy import arelle_env

    kept_dts.configure(info)
    from nbb_filing.core.progress import step

    with (
        step(f"loading and validating {job.target.name} with its taxonomy (Arelle)"),
        arelle_env.LOCK,
        arelle_env.capture() as log,
    ):
        model = None
        try:
            model = arelle_env.load(info, str(job.target), log, skip=skip_patterns())
            from arelle import Validate

            # the dimension hints replace an Arelle function: only on a verified Arelle release
            hints: AbstractContextManager[Hints] = hinted({}) if arelle_env.speedups_verified() else nullcontext({})
            with messages_in(lang), hints:
                Validate.validate(model)
            collect_findings(report, model, log.records, FactMapper(model, job.catalog, lang, job.line_by_id))
        finally:
            if model is not None:
                try:
                    model.close()
                except Exception:  # pragma: no cover - closing never decides anything
                    pass
