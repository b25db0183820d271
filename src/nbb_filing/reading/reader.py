"""Reading an NBB annual-accounts filing back into datapoints of the installed package.

A filing is a flat XBRL 2.1 instance: every fact is a generic metric (``met:am1``,
``lgf-enum:list2`` ...) whose meaning comes entirely from the explicit and typed dimension
members of its context scenario.  Reading it therefore means: parse it safely, move it to the
framework of the installed package (:func:`nbb_filing.taxonomy.filing_xml.retarget_framework`: the
schemaRef and the versioned enumeration namespaces change between frameworks, the dictionary does
not), and resolve (metric, members, typed dimensions) of each fact against the model's
:class:`~nbb_filing.taxonomy.catalog.Catalog`.

Facts the catalog has no datapoint for are never dropped: they end up in
:attr:`FilingFacts.unresolved` with the reason, so that callers (``nbb-filing import``, the round
trip tests) can list them.

Prefixes are not trusted.  A filing may bind ``lgf-enum`` to any URI or use ``ns3:`` for the
metric namespace; every QName (element, dimension, member, enumeration value) is expanded with the
filing's own namespace bindings and re-prefixed with the catalog's prefixes, so two filings that
differ only by prefixes or framework version read to the same :meth:`FilingFacts.as_set`.

Values are normalised per metric type so that comparisons are about meaning, not spelling:
``7372.20`` and ``7372.2`` are the same amount, ``1`` and ``true`` the same boolean, an
enumeration value is the catalog-prefixed QName of its member.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Iterable, Iterator

from lxml import etree

from nbb_filing.core.errors import InputError
from nbb_filing.core.xmlns import LINK, XBRLDI, XBRLI, XSI
from nbb_filing.taxonomy.catalog import Catalog, Datapoint
from nbb_filing.taxonomy.catalog_cache import load_catalog
from nbb_filing.taxonomy.filing_xml import (
    parse_filing,
    retarget_framework,
    schema_ref,
)
from nbb_filing.taxonomy.packages import PackageInfo

_ENUM_NS_RE = re.compile(r"^(?P<base>.*/cbso/)(?P<fw>[0-9][^/]*)(?P<rest>/enum/[^/]+)$")

TypedValues = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ReadFact:
    """One fact of the filing resolved to a datapoint of the installed catalog.

    ``value`` is the normalised value (see :func:`normalise_value`): a canonical decimal string for
    numbers (``"7372.2"``), ``"true"``/``"false"``, an ISO date, a catalog-prefixed QName for an
    enumeration (``"lgf:m610"``), the text for strings; ``None`` when the fact is nil.
    ``typed_values`` holds the typed dimension values (e.g. a director's first and last name) as
    sorted ``(dimension, value)`` pairs.  ``source_line`` is the line of the fact in the file.
    """

    datapoint: Datapoint
    value: str | None
    typed_values: TypedValues
    source_line: int
    raw: str = ""
    decimals: str | None = None
    unit: str | None = None
    fact_id: str | None = None

    @property
    def key(self) -> str:
        return self.datapoint.key

    @property
    def amount(self) -> Decimal | None:
        """The value as a Decimal for numeric datapoints, else ``None``."""
        if self.value is None:
            return None
        try:
            return Decimal(self.value)
        except InvalidOperation:
            return None

    def identity(self) -> tuple[str, TypedValues]:
        """What makes two facts "the same cell": datapoint key and typed dimension values."""
        return (self.datapoint.key, self.typed_values)


@dataclass(frozen=True)
class UnresolvedFact:
    """A fact of the filing that the installed catalog cannot place, with the reason why."""

    element: str  # catalog-prefixed name when the namespace is known, else Clark notation
    members: tuple[tuple[str, str], ...]
    typed_values: TypedValues
    value: str
    source_line: int
    reason: str

    def describe(self) -> str:
        mem = ",".join(f"{d}={m}" for d, m in self.members)
        typ = ",".join(f"{d}={v!r}" for d, v in self.typed_values)
        cell = f"{self.element}[{mem}{'|' + typ if typ else ''}]"
        val = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"line {self.source_line}: {cell} = {val!r}: {self.reason}"


@dataclass(frozen=True)
class FilingFacts:
    """Everything read from one filing, resolved against the catalog of its model."""

    path: Path
    model: str
    framework: str | None  # framework of the file as written (e.g. "23.0")
    catalog: Catalog
    retargeted: tuple[str, ...]  # what moving to the installed framework changed
    language: str | None
    entity_scheme: str | None
    entity_identifier: str | None
    instants: tuple[str, ...]  # distinct period instants (NBB filings: one, the closing date)
    facts: tuple[ReadFact, ...]
    unresolved: tuple[UnresolvedFact, ...]
    problems: tuple[str, ...] = ()  # non-blocking remarks: inconsistent duplicates, unit mismatches
    _by_key: dict[str, tuple[ReadFact, ...]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        idx: dict[str, list[ReadFact]] = {}
        for f in self.facts:
            idx.setdefault(f.datapoint.key, []).append(f)
        self._by_key.update({k: tuple(v) for k, v in idx.items()})

    def __len__(self) -> int:
        return len(self.facts)

    def __iter__(self) -> Iterator[ReadFact]:
        return iter(self.facts)

    def as_set(self) -> set[tuple[str, TypedValues, str | None]]:
        """``{(datapoint_key, typed_values, normalised_value)}``: compare two filings by meaning.

        Unresolved facts are not in the set (compare :attr:`unresolved` separately).
        """
        return {(f.datapoint.key, f.typed_values, f.value) for f in self.facts}

    def by_key(self, key: str) -> tuple[ReadFact, ...]:
        return self._by_key.get(key, ())

    def value(self, key: str, typed_values: TypedValues = ()) -> str | None:
        """The normalised value of one cell, or ``None`` when the filing does not report it."""
        for f in self._by_key.get(key, ()):
            if f.typed_values == typed_values:
                return f.value
        return None

    def rubric_facts(self, period: str | None = None) -> list[ReadFact]:
        """Facts of datapoints that carry a rubric code (optionally for one period), in file order."""
        return [
            f for f in self.facts
            if f.datapoint.rubric and (period is None or f.datapoint.period == period)
        ]

    @property
    def closing_date(self) -> str | None:
        return self.instants[0] if len(self.instants) == 1 else None


# ====================================================================== value normalisation


def canonical_decimal(d: Decimal) -> str:
    """``Decimal("7372.20")`` -> ``"7372.2"``; ``Decimal("1E+2")`` -> ``"100"``; zero -> ``"0"``."""
    if d == 0:
        return "0"
    text = format(d.normalize(), "f")
    return text


def normalise_value(catalog: Catalog, metric: str, text: str, resolve_qname=None) -> str:
    """The canonical form of ``text`` as a value of ``metric`` (raises ValueError when it is not one).

    ``resolve_qname`` turns a prefixed QName written in the file into a catalog-prefixed one; it is
    needed for enumeration values (their prefix is bound by the file, not by the catalog).
    """
    mt = catalog.metric_type(metric)
    if mt.numeric:
        try:
            d = Decimal(text.strip())
        except InvalidOperation:
            raise ValueError(f"{text.strip()!r} is not a number") from None
        if not d.is_finite():
            raise ValueError(f"{text.strip()!r} is not a finite number")
        return canonical_decimal(d)
    if mt.kind == "boolean":
        t = text.strip()
        if t in ("true", "1"):
            return "true"
        if t in ("false", "0"):
            return "false"
        raise ValueError(f"{t!r} is not a boolean")
    if mt.kind == "enum":
        t = text.strip()
        return resolve_qname(t) if resolve_qname else t
    if mt.kind == "base64":
        return "".join(text.split())
    if mt.kind == "date":
        return text.strip()
    if mt.base == "token":
        return " ".join(text.split())
    # xs:string: line ends normalised, outer whitespace is layout, not content
    return text.replace("\r\n", "\n").strip()


# ====================================================================== reading


class _Names:
    """Re-prefixes expanded names with the catalog's prefixes (and knows the installed framework)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.prefix_of = {uri: p for p, uri in catalog.namespaces.items()}

    def uri_to_catalog(self, uri: str) -> str:
        m = _ENUM_NS_RE.match(uri or "")
        if m and m.group("fw") != self.catalog.framework:
            return f"{m.group('base')}{self.catalog.framework}{m.group('rest')}"
        return uri

    def name(self, uri: str | None, local: str) -> str:
        """``prefix:local`` when the catalog knows the namespace, else Clark ``{uri}local``."""
        uri = self.uri_to_catalog(uri or "")
        p = self.prefix_of.get(uri)
        return f"{p}:{local}" if p else f"{{{uri}}}{local}"

    def qname_text(self, text: str, el: etree._Element) -> str:
        """A QName written in content or an attribute (``dim:bas``), resolved against ``el``'s bindings."""
        t = text.strip()
        if ":" in t:
            prefix, local = t.split(":", 1)
        else:
            prefix, local = None, t
        uri = el.nsmap.get(prefix)
        if uri is None:
            raise ValueError(f"prefix {prefix!r} of {t!r} is not declared")
        return self.name(uri, local)


@dataclass(frozen=True)
class _Context:
    id: str
    scheme: str | None
    identifier: str | None
    instant: str | None
    period_problem: str | None
    members: tuple[tuple[str, str], ...]
    typed_values: TypedValues
    problem: str | None


def _read_context(ctx: etree._Element, names: _Names) -> _Context:
    cid = ctx.get("id", "")
    ident = ctx.find(f"{{{XBRLI}}}entity/{{{XBRLI}}}identifier")
    scheme = ident.get("scheme") if ident is not None else None
    identifier = (ident.text or "").strip() if ident is not None else None
    period = ctx.find(f"{{{XBRLI}}}period")
    instant = None
    period_problem = None
    if period is not None:
        inst = period.find(f"{{{XBRLI}}}instant")
        if inst is not None:
            instant = (inst.text or "").strip()
        else:
            period_problem = "the context's period is not an instant (NBB contexts are instants at the closing date)"
    members: list[tuple[str, str]] = []
    typed: list[tuple[str, str]] = []
    problem = None
    containers = [c for c in (ctx.find(f"{{{XBRLI}}}scenario"), ctx.find(f"{{{XBRLI}}}entity/{{{XBRLI}}}segment")) if c is not None]
    for container in containers:
        for child in container:
            if not isinstance(child.tag, str):
                continue
            try:
                if child.tag == f"{{{XBRLDI}}}explicitMember":
                    members.append((names.qname_text(child.get("dimension", ""), child), names.qname_text(child.text or "", child)))
                elif child.tag == f"{{{XBRLDI}}}typedMember":
                    dim = names.qname_text(child.get("dimension", ""), child)
                    inner = [c for c in child if isinstance(c.tag, str)]
                    value = "".join(inner[0].itertext()) if inner else "".join(child.itertext())
                    typed.append((dim, value.strip()))
                else:
                    problem = f"context {cid} holds a non-dimensional element {etree.QName(child).localname!r}"
            except ValueError as e:
                problem = f"context {cid}: {e}"
    return _Context(cid, scheme, identifier, instant, period_problem, tuple(sorted(members)), tuple(sorted(typed)), problem)


def read_facts(
    path: str | os.PathLike,
    package: PackageInfo | None,
    *,
    model: str | None = None,
    catalog: Catalog | None = None,
) -> FilingFacts:
    """Read the filing at ``path`` and resolve its facts against the installed ``package``.

    ``model`` (e.g. ``"m82-f"``), when given, is the model the caller expects: a filing of another
    model raises :class:`InputError` (its rubrics would mean something else).  ``catalog`` may be
    passed to skip loading it (it must be the catalog of the filing's model).
    """
    p = Path(path)
    tree = parse_filing(p)
    return read_tree(tree, package, path=p, model=model, catalog=catalog)


#: the measure each unit kind of the catalog must have, as ``{namespace}local`` names
UNIT_NAMES = {
    "EUR": "{http://www.xbrl.org/2003/iso4217}EUR",
    "shares": f"{{{XBRLI}}}shares",
    "pure": f"{{{XBRLI}}}pure",
}


def _measure_name(measure: etree._Element) -> str:
    """The QName of a ``<measure>`` resolved with the element's namespaces: ``{namespace}local``.

    ``xbrli:shares``, ``shares`` under a default xbrli namespace and ``x:shares`` with another prefix
    bound to the same namespace are the same unit.
    """
    text = (measure.text or "").strip()
    prefix, _, local = text.rpartition(":")
    ns = measure.nsmap.get(prefix or None)
    return f"{{{ns}}}{local}" if ns else text


def read_tree(
    tree: etree._ElementTree,
    package: PackageInfo | None,
    *,
    path: Path,
    model: str | None = None,
    catalog: Catalog | None = None,
) -> FilingFacts:
    """:func:`read_facts` on an already parsed (safe) tree."""
    root = tree.getroot()
    ref = schema_ref(root)
    if ref.model is None:
        raise InputError(f"{path}: the schemaRef {ref.href!r} is not an NBB CBSO entry point (…/cbso/fws/<version>/mod/<mXX>/<mXX-f>.xsd)")
    if model is not None and ref.model != model:
        raise InputError(f"{path}: this filing is of model {ref.model}, not {model} as expected")
    if catalog is None:
        if package is None:
            raise InputError("read_tree needs a package or a catalog")
        catalog = load_catalog(package, ref.model)
    elif catalog.model != ref.model:
        raise InputError(f"{path}: this filing is of model {ref.model}, the catalog given is of {catalog.model}")
    tree, changes = retarget_framework(tree, catalog.framework)
    root = tree.getroot()
    names = _Names(catalog)

    contexts: dict[str, _Context] = {}
    units: dict[str, str] = {}
    unit_names: dict[str, tuple[str, ...]] = {}  # unit id -> its measures as {namespace}local names
    problems: list[str] = []
    for el in root:
        if not isinstance(el.tag, str):
            continue
        if el.tag == f"{{{XBRLI}}}context":
            c = _read_context(el, names)
            if c.id in contexts:
                problems.append(f"line {el.sourceline}: context id {c.id!r} is defined twice")
            contexts[c.id] = c
        elif el.tag == f"{{{XBRLI}}}unit":
            measures = [(m.text or "").strip() for m in el.iter(f"{{{XBRLI}}}measure")]
            units[el.get("id", "")] = " ".join(measures)
            unit_names[el.get("id", "")] = tuple(_measure_name(m) for m in el.iter(f"{{{XBRLI}}}measure"))

    facts: list[ReadFact] = []
    unresolved: list[UnresolvedFact] = []
    schemes: set[tuple[str | None, str | None]] = set()
    instants: dict[str, None] = {}
    for el in root:
        if not isinstance(el.tag, str) or el.get("contextRef") is None:
            continue
        qn = etree.QName(el)
        if qn.namespace in (XBRLI, LINK):
            continue
        line = el.sourceline or 0
        element = names.name(qn.namespace, qn.localname)
        text = "".join(el.itertext()) if len(el) else (el.text or "")
        nil = el.get(f"{{{XSI}}}nil") in ("true", "1")
        ctx = contexts.get(el.get("contextRef", ""))

        def unresolved_fact(reason: str, members=(), typed=()) -> None:
            unresolved.append(UnresolvedFact(element, tuple(members), tuple(typed), text.strip(), line, reason))

        if ctx is None:
            unresolved_fact(f"context {el.get('contextRef')!r} is not defined")
            continue
        schemes.add((ctx.scheme, ctx.identifier))
        if ctx.instant:
            instants.setdefault(ctx.instant, None)
        if ctx.problem or ctx.period_problem:
            unresolved_fact(ctx.problem or ctx.period_problem or "", ctx.members, ctx.typed_values)
            continue
        if element not in catalog.metrics:
            why = (
                f"element {element} is not a metric of model {catalog.model} in package {catalog.package_version}"
            )
            unresolved_fact(why, ctx.members, ctx.typed_values)
            continue
        typed_dims = tuple(d for d, _ in ctx.typed_values)
        defaults = [f"{d}={m}" for d, m in ctx.members if catalog.defaults.get(d) == m]
        if defaults:
            # XBRL Dimensions forbids writing a default member; the NBB rejects such a filing
            problems.append(f"line {line}: context {ctx.id} writes the default member {', '.join(defaults)}")
        dp = catalog.resolve(element, ctx.members, typed_dims)
        if dp is None:
            unresolved_fact(
                f"model {catalog.model} of package {catalog.package_version} has no datapoint for these dimensions",
                ctx.members, ctx.typed_values,
            )
            continue
        mt = catalog.metric_type(dp)
        unit = units.get(el.get("unitRef", "")) if el.get("unitRef") else None
        value: str | None
        if nil:
            value = None
        else:
            try:
                value = normalise_value(catalog, dp.metric, text, lambda t: names.qname_text(t, el))
            except ValueError as e:
                unresolved_fact(f"value is not a valid {dp.metric}: {e}", ctx.members, ctx.typed_values)
                continue
            if mt.kind == "enum" and mt.enum_value(value) is None:
                unresolved_fact(
                    f"{value} is not a value of the list {dp.metric} in package {catalog.package_version}",
                    ctx.members, ctx.typed_values,
                )
                continue
        measures = unit_names.get(el.get("unitRef", "")) if el.get("unitRef") else None
        if mt.unit and measures is not None and mt.unit != "pure" and measures != (UNIT_NAMES.get(mt.unit),):
            # compared by meaning (the measure's namespace and name), not by its prefix or the unit's id
            problems.append(f"line {line}: {dp.key} has unit {unit} ({', '.join(measures)}), expected {mt.unit} "
                            f"({UNIT_NAMES.get(mt.unit)})")
        facts.append(ReadFact(dp, value, ctx.typed_values, line, text, el.get("decimals"), unit, el.get("id")))

    _duplicates(facts, problems)
    scheme, identifier = (next(iter(schemes)) if len(schemes) == 1 else (None, None))
    if len(schemes) > 1:
        problems.append(f"the facts name {len(schemes)} different entities")
    if len(instants) > 1:
        problems.append(f"the contexts use {len(instants)} different dates: {', '.join(instants)}")
    lang = root.get("{http://www.w3.org/XML/1998/namespace}lang")
    return FilingFacts(
        path=path,
        model=ref.model,
        framework=ref.framework,
        catalog=catalog,
        retargeted=tuple(changes),
        language=lang,
        entity_scheme=scheme,
        entity_identifier=identifier,
        instants=tuple(instants),
        facts=tuple(facts),
        unresolved=tuple(unresolved),
        problems=tuple(problems),
    )


def _duplicates(facts: Iterable[ReadFact], problems: list[str]) -> None:
    seen: dict[tuple[str, TypedValues], ReadFact] = {}
    for f in facts:
        first = seen.setdefault(f.identity(), f)
        if first is not f and first.value != f.value:
            problems.append(
                f"line {f.source_line}: {f.datapoint.key} is reported twice with different values "
                f"({first.value!r} at line {first.source_line}, {f.value!r})"
            )


def diff_sets(
    expected: set[tuple[str, TypedValues, str | None]], actual: set[tuple[str, TypedValues, str | None]]
) -> list[str]:
    """Readable differences between two :meth:`FilingFacts.as_set` results (for tests and reports)."""
    def show(sign: str, k: str, t: TypedValues, v: str | None) -> str:
        typ = " " + ", ".join(f"{d}={x!r}" for d, x in t) if t else ""
        return f"{sign} {k}{typ} = {v!r}"

    lines = [show("-", *x) for x in sorted(expected - actual, key=str)]
    lines += [show("+", *x) for x in sorted(actual - expected, key=str)]
    return lines
