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

This module holds the catalog's values and their JSON form.  Compiling a catalog costs one Arelle
load of the model (seconds) and lives in :mod:`.compile` (the package's sums in :mod:`.totals`); the
result is cached as JSON per (package SHA-256, model) in the user data directory, and loading the
cache takes milliseconds: :func:`~nbb_filing.taxonomy.catalog_cache.load_catalog` does both.  A
catalog finds the other models of its package (:meth:`Catalog.sibling`) through the loader it was
given by ``load_catalog``, so that this module needs neither the cache nor the compiler.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from nbb_filing.core.errors import PackageError, RubricNotFound
from nbb_filing.taxonomy.packages import PackageInfo

RUBRIC_ROLE = "http://www.nbb.be/fr/xbrl/rub"
LANGS = ("fr", "nl", "de", "en")
#: Bump when the JSON layout or the compile logic changes: old caches are then ignored.
CACHE_FORMAT = (
    9  # 8: stored with an integrity header (checked_json); 9: a datapoint at two columns of a table takes its own
)

Labels = tuple[tuple[str, str], ...]  # ((lang, text), ...) in LANGS order
#: how a catalog loads another model of its package: ``loader(package, model, framework)``
CatalogLoader = Callable[[PackageInfo, str, str], "Catalog"]


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
class Appearance:
    """Where a datapoint is shown again, in another table of the model, with that table's labels.

    A package shows some cells in two tables (rubric 14 in the liabilities and in the appropriation
    account, 9905 in the income statement and the appropriation account); the datapoint is one, but
    each table labels its row in its own words and needs the cell to add up."""

    rubric: str | None
    labels: Labels
    path_labels: Labels
    column_labels: Labels
    section: str
    table: str
    order: int


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
    appearances: tuple[Appearance, ...] = ()  # the other tables showing it (not its first one, ``table``)

    def label(self, lang: str = "fr") -> str:
        return _label_of(self.labels, lang)

    def shown_in(self, at: Appearance) -> Datapoint:
        """This datapoint as the table of ``at`` shows it (its labels, rubric code and place)."""
        return replace(
            self,
            rubric=at.rubric or self.rubric,
            labels=at.labels,
            path_labels=at.path_labels,
            column_labels=at.column_labels,
            section=at.section,
            table=at.table,
            order=at.order,
            appearances=(),
        )

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
    #: how :meth:`sibling` loads another model (set by ``load_catalog``; not serialised)
    loader: CatalogLoader | None = field(default=None, repr=False, compare=False)
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

    def sibling(self, model: str) -> Catalog:
        """The catalog of another model of the same package and framework (e.g. the family's full model)."""
        if self.package is None or self.loader is None:
            raise PackageError(
                f"catalog {self.model} does not know its taxonomy package: load {model} with load_catalog"
            )
        return self.loader(self.package, model, self.framework)

    def with_loader(self, loader: CatalogLoader) -> Catalog:
        """This catalog, able to load the other models of its package with ``loader`` (see :meth:`sibling`)."""
        return replace(self, loader=loader, _by_key={}, _by_rubric={})

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
    def from_json(cls, d: dict, package: PackageInfo | None = None) -> Catalog:
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
            x["appearances"] = tuple(
                Appearance(
                    a["rubric"],
                    labels(a["labels"]),
                    labels(a["path_labels"]),
                    labels(a["column_labels"]),
                    a["section"],
                    a["table"],
                    a["order"],
                )
                for a in x.get("appearances", ())
            )
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
