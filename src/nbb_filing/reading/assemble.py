"""``nbb-filing import``, second half: the collected parts put together as dossier data (a plain dict).

:class:`nbb_filing.reading.collect.Collector` has sorted the facts; this module writes them in the
dossier's shape: identification and exercise dates, directors, auditors and accountants (a legal
person's representative joined to it by the legal person's name), participations, ``figures:``,
documents and ``datapoint_facts:``.  Things the user should know (renumbered missions, a
representative without its legal person, holdings beyond the first) become remarks.

What may surprise: a Belgian address gives its town only through the postal-code list, so the city
is that list's label; participations hold percentages where the NBB states fractions; and an amount
goes to ``figures:`` by rubric code only when that code leads the generator back to the very cells
the filing has, with the same amount in each (else by datapoint key), while an amount stated as an
explicit 0 becomes a ``datapoint_facts:`` entry (``figures:`` equal to zero are not written).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from nbb_filing.filing.dossier import LANGUAGES
from nbb_filing.reading.assemble_notes import note_blocks_data
from nbb_filing.reading.collect import Collector
from nbb_filing.reading.reader import canonical_decimal


def _percent(fraction: Decimal) -> Decimal:
    """0.0014 (the NBB's fraction) -> 0.14 (the dossier's percent), without trailing zeros."""
    return Decimal(canonical_decimal(fraction * 100))


def assemble_dossier(collected: Collector) -> tuple[dict[str, Any], list[str]]:
    """The dossier data (YAML-able dict) of the collected facts, and the remarks made on the way."""
    assembler = _Assembler(collected)
    return assembler.dossier_data(), assembler.remarks


class _Assembler:
    def __init__(self, collected: Collector) -> None:
        self.c = collected
        self.catalog = collected.catalog
        self.lang = collected.filing.language if collected.filing.language in LANGUAGES else "fr"
        self.remarks: list[str] = []
        self.figures: dict[str, dict[str, Decimal]] = {}
        self.extras = list(collected.extras)  # datapoint_facts entries, explicit zero amounts added
        self.social_keys: set[str] = set()  # facts placed in the social_balance: block

    def address(self, parts: dict[str, tuple]) -> dict[str, Any] | None:
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

    def person_data(self, role_name: str, p: dict[str, Any]) -> dict[str, Any]:
        kind = "legal" if role_name.endswith("_legal") else "natural"
        data: dict[str, Any] = {"kind": kind}
        data.update({k: v for k, v in p["names"].items() if v})
        for k in ("profession", "membership_number", "enterprise_number"):
            if k in p["fields"]:
                data[k] = p["fields"][k]
        addr = self.address(p["address"])
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
                self.remarks.append(
                    f"{who}: {label} numbered {', '.join(numbers)} in the filing are renumbered 1..{len(numbers)}"
                )
        return data

    def dossier_data(self) -> dict[str, Any]:
        data = self.identification()
        self.people(data)
        c = self.c
        parts = [p for (r, _), p in c.people.items() if r == "participation"]
        if parts:
            data["participations"] = [self.participation(p) for p in parts]
        data.update(note_blocks_data(c, self.address))
        self.social_balance(data)
        self.place_figures()
        if self.figures:
            data["figures"] = {code: dict(periods) for code, periods in self.figures.items()}
        for name, doc in c.documents.items():
            data[name] = doc
        if self.extras:
            data["datapoint_facts"] = self.extras
        return data

    def identification(self) -> dict[str, Any]:
        """Model, language, the entity, the exercises and the filing's yes/no answers."""
        c = self.c
        ff = c.filing_fields
        data: dict[str, Any] = {"schema_version": 1, "model": c.filing.model, "language": self.lang}
        entity: dict[str, Any] = {k: c.entity[k] for k in ("name", "legal_form") if k in c.entity}
        addr = self.address(c.entity_address)
        if addr:
            entity["address"] = addr
        for k in ("enterprise_number", "email", "website"):
            if k in c.entity:
                entity[k] = c.entity[k]
        if "enterprise_number" not in entity and c.filing.entity_identifier:
            entity["enterprise_number"] = c.filing.entity_identifier
        if "court" in ff:
            entity["court"] = ff["court"]
        if "deed_filing_date" in ff:
            entity["deed_filing_date"] = ff["deed_filing_date"]
        data["entity"] = entity
        if "exercise_start" in ff or "exercise_end" in ff:
            data["exercise"] = {"start": ff.get("exercise_start"), "end": ff.get("exercise_end")}
        if "previous_exercise_start" in ff or "previous_exercise_end" in ff:
            data["previous_exercise"] = {
                "start": ff.get("previous_exercise_start"),
                "end": ff.get("previous_exercise_end"),
            }
        if "general_meeting" in ff:
            data["general_meeting"] = ff["general_meeting"]
        for k in ("previous_amounts_identical", "in_liquidation"):
            if k in ff:
                data[k] = ff[k]
        return data

    def people(self, data: dict[str, Any]) -> None:
        """Directors, auditors and the accountant declaration into ``data``; representatives joined."""
        c = self.c
        groups: dict[str, list] = {"director": [], "auditor": [], "accountant": []}
        legal_by_name: dict[tuple[str, str], dict] = {}
        reps = []
        for (role_name, _), p in c.people.items():
            if "_" not in role_name or role_name in c.note_table.roles:  # participations, note blocks: apart
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
            self.representative(prefix, p, legal_by_name)
        if groups["director"]:
            data["directors"] = groups["director"]
        if groups["auditor"]:
            data["auditors"] = groups["auditor"]
        if "accountant_declaration" in c.filing_fields or groups["accountant"]:
            decl: dict[str, Any] = {"declared": c.filing_fields.get("accountant_declaration", True)}
            if groups["accountant"]:
                decl["accountants"] = groups["accountant"]
            data["accountant_declaration"] = decl

    def representative(self, prefix: str, p: dict[str, Any], legal_by_name: dict[tuple[str, str], dict]) -> None:
        """A legal person's representative, set on that person (or a remark when there is none)."""
        names = p["names"]
        owner = legal_by_name.get((prefix, str(names.get("name"))))
        rep = {k: names[k] for k in ("first_name", "last_name") if names.get(k)}
        for k in ("profession", "membership_number"):
            if k in p["fields"]:
                rep[k] = p["fields"][k]
        addr = self.address(p["address"])
        if addr:
            rep["address"] = addr
        if owner is None:
            self.remarks.append(
                f"representative {rep} of {names.get('name')!r}: no such legal person in the filing; left out"
            )
            return
        owner["representative"] = rep

    def social_balance(self, data: dict[str, Any]) -> None:
        """The social balance sheet's facts as a ``social_balance:`` block (see :mod:`nbb_filing.reading.social_import`)."""
        from nbb_filing.reading.social_import import social_balance_block

        block, self.social_keys, remarks = social_balance_block(self.catalog, self.c.numeric, self.extras)
        self.remarks.extend(remarks)
        if block:
            data["social_balance"] = block

    def place_figures(self) -> None:
        """Amounts to ``figures:``: by rubric code where the generator gets back to the very cells, else by key."""
        from nbb_filing.reading.previous import same_column_cells

        for (code, period), all_facts in self.c.numeric.items():
            facts = [f for f in all_facts if f.datapoint.key not in self.social_keys]
            if not facts:
                continue
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
        addr = self.address(p["address"])
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
                self.remarks.append(
                    f"participation {out['name']!r}: only the first of {len(holdings)} holdings is kept"
                )
            if "nature" in h:
                out["nature"] = h["nature"]
            if "shares_held" in h:
                out["shares_held"] = int(h["shares_held"])
            # the NBB metric is a fraction 0..1; the dossier states percentages
            out["held_directly_pct"] = _percent(h.get("held_directly_pct", Decimal(0)))
            if "held_by_subsidiaries_pct" in h:
                out["held_by_subsidiaries_pct"] = _percent(h["held_by_subsidiaries_pct"])
        return out
