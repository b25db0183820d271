"""The page model: the model's tables, in the package's order, filled with the filing's facts.

Everything comes from the catalog: tables (:class:`~nbb_filing.taxonomy.catalog.TableInfo`, their labels),
the rows and columns of each table (the catalog lists a table's datapoints row by row, each with
its row label, its ancestor rows and its column header), rubric codes and value types.

* A table whose datapoints carry typed dimensions (people, participations, mandates) is a *list*:
  one line per set of typed values found in the filing, one column per datapoint of the table.
* Any other table is a *grid*: rows in the catalog's order (consecutive datapoints with the same
  row path form a row), columns in the order the headers first appear.  Rows without a fact are
  left out unless ``all_rows`` is asked (a finding keeps a row).
* Tables are ordered by their position in the package: the catalog's table list, with the table
  numbers of one section compared as numbers (``…/tab/2`` before ``…/tab/10``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from nbb_filing.books.trail import Trail, TrailEntry
from nbb_filing.reading.reader import ReadFact
from nbb_filing.taxonomy.catalog import Catalog, Datapoint, TableInfo

from .findings import FindingView
from .headers import TableHeaders
from .labels import RowLabels
from .values import Shown, show_value


@dataclass(frozen=True)
class CellView:
    datapoint: Datapoint
    shown: Shown | None
    findings: tuple[FindingView, ...] = ()
    filed: Shown | None = None  # last year's filed value (previous-year cells, with --previous)
    differs: bool = False
    trail: TrailEntry | None = None


@dataclass(frozen=True)
class ColumnView:
    label: str
    period: str  # current / previous / none / mixed
    filed: bool = False  # the column of last year's filed figures


@dataclass(frozen=True)
class RowView:
    label: str
    rubric: str | None
    depth: int
    cells: tuple[CellView | None, ...]  # aligned with the table's columns
    keys: tuple[str, ...] = ()  # typed values of a list's line
    heading: bool = False  # a header row of the package's layout (the parent of the rows below)

    @property
    def findings(self) -> tuple[FindingView, ...]:
        seen: dict[int, FindingView] = {}
        for c in self.cells:
            for f in c.findings if c else ():
                seen.setdefault(f.number, f)
        return tuple(seen.values())


@dataclass(frozen=True)
class TableView:
    info: TableInfo
    title: str
    columns: tuple[ColumnView, ...]
    rows: tuple[RowView, ...]
    typed: bool = False
    key_header: str = ""
    identification: bool = False
    has_codes: bool = True
    transposed: bool = False  # a list with many fields: one column per line, one row per field
    missing: str = ""  # a required section left empty (issue 19): why it is required, how to fill it


@dataclass
class PageInputs:
    """What the page is built from, besides the catalog and the filing's facts."""

    lang: str = "fr"
    findings_by_key: dict[str, list[FindingView]] = field(default_factory=dict)
    findings_by_rubric: dict[str, list[FindingView]] = field(default_factory=dict)
    filed_previous: dict[tuple[str, tuple], str | None] | None = None  # (key, typed) -> value
    trail: Trail | None = None
    all_rows: bool = False
    #: catalog section -> why it is required and how to fill it, for the required sections left empty
    missing_sections: dict[str, str] = field(default_factory=dict)


#: a list with more fields than this is shown one column per line (participations: 15 fields)
TRANSPOSE_ABOVE = 8
_NUM_RE = re.compile(r"(\d+)")


def table_order_key(t: TableInfo) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in _NUM_RE.split(t.id))


def _datapoints_by_table(catalog: Catalog) -> dict[str, list[Datapoint]]:
    """Each table's cells in the package's order, a cell shown by several tables in each of them
    (rubric 14 in the liabilities and in the appropriation account), with that table's labels."""
    out: dict[str, list[Datapoint]] = {}
    for dp in catalog.datapoints:
        out.setdefault(dp.table, []).append(dp)
        for at in dp.appearances:
            out.setdefault(at.table, []).append(dp.shown_in(at))
    for dps in out.values():
        dps.sort(key=lambda d: d.order)
    return out


