"""Writing the page: one HTML document, CSS inline, no script, no external resource."""

from __future__ import annotations

import base64
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

import lxml.html
from lxml import etree

from nbb_filing.books.trail import TrailEntry

from .findings import FindingsSummary, FindingView
from .layout import CellView, RowView, TableView
from .pdf import running_header_css
from .values import Document, format_number, format_size
from .words import word


@dataclass(frozen=True)
class PageHead:
    title: str
    facts: tuple[tuple[str, str], ...]  # (heading, value) shown in the header band
    identification: tuple[tuple[str, str], ...] = ()  # key fields above the identification tables


@dataclass
class Page:
    lang: str
    head: PageHead
    tables: list[TableView]
    documents: list[tuple[str, Document]] = field(default_factory=list)
    summary: FindingsSummary | None = None
    trail_note: str | None = None
    previous_note: str | None = None
    labels_note: str | None = None  # rows left with their rubric code: the family models not read
    not_shown: list[str] = field(default_factory=list)  # facts with no place on the page, and why
    running_header: str = ""  # on every printed page: the company and the year (render --pdf)


def _el(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    e = etree.SubElement(parent, tag, {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items() if v})
    if text:
        e.text = text
    return e


def css() -> str:
    return resources.files(__package__).joinpath("page.css").read_text(encoding="utf-8")


def content_security_policy(style: str) -> str:
    """The page's policy: nothing may load or run but its own style sheet (named by its SHA-256).

    Every string on the page is escaped already; the policy is the second wall, should a filing's
    text ever slip through: no script, no external load (images, fonts, frames), no form, no base."""
    import base64
    import hashlib

    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


def render_page(page: Page) -> str:
    root = etree.Element("html", lang=page.lang)
    head = _el(root, "head")
    print_rules = running_header_css(page.running_header, word(page.lang, "page")) if page.running_header else ""
    style = "\n" + css() + print_rules  # the policy names this very text by its hash
    _el(head, "meta", charset="utf-8")
    _el(head, "meta", http_equiv="Content-Security-Policy", content=content_security_policy(style))
    _el(head, "meta", name="viewport", content="width=device-width, initial-scale=1")
    _el(head, "title", page.head.title)
    _el(head, "style", style)
    body = _el(root, "body")
    top = _el(body, "header", class_="top")
    _el(top, "h1", page.head.title)
    dl = _el(top, "dl")
    for k, v in page.head.facts:
        div = _el(dl, "div")
        _el(div, "dt", k)
        _el(div, "dd", v)
    main = _el(body, "main")
    if page.summary is not None:
        _summary(main, page.summary, page.lang)
    notes = [n for n in (word(page.lang, "number_format"), page.previous_note, page.trail_note, page.labels_note) if n]
    _el(main, "p", " · ".join(notes), class_="legend")
    _toc(main, page)
    _identification(main, page)
    for sec_id, tables in _sections([t for t in page.tables if not t.identification]):
        sec = _el(main, "section", class_="page", id=f"sec-{sec_id}")
        _el(sec, "h2", tables[0].title)
        for t in tables:
            _table(sec, t, page.lang, heading=t is not tables[0])
    if page.documents:
        _documents(main, page.documents, page.lang)
    if page.not_shown:
        sec = _el(main, "section", class_="page", id="not-shown")
        _el(sec, "h2", f"{word(page.lang, 'not_shown')} ({len(page.not_shown)})")
        ul = _el(sec, "ul")
        for line in page.not_shown:
            _el(ul, "li", line, class_="not-shown")
    _link_terms(root)
    return lxml.html.tostring(root, doctype="<!DOCTYPE html>", encoding="unicode", method="html")


def _link_terms(root: etree._Element) -> None:
    """Anchor the first row of each rubric code and point the trail's formula terms at them."""
    anchors: set[str] = set()
    for tr in root.iter("tr"):
        code = tr.get("data-rubric")
        if code and code not in anchors:
            anchors.add(code)
            tr.set("id", f"rub-{code}")
    for a in root.iter("a"):
        term = a.get("data-term")
        if term and term in anchors:
            a.set("href", f"#rub-{term}")


def _sections(tables: Iterable[TableView]) -> list[tuple[str, list[TableView]]]:
    out: list[tuple[str, list[TableView]]] = []
    for t in tables:
        if out and out[-1][0] == t.info.section:
            out[-1][1].append(t)
        else:
            out.append((t.info.section, [t]))
    return out


def _toc(main: etree._Element, page: Page) -> None:
    nav = _el(main, "nav", class_="toc")
    _el(nav, "strong", word(page.lang, "contents"))
    ul = _el(nav, "ul")
    if any(t.identification for t in page.tables):
        _el(_el(ul, "li"), "a", word(page.lang, "identification"), href="#identification")
    for sec_id, tables in _sections([t for t in page.tables if not t.identification]):
        _el(_el(ul, "li"), "a", tables[0].title, href=f"#sec-{sec_id}")
    if page.documents:
        _el(_el(ul, "li"), "a", word(page.lang, "documents"), href="#documents")


def _summary(main: etree._Element, s: FindingsSummary, lang: str) -> None:
    blocked = s.count("blocking") or s.status == "incomplete"
    box = _el(main, "div", class_="summary" + (" blocked" if blocked else ""), id="findings")
    _el(box, "h2", word(lang, "findings"))
    counts = ", ".join(f"{s.count(e)} {word(lang, e)}" for e in ("blocking", "warning", "info"))
    status = (
        word(lang, s.status) if s.status in ("can be filed", "blocked", "incomplete", "not validated") else s.status
    )
    line = f"{word(lang, 'status')}: {status} — {counts}"
    if s.assertions:
        line += f" — {s.evaluated}/{s.assertions} {word(lang, 'assertions')}, {s.unsatisfied} ✗"
    _el(box, "p", line, class_="status")
    if s.error:
        _el(box, "p", s.error)
    _completeness(box, s, lang)
    if not s.findings:
        _el(box, "p", word(lang, "no_findings"))
        return
    ol = _el(box, "ol")
    for f in s.findings:
        li = _el(ol, "li", id=f"f-{f.number}", class_=f"finding {f.effect}")
        _el(li, "span", f.rule, class_=f"mark {f.effect}")
        tail = f" {word(lang, f.effect)}: {f.message}"
        where = ", ".join(f.rubrics) if f.rubrics else (f"line {f.line}" if f.line else word(lang, "not_placed"))
        _el(li, "span", f"{tail} [{where}]")


def _completeness(box: etree._Element, s: FindingsSummary, lang: str) -> None:
    """The required sections left empty and those the dossier declares not applicable (issue 19)."""
    items = [c for c in s.completeness if c.get("state") in ("missing", "declared not applicable")]
    if not items:
        return
    ul = _el(box, "ul", class_="completeness")
    for c in items:
        missing = c.get("state") == "missing"
        li = _el(ul, "li", class_="missing" if missing else "declared")
        _el(li, "span", str(c.get("rule", "")), class_="mark blocking" if missing else "mark info")
        tail = (
            f" {word(lang, 'required_empty')}: {c.get('title')} — {c.get('why')} — {c.get('fill')}"
            if missing
            else f" {c.get('title')}: {word(lang, 'declared_na')} — {c.get('reason')}"
        )
        _el(li, "span", tail)


def _identification(main: etree._Element, page: Page) -> None:
    tables = [t for t in page.tables if t.identification]
    if not tables and not page.head.identification:
        return
    sec = _el(main, "section", class_="page", id="identification")
    _el(sec, "h2", word(page.lang, "identification"))
    if page.head.identification:
        dl = _el(sec, "dl", class_="ident")
        for k, v in page.head.identification:
            _el(dl, "dt", k)
            _el(dl, "dd", v)
    for t in tables:
        _table(sec, t, page.lang, heading=True)


def _table(parent: etree._Element, t: TableView, lang: str, heading: bool) -> None:
    if heading:
        _el(parent, "h3", t.title)
    if t.missing:  # a required section left empty, shown where the package places it
        _el(parent, "p", f"{word(lang, 'required_empty')}: {t.missing}", class_="missing", data_table=t.info.id)
        return
    if t.transposed:
        _transposed(parent, t, lang)
        return
    table = _el(parent, "table", class_="list" if t.typed else "grid", data_table=t.info.id)
    hr = _el(_el(table, "thead"), "tr")
    if t.typed:
        _el(hr, "th", t.key_header)
    else:
        _el(hr, "th", word(lang, "label"))
        if t.has_codes:
            _el(hr, "th", word(lang, "code"), class_="code")
    for c in t.columns:
        label = f"{c.label} — {word(lang, 'filed')}" if c.filed else c.label
        _el(hr, "th", label, class_="num" if not t.typed else "")
    body = _el(table, "tbody")
    width = len(t.columns) + (1 if t.typed or not t.has_codes else 2)
    for row in t.rows:
        if row.heading:
            _el(
                _el(body, "tr", class_=f"head d{min(row.depth, 3)}"),
                "td",
                row.label,
                class_="label",
                colspan=str(width),
            )
            continue
        _row(body, t, row, lang, width)


def _transposed(parent: etree._Element, t: TableView, lang: str) -> None:
    """A list with many fields: one column per line (participation, person), one row per field."""
    table = _el(parent, "table", class_="list transposed", data_table=t.info.id)
    hr = _el(_el(table, "thead"), "tr")
    _el(hr, "th", t.key_header)
    for row in t.rows:
        _el(hr, "th", row.label, class_="key")
    body = _el(table, "tbody")
    for i, col in enumerate(t.columns):
        tr = _el(body, "tr")
        _el(tr, "td", col.label, class_="label")
        for row in t.rows:
            _cell(tr, row.cells[i], lang, filed_column=False, filed_note=True)
    for row in t.rows:
        for f in row.findings:
            note = _el(_el(body, "tr", class_=f"finding-note finding-{f.effect}"), "td", colspan=str(len(t.rows) + 1))
            _el(note, "a", f.rule, class_=f"mark {f.effect}", href=f"#f-{f.number}")
            _el(note, "span", f" {word(lang, f.effect)}: {f.message}")


def _row(body: etree._Element, t: TableView, row: RowView, lang: str, width: int) -> None:
    findings = row.findings
    worst = next((e for e in ("blocking", "warning", "info") if any(f.effect == e for f in findings)), None)
    cls = [f"d{min(row.depth, 3)}"] + ([f"finding-{worst}"] if worst else [])
    if row.label.isupper() and sum(c.isalpha() for c in row.label) > 2 and not t.typed:  # "TOTAL", not "N°"
        cls.append("total")
    tr = _el(body, "tr", class_=" ".join(cls), data_rubric=row.rubric or "")
    label_td = _el(tr, "td", row.label, class_="label")
    if not t.typed and t.has_codes:
        codes = [row.rubric] if row.rubric else []
        codes += [c.datapoint.rubric for c in row.cells if c and c.datapoint.rubric and c.datapoint.rubric not in codes]
        _el(tr, "td", ", ".join(c for c in codes if c), class_="code")
    for col, c in zip(t.columns, row.cells):
        _cell(tr, c, lang, filed_column=col.filed, filed_note=t.typed)
    trails = [
        (c.trail, c.datapoint.column_label(lang))
        for c in row.cells
        if c is not None and c.trail is not None and c.shown is not None
    ]
    if trails:
        _trail(label_td, trails, lang)
    for f in findings:
        note = _el(_el(body, "tr", class_=f"finding-note finding-{f.effect}"), "td", colspan=str(width))
        _el(note, "a", f.rule, class_=f"mark {f.effect}", href=f"#f-{f.number}")
        _el(note, "span", f" {word(lang, f.effect)}: {f.message}")


def _cell(tr: etree._Element, c: CellView | None, lang: str, *, filed_column: bool, filed_note: bool) -> None:
    if c is None:
        _el(tr, "td", class_="empty")
        return
    shown = c.shown
    cls = ["num" if shown is not None and shown.numeric else "val"] + (["filed"] if filed_column else [])
    if shown is not None and shown.negative:
        cls.append("neg")
    if c.differs:
        cls.append("diff")
    if c.findings:
        cls.append("has-finding")
    td = _el(tr, "td", class_=" ".join(cls), data_key=c.datapoint.key, data_period=c.datapoint.period)
    if shown is not None and shown.document is not None and shown.document.kind == "text":
        det = _el(td, "details", class_="doc")
        _el(det, "summary", f"{word(lang, 'text')} ({format_size(shown.document.size, lang)})")
        _el(det, "pre", shown.text)
    elif shown is not None and shown.document is not None:
        _download(td, shown.document, c.datapoint.key)
    elif shown is not None:
        td.text = shown.text
    if filed_note and c.filed is not None and c.differs:
        _el(td, "span", c.filed.text, class_="sub")
    for f in () if filed_column else c.findings:
        _el(td, "a", f.rule, class_=f"mark {f.effect}", href=f"#f-{f.number}")


def _download(parent: etree._Element, doc: Document, name: str) -> None:
    mime = "application/pdf" if doc.kind == "pdf" else "application/octet-stream"
    href = f"data:{mime};base64," + base64.b64encode(doc.data).decode("ascii")
    fname = "document.pdf" if doc.kind == "pdf" else "document.bin"
    _el(
        parent, "a", f"{doc.kind.upper()} ({format_size(doc.size, 'en')})", href=href, download=fname, class_="download"
    )


def _trail(td: etree._Element, entries: list[tuple[TrailEntry, str]], lang: str) -> None:
    det = _el(td, "details", class_="trail")
    n = len({a.account for e, _ in entries for a in e.accounts})
    _el(det, "summary", f"{word(lang, 'trail')} ({n})" if n else word(lang, "trail"))
    for e, column in entries:
        table = _el(det, "table", data_period=e.period)
        cap = _el(table, "caption", f"{e.rubric} ({column}) = {format_number(e.amount, lang, 2)}")
        if e.formula:
            total, _, rhs = e.formula.partition(" = ")
            cap.text += f" — {word(lang, 'formula')}: {total} ="
            linked = {t for _, t in e.terms}  # the other terms' accounts are listed below (via their rubric)
            sign = 1
            first = True
            for tok in rhs.split():
                if tok in ("+", "-"):
                    sign = -1 if tok == "-" else 1
                    continue
                _el(cap, "span", (" " if first else " + ") if sign > 0 else " \u2212 ")
                if tok in linked:
                    _el(cap, "a", tok, class_="term", data_term=tok)
                else:
                    _el(cap, "span", tok, class_="term via")
                sign, first = 1, False
        if e.accounts:
            via = any(a.via for a in e.accounts)  # accounts reached through rubrics the model has no row for
            hr = _el(table, "tr")
            for h in ("account", "label", "rule", *(("via",) if via else ()), "amount"):
                _el(hr, "th", word(lang, h))
            for a in e.accounts:
                tr = _el(table, "tr", class_="account")
                _el(tr, "td", a.account)
                _el(tr, "td", a.label)
                _el(tr, "td", a.rule)
                if via:
                    _el(tr, "td", a.via, class_="code")
                _el(tr, "td", format_number(a.amount, lang, 2), class_="num" + (" neg" if a.amount < 0 else ""))
        elif not e.formula:
            _el(_el(table, "tr"), "td", e.source)


def _documents(main: etree._Element, docs: list[tuple[str, Document]], lang: str) -> None:
    sec = _el(main, "section", class_="page", id="documents")
    _el(sec, "h2", word(lang, "documents"))
    ul = _el(sec, "ul")
    for label, doc in docs:
        li = _el(
            ul,
            "li",
            f"{label} — {doc.kind.upper()}, {word(lang, 'size')} {format_size(doc.size, lang)} ",
            class_="document",
        )
        if doc.kind != "text":
            _download(li, doc, label)


def findings_anchor(f: FindingView) -> str:
    return f"#f-{f.number}"
