"""Identification facts: the dossier's filing data, entity, people, participations and documents.

Each dossier field is placed by the binding table (:mod:`nbb_filing.filing.binding`); people and
holdings are told apart in the NBB tables by typed dimensions holding their names or row numbers,
so a name is repeated in the context of each of its facts.  A role the model lacks (no
participations table in the micro models) is reported once as left out, not refused.

Where the domain surprises: a Belgian address is filed as a member of the NBB's postal-code list,
whose label is the town, and the package refuses that member and a free city together, so the
dossier's city is not written for a Belgian address (reported when it differs from the list's name).
``datapoint_facts:`` (written by ``import``) bypass the table: they name a datapoint key directly.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from nbb_filing.core.errors import InputError
from nbb_filing.filing.binding import DatapointTable, RoleSpec, resolve_field, role_value
from nbb_filing.filing.dossier import Dossier
from nbb_filing.filing.dossier_parts import Address, Person
from nbb_filing.filing.store import FactStore, show_value
from nbb_filing.taxonomy.values import match_enum

#: Characters that do not occur in a text document (NUL and other C0 controls but tab, LF, CR, FF).
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def add_identification(store: FactStore, dossier: Dossier, table: DatapointTable) -> None:
    """Add the identification facts of ``dossier`` to ``store``, in the order the dossier reads."""
    ident = IdentificationFacts(store, dossier, table)
    ident.filing()
    ident.entity()
    ident.people()
    ident.participations()
    ident.documents()
    ident.datapoint_facts()


class IdentificationFacts:
    """The identification part of one filing: the dossier's fields through the binding table."""

    def __init__(self, store: FactStore, dossier: Dossier, table: DatapointTable) -> None:
        self.store = store
        self.catalog = store.catalog
        self.dossier = dossier
        self.table = table
        self.missing_roles: set[str] = set()

    def role(self, name: str, where: str) -> RoleSpec | None:
        role = self.table.roles[name]
        if not any(resolve_field(self.catalog, f, t) for f, t in role.all_fields()):
            if name not in self.missing_roles:
                self.missing_roles.add(name)
                self.store.left_out.append(
                    f"{where}: model {self.catalog.model} has no datapoints for {name.replace('_', ' ')}"
                )
            return None
        return role

    def filing(self) -> None:
        d = self.dossier
        role = self.table.roles["filing"]
        if d.previous_exercise is not None and d.previous_amounts_identical is None:
            # a statement of the filer, never a default: a silent "true" (or "false") would be an answer
            # the accountant never gave
            raise InputError(
                f"{d.where('previous_amounts_identical')}: say whether the previous-year amounts are identical "
                "to those published last year (previous_amounts_identical: true or false), or name last year's "
                "filing as previous_filing: to have it derived by comparison"
            )
        vals = {
            "exercise_start": (d.exercise.start, ("exercise", "start")),
            "exercise_end": (d.exercise.end, ("exercise", "end")),
            "previous_exercise_start": (
                d.previous_exercise.start if d.previous_exercise else None,
                ("previous_exercise", "start"),
            ),
            "previous_exercise_end": (
                d.previous_exercise.end if d.previous_exercise else None,
                ("previous_exercise", "end"),
            ),
            "general_meeting": (d.general_meeting, ("general_meeting",)),
            "deed_filing_date": (d.entity.deed_filing_date, ("entity", "deed_filing_date")),
            "court": (d.entity.court, ("entity", "court")),
            "previous_amounts_identical": (
                d.previous_amounts_identical if d.previous_exercise else None,
                ("previous_amounts_identical",),
            ),
            "in_liquidation": (d.in_liquidation, ("in_liquidation",)),
            "corrective_filing": (False, ()),
            "accountant_declaration": (
                d.accountant_declaration.declared if d.accountant_declaration else None,
                ("accountant_declaration", "declared"),
            ),
        }
        for f in role.fields:
            value, loc = vals[f.name]
            self.store.put(role, f, {}, value, d.where(*loc))

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
            self.store.put(role, f, {}, vals[f.name], d.where("entity", f.name))
        self.address(role, {}, e.address, ("entity", "address"))

    def address(self, role: RoleSpec, typed: dict[str, str], addr: Address | None, loc: tuple) -> None:
        if addr is None:
            return
        d = self.dossier
        spec = {f.name.split(".", 1)[1]: f for f in role.address}
        country_mt = self.catalog.metrics.get(spec["country"].metric)
        country = (
            self.store.enum_value(country_mt, addr.country, d.where(*loc, "country")) if country_mt else addr.country
        )
        belgian = country.split(":", 1)[1] == "mBE"
        self.store.put(role, spec["street"], typed, addr.street, d.where(*loc, "street"))
        self.store.put(role, spec["number"], typed, addr.number, d.where(*loc, "number"))
        self.store.put(role, spec["box"], typed, addr.box, d.where(*loc, "box"))
        if belgian:
            self.store.put(role, spec["postal_code"], typed, addr.postal_code, d.where(*loc, "postal_code"))
            if not self.postal_code_names(spec["postal_code"].metric, addr.postal_code, addr.city):
                # A Belgian address is filed as a member of the NBB's postal-code list, and the list
                # names the town (5020 "Champion", not "Malonne").  The free city cell is for codes
                # outside the list only: the package's own rule (oa_01.00.2_0010 in the replica)
                # refuses a list member and a free city together.  So the city is not written; say so.
                self.store.left_out.append(
                    f"{d.where(*loc, 'city')}: city {addr.city!r} is not written: a Belgian address is filed "
                    f"by its postal code {addr.postal_code}, which the NBB's list names "
                    f"{self.postal_code_label(spec['postal_code'].metric, addr.postal_code)!r}"
                )
        else:
            self.store.put(role, spec["postal_code_other"], typed, addr.postal_code, d.where(*loc, "postal_code"))
            self.store.put(role, spec["city_other"], typed, addr.city, d.where(*loc, "city"))
        self.store.put(role, spec["country"], typed, country, d.where(*loc, "country"))
        if role.address_type is not None:
            self.store.put(role, role.address_type, typed, role.address_type.value, d.where(*loc))

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
        return any(wanted in _town_names(ev.label(lang), postal_code) for lang in ("fr", "nl", "de", "en"))

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
            self.store.put(role, f, typed, vals.get(f.name), d.where(*loc, f.name))
        self.address(role, typed, p.address, loc + ("address",))
        if role.mandate is not None:
            for j, m in enumerate(p.mandates):
                t = dict(typed)
                t[role.mandate.index] = m.row or str(j + 1)  # the filing's own row id, when imported
                for f in role.mandate.fields:
                    self.store.put(role, f, t, getattr(m, f.name), d.where(*loc, "mandates", j, f.name))
        elif p.mandates:
            self.store.left_out.append(f"{where}: the NBB tables have no mandates for {role.name.replace('_', ' ')}")
        if role.missions is not None:
            for j, code in enumerate(p.missions):
                t = dict(typed)
                t[role.missions.index] = str(j + 1)
                self.store.put(role, role.missions.fields[0], t, code, d.where(*loc, "missions", j))
        elif p.missions:
            self.store.left_out.append(f"{where}: the NBB tables have no missions for {role.name.replace('_', ' ')}")
        if p.representative is not None and p.kind == "legal":
            rrole = self.role(f"{prefix}_representative", where)
            if rrole is not None:
                r = p.representative
                rnames = {"first_name": r.first_name, "last_name": r.last_name, "name": p.name}
                rtyped = {dim: str(rnames[attr]) for attr, dim in rrole.typed}
                rvals = {"profession": r.profession, "membership_number": r.membership_number}
                for f in rrole.fields:
                    self.store.put(rrole, f, rtyped, rvals.get(f.name), d.where(*loc, "representative", f.name))
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
                self.store.put(role, f, typed, vals[f.name], d.where(*loc, f.name))
            if p.address is not None:
                self.address(role, typed, p.address, loc + ("address",))
            elif p.country:
                # no full address: only the country cell of the address (the NBB requires it)
                spec = next(f for f in role.address if f.name == "address.country")
                self.store.put(role, spec, typed, p.country, d.where(*loc, "country"))
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
                    "held_by_subsidiaries_pct": (p.held_by_subsidiaries_pct / 100)
                    if p.held_by_subsidiaries_pct
                    else None,
                }
                for f in role.holding.fields:
                    self.store.put(role, f, t, hv[f.name], d.where(*loc, f.name))

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
                self.store.put(role, spec[f"{name}_text"], {}, doc.text.strip(), where)
                continue
            path = d.resolve_path(doc.file, name, "file")
            data = _read_document(path, doc.file, where)
            if path.suffix.lower() == ".pdf":
                if not data.startswith(b"%PDF"):
                    raise InputError(f"{where}: {doc.file} is not a PDF file")
                self.store.put(role, spec[f"{name}_pdf"], {}, data, where)
            else:
                try:
                    text = data.decode("utf-8")
                except UnicodeDecodeError:
                    raise InputError(f"{where}: {doc.file} is neither a PDF nor UTF-8 text") from None
                if data.startswith(b"%PDF") or _CONTROL_CHARS.search(text):
                    raise InputError(
                        f"{where}: {doc.file} is not plain text (binary content); a PDF must be named .pdf"
                    )
                self.store.put(role, spec[f"{name}_text"], {}, text.strip(), where)

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
                value = _read_document(d.resolve_path(x.file, "datapoint_facts", i, "file"), x.file, where)
                if not value.startswith(b"%PDF"):  # the package's document metric (met:bsb1) holds PDFs
                    raise InputError(f"{where}: {x.file} is not a PDF file (documents are embedded as PDF)")
            elif mt.kind == "enum":
                value = self.store.enum_value(mt, str(value), where)
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
            self.store.check_value(dp, value, where, f"value {show_value(value)}")
            self.store.add(dp, value, where, x.typed.items())


