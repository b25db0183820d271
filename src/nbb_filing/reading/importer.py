"""``nbb-filing import``: an NBB filing turned back into a dossier (YAML) and its documents (PDF).

Where each fact goes is not decided here: the generator's own table
(``data/dossier-datapoints.yaml``, :func:`nbb_filing.filing.facts.load_table`) says which datapoint each
dossier field is written to, so the importer simply runs that table backwards.  A fact lands in:

* a dossier field, when the table names its datapoint (identification, addresses, people and their
  mandates or missions, participations, documents).  People are told apart by the typed-dimension
  values of their facts (their names), exactly as the generator writes them;
* ``figures:``, for every other amount: by rubric code when that leads the generator back to the
  very cell (:func:`nbb_filing.reading.previous.figure_code`), else by datapoint key;
* ``datapoint_facts:``, by datapoint key with its typed-dimension values, for the rest (notes per
  typed row, texts and dates of notes, extra documents as files, amounts stated as an explicit 0);
* the list of facts not imported, with the reason, for what no dossier can carry (nil facts,
  facts the installed package has no datapoint for ...).  Nothing is dropped silently.

Then the importer checks its own work: it loads the written dossier, binds it to facts with the
generator's :func:`nbb_filing.filing.facts.build_facts` (no file written) and compares that set of facts
with the filing's (:meth:`nbb_filing.reading.reader.FilingFacts.as_set`).  The differences, if any, are part
of the result, so the user knows before running ``generate`` whether the round trip is exact.
"""

from __future__ import annotations

import base64
import binascii
import os
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from nbb_filing.core.atomic import write_atomic
from nbb_filing.core.errors import InputError, NbbFilingError
from nbb_filing.core.pydantic_errors import one_line
from nbb_filing.core.yaml_lines import comment_text
from nbb_filing.filing.dossier import LANGUAGES, Dossier, dossier_to_yaml, load_dossier
from nbb_filing.reading.reader import (
    FilingFacts,
    ReadFact,
    canonical_decimal,
    normalise_value,
    read_facts,
)
from nbb_filing.taxonomy.catalog import Catalog, MetricType
from nbb_filing.taxonomy.packages import PackageInfo

DOSSIER_NAME = "dossier.yaml"


@dataclass(frozen=True)
class ImportResult:
    """What ``import`` wrote and what it could not carry over."""

    dossier_path: Path
    documents: tuple[Path, ...]  # PDFs written beside the dossier
    filing: FilingFacts
    imported: int  # facts of the filing carried into the dossier
    not_imported: tuple[str, ...]  # facts of the filing the dossier cannot hold, with the reason
    remarks: tuple[str, ...]  # things the user should know (renumbering, framework moved ...)
    round_trip: tuple[str, ...] | None  # differences generate would make ("-"/"+" lines); None: not checked
    round_trip_error: str | None = None  # why the check could not run (e.g. totals that do not tie out)

    @property
    def exact(self) -> bool:
        return self.round_trip == () and not self.not_imported


# ====================================================================== the table, backwards


@dataclass(frozen=True)
class _Slot:
    role: str
    group: str  # field | address | address_type | mandate | missions | holding
    name: str
    fixed: str | None  # fixed value the generator writes (identifier type, address type)
    index: str | None  # typed dimension numbering repeated items


def _slots(catalog: Catalog, table: Any) -> dict[str, _Slot]:
    from nbb_filing.filing.binding import resolve_field

    out: dict[str, _Slot] = {}

    def add(role: Any, group: str, f: Any, typed: tuple[str, ...], index: str | None = None) -> None:
        dp = resolve_field(catalog, f, typed)
        if dp is not None:
            name = f.name.split(".", 1)[1] if group == "address" else f.name
            out.setdefault(dp.key, _Slot(role.name, group, name, f.value, index))

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


def _percent(fraction: Decimal) -> Decimal:
    """0.0014 (the NBB's fraction) -> 0.14 (the dossier's percent), without trailing zeros."""
    return Decimal(canonical_decimal(fraction * 100))


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


