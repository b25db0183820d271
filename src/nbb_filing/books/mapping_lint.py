"""The mapping on its own: what :func:`~nbb_filing.books.mapping_check.check_mapping` finds before any trial balance.

One function per check: rule ids used twice, a model the mapping does not declare, ``fixed_assets:``
rules naming no closing line of the notes, ``notes:`` rules on a rubric of the statements or a total,
with mixed signs or overlapping for one rubric, rules targeting an unknown rubric or a total (totals are
computed, never mapped), codes of the mapping's totals in none of its models, signs that contradict
the datapoint's type or each other, two rules catching the same accounts on the same side, totals
that form a cycle or contradict the package, and totals of the chosen model left unreachable.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from nbb_filing.books.mapping_model import Mapping, Rule
from nbb_filing.books.mapping_report import MappingFinding
from nbb_filing.books.totals import (
    TotalDef,
    dedupe_totals,
    model_totals,
    package_totals,
    solve_totals,
)
from nbb_filing.core.errors import NbbFilingError
from nbb_filing.taxonomy.catalog import Catalog

ZERO = Decimal(0)

__all__ = ["static_findings", "notes_lacking", "family_catalogs"]


def static_findings(mapping: Mapping, full: Catalog, target: Catalog) -> list[MappingFinding]:
    """What is wrong with ``mapping`` against the ``full`` and ``target`` models, before any trial balance.

    Totals that form a cycle cannot be solved: their ``total-cycle`` findings replace the checks that
    solve or expand totals (contradictions, unreachable totals).
    """
    out = _duplicate_ids(mapping)
    if target.model not in mapping.models:
        out.append(
            MappingFinding(
                "unknown-model", f"{mapping.source} declares models {', '.join(mapping.models)}, not {target.model}"
            )
        )
    out += _note_findings(mapping)
    out += _note_target_findings(mapping, full, target)
    out += _note_sign_findings(mapping)
    out += _note_overlap_findings(mapping)
    all_totals = dedupe_totals([*package_totals(full), *package_totals(target), *mapping.totals])
    out += _rubric_findings(mapping, full, all_totals)
    out += _mapping_total_findings(mapping, family_catalogs(mapping, {full.model: full, target.model: target}))
    out += _sign_findings(mapping, full)
    out += _overlap_findings(mapping)
    cycles = _cycle_findings(all_totals)
    if cycles:
        return out + cycles
    out += _contradiction_findings(mapping, full, all_totals)
    out += _reachability_findings(mapping, full, target)
    return out


def _duplicate_ids(mapping: Mapping) -> list[MappingFinding]:
    out = []
    seen_ids: dict[str, Rule] = {}
    for r in mapping.rules:
        if r.id in seen_ids:
            out.append(
                MappingFinding(
                    "duplicate-id", f"{r.where}: the id '{r.id}' is also used by {seen_ids[r.id].where}", rule=r.id
                )
            )
        seen_ids.setdefault(r.id, r)
    return out


def _note_findings(mapping: Mapping) -> list[MappingFinding]:
    """``fixed_assets:`` rules must name a closing line of the fixed-asset notes."""
    if not mapping.fixed_assets:
        return []
    from nbb_filing.books.notes_table import load_notes_table

    table = load_notes_table()
    closing = set(table.closing_notes())
    shown = sorted(n for n in closing if n.count(".") == 1)
    return [
        MappingFinding(
            "unknown-note",
            f"{n.where}: {n.note!r} is not a closing line of the fixed-asset notes "
            f"({', '.join(shown)}, or class.kind.line)",
            rule=n.id,
        )
        for n in mapping.fixed_assets
        if n.note not in closing
    ]


def _note_target_findings(mapping: Mapping, full: Catalog, target: Catalog) -> list[MappingFinding]:
    """A ``notes:`` rule feeds a rubric of the notes: never one of the statements (fed by ``rules:``)
    nor a total of the package or of the mapping (computed from its parts)."""
    out = []
    statement = {r.target for r in mapping.rules if r.target}
    totals = {t.rubric: t for t in (*package_totals(full), *package_totals(target), *mapping.totals)}
    for r in mapping.notes:
        if r.rubric in statement:
            out.append(
                MappingFinding(
                    "note-target",
                    f"{r.where}: rubric {r.rubric} is a rubric of the statements, fed by the rules: section; "
                    "a notes rule feeds a rubric of the notes",
                    rule=r.id,
                    rubric=r.rubric,
                )
            )
        elif r.rubric in totals:
            out.append(_total_mapped(r.where, r.id, r.rubric, totals[r.rubric]))
    return out


def _total_mapped(where: str, rule_id: str, rubric: str, total: TotalDef) -> MappingFinding:
    """A ``total-mapped`` finding: a rule (of ``rules:`` or ``notes:``) feeds a rubric the package sums."""
    return MappingFinding(
        "total-mapped",
        f"{where}: rubric {rubric} is a total ({total.formula()}, {total.origin}); map its parts",
        rule=rule_id,
        rubric=rubric,
    )


def _mixed_signs(signs: dict[str, dict[str, list[str]]]) -> list[MappingFinding]:
    """A ``sign-mixed`` finding per rubric whose rules (rubric -> sign -> where) give it two signs."""
    out = []
    for rubric, by_sign in signs.items():
        if len(by_sign) > 1:
            desc = "; ".join(f"sign {sg} in {', '.join(ws)}" for sg, ws in by_sign.items())
            out.append(MappingFinding("sign-mixed", f"rubric {rubric} has contradicting signs: {desc}", rubric=rubric))
    return out


def _note_sign_findings(mapping: Mapping) -> list[MappingFinding]:
    """The ``notes:`` rules of one rubric agree on its sign."""
    signs: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in mapping.notes:
        signs[r.rubric][r.sign].append(r.where)
    return _mixed_signs(signs)


def _note_overlap_findings(mapping: Mapping) -> list[MappingFinding]:
    """Two ``notes:`` rules of one rubric (same group and portion) catching the same accounts on the
    same side at the same specificity: which one takes the account would be left to chance."""
    out = []
    rules = mapping.notes
    for i, a in enumerate(rules):
        for b in rules[i + 1 :]:
            if a.rubric != b.rubric or a.group != b.group or a.portion != b.portion:
                continue
            if not (a.side == b.side or "either" in (a.side, b.side)):
                continue
            for sa in a.selectors:
                for sb in b.selectors:
                    if sa.overlaps_at_same_level(sb):
                        out.append(
                            MappingFinding(
                                "overlap",
                                f"{a.where} and {b.where} both catch accounts '{sa.text}'/'{sb.text}' "
                                f"for rubric {a.rubric}",
                                rule=a.id,
                                rubric=a.rubric,
                            )
                        )
    return out


def notes_lacking(mapping: Mapping, catalogs: list[Catalog]) -> list[str]:
    """The rubrics ``notes:`` rules feed that none of ``catalogs`` (the installed package's models of
    the mapping) has: computed and tied, but written nowhere (a warning, never dropped silently)."""
    lacking = [
        code for code in dict.fromkeys(r.rubric for r in mapping.notes) if not any(c.has_rubric(code) for c in catalogs)
    ]
    return lacking


def _rubric_findings(mapping: Mapping, full: Catalog, totals: list[TotalDef]) -> list[MappingFinding]:
    """Rubric codes of rules must be leaves of the full model (a total is computed, never mapped)."""
    out = []
    total_rubrics = {t.rubric: t for t in totals}
    for r in mapping.rules:
        if r.kind not in ("rubric", "control") or r.target is None:
            continue
        if not full.has_rubric(r.target):
            out.append(
                MappingFinding(
                    "unknown-rubric",
                    f"{r.where}: rubric {r.target} is not in model {full.model}",
                    rule=r.id,
                    rubric=r.target,
                )
            )
            continue
        if r.kind == "rubric" and r.target in total_rubrics:
            out.append(_total_mapped(r.where, r.id, r.target, total_rubrics[r.target]))
    return out


def _mapping_total_findings(mapping: Mapping, family: list[Catalog]) -> list[MappingFinding]:
    """Codes in the mapping's totals must exist in one of the models the mapping declares.

    A total of the smaller models (9900, 60/61, 172/3) is computed where a model has it, and is
    neither required of nor refused for a model (the full one) whose package lacks it.
    """
    out = []
    for t in mapping.totals:
        for code in [t.rubric, *(c for _, c in t.terms)]:
            if not any(c.has_rubric(code) for c in family):
                names = ", ".join(c.model for c in family)
                out.append(
                    MappingFinding(
                        "unknown-rubric",
                        f"total {t.rubric} of {mapping.source}: rubric {code} is in no model of the mapping ({names})",
                        rubric=code,
                    )
                )
    return out


def family_catalogs(mapping: Mapping, known: dict[str, Catalog]) -> list[Catalog]:
    """The catalogs of every model ``mapping`` declares (the checked ones first), loaded from the
    same package; a model the package does not have is skipped (reported as unknown-model)."""
    out = list(known.values())
    anchor = out[0]
    for model in mapping.models:
        if model in known or anchor.package is None:
            continue
        try:
            out.append(anchor.sibling(model))
        except NbbFilingError:
            continue
    return out


def _sign_findings(mapping: Mapping, full: Catalog) -> list[MappingFinding]:
    """Sign conventions against the datapoint's type, and one orientation per rubric."""
    out = []
    signs: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in mapping.rules:
        if r.kind != "rubric" or r.target is None or not full.has_rubric(r.target):
            continue
        signs[r.target][r.sign or ""].append(r.where)
        if r.side == "either" or r.contra:
            continue  # a contra account reduces its rubric by design; the netted figure is checked
        always = "nonnegative" if r.side == r.sign else "nonpositive"
        for dp in full.by_rubric(r.target):
            mt = full.metric_type(dp)
            if mt.kind != "amount":
                continue
            if {mt.sign, always} == {"nonnegative", "nonpositive"}:
                need = ">= 0" if mt.sign == "nonnegative" else "<= 0"
                out.append(
                    MappingFinding(
                        "sign-type",
                        f"{r.where}: side {r.side} with sign {r.sign} always gives a "
                        f"{'negative' if always == 'nonpositive' else 'positive'} amount, but rubric "
                        f"{r.target} ({mt.metric}) must be {need}",
                        rule=r.id,
                        rubric=r.target,
                    )
                )
                break
    return out + _mixed_signs(signs)


