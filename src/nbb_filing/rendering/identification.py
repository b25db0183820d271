"""The header band and the identification card: the filing's key fields, labelled by the catalog.

Which datapoints are the entity's name, address, legal form, court and exercise dates is read
from the binding table ``data/dossier-datapoints.yaml`` (roles ``filing`` and ``entity``), the
same file ``generate`` writes them with; their labels come from the catalog.
"""

from __future__ import annotations

from nbb_filing.filing.binding import load_table, resolve_field
from nbb_filing.filing.enterprise_number import format_enterprise_number
from nbb_filing.reading.reader import FilingFacts
from nbb_filing.taxonomy.catalog import Datapoint

from .headers import TableHeaders
from .html import PageHead
from .labels import RowLabels
from .values import Document, format_date, show_value
from .words import word

_HEAD_ROLES = ("entity", "filing")


def _field_label(dp: Datapoint, lang: str, labels: RowLabels, headers: TableHeaders, several_columns: bool) -> str:
    own = headers.own_label(dp, labels.of(dp, lang))
    parents = headers.parents(dp)
    text = " > ".join([*parents, own]) if own else " > ".join(parents) or dp.path_label(lang)
    return f"{text} — {dp.column_label(lang)}" if several_columns and dp.column_label(lang) else text


def _role_fields(filing: FilingFacts, lang: str, labels: RowLabels) -> list[tuple[str, str, str]]:
    """(field name, label, shown value) of the filing's facts bound to the entity and filing roles."""
    table = load_table()
    columns: dict[str, set[str]] = {}
    cells: dict[str, list[Datapoint]] = {}
    for d in filing.catalog.datapoints:
        columns.setdefault(d.table, set()).add(d.column_label(lang))
        cells.setdefault(d.table, []).append(d)
    headers: dict[str, TableHeaders] = {}
    out: list[tuple[str, str, str]] = []
    for role_name in _HEAD_ROLES:
        role = table.roles.get(role_name)
        if role is None:
            continue
        for spec, typed in role.all_fields():
            dp = resolve_field(filing.catalog, spec, typed)
            if dp is None:
                continue
            value = filing.value(dp.key)
            if value is None:
                continue
            shown = show_value(filing.catalog, dp, value, lang)
            if dp.table not in headers:
                headers[dp.table] = TableHeaders(filing.catalog, cells[dp.table], lang)
            label = _field_label(dp, lang, labels, headers[dp.table], len(columns.get(dp.table, ())) > 1)
            out.append((spec.name, label, shown.text))
    return out


def page_head(filing: FilingFacts, lang: str, labels: RowLabels) -> PageHead:
    fields = _role_fields(filing, lang, labels)
    by_name = {name: value for name, _, value in fields}
    title = by_name.get("name") or filing.path.name
    number = filing.entity_identifier or ""
    try:
        number = format_enterprise_number(number) if number else ""
    except Exception:  # a malformed identifier is shown as written (validation reports it)
        pass
    cat = filing.catalog
    head = [
        (word(lang, "enterprise"), number),
        (word(lang, "closing"), format_date(filing.closing_date or "", lang)),
        (word(lang, "model"), cat.model),
        (word(lang, "language"), filing.language or ""),
        (word(lang, "package"), f"{cat.package_name} {cat.package_version} ({cat.framework})"),
    ]
    ident = tuple((label, value) for _, label, value in fields)
    return PageHead(title, tuple((k, v) for k, v in head if v), ident)


def documents_of(filing: FilingFacts, lang: str, labels: RowLabels) -> list[tuple[str, Document]]:
    """Embedded files and long texts of the filing, with the label of their table and row."""
    out = []
    tables = {t.id: t for t in filing.catalog.tables}
    for f in filing.facts:
        shown = show_value(filing.catalog, f.datapoint, f.value, lang)
        if shown.document is None:
            continue
        t = tables.get(f.datapoint.table)
        label = " — ".join(x for x in ((t.label(lang) if t else ""), labels.of(f.datapoint, lang)) if x)
        out.append((label, shown.document))
    return out
