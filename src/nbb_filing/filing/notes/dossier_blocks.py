"""The dossier's note blocks written cell by cell: ``contributions:``, ``capital:``, ``shareholders:``,
``auditor_report:``, ``consolidation:``, ``commitments:`` and ``other_information:``.

The blocks (pydantic, :mod:`nbb_filing.filing.dossier_notes`) say what the accountant knows; the
cells come from ``data/dossier-notes.yaml``, whose roles are read with the binding table's own
parser (:func:`nbb_filing.filing.binding.parse_table`) so that metric alternatives, member lists
("the first the model has"), typed dimensions and the shared address cells mean the same thing as
for the identification.  Each role says which block it reads (``at``) and whether that block is a
list of items.

The writer walks each block: a field with a cell in the model is written (enumerations matched in
the package's list, values checked against the datapoint's type, one-line errors naming the
dossier's line and field); a field with no cell is reported in ``left_out``:

* the role's cells are all absent from the model (the association models have no shareholder
  structure): once per role, "model m08-f has no datapoints for ...";
* the data file names no cell for the field (the installed package has none, e.g. the amount of
  contributions or the declaration on consolidated accounts in the replica).

Why values are converted here: the dossier states percentages where the NBB files fractions (0..1),
and the auditor's report PDF is read from the dossier's folder and embedded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from nbb_filing.core.data_files import load_data_yaml
from nbb_filing.core.errors import InputError
from nbb_filing.filing.binding import TABLE_FILE, DatapointTable, RoleSpec, parse_table, role_value
from nbb_filing.filing.dossier import Dossier
from nbb_filing.filing.identification import IdentificationFacts
from nbb_filing.filing.store import FactStore
from nbb_filing.taxonomy.catalog import Catalog

NOTES_FILE = "dossier-notes.yaml"
#: The dossier's note blocks, in the order they are written.
BLOCKS = (
    "contributions",
    "capital",
    "shareholders",
    "auditor_report",
    "consolidation",
    "commitments",
    "other_information",
)
#: Attributes of an item that name it (typed dimensions) or choose its role: never cells themselves.
NAMING = frozenset({"name", "first_name", "last_name", "kind", "address", "holdings"})
#: Fields stated in percent in the dossier, filed as fractions.
PERCENT_FIELDS = frozenset({"percent"})


@dataclass(frozen=True)
class BlockRole:
    """A role of ``dossier-notes.yaml``: its cells, the block it reads, whether that is a list."""

    spec: RoleSpec
    at: tuple[str, ...]
    many: bool
    kind: str | None  # for lists of people: the item's kind this role takes (legal, natural)
    if_rubric: str | None = None  # the importer files the role's cells here only in models with this rubric
    unless_rubric: str | None = None  # ... only in models without it

    def imports_from(self, catalog: Catalog) -> bool:
        """Whether the importer files the cells of this role under its block for ``catalog``'s model."""
        if self.if_rubric is not None and not catalog.has_rubric(self.if_rubric):
            return False
        return self.unless_rubric is None or not catalog.has_rubric(self.unless_rubric)


@dataclass(frozen=True)
class NotesTable:
    roles: Mapping[str, BlockRole]
    table: DatapointTable  # the same roles as a binding table (for the address writer and the importer)

    def at(self, path: tuple[str, ...]) -> list[BlockRole]:
        return [r for r in self.roles.values() if r.at == path]

    def import_table(self, catalog: Catalog) -> DatapointTable:
        """The roles whose cells the importer files under their block for ``catalog``'s model."""
        roles = {n: r.spec for n, r in self.roles.items() if r.imports_from(catalog)}
        return DatapointTable(roles, {}, ())


def parse_notes_table(raw: Mapping[str, Any], shared: Mapping[str, Any]) -> NotesTable:
    """The :class:`NotesTable` of the parsed ``dossier-notes.yaml`` (``shared``: the parsed
    ``dossier-datapoints.yaml``, whose address cells the roles with ``address: true`` use)."""
    roles_raw = raw.get("roles") or {}
    for name, r in roles_raw.items():
        if not isinstance(r, Mapping) or not isinstance(r.get("at"), str):
            raise InputError(f"{NOTES_FILE}: role {name!r} needs 'at' (the dossier block it reads)")
        if r["at"].split(".", 1)[0] not in BLOCKS:
            raise InputError(f"{NOTES_FILE}: role {name!r} reads {r['at']!r}, which is not a note block")
    table = parse_table(
        {"address": shared["address"], "address_type": shared["address_type"], "roles": dict(roles_raw)}
    )
    roles = {
        name: BlockRole(
            table.roles[name],
            tuple(r["at"].split(".")),
            bool(r.get("list")),
            r.get("kind"),
            r.get("import_if_rubric"),
            r.get("import_unless_rubric"),
        )
        for name, r in roles_raw.items()
    }
    return NotesTable(roles, table)


@lru_cache(maxsize=1)
def load_notes_table() -> NotesTable:
    return parse_notes_table(load_data_yaml(NOTES_FILE), load_data_yaml(TABLE_FILE))


