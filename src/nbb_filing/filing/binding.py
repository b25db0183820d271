"""The binding table of dossier fields: where each identification field of a dossier is filed.

``data/dossier-datapoints.yaml`` names, per role (filing, entity, director_natural, participation
...), the dictionary metric and members of each field; people and holdings are told apart by typed
dimensions holding their names or row numbers, so a role also says which of its attributes fill
which typed dimension.  The table is checked against the catalog (:meth:`DatapointTable.problems`),
so a package that lacks a datapoint fails with a clear message instead of producing an instance
Arelle would reject.  The same table tells the reader and the importer which field a fact is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from nbb_filing.core.data_files import load_data_yaml
from nbb_filing.core.errors import InputError
from nbb_filing.taxonomy.catalog import Catalog, Datapoint

TABLE_FILE = "dossier-datapoints.yaml"


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
    # other member sets holding the same cell in some models, tried after ``members``: the list of
    # participations is filed in part m7 (notes of the abbreviated models) by m01-f/m81-f and in
    # part m6 (notes of the full models) by m02-f/m82-f; the table writes ``dim:part: [part:m7, part:m6]``
    member_alternatives: tuple[tuple[tuple[str, str], ...], ...] = ()


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
                    out.append(
                        f"role {role.name}, field {f.name}: {_spec_text(f, t)} is not a datapoint of {catalog.model}"
                    )
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
        for members in (f.members,) + f.member_alternatives:
            dp = catalog.resolve(metric, members, typed)
            if dp is not None:
                return dp
    return None


def _member_sets(members: Mapping[str, Any], name: str) -> list[tuple[tuple[str, str], ...]]:
    """Every member set a field may be filed under, in the table's order of preference.

    A dimension whose member is a list (``dim:part: [part:m7, part:m6]``) means "the first of these
    that the model has"; the other dimensions are fixed.
    """
    sets: list[dict[str, str]] = [{}]
    for dim, member in members.items():
        choices = member if isinstance(member, list) else [member]
        if not choices or not all(isinstance(c, str) for c in choices):
            raise InputError(f"{TABLE_FILE}: entry {name!r}: members of {dim} must be a QName or a list of QNames")
        sets = [{**s, dim: c} for s in sets for c in choices]
    return [tuple(sorted(s.items())) for s in sets]


def _field(name: str, raw: Mapping[str, Any], base: Mapping[str, str]) -> FieldSpec:
    if not isinstance(raw, Mapping) or "metric" not in raw:
        raise InputError(f"{TABLE_FILE}: entry {name!r} needs a metric")
    members = dict(base)
    members.update(raw.get("members") or {})
    alternatives = tuple(str(m) for m in raw.get("alternatives") or ())
    first, *others = _member_sets(members, name)
    return FieldSpec(name, str(raw["metric"]), first, raw.get("value"), alternatives, tuple(others))


def _indexed(
    rname: str, base: Mapping[str, str], block: Mapping[str, Any] | None, single: bool = False
) -> Indexed | None:
    """A repeated group of a role (mandates, missions, holdings) with its numbering typed dimension."""
    if not block:
        return None
    if single:
        return Indexed(block["index"], (_field(rname + ".missions", block["field"], base),))
    return Indexed(block["index"], tuple(_field(k, v, base) for k, v in block["fields"].items()))


def parse_table(data: Mapping[str, Any]) -> DatapointTable:
    """Build the :class:`DatapointTable` from the parsed YAML of ``dossier-datapoints.yaml``."""
    roles = {}
    for rname, r in (data.get("roles") or {}).items():
        base = r.get("members") or {}

        roles[rname] = RoleSpec(
            name=rname,
            members=_member_sets(base, rname)[0],
            typed=tuple((k, v) for k, v in (r.get("typed") or {}).items()),
            fields=tuple(_field(k, v, base) for k, v in (r.get("fields") or {}).items()),
            address=tuple(_field("address." + k, v, base) for k, v in data["address"].items())
            if r.get("address")
            else (),
            address_type=_field("address.type", data["address_type"], base) if r.get("address_type") else None,
            mandate=_indexed(rname, base, data["mandate"] if r.get("mandate") else None),
            missions=_indexed(rname, base, data["missions"] if r.get("missions") else None, single=True),
            holding=_indexed(rname, base, r.get("holding")),
        )
    return DatapointTable(roles, dict(data.get("rubrics") or {}), tuple(data.get("appropriation_checks") or ()))


@lru_cache(maxsize=1)
def load_table() -> DatapointTable:
    return parse_table(load_data_yaml(TABLE_FILE))


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


def role_value(role: RoleSpec, name: str) -> str | None:
    """The fixed value of field ``name`` of ``role`` (e.g. the identifier type of an enterprise number)."""
    for f in role.fields:
        if f.name == name:
            return f.value
    return None