class _Collector:
    def __init__(self, filing: FilingFacts, table: Any) -> None:
        self.filing = filing
        self.catalog = filing.catalog
        self.table = table
        self.slots = _slots(self.catalog, table)
        self.not_imported: list[str] = []
        self.remarks: list[str] = []
        self.files: dict[str, bytes] = {}
        self.filing_fields: dict[str, Any] = {}
        self.entity: dict[str, Any] = {}
        self.entity_address: dict[str, Any] = {}
        # (role, identity) -> person parts; identity = typed values of the role's name dimensions
        self.people: dict[tuple[str, tuple], dict[str, Any]] = {}
        self.figures: dict[str, dict[str, Decimal]] = {}
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
        role = self.table.roles[role_name]
        tv = dict(f.typed_values)
        ident = tuple((attr, tv.get(dim, "")) for attr, dim in role.typed)
        return self.people.setdefault((role_name, ident), {"names": dict(ident), "fields": {}, "address": {}, "items": {}})

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

    def document(self, f: ReadFact, value: str) -> bytes | None:
        """The bytes of an embedded document, or None (the fact skipped) when it is not base64."""
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            self.skip(f, "the document is not valid base64")
            return None

    def extra(self, f: ReadFact, mt: MetricType) -> None:
        """A fact no dossier field holds: to ``datapoint_facts:`` by key (documents as files)."""
        entry: dict[str, Any] = {"datapoint": f.key}
        if f.typed_values:
            entry["typed"] = dict(f.typed_values)
        value = f.value or ""
        if mt.kind == "base64":
            data = self.document(f, value)
            if data is None:
                return
            if not data.startswith(b"%PDF"):
                self.skip(f, "the embedded document is not a PDF (the dossier takes PDF files)")
                return
            fname = f"document-line{f.source_line}.pdf"
            self.files[fname] = data
            entry["file"] = fname
        else:
            entry["value"] = _py(mt, value)
        self.extras.append(entry)
        self.imported += 1

    def slot(self, slot: _Slot, f: ReadFact, mt: MetricType) -> None:
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
                data = self.document(f, value)
                if data is None:
                    return
                if not data.startswith(b"%PDF"):
                    self.skip(f, "the embedded document is not a PDF (the dossier takes PDF or text files)")
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

    # ------------------------------------------------------------------ assembling
    def address(self, parts: dict[str, tuple], where: str) -> dict[str, Any] | None:
        if not parts:
            return None
        out: dict[str, Any] = {}
        for k in ("street", "number", "box"):
            if k in parts:
                out[k] = parts[k][0]
        if "postal_code" in parts:
            _, mt, qname = parts["postal_code"]
            out["postal_code"] = parts["postal_code"][0]
            ev = mt.enum_value(qname)
            # a Belgian address names its town through the postal-code list; the dossier wants a city
            out["city"] = ev.label(self.lang) if ev else qname
        if "postal_code_other" in parts:
            out["postal_code"] = parts["postal_code_other"][0]
        if "city_other" in parts:
            out["city"] = parts["city_other"][0]
        if "country" in parts:
            out["country"] = parts["country"][0]
        return out

    @property
    def lang(self) -> str:
        return self.filing.language if self.filing.language in LANGUAGES else "fr"

    def person_data(self, role_name: str, p: dict[str, Any]) -> dict[str, Any]:
        kind = "legal" if role_name.endswith("_legal") else "natural"
        data: dict[str, Any] = {"kind": kind}
        data.update({k: v for k, v in p["names"].items() if v})
        for k in ("profession", "membership_number", "enterprise_number"):
            if k in p["fields"]:
                data[k] = p["fields"][k]
        addr = self.address(p["address"], role_name)
        if addr:
            data["address"] = addr
        items = p["items"]
        mandates = sorted(((int(i) if str(i).isdigit() else 0, i, v) for (g, i), v in items.items() if g == "mandate"))
        missions = sorted(((int(i) if str(i).isdigit() else 0, i, v) for (g, i), v in items.items() if g == "missions"))
        if mandates:
            consecutive = [i for _, i, _ in mandates] == [str(n) for n in range(1, len(mandates) + 1)]
            # the filing's row ids are kept where generate's default (1, 2 ...) would change them
            data["mandates"] = [v if consecutive else {**v, "row": str(i)} for _, i, v in mandates]
        if missions:
            data["missions"] = [v["missions"] if "missions" in v else next(iter(v.values())) for _, _, v in missions]
        for label, seq in (("missions", missions),):
            numbers = [i for _, i, _ in seq]
            if numbers and numbers != [str(n) for n in range(1, len(numbers) + 1)]:
                who = data.get("name") or f"{data.get('first_name', '')} {data.get('last_name', '')}".strip()
                self.remarks.append(f"{who}: {label} numbered {', '.join(numbers)} in the filing are renumbered 1..{len(numbers)}")
        return data

    def dossier_data(self) -> dict[str, Any]:
        ff = self.filing_fields
        data: dict[str, Any] = {"schema_version": 1, "model": self.filing.model, "language": self.lang}
        entity = {k: self.entity[k] for k in ("name", "legal_form") if k in self.entity}
        addr = self.address(self.entity_address, "entity")
        if addr:
            entity["address"] = addr
        for k in ("enterprise_number", "email", "website"):
            if k in self.entity:
                entity[k] = self.entity[k]
        if "enterprise_number" not in entity and self.filing.entity_identifier:
            entity["enterprise_number"] = self.filing.entity_identifier
        if "court" in ff:
            entity["court"] = ff["court"]
        if "deed_filing_date" in ff:
            entity["deed_filing_date"] = ff["deed_filing_date"]
        data["entity"] = entity
        if "exercise_start" in ff or "exercise_end" in ff:
            data["exercise"] = {"start": ff.get("exercise_start"), "end": ff.get("exercise_end")}
        if "previous_exercise_start" in ff or "previous_exercise_end" in ff:
            data["previous_exercise"] = {"start": ff.get("previous_exercise_start"), "end": ff.get("previous_exercise_end")}
        if "general_meeting" in ff:
            data["general_meeting"] = ff["general_meeting"]
        for k in ("previous_amounts_identical", "in_liquidation"):
            if k in ff:
                data[k] = ff[k]
        groups: dict[str, list] = {"director": [], "auditor": [], "accountant": []}
        legal_by_name: dict[tuple[str, str], dict] = {}
        reps = []
        for (role_name, _), p in self.people.items():
            if "_" not in role_name:  # participations, assembled below
                continue
            prefix, kind = role_name.rsplit("_", 1)
            if kind == "representative":
                reps.append((prefix, p))
                continue
            pdata = self.person_data(role_name, p)
            groups.setdefault(prefix, []).append(pdata)
            if kind == "legal":
                legal_by_name[(prefix, str(pdata.get("name")))] = pdata
        for prefix, p in reps:
            names = p["names"]
            owner = legal_by_name.get((prefix, str(names.get("name"))))
            rep = {k: names[k] for k in ("first_name", "last_name") if names.get(k)}
            for k in ("profession", "membership_number"):
                if k in p["fields"]:
                    rep[k] = p["fields"][k]
            addr = self.address(p["address"], prefix)
            if addr:
                rep["address"] = addr
            if owner is None:
                self.remarks.append(f"representative {rep} of {names.get('name')!r}: no such legal person in the filing; left out")
                continue
            owner["representative"] = rep
        if groups["director"]:
            data["directors"] = groups["director"]
        if groups["auditor"]:
            data["auditors"] = groups["auditor"]
        if "accountant_declaration" in ff or groups["accountant"]:
            decl: dict[str, Any] = {"declared": ff.get("accountant_declaration", True)}
            if groups["accountant"]:
                decl["accountants"] = groups["accountant"]
            data["accountant_declaration"] = decl
        parts = [p for (r, _), p in self.people.items() if r == "participation"]
        if parts:
            data["participations"] = [self.participation(p) for p in parts]
        self.place_figures()
        if self.figures:
            data["figures"] = {code: dict(periods) for code, periods in self.figures.items()}
        for name, doc in self.documents.items():
            data[name] = doc
        if self.extras:
            data["datapoint_facts"] = self.extras
        return data

    def place_figures(self) -> None:
        """Amounts to ``figures:``: by rubric code where the generator gets back to the very cells, else by key."""
        from nbb_filing.reading.previous import same_column_cells

        for (code, period), facts in self.numeric.items():
            by_key = "[" in code
            if not by_key:
                cells = same_column_cells(self.catalog, code, period) or [self.catalog.lookup(code, period)]
                # one code fills every same-column cell: only right when the filing has them all, equal
                by_key = len(facts) != len(cells) or len({f.value for f in facts}) != 1
            if Decimal(facts[0].value or "0") == 0 and not by_key:
                by_key = True  # generate leaves zero figures out; explicit zeros go by key below
            for f in facts[:1] if not by_key else facts:
                amount = Decimal(f.value or "0")
                if amount == 0:
                    # figures: equal to zero are not written (an absent rubric reads as zero), so
                    # a zero the filing states explicitly is kept as a datapoint fact
                    self.extras.append({"datapoint": f.key, "value": amount})
                    continue
                self.figures.setdefault(f.key if by_key else code, {})[period] = amount

    def participation(self, p: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"name": p["names"].get("name")}
        for k in ("enterprise_number", "legal_form", "accounts_date", "equity", "result"):
            if k in p["fields"]:
                out[k] = p["fields"][k]
        if "currency" in p["fields"]:
            out["currency"] = p["fields"]["currency"]
        addr = self.address(p["address"], "participation")
        if addr and set(addr) == {"country"}:
            out["country"] = addr["country"]  # only the country cell: what generate writes for country: alone
        elif addr:
            out["address"] = addr
        holdings = [(i, v) for (g, i), v in sorted(p["items"].items()) if g == "holding"]
        if holdings:
            row, h = holdings[0]
            if row and row != "1":
                out["row"] = str(row)  # the filing's row id (dim:open), kept for an exact round trip
            if len(holdings) > 1:
                self.remarks.append(f"participation {out['name']!r}: only the first of {len(holdings)} holdings is kept")
            if "nature" in h:
                out["nature"] = h["nature"]
            if "shares_held" in h:
                out["shares_held"] = int(h["shares_held"])
            # the NBB metric is a fraction 0..1; the dossier states percentages
            out["held_directly_pct"] = _percent(h.get("held_directly_pct", Decimal(0)))
            if "held_by_subsidiaries_pct" in h:
                out["held_by_subsidiaries_pct"] = _percent(h["held_by_subsidiaries_pct"])
        return out


