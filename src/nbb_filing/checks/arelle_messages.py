"""Arelle's log of one validation turned into findings: assertion results, XBRL/XDT errors, facts.

Arelle reports what it finds as log records (message code, level, text, the facts involved).  Here
each record becomes a :class:`~nbb_filing.checks.findings.Finding` placed in the model (rubric code,
labels in the user's language, value, line), and each assertion of the model an
:class:`~nbb_filing.checks.findings.AssertionResult` (evaluated or not, satisfied or not).  The effect
of an unsatisfied assertion follows the NBB family (``va_`` blocks, ``ca_``/``cs_``/``cx_`` warn),
not Arelle's exit code, which is meaningless once formulas run.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from nbb_filing.checks.findings import (
    BLOCKING,
    INFO,
    WARNING,
    AssertionResult,
    FactRef,
    FileReport,
    Finding,
    assertion_effect,
    family_of,
)

#: Arelle codes already reported (with rubric codes) by a protocol rule: not repeated.
COVERED_BY_PROTOCOL = {"arelle:duplicateFacts"}


@contextmanager
def messages_in(lang: str) -> Iterator[None]:
    """Make Arelle pick assertion messages in ``lang`` (falling back to its default choice).

    Arelle's formula evaluator asks for an assertion's message without a language and so gets
    the first one of the package (English in the replica); the NBB's messages exist in fr, nl,
    de and en.  The message method is wrapped for the duration of one validation.
    """
    from arelle.ModelFormulaObject import ModelVariableSetAssertion

    original = ModelVariableSetAssertion.message

    def message(self: Any, satisfied: bool, preferredMessage: str = "*", lang_: str | None = None) -> Any:
        if lang_ is None:
            found = original(self, satisfied, preferredMessage, lang)
            if found is not None:
                return found
        return original(self, satisfied, preferredMessage, lang_)

    ModelVariableSetAssertion.message = message
    try:
        yield
    finally:
        ModelVariableSetAssertion.message = original


def declared_severity(var_set: Any) -> str:
    """The unsatisfied severity the package declares for an assertion (ERROR when it says nothing)."""
    from arelle import XbrlConst
    from arelle.ModelFormulaObject import ModelAssertionSeverity

    rels = var_set.modelXbrl.relationshipSet(XbrlConst.assertionUnsatisfiedSeverities)
    if rels:
        for rel in rels.fromModelObject(var_set):
            sev = rel.toModelObject
            if isinstance(sev, ModelAssertionSeverity):
                return sev.id if sev.isStatic else "DYNAMIC"
    return "ERROR"


def collect_findings(report: FileReport, model: Any, records: Iterable[Any], mapper: FactMapper) -> None:
    """Fill ``report`` from one validation: every assertion's counts, then a finding per message."""
    report.assertions = assertion_results(model)
    assertions = {a.id: a for a in report.assertions}
    messaged: set[str] = set()
    for r in records:
        finding = _record_finding(report, r, assertions, mapper)
        if finding is not None:
            if finding.source == "assertion":
                messaged.add(finding.rule)
            report.findings.append(finding)
    # an unsatisfied assertion without message text still counts, with its declared effect
    for a in report.assertions:
        if a.not_satisfied and a.id not in messaged and a.effect != INFO:
            report.findings.append(
                Finding(
                    rule=a.id,
                    source="assertion",
                    family=a.family,
                    effect=a.effect,
                    message=f"assertion {a.id} not satisfied {a.not_satisfied} time(s) (the package gives no message)",
                )
            )


def assertion_results(model: Any) -> list[AssertionResult]:
    """Evaluation counts of every assertion of the loaded model, sorted by id."""
    from arelle.ModelFormulaObject import (
        ModelConsistencyAssertion,
        ModelExistenceAssertion,
        ModelVariableSetAssertion,
    )

    assertions: dict[str, AssertionResult] = {}
    sets = [v for v in model.modelVariableSets if isinstance(v, ModelVariableSetAssertion)]
    sets += [v for v in getattr(model, "modelConsistencyAssertions", ()) if isinstance(v, ModelConsistencyAssertion)]
    for v in sets:
        aid = v.id or v.xlinkLabel or "unnamed"
        declared = declared_severity(v) if isinstance(v, ModelVariableSetAssertion) else "ERROR"
        kind = (
            "existence"
            if isinstance(v, ModelExistenceAssertion)
            else "consistency"
            if isinstance(v, ModelConsistencyAssertion)
            else "value"
        )
        assertions[aid] = AssertionResult(
            id=aid,
            family=family_of(aid),
            declared_severity=declared,
            effect=assertion_effect(aid, declared if declared != "DYNAMIC" else None),
            satisfied=int(getattr(v, "countSatisfied", 0) or 0),
            not_satisfied=int(getattr(v, "countNotSatisfied", 0) or 0),
            kind=kind,
        )
    return sorted(assertions.values(), key=lambda a: a.id)


