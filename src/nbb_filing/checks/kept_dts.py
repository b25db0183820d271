"""A model's taxonomy kept loaded, and the forked children that validate filings on it.

Loading a model's taxonomy (its DTS, the assertions compiled) costs seconds; a filing on a loaded one
costs its own load and the formula run.  So :func:`nbb_filing.checks.validate.validate_files`
(several files), ``generate --validate`` on a first run and every session (``watch``) keep the
taxonomy loaded in this process and validate each filing in a forked child, thrown away afterwards
so that nothing of one validation leaks into the next.  Here: the kept taxonomies
(:func:`load_dts`, :func:`dts_for`), the children (forked, reaped, their reports put in place), and
a session's last file kept loaded in a child that validates the next one when only fact values
changed (:func:`validate_kept`, :mod:`nbb_filing.checks.kept_filing`).

Limit: needs ``os.fork`` (Linux) and an Arelle release the speed-ups were verified with
(:func:`fork_available`); elsewhere :mod:`nbb_filing.checks.validate` loads each file from scratch.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from nbb_filing.checks.arelle_messages import FactMapper, collect_findings, messages_in
from nbb_filing.checks.completeness import NO_DOSSIER, CompletenessContext
from nbb_filing.checks.dimension_hints import Hints, hinted
from nbb_filing.checks.dts_prechecked import PreChecked
from nbb_filing.checks.findings import FileReport, ValidationReport
from nbb_filing.checks.formula_halves import formulas_on_two_cores
from nbb_filing.checks.kept_filing import (
    UNPATCHABLE,
    Change,
    KeptFiling,
    loaded_as_kept,
    patch_facts,
    snapshot,
    text_changes,
)
from nbb_filing.checks.prepare import TEMP_PREFIX, Job, Opened, check_filing, open_filing, prepare
from nbb_filing.core.errors import NbbFilingError
from nbb_filing.core.lifetime import Children, die_with_parent, run_temp_dir, terminate_as_exit
from nbb_filing.taxonomy.packages import PackageInfo

#: Taxonomy documents validation does not need (``arelleCmdLine --skipLoading`` patterns): the
#: table linkbases (layout only; Arelle checks and compiles them for seconds) and the label
#: linkbases (our messages take labels from the catalog; Arelle's name concepts by QName).
#: ``NBB_FILING_VALIDATE_SKIP`` overrides them (``|``-separated; empty: load everything).
SKIP_LOADING = ("*-rend.xml", "*-lab.xml", "*-label.xml")


def skip_patterns() -> tuple[str, ...]:
    """The file-name patterns of taxonomy documents a validation does not load."""
    env = os.environ.get("NBB_FILING_VALIDATE_SKIP")
    if env is None:
        return SKIP_LOADING
    return tuple(p.strip() for p in env.split("|") if p.strip())


def fork_available() -> bool:
    """Whether validations can reuse a loaded taxonomy here: ``os.fork`` (Linux), not switched off
    (``NBB_FILING_VALIDATE_REUSE=0``), and an Arelle release the speed-ups were verified with."""
    from nbb_filing.taxonomy import arelle_env

    if os.environ.get("NBB_FILING_VALIDATE_REUSE", "").strip() in ("0", "no", "false"):
        return False
    # the kept taxonomy relies on the speed-ups (Arelle functions replaced): verified releases only
    return hasattr(os, "fork") and sys.platform.startswith("linux") and arelle_env.speedups_verified()


# ====================================================================== reuse: one DTS, forked children

_dts: dict[tuple[str, str], Any] = {}
#: the taxonomy-only checks done once per kept taxonomy (:mod:`nbb_filing.checks.dts_prechecked`)
_prechecked: dict[tuple[str, str], PreChecked] = {}
#: per kept taxonomy, the link roles that made each kind of fact valid (:mod:`nbb_filing.checks.dimension_hints`)
_hints: dict[tuple[str, str], Hints] = {}


def clear_dts_cache() -> None:
    """Close the taxonomies kept loaded for reuse (they stay for the life of the process otherwise),
    and end the child keeping a session's last file loaded."""
    _drop_kept()
    for model in _dts.values():
        try:
            model.close()
        except Exception:  # pragma: no cover
            pass
    _dts.clear()
    _prechecked.clear()
    _hints.clear()
    gc.unfreeze()  # what the closed taxonomies leave is garbage the collector may now see (see dts_for)