def add_note_blocks(store: FactStore, d: Dossier) -> None:
    """Write the note blocks of ``d`` into ``store`` (what has no cell goes to ``store.left_out``)."""
    notes = load_notes_table()
    writer = _BlockWriter(store, d, notes)
    for block in BLOCKS:
        value = getattr(d, block, None)
        if not value:
            continue
        role = notes.roles.get(block)
        if role is not None and not role.imports_from(store.catalog):
            # contributions and capital share their cells: the block must fit the kind of company,
            # or the filing would read back as the other one
            other = next(
                r.spec.name for r in notes.roles.values() if r.at != role.at and r.spec.fields == role.spec.fields
            )
            raise InputError(
                f"{d.where(block)}: model {store.catalog.model} is for companies "
                f"{'without' if role.if_rubric else 'with'} capital: give '{other}:' instead of '{block}:'"
            )
        writer.node(value, (block,), (block,))


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == ()


class _BlockWriter:
    def __init__(self, store: FactStore, d: Dossier, notes: NotesTable) -> None:
        self.store = store
        self.d = d
        self.notes = notes
        self.ident = IdentificationFacts(store, d, notes.table)

    def no_cell(self, loc: tuple) -> None:
        self.store.left_out.append(
            f"{self.d.where(*loc)}: the installed package ({self.store.catalog.model}) has no cell for it; not written"
        )

    def node(self, value: Any, path: tuple[str, ...], loc: tuple) -> None:
        """A block, a sub-block or a list of items at ``path`` (dossier location ``loc``)."""
        roles = self.notes.at(path)
        if isinstance(value, tuple):
            if not roles:
                self.no_cell(loc)
                return
            for i, item in enumerate(value):
                role = next((r for r in roles if r.kind in (None, getattr(item, "kind", None))), None)
                if role is None:
                    self.no_cell(loc + (i,))
                    continue
                self.item(role, item, path, loc + (i,), i)
            return
        role = roles[0] if roles else None
        self.item(role, value, path, loc, 0)

    def item(self, role: BlockRole | None, obj: BaseModel, path: tuple[str, ...], loc: tuple, i: int) -> None:
        spec: RoleSpec | None = None
        if role is not None:
            spec = self.ident.role(role.spec.name, self.d.where(*loc))
            if spec is None:  # the model has none of the role's cells (reported once)
                for name in type(obj).model_fields:
                    sub = getattr(obj, name)
                    if isinstance(sub, BaseModel) or (isinstance(sub, tuple) and sub and name != "holdings"):
                        self.node(sub, path + (name,), loc + (name,))
                return
        typed: dict[str, str] = {}
        if spec is not None:
            typed = {dim: (str(i + 1) if attr == "index" else str(getattr(obj, attr))) for attr, dim in spec.typed}
        fields = {f.name: f for f in spec.fields} if spec is not None else {}
        for name in type(obj).model_fields:
            value = getattr(obj, name)
            if _empty(value):
                continue
            if isinstance(value, BaseModel) and name != "address":
                self.node(value, path + (name,), loc + (name,))
            elif isinstance(value, tuple) and value and isinstance(value[0], BaseModel) and name != "holdings":
                self.node(value, path + (name,), loc + (name,))
            elif name == "address":
                if spec is not None and spec.address:
                    self.ident.address(spec, typed, value, loc + ("address",))
                else:
                    self.no_cell(loc + ("address",))
            elif name == "holdings":
                self.holdings(spec, typed, value, loc)
            elif name in NAMING:
                continue
            elif name in fields:
                self.put(spec, name, typed, self.convert(name, value, loc), loc)
                if spec is not None and name == "enterprise_number" and "identifier_type" in fields:
                    self.put(spec, "identifier_type", typed, role_value(spec, "identifier_type"), loc)
            else:
                self.no_cell(loc + (name,))

    def put(self, spec: RoleSpec | None, name: str, typed: dict[str, str], value: Any, loc: tuple) -> None:
        assert spec is not None
        f = next(f for f in spec.fields if f.name == name)
        self.store.put(spec, f, typed, value, self.d.where(*loc, name))

    def holdings(self, spec: RoleSpec | None, typed: dict[str, str], holdings: tuple, loc: tuple) -> None:
        if spec is None or spec.holding is None:
            self.no_cell(loc + ("holdings",))
            return
        for j, h in enumerate(holdings):
            t = dict(typed)
            t[spec.holding.index] = str(j + 1)
            for f in spec.holding.fields:
                value = getattr(h, f.name, None)
                if _empty(value):
                    continue
                hloc = loc + ("holdings", j, f.name)
                self.store.put(spec, f, t, self.convert(f.name, value, hloc), self.d.where(*hloc))

    def convert(self, name: str, value: Any, loc: tuple) -> Any:
        """The value as the fact store takes it: numbers as Decimal, percentages as fractions,
        the auditor's report PDF as its bytes, text without surrounding blanks."""
        if isinstance(value, bool):
            return value
        if name in PERCENT_FIELDS:
            return Decimal(value) / 100
        if isinstance(value, int):
            return Decimal(value)
        if name == "file":
            where = self.d.where(*loc, "file")
            path = self.d.resolve_path(value, *loc, "file")
            try:
                data = path.read_bytes()
            except OSError as e:
                raise InputError(f"{where}: cannot read {value} ({e.strerror or e})") from None
            if not data.startswith(b"%PDF"):
                raise InputError(f"{where}: {value} is not a PDF file")
            return data
        if isinstance(value, str):
            return value.strip()
        return value