def _overlap_findings(mapping: Mapping) -> list[MappingFinding]:
    """Two rules catching the same account on the same side (at the same specificity)."""
    out = []
    rules = mapping.rules
    for i, a in enumerate(rules):
        for b in rules[i + 1 :]:
            if not (a.catches == b.catches or "either" in (a.catches, b.catches)):
                continue
            for sa in a.selectors:
                for sb in b.selectors:
                    if sa.overlaps_at_same_level(sb):
                        side = a.catches if a.catches != "either" else b.catches
                        out.append(
                            MappingFinding(
                                "overlap",
                                f"{a.where} and {b.where} both catch accounts "
                                f"'{sa.text}'/'{sb.text}' on the {side} "
                                f"side{'s' if side == 'either' else ''}",
                                rule=a.id,
                            )
                        )
    return out


def _cycle_findings(totals: list[TotalDef]) -> list[MappingFinding]:
    """Totals that depend on themselves (rubric -> terms dependency graph)."""
    graph: dict[str, set[str]] = defaultdict(set)
    for t in totals:
        graph[t.rubric].update(c for _, c in t.terms)
    color: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(n: str, stack: list[str]) -> None:
        color[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if color.get(m) == 1:
                cycles.append(stack[stack.index(m) :] + [m])
            elif m not in color:
                visit(m, stack)
        stack.pop()
        color[n] = 2

    for n in sorted(graph):
        if n not in color:
            visit(n, [])
    return [MappingFinding("total-cycle", f"totals form a cycle: {' -> '.join(cyc)}", rubric=cyc[0]) for cyc in cycles]


def _expand(code: str, ref: dict[str, TotalDef], own: set[int], used: set, depth: int = 0) -> dict[str, int] | None:
    """``code`` as a signed sum of rubrics that no total of ``ref`` defines (None when too deep);
    the mapping's totals (ids in ``own``) met on the way are added to ``used``."""
    if depth > 50:
        return None
    t = ref.get(code)
    if t is None:
        return {code: 1}
    if id(t) in own:
        used.add(code)
    acc: dict[str, int] = defaultdict(int)
    for sg, c in t.terms:
        e = _expand(c, ref, own, used, depth + 1)
        if e is None:
            return None
        for k, v in e.items():
            acc[k] += sg * v
    return {k: v for k, v in acc.items() if v}


def _contradiction_findings(mapping: Mapping, full: Catalog, totals: list[TotalDef]) -> list[MappingFinding]:
    """Identities of ``totals`` that disagree with the reference definition of their rubric.

    Each identity is expanded into leaves of the full model with the full model's package totals
    (the reference) and the mapping's totals, and both sides are compared.  Only identities that
    involve a total of the mapping are judged: the package is the authority on its own totals
    (disagreements inside a package surface as numeric findings with a trial balance).
    """
    out = []
    ref: dict[str, TotalDef] = {}
    for t in [*package_totals(full), *mapping.totals]:
        ref.setdefault(t.rubric, t)
    own = {id(t) for t in mapping.totals}
    for t in totals:
        used: set = set()
        lhs = _expand(t.rubric, ref, own, used)
        rhs: dict[str, int] = defaultdict(int)
        ok = lhs is not None
        for sg, c in t.terms:
            e = _expand(c, ref, own, used)
            if e is None:
                ok = False
                break
            for k, v in e.items():
                rhs[k] += sg * v
        if not ok or lhs is None or not (used or id(t) in own):
            continue
        rhs_clean = {k: v for k, v in rhs.items() if v}
        # only comparable when both sides are expressed in the full model's rubrics
        if not all(full.has_rubric(k) for k in [*lhs, *rhs_clean]):
            continue
        if lhs != rhs_clean and ref.get(t.rubric) is not t:
            diff = sorted(set(lhs.items()) ^ set(rhs_clean.items()))
            other = ref[t.rubric]
            out.append(
                MappingFinding(
                    "total-contradiction",
                    f"{t.formula()} ({t.origin}) contradicts {other.formula()} "
                    f"({other.origin}): they differ on {', '.join(dict.fromkeys(k for k, _ in diff))}",
                    rubric=t.rubric,
                )
            )
    return out


def _reachability_findings(mapping: Mapping, full: Catalog, target: Catalog) -> list[MappingFinding]:
    """Totals of the chosen model that cannot be computed although some of their parts are mapped."""
    known = {r.target for r in mapping.rubric_rules() if r.target}
    fake = {k: ZERO for k in known}
    solve_totals(fake, {}, model_totals(full, mapping.totals, target))
    out = []
    for t in package_totals(target):
        if t.rubric in fake:
            continue
        parts = [c for _, c in t.terms]
        if any(c in fake for c in parts):
            missing = [c for c in parts if c not in fake]
            out.append(
                MappingFinding(
                    "unreachable-total",
                    f"total {t.formula()} ({t.origin}) of {target.model} cannot be "
                    f"computed: no rule or total gives {', '.join(missing)}",
                    rubric=t.rubric,
                )
            )
    return out
