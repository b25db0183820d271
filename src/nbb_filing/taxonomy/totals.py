"""The package's sums, read from the model's value assertions (see :class:`~.catalog.Total`).

The NBB packages check their arithmetic with value assertions (``va_calc_*``) whose test is a
linear equality between single facts, ``$t eq ($s1 + $s2 - $s3)``.  Where every variable of such
an assertion filters exactly one datapoint that carries a rubric code, the assertion is a sum in
rubric codes.  A sum whose datapoints all lie in one year is a total; one that links two years (a
closing value = the previous closing value, a ``P`` rubric, plus the year's movements) is a
roll-forward.  Assertions of any other shape are left to Arelle's validation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from nbb_filing.taxonomy.arelle_objects import prefixed
from nbb_filing.taxonomy.catalog import Datapoint, Total

_TEST_RE = re.compile(r"^\s*\$(?P<t>[\w.-]+)\s+(?:eq|=)\s+\((?P<sum>[^()]*)\)\s*$")
_TERM_RE = re.compile(r"\s*(?P<sign>[+-]?)\s*\$(?P<v>[\w.-]+)\s*")


def extract_totals(
    mx: Any, datapoints: Iterable[Datapoint], defaults: Mapping[str, str]
) -> tuple[tuple[Total, ...], tuple[Total, ...]]:
    """Linear sums from the model's value assertions, in rubric codes (see :class:`Total`).

    Returns the same-year totals and, apart, the roll-forwards that link two years (a closing value
    = the previous closing value, a ``P`` rubric, plus the movements of the year).
    """
    from arelle import XbrlConst
    from arelle.ModelFormulaObject import ModelValueAssertion

    by_shape: dict[tuple, Datapoint] = {}
    for dp in datapoints:
        if dp.rubric and not dp.typed:
            by_shape.setdefault((dp.metric, dp.members), dp)
    var_rels = mx.relationshipSet(XbrlConst.variableSet)
    filter_rels = mx.relationshipSet(XbrlConst.variableFilter)
    out: dict[tuple, Total] = {}
    rolls: dict[tuple, Total] = {}
    for va in sorted((v for v in mx.modelVariableSets if isinstance(v, ModelValueAssertion)), key=lambda v: v.id or ""):
        m = _TEST_RE.match(va.test or "")
        terms = _sum_terms(m.group("sum")) if m else None
        if m is None or not terms:
            continue
        dp_of_var: dict[str, Datapoint] = {}
        for rel in var_rels.fromModelObject(va):
            found = _filtered_datapoint(filter_rels.fromModelObject(rel.toModelObject), by_shape, defaults)
            if found is not None:
                dp_of_var[str(rel.variableQname)] = found
        if m.group("t") not in dp_of_var or any(v not in dp_of_var for _, v in terms):
            continue
        periods = {dp_of_var[m.group("t")].period} | {dp_of_var[v].period for _, v in terms}
        total = Total(
            va.id or "", dp_of_var[m.group("t")].rubric or "", tuple((sg, dp_of_var[v].rubric or "") for sg, v in terms)
        )
        # a sum across years (8329 = 8329P + acquisitions ...) is a roll-forward, not a same-year total
        (out if len(periods) == 1 else rolls).setdefault((total.rubric, tuple(sorted(total.terms))), total)
    return tuple(out.values()), tuple(rolls.values())


def _sum_terms(src: str) -> list[tuple[int, str]] | None:
    """``+ $a - $b ...`` as ``[(1, "a"), (-1, "b")]``; ``None`` when ``src`` is not such a sum."""
    pos = 0
    terms: list[tuple[int, str]] = []
    for tm in _TERM_RE.finditer(src):
        if tm.start() != pos:
            return None
        terms.append((-1 if tm.group("sign") == "-" else 1, tm.group("v")))
        pos = tm.end()
    return terms if pos == len(src) else None


def _filtered_datapoint(
    filter_rels: Iterable[Any], by_shape: Mapping[tuple, Datapoint], defaults: Mapping[str, str]
) -> Datapoint | None:
    """The one rubric datapoint a variable's concept-name and explicit-dimension filters select, if any."""
    from arelle.ModelFormulaObject import ModelConceptName, ModelExplicitDimension

    metric = None
    members: list[tuple[str, str]] = []
    for frel in filter_rels:
        f = frel.toModelObject
        if isinstance(f, ModelConceptName):
            qs = [q for q in f.conceptQnames if q is not None]
            metric = prefixed(qs[0]) if len(qs) == 1 else None
        elif isinstance(f, ModelExplicitDimension):
            mems = _filter_members(f)
            if f.dimQname is not None and len(mems) == 1:
                d, mem = prefixed(f.dimQname), mems[0]
                if defaults.get(d) != mem:
                    members.append((d, mem))
    return by_shape.get((metric, tuple(sorted(members)))) if metric else None


def _filter_members(f: Any) -> list[str]:
    """Static member QNames of an explicit-dimension filter (prefixed form)."""
    from arelle import XbrlConst, XmlUtil
    from arelle.ModelValue import qname

    out = []
    for member in XmlUtil.children(f, XbrlConst.df, "member"):
        q = XmlUtil.child(member, XbrlConst.df, "qname")
        if q is None:
            return []
        out.append(prefixed(qname(q, XmlUtil.text(q))))
    return out
