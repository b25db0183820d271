"""Reading filing XML safely, and moving a filing to the framework of the installed package.

Filings are untrusted input: they are parsed without DTDs, external entities or network access,
and with a size limit.  A DOCTYPE or an entity declaration is refused outright wherever it stands
in the file (an XBRL instance never needs one, and it is the vehicle of entity-expansion and XXE
attacks): the whole file is scanned before parsing, and the parsed tree is checked for a DTD after
(for encodings the byte scan cannot read).  Text nodes may be large (``huge_tree``): an embedded
PDF of tens of megabytes is one base64 text node, and the NBB accepts such documents; the size of
the whole file is what is limited.  Filings that are not ASCII-compatible (UTF-16/32) are refused:
the NBB takes UTF-8.

The NBB versions two things per framework: the entry point (``.../cbso/fws/23.0/mod/m87/m87-f.xsd``)
and the enumeration list namespaces (``.../cbso/23.0/enum/lgf-enum``).  The dictionary (metrics,
dimensions, domain members under ``.../cbso/dict/...``) is not versioned.  So a filing made with
framework 23.0 is read with a 22.19 or 26.0 package by rewriting just those two things;
:func:`retarget_framework` does that on a parsed tree and says what it changed.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from nbb_filing.core.errors import InputError
from nbb_filing.core.text_checks import excerpt
from nbb_filing.core.xmlns import LINK, XBRLI, XLINK

#: Refuse filings larger than this (the NBB itself refuses files over 50 MB).
MAX_FILING_BYTES = 64 * 1024 * 1024
#: Refuse filings whose elements nest deeper than this (an NBB filing nests 6 levels: xbrl, context,
#: scenario, typedMember, value); every walk of the tree then stays far from Python's recursion limit.
MAX_DEPTH = 64
#: libxml2 keeps an element's line in 16 bits: a line above it cannot be set on a rebuilt element
#: (:func:`retarget_framework`), so the reader takes lines from the parsed file instead.
_MAX_SETTABLE_LINE = 65535

_FWS_RE = re.compile(r"^(?P<base>.*/cbso/fws/)(?P<fw>[^/]+)(?P<rest>/mod/(?P<mod>[^/]+)/(?P<model>[^/]+)\.xsd)$")
_ENUM_RE = re.compile(r"^(?P<base>.*/cbso/)(?P<fw>[0-9][^/]*)(?P<rest>/enum/[^/]+)$")


@dataclass(frozen=True)
class SchemaRefInfo:
    href: str
    framework: str | None
    model: str | None  # e.g. "m87-f"


_DTD_RE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def safe_parser() -> etree.XMLParser:
    """A parser without DTD loading, entity resolution or network; large text nodes allowed."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
        remove_comments=False,
    )


def refuse_dtd(data: bytes, name: str, error: type[Exception] = InputError) -> None:
    """Raise ``error`` when ``data`` (an XML file) declares a DOCTYPE or an entity anywhere in it,
    or is not in an ASCII-compatible encoding (where that scan could be bypassed)."""
    head = data[:4]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in head:
        raise error(f"{name}: refused, the file is not UTF-8 (UTF-16/32 XML is not accepted)")
    m = _DTD_RE.search(data)
    if m is not None:
        line = data.count(b"\n", 0, m.start()) + 1
        raise error(f"{name}:{line}: refused, the file declares a DOCTYPE or entities (not allowed in a filing)")


def refuse_parsed_dtd(tree: etree._ElementTree, name: str, error: type[Exception] = InputError) -> None:
    """The same check on a parsed tree (catches encodings the byte scan cannot read)."""
    info = tree.docinfo
    if info.internalDTD is not None or info.externalDTD is not None or info.doctype:
        raise error(f"{name}: refused, the file declares a DOCTYPE or entities (not allowed in a filing)")


def parse_filing(path: str | os.PathLike, *, max_bytes: int = MAX_FILING_BYTES) -> etree._ElementTree:
    """Parse an XBRL instance safely; raises :class:`InputError` with the file name on any problem."""
    p = Path(path)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror or e})") from None
    if size > max_bytes:
        raise InputError(f"{p}: {size} bytes, larger than the {max_bytes} bytes accepted")
    if p.is_dir():
        raise InputError(f"{p}: is a directory, not a filing")
    if size == 0:
        raise InputError(f"{p}: empty file")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise InputError(f"{p}: cannot read ({e.strerror or e})") from None
    return parse_filing_bytes(data, name=str(p))


