"""From a dossier and rubric figures to facts bound to the datapoints of one model.

Two sources feed the facts:

* the dossier's identification, people, notes and documents, placed by the declarative table
  ``data/dossier-datapoints.yaml`` (dictionary metric + members per dossier field), which is
  checked against the catalog here, so a package that lacks a datapoint fails with a clear message
  instead of producing an instance Arelle would reject;
* rubric figures, from the mapping (trial balances) and from the dossier (``figures:`` and
  ``appropriation:``), placed by rubric code and period with :meth:`Catalog.lookup`.

Rules enforced here, each with a one-line error naming the rubric or field and its source:
no two facts for one datapoint (``figures:`` repeating a mapped rubric is refused); every rubric
figure must have a datapoint in the model and fit its type (a negative amount on a non-negative
datapoint is refused, never clipped or dropped); every enumeration value must be in the package's
list for that datapoint.  The appropriation account is the exception to "no two sources": it states
what the general meeting decided, so where it names a rubric the balance sheet already carries
(e.g. 14, profit carried forward) the two must agree to the cent and one fact is written.

Figures equal to zero are not written (an absent rubric reads as zero at the NBB); the count is
reported in :attr:`FactSet.left_out`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable, Mapping

from nbb_filing.books.figures import RubricFigures
from nbb_filing.core.data_files import load_data_yaml
from nbb_filing.core.errors import (
    FindingsError,
    InputError,
    NbbFilingError,
    RubricNotFound,
)
from nbb_filing.filing.dossier import Dossier
from nbb_filing.filing.dossier_parts import Address, Person
from nbb_filing.taxonomy.catalog import Catalog, Datapoint, MetricType
from nbb_filing.taxonomy.values import check_value, match_enum

TABLE_FILE = "dossier-datapoints.yaml"
#: Characters that do not occur in a text document (NUL and other C0 controls but tab, LF, CR, FF).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


# =========================================================================== the datapoint table


@dataclass(frozen=True)
class FieldSpec:
    """Where one dossier field goes: metric and explicit members (role members merged in)."""

    name: str
    metric: str
    members: tuple[tuple[str, str], ...]
    value: str | None = None  # a fixed value (e.g. the "type of address" code)
    # other metrics holding the same cell in some models (the association models list directors'
    # functions in fct-enum:list2, the company models in fct-enum:list1); tried in order
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indexed:
    """Repeated items (mandates, missions, holdings) numbered by a typed dimension."""

    index: str
    fields: tuple[FieldSpec, ...]


@dataclass(frozen=True)
class RoleSpec:
    name: str
    members: tuple[tuple[str, str], ...]
    typed: tuple[tuple[str, str], ...]  # (person attribute, typed dimension)
    fields: tuple[FieldSpec, ...]
    address: tuple[FieldSpec, ...]
    address_type: FieldSpec | None
    mandate: Indexed | None
    missions: Indexed | None
    holding: Indexed | None

    def all_fields(self) -> Iterable[tuple[FieldSpec, tuple[str, ...]]]:
        """Every field with the typed dimensions its datapoint carries."""
        base = tuple(d for _, d in self.typed)
        for f in self.fields + self.address + ((self.address_type,) if self.address_type else ()):
            yield f, base
        for ix in (self.mandate, self.missions, self.holding):
            if ix is not None:
                for f in ix.fields:
                    yield f, base + (ix.index,)


@dataclass(frozen=True)
class DatapointTable:
    roles: Mapping[str, RoleSpec]
    rubrics: Mapping[str, str]
    checks: tuple[Mapping[str, Any], ...]

    def problems(self, catalog: Catalog) -> list[str]:
        """Entries that do not resolve in ``catalog``.

        A role is either wholly absent from a model (allowed: the model has no such table) or each
        of its fields must resolve, except the optional ``email``/``website`` cells.
        """
        out = []
        for role in self.roles.values():
            fields = list(role.all_fields())
            resolved = [(f, t, resolve_field(catalog, f, t)) for f, t in fields]
            if not any(dp for _, _, dp in resolved):
                if role.name in ("filing", "entity"):
                    out.append(f"role {role.name}: no datapoint of the role is in model {catalog.model}")
                continue
            for f, t, dp in resolved:
                if dp is None and f.name not in OPTIONAL_CELLS:
                    out.append(f"role {role.name}, field {f.name}: {_spec_text(f, t)} is not a datapoint of {catalog.model}")
        for role_name, code in self.rubrics.items():
            if not catalog.has_rubric(code):
                out.append(f"rubric {code} ({role_name}) is not in model {catalog.model}")
        return out


#: Cells a model may lack while having the rest of its role: the contact cells, and the management
#: body's declaration on verification missions, which the replica's association models (m04-f,
#: m05-f, m08-f) do not have.  A dossier value for a missing cell is reported as left out.
OPTIONAL_CELLS = frozenset({"email", "website", "accountant_declaration"})


def _spec_text(f: FieldSpec, typed: tuple[str, ...]) -> str:
    mem = ",".join(f"{d}={m}" for d, m in f.members)
    return f"{f.metric}[{mem}{'|' + ','.join(sorted(typed)) if typed else ''}]"


def resolve_field(catalog: Catalog, f: FieldSpec, typed: Iterable[str]) -> Datapoint | None:
    """The datapoint of field ``f`` in ``catalog``: its metric, else the first alternative the model has."""
    typed = tuple(typed)
    for metric in (f.metric,) + f.alternatives:
        dp = catalog.resolve(metric, f.members, typed)
        if dp is not None:
            return dp
    return None


def _field(name: str, raw: Mapping[str, Any], base: Mapping[str, str]) -> FieldSpec:
    if not isinstance(raw, Mapping) or "metric" not in raw:
        raise InputError(f"{TABLE_FILE}: entry {name!r} needs a metric")
    members = dict(base)
    members.update(raw.get("members") or {})
    alternatives = tuple(str(m) for m in raw.get("alternatives") or ())
    return FieldSpec(name, str(raw["metric"]), tuple(sorted(members.items())), raw.get("value"), alternatives)


def parse_table(data: Mapping[str, Any]) -> DatapointTable:
    """Build the :class:`DatapointTable` from the parsed YAML of ``dossier-datapoints.yaml``."""
    roles = {}
    for rname, r in (data.get("roles") or {}).items():
        base = r.get("members") or {}

        def indexed(block: Mapping[str, Any] | None, single: bool = False) -> Indexed | None:
            if not block:
                return None
            if single:
                return Indexed(block["index"], (_field(rname + ".missions", block["field"], base),))
            return Indexed(block["index"], tuple(_field(k, v, base) for k, v in block["fields"].items()))

        roles[rname] = RoleSpec(
            name=rname,
            members=tuple(sorted(base.items())),
            typed=tuple((k, v) for k, v in (r.get("typed") or {}).items()),
            fields=tuple(_field(k, v, base) for k, v in (r.get("fields") or {}).items()),
            address=tuple(_field("address." + k, v, base) for k, v in data["address"].items()) if r.get("address") else (),
            address_type=_field("address.type", data["address_type"], base) if r.get("address_type") else None,
            mandate=indexed(data["mandate"] if r.get("mandate") else None),
            missions=indexed(data["missions"] if r.get("missions") else None, single=True),
            holding=indexed(r.get("holding")),
        )
    return DatapointTable(roles, dict(data.get("rubrics") or {}), tuple(data.get("appropriation_checks") or ()))


@lru_cache(maxsize=1)
def load_table() -> DatapointTable:
    return parse_table(load_data_yaml(TABLE_FILE))


# =========================================================================== facts


def dossier_fields() -> dict[str, list[str]]:
    """List metric -> the generator's fields written with it (``entity.legal_form`` ...), from
    ``data/dossier-datapoints.yaml`` (role names are the generator's: ``filing.court`` is the
    dossier's ``entity.court``)."""
    table = load_table()
    out: dict[str, list[str]] = {}
    for role in table.roles.values():
        specs = list(role.fields) + list(role.address)
        for ix in (role.mandate, role.missions, role.holding):
            if ix is not None:
                specs += list(ix.fields)
        for f in specs:
            name = f.name if "." in f.name else f"{role.name}.{f.name}"
            names = out.setdefault(f.metric, [])
            if name not in names:
                names.append(name)
    return out


@dataclass(frozen=True)
class Fact:
    """One fact: a datapoint, its typed-dimension values and a Python value.

    ``value`` is a :class:`Decimal` (numbers), :class:`date`, :class:`bool`, :class:`bytes`
    (base64 documents), or :class:`str` (text, or an enumeration member QName such as
    ``lgf:m706``).  The instance writer formats it by the datapoint's type.
    """

    datapoint: Datapoint
    typed: tuple[tuple[str, str], ...]  # (typed dimension, value), sorted by dimension
    value: Any
    source: str

    @property
    def identity(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        return (self.datapoint.key, self.typed)


@dataclass(frozen=True)
class FactSet:
    facts: tuple[Fact, ...]
    left_out: tuple[str, ...]
    warnings: tuple[str, ...] = ()  # the filing is written, but the preparer should look (630 vs notes ...)


class _Builder:
    def __init__(self, catalog: Catalog, dossier: Dossier, table: DatapointTable) -> None:
        self.catalog = catalog
        self.dossier = dossier
        self.table = table
        self.facts: dict[tuple, Fact] = {}
        self.left_out: list[str] = []
        self.warnings: list[str] = []
        self.missing_roles: set[str] = set()
        # facts the dossier states that a previous filing may state too (previous-year social
        # balance sheet): the dossier's figure is kept, a different one is reported, not an error
        self.stated: set[tuple] = set()

    # ---------------------------------------------------------------- low level
    def add(self, dp: Datapoint, value: Any, source: str, typed: Iterable[tuple[str, str]] = ()) -> None:
        fact = Fact(dp, tuple(sorted(typed)), value, source)
        prev = self.facts.get(fact.identity)
        if prev is not None and fact.identity in self.stated:
            if prev.value != value:
                self.left_out.append(
                    f"{source} gives {value} for {dp.rubric or dp.label('en')}, {prev.source} gives {prev.value}; "
                    f"the dossier's figure is written"
                )
            return
        if prev is not None:
            raise InputError(
                f"two values for datapoint {dp.rubric or dp.label('en')} ({dp.key}): "
                f"from {prev.source} and from {source}; keep only one"
            )
        self.facts[fact.identity] = fact

    def check_value(self, dp: Datapoint, value: Any, where: str, what: str) -> None:
        mt = self.catalog.metric_type(dp)
        why = check_value(mt, value)
        if why:
            raise InputError(f"{where}: {what} {why}")

    def enum_value(self, mt: MetricType, given: str, where: str) -> str:
        """The member QName of ``given`` (QName, code or label) in the list of ``mt``."""
        found = match_enum(mt, given)
        if found is None:
            from nbb_filing.taxonomy.enum_lists import values_command

            raise InputError(
                f"{where}: {given!r} is not a value of the package list {mt.metric} ({len(mt.enum_values)} values: "
                f"code, QName or label; list them with `{values_command(mt.metric, self.catalog.model)}`)"
            )
        return found

    def put(self, role: RoleSpec, f: FieldSpec, typed: dict[str, str], value: Any, where: str) -> None:
        """Add the fact of field ``f`` of ``role`` (value converted per type), or note it as left out."""
        if value is None or value == "" or value == ():
            return
        dp = resolve_field(self.catalog, f, typed.keys())
        if dp is None:
            self.left_out.append(f"{where}: model {self.catalog.model} has no datapoint for {role.name}.{f.name}")
            return
        mt = self.catalog.metric_type(dp)
        if mt.kind == "enum":
            value = self.enum_value(mt, str(value), where)
        self.check_value(dp, value, where, f"value {_show(value)}")
        self.add(dp, value, where, typed.items())

    def role(self, name: str, where: str) -> RoleSpec | None:
        role = self.table.roles[name]
        if not any(resolve_field(self.catalog, f, t) for f, t in role.all_fields()):
            if name not in self.missing_roles:
                self.missing_roles.add(name)
                self.left_out.append(f"{where}: model {self.catalog.model} has no datapoints for {name.replace('_', ' ')}")
            return None
        return role

    # ---------------------------------------------------------------- dossier parts
    def filing(self) -> None:
        d = self.dossier
        role = self.table.roles["filing"]
        vals = {
            "exercise_start": (d.exercise.start, ("exercise", "start")),
            "exercise_end": (d.exercise.end, ("exercise", "end")),
            "previous_exercise_start": (d.previous_exercise.start if d.previous_exercise else None, ("previous_exercise", "start")),
            "previous_exercise_end": (d.previous_exercise.end if d.previous_exercise else None, ("previous_exercise", "end")),
            "general_meeting": (d.general_meeting, ("general_meeting",)),
            "deed_filing_date": (d.entity.deed_filing_date, ("entity", "deed_filing_date")),
            "court": (d.entity.court, ("entity", "court")),
            "previous_amounts_identical": (d.previous_amounts_identical if d.previous_exercise else None, ("previous_amounts_identical",)),
            "in_liquidation": (d.in_liquidation, ("in_liquidation",)),
            "corrective_filing": (False, ()),
            "accountant_declaration": (
                d.accountant_declaration.declared if d.accountant_declaration else None,
                ("accountant_declaration", "declared"),
            ),
        }
        for f in role.fields:
            value, loc = vals[f.name]
            self.put(role, f, {}, value, d.where(*loc))

    def entity(self) -> None:
        d = self.dossier
        role = self.table.roles["entity"]
        e = d.entity
        vals = {
            "enterprise_number": e.enterprise_number,
            "name": e.name,
            "legal_form": e.legal_form,
            "email": e.email,
            "website": e.website,
        }
        for f in role.fields:
            self.put(role, f, {}, vals[f.name], d.where("entity", f.name))
        self.address(role, {}, e.address, ("entity", "address"))

    def address(self, role: RoleSpec, typed: dict[str, str], addr: Address | None, loc: tuple) -> None:
        if addr is None:
            return
        d = self.dossier
        spec = {f.name.split(".", 1)[1]: f for f in role.address}
        country_mt = self.catalog.metrics.get(spec["country"].metric)
        country = self.enum_value(country_mt, addr.country, d.where(*loc, "country")) if country_mt else addr.country
        belgian = country.split(":", 1)[1] == "mBE"
        self.put(role, spec["street"], typed, addr.street, d.where(*loc, "street"))
        self.put(role, spec["number"], typed, addr.number, d.where(*loc, "number"))
        self.put(role, spec["box"], typed, addr.box, d.where(*loc, "box"))
        if belgian:
            self.put(role, spec["postal_code"], typed, addr.postal_code, d.where(*loc, "postal_code"))
            if not self.postal_code_names(spec["postal_code"].metric, addr.postal_code, addr.city):
                # A Belgian address is filed as a member of the NBB's postal-code list, and the list
                # names the town (5020 "Champion", not "Malonne").  The free city cell is for codes
                # outside the list only: the package's own rule (oa_01.00.2_0010 in the replica)
                # refuses a list member and a free city together.  So the city is not written; say so.
                self.left_out.append(
                    f"{d.where(*loc, 'city')}: city {addr.city!r} is not written: a Belgian address is filed "
                    f"by its postal code {addr.postal_code}, which the NBB's list names "
                    f"{self.postal_code_label(spec['postal_code'].metric, addr.postal_code)!r}"
                )
        else:
            self.put(role, spec["postal_code_other"], typed, addr.postal_code, d.where(*loc, "postal_code"))
            self.put(role, spec["city_other"], typed, addr.city, d.where(*loc, "city"))
        self.put(role, spec["country"], typed, country, d.where(*loc, "country"))
        if role.address_type is not None:
            self.put(role, role.address_type, typed, role.address_type.value, d.where(*loc))

    def postal_code_label(self, metric: str, postal_code: str) -> str:
        """The package's label of ``postal_code`` in the filing's language ('' when not in the list)."""
        mt = self.catalog.metrics.get(metric)
        qname = match_enum(mt, postal_code) if mt is not None else None
        ev = mt.enum_value(qname) if mt is not None and qname else None
        return ev.label(self.dossier.language) if ev is not None else ""

    def postal_code_names(self, metric: str, postal_code: str, city: str) -> bool:
        """Does the package's postal-code list (``metric``) label ``postal_code`` with ``city`` (any language/case)?"""
        mt = self.catalog.metrics.get(metric)
        qname = match_enum(mt, postal_code) if mt is not None else None
        ev = mt.enum_value(qname) if mt is not None and qname else None
        if ev is None:
            return False
        wanted = " ".join(city.split()).casefold()
        return any(" ".join(ev.label(lang).split()).casefold() == wanted for lang in ("fr", "nl", "de", "en"))

    def people(self) -> None:
        d = self.dossier
        for i, p in enumerate(d.directors):
            self.person(("directors",), i, p, "director")
        for i, p in enumerate(d.auditors):
            self.person(("auditors",), i, p, "auditor")
        if d.accountant_declaration:
            for i, p in enumerate(d.accountant_declaration.accountants):
                self.person(("accountant_declaration", "accountants"), i, p, "accountant")

    def person(self, group: tuple, i: int, p: Person, prefix: str) -> None:
        """Facts of one director, auditor or accountant (and of a legal person's representative).

        People are identified in the NBB tables by typed dimensions holding their names, so the
        same name is repeated in the context of each of their facts.
        """
        d = self.dossier
        loc = group + (i,)
        where = d.where(*loc)
        role = self.role(f"{prefix}_{p.kind}", where)
        if role is None:
            return
        names = {"first_name": p.first_name, "last_name": p.last_name, "name": p.name}
        typed = {dim: str(names[attr]) for attr, dim in role.typed}
        vals = {
            "profession": p.profession,
            "membership_number": p.membership_number,
            "enterprise_number": p.enterprise_number,
            "identifier_type": role_value(role, "identifier_type") if p.enterprise_number else None,
        }
        for f in role.fields:
            self.put(role, f, typed, vals.get(f.name), d.where(*loc, f.name))
        self.address(role, typed, p.address, loc + ("address",))
        if role.mandate is not None:
            for j, m in enumerate(p.mandates):
                t = dict(typed)
                t[role.mandate.index] = m.row or str(j + 1)  # the filing's own row id, when imported
                for f in role.mandate.fields:
                    self.put(role, f, t, getattr(m, f.name), d.where(*loc, "mandates", j, f.name))
        elif p.mandates:
            self.left_out.append(f"{where}: the NBB tables have no mandates for {role.name.replace('_', ' ')}")
        if role.missions is not None:
            for j, code in enumerate(p.missions):
                t = dict(typed)
                t[role.missions.index] = str(j + 1)
                self.put(role, role.missions.fields[0], t, code, d.where(*loc, "missions", j))
        elif p.missions:
            self.left_out.append(f"{where}: the NBB tables have no missions for {role.name.replace('_', ' ')}")
        if p.representative is not None and p.kind == "legal":
            rrole = self.role(f"{prefix}_representative", where)
            if rrole is not None:
                r = p.representative
                rnames = {"first_name": r.first_name, "last_name": r.last_name, "name": p.name}
                rtyped = {dim: str(rnames[attr]) for attr, dim in rrole.typed}
                rvals = {"profession": r.profession, "membership_number": r.membership_number}
                for f in rrole.fields:
                    self.put(rrole, f, rtyped, rvals.get(f.name), d.where(*loc, "representative", f.name))
                self.address(rrole, rtyped, r.address, loc + ("representative", "address"))

    def participations(self) -> None:
        d = self.dossier
        if not d.participations:
            return
        role = self.role("participation", d.where("participations"))
        if role is None:
            return
        for i, p in enumerate(d.participations):
            loc = ("participations", i)
            typed = {role.typed[0][1]: p.name}
            vals = {
                "identifier_type": role_value(role, "identifier_type") if p.enterprise_number else None,
                "enterprise_number": p.enterprise_number,
                "legal_form": p.legal_form,
                "accounts_date": p.accounts_date,
                "currency": p.currency if (p.equity is not None or p.result is not None) else None,
                "equity": p.equity,
                "result": p.result,
            }
            for f in role.fields:
                self.put(role, f, typed, vals[f.name], d.where(*loc, f.name))
            if p.address is not None:
                self.address(role, typed, p.address, loc + ("address",))
            elif p.country:
                # no full address: only the country cell of the address (the NBB requires it)
                spec = next(f for f in role.address if f.name == "address.country")
                self.put(role, spec, typed, p.country, d.where(*loc, "country"))
            else:
                raise InputError(
                    f"{d.where(*loc)}: participation {p.name!r} has no country; the NBB list of participations "
                    f"of model {self.catalog.model} requires it (give address: or country:)"
                )
            if role.holding is not None:
                t = dict(typed)
                t[role.holding.index] = p.row or "1"  # the filing's own row id, when imported
                hv = {
                    "nature": p.nature,
                    "shares_held": Decimal(p.shares_held) if p.shares_held is not None else None,
                    # the dossier states percentages; the NBB metric is a fraction 0..1
                    "held_directly_pct": p.held_directly_pct / 100,
                    "held_by_subsidiaries_pct": (p.held_by_subsidiaries_pct / 100) if p.held_by_subsidiaries_pct else None,
                }
                for f in role.holding.fields:
                    self.put(role, f, t, hv[f.name], d.where(*loc, f.name))

    def documents(self) -> None:
        d = self.dossier
        role = self.table.roles["documents"]
        spec = {f.name: f for f in role.fields}
        for name in ("management_report", "valuation_rules"):
            doc = getattr(d, name)
            if doc is None:
                continue
            where = d.where(name)
            if doc.text:
                self.put(role, spec[f"{name}_text"], {}, doc.text.strip(), where)
                continue
            path = d.resolve_path(doc.file, name, "file")
            try:
                data = path.read_bytes()
            except OSError as e:
                raise InputError(f"{where}: cannot read {doc.file} ({e.strerror or e})") from None
            if path.suffix.lower() == ".pdf":
                if not data.startswith(b"%PDF"):
                    raise InputError(f"{where}: {doc.file} is not a PDF file")
                self.put(role, spec[f"{name}_pdf"], {}, data, where)
            else:
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    raise InputError(f"{where}: {doc.file} is neither a PDF nor UTF-8 text") from None
                if data.startswith(b"%PDF") or _CONTROL_CHARS.search(text):
                    raise InputError(
                        f"{where}: {doc.file} is not plain text (binary content); a PDF must be named .pdf"
                    )
                self.put(role, spec[f"{name}_text"], {}, text.strip(), where)

    def datapoint_facts(self) -> None:
        """Facts the dossier gives by datapoint key (``datapoint_facts:``, written by ``import``)."""
        d = self.dossier
        for i, x in enumerate(d.datapoint_facts):
            where = d.where("datapoint_facts", i)
            dp = self.catalog.by_key(x.datapoint)
            if dp is None:
                raise InputError(f"{where}: {x.datapoint} is not a datapoint of model {self.catalog.model}")
            if set(x.typed) != set(dp.typed):
                need = ", ".join(dp.typed) or "none"
                raise InputError(f"{where}: datapoint {x.datapoint} needs typed dimension values for: {need}")
            mt = self.catalog.metric_type(dp)
            value: Any = x.value
            if x.file is not None:
                if mt.kind != "base64":
                    raise InputError(f"{where}: 'file' is for document datapoints; {dp.metric} takes a value")
                try:
                    value = d.resolve_path(x.file, "datapoint_facts", i, "file").read_bytes()
                except OSError as e:
                    raise InputError(f"{where}: cannot read {x.file} ({e.strerror or e})") from None
                if not value.startswith(b"%PDF"):  # the package's document metric (met:bsb1) holds PDFs
                    raise InputError(f"{where}: {x.file} is not a PDF file (documents are embedded as PDF)")
            elif mt.kind == "enum":
                value = self.enum_value(mt, str(value), where)
            elif mt.kind == "date" and isinstance(value, str):
                try:
                    value = date.fromisoformat(value)
                except ValueError:
                    raise InputError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None
            elif mt.numeric and isinstance(value, (int, str)) and not isinstance(value, bool):
                try:
                    value = Decimal(str(value))
                except ArithmeticError:
                    raise InputError(f"{where}: {value!r} is not a number") from None
            elif mt.kind in ("string",) and not isinstance(value, str):
                value = value.isoformat() if isinstance(value, date) else str(value)
            self.check_value(dp, value, where, f"value {_show(value)}")
            self.add(dp, value, where, x.typed.items())

    # ---------------------------------------------------------------- rubric figures
    def figure(self, rubric: str, period: str, amount: Decimal, source: str) -> None:
        if period == "previous" and self.dossier.previous_exercise is None:
            raise InputError(f"{source}: rubric {rubric} has a previous-year figure but the dossier has no previous_exercise")
        if "[" in rubric:  # a datapoint key, for rubrics shown in several columns
            dp = self.catalog.by_key(rubric)
            if dp is None:
                raise InputError(f"{source}: {rubric} is not a datapoint of model {self.catalog.model}")
            if dp.period not in (period, "none"):
                raise InputError(f"{source}: datapoint {rubric} is a {dp.period}-year cell, not {period}-year")
            cells = [dp]
        elif "@" in rubric:  # rubric@column, e.g. 1003@Total (social balance sheet)
            cells = [self._column_cell(rubric, period, source)]
        else:
            try:
                cells = [self.catalog.lookup(rubric, period)]
            except RubricNotFound as e:
                cells = self._same_column_cells(rubric, period)
                if not cells:
                    raise InputError(f"{source}: {e}") from None
        written = 0
        first_why = None
        for dp in cells:
            why = check_value(self.catalog.metric_type(dp), amount)
            if why:
                first_why = first_why or why
                continue
            self.add(dp, amount, source)
            written += 1
        if not written:
            raise InputError(f"{source}: rubric {rubric} ({period} year) {first_why}")
        if written < len(cells):
            self.left_out.append(
                f"rubric {rubric} ({period} year): {len(cells) - written} of its {len(cells)} cells refuse {amount} ({first_why})"
            )

    def _column_cell(self, spec: str, period: str, source: str) -> Datapoint:
        """The cell of ``rubric@column``: the rubric's cell for ``period`` whose column heading is
        ``column`` (any language, case-insensitive) or, failing that, the only one containing it."""
        code, column = (x.strip() for x in spec.split("@", 1))
        try:
            cands = [dp for dp in self.catalog.by_rubric(code) if dp.period == period]
        except RubricNotFound as e:
            raise InputError(f"{source}: {e}") from None
        want = column.casefold()

        def heads(dp: Datapoint) -> list[str]:
            return [t.casefold() for _, t in dp.column_labels]

        exact = [dp for dp in cands if want in heads(dp)]
        found = exact or [dp for dp in cands if any(want in h for h in heads(dp))]
        if len(found) != 1:
            cols = "; ".join(dp.column_label(self.dossier.language) for dp in cands) or "none"
            how = "matches several columns" if found else "matches no column"
            raise InputError(
                f"{source}: {column!r} {how} of rubric {code} ({period} year) in model {self.catalog.model} (columns: {cols})"
            )
        return found[0]

    def _same_column_cells(self, rubric: str, period: str) -> list[Datapoint]:
        """The cells of a rubric the package shows in several tables under the same column.

        Some packages (the replica's m82-f) carry one rubric in two tables with two datapoints
        under the same column heading; the figure belongs in each.  Rubrics whose cells differ by
        column (the social balance sheet: total / men / women) stay ambiguous: give a datapoint key.
        """
        if not self.catalog.has_rubric(rubric):
            return []
        cands = [dp for dp in self.catalog.by_rubric(rubric) if dp.period == period and dp.rubric == rubric]
        if len(cands) > 1 and len({dp.column_label("en") for dp in cands}) == 1:
            return cands
        return []

    def rubric_figures(self, mapped: RubricFigures | None) -> None:
        d = self.dossier
        zero = 0
        seen: dict[str, Any] = {}
        if mapped is not None:
            for f in mapped.figures:
                if f.amount == 0:
                    zero += 1
                    continue
                if self._same_cell_again(f, seen):
                    continue
                self.figure(f.rubric, f.period, f.amount, f.source or f"mapping, rubric {f.rubric}")
        for code, amounts in d.figures.items():
            for period, amount in amounts.items():
                where = d.where("figures", code, period) if d.has_line("figures", code, period) else d.where("figures", code)
                if amount == 0:
                    zero += 1
                    continue
                self.figure(code, period, amount, where)
        if zero:
            self.left_out.append(f"{zero} figure(s) equal to zero not written (an absent rubric reads as zero)")

    def _same_cell_again(self, f: Any, seen: dict[str, Any]) -> bool:
        """True when mapped figure ``f`` falls on a cell the mapping already filled under another code.

        One cell may carry two rubric codes: the balance sheet's 14 is the appropriation's (14),
        9905 is (9905).  The association mapping computes both (14x for one, 693/793 for the
        other), so the second is a check of the first: equal, the cell is written once; different,
        the trial balance contradicts itself (exit 1).  ``seen`` maps cell keys to the first figure.
        """
        if "[" in f.rubric or "@" in f.rubric:
            return False
        try:
            dp = self.catalog.lookup(f.rubric, f.period)
        except RubricNotFound:
            return False
        first = seen.setdefault(dp.key, f)
        if first is f:
            return False
        if first.amount != f.amount:
            raise FindingsError(
                f"{f.source or 'mapping'}: rubric {f.rubric} ({f.period} year) is {f.amount}, but rubric "
                f"{first.rubric} of the same cell is {first.amount} ({first.source or 'mapping'}); they must agree"
            )
        return True

    def appropriation(self) -> None:
        d = self.dossier
        for code, amounts in d.appropriation.items():
            for period, amount in amounts.items():
                where = d.where("appropriation", code)
                try:
                    dp = self.catalog.lookup(code, period)
                except RubricNotFound as e:
                    raise InputError(f"{where}: {e}") from None
                existing = self.facts.get((dp.key, ()))
                if existing is not None:
                    if existing.value != amount:
                        raise FindingsError(
                            f"{where}: appropriation {code} ({period} year) is {amount} but {existing.source} "
                            f"gives {existing.value}; the balance sheet is filed after appropriation, they must agree"
                        )
                    continue
                if amount == 0:
                    continue
                self.figure(code, period, amount, where)

    def amount(self, code: str, period: str) -> Decimal | None:
        try:
            dp = self.catalog.lookup(code, period)
        except RubricNotFound:
            return None
        f = self.facts.get((dp.key, ()))
        return f.value if f is not None else None

    def tie_out(self) -> None:
        """The appropriation account must tie out with the result and with 14/14P."""
        d = self.dossier
        periods = ("current", "previous") if d.previous_exercise else ("current",)
        for chk in self.table.checks:
            total = str(chk["total"])
            if "previous_of" in chk:
                got = self.amount(total, "current")
                other = str(chk["previous_of"])
                want = self.amount(other, "previous")
                if not d.previous_exercise or (got is None and want is None):
                    continue
                got = got or Decimal(0)  # a 14P left at zero while last year carried a result forward is caught too
                if (want or Decimal(0)) != got:
                    raise FindingsError(
                        f"{d.where('appropriation', total)}: rubric {total} ({got}) must equal rubric {other} of the "
                        f"previous year ({want or Decimal(0)})"
                    )
                continue
            for period in periods:
                got = self.amount(total, period)
                if got is None:
                    continue
                want = sum((self.amount(str(c), period) or Decimal(0) for c in chk.get("plus", ())), Decimal(0))
                want -= sum((self.amount(str(c), period) or Decimal(0) for c in chk.get("minus", ())), Decimal(0))
                if want != got:
                    parts = " + ".join(str(c) for c in chk.get("plus", ()))
                    if chk.get("minus"):
                        parts += " - " + " - ".join(str(c) for c in chk["minus"])
                    raise FindingsError(
                        f"{d.where('appropriation', total) if total in d.appropriation else 'figures'}: rubric {total} "
                        f"({period} year) is {got} but {parts} = {want}; the appropriation does not tie out"
                    )


def role_value(role: RoleSpec, name: str) -> str | None:
    for f in role.fields:
        if f.name == name:
            return f.value
    return None


def _show(value: Any) -> str:
    if isinstance(value, (bytes, bytearray)):
        return f"<{len(value)} bytes>"
    text = str(value)
    return repr(text if len(text) < 40 else text[:37] + "...")


def build_facts(
    catalog: Catalog,
    dossier: Dossier,
    mapped: RubricFigures | None = None,
    table: DatapointTable | None = None,
    closings: Any = None,
) -> FactSet:
    """All facts of the filing, in catalog order; raises on the first error (one line).

    ``closings`` (:class:`nbb_filing.books.note_closings.Closings`) are the closing values of the
    fixed-asset notes from the trial balances; with the dossier's ``fixed_assets:`` movements they
    give the notes (see :mod:`nbb_filing.filing.notes.fixed_assets`).
    """
    table = table or load_table()
    problems = [p for p in table.problems(catalog) if p.startswith(("role filing", "role entity"))]
    if problems:
        raise NbbFilingError(f"taxonomy package lacks identification datapoints: {problems[0]}")
    if mapped is not None and mapped.model != catalog.model:
        raise InputError(f"figures were computed for model {mapped.model}, the dossier asks for {catalog.model}")
    b = _Builder(catalog, dossier, table)
    b.filing()
    b.entity()
    b.people()
    b.participations()
    b.documents()
    b.datapoint_facts()
    if dossier.social_balance is not None:
        from nbb_filing.filing.notes.social_balance import add_social_balance

        add_social_balance(b)
    b.rubric_figures(mapped)
    b.appropriation()
    if closings is not None or dossier.fixed_assets is not None:
        from nbb_filing.filing.notes.fixed_assets import add_notes

        add_notes(b, closings)
    b.tie_out()
    facts = sorted(b.facts.values(), key=lambda f: (f.datapoint.order, f.typed))
    return FactSet(tuple(facts), tuple(b.left_out), tuple(b.warnings))
