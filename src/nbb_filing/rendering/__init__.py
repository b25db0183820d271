"""``nbb-filing render``: a filing as a person reads it — one self-contained HTML page.

The top layer of the package: it reads a filing (:mod:`nbb_filing.reading.reader`), lays out every table
of its model that holds a fact in the package's order (:mod:`.layout`, all from the catalog), and
adds, when asked, the validation findings at their rows, last year's filed figures beside this
year's previous column, and the mapping's audit trail (:mod:`nbb_filing.books.trail`).  Nothing below
this package imports it.

    from nbb_filing.rendering import render_filing
    result = render_filing("out/smartcoop-2024.xbrl", lang="nl")
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nbb_filing.books.trail import Trail, load_trail, trail_mismatch, trail_path_for
from nbb_filing.core.atomic import refuse_overlaps, write_atomic
from nbb_filing.reading.reader import FilingFacts, read_facts
from nbb_filing.taxonomy.catalog import Catalog
from nbb_filing.taxonomy.packages import PackageInfo, resolve_package

from .findings import FindingsSummary, findings_by_key, load_report, summary_from_report
from .html import Page, render_page
from .identification import documents_of, page_head
from .labels import RowLabels
from .layout import PageInputs, TableView, build_tables
from .unshown import sort_out

__all__ = ["RenderResult", "render_filing", "render_html", "default_html_path"]


@dataclass(frozen=True)
class RenderResult:
    output: Path
    model: str
    tables: int
    rows: int
    findings: int  # findings of the report
    findings_placed: int  # of which shown at a row
    differences: int  # previous-year cells that differ from last year's filing
    trail: bool
    label_fallbacks: int  # rows labelled from another model of the package
    not_shown: tuple[str, ...] = ()  # facts of the filing the page could not show, with the reason
    pdf: Path | None = None  # the page printed to PDF (render --pdf)
    trail_ignored: str | None = None  # why a trail file was not used (it belongs to another filing)
    missing_sections: int = 0  # required sections left empty, shown marked in place (issue 19)
    kept_code: int = 0  # rows labelled by rubric code only whose family models were not read
    labels_not_read: tuple[str, ...] = ()  # those models (not compiled: no borrow_labels)


def default_html_path(filing: str | os.PathLike) -> Path:
    return Path(filing).with_suffix(".html")


def filed_previous(prev: FilingFacts, catalog: Catalog) -> dict[tuple[str, tuple], str | None]:
    """Last year's current-year facts placed on this year's previous-year datapoints."""
    from nbb_filing.reading.previous import place_on_previous

    out: dict[tuple[str, tuple], str | None] = {}
    for f in prev.facts:
        dp = place_on_previous(f, catalog)
        if dp is not None:
            out.setdefault((dp.key, f.typed_values), f.value)
    return out


def render_html(
    filing: FilingFacts,
    *,
    lang: str = "fr",
    summary: FindingsSummary | None = None,
    previous: FilingFacts | None = None,
    trail: Trail | None = None,
    all_rows: bool = False,
    labels: RowLabels | None = None,
    trail_ignored: str | None = None,
    borrow_labels: bool = False,
) -> tuple[str, list[TableView], RowLabels]:
    """The page of ``filing`` as an HTML string, with the table views it shows.

    ``borrow_labels`` compiles the family's other models that are not at hand to look for the labels
    of rows labelled by rubric code only (:mod:`.labels`); without it the page names them instead.
    """
    catalog = filing.catalog
    labels = labels or RowLabels(catalog, compile_siblings=borrow_labels)
    by_key, by_rubric = findings_by_key(summary)
    inputs = PageInputs(
        lang, by_key, by_rubric, filed_previous(previous, catalog) if previous else None, trail, all_rows
    )
    inputs.missing_sections = missing_sections(filing, summary)
    facts, not_shown = sort_out(filing)
    tables = build_tables(catalog, facts, inputs, labels)
    head = page_head(filing, lang, labels)
    page = Page(lang, head, tables, documents_of(filing, lang, labels), summary)
    page.not_shown = not_shown
    year = (filing.closing_date or "")[:4]
    page.running_header = " — ".join(x for x in (head.title, f"{_word(lang, 'year')} {year}" if year else "") if x)
    if previous is not None:
        page.previous_note = f"{previous.path.name}: {_word(lang, 'differences')}"
    if trail is not None:
        page.trail_note = f"{_word(lang, 'trail')}: {trail.mapping} ({', '.join(trail.sources.values())})"
    elif trail_ignored:
        page.trail_note = trail_ignored
    if labels.kept_code:
        page.labels_note = _word(lang, "labels_not_read").format(
            n=len(labels.kept_code), models=", ".join(labels.not_read)
        )
    return render_page(page), tables, labels


def missing_sections(filing: FilingFacts, summary: FindingsSummary | None) -> dict[str, str]:
    """Catalog section -> why it is required and how to fill it, for each required section the filing
    leaves empty: from the report's completeness part when there is one (it knows the dossier's
    declarations), else judged on the filing's own facts."""
    items: list[dict] = list(summary.completeness) if summary is not None and summary.completeness else []
    if not items and (summary is None or not summary.completeness):
        from dataclasses import asdict

        from nbb_filing.checks.completeness import check_completeness

        judged = check_completeness(filing.catalog, ((f.datapoint, f.value) for f in filing.facts))
        items = [asdict(c) for c in judged]
    out: dict[str, str] = {}
    for c in items:
        if c.get("state") != "missing":
            continue
        for sec in c.get("sections") or ():
            out.setdefault(str(sec), f"{c.get('title')} ({c.get('rule')}) — {c.get('why')} — {c.get('fill')}")
    return out


