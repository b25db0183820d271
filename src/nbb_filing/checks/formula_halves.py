"""One validation's formula run on two cores: what a session (``watch``) gains on a 2-core machine.

In a session the parent waits while a forked child validates the filing, so one core idles; the
formula run is the larger part of the child's work (m82-f sample: ~0.5 s of ~0.75 s, 235
assertions).  Arelle evaluates the assertions one after the other, in the order of the taxonomy's
set of variable sets, and each evaluation stands alone.  So the run is cut at the middle of that
order: once Arelle has analysed the variable sets, before the first evaluation, the child forks a
grandchild, which evaluates the second half (Arelle's own ``runIDs`` option) while the child
evaluates the first.  The grandchild sends back the messages its evaluations logged and the counts
of its assertions; the child puts the messages after its own (where a single run logs them: the
second half is evaluated after the first) and the counts on its assertions.  The run's
preparation is done and logged once, before the fork.  ``tests/test_kept_filing.py`` compares the reports with single runs.

Used only where the cut cannot change a result: every variable set is an assertion with an id of
its own, none is evaluated inside another (``variablesScope``), no consistency assertion.
Otherwise, or if the grandchild cannot be forked or fails, the run is Arelle's single one.
"""

from __future__ import annotations

import os
import pickle
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, NoReturn

from nbb_filing.core.lifetime import die_with_parent
from nbb_filing.taxonomy.arelle_env import CapturedLog, LogRecord, replaced

#: what Arelle counts per assertion during a run (``logAssertionResultCounts`` reads the same)
COUNTS = ("countSatisfied", "countNotSatisfied", "countOkMessages", "countWarningMessages", "countErrorMessages")

Half = list[Any]  # Arelle's assertions (ModelVariableSetAssertion), in evaluation order


def halves(dts: Any, order: list[Any] | None = None) -> tuple[Half, Half] | None:
    """The two halves of ``dts``'s assertions in evaluation ``order`` (default: the order of the
    taxonomy's set, which Arelle's own analysis follows), or ``None`` where a cut could change a
    result (see the module docstring) or there is nothing to share."""
    from arelle import XbrlConst
    from arelle.ModelFormulaObject import ModelVariableSetAssertion

    sets = list(dts.modelVariableSets) if order is None else order
    ids = [getattr(v, "id", None) for v in sets]
    if len(sets) < 2 or len(sets) != len(dts.modelVariableSets):
        return None
    if not all(isinstance(v, ModelVariableSetAssertion) for v in sets):
        return None
    if not all(ids) or len(set(ids)) != len(ids) or getattr(dts, "modelConsistencyAssertions", None):
        return None
    if dts.relationshipSet(XbrlConst.variablesScope).modelRelationships:
        return None
    middle = len(sets) // 2
    return sets[:middle], sets[middle:]


def _pattern(half: Half) -> str:
    """Arelle's ``runIDs`` for exactly these assertions (a regular expression: ids hold dots)."""
    return "(?:" + "|".join(re.escape(v.id) for v in half) + r")\Z"


@contextmanager
def formulas_on_two_cores(dts: Any, log: CapturedLog) -> Iterator[None]:
    """Inside the block (a forked validation child, around ``Validate.validate``), Arelle's formula
    run on ``dts`` evaluates its second half in a forked grandchild (see the module docstring).

    The cut is made once Arelle has analysed the variable sets (``evaluateModelVariableSet``, which
    lists them in the order it will evaluate them) and before it evaluates any: the grandchild is
    forked there, so the run's preparation is done once and every message the grandchild logs
    afterwards is one of its evaluations."""
    from arelle.formula import ValidateFormula

    original = ValidateFormula.validate

    def on_two_cores(val: Any, *args: Any, **kwargs: Any) -> None:
        if val.modelXbrl is not dts or kwargs.get("compileOnly") or kwargs.get("parametersOnly"):
            original(val, *args, **kwargs)
            return
        options = val.modelXbrl.modelManager.formulaOptions
        analyse = ValidateFormula.evaluateModelVariableSet
        split: dict[str, Any] = {}

        def analysing(*a: Any, **k: Any) -> None:
            analyse(*a, **k)
            producing = a[5] if len(a) > 5 else k["instanceProducingVariableSets"]
            if split or set(producing) - {None} or options.runIDs:
                return  # formulas producing facts, or a run already restricted: a single run
            cut = halves(dts, list(producing.get(None, ())))
            if cut is None:
                return
            split["cut"], split["start"] = cut, len(log.records)
            answer, grandchild_fd = _fork_half()
            if answer is None:  # the grandchild: the second half
                split["fd"] = grandchild_fd
                options.runIDs = _pattern(cut[1])
            else:
                split["answer"] = answer
                options.runIDs = _pattern(cut[0])

        before = options.runIDs
        ran = False
        try:
            with replaced((ValidateFormula, "evaluateModelVariableSet", analysing)):
                original(val, *args, **kwargs)
            ran = True
        finally:
            options.runIDs = before
            if "fd" in split:  # pragma: no cover - the grandchild answers and leaves, whatever happened
                _answer(split["fd"], (log.records[split["start"] :], _counts(split["cut"][1])) if ran else None)
        if "cut" not in split:
            return
        first, second = split["cut"]
        result = split["answer"]()
        if result is None:  # the grandchild failed: the second half here, after the first
            done = _counts(first)  # a run may start by setting every assertion's counts to 0
            result = _run_half(original, val, args, kwargs, second, log)
            _set_counts(first, done)
        records, counts = result
        log.records.extend(records)
        _set_counts(second, counts)

    with replaced((ValidateFormula, "validate", on_two_cores)):
        yield


