"""The XBRL 2.1 instance writer (lxml).

What an NBB instance looks like, and why:

* one ``link:schemaRef`` to the model's entry point (``catalog.entry_point``);
* every context is an *instant* at the closing date: the NBB does not use durations, and the
  previous exercise is a dimension member (``dim:prd = prd:m2``), not another period;
* dimensions go in the ``scenario`` (the hypercubes are closed, ``contextElement="scenario"``);
  default members are never written (XDT forbids it); one context per distinct dimension set,
  so facts of one person share their contexts;
* units ``iso4217:EUR`` (amounts), ``xbrli:pure`` (counts, FTE, percentages), ``xbrli:shares``;
  ``decimals="INF"`` on every numeric fact: the figures are exact;
* enumeration facts hold a member QName (``lgf:m706``); their element names use the versioned
  enumeration namespaces of the package (``.../22.19/enum/lgf-enum``), both from
  ``catalog.namespaces``;
* ``xml:lang`` on the root (the filing language).

The output is byte-stable: facts are sorted by datapoint order then typed values, contexts are
numbered in order of first use, namespace declarations are sorted; nothing depends on time, dict
order of the input, or the machine.  :func:`write_instance` writes to a temporary file in the target
directory and renames it, so a failure never leaves a half-written filing.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from lxml import etree

from nbb_filing.core.errors import InputError
from nbb_filing.core.xmlns import ISO4217, LINK, XBRLDI, XBRLI, XLINK, XML_NS
from nbb_filing.filing.store import Fact
from nbb_filing.taxonomy.catalog import Catalog, MetricType

ENTITY_SCHEME = "http://www.fgov.be"

UNIT_MEASURES = {"EUR": "iso4217:EUR", "pure": "xbrli:pure", "shares": "xbrli:shares"}
UNIT_ORDER = ("EUR", "pure", "shares")


def format_value(mt: MetricType, value: Any) -> str:
    """Lexical form of ``value`` for a fact of type ``mt``.

    Amounts always carry 2 decimals (``1234.50``); integers and shares none; decimals (FTE) and
    percentages (fractions 0..1) their own digits, never an exponent; dates ISO; booleans
    ``true``/``false``; documents base64 without line breaks.
    """
    kind = mt.kind
    if kind == "amount":
        return f"{Decimal(value).quantize(Decimal('0.01')):f}"
    if kind in ("integer", "shares"):
        return f"{Decimal(value).to_integral_value():f}"
    if kind in ("decimal", "percent"):
        d = Decimal(value)
        if mt.fraction_digits is not None:
            d = d.quantize(Decimal(1).scaleb(-mt.fraction_digits))
        text = f"{d.normalize():f}"
        return text
    if kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "base64":
        return base64.b64encode(bytes(value)).decode("ascii")
    return str(value)


@dataclass(frozen=True)
class InstanceStats:
    facts: int
    contexts: int
    units: tuple[str, ...]


def _qname_parts(catalog: Catalog, prefixed: str) -> tuple[str, str, str]:
    prefix, local = prefixed.split(":", 1)
    try:
        return prefix, catalog.namespaces[prefix], local
    except KeyError:
        raise InputError(f"prefix {prefix!r} of {prefixed} is unknown in model {catalog.model}") from None


def build_instance(
    catalog: Catalog,
    facts: Iterable[Fact],
    *,
    enterprise_number: str,
    closing: date,
    lang: str,
) -> tuple[bytes, InstanceStats]:
    """Serialise ``facts`` as an XBRL instance for ``catalog``'s model; returns (bytes, stats)."""
    facts = sorted(facts, key=lambda f: (f.datapoint.order, f.typed))
    seen: set[tuple] = set()
    for f in facts:
        if f.identity in seen:
            raise InputError(f"two facts for datapoint {f.datapoint.key} {f.typed} (second from {f.source})")
        seen.add(f.identity)
    ctx_ids, fact_ctx, used_prefixes = _contexts(catalog, facts)
    units_used = sorted(
        {catalog.metric_type(f.datapoint).unit or "pure" for f in facts if catalog.metric_type(f.datapoint).numeric},
        key=lambda u: UNIT_ORDER.index(u) if u in UNIT_ORDER else 99,
    )
    for u in units_used:
        if u not in UNIT_MEASURES:
            raise InputError(f"unit {u!r} is not supported by the writer")

    nsmap: dict[str | None, str] = {"xbrli": XBRLI, "link": LINK, "xlink": XLINK, "xbrldi": XBRLDI}
    if "EUR" in units_used:
        nsmap["iso4217"] = ISO4217
    for prefix in sorted(used_prefixes):
        if prefix not in catalog.namespaces:
            raise InputError(f"prefix {prefix!r} is unknown in model {catalog.model}")
        nsmap[prefix] = catalog.namespaces[prefix]

    root = etree.Element(f"{{{XBRLI}}}xbrl", nsmap=nsmap)
    root.set(f"{{{XML_NS}}}lang", lang)
    ref = etree.SubElement(root, f"{{{LINK}}}schemaRef")
    ref.set(f"{{{XLINK}}}type", "simple")
    ref.set(f"{{{XLINK}}}href", catalog.entry_point)
    _write_contexts(root, catalog, ctx_ids, enterprise_number, closing.isoformat())
    for u in units_used:
        unit = etree.SubElement(root, f"{{{XBRLI}}}unit", id=u)
        etree.SubElement(unit, f"{{{XBRLI}}}measure").text = UNIT_MEASURES[u]

    for i, (f, cid) in enumerate(zip(facts, fact_ctx), start=1):
        mt = catalog.metric_type(f.datapoint)
        el = etree.SubElement(root, _clark(catalog, f.datapoint.metric), contextRef=cid)
        if mt.numeric:
            el.set("unitRef", mt.unit or "pure")
            el.set("decimals", "INF")
        el.set("id", f"f{i}")
        el.text = format_value(mt, f.value)

    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data, InstanceStats(len(facts), len(ctx_ids), tuple(units_used))