def _town_names(label: str, postal_code: str) -> set[str]:
    """The names a postal-code list label gives the town, folded: the label itself, and where a code
    covers part of a town or a borough of it, the town's names in it ("Liège-4020": Liège, told from
    4000 by its code; "Grivegnée (Liège)": Grivegnée and Liège)."""
    text = " ".join(label.split())
    names = {text}
    code = postal_code.strip()
    if code and text.endswith("-" + code):
        names.add(text[: -len(code) - 1].strip())
    head, paren, rest = text.partition(" (")
    if paren and rest.endswith(")"):
        names |= {head.strip(), rest[:-1].strip()}
    return {n.casefold() for n in names if n}


def _read_document(path: Path, named: str, where: str) -> bytes:
    """The bytes of a document the dossier names; one larger than a whole filing may be (the NBB's
    limit) is refused before it is read, so that memory stays bounded."""
    from nbb_filing.taxonomy.limits import max_filing_bytes

    try:
        size = path.stat().st_size
        if size >= max_filing_bytes():
            raise InputError(
                f"{where}: {named} has {size} bytes, more than a whole filing may have "
                f"({max_filing_bytes()} bytes, the NBB's limit)"
            )
        return path.read_bytes()
    except OSError as e:
        raise InputError(f"{where}: cannot read {named} ({e.strerror or e})") from None
