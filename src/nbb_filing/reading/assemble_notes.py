"""``nbb-filing import``: the note blocks (contributions or capital, shareholders, auditor's report,
consolidation, commitments, other information) put back together from the collected facts.

The collector (:mod:`nbb_filing.reading.collect`) has gathered the cells of each role of
``data/dossier-notes.yaml`` by the typed values of the facts, as it does for people; here each
role's item goes back to the block the role reads (``at``), lists ordered by their row number.

What may surprise: the NBB files percentages as fractions (the dossier states percents); the row
numbers of the lists (typed dimension ``dim:open``) are not kept, generate numbers rows 1, 2 ...
again; an embedded auditor's report becomes ``auditor-report.pdf`` beside the dossier.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from nbb_filing.filing.notes.dossier_blocks import BLOCKS, load_notes_table
from nbb_filing.reading.collect import Collector
from nbb_filing.reading.reader import canonical_decimal

#: Fields the NBB files as fractions and the dossier states in percent.
PERCENT = frozenset({"percent"})


def _plain(catalog: Any, metric: str, value: Any) -> Any:
    """Numbers of count metrics (shares, voting rights) as int; amounts keep their Decimal."""
    mt = catalog.metrics.get(metric)
    if isinstance(value, Decimal) and mt is not None and mt.kind in ("shares", "integer"):
        return int(value)
    return value


def _row(index: str) -> tuple[int, str]:
    return (int(index), index) if index.isdigit() else (0, index)


def note_blocks_data(c: Collector, address: Callable[[dict[str, tuple]], dict[str, Any] | None]) -> dict[str, Any]:
    """The note blocks of the filing (``{"commitments": {...}, "shareholders": [...]}``), ready for
    the dossier; ``address`` turns collected address cells into the dossier's address."""
    notes = load_notes_table()
    catalog = c.catalog
    data: dict[str, Any] = {}
    lists: dict[tuple[str, ...], list[tuple[tuple[int, str], dict[str, Any]]]] = {}
    for (role_name, _), p in c.people.items():
        role = notes.roles.get(role_name)
        if role is None or role_name not in c.note_table.roles:
            continue
        spec = role.spec
        metrics = {f.name: f.metric for f in spec.fields}
        item: dict[str, Any] = {}
        names = dict(p["names"])
        index = str(names.pop("index", "") or "")
        if role.kind is not None:
            item["kind"] = role.kind
        item.update({k: v for k, v in names.items() if v})
        for name, value in p["fields"].items():
            if name == "file":
                item[name] = _document(c, value)
                if item[name] is None:
                    del item[name]
                continue
            item[name] = _plain(catalog, metrics.get(name, ""), value)
        addr = address(p["address"])
        if addr:
            item["address"] = addr
        if spec.holding is not None:
            hmetrics = {f.name: f.metric for f in spec.holding.fields}
            rows = sorted(((_row(str(i)), v) for (g, i), v in p["items"].items() if g == "holding"))
            holdings = []
            for _, h in rows:
                out = {}
                for k, v in h.items():
                    if k in PERCENT:
                        out[k] = Decimal(canonical_decimal(v * 100))
                    else:
                        out[k] = _plain(catalog, hmetrics.get(k, ""), v)
                holdings.append(out)
            if holdings:
                item["holdings"] = holdings
        if role.many:
            lists.setdefault(role.at, []).append((_row(index), item))
        else:
            _merge(data, role.at, item)
    for path, entries in lists.items():
        ordered = [it for _, it in sorted(entries, key=lambda e: e[0])] if all(k[1] for k, _ in entries) else None
        _merge(data, path, ordered if ordered is not None else [it for _, it in entries])
    return {k: data[k] for k in BLOCKS if k in data}


def _merge(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    """Put ``value`` at ``path`` in ``data``, merging dictionaries a sub-block shares with its block."""
    node = data
    for key in path[:-1]:
        node = node.setdefault(key, {})
    last = path[-1]
    if isinstance(value, dict) and isinstance(node.get(last), dict):
        node[last].update(value)
    else:
        node[last] = value


def _document(c: Collector, value: Any) -> str | None:
    """The embedded auditor's report, written beside the dossier (``None``: not a base64 PDF)."""
    try:
        data = base64.b64decode(str(value), validate=True)
    except (binascii.Error, ValueError):
        c.remarks.append("the auditor's report document is not valid base64; left out")
        return None
    if not data.startswith(b"%PDF"):
        c.remarks.append("the auditor's report document is not a PDF; left out")
        return None
    c.files["auditor-report.pdf"] = data
    return "auditor-report.pdf"
