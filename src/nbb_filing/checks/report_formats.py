"""Rendering a :class:`~nbb_filing.checks.validate.ValidationReport` as text, JSON or JUnit XML.

* **text** is for the accountant: per file, the verdict first, then what was checked and what
  was not (assertions evaluated / satisfied / not satisfied / skipped, per NBB family), then each
  finding with the rubric codes, labels and values involved.
* **json** is the whole report (stable keys, see ``docs/validate.md``) for scripts.
* **junit** is for CI servers: per file, one test suite of assertions with one test case per
  *evaluated* assertion (skipped assertions are counted in the suite's properties, not listed:
  a CI dashboard full of "skipped" cases for datapoints the company simply does not have would
  hide the real ones), one suite of protocol rules (one case per rule), and one case for the
  XBRL 2.1 / Dimensions / schema checks.  Blocking findings are ``<failure>``; warnings are
  listed in ``<system-out>`` and do not fail the build, exactly like the exit code.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict

from lxml import etree

from nbb_filing.checks.findings import (
    BLOCKING,
    COMPLETENESS_STATES,
    DECLARED,
    FILLED,
    INFO,
    MISSING,
    NOT_CHECKED,
    NOT_REQUIRED,
    UNDECIDED,
    WARNING,
    CompletenessItem,
    FileReport,
    Finding,
    ValidationReport,
    family_title,
)

FORMATS = ("text", "json", "junit")


def render(report: ValidationReport, fmt: str = "text") -> str:
    if fmt == "text":
        return render_text(report)
    if fmt == "json":
        return render_json(report)
    if fmt == "junit":
        return render_junit(report)
    raise ValueError(f"unknown format {fmt!r} (choose from {', '.join(FORMATS)})")


# ====================================================================== text


def _family_lines(f: FileReport) -> list[str]:
    total: Counter[str] = Counter()
    evaluated: Counter[str] = Counter()
    unsat: Counter[str] = Counter()
    for a in f.assertions:
        total[a.family] += 1
        if a.evaluated:
            evaluated[a.family] += 1
        if a.not_satisfied:
            unsat[a.family] += 1
    parts = [
        f"{fam}_ {evaluated[fam]}/{total[fam]}" + (f" ({unsat[fam]} not satisfied)" if unsat[fam] else "")
        for fam in sorted(total)
    ]
    return ["    evaluated per family: " + ", ".join(parts)] if parts else []


def _finding_lines(x: Finding) -> list[str]:
    tag = {BLOCKING: "BLOCKING", WARNING: "WARNING ", INFO: "INFO    "}[x.effect]
    what = family_title(x.family) if x.source == "assertion" else x.source
    line = f" (line {x.line})" if x.line and not x.facts else ""
    out = [f"  {tag} {x.rule} [{what}]{line}: {x.message}"]
    for fr in x.facts[:12]:
        out.append(f"             {fr.describe()}")
    if len(x.facts) > 12:
        out.append(f"             … and {len(x.facts) - 12} more facts")
    return out


def completeness_lines(f: FileReport) -> list[str]:
    """The completeness part of a file's text report: what is missing (why, how to fill it), what the
    dossier declares not applicable, what could not be checked or decided; one line of counts."""
    if not f.completeness:
        return []
    by_state: dict[str, list[CompletenessItem]] = {}
    for c in f.completeness:
        by_state.setdefault(c.state, []).append(c)
    n = {s: len(by_state.get(s, ())) for s in COMPLETENESS_STATES}
    out = [
        f"  completeness ({len(f.completeness)} rules of docs/completeness.md): {n[MISSING] + n[FILLED]} evaluated "
        f"({n[MISSING]} missing, {n[FILLED]} filled), {n[NOT_REQUIRED]} not required, {n[DECLARED]} declared not "
        f"applicable, {n[NOT_CHECKED]} not checked, {n[UNDECIDED]} not decided"
    ]
    for c in by_state.get(MISSING, []):
        out.append(f"  MISSING  {c.rule}: {c.title}" + (f" [{', '.join(c.sections)}]" if c.sections else ""))
        out.append(f"             required because: {c.why}")
        out.append(f"             legal source: {c.source}")
        out.append(f"             fill it with: {c.fill}")
    for c in by_state.get(DECLARED, []):
        out.append(f"  DECLARED {c.rule}: {c.title} not applicable, the dossier says: {c.reason}")
    for c in by_state.get(NOT_CHECKED, []):
        out.append(f"  not checked: {c.rule} ({c.title}): {c.why}")
    for c in by_state.get(UNDECIDED, []):
        out.append(f"  not decided: {c.rule} ({c.title}): {c.why}")
    return out


def render_text(report: ValidationReport) -> str:
    out: list[str] = [f"note: {report.notice}"] if report.notice else []
    for f in report.files:
        out.append(f"{f.path}: {f.status.upper()}")
        if f.error:
            out.append(f"  could not validate: {f.error}")
            out.append("")
            continue
        moved = f" (written with framework {f.framework}, moved to {f.validated_with})" if f.retargeted else ""
        out.append(
            f"  model {f.model}, package {report.package} ({report.package_version}){moved}, {f.facts} facts, "
            f"{f.seconds:.1f} s"
        )
        ev, sat, uns, skip = (
            len(f.assertions_evaluated),
            len(f.assertions_satisfied),
            len(f.assertions_unsatisfied),
            len(f.assertions_skipped),
        )
        out.append("  checked: XBRL 2.1, XBRL Dimensions, schema types and facets, enumerations, duplicate facts;")
        out.append(
            f"    {len(f.assertions)} assertions of {f.model}: {ev} evaluated ({sat} satisfied, {uns} not satisfied), "
            f"{skip} skipped because nothing was reported for them;"
        )
        out.extend(_family_lines(f))
        out.append(f"    {len(f.protocol_rules)} protocol rules: " + ", ".join(p.rule for p in f.protocol_rules))
        out.append("  not checked: the taxonomy itself, the PDF/other documents, rules of the NBB not in the package")
        nb, nw = f.count(BLOCKING), f.count(WARNING)
        out.append(f"  findings: {nb} blocking, {nw} warnings")
        for x in sorted(f.findings, key=lambda x: (("blocking", "warning", "info").index(x.effect), x.source, x.rule)):
            out.extend(_finding_lines(x))
        out.extend(completeness_lines(f))
        out.append("")
    codes = Counter(f.exit_code for f in report.files)
    shared = (
        f", of which {report.taxonomy_seconds:.1f} s loading the taxonomy once for all files"
        if report.taxonomy_seconds >= 0.05
        else ""
    )
    out.append(
        f"{len(report.files)} file(s): {codes.get(0, 0)} can be filed, "
        f"{sum(1 for f in report.files if f.status == 'blocked')} blocked, "
        f"{sum(1 for f in report.files if f.status == 'incomplete')} incomplete, "
        f"{codes.get(2, 0)} not validated ({report.seconds:.1f} s{shared}); exit code {report.exit_code}"
    )
    return "\n".join(out) + "\n"


# ====================================================================== json


def report_dict(report: ValidationReport) -> dict:
    files = []
    for f in report.files:
        d = asdict(f)
        d["status"] = f.status
        d["exit_code"] = f.exit_code
        d["summary"] = {
            "assertions": len(f.assertions),
            "evaluated": len(f.assertions_evaluated),
            "satisfied": len(f.assertions_satisfied),
            "not_satisfied": len(f.assertions_unsatisfied),
            "skipped": len(f.assertions_skipped),
            "protocol_rules": len(f.protocol_rules),
            "blocking": f.count(BLOCKING),
            "warnings": f.count(WARNING),
            "info": f.count(INFO),
            "missing_sections": len(f.missing),
        }
        for x, fd in zip(f.findings, d["findings"]):
            fd["rubrics"] = list(x.rubrics)
        d["retargeted"] = list(f.retargeted)
        files.append(d)
    return {
        "package": report.package,
        "package_version": report.package_version,
        "notice": report.notice or None,
        "lang": report.lang,
        "exit_code": report.exit_code,
        "seconds": round(report.seconds, 3),
        "taxonomy_seconds": round(report.taxonomy_seconds, 3),
        "files": files,
    }


def render_json(report: ValidationReport) -> str:
    return json.dumps(report_dict(report), ensure_ascii=False, indent=2) + "\n"


# ====================================================================== junit


def _case(
    suite: etree._Element, classname: str, name: str, findings: Iterable[Finding], seconds: float = 0.0
) -> etree._Element:
    case = etree.SubElement(suite, "testcase", classname=classname, name=name, time=f"{seconds:.3f}")
    findings = list(findings)
    blocking = [x for x in findings if x.effect == BLOCKING]
    if blocking:
        fail = etree.SubElement(case, "failure", type="blocking", message=blocking[0].message[:500])
        fail.text = "\n".join("\n".join(_finding_lines(x)) for x in blocking)
    soft = [x for x in findings if x.effect != BLOCKING]
    if soft:
        out = etree.SubElement(case, "system-out")
        out.text = "\n".join("\n".join(_finding_lines(x)) for x in soft)
    return case


def _suite(root: etree._Element, name: str, **props: object) -> etree._Element:
    suite = etree.SubElement(root, "testsuite", name=name)
    if props:
        p = etree.SubElement(suite, "properties")
        for k, v in props.items():
            etree.SubElement(p, "property", name=k, value=str(v))
    return suite


def _close_suite(suite: etree._Element) -> None:
    cases = suite.findall("testcase")
    suite.set("tests", str(len(cases)))
    suite.set("failures", str(sum(1 for c in cases if c.find("failure") is not None)))
    suite.set("errors", str(sum(1 for c in cases if c.find("error") is not None)))
    suite.set("skipped", "0")


def _completeness_suite(root: etree._Element, f: FileReport) -> None:
    """One case per completeness rule: a missing section fails; declared, not checked and not decided
    ones say so in their output (they do not fail the build, like the exit code)."""
    if not f.completeness:
        return
    suite = _suite(
        root,
        f"{f.path}: completeness",
        **{s.replace(" ", "_"): sum(1 for c in f.completeness if c.state == s) for s in COMPLETENESS_STATES},
    )
    for c in f.completeness:
        case = etree.SubElement(suite, "testcase", classname=f"{f.model}.completeness", name=c.rule, time="0.000")
        if c.state == MISSING:
            fail = etree.SubElement(
                case, "failure", type="missing", message=f"{c.title}: required because {c.why}"[:500]
            )
            fail.text = f"required because: {c.why}\nlegal source: {c.source}\nfill it with: {c.fill}"
        else:
            out = etree.SubElement(case, "system-out")
            out.text = f"{c.state}: {c.reason or c.why}"
    _close_suite(suite)


def render_junit(report: ValidationReport) -> str:
    root = etree.Element("testsuites", name="nbb-filing validate")
    if report.notice:
        root.append(etree.Comment(f" note: {report.notice} "))
    for f in report.files:
        if f.error:
            suite = _suite(root, f"{f.path}")
            case = etree.SubElement(suite, "testcase", classname="nbb-filing", name="validate")
            err = etree.SubElement(case, "error", type="not-validated", message=f.error[:500])
            err.text = f.error
            _close_suite(suite)
            continue
        by_rule: dict[str, list[Finding]] = {}
        for x in f.findings:
            by_rule.setdefault(x.rule, []).append(x)
        suite = _suite(
            root,
            f"{f.path}: assertions",
            model=f.model,
            package=report.package_version,
            assertions=len(f.assertions),
            evaluated=len(f.assertions_evaluated),
            skipped_nothing_reported=len(f.assertions_skipped),
        )
        for a in f.assertions_evaluated:
            _case(suite, f"{f.model}.{a.family}", a.id, [x for x in by_rule.get(a.id, []) if x.source == "assertion"])
        _close_suite(suite)
        suite = _suite(root, f"{f.path}: protocol")
        for p in f.protocol_rules:
            _case(suite, f"{f.model}.protocol", p.rule, by_rule.get(p.rule, []))
        xbrl = [x for x in f.findings if x.source in ("xbrl", "framework")]
        _case(suite, f"{f.model}.xbrl", "xbrl21_dimensions_schema_enumerations", xbrl)
        _close_suite(suite)
        _completeness_suite(root, f)
    etree.indent(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8").decode("utf-8") + "\n"
