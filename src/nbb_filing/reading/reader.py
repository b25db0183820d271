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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from lxml import etree

from nbb_filing.core.errors import InputError
from nbb_filing.core.money import NumberOutOfBounds, bounded_decimal
from nbb_filing.core.xmlns import LINK, XBRLI, XSI
from nbb_filing.reading.contexts import UNIT_NAMES, Context, Names, Unit, read_contexts_and_units
from nbb_filing.taxonomy.catalog import Catalog, Datapoint
from nbb_filing.taxonomy.catalog_cache import load_catalog
from nbb_filing.taxonomy.filing_xml import (
    parse_filing,
    retarget_framework,
    schema_ref,
)
from nbb_filing.taxonomy.packages import PackageInfo

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
    entity: str | None = None  # the context's entity identifier (a filing should name one entity)
    instant: str | None = None  # the context's date (a filing should use one)

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
        return [f for f in self.facts if f.datapoint.rubric and (period is None or f.datapoint.period == period)]

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
        # bounded (raises NumberOutOfBounds): never rounded, never a million digits written out
        return canonical_decimal(bounded_decimal(text.strip()))
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
        raise InputError(
            f"{path}: the schemaRef {ref.href!r} is not an NBB CBSO entry point (…/cbso/fws/<version>/mod/<mXX>/<mXX-f>.xsd)"
        )
    if model is not None and ref.model != model:
        raise InputError(f"{path}: this filing is of model {ref.model}, not {model} as expected")
    if catalog is None:
        if package is None:
            raise InputError("read_tree needs a package or a catalog")
        catalog = load_catalog(package, ref.model)
    elif catalog.model != ref.model:
        raise InputError(f"{path}: this filing is of model {ref.model}, the catalog given is of {catalog.model}")
    written = root
    tree, changes = retarget_framework(tree, catalog.framework)
    root = tree.getroot()
    names = Names(catalog)
    problems: list[str] = []
    contexts, units = read_contexts_and_units(root, names, problems)
    reader = _FactReader(catalog, names, contexts, units, problems, path)
    # lines come from the file as parsed: a rebuilt element cannot hold a line above 65,535
    for el, as_written in zip(root, written, strict=True):
        reader.take(el, as_written.sourceline or 0)
    scheme, identifier = reader.file_problems()
    return FilingFacts(
        path=path,
        model=ref.model,
        framework=ref.framework,
        catalog=catalog,
        retargeted=tuple(changes),
        language=root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        entity_scheme=scheme,
        entity_identifier=identifier,
        instants=tuple(reader.instants),
        facts=tuple(reader.facts),
        unresolved=tuple(reader.unresolved),
        problems=tuple(problems),
    )


