"""Compiling a catalog: every datapoint of one model, walked through Arelle's table model.

The rubric codes live on the rows of the table linkbase, not on the facts (see :mod:`.catalog`), so
the compiler loads the model's entry point with Arelle (offline), walks each table's breakdowns,
merges the aspects of each rule node with those of its ancestors (:class:`_Line`), crosses rows,
columns and z-axis lines, and keeps each combination the definition linkbase admits (XBRL
Dimensions, asked through a fact prototype).  Dimension defaults are dropped from datapoints
because they must never be written in an instance.  The same cell may be shown in several tables:
it stays one datapoint, with the first rubric code met and the others kept apart.

One compilation is one Arelle load (seconds); :mod:`.catalog_cache` keeps the result, so a change
to what this module produces must bump :data:`~.catalog.CACHE_FORMAT`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from itertools import product
from typing import Any

from nbb_filing.core.errors import PackageError
from nbb_filing.taxonomy import arelle_env
from nbb_filing.taxonomy.arelle_objects import ArelleVal, labels_of, metric_type, prefixed
from nbb_filing.taxonomy.catalog import (
    LANGS,
    RUBRIC_ROLE,
    Appearance,
    Catalog,
    Datapoint,
    Labels,
    MetricType,
    TableInfo,
    datapoint_key,
)
from nbb_filing.taxonomy.packages import PackageInfo
from nbb_filing.taxonomy.totals import extract_totals

_PERIODS = {"prd:m1": "current", "prd:m2": "previous"}


def compile_catalog(info: PackageInfo, model: str, framework: str | None = None) -> Catalog:
    """Build the catalog of ``model`` with Arelle (offline).  Costs one Arelle load."""
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
        comp = _Compiler(mx, model)
        defaults = comp.dimension_defaults()
        typed_dims = comp.typed_dimensions()
        comp.read_tables()
        comp.note_enumeration_prefixes()
        if not comp.datapoints:
            raise PackageError(f"model {model} of {info.path.name} has no table datapoints")
        totals, roll_forwards = extract_totals(mx, comp.datapoints.values(), defaults)
        return Catalog(
            package_sha256=info.sha256,
            package_version=info.version,
            package_name=info.name,
            model=model,
            framework=ep.framework,
            entry_point=ep.url,
            namespaces=dict(sorted(comp.namespaces.items())),
            defaults=dict(sorted(defaults.items())),
            typed_dimensions=dict(sorted(typed_dims.items())),
            metrics=dict(sorted(comp.metrics.items())),
            tables=tuple(comp.tables),
            datapoints=tuple(comp.datapoints.values()),
            totals=totals,
            roll_forwards=roll_forwards,
            package=info,
        )
    finally:
        mx.close()


@dataclass
class _Line:
    """One non-abstract line of a breakdown, with the aspects merged from its ancestors."""

    concept: Any = None
    dims: dict[Any, Any] = field(default_factory=dict)  # dimension QName -> member QName
    typed: set[Any] = field(default_factory=set)
    rubric: str | None = None
    labels: Labels = ()
    path: list[Labels] = field(default_factory=list)


class _Compiler:
    """What one compilation gathers from a loaded model: namespaces, metrics, tables, datapoints."""

    def __init__(self, mx: Any, model: str) -> None:
        self.mx = mx
        self.model = model
        self.val = ArelleVal(mx)
        self.namespaces: dict[str, str] = {}
        self.metrics: dict[str, MetricType] = {}
        self.tables: list[TableInfo] = []
        self.datapoints: dict[str, Datapoint] = {}
        self._validity: dict[tuple, bool] = {}
        self._elr_hints: dict[tuple[Any, str], str] = {}  # (concept, table) -> link role that admitted it
        self._elr_order: dict[tuple[Any, frozenset[Any]], list[str]] = {}  # (concept, dimensions) -> link roles
        self._table = ""
        self._order = 0

    def note(self, q: Any) -> str:
        """The prefixed name of ``q``, recording its prefix (one prefix names one namespace)."""
        if q.prefix:
            prev = self.namespaces.setdefault(q.prefix, q.namespaceURI)
            if prev != q.namespaceURI:
                raise PackageError(
                    f"prefix {q.prefix!r} names two namespaces in {self.model}: {prev}, {q.namespaceURI}"
                )
        return prefixed(q)

    def dimension_defaults(self) -> dict[str, str]:
        if not hasattr(self.mx, "qnameDimensionContextElement"):
            from arelle.ValidateXbrlDimensions import loadDimensionDefaults

            loadDimensionDefaults(self.val)  # plain loads do not compute the dimension defaults
        return {prefixed(d): prefixed(m) for d, m in self.mx.qnameDimensionDefaults.items()}

    def typed_dimensions(self) -> dict[str, str]:
        typed_dims: dict[str, str] = {}
        for concept in self.mx.qnameConcepts.values():
            if getattr(concept, "isTypedDimension", False):
                te = concept.typedDomainElement
                if te is not None:
                    typed_dims[self.note(concept.qname)] = self.note(te.qname)
        return typed_dims

    def read_tables(self) -> None:
        """Every table of the model, in link-role order, into :attr:`tables` and :attr:`datapoints`."""
        from arelle import XbrlConst

        brk = self.mx.relationshipSet((XbrlConst.tableBreakdown, XbrlConst.tableBreakdownMMDD))
        roots = sorted(
            brk.rootConcepts,
            key=lambda t: (brk.fromModelObject(t)[0].linkrole if brk.fromModelObject(t) else "", t.id or ""),
        )
        for table in roots:
            rels = brk.fromModelObject(table)
            if rels:
                self._read_table(table, rels)

    def _read_table(self, table: Any, rels: Sequence[Any]) -> None:
        linkrole = rels[0].linkrole
        self._table = linkrole
        section = _section_of(linkrole)
        self.tables.append(TableInfo(linkrole, section, labels_of(table)))
        ctx = table.renderingXPathContext
        axes: dict[str, list[list[_Line]]] = {"x": [], "y": [], "z": []}
        for rel in rels:
            axis = rel.axis if getattr(rel, "axis", None) else rel.arcElement.get("axis")
            lines = _breakdown_lines(self.mx, rel.toModelObject, linkrole, ctx)
            if lines:
                axes.setdefault(axis, []).append(lines)
        ordered = axes["y"] + axes["x"] + axes["z"]  # rows first: rubric codes live on rows
        n_rows = len(axes["y"])
        by_key: dict[str, list[Sequence[_Line]]] = {}
        for combo in product(*ordered):
            key = self._cell_key(combo)
            if key is not None:
                by_key.setdefault(key, []).append(combo)
        taken: dict[frozenset, set] = {}
        for combos in by_key.values():
            first = _own_columns(combos, n_rows, taken)
            for chosen in [first, *(c for c in combos if c is not first)]:
                self._add_cell(chosen, n_rows, section, linkrole)

    def _crossing(self, combo: Sequence[_Line]) -> tuple[Any, Any, dict[Any, Any], set[Any]] | None:
        """(concept, its object, explicit members without defaults, typed dimensions) at the crossing of
        ``combo``; ``None`` without a concept or when XBRL Dimensions does not admit the combination."""
        concept = None
        dims: dict[Any, Any] = {}
        typed: set[Any] = set()
        for line in combo:
            if line.concept is not None:
                concept = line.concept
            dims.update(line.dims)
            typed |= line.typed
        cobj = self.mx.qnameConcepts.get(concept) if concept is not None else None
        if cobj is None:
            return None
        dims = {d: m for d, m in dims.items() if m is not None and self.mx.qnameDimensionDefaults.get(d) != m}
        typed -= set(dims)
        if not self._valid(cobj, dims, typed):
            return None
        return concept, cobj, dims, typed

    def _cell_key(self, combo: Sequence[_Line]) -> str | None:
        """The datapoint key at the crossing of ``combo``, or ``None`` without a concept or when invalid."""
        crossing = self._crossing(combo)
        if crossing is None:
            return None
        concept, _, dims, typed = crossing
        members = tuple(sorted((self.note(d), self.note(m)) for d, m in dims.items()))
        return datapoint_key(self.note(concept), members, tuple(sorted(self.note(t) for t in typed)))

    def _add_cell(self, combo: Sequence[_Line], n_rows: int, section: str, linkrole: str) -> None:
        """The datapoint at the crossing of ``combo`` (rows first), if it has a concept and is valid."""
        crossing = self._crossing(combo)
        if crossing is None:
            return
        concept, cobj, dims, typed = crossing
        metric = self.note(concept)
        if metric not in self.metrics:
            self.metrics[metric] = metric_type(self.mx, cobj)
        members = tuple(sorted((self.note(d), self.note(m)) for d, m in dims.items()))
        typed_names = tuple(sorted(self.note(t) for t in typed))
        key = datapoint_key(metric, members, typed_names)
        rubrics = [ln.rubric for ln in combo if ln.rubric]  # rows first, then columns
        row_lines = combo[:n_rows] or combo
        existing = self.datapoints.get(key)
        if existing is not None:
            updated = _with_rubrics(existing, rubrics)
            if linkrole != existing.table and all(a.table != linkrole for a in existing.appearances):
                # shown again in another table: kept with that table's labels, so the table is whole
                seen = Appearance(
                    rubrics[0] if rubrics else None,
                    _join([ln.labels for ln in row_lines], " / "),
                    _join([p for ln in row_lines for p in ln.path], " > "),
                    _join([ln.labels for ln in combo[n_rows:]], " / "),
                    section,
                    linkrole,
                    self._order,
                )
                self._order += 1
                updated = replace(updated, appearances=updated.appearances + (seen,))
            self.datapoints[key] = updated
            return
        rubric = rubrics[0] if rubrics else None
        prd = dict(members).get("dim:prd")
        self.datapoints[key] = Datapoint(
            key=key,
            metric=metric,
            members=members,
            typed=typed_names,
            rubric=rubric,
            other_rubrics=tuple(dict.fromkeys(r for r in rubrics[1:] if r != rubric)),
            period=_PERIODS.get(prd or "", "none" if prd is None else prd),
            labels=_join([ln.labels for ln in row_lines], " / "),
            path_labels=_join([p for ln in row_lines for p in ln.path], " > "),
            column_labels=_join([ln.labels for ln in combo[n_rows:]], " / "),
            section=section,
            table=linkrole,
            order=self._order,
        )
        self._order += 1

    def _valid(self, concept: Any, dims: dict[Any, Any], typed: set[Any]) -> bool:
        """Whether XBRL Dimensions admits a fact of ``concept`` with these members and typed dimensions.

        What Arelle's ``isFactDimensionallyValid`` answers (valid when the hypercubes of one link
        role of the concept are all met), asked link role by link role starting with the one that
        admitted the previous cell of the same concept in the same table, then the link roles whose
        hypercubes have every dimension of the cell: a generic metric such as ``met:am1`` has a
        hundred and fifty link roles in m82-f.  Only the order changes, so the answer is Arelle's (a
        valid cell of m82-f was found after ~30 link roles on average before this order).
        """
        from arelle.Aspect import Aspect
        from arelle.PrototypeInstanceObject import FactPrototype
        from arelle.ValidateXbrlDimensions import checkFactElrHcs, priItemElrHcRels

        key = (concept.qname, tuple(sorted((str(d), str(m)) for d, m in dims.items())), tuple(sorted(map(str, typed))))
        if key not in self._validity:
            elr_rels = priItemElrHcRels(self.val, concept)
            if not elr_rels:
                self._validity[key] = True  # no hypercube: any members (as Arelle says)
                return True
            aspects: dict[Any, Any] = {Aspect.CONCEPT: concept.qname}
            for d, m in dims.items():
                aspects[d] = m
            for t in typed:
                aspects[t] = "x"  # any value: validity of typed members is not at stake here
            fp = FactPrototype(self.val, aspects)
            hint_key = (concept.qname, self._table)
            hint = self._elr_hints.get(hint_key)
            likely = self._likely_elrs(concept, frozenset(dims) | frozenset(typed), elr_rels)
            order = ([hint] if hint is not None and hint in elr_rels else []) + [elr for elr in likely if elr != hint]
            try:
                valid = False
                for elr in order:
                    if checkFactElrHcs(self.val, fp, elr, elr_rels[elr]):
                        self._elr_hints[hint_key] = elr
                        valid = True
                        break
                self._validity[key] = valid
            finally:
                fp.clear()
        return self._validity[key]

    def _likely_elrs(self, concept: Any, wanted: frozenset[Any], elr_rels: dict[str, Any]) -> list[str]:
        """The link roles of ``concept``, those whose hypercubes have every dimension in ``wanted`` first
        (an order to ask Arelle in, never an answer)."""
        key = (concept.qname, wanted)
        found = self._elr_order.get(key)
        if found is None:
            from arelle import XbrlConst

            def covers(elr: str) -> bool:
                dims: set[Any] = set()
                for rel in elr_rels[elr]:
                    hc_dims = self.mx.relationshipSet(XbrlConst.hypercubeDimension, rel.targetRole or elr)
                    dims.update(r.toModelObject for r in hc_dims.fromModelObject(rel.toModelObject))
                return wanted <= {getattr(d, "qname", None) for d in dims}

            found = self._elr_order[key] = sorted(elr_rels, key=lambda elr: not covers(elr))
        return found

    def note_enumeration_prefixes(self) -> None:
        """Record the prefixes of enumeration members too: they are part of the vocabulary."""
        missing = {
            ev.qname
            for mt in self.metrics.values()
            for ev in mt.enum_values
            if ev.qname.split(":", 1)[0] not in self.namespaces
        }
        if missing:
            for c in self.mx.qnameConcepts.values():
                if c.qname.prefix not in self.namespaces and prefixed(c.qname) in missing:
                    self.note(c.qname)


def _section_of(linkrole: str) -> str:
    """The section id of an NBB link role (``…/sect/s.02.01.0.abcdef/tab/1`` -> ``s.02.01.0.abcdef``)."""
    return linkrole.split("/sect/", 1)[1].split("/", 1)[0] if "/sect/" in linkrole else linkrole.rsplit("/", 1)[-1]


def _own_columns(combos: list[Sequence[_Line]], n_rows: int, taken: dict[frozenset, set]) -> Sequence[_Line]:
    """The crossing of a table that names a datapoint met at several crossings of that table.

    A table may set an aspect on its rows that its columns are labelled by: the mandates table puts
    the start/end member (``dim:mmt``) on two rows and the dates' labels ("Date de début de mandat",
    "Date de fin de mandat") on two columns that carry no member of it.  Each date is then at both
    columns, and the first crossing would label both "Date de début".  Datapoints that compete for
    the same columns take them in order, one each (the first datapoint the first column); a
    datapoint whose crossings differ otherwise keeps its first one.
    """
    if len(combos) == 1:
        return combos[0]
    columns = [tuple(id(line) for line in c[n_rows:]) for c in combos]
    used = taken.setdefault(frozenset(columns), set())
    for combo, col in zip(combos, columns):
        if col not in used:
            used.add(col)
            return combo
    return combos[0]


def _with_rubrics(existing: Datapoint, rubrics: list[str]) -> Datapoint:
    """``existing`` met again in another table: the rubric codes it did not have yet are added."""
    extra = tuple(r for r in rubrics if r != existing.rubric and r not in existing.other_rubrics)
    rubric = rubrics[0] if rubrics else None
    if existing.rubric is None and rubric:
        return replace(
            existing, rubric=rubric, other_rubrics=existing.other_rubrics + tuple(r for r in extra if r != rubric)
        )
    if extra:
        return replace(existing, other_rubrics=existing.other_rubrics + extra)
    return existing


def _breakdown_lines(model: Any, breakdown: Any, linkrole: str, ctx: Any) -> list[_Line]:
    from arelle import XbrlConst
    from arelle.Aspect import Aspect
    from arelle.ModelRenderingObject import DefnMdlAspectNode, DefnMdlRuleDefinitionNode

    tree = model.relationshipSet(
        (
            XbrlConst.tableBreakdownTree,
            XbrlConst.tableBreakdownTreeMMDD,
            XbrlConst.tableDefinitionNodeSubtree,
            XbrlConst.tableDefinitionNodeSubtreeMMDD,
        ),
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
        labels = labels_of(node)
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
    """Labels of several lines joined with ``sep``, per language (a missing language falls back)."""
    texts_of = [dict(p) for p in parts if p]
    out = []
    for lang in LANGS:
        texts = [p.get(lang) or p.get("en") or next(iter(p.values())) for p in texts_of]
        if texts:
            out.append((lang, sep.join(texts)))
    return tuple(out)