def _record_finding(
    report: FileReport, r: Any, assertions: dict[str, AssertionResult], mapper: FactMapper
) -> Finding | None:
    """The finding one log record makes, if any (an Arelle exception sets the report's error instead)."""
    level, code = r.level, r.code or ""
    if code.startswith("message:"):
        if level not in ("warning", "error", "critical"):
            return None  # satisfied assertions with a message, and unsatisfied "OK" ones
        aid = code[len("message:") :]
        res = assertions.get(aid)
        declared = res.declared_severity if res else level.upper()
        if declared == "DYNAMIC":
            declared = "ERROR" if level != "warning" else "WARNING"
        return Finding(
            rule=aid,
            source="assertion",
            family=family_of(aid),
            effect=assertion_effect(aid, declared),
            message=one_line(r.message),
            facts=mapper.facts(r.refs),
        )
    if code.startswith("exception:"):
        report.error = f"{report.path}: Arelle failed while validating ({code}: {one_line(r.message)})"
        return None
    family = code.split(":", 1)[0] if ":" in code else "xbrl"
    if level in ("error", "critical", "fatal"):
        facts = mapper.facts(r.refs)
        line = facts[0].line if facts else mapper.line(r.refs)
        return Finding(code or "arelle:error", "xbrl", family, BLOCKING, one_line(r.message), facts, line)
    if level == "warning" and code not in COVERED_BY_PROTOCOL:
        facts = mapper.facts(r.refs)
        return Finding(
            code or "arelle:warning", "xbrl", family, WARNING, one_line(r.message), facts, mapper.line(r.refs)
        )
    return None


def one_line(text: str) -> str:
    return " ".join(str(text).split())


class FactMapper:
    """Turns Arelle log references into :class:`FactRef` (rubric, label, value) via the catalog."""

    def __init__(self, model: Any, catalog: Any, lang: str, line_by_id: dict[str, int]) -> None:
        self.model = model
        self.catalog = catalog
        self.lang = lang
        self.line_by_id = line_by_id
        self.prefix_of = {uri: p for p, uri in catalog.namespaces.items()}

    def _name(self, qn: Any) -> str:
        p = self.prefix_of.get(qn.namespaceURI, qn.prefix)
        return f"{p}:{qn.localName}" if p else qn.localName

    def line(self, refs: Iterable[dict]) -> int | None:
        for ref in refs or ():
            href = str(ref.get("href", ""))
            if "#" in href and href.rsplit("#", 1)[1] in self.line_by_id:
                return self.line_by_id[href.rsplit("#", 1)[1]]
            if ref.get("sourceLine"):
                try:
                    return int(ref["sourceLine"])
                except (TypeError, ValueError):
                    return None
        return None

    def facts(self, refs: Iterable[dict]) -> tuple[FactRef, ...]:
        from arelle.ModelInstanceObject import ModelFact

        out: list[FactRef] = []
        seen: set[int] = set()
        for ref in refs or ():
            oid = ref.get("objectId")
            if not oid:
                continue
            try:
                obj = self.model.modelObject(oid)
            except (IndexError, ValueError, TypeError):
                continue
            if isinstance(obj, ModelFact) and id(obj) not in seen:
                seen.add(id(obj))
                out.append(self.fact(obj))
        return tuple(out)

    def fact(self, f: Any) -> FactRef:
        metric = self._name(f.qname)
        members: list[tuple[str, str]] = []
        typed: list[str] = []
        ctx = f.context
        if ctx is not None:
            for dim_qn, dv in ctx.qnameDims.items():
                if getattr(dv, "isExplicit", False) and dv.memberQname is not None:
                    members.append((self._name(dim_qn), self._name(dv.memberQname)))
                elif getattr(dv, "isTyped", False):
                    typed.append(self._name(dim_qn))
        dp = self.catalog.resolve(metric, members, typed)
        fid = f.id
        line = self.line_by_id.get(fid) if fid else None
        if line is None:
            line = getattr(f, "sourceline", None)
        try:
            value = None if f.isNil else f.value
        except Exception:  # pragma: no cover - a value Arelle could not read
            value = getattr(f, "text", None)
        if dp is None:
            from nbb_filing.taxonomy.catalog import datapoint_key

            return FactRef(datapoint_key(metric, members, typed), None, "", "", "unknown", value, line)
        return FactRef(dp.key, dp.rubric, dp.label(self.lang), dp.column_label(self.lang), dp.period, value, line)