def _clark(catalog: Catalog, prefixed: str) -> str:
    """``{namespace}local`` of a catalog-prefixed name."""
    _, ns, local = _qname_parts(catalog, prefixed)
    return f"{{{ns}}}{local}"


def _contexts(catalog: Catalog, facts: list[Fact]) -> tuple[dict[tuple, str], list[str], set[str]]:
    """Context ids by (members, typed values), numbered in order of first use; each fact's context id;
    and every prefix the contexts and facts use (dimensions, members, metrics, enumeration values)."""
    used_prefixes: set[str] = set()
    ctx_ids: dict[tuple, str] = {}
    fact_ctx: list[str] = []
    for f in facts:
        key = (f.datapoint.members, f.typed)
        if key not in ctx_ids:
            ctx_ids[key] = f"c{len(ctx_ids) + 1}"
        fact_ctx.append(ctx_ids[key])
        for d, m in f.datapoint.members:
            used_prefixes.add(d.split(":", 1)[0])
            used_prefixes.add(m.split(":", 1)[0])
        for d, _ in f.typed:
            used_prefixes.add(d.split(":", 1)[0])
            used_prefixes.add(catalog.typed_dimensions[d].split(":", 1)[0])
        used_prefixes.add(f.datapoint.metric.split(":", 1)[0])
        mt = catalog.metric_type(f.datapoint)
        if mt.kind == "enum":
            used_prefixes.add(str(f.value).split(":", 1)[0])
    return ctx_ids, fact_ctx, used_prefixes


def _write_contexts(
    root: etree._Element, catalog: Catalog, ctx_ids: dict[tuple, str], enterprise_number: str, instant: str
) -> None:
    """One instant context per (members, typed values), its dimensions in the scenario, sorted."""
    for (members, typed), cid in ctx_ids.items():
        c = etree.SubElement(root, f"{{{XBRLI}}}context", id=cid)
        ent = etree.SubElement(c, f"{{{XBRLI}}}entity")
        ident = etree.SubElement(ent, f"{{{XBRLI}}}identifier", scheme=ENTITY_SCHEME)
        ident.text = enterprise_number
        per = etree.SubElement(c, f"{{{XBRLI}}}period")
        etree.SubElement(per, f"{{{XBRLI}}}instant").text = instant
        dims = [(d, "e", m) for d, m in members] + [(d, "t", v) for d, v in typed]
        if dims:
            scen = etree.SubElement(c, f"{{{XBRLI}}}scenario")
            for d, kind, v in sorted(dims):
                if kind == "e":
                    el = etree.SubElement(scen, f"{{{XBRLDI}}}explicitMember", dimension=d)
                    el.text = v
                else:
                    el = etree.SubElement(scen, f"{{{XBRLDI}}}typedMember", dimension=d)
                    etree.SubElement(el, _clark(catalog, catalog.typed_dimensions[d])).text = v


def write_instance(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory, then rename."""
    from nbb_filing.core.atomic import write_atomic

    p = Path(path)
    try:
        return write_atomic(p, data)
    except OSError as e:
        raise InputError(f"{p}: cannot write the filing ({e.strerror or e})") from None
