"""Exploring a model's cells for a person: rubrics by section (``taxonomy show``), search by words (``taxonomy find``).

A flat list of 336 rubrics shows 8059P and 8059 under the same label with nothing to tell the
fixed-asset note from another; the package groups its cells in sections (``s.06.01.1…``: the note on
intangible assets), each with a table label, and names each cell's column (current / previous
exercise).  Both come from the catalog, so the grouping is the package's own.

Search looks in every label of the package (row, row with its ancestors, column, table) in every
language, so a French user finds "PDF" in a cell whose only PDF is in the English label, and cells
without a rubric code (the other documents' PDF, the identification) are found as well: they are
given in a dossier by their datapoint key (``datapoint_facts:``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from nbb_filing.taxonomy.catalog import Catalog, Datapoint

__all__ = ["Section", "SectionRow", "sections", "find_datapoints", "section_title"]

#: The NBB table labels start with their own code ("S.06.01.1.Cdefhi_1 - PARTIE 1 : …"): shown apart.
_CODE_PREFIX = re.compile(r"^S\.[0-9A-Za-z.]+_\d+\s*-\s*")


@dataclass(frozen=True)
class SectionRow:
    rubric: str
    label: str
    column: str  # the column header of the rubric's cell (e.g. "Exercice précédent")
    key: str


@dataclass(frozen=True)
class Section:
    code: str  # s.06.01.1.cdefhi
    title: str  # PARTIE 1 : IMMOBILISATIONS INCORPORELLES
    rows: tuple[SectionRow, ...]

    def to_json(self) -> dict:
        return {
            "section": self.code,
            "title": self.title,
            "rubrics": [{"rubric": r.rubric, "label": r.label, "column": r.column, "key": r.key} for r in self.rows],
        }


def section_title(catalog: Catalog, section: str, lang: str) -> str:
    """The label of ``section``'s first table, without the table code the NBB puts in front."""
    for t in catalog.tables:
        if t.section == section:
            return _CODE_PREFIX.sub("", t.label(lang)).strip()
    return section


def sections(catalog: Catalog, lang: str) -> list[Section]:
    """Every rubric of the model, grouped by the section of its (first) cell, in the model's order."""
    rows: dict[str, list[SectionRow]] = {}
    orders: dict[str, int] = {}  # rubric -> place of its cell in its table
    for code in catalog.rubrics():
        dp = catalog.by_rubric(code)[0]
        shown = next((a for a in dp.appearances if a.rubric == code), None) if dp.rubric != code else None
        dp = dp.shown_in(shown) if shown is not None else dp  # "(21)": the note's code of the balance sheet's 21
        orders[code] = dp.order
        rows.setdefault(dp.section, []).append(SectionRow(code, dp.label(lang), dp.column_label(lang), dp.key))
    place: dict[str, int] = {}
    for i, t in enumerate(catalog.tables):
        place.setdefault(t.section, i)
    return [
        Section(sec, section_title(catalog, sec, lang), tuple(sorted(rs, key=lambda r: orders.get(r.rubric, 0))))
        for sec, rs in sorted(rows.items(), key=lambda kv: place.get(kv[0], len(place)))
    ]


def _fold(text: str) -> str:
    """Lower case without accents: "Créances" matches "creances"."""
    plain = unicodedata.normalize("NFKD", text)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


def find_datapoints(catalog: Catalog, words: str) -> list[Datapoint]:
    """The cells whose labels, in any language, hold every word of ``words`` (accents and case ignored).

    Each label is searched on its own (a word of the row and one of another language do not add up);
    cells with or without a rubric code alike, in the model's order."""
    wanted = [_fold(w) for w in words.split() if w.strip()]
    if not wanted:
        return []
    tables = {t.id: t.labels for t in catalog.tables}
    out = []
    for dp in catalog.datapoints:
        texts = [
            _fold(f"{row} {path} {col} {table}")
            for (lang, row), (_l2, path), (_l3, col), (_l4, table) in _by_lang(dp, tables.get(dp.table, ()))
        ]
        code = _fold(dp.rubric or "")
        if any(all(w in t or w == code for w in wanted) for t in texts):
            out.append(dp)
    return out


def _by_lang(dp: Datapoint, table: tuple) -> list[tuple]:
    """(row, path, column, table) label pairs of each language the cell has."""
    langs = [lang for lang, _ in dp.labels] or ["fr"]
    pick = [dict(x) for x in (dp.labels, dp.path_labels, dp.column_labels, table)]
    return [tuple((lang, d.get(lang, "")) for d in pick) for lang in langs]
