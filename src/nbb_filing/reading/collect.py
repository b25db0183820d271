"""``nbb-filing import``, first half: each fact of the filing sorted into the dossier part it belongs to.

The generator's table (``data/dossier-datapoints.yaml``) is run backwards: :func:`slots` says, per
datapoint key, which dossier field the generator writes there.  :class:`Collector` then takes the
filing's facts one by one and files each under identification, a person (told apart by the
typed-dimension values of the fact, as the generator writes them), a document, an amount waiting
for ``figures:`` or a ``datapoint_facts:`` entry, or lists it as not imported with the reason.

What may surprise: a slot with a fixed value (the identifier type, the address type) holds nothing
of the dossier's, since the generator writes it whenever its owner is written; a different value
there cannot be carried over.  Amounts are only gathered here; whether they go by rubric code or
by datapoint key is decided once all of them are known (:mod:`nbb_filing.reading.assemble`).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from nbb_filing.reading.reader import FilingFacts, ReadFact
from nbb_filing.taxonomy.catalog import Catalog, MetricType


@dataclass(frozen=True)
class Slot:
    """The dossier field the generator writes a datapoint from."""

    role: str
    group: str  # field | address | address_type | mandate | missions | holding
    name: str
    fixed: str | None  # fixed value the generator writes (identifier type, address type)
    index: str | None  # typed dimension numbering repeated items


def slots(catalog: Catalog, table: Any) -> dict[str, Slot]:
    """The generator's table backwards: datapoint key -> the dossier field written there."""
    from nbb_filing.filing.binding import resolve_field

    out: dict[str, Slot] = {}

    def add(role: Any, group: str, f: Any, typed: tuple[str, ...], index: str | None = None) -> None:
        dp = resolve_field(catalog, f, typed)
        if dp is not None:
            name = f.name.split(".", 1)[1] if group == "address" else f.name
            out.setdefault(dp.key, Slot(role.name, group, name, f.value, index))

    for role in table.roles.values():
        base = tuple(d for _, d in role.typed)
        for f in role.fields:
            add(role, "field", f, base)
        for f in role.address:
            add(role, "address", f, base)
        if role.address_type is not None:
            add(role, "address_type", role.address_type, base)
        for group, ix in (("mandate", role.mandate), ("missions", role.missions), ("holding", role.holding)):
            if ix is not None:
                for f in ix.fields:
                    add(role, group, f, base + (ix.index,), ix.index)
    return out


def _enum_text(mt: MetricType, qname: str) -> str:
    """The shortest text the generator maps back to ``qname``: the code (``706``), else the QName."""
    from nbb_filing.taxonomy.values import match_enum

    local = qname.split(":", 1)[1]
    code = local[1:] if local.startswith("m") else local
    return code if code and match_enum(mt, code) == qname else qname


def _py(mt: MetricType, value: str) -> Any:
    if mt.kind == "date":
        try:
            return date.fromisoformat(value)
        except ValueError:  # e.g. a time-zoned xs:date: left as text, the dossier check names it
            return value
    if mt.kind == "boolean":
        return value == "true"
    if mt.numeric:
        return Decimal(value)
    if mt.kind == "enum":
        return _enum_text(mt, value)
    return value