def load_dts(info: PackageInfo, model: str) -> Any:
    """Load ``model``'s taxonomy (formulas compiled) and keep it for the validations that follow in
    this process; returns Arelle's ``ModelXbrl``.  ``validate_files(..., reuse=True)`` then validates
    each file on it in a forked child (a file costs its own load and the formula run only)."""
    return dts_for(info, model)


def taxonomy_loader(info: PackageInfo, model: str) -> Callable[[], None] | None:
    """What a first run does while forked children compile its catalogs
    (:func:`nbb_filing.taxonomy.catalog_cache.load_catalogs`, ``meanwhile``): load ``model``'s
    taxonomy and keep it, as for several files, so that the validation then costs the instance and
    the assertions only.  A taxonomy that cannot be loaded is left to the validation, which meets it
    again and reports it.  ``None`` where validations cannot reuse a loaded taxonomy (no ``fork``, an
    Arelle release not verified)."""
    if not fork_available():
        return None

    def load() -> None:
        try:
            dts_for(info, model)
        except NbbFilingError:
            pass

    return load


def any_dts_loaded() -> bool:
    """Whether some model's taxonomy is kept loaded in this process."""
    return bool(_dts)


def dts_loaded(info: PackageInfo, model: str) -> bool:
    """Whether ``model``'s taxonomy of package ``info`` is kept loaded in this process."""
    return (info.sha256, model) in _dts


def dts_for(info: PackageInfo, model: str) -> Any:
    """The model's taxonomy loaded from its entry point, formulas compiled (once per process)."""
    from nbb_filing.taxonomy import arelle_env

    key = (info.sha256, model)
    if key in _dts:
        return _dts[key]
    # one loaded taxonomy at a time (a model's DTS weighs 150-400 MB); files are grouped by model
    if _dts:
        clear_dts_cache()
    configure(info)
    from nbb_filing.core.progress import step

    with (
        step(f"loading taxonomy {model} and compiling its assertions (Arelle)"),
        arelle_env.LOCK,
        arelle_env.capture() as log,
    ):
        dts = arelle_env.load(info, info.entry_point(model).url, log, skip=skip_patterns())
        from nbb_filing.checks.dts_prechecked import precheck
        from nbb_filing.checks.warm_dts import warm

        warm(dts)
        # Arelle's checks of the taxonomy alone, once; this also compiles every assertion's XPath,
        # so that each child inherits the compiled programs
        _prechecked[key] = precheck(dts)
    # The loaded taxonomy is millions of objects that live until the process ends.  Frozen (moved
    # to the collector's permanent generation, Python's documented way of preparing a fork), the
    # forked children's garbage collections no longer walk them: without it each child spent
    # ~0.3 s in collections, and touched (copied, copy-on-write) pages of the parent's memory.
    gc.freeze()
    _dts[key] = dts
    return dts


def validate_reusing_dts(
    files: list[str], info: PackageInfo, lang: str, workers: int, context: CompletenessContext = NO_DOSSIER
) -> tuple[list[FileReport], float]:
    """Reports of ``files`` and the seconds spent loading taxonomies in this call."""
    reports: list[FileReport] = []
    taxonomy_seconds = 0.0
    with run_temp_dir(TEMP_PREFIX) as tmp, Children() as children:
        jobs: list[Job | None] = []
        for i, f in enumerate(files):
            started = time.perf_counter()
            report = FileReport(path=f)
            job = None
            try:
                job = prepare(report, Path(f), info, lang, Path(tmp) / f"{i:04d}", context)
            except NbbFilingError as e:
                report.error = str(e)
            report.seconds = time.perf_counter() - started
            reports.append(report)
            jobs.append(job)
        running: list[_Child] = []
        # grouped by model, so that each model's taxonomy is loaded once; reports keep file order
        order = sorted((i for i, j in enumerate(jobs) if j is not None), key=lambda i: (jobs[i].model, i))  # type: ignore[union-attr]
        for i in order:
            job = jobs[i]
            assert job is not None
            if (info.sha256, job.model) not in _dts:
                # Children share the parent's open file descriptors (the package ZIP): the parent
                # reads no taxonomy file while a child runs.
                while running:
                    _reap(running.pop(0), reports, children)
            loading = time.perf_counter()
            try:
                dts = dts_for(info, job.model)
            except NbbFilingError as e:
                taxonomy_seconds += time.perf_counter() - loading
                reports[i].error = str(e)
                continue
            taxonomy_seconds += time.perf_counter() - loading
            if len(running) >= workers:
                _reap(running.pop(0), reports, children)
            running.append(_fork_child(i, reports[i], dts, job, info, lang))
            children.add(running[-1].pid)
        for r in running:
            _reap(r, reports, children)
    return reports, taxonomy_seconds


