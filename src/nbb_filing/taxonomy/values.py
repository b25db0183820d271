"""Checking a Python value against a datapoint's metric type, and finding enumeration members.

One checker for every writer of facts (the dossier fields, the notes, the social balance sheet):
the metric types (kind, sign, facets, enumeration lists) come from the package through the catalog,
so the same rules apply to whatever release is installed.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from nbb_filing.taxonomy.catalog import MetricType


def match_enum(mt: MetricType, given: str) -> str | None:
    """Find ``given`` in an enumeration list: member QName, code (``706`` for ``lgf:m706``) or label.

    NBB code-list members are named ``m`` + the official code (``lgf:m706``, ``cty:mBE``,
    ``pcd:m1000``), so a bare code is matched on that; labels match case-insensitively in any
    language.  Returns the member QName or ``None``.
    """
    text = str(given).strip()
    low = text.lower()
    for e in mt.enum_values:
        if e.qname == text:
            return e.qname
    for e in mt.enum_values:
        if e.qname.split(":", 1)[1].lower() == "m" + low:
            return e.qname
    hits = [e.qname for e in mt.enum_values if any(t.lower() == low for _, t in e.labels)]
    if len(hits) == 1:
        return hits[0]
    return None


def check_value(mt: MetricType, value: Any) -> str | None:
    """Why ``value`` cannot be a fact of metric type ``mt``, or ``None`` when it can."""
    if mt.kind == "date":
        return None if isinstance(value, date) else f"{value!r} is not a date"
    if mt.kind == "boolean":
        return None if isinstance(value, bool) else f"{value!r} is not true/false"
    if mt.kind == "base64":
        return None if isinstance(value, (bytes, bytearray)) and value else "is empty"
    if mt.numeric:
        if not isinstance(value, Decimal):
            return f"{value!r} is not a number"
        if mt.kind in ("integer", "shares") and value != value.to_integral_value():
            return f"{value} is not a whole number"
        why = mt.check(value)
        if why and mt.sign == "nonnegative" and value < 0:
            return f"is negative ({value}) but datapoint {mt.metric} only accepts amounts >= 0"
        return why
    return mt.check(value)