class Collector:
    """The facts of one filing, sorted into dossier parts (see the module docstring)."""

    def __init__(self, filing: FilingFacts, table: Any) -> None:
        self.filing = filing
        self.catalog = filing.catalog
        self.table = table
        self.slots = slots(self.catalog, table)
        # the dossier's note blocks (contributions, shareholders, auditor's report ...): their roles
        # are collected like people, by the typed values of each fact (reading.assemble_notes)
        from nbb_filing.filing.notes.dossier_blocks import load_notes_table

        self.note_table = load_notes_table().import_table(self.catalog)
        for key, slot in slots(self.catalog, self.note_table).items():
            self.slots.setdefault(key, slot)
        self.not_imported: list[str] = []
        self.remarks: list[str] = []
        self.files: dict[str, bytes] = {}
        self.filing_fields: dict[str, Any] = {}
        self.entity: dict[str, Any] = {}
        self.entity_address: dict[str, Any] = {}
        # (role, identity) -> person parts; identity = typed values of the role's name dimensions
        self.people: dict[tuple[str, tuple], dict[str, Any]] = {}
        self.numeric: dict[tuple[str, str], list[ReadFact]] = {}  # (rubric code or key, period) -> facts
        self.extras: list[dict[str, Any]] = []  # datapoint_facts entries
        self.documents: dict[str, dict[str, str]] = {}
        self.imported = 0
        self.seen: dict[tuple, ReadFact] = {}

    # ------------------------------------------------------------------ helpers
    def skip(self, f: ReadFact, reason: str) -> None:
        dp = f.datapoint
        what = f"rubric {dp.rubric} ({dp.period} year)" if dp.rubric else dp.path_label("en")
        typ = ", ".join(f"{d}={v!r}" for d, v in f.typed_values)
        shown = f.value if f.value is None or len(f.value) <= 50 else f.value[:47] + "..."
        self.not_imported.append(
            f"line {f.source_line}: {what} = {shown!r} ({dp.key}{'; ' + typ if typ else ''}): {reason}"
        )

    def person(self, role_name: str, f: ReadFact) -> dict[str, Any]:
        role = self.table.roles.get(role_name) or self.note_table.roles[role_name]
        tv = dict(f.typed_values)
        ident = tuple((attr, tv.get(dim, "")) for attr, dim in role.typed)
        return self.people.setdefault(
            (role_name, ident), {"names": dict(ident), "fields": {}, "address": {}, "items": {}}
        )

    # ------------------------------------------------------------------ one fact
    def take(self, f: ReadFact) -> None:
        dp = f.datapoint
        first = self.seen.setdefault(f.identity(), f)
        if first is not f:
            if first.value == f.value:
                self.remarks.append(f"line {f.source_line}: repeats the fact of line {first.source_line} (kept once)")
                self.imported += 1
            else:
                self.skip(f, f"a second, different value for the fact of line {first.source_line} (the first is kept)")
            return
        if f.value is None:
            self.skip(f, "nil fact (the dossier has no way to write an explicit nil)")
            return
        mt = self.catalog.metric_type(dp)
        slot = self.slots.get(dp.key)
        if slot is not None:
            self.slot(slot, f, mt)
            return
        if mt.numeric and not f.typed_values:
            from nbb_filing.reading.previous import figure_code

            period = dp.period if dp.period in ("current", "previous") else "current"
            self.numeric.setdefault((figure_code(self.catalog, dp), period), []).append(f)
            self.imported += 1
            return
        self.extra(f, mt)

    def pdf(self, f: ReadFact, value: str, takes: str) -> bytes | None:
        """The bytes of an embedded PDF, or None (the fact skipped, saying the dossier ``takes``
        what) when it is not base64 or not a PDF."""
        try:
            data = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            self.skip(f, "the document is not valid base64")
            return None
        if not data.startswith(b"%PDF"):
            self.skip(f, f"the embedded document is not a PDF (the dossier takes {takes})")
            return None
        return data

    def extra(self, f: ReadFact, mt: MetricType) -> None:
        """A fact no dossier field holds: to ``datapoint_facts:`` by key (documents as files)."""
        entry: dict[str, Any] = {"datapoint": f.key}
        if f.typed_values:
            entry["typed"] = dict(f.typed_values)
        value = f.value or ""
        if mt.kind == "base64":
            data = self.pdf(f, value, "PDF files")
            if data is None:
                return
            fname = f"document-line{f.source_line}.pdf"
            self.files[fname] = data
            entry["file"] = fname
        else:
            entry["value"] = _py(mt, value)
        self.extras.append(entry)
        self.imported += 1

    def slot(self, slot: Slot, f: ReadFact, mt: MetricType) -> None:
        value = f.value or ""
        if slot.fixed is not None:
            if value != slot.fixed:
                self.skip(f, f"generate always writes {slot.fixed} here")
            else:
                self.imported += 1  # implied by the dossier (written whenever its owner is)
            return
        if slot.role == "filing":
            if slot.name == "corrective_filing" and value != "false":
                self.skip(f, "a corrective filing cannot be expressed in a dossier (generate writes 'false')")
                return
            self.filing_fields[slot.name] = _py(mt, value)
        elif slot.role == "entity":
            if slot.group == "address":
                self.entity_address[slot.name] = (_py(mt, value), mt, value)
            else:
                self.entity[slot.name] = _py(mt, value)
        elif slot.role == "documents":
            if mt.kind == "base64":
                data = self.pdf(f, value, "PDF or text files")
                if data is None:
                    return
                name = slot.name.rsplit("_", 1)[0]
                fname = name.replace("_", "-") + ".pdf"
                self.files[fname] = data
                self.documents[name] = {"file": fname}
            else:
                self.documents[slot.name.rsplit("_", 1)[0]] = {"text": value}
        else:
            p = self.person(slot.role, f)
            if slot.group == "field":
                p["fields"][slot.name] = _py(mt, value)
            elif slot.group == "address":
                p["address"][slot.name] = (_py(mt, value), mt, value)
            else:
                index = dict(f.typed_values).get(slot.index or "", "")
                item = p["items"].setdefault((slot.group, index), {})
                item[slot.name] = _py(mt, value)
        self.imported += 1