class _Child(NamedTuple):
    """A forked validation: the file's place in the reports, the process, the read end of its pipe."""

    position: int
    pid: int
    fd: int
    started: float
    taxonomy: tuple[str, str]  # (package SHA-256, model): where its dimension hints go


def _fork_child(
    index: int, report: FileReport, dts: Any, job: Job, info: PackageInfo, lang: str, two_cores: bool = False
) -> _Child:

    key = (info.sha256, job.model)

    rfd, wfd = os.pipe()
    started = time.perf_counter()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:  # the child: validate, send the report back, leave without cleanup handlers
        try:
            die_with_parent(parent)  # a killed parent (even SIGKILL) takes its children along
            os.close(rfd)
            pre, hints = _prechecked.get(key), _hints.get(key, {})
            payload = _answer_of(report, lambda: _validate_on_dts(report, dts, job, lang, pre, hints, two_cores))
            with os.fdopen(wfd, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)
    os.close(wfd)
    return _Child(index, pid, rfd, started, key)


def _answer_of(report: FileReport, validate: Callable[[], Hints]) -> bytes:
    """In a validation child: what goes back to the parent, ``(report, hints learnt)`` or, whatever
    went wrong, the one-line text of the error (read by :func:`_collect`)."""
    import pickle

    try:
        learnt = validate()
        return pickle.dumps((report, learnt))
    except BaseException as e:  # noqa: BLE001 - everything must go back to the parent
        return pickle.dumps(f"{type(e).__name__}: {' '.join(str(e).split())}")


def _reap(child: _Child, reports: list[FileReport], children: Children) -> None:
    _settle(child, _collect(child, children), reports)


def _collect(child: _Child, children: Children) -> Any:
    """What a child sent back once it ended: its unpickled answer, ``None`` if it sent nothing, or
    the text of what went wrong."""
    import pickle

    with os.fdopen(child.fd, "rb") as inp:
        data = inp.read()
    os.waitpid(child.pid, 0)
    children.discard(child.pid)
    if not data:
        return None
    try:
        return pickle.loads(data)
    except Exception as e:  # pragma: no cover - a truncated pipe
        return f"unreadable result from the validation process ({e})"


def _settle(child: _Child, result: Any, reports: list[FileReport]) -> None:
    """The child's report in its place (its hints kept), or its failure in the prepared report."""
    elapsed = time.perf_counter() - child.started
    before = reports[child.position]
    if result is None:
        result = "the validation process ended without a result"
    if isinstance(result, tuple) and isinstance(result[0], FileReport):
        report, learnt = result
        report.seconds = before.seconds + elapsed
        reports[child.position] = report
        if child.taxonomy in _dts:  # the hints of a taxonomy still kept, for the next child
            _hints.setdefault(child.taxonomy, {}).update(learnt)
    else:
        before.error = f"{before.path}: Arelle failed while validating ({result})"
        before.seconds += elapsed


def _validate_on_dts(
    report: FileReport, dts: Any, job: Job, lang: str, pre: PreChecked | None, hints: Hints, two_cores: bool = False
) -> Hints:
    """In a forked child: add the instance to the loaded taxonomy and validate it (the taxonomy's
    own checks done in the parent, ``pre``, are not repeated; the dimension checks try ``hints``
    first).  Returns the dimension hints learnt, for the parent to keep."""
    from arelle import ModelDocument

    from nbb_filing.taxonomy import arelle_env

    with arelle_env.capture() as log, arelle_env.skipping(skip_patterns()):
        doc = ModelDocument.load(dts, str(job.target), isEntry=True)
        if doc is None:
            detail = f": {log.errors()[0].code} {log.errors()[0].message}" if log.errors() else ""
            report.error = f"{report.path}: Arelle could not load the instance{detail}"
            return {}
        return _validate_loaded(report, dts, doc, job, lang, pre, hints, log, two_cores)


def _validate_loaded(
    report: FileReport,
    dts: Any,
    doc: Any,
    job: Job,
    lang: str,
    pre: PreChecked | None,
    hints: Hints,
    log: Any,
    two_cores: bool = False,
) -> Hints:
    """In a forked child, the instance ``doc`` loaded on ``dts`` (its load's messages in ``log``):
    validate it and collect the findings into ``report``; returns the dimension hints learnt.
    ``two_cores``: the formula run shared with a grandchild (:mod:`nbb_filing.checks.formula_halves`),
    for a parent that waits meanwhile."""
    from arelle import Validate

    from nbb_filing.checks.dts_prechecked import skip_prechecked

    dts.modelDocument = doc
    if pre is not None:
        skip_prechecked(dts, pre, log)
    halves = formulas_on_two_cores(dts, log) if two_cores else nullcontext()
    with messages_in(lang), hinted(hints) as learnt, halves:
        Validate.validate(dts)
    collect_findings(report, dts, log.records, FactMapper(dts, job.catalog, lang, job.line_by_id))
    return learnt