# ====================================================================== entry points


def dossier_from_filing(filing: FilingFacts) -> tuple[dict[str, Any], dict[str, bytes], list[str], list[str], int]:
    """The dossier data (plain YAML-able dict), documents by file name, not-imported, remarks, count."""
    from nbb_filing.filing.binding import load_table

    c = _Collector(filing, load_table())
    for f in filing.facts:
        c.take(f)
    data = c.dossier_data()
    not_imported = [f"line {u.source_line}: {u.describe().split(': ', 1)[1]}" for u in filing.unresolved] + c.not_imported
    remarks = list(filing.problems) + list(c.remarks)
    if filing.retargeted:
        remarks.insert(0, f"filing made with framework {filing.framework}, read with the installed {filing.catalog.framework}")
    return data, c.files, not_imported, remarks, c.imported




def _header(filing: FilingFacts, not_imported: list[str], remarks: list[str]) -> str:
    lines = [
        f"# Imported by nbb-filing from {filing.path.name} (model {filing.model}, framework {filing.framework},",
        f"# closing date {filing.closing_date}); {len(filing.facts) + len(filing.unresolved)} facts in the filing.",
    ]
    if not_imported:
        lines.append(f"# {len(not_imported)} fact(s) NOT imported (the dossier cannot hold them):")
        lines += [f"#   {x}" for x in not_imported]
    if remarks:
        lines.append("# Remarks:")
        lines += [f"#   {x}" for x in remarks]
    # text from the filing (names, values, its framework) must not end a comment line early
    return "\n".join(comment_text(x) for x in lines) + "\n"