def _run_ids(original: Any, val: Any, args: tuple[Any, ...], kwargs: dict[str, Any], half: Half) -> None:
    """Arelle's formula run restricted to ``half`` (the child's own, if the grandchild failed)."""
    options = val.modelXbrl.modelManager.formulaOptions
    before = options.runIDs
    options.runIDs = _pattern(half)
    try:
        original(val, *args, **kwargs)
    finally:
        options.runIDs = before


def _run_half(
    original: Any, val: Any, args: tuple[Any, ...], kwargs: dict[str, Any], half: Half, log: CapturedLog
) -> tuple[list[LogRecord], dict[str, tuple[int, ...]]]:
    """Run ``half``; returns the messages logged from its first evaluation on (taken out of ``log``:
    those before are the run's preparation, logged once already) and each assertion's counts."""
    from arelle.formula import FormulaEvaluator

    start = len(log.records)
    first: list[int] = []
    evaluate = FormulaEvaluator.evaluate

    def noting(*a: Any, **k: Any) -> Any:
        if not first:
            first.append(len(log.records))
        return evaluate(*a, **k)

    with replaced((FormulaEvaluator, "evaluate", noting)):
        _run_ids(original, val, args, kwargs, half)
    records = log.records[first[0] if first else len(log.records) :]
    del log.records[start:]
    return records, _counts(half)


def _counts(half: Half) -> dict[str, tuple[int, ...]]:
    return {v.id: tuple(int(getattr(v, name, 0) or 0) for name in COUNTS) for v in half}


def _set_counts(half: Half, counts: dict[str, tuple[int, ...]]) -> None:
    for v in half:
        for name, count in zip(COUNTS, counts[v.id], strict=True):
            setattr(v, name, count)


def _picklable(result: tuple[list[LogRecord], dict[str, tuple[int, ...]]]) -> bytes:
    """The grandchild's answer as bytes; a message argument pickle cannot take is sent as text
    (arguments are not read by the findings, which use the level, code, message and references)."""
    try:
        return pickle.dumps(result)
    except Exception:
        records, counts = result
        plain = [replace(r, args={k: str(v) for k, v in r.args.items()}) for r in records]
        return pickle.dumps((plain, counts))


def _fork_half() -> tuple[Any, int]:
    """Fork the grandchild.  In the child: ``(answer, -1)``, ``answer()`` waiting for the
    grandchild's result (``None`` if it failed; at once ``None`` if nothing could be forked).  In
    the grandchild: ``(None, fd)``, the pipe it answers on with :func:`_answer`."""
    try:
        rfd, wfd = os.pipe()
    except OSError:
        return (lambda: None), -1
    parent = os.getpid()
    try:
        pid = os.fork()
    except OSError:
        os.close(rfd)
        os.close(wfd)
        return (lambda: None), -1
    if pid == 0:  # pragma: no cover - the grandchild (its messages are what the tests compare)
        try:
            die_with_parent(parent)
            os.close(rfd)
        except BaseException:
            os._exit(0)
        return None, wfd
    os.close(wfd)

    def answer() -> Any:
        with os.fdopen(rfd, "rb") as inp:
            data = inp.read()
        os.waitpid(pid, 0)
        try:
            return pickle.loads(data) if data else None
        except Exception:  # pragma: no cover - a truncated pipe
            return None

    return answer, -1


def _answer(fd: int, result: tuple[list[LogRecord], dict[str, tuple[int, ...]]] | None) -> NoReturn:  # pragma: no cover
    """The grandchild's end: its half's messages and counts to the child (nothing if its run failed:
    the child then runs the half itself), then leave at once, never returning into the child's code."""
    try:
        if result is not None:
            with os.fdopen(fd, "wb") as out:
                out.write(_picklable(result))
    finally:
        os._exit(0)