def parse_filing_bytes(data: bytes, *, name: str = "<bytes>") -> etree._ElementTree:
    refuse_dtd(data, name)
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as e:
        line = getattr(e, "lineno", None) or (e.position[0] if getattr(e, "position", None) else "?")
        raise InputError(f"{name}:{line}: not well-formed XML ({e.msg if hasattr(e, 'msg') else e})") from None
    refuse_parsed_dtd(root.getroottree(), name)
    refuse_deep_nesting(root, name)
    if root.tag != f"{{{XBRLI}}}xbrl":
        raise InputError(f"{name}: not an XBRL instance (root element is {etree.QName(root).localname!r})")
    return etree.ElementTree(root)


def refuse_deep_nesting(root: etree._Element, name: str, max_depth: int = MAX_DEPTH) -> None:
    """Raise :class:`InputError` naming the line of the first element nested deeper than ``max_depth``
    (walked without recursion: libxml2 parses up to 2,048 levels with ``huge_tree``)."""
    depth = 0
    for event, el in etree.iterwalk(root, events=("start", "end")):
        depth += 1 if event == "start" else -1
        if depth > max_depth:
            raise InputError(
                f"{name}:{el.sourceline}: refused, elements nested {depth} levels deep "
                f"(at most {max_depth} accepted; an NBB filing nests 6)"
            )


#: the only attribute of an instance that may name another file: the schemaRef's ``xlink:href``
_XLINK_HREF = f"{{{XLINK}}}href"
_XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"


def refuse_foreign_references(root: etree._Element, name: str, entry_point: str) -> None:
    """Raise :class:`InputError` unless the instance's one reference to another file is its
    schemaRef to ``entry_point`` (the installed package's URL for its model; a schemaRef of another
    framework version of the same URL is accepted, as :func:`retarget_framework` moves it).

    Arelle opens whatever an instance references (``linkbaseRef``, ``roleRef``, a second
    ``schemaRef``, ``xsi:schemaLocation``): ``file:///dev/zero`` would fill memory, and whether
    ``file:///etc/...`` loads tells whether the file exists.  An NBB filing references its entry
    point only; links inside the file (``#f1``) are allowed."""
    schema_refs = 0
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr, value in el.attrib.items():
            where = f"{name}:{el.sourceline}: refused, the reference"
            if attr in (f"{{{_XSI_NS}}}schemaLocation", f"{{{_XSI_NS}}}noNamespaceSchemaLocation"):
                raise InputError(
                    f"{where} {excerpt(value, 80)} (xsi schema location): a filing references only its entry point"
                )
            if attr != _XLINK_HREF:
                continue
            if (
                el.tag == f"{{{LINK}}}schemaRef"
                and el.getparent() is root
                and _same_entry(value, entry_point)
                and not schema_refs
            ):
                schema_refs += 1
                continue
            if value.startswith("#") and el.tag != f"{{{LINK}}}schemaRef":
                continue  # a link inside the file
            raise InputError(
                f"{where} {excerpt(value, 80)} ({etree.QName(el).localname}) is not the entry point {entry_point} "
                "of the installed package: a filing references only its entry point"
            )


def _same_entry(href: str, entry_point: str) -> bool:
    """Whether ``href`` is ``entry_point`` written with any framework version."""
    m, e = _FWS_RE.match(href), _FWS_RE.match(entry_point)
    if m is None or e is None:
        return href == entry_point
    return (m.group("base"), m.group("rest")) == (e.group("base"), e.group("rest"))


#: a schemaRef's href near the start of a file (for :func:`model_hint`; bounded, no XML parsing)
_HREF_RE = re.compile(rb"schemaRef\b[^>]{0,2000}?href\s*=\s*[\"']([^\"'<>]{1,1000})[\"']")