def import_filing(
    filing_path: str | os.PathLike,
    out_dir: str | os.PathLike,
    package: PackageInfo,
    *,
    force: bool = False,
    check_round_trip: bool = True,
) -> ImportResult:
    """Read ``filing_path`` and write ``out_dir/dossier.yaml`` (+ PDFs); see the module docstring.

    Refuses to overwrite an existing dossier unless ``force``.  Everything is validated before the
    first byte is written; each file is written to a temporary name and renamed.
    """
    filing = read_facts(filing_path, package)
    out = Path(out_dir)
    target = out / DOSSIER_NAME
    if target.exists() and not force:
        raise InputError(f"{target} already exists (use --force to overwrite it)")
    data, files, not_imported, remarks, count = dossier_from_filing(filing)
    try:
        dossier = Dossier.model_validate(data)
    except ValidationError as e:
        raise InputError(
            f"cannot make a dossier from this filing: {one_line(e, str(filing.path))} "
            "(the filing lacks something every dossier needs)"
        ) from None
    text = _header(filing, not_imported, remarks) + dossier_to_yaml(dossier)
    try:
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, blob in files.items():
            write_atomic(out / name, blob)
            written.append(out / name)
        write_atomic(target, text.encode("utf-8"))
    except OSError as e:
        raise InputError(f"{out}: cannot write ({e.strerror or e})") from None
    diff: tuple[str, ...] | None = None
    error: str | None = None
    if check_round_trip:
        try:
            diff = tuple(round_trip_differences(target, filing))
        except NbbFilingError as e:
            error = str(e)
    return ImportResult(target, tuple(written), filing, count, tuple(not_imported), tuple(remarks), diff, error)


def generated_set(dossier_path: Path, catalog: Catalog) -> set[tuple[str, tuple, str | None]]:
    """The ``(datapoint, typed values, value)`` set generate would write for a dossier (no file written)."""
    from nbb_filing.filing.facts import build_facts
    from nbb_filing.filing.instance import format_value

    dossier = load_dossier(dossier_path)
    factset = build_facts(catalog, dossier, None)
    out = set()
    for f in factset.facts:
        mt = catalog.metric_type(f.datapoint)
        text = format_value(mt, f.value)
        out.add((f.datapoint.key, f.typed, normalise_value(catalog, f.datapoint.metric, text)))
    return out


def round_trip_differences(dossier_path: Path, filing: FilingFacts) -> list[str]:
    """``-`` lines: facts of the filing generate would not write; ``+``: facts it would add."""
    from nbb_filing.reading.reader import diff_sets

    return diff_sets(filing.as_set(), generated_set(dossier_path, filing.catalog))