# ====================================================================== a session: the last file kept loaded

#: the child keeping the file of the session's last validation loaded (:mod:`nbb_filing.checks.kept_filing`)
_kept: KeptFiling | None = None
#: validations of this process made by a kept child (the instance not loaded again)
_kept_uses = 0


def kept_filing_uses() -> int:
    """How many validations of this process a kept child made (its file was not loaded again)."""
    return _kept_uses


def kept_filing_pid() -> int | None:
    """The process keeping the last validated file loaded, if any (it ends with the session)."""
    return _kept.pid if _kept is not None and not _kept.spent else None


def validate_kept(
    path: str | os.PathLike,
    info: PackageInfo,
    lang: str = "fr",
    context: CompletenessContext = NO_DOSSIER,
    keep: bool = True,
) -> ValidationReport:
    """One file of a session (``watch``): the report :func:`validate_files` gives with ``reuse``, got
    faster when the previous call validated the same path and the file differs from it only in the
    text of facts: the child that kept the previous file loaded validates this one
    (:mod:`nbb_filing.checks.kept_filing`).  With ``keep`` the file is then kept loaded for the next
    call (a session keeps it when it expects the same path again).  Only where
    :func:`fork_available` (the session validates from scratch elsewhere)."""
    if not fork_available():
        raise RuntimeError("validate_kept needs os.fork and a verified Arelle release (see fork_available)")
    started = time.perf_counter()
    with terminate_as_exit():
        report, taxonomy_seconds = _validate_one_kept(str(path), info, lang, context, keep)
    return ValidationReport(
        files=[report],
        package=info.path.name,
        package_version=info.version,
        lang=lang,
        seconds=time.perf_counter() - started,
        taxonomy_seconds=taxonomy_seconds,
        notice=info.replica_notice or "",
    )


def _validate_one_kept(
    path: str, info: PackageInfo, lang: str, context: CompletenessContext, keep: bool
) -> tuple[FileReport, float]:
    """The kept child, when it can take the file, validates it while this process runs the checks
    that are not Arelle's; otherwise a fresh child, as :func:`validate_files` does."""
    global _kept, _kept_uses
    taxonomy_seconds = 0.0
    with run_temp_dir(TEMP_PREFIX) as tmp, Children() as children:
        started = time.perf_counter()
        reports = [FileReport(path=path)]
        kept, _kept = _kept, None
        try:
            opened = open_filing(reports[0], Path(path), info)
            key = (info.sha256, opened.model)
            changes = _changes_for(kept, opened, key)
            running = None
            if kept is not None and changes is not None:  # Arelle's part begins now, in the kept child
                pid, fd = kept.use((changes, FileReport(path=path), opened.line_by_id))
                running = _Child(0, pid, fd, started, key)  # its time counts from the call's start
                children.add(pid)
            elif kept is not None:
                kept.discard()
            job = check_filing(reports[0], opened, info, lang, Path(tmp) / "0000", context, keep_tree=True)
        except NbbFilingError as e:
            children.kill_all()
            reports[0].error = str(e)
            reports[0].seconds = time.perf_counter() - started
            return reports[0], taxonomy_seconds
        reports[0].seconds = time.perf_counter() - started
        child: _Child | None = None
        result: Any = None
        if running is not None:
            child, result = running, _collect(running, children)
            if isinstance(result, tuple) and isinstance(result[0], FileReport) and job.target == opened.path.resolve():
                reports[0].seconds = 0.0  # the call's whole time is the child's (the checks ran meanwhile)
                result = (_with_arelle_part(reports[0], result[0]), result[1])
                _kept_uses += 1
            else:  # could not take this file after all (or failed): what a fresh child says counts
                result = None
        if result is None:  # no kept child, or one that could not take this file: a fresh one
            loading = time.perf_counter()
            try:
                dts = dts_for(info, job.model)
            except NbbFilingError as e:
                reports[0].error = str(e)
                return reports[0], taxonomy_seconds + time.perf_counter() - loading
            taxonomy_seconds += time.perf_counter() - loading
            child = _fork_child(0, reports[0], dts, job, info, lang, two_cores=_two_cores())
            children.add(child.pid)
            result = _collect(child, children)
        assert child is not None
        _settle(child, result, reports)
        if keep and job.tree is not None and job.target == opened.path.resolve() and key in _dts:
            _kept = _keep_loaded(_dts[key], job, key, lang)
    return reports[0], taxonomy_seconds


