"""How a value reads on the page: Belgian number format, dates, enumeration labels, documents.

Numbers (fr, nl, de): a dot between thousands and a comma before the decimals, ``1.234.567,89``;
in English ``1,234,567.89``.  Amounts always show two decimals; a negative amount starts with a
real minus sign (U+2212) and the cell is marked ``neg`` (shown in red).  Percentages are stored
as fractions (0..1) and shown as ``12,5 %``.  Dates are shown ``31/12/2024`` (en: ISO).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from nbb_filing.taxonomy.catalog import Catalog, Datapoint
from nbb_filing.taxonomy.enum_lists import value_code

MINUS = "\u2212"


@dataclass(frozen=True)
class Shown:
    """A value ready for the page: its text, whether it is negative, and a document when it is one."""

    text: str
    negative: bool = False
    numeric: bool = False
    document: Document | None = None


@dataclass(frozen=True)
class Document:
    """A text or an embedded file of the filing (``kind`` is ``pdf``, ``file`` or ``text``)."""

    kind: str
    size: int  # bytes (decoded)
    data: bytes


def group_digits(digits: str, sep: str) -> str:
    out: list[str] = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return sep.join(out)


def format_number(value: Decimal, lang: str, decimals: int | None = None) -> str:
    """``Decimal("-1234567.891")`` -> ``−1.234.567,89`` (fr/nl/de, 2 decimals) or ``−1,234,567.89`` (en)."""
    thousands, point = (",", ".") if lang == "en" else (".", ",")
    q = value if decimals is None else value.quantize(Decimal(1).scaleb(-decimals))
    sign = MINUS if q < 0 else ""
    text = format(abs(q), "f")
    whole, _, frac = text.partition(".")
    return sign + group_digits(whole, thousands) + (point + frac if frac else "")


def format_size(n: int, lang: str) -> str:
    if n < 1024:
        return f"{n} B"
    kb = Decimal(n) / 1024
    if kb < 1024:
        return format_number(kb, lang, 1) + " KB"
    return format_number(kb / 1024, lang, 1) + " MB"


def format_date(iso: str, lang: str) -> str:
    if lang == "en" or len(iso) != 10 or iso[4] != "-" or iso[7] != "-":
        return iso
    return f"{iso[8:10]}/{iso[5:7]}/{iso[0:4]}"


def _document(value: str) -> Document:
    try:
        data = base64.b64decode(value, validate=False)
    except (binascii.Error, ValueError):
        data = b""
    kind = "pdf" if data.startswith(b"%PDF") else "file"
    return Document(kind, len(data), data)


def is_text_document(text: str) -> bool:
    """A text long enough to be a document (a report, valuation rules) rather than a field."""
    return "\n" in text or len(text) > 300


@lru_cache(maxsize=1)
def code_first_metrics() -> frozenset[str]:
    """The list metrics whose code a reader needs beside the label: the postal codes of the binding
    table (``data/dossier-datapoints.yaml``, every role's ``address.postal_code``)."""
    from nbb_filing.filing.binding import load_table

    return frozenset(
        f.metric for role in load_table().roles.values() for f in role.address if f.name.endswith("postal_code")
    )


def show_value(catalog: Catalog, dp: Datapoint, value: str | None, lang: str) -> Shown:
    """The page text of the normalised ``value`` of ``dp`` (see :func:`nbb_filing.reading.reader.normalise_value`)."""
    if value is None:
        return Shown("nil")
    mt = catalog.metric_type(dp)
    if mt.numeric:
        try:
            d = Decimal(value)
        except InvalidOperation:
            return Shown(value)
        if mt.kind == "percent":
            return Shown(format_number(d * 100, lang) + " %", d < 0, True)
        decimals = 2 if mt.kind == "amount" else None
        return Shown(format_number(d, lang, decimals), d < 0, True)
    if mt.kind == "enum":
        ev = mt.enum_value(value)
        if ev is None:
            return Shown(value)
        # the member's label ("Société coopérative", "Belgique"), not its QName's local name (m706, mBE);
        # a postal code is read with its code ("1060 Saint-Gilles"): the code is the address
        return Shown(f"{value_code(ev)} {ev.label(lang)}" if dp.metric in code_first_metrics() else ev.label(lang))
    if mt.kind == "boolean":
        return Shown({"true": "\u2611", "false": "\u2610"}.get(value, value))
    if mt.kind == "date":
        return Shown(format_date(value, lang))
    if mt.kind == "base64":
        doc = _document(value)
        return Shown(doc.kind.upper(), document=doc)
    if is_text_document(value):
        return Shown(value, document=Document("text", len(value.encode("utf-8")), value.encode("utf-8")))
    return Shown(value)
