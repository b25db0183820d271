"""Plain values out of Arelle's model objects, as the catalog stores them.

Shared by the compiler (:mod:`.compile`) and the reading of the package's sums (:mod:`.totals`):
prefixed QNames (the prefixes of the NBB dictionary are stable, so ``met:am1`` is a safe name),
labels in the catalog's languages, and what a metric accepts (:class:`MetricType`), read from the
XML Schema type of its concept.  Arelle's facets sit on the type the concept names *and* on the
types it derives from, so they are merged walking up the derivation.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from nbb_filing.taxonomy.catalog import LANGS, EnumValue, Labels, MetricType

_INTEGER_BASES = (
    "integer",
    "nonNegativeInteger",
    "positiveInteger",
    "long",
    "int",
    "short",
    "nonPositiveInteger",
    "negativeInteger",
)


class ArelleVal:
    """The minimal ``val`` object Arelle's dimension/enumeration helpers take (they cache on it)."""

    def __init__(self, model: Any) -> None:
        self.modelXbrl = model


def prefixed(q: Any) -> str:
    """Prefixed form of an Arelle QName (the prefixes of the NBB dictionary are stable)."""
    return f"{q.prefix}:{q.localName}" if q.prefix else q.localName


def labels_of(obj: Any, *, generic: bool = True) -> Labels:
    """The standard labels of ``obj`` (generic labels when ``generic``), whitespace collapsed."""
    out = []
    for lang in LANGS:
        text = obj.genLabel(lang=lang) if generic else obj.label(lang=lang, fallbackToQname=False)
        if text:
            out.append((lang, " ".join(str(text).split())))
    return tuple(out)


def _facets(concept: Any) -> dict[str, Any]:
    """Merged XML Schema facets of a concept's type, walking up derived types."""
    facets: dict[str, Any] = {}
    t = concept.type
    seen = set()
    while t is not None and id(t) not in seen:
        seen.add(id(t))
        for k, v in (t.facets or {}).items():
            facets.setdefault(k, v)
        t = t.typeDerivedFrom if not isinstance(t.typeDerivedFrom, list) else None
    return facets


def _kind(concept: Any, base: str) -> str:
    """The :attr:`MetricType.kind` of a concept."""
    if concept.isEnumeration:
        return "enum"
    if concept.isMonetary:
        return "amount"
    if concept.isShares:
        return "shares"
    if base in _INTEGER_BASES:
        return "integer"
    if concept.isNumeric:
        ptype = str(concept.typeQname.localName).lower() if concept.typeQname is not None else ""
        return "percent" if ("percent" in ptype or "pure" in ptype) else "decimal"
    if base == "date" or base == "dateUnion":
        return "date"
    return {"boolean": "boolean", "base64Binary": "base64"}.get(base, "string")


def _enum_values(model: Any, concept: Any) -> tuple[EnumValue, ...]:
    """The usable members of an enumeration concept, sorted by QName."""
    from arelle.ValidateXbrlDimensions import usableEnumerationMembers

    members = usableEnumerationMembers(ArelleVal(model), concept)
    return tuple(
        sorted(
            (EnumValue(prefixed(m.qname), labels_of(m, generic=False)) for m in members),
            key=lambda e: e.qname,
        )
    )


def _sign(kind: str, mn: str | None, mx: str | None) -> str | None:
    """``nonnegative``/``nonpositive``/``signed`` for numbers, from their bounds; ``None`` otherwise."""
    if kind not in ("amount", "shares", "integer", "decimal", "percent"):
        return None
    if mn is not None and Decimal(mn) >= 0:
        return "nonnegative"
    if mx is not None and Decimal(mx) <= 0:
        return "nonpositive"
    return "signed"


def metric_type(model: Any, concept: Any) -> MetricType:
    """What the metric ``concept`` accepts, from its schema type in ``model``."""
    facets = _facets(concept)
    base = concept.baseXsdType or ""
    kind = _kind(concept, base)
    unit = {"amount": "EUR", "shares": "shares"}.get(kind)
    if kind in ("integer", "decimal", "percent"):
        unit = "pure"

    def num(name: str) -> str | None:
        v = facets.get(name)
        return None if v is None else str(v)

    def integer(name: str) -> int | None:
        v = facets.get(name)
        return None if v is None else int(v)

    mn, mx = num("minInclusive"), num("maxInclusive")
    pattern = facets.get("pattern")
    if pattern is not None and not isinstance(pattern, str):
        pattern = getattr(pattern, "pattern", str(pattern))
    return MetricType(
        metric=prefixed(concept.qname),
        kind=kind,
        base=base,
        unit=unit,
        sign=_sign(kind, mn, mx),
        min_inclusive=mn,
        max_inclusive=mx,
        fraction_digits=integer("fractionDigits"),
        total_digits=integer("totalDigits"),
        min_length=integer("minLength")
        if "minLength" in facets
        else (integer("length") if "length" in facets else None),
        max_length=integer("maxLength")
        if "maxLength" in facets
        else (integer("length") if "length" in facets else None),
        pattern=pattern,
        enum_values=_enum_values(model, concept) if kind == "enum" else (),
        labels=labels_of(concept, generic=False),
    )
