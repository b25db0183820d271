"""The contexts and units of a filing, and its QNames in the catalog's prefixes (for the reader).

An NBB fact says almost nothing by itself (``met:am1``): its meaning is in the explicit and typed
dimension members of its context, and its unit says what it counts.  This module reads both from
the root of a filing, before any fact is looked at (:func:`read_contexts_and_units`), and holds
:class:`Names`, which expands every QName with the filing's own namespace bindings and writes it
with the catalog's prefixes.

What may surprise: prefixes are not trusted (a filing may bind ``lgf-enum`` to any URI, or use
``ns3:`` for the metric namespace), the versioned enumeration namespaces of an older framework are
moved to the installed one, and units are compared by the namespace and name of their measure,
never by their prefix or the unit's id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree

from nbb_filing.core.xmlns import XBRLDI, XBRLI
from nbb_filing.taxonomy.catalog import Catalog

_ENUM_NS_RE = re.compile(r"^(?P<base>.*/cbso/)(?P<fw>[0-9][^/]*)(?P<rest>/enum/[^/]+)$")

#: the measure each unit kind of the catalog must have, as ``{namespace}local`` names
UNIT_NAMES = {
    "EUR": "{http://www.xbrl.org/2003/iso4217}EUR",
    "shares": f"{{{XBRLI}}}shares",
    "pure": f"{{{XBRLI}}}pure",
}


class Names:
    """Re-prefixes expanded names with the catalog's prefixes (and knows the installed framework)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.prefix_of = {uri: p for p, uri in catalog.namespaces.items()}

    def uri_to_catalog(self, uri: str) -> str:
        m = _ENUM_NS_RE.match(uri or "")
        if m and m.group("fw") != self.catalog.framework:
            return f"{m.group('base')}{self.catalog.framework}{m.group('rest')}"
        return uri

    def name(self, uri: str | None, local: str) -> str:
        """``prefix:local`` when the catalog knows the namespace, else Clark ``{uri}local``."""
        uri = self.uri_to_catalog(uri or "")
        p = self.prefix_of.get(uri)
        return f"{p}:{local}" if p else f"{{{uri}}}{local}"

    def qname_text(self, text: str, el: etree._Element) -> str:
        """A QName written in content or an attribute (``dim:bas``), resolved against ``el``'s bindings."""
        t = text.strip()
        if ":" in t:
            prefix, local = t.split(":", 1)
        else:
            prefix, local = None, t
        uri = el.nsmap.get(prefix)
        if uri is None:
            raise ValueError(f"prefix {prefix!r} of {t!r} is not declared")
        return self.name(uri, local)


@dataclass(frozen=True)
class Context:
    """One ``xbrli:context``: entity, instant and dimension members, with what is wrong with it."""

    id: str
    scheme: str | None
    identifier: str | None
    instant: str | None
    period_problem: str | None
    members: tuple[tuple[str, str], ...]
    typed_values: tuple[tuple[str, str], ...]
    problem: str | None


@dataclass(frozen=True)
class Unit:
    """One ``xbrli:unit``: its measures as written, and as ``{namespace}local`` names."""

    text: str  # the measures as written, space-separated ("iso4217:EUR")
    measures: tuple[str, ...]


def read_context(ctx: etree._Element, names: Names) -> Context:
    cid = ctx.get("id", "")
    ident = ctx.find(f"{{{XBRLI}}}entity/{{{XBRLI}}}identifier")
    scheme = ident.get("scheme") if ident is not None else None
    identifier = (ident.text or "").strip() if ident is not None else None
    period = ctx.find(f"{{{XBRLI}}}period")
    instant = None
    period_problem = None
    if period is not None:
        inst = period.find(f"{{{XBRLI}}}instant")
        if inst is not None:
            instant = (inst.text or "").strip()
        else:
            period_problem = "the context's period is not an instant (NBB contexts are instants at the closing date)"
    members: list[tuple[str, str]] = []
    typed: list[tuple[str, str]] = []
    problem = None
    containers = [
        c
        for c in (ctx.find(f"{{{XBRLI}}}scenario"), ctx.find(f"{{{XBRLI}}}entity/{{{XBRLI}}}segment"))
        if c is not None
    ]
    for container in containers:
        for child in container:
            if not isinstance(child.tag, str):
                continue
            try:
                if child.tag == f"{{{XBRLDI}}}explicitMember":
                    members.append(
                        (names.qname_text(child.get("dimension", ""), child), names.qname_text(child.text or "", child))
                    )
                elif child.tag == f"{{{XBRLDI}}}typedMember":
                    dim = names.qname_text(child.get("dimension", ""), child)
                    inner = [c for c in child if isinstance(c.tag, str)]
                    value = "".join(inner[0].itertext()) if inner else "".join(child.itertext())
                    typed.append((dim, value.strip()))
                else:
                    problem = f"context {cid} holds a non-dimensional element {etree.QName(child).localname!r}"
            except ValueError as e:
                problem = f"context {cid}: {e}"
    return Context(
        cid, scheme, identifier, instant, period_problem, tuple(sorted(members)), tuple(sorted(typed)), problem
    )


def measure_name(measure: etree._Element) -> str:
    """The QName of a ``<measure>`` resolved with the element's namespaces: ``{namespace}local``.

    ``xbrli:shares``, ``shares`` under a default xbrli namespace and ``x:shares`` with another prefix
    bound to the same namespace are the same unit.
    """
    text = (measure.text or "").strip()
    prefix, _, local = text.rpartition(":")
    ns = measure.nsmap.get(prefix or None)
    return f"{{{ns}}}{local}" if ns else text


def read_contexts_and_units(
    root: etree._Element, names: Names, problems: list[str]
) -> tuple[dict[str, Context], dict[str, Unit]]:
    """The contexts and units of the filing by id; a context id defined twice is one of ``problems``."""
    contexts: dict[str, Context] = {}
    units: dict[str, Unit] = {}
    for el in root:
        if not isinstance(el.tag, str):
            continue
        if el.tag == f"{{{XBRLI}}}context":
            c = read_context(el, names)
            if c.id in contexts:
                problems.append(f"line {el.sourceline}: context id {c.id!r} is defined twice")
            contexts[c.id] = c
        elif el.tag == f"{{{XBRLI}}}unit":
            measures = [(m.text or "").strip() for m in el.iter(f"{{{XBRLI}}}measure")]
            units[el.get("id", "")] = Unit(
                " ".join(measures), tuple(measure_name(m) for m in el.iter(f"{{{XBRLI}}}measure"))
            )
    return contexts, units