class _Builder:
    def __init__(self, catalog: Catalog, facts: Iterable[ReadFact], inputs: PageInputs, labels: RowLabels) -> None:
        self.catalog = catalog
        self.inputs = inputs
        self.labels = labels
        self.facts: dict[str, list[ReadFact]] = {}
        for f in facts:
            self.facts.setdefault(f.datapoint.key, []).append(f)
        keys = {dp.key for dp in catalog.datapoints}
        self.rubric_findings = {
            r: [f for f in fs if not any(k in keys for k in f.keys)] for r, fs in inputs.findings_by_rubric.items()
        }

    def findings_of(self, dp: Datapoint) -> tuple[FindingView, ...]:
        found = list(self.inputs.findings_by_key.get(dp.key, ()))
        for code in ((dp.rubric,) if dp.rubric else ()) + dp.other_rubrics:
            found += [f for f in self.rubric_findings.get(code, ()) if f not in found]
        return tuple(sorted(found, key=lambda f: f.number))

    def cell(self, dp: Datapoint, fact: ReadFact | None) -> CellView:
        lang = self.inputs.lang
        shown = show_value(self.catalog, dp, fact.value, lang) if fact is not None else None
        filed = None
        differs = False
        if self.inputs.filed_previous is not None and dp.period == "previous":
            typed = fact.typed_values if fact is not None else ()
            if (dp.key, typed) in self.inputs.filed_previous:
                fv = self.inputs.filed_previous[(dp.key, typed)]
                filed = show_value(self.catalog, dp, fv, lang)
                differs = fv != (fact.value if fact is not None else None)
            elif fact is not None:
                differs = True  # reported this year, absent from last year's filing
        trail = None
        if self.inputs.trail is not None and dp.rubric and dp.period in ("current", "previous"):
            # "(14)": the package's code of a figure shown again (the appropriation account's 14)
            trail = self.inputs.trail.get(dp.rubric.strip("()"), dp.period)
            if trail is not None:
                trail = self.inputs.trail.reaching_accounts(trail, self.catalog.has_rubric)
        return CellView(dp, shown, self.findings_of(dp), filed, differs, trail)

    # ------------------------------------------------------------------ grids
    def grid(self, info: TableInfo, dps: list[Datapoint]) -> TableView:
        lang = self.inputs.lang
        columns: list[str] = []
        periods: dict[str, set[str]] = {}
        rows: list[tuple[Datapoint, dict[int, Datapoint]]] = []
        current_path = None
        for dp in dps:
            col = dp.column_label(lang)
            if col not in columns:
                columns.append(col)
            ci = columns.index(col)
            periods.setdefault(col, set()).add(dp.period)
            if not rows or dp.path_labels != current_path or ci in rows[-1][1]:
                rows.append((dp, {}))
                current_path = dp.path_labels
            rows[-1][1][ci] = dp
        with_filed = self.inputs.filed_previous is not None
        cols: list[ColumnView] = []
        index_map: list[tuple[int, bool]] = []  # (source column, filed?) per shown column
        for i, c in enumerate(columns):
            ps = periods[c]
            period = next(iter(ps)) if len(ps) == 1 else "mixed"
            cols.append(ColumnView(c, period))
            index_map.append((i, False))
            if with_filed and period == "previous":
                cols.append(ColumnView(c, period, filed=True))
                index_map.append((i, True))
        out_rows: list[RowView] = []
        parents_before: list[str] = []
        headers = TableHeaders(self.catalog, dps, lang)
        for first, cells_by_col in rows:
            cells: list[CellView | None] = []
            for src, filed_col in index_map:
                at = cells_by_col.get(src)
                if at is None:
                    cells.append(None)
                    continue
                facts = self.facts.get(at.key, ())
                cv = self.cell(at, facts[0] if facts else None)
                cells.append(CellView(at, cv.filed, (), None, cv.differs) if filed_col else cv)
            has = any(
                c is not None and (c.shown is not None or c.findings or (c.filed is not None and c.differs))
                for c in cells
            )
            if not has and not self.inputs.all_rows:
                continue
            label, parents = self._row_label(first, headers)
            for i, p in enumerate(parents):
                if i >= len(parents_before) or parents_before[i] != p:
                    out_rows.append(RowView(p, None, i, (), heading=True))
            parents_before = parents
            rubric = next((d.rubric for d in cells_by_col.values() if d.rubric), None)
            out_rows.append(RowView(label, rubric, len(parents), tuple(cells)))
        has_codes = any(dp.rubric for dp in dps)
        return TableView(info, info.label(lang), tuple(cols), tuple(out_rows), has_codes=has_codes)

    def _row_label(self, dp: Datapoint, headers: TableHeaders) -> tuple[str, list[str]]:
        """The row's label and its parent rows (the package's header rows above it that describe it)."""
        parents = headers.parents(dp)
        label = headers.own_label(dp, self.labels.of(dp, self.inputs.lang)) or (parents.pop() if parents else "")
        return label, parents

    # ------------------------------------------------------------------ lists (typed rows)
    def listing(self, info: TableInfo, dps: list[Datapoint]) -> TableView:
        lang = self.inputs.lang
        lines: dict[tuple, dict[str, ReadFact]] = {}
        for dp in dps:
            for f in self.facts.get(dp.key, ()):
                lines.setdefault(f.typed_values, {})[dp.key] = f
        used = [dp for dp in dps if any(dp.key in line for line in lines.values()) or self.findings_of(dp)]
        titles = [_column_title(dp, lang, self.labels) for dp in used]
        if len(set(titles)) < len(titles):  # the fields are told apart by their column headers
            titles = [" / ".join(dp.column_label(lang).split(" / ")[-2:]) or t for dp, t in zip(used, titles)]
        cols = tuple(ColumnView(t, dp.period) for dp, t in zip(used, titles))
        rows = []
        for typed, facts in lines.items():
            cells = tuple(self.cell(dp, facts.get(dp.key)) if dp.key in facts else None for dp in used)
            keys = tuple(v for _, v in typed)
            rows.append(RowView(" ".join(keys), None, 0, cells, keys))
        header = next((dp.column_label(lang) for dp in dps if dp.typed), "")
        return TableView(
            info,
            info.label(lang),
            cols,
            tuple(rows),
            typed=True,
            key_header=header,
            transposed=len(cols) > TRANSPOSE_ABOVE,
        )