def model_hint(path: str | os.PathLike) -> str | None:
    """The model a filing's schemaRef names, read from the file's first 64 KB without parsing it, or
    ``None`` when it is not found there.

    A hint for planning work (which catalog a validation will need, so that it can be compiled while
    the taxonomy loads), never something a check relies on: that is :func:`schema_ref` on the
    filing parsed by :func:`parse_filing`.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None  # a pipe or a device is never opened here (a read could wait forever)
        with open(path, "rb") as fh:
            head = fh.read(65536)
    except OSError:
        return None
    found = _HREF_RE.search(head)
    ref = _FWS_RE.match(found.group(1).decode("ascii", "replace")) if found else None
    return ref.group("model") if ref else None


def schema_ref(root: etree._Element) -> SchemaRefInfo:
    el = root.find(f"{{{LINK}}}schemaRef")
    if el is None:
        raise InputError("the instance has no link:schemaRef")
    href = el.get(f"{{{XLINK}}}href", "")
    m = _FWS_RE.match(href)
    if not m:
        return SchemaRefInfo(href, None, None)
    return SchemaRefInfo(href, m.group("fw"), m.group("model"))


def retarget_framework(tree: etree._ElementTree, framework: str) -> tuple[etree._ElementTree, list[str]]:
    """Return a copy of ``tree`` using ``framework`` for its schemaRef and enumeration namespaces
    (``tree`` itself when it already uses ``framework``: nothing to copy).

    The second value lists what changed, e.g. ``["schemaRef fws/23.0 -> fws/22.19",
    "namespace .../23.0/enum/lgf-enum -> .../22.19/enum/lgf-enum"]`` (empty when nothing did).
    """
    root = tree.getroot()
    changes: list[str] = []
    ns_map: dict[str, str] = {}
    for uri in set(root.nsmap.values()) | {etree.QName(el).namespace for el in root.iter() if isinstance(el.tag, str)}:
        if not uri:
            continue
        m = _ENUM_RE.match(uri)
        if m and m.group("fw") != framework:
            ns_map[uri] = f"{m.group('base')}{framework}{m.group('rest')}"
    ref = root.find(f"{{{LINK}}}schemaRef")
    m = _FWS_RE.match(ref.get(f"{{{XLINK}}}href", "")) if ref is not None else None
    if not ns_map and (m is None or m.group("fw") == framework):
        return tree, changes  # already in ``framework``: nothing to rebuild
    new_nsmap = {p: ns_map.get(u, u) for p, u in root.nsmap.items()}
    new_root = etree.Element(_retag(root.tag, ns_map), attrib=dict(root.attrib), nsmap=new_nsmap)
    new_root.text = root.text
    if root.sourceline and root.sourceline <= _MAX_SETTABLE_LINE:
        new_root.sourceline = root.sourceline
    # Rebuilt element by element (a deep copy would carry every inherited declaration, among them
    # the old enumeration namespaces, onto each fact).  Declarations an element makes itself are
    # kept (moved if versioned): prefixes used only inside QName values (dimension="dim:bas",
    # member and enumeration values, unit measures) must stay declared.  Source lines are kept.
    _rebuild(root, new_root, ns_map)
    for old, new in sorted(ns_map.items()):
        changes.append(f"namespace {old} -> {new}")
    ref = new_root.find(f"{{{LINK}}}schemaRef")
    if ref is not None:
        href = ref.get(f"{{{XLINK}}}href", "")
        m = _FWS_RE.match(href)
        if m and m.group("fw") != framework:
            ref.set(f"{{{XLINK}}}href", f"{m.group('base')}{framework}{m.group('rest')}")
            changes.insert(0, f"schemaRef fws/{m.group('fw')} -> fws/{framework}")
    return etree.ElementTree(new_root), changes


def _rebuild(src: etree._Element, dst: etree._Element, ns_map: dict[str, str]) -> None:
    from copy import copy

    inherited = src.nsmap  # lxml computes nsmap on each access: once per parent, not per prefix
    for ch in src:
        if isinstance(ch.tag, str):
            local = {p: ns_map.get(u, u) for p, u in ch.nsmap.items() if inherited.get(p) != u}
            n = etree.SubElement(dst, _retag(ch.tag, ns_map), attrib=dict(ch.attrib), nsmap=local or None)
            n.text = ch.text
            if ch.sourceline and ch.sourceline <= _MAX_SETTABLE_LINE:
                n.sourceline = ch.sourceline
            _rebuild(ch, n, ns_map)
        else:
            n = copy(ch)
            dst.append(n)
        n.tail = ch.tail


def _retag(tag: str, ns_map: dict[str, str]) -> str:
    if tag.startswith("{"):
        ns, local = tag[1:].split("}", 1)
        if ns in ns_map:
            return f"{{{ns_map[ns]}}}{local}"
    return tag