def _changes_for(kept: KeptFiling | None, opened: Opened, key: tuple[str, str]) -> list[Change] | None:
    """The fact texts to give ``kept`` for the opened file, or ``None`` if it cannot take the file
    (another path or model, a file to be moved to the package's framework, another shape)."""
    if kept is None or kept.taxonomy != key or kept.path != opened.path.resolve():
        return None
    if opened.ref.framework != opened.catalog.framework:
        return None
    return text_changes(kept.kept, opened.tree)


def _with_arelle_part(report: FileReport, part: FileReport) -> FileReport:
    """``report`` (the checks run in this process) completed with what the kept child found with
    Arelle, in the order a fresh child gives (it appends to the prepared report)."""
    report.findings.extend(part.findings)
    report.assertions = part.assertions
    report.error = report.error or part.error
    return report


def _keep_loaded(dts: Any, job: Job, key: tuple[str, str], lang: str) -> KeptFiling | None:
    """Fork the child that loads ``job``'s file now and validates the next one (if it fits)."""
    from arelle import ModelDocument

    from nbb_filing.taxonomy import arelle_env

    pre, hints = _prechecked.get(key), dict(_hints.get(key, {}))
    assert job.tree is not None
    kept = snapshot(job.tree)

    def serve(wait: Callable[[], Any], answer: Callable[[bytes], None]) -> None:  # pragma: no cover - in the child
        import pickle

        with arelle_env.capture() as log, arelle_env.skipping(skip_patterns()):
            doc = ModelDocument.load(dts, str(job.target), isEntry=True)
            if doc is None or any(r.level not in ("info", "debug") for r in log.records):
                return  # a load with messages is never reused (kept_filing's docstring says why)
            if not loaded_as_kept(doc, kept):
                return  # the file changed since this process read it
            order = wait()
            if order is None:
                return
            changes, report, line_by_id = order
            if not patch_facts(dts, doc, changes):
                answer(pickle.dumps(UNPATCHABLE))
                return
            job_now = replace(job, line_by_id=line_by_id)
            answer(
                _answer_of(
                    report, lambda: _validate_loaded(report, dts, doc, job_now, lang, pre, hints, log, _two_cores())
                )
            )

    try:
        return KeptFiling.start(job.target, kept, key, serve)
    except OSError:  # no process or pipe to spare: the next validation loads its file itself
        return None


def _two_cores() -> bool:
    """Whether a session's validation child may share its formula run with a grandchild: this
    process waits meanwhile, so a second core is free if the machine lets us use one."""
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        return (os.cpu_count() or 1) >= 2


def _drop_kept() -> None:
    global _kept
    if _kept is not None:
        _kept.discard()
        _kept = None


# ====================================================================== Arelle

_configured: set[str] = set()
_config_lock = threading.Lock()


def configure(info: PackageInfo) -> Any:
    """The offline controller with validation options as ``arelleCmdLine`` would set them for
    ``-v --baseTaxonomyValidation none --validateDuplicateFacts all --formulaAsserResultCounts``."""
    from nbb_filing.taxonomy import arelle_env

    c = arelle_env.use_package(info)
    with _config_lock:
        if info.sha256 not in _configured:
            from arelle.ModelFormulaObject import FormulaOptions
            from arelle.ValidateDuplicateFactsConst import DuplicateType
            from arelle.ValidateXbrlCalcs import ValidateCalcsMode
            from arelle.ValidateXbrlDTS import ValidateBaseTaxonomiesMode

            mm = c.modelManager
            mm.disclosureSystem.select(None)
            mm.validateDisclosureSystem = False
            mm.baseTaxonomyValidationMode = ValidateBaseTaxonomiesMode.NONE
            mm.validateDuplicateFacts = DuplicateType.INCONSISTENT | DuplicateType.CONSISTENT
            mm.validateCalcs = ValidateCalcsMode.NONE  # the NBB has no calculation linkbase
            fo = FormulaOptions()
            fo.formulaAction = "run"
            mm.formulaOptions = fo
            # XPath parsing of formulas needs the (empty) custom transform registry, which only
            # the command-line front end initialises.
            mm.customTransforms = None
            mm.loadCustomTransforms()
            _configured.add(info.sha256)
    return c