def _path_parts(dp: Datapoint, lang: str) -> list[str]:
    return [p for p in dp.path_label(lang).split(" > ") if p.strip()]


def _column_title(dp: Datapoint, lang: str, labels: RowLabels) -> str:
    parts = _path_parts(dp, lang)
    label = labels.of(dp, lang)
    if len(parts) > 1:
        return " > ".join(parts[:-1] + [label])
    return label


def build_tables(catalog: Catalog, facts: Iterable[ReadFact], inputs: PageInputs, labels: RowLabels) -> list[TableView]:
    """The tables of ``catalog`` that hold a fact (or a finding), in the package's order."""
    b = _Builder(catalog, facts, inputs, labels)
    by_table = _datapoints_by_table(catalog)
    out: list[TableView] = []
    seen_rubric = False
    for info in sorted(catalog.tables, key=table_order_key):
        dps = by_table.get(info.id, [])
        if not dps:
            continue
        has_rubric = any(dp.rubric for dp in dps)
        seen_rubric = seen_rubric or has_rubric
        if not any(dp.key in b.facts or b.findings_of(dp) for dp in dps):
            note = inputs.missing_sections.pop(info.section, None)  # shown once, at its first table
            if note is not None:
                out.append(
                    TableView(info, info.label(inputs.lang), (), (), missing=note, identification=not seen_rubric)
                )
            continue
        view = b.listing(info, dps) if any(dp.typed for dp in dps) else b.grid(info, dps)
        if not view.rows:
            continue
        # the identification pages: the tables before the first table with rubric codes
        out.append(replace(view, identification=not seen_rubric))
    return out