def _word(lang: str, key: str) -> str:
    from .words import word

    return word(lang, key)


def render_filing(
    filing: str | os.PathLike,
    output: str | os.PathLike | None = None,
    *,
    lang: str = "fr",
    taxonomy: str | os.PathLike | None = None,
    package: PackageInfo | None = None,
    validate: bool = False,
    report: str | os.PathLike | Any | None = None,
    previous: str | os.PathLike | None = None,
    trail: str | os.PathLike | None = None,
    all_rows: bool = False,
    pdf: str | os.PathLike | bool | None = None,
    borrow_labels: bool = False,
) -> RenderResult:
    """Write the HTML page of ``filing`` (default: beside it, ``.html``).

    ``pdf`` also prints the page to PDF with headless Chromium (:mod:`.pdf`): a path, or ``True`` for
    the page's name with ``.pdf``; without Chromium an :class:`InputError` names what to install.

    ``report`` is a JSON report path or a :class:`~nbb_filing.checks.validate.ValidationReport`;
    ``validate`` runs the validation first (one Arelle run).  ``trail`` is a trail file; when not
    given, ``FILE.trail.json`` beside the filing is used if it exists.  ``borrow_labels``: see
    :func:`render_html`.
    """
    out = Path(output) if output is not None else default_html_path(filing)
    refuse_overlaps(
        [("the page (-o)", out)],
        [
            ("the filing", filing),
            ("the report (--report)", report if isinstance(report, (str, os.PathLike)) else None),
            ("the previous filing", previous),
            ("the audit trail (--trail)", trail),
        ],
    )
    info = package or resolve_package(taxonomy)
    facts = read_facts(filing, info)
    summary = None
    if validate:
        from nbb_filing.checks.validate import validate_files

        summary = summary_from_report(validate_files([filing], package=info, lang=lang), filing)
    elif report is not None:
        summary = (
            load_report(report, filing)
            if isinstance(report, (str, os.PathLike))
            else summary_from_report(report, filing)
        )
    prev = read_facts(previous, info) if previous is not None else None
    trail_file = Path(trail) if trail is not None else trail_path_for(filing)
    tr = load_trail(trail_file) if trail is not None or trail_file.is_file() else None
    ignored = None
    why = trail_mismatch(tr, filing) if tr is not None else None
    if why is not None:
        ignored = f"audit trail {trail_file.name} not shown: it does not belong to this filing ({why})"
        tr = None
    html, tables, labels = render_html(
        facts,
        lang=lang,
        summary=summary,
        previous=prev,
        trail=tr,
        all_rows=all_rows,
        trail_ignored=ignored,
        borrow_labels=borrow_labels,
    )
    write_atomic(out, html.encode("utf-8"))
    printed = None
    if pdf is not None and pdf is not False:
        from .pdf import print_pdf

        printed = print_pdf(out, out.with_suffix(".pdf") if pdf is True else Path(pdf))
    rows = [r for t in tables for r in t.rows]
    placed = {f.number for r in rows for f in r.findings}
    return RenderResult(
        output=out,
        model=facts.model,
        tables=len(tables),
        rows=len(rows),
        findings=len(summary.findings) if summary else 0,
        findings_placed=len(placed),
        differences=len({(id(r), c.datapoint.key) for r in rows for c in r.cells if c is not None and c.differs}),
        trail=tr is not None,
        label_fallbacks=len(labels.fallbacks),
        not_shown=tuple(sort_out(facts)[1]),
        pdf=printed,
        trail_ignored=ignored,
        missing_sections=sum(1 for t in tables if t.missing),
        kept_code=len(labels.kept_code),
        labels_not_read=tuple(labels.not_read) if labels.kept_code else (),
    )
