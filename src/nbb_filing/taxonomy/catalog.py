"""The taxonomy catalog: every datapoint of one model, read from an NBB taxonomy package.

The NBB taxonomy is DPM-style.  A fact is a *generic metric* (``met:am1`` an amount >= 0,
``met:am2`` a signed amount, ``met:str2`` a token, ``lgf-enum:list2`` an enumeration ...) plus
explicit dimension members and typed dimensions in the context scenario.  What an accountant
calls a rubric ("10/15", "9904") is only a generic label (role ``http://www.nbb.be/fr/xbrl/rub``)
on a row of a table in the table linkbase.  So the catalog walks every table of the model with
Arelle's own table model, merges the aspects of each rule node with those of its ancestors,
crosses rows and columns, keeps the combinations that the definition linkbase (XBRL Dimensions)
admits, and records for each: metric, members, typed dimensions, rubric code, labels, section.

Why some things look odd:

* the previous year is not a period: every context is an instant at the closing date and the
  previous exercise is the member ``prd:m2`` of ``dim:prd`` (the current one ``prd:m1``);
* dimension defaults (``<dom>:m0``) appear in rule nodes but must never be written in an
  instance: the catalog drops them from datapoints and lists them in :attr:`Catalog.defaults`;
* several tables may show the same datapoint (same metric and members); it is one datapoint,
  and the first rubric code met is kept (others are in :attr:`Datapoint.other_rubrics`).

Compiling costs one Arelle load of the model (seconds); the result is cached as JSON per
(package SHA-256, model) in the user data directory, and loading the cache takes milliseconds.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from itertools import product
from pathlib import Path
from typing import Any, Iterable, Mapping

from nbb_filing.core.checked_json import read_checked_json, write_checked_json
from nbb_filing.core.errors import PackageError, RubricNotFound
from nbb_filing.taxonomy.packages import PackageInfo, cache_dir

RUBRIC_ROLE = "http://www.nbb.be/fr/xbrl/rub"
LANGS = ("fr", "nl", "de", "en")
#: Bump when the JSON layout or the compile logic changes: old caches are then ignored.
CACHE_FORMAT = 8  # 8: stored with an integrity header (checked_json)

Labels = tuple[tuple[str, str], ...]  # ((lang, text), ...) in LANGS order


def _label_of(labels: Labels, lang: str) -> str:
    d = dict(labels)
    return d.get(lang) or d.get("en") or d.get("fr") or next(iter(d.values()), "")


@dataclass(frozen=True)
class EnumValue:
    """An allowed member of an enumeration metric (e.g. ``lgf:m610``) with its labels."""

    qname: str
    labels: Labels

    def label(self, lang: str = "fr") -> str:
        return _label_of(self.labels, lang)


@dataclass(frozen=True)
class MetricType:
    """What a metric accepts, read from its XML Schema type in the package.

    ``kind`` is one of: ``amount`` (monetary, unit EUR), ``shares`` (unit shares), ``integer``,
    ``decimal``, ``percent`` (a fraction 0..1), ``string``, ``date``, ``boolean``, ``base64``,
    ``enum`` (value is a member QName from :attr:`enum_values`).  ``sign`` is ``nonnegative``,
    ``nonpositive`` or ``signed`` for numbers (from minInclusive/maxInclusive), else ``None``.
    """

    metric: str
    kind: str
    base: str
    unit: str | None
    sign: str | None
    min_inclusive: str | None
    max_inclusive: str | None
    fraction_digits: int | None
    total_digits: int | None
    min_length: int | None
    max_length: int | None
    pattern: str | None
    enum_values: tuple[EnumValue, ...]
    labels: Labels

    @property
    def numeric(self) -> bool:
        return self.kind in ("amount", "shares", "integer", "decimal", "percent")

    def label(self, lang: str = "fr") -> str:
        return _label_of(self.labels, lang)

    def enum_value(self, qname: str) -> EnumValue | None:
        for v in self.enum_values:
            if v.qname == qname:
                return v
        return None

    def check(self, value: Any) -> str | None:
        """Why ``value`` breaks this type, or ``None`` when it fits (numbers as Decimal)."""
        if self.numeric:
            try:
                d = value if isinstance(value, Decimal) else Decimal(str(value))
            except Exception:
                return f"{value!r} is not a number"
            if not d.is_finite():
                return f"{value!r} is not a finite number"
            if self.min_inclusive is not None and d < Decimal(self.min_inclusive):
                return f"{d} is below the minimum {self.min_inclusive} of {self.metric}"
            if self.max_inclusive is not None and d > Decimal(self.max_inclusive):
                return f"{d} is above the maximum {self.max_inclusive} of {self.metric}"
            if self.fraction_digits is not None:
                exp = d.normalize().as_tuple().exponent
                if isinstance(exp, int) and -exp > self.fraction_digits:
                    return f"{d} has more than {self.fraction_digits} decimals"
            return None
        if self.kind == "enum":
            if self.enum_value(str(value)) is None:
                return f"{value!r} is not a value of the list {self.metric}"
            return None
        text = str(value)
        if self.min_length is not None and len(text) < self.min_length:
            return f"{text!r} is shorter than {self.min_length} characters"
        if self.max_length is not None and len(text) > self.max_length:
            return f"{text!r} is longer than {self.max_length} characters"
        return None


@dataclass(frozen=True)
class Datapoint:
    """One cell of the model: a metric with explicit members (defaults omitted) and typed dims.

    ``key`` is canonical and stable across packages of the same dictionary:
    ``met:am1[dim:bas=bas:m1,dim:part=part:m1,dim:prd=prd:m2]`` and, with typed dimensions,
    ``met:str2[dim:bas=bas:m26,dim:part=part:m2|dim:anlp]``.
    """

    key: str
    metric: str
    members: tuple[tuple[str, str], ...]
    typed: tuple[str, ...]
    rubric: str | None
    other_rubrics: tuple[str, ...]
    period: str  # "current" (prd:m1), "previous" (prd:m2) or "none" (no dim:prd)
    labels: Labels  # row label
    path_labels: Labels  # row label with its ancestor rows, " > " separated
    column_labels: Labels  # column header(s), " / " separated
    section: str
    table: str
    order: int

    def label(self, lang: str = "fr") -> str:
        return _label_of(self.labels, lang)

    def path_label(self, lang: str = "fr") -> str:
        return _label_of(self.path_labels, lang)

    def column_label(self, lang: str = "fr") -> str:
        return _label_of(self.column_labels, lang)

    def member(self, dimension: str) -> str | None:
        for d, m in self.members:
            if d == dimension:
                return m
        return None


def datapoint_key(metric: str, members: Iterable[tuple[str, str]], typed: Iterable[str] = ()) -> str:
    """Canonical key of (metric, explicit members, typed dimensions); defaults must be removed."""
    mem = ",".join(f"{d}={m}" for d, m in sorted(members))
    typ = sorted(typed)
    return f"{metric}[{mem}{'|' + ','.join(typ) if typ else ''}]"


@dataclass(frozen=True)
class TableInfo:
    id: str  # the table's extended link role
    section: str
    labels: Labels

    def label(self, lang: str = "fr") -> str:
        return _label_of(self.labels, lang)


@dataclass(frozen=True)
class Total:
    """A sum the package's assertions impose: ``rubric = sum(sign * term)``, within one year.

    Read from the value assertions of the model (``va_calc_*`` in the NBB packages) whose test is a
    linear equality between single facts (``$t eq ($s1 + $s2 - $s3)``), whose variables filter
    exactly one datapoint with a rubric code, all in the same year (movement tables such as
    ``8329 = 8329P + 8279 - 8289 ...`` link two years: they are in :attr:`Catalog.roll_forwards`).  Used to compute totals from their parts and to
    aggregate detailed figures to the rubrics of the abbreviated and micro models.
    """

    id: str
    rubric: str
    terms: tuple[tuple[int, str], ...]


@dataclass(frozen=True, eq=False)
class Catalog:
    """All datapoints of one model of one package, with lookups by key, rubric and members."""

    package_sha256: str
    package_version: str
    package_name: str
    model: str
    framework: str
    entry_point: str
    namespaces: Mapping[str, str]
    defaults: Mapping[str, str]  # dimension -> default member (never written)
    typed_dimensions: Mapping[str, str]  # typed dimension -> QName of its value element
    metrics: Mapping[str, MetricType]
    tables: tuple[TableInfo, ...]
    datapoints: tuple[Datapoint, ...]
    totals: tuple[Total, ...] = ()
    roll_forwards: tuple[Total, ...] = ()
    #: the package it was read from (not serialised; None for a catalog rebuilt from bare JSON)
    package: PackageInfo | None = field(default=None, repr=False, compare=False)
    _by_key: dict[str, Datapoint] = field(default_factory=dict, repr=False)
    _by_rubric: dict[str, tuple[Datapoint, ...]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        by_rubric: dict[str, list[Datapoint]] = {}
        for dp in self.datapoints:
            self._by_key[dp.key] = dp
            for code in ((dp.rubric,) if dp.rubric else ()) + dp.other_rubrics:
                by_rubric.setdefault(code, []).append(dp)
        self._by_rubric.update({k: tuple(v) for k, v in by_rubric.items()})

    # ------------------------------------------------------------------ lookups
    def __len__(self) -> int:
        return len(self.datapoints)

    def rubrics(self) -> list[str]:
        """Rubric codes of the model in table order."""
        return list(self._by_rubric)

    def has_rubric(self, code: str) -> bool:
        return code in self._by_rubric

    def by_key(self, key: str) -> Datapoint | None:
        return self._by_key.get(key)

    def by_rubric(self, code: str) -> tuple[Datapoint, ...]:
        """All datapoints carrying rubric ``code`` (both years, every column); raises if none."""
        try:
            return self._by_rubric[code]
        except KeyError:
            raise RubricNotFound(f"rubric {code!r} is not in model {self.model}") from None

    def lookup(self, code: str, period: str = "current") -> Datapoint:
        """The one datapoint of rubric ``code`` for ``period`` ("current"/"previous"/"none").

        Raises :class:`RubricNotFound` when the model has no such rubric or no cell for that period,
        and when the rubric has several columns for the period (use :meth:`by_rubric`).
        """
        cands = [dp for dp in self.by_rubric(code) if dp.period == period]
        if not cands:
            raise RubricNotFound(f"rubric {code!r} of model {self.model} has no {period}-year datapoint")
        if len(cands) > 1:
            primary = [dp for dp in cands if dp.rubric == code]
            if len(primary) == 1:
                return primary[0]
            cols = "; ".join(dp.column_label("en") for dp in cands)
            raise RubricNotFound(
                f"rubric {code!r} of model {self.model} has {len(cands)} {period}-year datapoints "
                f"(columns: {cols}); choose one by key"
            )
        return cands[0]

    def resolve(self, metric: str, members: Iterable[tuple[str, str]], typed: Iterable[str] = ()) -> Datapoint | None:
        """The datapoint of a fact, given its metric, explicit members and typed dimensions.

        Members equal to the dimension's default are ignored, as XBRL Dimensions does.
        """
        mem = [(d, m) for d, m in members if self.defaults.get(d) != m]
        return self._by_key.get(datapoint_key(metric, mem, typed))

    def sibling(self, model: str) -> "Catalog":
        """The catalog of another model of the same package and framework (e.g. the family's full model)."""
        if self.package is None:
            raise PackageError(f"catalog {self.model} does not know its taxonomy package: load {model} with load_catalog")
        return load_catalog(self.package, model, self.framework)

    def metric_type(self, dp_or_metric: Datapoint | str) -> MetricType:
        metric = dp_or_metric.metric if isinstance(dp_or_metric, Datapoint) else dp_or_metric
        return self.metrics[metric]

    def namespace(self, prefixed: str) -> str:
        prefix = prefixed.split(":", 1)[0]
        return self.namespaces[prefix]

    # ------------------------------------------------------------------ (de)serialisation
    def to_json(self) -> dict:
        return {
            "format": CACHE_FORMAT,
            "package_sha256": self.package_sha256,
            "package_version": self.package_version,
            "package_name": self.package_name,
            "model": self.model,
            "framework": self.framework,
            "entry_point": self.entry_point,
            "namespaces": dict(self.namespaces),
            "defaults": dict(self.defaults),
            "typed_dimensions": dict(self.typed_dimensions),
            "metrics": {k: asdict(v) for k, v in self.metrics.items()},
            "tables": [asdict(t) for t in self.tables],
            "datapoints": [asdict(d) for d in self.datapoints],
            "totals": [asdict(t) for t in self.totals],
            "roll_forwards": [asdict(t) for t in self.roll_forwards],
        }

    @classmethod
    def from_json(cls, d: dict, package: PackageInfo | None = None) -> "Catalog":
        def labels(x: Any) -> Labels:
            return tuple((a, b) for a, b in x)

        metrics = {}
        for k, m in d["metrics"].items():
            m = dict(m)
            m["labels"] = labels(m["labels"])
            m["enum_values"] = tuple(EnumValue(v["qname"], labels(v["labels"])) for v in m["enum_values"])
            metrics[k] = MetricType(**m)
        dps = []
        for x in d["datapoints"]:
            x = dict(x)
            x["members"] = tuple((a, b) for a, b in x["members"])
            x["typed"] = tuple(x["typed"])
            x["other_rubrics"] = tuple(x["other_rubrics"])
            for k in ("labels", "path_labels", "column_labels"):
                x[k] = labels(x[k])
            dps.append(Datapoint(**x))
        return cls(
            package_sha256=d["package_sha256"],
            package_version=d["package_version"],
            package_name=d["package_name"],
            model=d["model"],
            framework=d["framework"],
            entry_point=d["entry_point"],
            namespaces=d["namespaces"],
            defaults=d["defaults"],
            typed_dimensions=d["typed_dimensions"],
            metrics=metrics,
            tables=tuple(TableInfo(t["id"], t["section"], labels(t["labels"])) for t in d["tables"]),
            datapoints=tuple(dps),
            totals=_totals_from_json(d["totals"]),
            roll_forwards=_totals_from_json(d["roll_forwards"]),
            package=package,
        )


def _totals_from_json(items: list) -> tuple[Total, ...]:
    return tuple(Total(t["id"], t["rubric"], tuple((int(a), b) for a, b in t["terms"])) for t in items)


# ====================================================================== compilation with Arelle


def _cache_path(info: PackageInfo, model: str, framework: str) -> Path:
    return cache_dir() / "catalogs" / info.sha256 / f"{framework}-{model}.json"


_memory: dict[tuple[str, str, str], Catalog] = {}


def load_catalog(info: PackageInfo, model: str, framework: str | None = None, *, use_cache: bool = True) -> Catalog:
    """The catalog of ``model`` (e.g. ``"m82-f"``) in package ``info``: from memory, disk, or Arelle."""
    ep = info.entry_point(model, framework)
    mkey = (info.sha256, ep.framework, model)
    if use_cache and mkey in _memory:
        return _memory[mkey]
    path = _cache_path(info, model, ep.framework)
    cat: Catalog | None = None
    if use_cache and path.is_file():
        cat = _read_cached(path, info, model, ep.framework)  # None: damaged, stale or foreign, recompiled
    if cat is None:
        from nbb_filing.core.progress import step

        with step(f"compiling catalog {model} (Arelle, once per package)"):
            cat = compile_catalog(info, model, ep.framework)
        try:
            write_checked_json(path, "catalog", CACHE_FORMAT, cat.to_json())
        except OSError:
            pass  # a read-only cache directory only costs time
    _memory[mkey] = cat
    return cat


def _read_cached(path: Path, info: PackageInfo, model: str, framework: str) -> Catalog | None:
    """The cached catalog at ``path`` if its header, digest and content check out (see :mod:`.checked_json`)."""
    data = read_checked_json(path, "catalog", CACHE_FORMAT)
    if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or data.get("package_sha256") != info.sha256:
        return None
    if (data.get("model"), data.get("framework")) != (model, framework):
        return None
    try:
        cat = Catalog.from_json(data, package=info)
    except Exception:  # any wrong shape: the cache is rebuilt, never trusted
        return None
    return cat if cat.datapoints and cat.metrics else None


def clear_memory_cache() -> None:
    _memory.clear()


class _ArelleVal:
    """The minimal ``val`` object Arelle's dimension/enumeration helpers take (they cache on it)."""

    def __init__(self, model: Any) -> None:
        self.modelXbrl = model


def _qn(q: Any) -> str:
    """Prefixed form of an Arelle QName (the prefixes of the NBB dictionary are stable)."""
    return f"{q.prefix}:{q.localName}" if q.prefix else q.localName


def _labels(obj: Any, *, role: str | None = None, generic: bool = True) -> Labels:
    out = []
    for lang in LANGS:
        if generic:
            text = obj.genLabel(role=role, lang=lang) if role else obj.genLabel(lang=lang)
        else:
            text = obj.label(lang=lang, fallbackToQname=False) if role is None else obj.label(role, lang=lang, fallbackToQname=False)
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


def _metric_type(model: Any, concept: Any) -> MetricType:
    from arelle.ValidateXbrlDimensions import usableEnumerationMembers

    metric = _qn(concept.qname)
    facets = _facets(concept)
    base = concept.baseXsdType or ""
    enum_values: tuple[EnumValue, ...] = ()
    if concept.isEnumeration:
        kind = "enum"

        members = usableEnumerationMembers(_ArelleVal(model), concept)
        enum_values = tuple(
            sorted(
                (EnumValue(_qn(m.qname), _labels(m, generic=False)) for m in members),
                key=lambda e: e.qname,
            )
        )
    elif concept.isMonetary:
        kind = "amount"
    elif concept.isShares:
        kind = "shares"
    elif base in ("integer", "nonNegativeInteger", "positiveInteger", "long", "int", "short", "nonPositiveInteger", "negativeInteger"):
        kind = "integer"
    elif concept.isNumeric:
        ptype = str(concept.typeQname.localName).lower() if concept.typeQname is not None else ""
        kind = "percent" if ("percent" in ptype or "pure" in ptype) else "decimal"
    elif base == "date" or base == "dateUnion":
        kind = "date"
    elif base == "boolean":
        kind = "boolean"
    elif base == "base64Binary":
        kind = "base64"
    else:
        kind = "string"
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
    sign = None
    if kind in ("amount", "shares", "integer", "decimal", "percent"):
        if mn is not None and Decimal(mn) >= 0:
            sign = "nonnegative"
        elif mx is not None and Decimal(mx) <= 0:
            sign = "nonpositive"
        else:
            sign = "signed"
    pattern = facets.get("pattern")
    if pattern is not None and not isinstance(pattern, str):
        pattern = getattr(pattern, "pattern", str(pattern))
    return MetricType(
        metric=metric,
        kind=kind,
        base=base,
        unit=unit,
        sign=sign,
        min_inclusive=mn,
        max_inclusive=mx,
        fraction_digits=integer("fractionDigits"),
        total_digits=integer("totalDigits"),
        min_length=integer("minLength") if "minLength" in facets else (integer("length") if "length" in facets else None),
        max_length=integer("maxLength") if "maxLength" in facets else (integer("length") if "length" in facets else None),
        pattern=pattern,
        enum_values=enum_values,
        labels=_labels(concept, generic=False),
    )


@dataclass
class _Line:
    """One non-abstract line of a breakdown, with the aspects merged from its ancestors."""

    concept: Any = None
    dims: dict[Any, Any] = field(default_factory=dict)  # dimension QName -> member QName
    typed: set[Any] = field(default_factory=set)
    rubric: str | None = None
    labels: Labels = ()
    path: list[Labels] = field(default_factory=list)


def _breakdown_lines(model: Any, breakdown: Any, linkrole: str, ctx: Any) -> list[_Line]:
    from arelle import XbrlConst
    from arelle.Aspect import Aspect
    from arelle.ModelRenderingObject import DefnMdlAspectNode, DefnMdlRuleDefinitionNode

    tree = model.relationshipSet(
        (XbrlConst.tableBreakdownTree, XbrlConst.tableBreakdownTreeMMDD,
         XbrlConst.tableDefinitionNodeSubtree, XbrlConst.tableDefinitionNodeSubtreeMMDD),
        linkrole,
    )
    lines: list[_Line] = []

    def walk(node: Any, inherited: _Line) -> None:
        line = _Line(inherited.concept, dict(inherited.dims), set(inherited.typed), None, (), list(inherited.path))
        has_aspect = False
        if isinstance(node, DefnMdlRuleDefinitionNode):
            node.compile()
            for aspect in node.aspectsCovered():
                if aspect == Aspect.CONCEPT:
                    line.concept = node.aspectValue(ctx, aspect)
                    has_aspect = True
                elif aspect == Aspect.DIMENSIONS:
                    continue
                elif not isinstance(aspect, int):  # a dimension QName
                    line.dims[aspect] = node.aspectValue(ctx, aspect)
                    has_aspect = True
        elif isinstance(node, DefnMdlAspectNode):
            node.compile() if hasattr(node, "compile") else None
            for aspect in node.aspectsCovered():
                if not isinstance(aspect, int):
                    line.typed.add(aspect)
                    has_aspect = True
        labels = _labels(node)
        rub = node.genLabel(role=RUBRIC_ROLE, lang="fr") or node.genLabel(role=RUBRIC_ROLE)
        abstract = bool(getattr(node, "isAbstract", False))
        if labels:
            line.path.append(labels)
        line.labels = labels
        line.rubric = rub.strip() if rub else None
        if not abstract and (has_aspect or line.rubric):
            lines.append(line)
        for rel in tree.fromModelObject(node):
            walk(rel.toModelObject, line)

    for rel in tree.fromModelObject(breakdown):
        walk(rel.toModelObject, _Line())
    return lines


def _join(parts: Iterable[Labels], sep: str) -> Labels:
    parts = [dict(p) for p in parts if p]
    out = []
    for lang in LANGS:
        texts = [p.get(lang) or p.get("en") or next(iter(p.values())) for p in parts]
        if texts:
            out.append((lang, sep.join(texts)))
    return tuple(out)


def compile_catalog(info: PackageInfo, model: str, framework: str | None = None) -> Catalog:
    """Build the catalog of ``model`` with Arelle (offline).  Costs one Arelle load."""
    from arelle import XbrlConst
    from arelle.Aspect import Aspect
    from arelle.PrototypeInstanceObject import FactPrototype
    from arelle.ValidateXbrlDimensions import isFactDimensionallyValid

    from nbb_filing.taxonomy import arelle_env

    ep = info.entry_point(model, framework)
    with arelle_env.capture() as log:
        mx = arelle_env.load(info, ep.url, log)
    try:
        errors = log.errors()
        if errors:
            first = errors[0]
            raise PackageError(
                f"taxonomy package {info.path.name}, model {model}: Arelle reports {len(errors)} "
                f"error(s) loading {ep.url}, first: {first.code} {first.message[:200]}"
            )
        val = _ArelleVal(mx)
        if not hasattr(mx, "qnameDimensionContextElement"):
            from arelle.ValidateXbrlDimensions import loadDimensionDefaults

            loadDimensionDefaults(val)  # plain loads do not compute the dimension defaults
        defaults = {_qn(d): _qn(m) for d, m in mx.qnameDimensionDefaults.items()}
        namespaces: dict[str, str] = {}

        def note(q: Any) -> str:
            if q.prefix:
                prev = namespaces.setdefault(q.prefix, q.namespaceURI)
                if prev != q.namespaceURI:
                    raise PackageError(f"prefix {q.prefix!r} names two namespaces in {model}: {prev}, {q.namespaceURI}")
            return _qn(q)

        typed_dims: dict[str, str] = {}
        for concept in mx.qnameConcepts.values():
            if getattr(concept, "isTypedDimension", False):
                te = concept.typedDomainElement
                if te is not None:
                    typed_dims[note(concept.qname)] = note(te.qname)

        brk = mx.relationshipSet((XbrlConst.tableBreakdown, XbrlConst.tableBreakdownMMDD))
        datapoints: dict[str, Datapoint] = {}
        metrics: dict[str, MetricType] = {}
        tables: list[TableInfo] = []
        validity_cache: dict[tuple, bool] = {}

        def valid(concept: Any, dims: dict[Any, Any], typed: set[Any]) -> bool:
            key = (concept.qname, tuple(sorted((str(d), str(m)) for d, m in dims.items())), tuple(sorted(map(str, typed))))
            if key not in validity_cache:
                aspects: dict[Any, Any] = {Aspect.CONCEPT: concept.qname}
                for d, m in dims.items():
                    aspects[d] = m
                for t in typed:
                    aspects[t] = "x"  # any value: validity of typed members is not at stake here
                fp = FactPrototype(val, aspects)
                try:
                    validity_cache[key] = bool(isFactDimensionallyValid(val, fp))
                finally:
                    fp.clear()
            return validity_cache[key]

        order = 0
        roots = sorted(brk.rootConcepts, key=lambda t: (brk.fromModelObject(t)[0].linkrole if brk.fromModelObject(t) else "", t.id or ""))
        for table in roots:
            rels = brk.fromModelObject(table)
            if not rels:
                continue
            linkrole = rels[0].linkrole
            section = linkrole.split("/sect/", 1)[1].split("/", 1)[0] if "/sect/" in linkrole else linkrole.rsplit("/", 1)[-1]
            tables.append(TableInfo(linkrole, section, _labels(table)))
            ctx = table.renderingXPathContext
            axes: dict[str, list[list[_Line]]] = {"x": [], "y": [], "z": []}
            for rel in rels:
                axis = rel.axis if getattr(rel, "axis", None) else rel.arcElement.get("axis")
                lines = _breakdown_lines(mx, rel.toModelObject, linkrole, ctx)
                if lines:
                    axes.setdefault(axis, []).append(lines)
            ordered = axes["y"] + axes["x"] + axes["z"]  # rows first: rubric codes live on rows
            n_rows = len(axes["y"])
            for combo in product(*ordered):
                concept = None
                dims: dict[Any, Any] = {}
                typed: set[Any] = set()
                for line in combo:
                    if line.concept is not None:
                        concept = line.concept
                    dims.update(line.dims)
                    typed |= line.typed
                if concept is None:
                    continue
                cobj = mx.qnameConcepts.get(concept)
                if cobj is None:
                    continue
                dims = {d: m for d, m in dims.items() if m is not None and mx.qnameDimensionDefaults.get(d) != m}
                typed -= set(dims)
                if not valid(cobj, dims, typed):
                    continue
                metric = note(concept)
                if metric not in metrics:
                    metrics[metric] = _metric_type(mx, cobj)
                members = tuple(sorted((note(d), note(m)) for d, m in dims.items()))
                typed_names = tuple(sorted(note(t) for t in typed))
                key = datapoint_key(metric, members, typed_names)
                rubrics = [ln.rubric for ln in combo[:n_rows] if ln.rubric] + [ln.rubric for ln in combo[n_rows:] if ln.rubric]
                rubric = rubrics[0] if rubrics else None
                prd = dict(members).get("dim:prd")
                period = {"prd:m1": "current", "prd:m2": "previous"}.get(prd or "", "none" if prd is None else prd)
                row_lines = combo[:n_rows] or combo
                col_lines = combo[n_rows:]
                existing = datapoints.get(key)
                if existing is not None:
                    extra = tuple(r for r in rubrics if r != existing.rubric and r not in existing.other_rubrics)
                    if existing.rubric is None and rubric:
                        datapoints[key] = replace(existing, rubric=rubric, other_rubrics=existing.other_rubrics + tuple(r for r in extra if r != rubric))
                    elif extra:
                        datapoints[key] = replace(existing, other_rubrics=existing.other_rubrics + extra)
                    continue
                datapoints[key] = Datapoint(
                    key=key,
                    metric=metric,
                    members=members,
                    typed=typed_names,
                    rubric=rubric,
                    other_rubrics=tuple(dict.fromkeys(r for r in rubrics[1:] if r != rubric)),
                    period=period,
                    labels=_join([ln.labels for ln in row_lines], " / "),
                    path_labels=_join([p for ln in row_lines for p in ln.path], " > "),
                    column_labels=_join([ln.labels for ln in col_lines], " / "),
                    section=section,
                    table=linkrole,
                    order=order,
                )
                order += 1
        # enumeration member prefixes are part of the vocabulary too
        missing = {ev.qname for mt in metrics.values() for ev in mt.enum_values
                   if ev.qname.split(":", 1)[0] not in namespaces}
        if missing:
            for c in mx.qnameConcepts.values():
                if c.qname.prefix not in namespaces and _qn(c.qname) in missing:
                    note(c.qname)
        if not datapoints:
            raise PackageError(f"model {model} of {info.path.name} has no table datapoints")
        totals, roll_forwards = _extract_totals(mx, datapoints.values(), defaults)
        return Catalog(
            package_sha256=info.sha256,
            package_version=info.version,
            package_name=info.name,
            model=model,
            framework=ep.framework,
            entry_point=ep.url,
            namespaces=dict(sorted(namespaces.items())),
            defaults=dict(sorted(defaults.items())),
            typed_dimensions=dict(sorted(typed_dims.items())),
            metrics=dict(sorted(metrics.items())),
            tables=tuple(tables),
            datapoints=tuple(datapoints.values()),
            totals=totals,
            roll_forwards=roll_forwards,
            package=info,
        )
    finally:
        mx.close()


_TEST_RE = re.compile(r"^\s*\$(?P<t>[\w.-]+)\s+(?:eq|=)\s+\((?P<sum>[^()]*)\)\s*$")
_TERM_RE = re.compile(r"\s*(?P<sign>[+-]?)\s*\$(?P<v>[\w.-]+)\s*")


def _extract_totals(
    mx: Any, datapoints: Iterable[Datapoint], defaults: Mapping[str, str]
) -> tuple[tuple[Total, ...], tuple[Total, ...]]:
    """Linear sums from the model's value assertions, in rubric codes (see :class:`Total`).

    Returns the same-year totals and, apart, the roll-forwards that link two years (a closing value
    = the previous closing value, a ``P`` rubric, plus the movements of the year).
    """
    from arelle import XbrlConst
    from arelle.ModelFormulaObject import (
        ModelConceptName,
        ModelExplicitDimension,
        ModelValueAssertion,
    )

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
        if not m:
            continue
        terms_src = m.group("sum")
        pos = 0
        terms: list[tuple[int, str]] = []
        ok = True
        for tm in _TERM_RE.finditer(terms_src):
            if tm.start() != pos:
                ok = False
                break
            terms.append((-1 if tm.group("sign") == "-" else 1, tm.group("v")))
            pos = tm.end()
        if not ok or pos != len(terms_src) or not terms:
            continue
        dp_of_var: dict[str, Datapoint] = {}
        for rel in var_rels.fromModelObject(va):
            var = rel.toModelObject
            metric = None
            members: list[tuple[str, str]] = []
            for frel in filter_rels.fromModelObject(var):
                f = frel.toModelObject
                if isinstance(f, ModelConceptName):
                    qs = [q for q in f.conceptQnames if q is not None]
                    metric = _qn(qs[0]) if len(qs) == 1 else None
                elif isinstance(f, ModelExplicitDimension):
                    mems = _filter_members(f)
                    if f.dimQname is not None and len(mems) == 1:
                        d, mem = _qn(f.dimQname), mems[0]
                        if defaults.get(d) != mem:
                            members.append((d, mem))
            dp = by_shape.get((metric, tuple(sorted(members)))) if metric else None
            if dp is not None:
                dp_of_var[str(rel.variableQname)] = dp
        if m.group("t") not in dp_of_var or any(v not in dp_of_var for _, v in terms):
            continue
        periods = {dp_of_var[m.group("t")].period} | {dp_of_var[v].period for _, v in terms}
        total = Total(va.id or "", dp_of_var[m.group("t")].rubric or "",
                      tuple((sg, dp_of_var[v].rubric or "") for sg, v in terms))
        # a sum across years (8329 = 8329P + acquisitions ...) is a roll-forward, not a same-year total
        (out if len(periods) == 1 else rolls).setdefault((total.rubric, tuple(sorted(total.terms))), total)
    return tuple(out.values()), tuple(rolls.values())


def _filter_members(f: Any) -> list[str]:
    """Static member QNames of an explicit-dimension filter (prefixed form)."""
    from arelle import XbrlConst, XmlUtil
    from arelle.ModelValue import qname

    out = []
    for member in XmlUtil.children(f, XbrlConst.df, "member"):
        q = XmlUtil.child(member, XbrlConst.df, "qname")
        if q is None:
            return []
        out.append(_qn(qname(q, XmlUtil.text(q))))
    return out