@dataclass
class _FactReader:
    """The facts of one filing, read one element at a time against its contexts and units."""

    catalog: Catalog
    names: Names
    contexts: dict[str, Context]
    units: dict[str, Unit]
    problems: list[str]
    path: Path
    facts: list[ReadFact] = field(default_factory=list)
    unresolved: list[UnresolvedFact] = field(default_factory=list)
    schemes: set[tuple[str | None, str | None]] = field(default_factory=set)
    instants: dict[str, None] = field(default_factory=dict)  # distinct instants, in order of first use

    def take(self, el: etree._Element, line: int) -> None:
        """One child of the root (at ``line`` of the file): a fact resolved to a datapoint, an
        unresolved fact, or not a fact."""
        if not isinstance(el.tag, str) or el.get("contextRef") is None:
            return
        qn = etree.QName(el)
        if qn.namespace in (XBRLI, LINK):
            return
        catalog = self.catalog
        element = self.names.name(qn.namespace, qn.localname)
        text = "".join(el.itertext()) if len(el) else (el.text or "")
        ctx = self.contexts.get(el.get("contextRef", ""))

        def unresolved_fact(reason: str, members=(), typed=()) -> None:
            self.unresolved.append(UnresolvedFact(element, tuple(members), tuple(typed), text.strip(), line, reason))

        if ctx is None:
            unresolved_fact(f"context {el.get('contextRef')!r} is not defined")
            return
        self.schemes.add((ctx.scheme, ctx.identifier))
        if ctx.instant:
            self.instants.setdefault(ctx.instant, None)
        if ctx.problem or ctx.period_problem:
            unresolved_fact(ctx.problem or ctx.period_problem or "", ctx.members, ctx.typed_values)
            return
        if element not in catalog.metrics:
            why = f"element {element} is not a metric of model {catalog.model} in package {catalog.package_version}"
            unresolved_fact(why, ctx.members, ctx.typed_values)
            return
        typed_dims = tuple(d for d, _ in ctx.typed_values)
        defaults = [f"{d}={m}" for d, m in ctx.members if catalog.defaults.get(d) == m]
        if defaults:
            # XBRL Dimensions forbids writing a default member; the NBB rejects such a filing
            self.problems.append(f"line {line}: context {ctx.id} writes the default member {', '.join(defaults)}")
        dp = catalog.resolve(element, ctx.members, typed_dims)
        if dp is None:
            unresolved_fact(
                f"model {catalog.model} of package {catalog.package_version} has no datapoint for these dimensions",
                ctx.members,
                ctx.typed_values,
            )
            return
        value, why_not = self.value(el, dp, text, line)
        if why_not is not None:
            unresolved_fact(why_not, ctx.members, ctx.typed_values)
            return
        unit = self.unit(el, dp, line)
        self.facts.append(
            ReadFact(
                dp,
                value,
                ctx.typed_values,
                line,
                text,
                el.get("decimals"),
                unit,
                el.get("id"),
                ctx.identifier,
                ctx.instant,
            )
        )

    def value(self, el: etree._Element, dp: Datapoint, text: str, line: int) -> tuple[str | None, str | None]:
        """``(normalised value, None)``, ``(None, None)`` for a nil fact, or ``(None, why it is not a value)``.

        A number out of bounds refuses the whole file (:class:`InputError`): no caller could use it."""
        if el.get(f"{{{XSI}}}nil") in ("true", "1"):
            return None, None
        catalog = self.catalog
        try:
            value = normalise_value(catalog, dp.metric, text, lambda t: self.names.qname_text(t, el))
        except NumberOutOfBounds as e:
            raise InputError(
                f"{self.path}:{line}: refused, the value of {dp.metric} ({dp.key}) is out of bounds: {e}"
            ) from None
        except ValueError as e:
            return None, f"value is not a valid {dp.metric}: {e}"
        mt = catalog.metric_type(dp)
        if mt.kind == "enum" and mt.enum_value(value) is None:
            return None, f"{value} is not a value of the list {dp.metric} in package {catalog.package_version}"
        return value, None

    def unit(self, el: etree._Element, dp: Datapoint, line: int) -> str | None:
        """The fact's unit as written (``None`` without one); a unit of the wrong kind is one of the problems."""
        u = self.units.get(el.get("unitRef", "")) if el.get("unitRef") else None
        unit = u.text if u is not None else None
        measures = u.measures if u is not None else None
        mt = self.catalog.metric_type(dp)
        if mt.unit and measures is not None and mt.unit != "pure" and measures != (UNIT_NAMES.get(mt.unit),):
            # compared by meaning (the measure's namespace and name), not by its prefix or the unit's id
            self.problems.append(
                f"line {line}: {dp.key} has unit {unit} ({', '.join(measures)}), expected {mt.unit} "
                f"({UNIT_NAMES.get(mt.unit)})"
            )
        return unit

    def file_problems(self) -> tuple[str | None, str | None]:
        """The problems of the whole file (duplicates, several entities or dates); returns its entity."""
        _duplicates(self.facts, self.problems)
        scheme, identifier = next(iter(self.schemes)) if len(self.schemes) == 1 else (None, None)
        if len(self.schemes) > 1:
            self.problems.append(f"the facts name {len(self.schemes)} different entities")
        if len(self.instants) > 1:
            self.problems.append(f"the contexts use {len(self.instants)} different dates: {', '.join(self.instants)}")
        return scheme, identifier


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
