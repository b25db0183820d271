"""``nbb-filing init``: a commented starter dossier for a model, optionally from last year's filing.

The starter is written by walking the dossier's own pydantic model (:class:`nbb_filing.filing.dossier.Dossier`),
so every section of the schema appears, with the field's description as a comment and, for the
fields read from a package list (legal form, court, country, function, missions), the list's
name, size and the command that prints its values (small lists are spelled out), read from the
catalog of the model.  Values the user must give are placeholders (:mod:`nbb_filing.filing.placeholders`):
the file parses as written, and ``generate`` refuses it, naming the line, until every placeholder
is replaced.  Optional sections are written commented out (``# field: ...``).

With a previous filing (``--from LAST_YEAR.xbrl``) the identification, people, participations (with
the shareholders and the parent companies of the note blocks) and
language come from that filing through the importer (:func:`nbb_filing.reading.importer.dossier_from_filing`);
its exercise becomes ``previous_exercise``, the new exercise is the twelve months after it, and
``previous_filing`` names the filing so that ``generate`` fills the previous-year column from it.
Figures, appropriation, notes and documents of last year are not carried over (they are last year's);
of the note blocks, the shareholders and the consolidation (parents) are: they seldom change.
"""

from __future__ import annotations

import json
import os
import textwrap
import types
import typing
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from nbb_filing.books.mapping_file import shipped_mapping_for_model
from nbb_filing.core.errors import InputError
from nbb_filing.filing.dossier import Dossier
from nbb_filing.filing.dossier_notes import AuditorReport, ParentCompany, UnlimitedLiabilityCompany
from nbb_filing.filing.dossier_parts import (
    Address,
    Entity,
    Inputs,
    Mandate,
    Participation,
    Person,
)
from nbb_filing.filing.placeholders import placeholder
from nbb_filing.reading.starter_sections import required_sections_part
from nbb_filing.taxonomy.catalog import Catalog

#: Dossier fields whose value is a member of a package list: (model class, field) -> generator field
#: (role, field name) in data/dossier-datapoints.yaml, whose metric names the list.
LIST_FIELDS: dict[tuple[type, str], tuple[str, str]] = {
    (Entity, "legal_form"): ("entity", "legal_form"),
    (Entity, "court"): ("filing", "court"),
    (Address, "country"): ("entity", "address.country"),
    (Address, "postal_code"): ("entity", "address.postal_code"),
    (Mandate, "function"): ("director_natural", "function"),
    (Person, "missions"): ("accountant_natural", "missions"),
    (Participation, "legal_form"): ("participation", "legal_form"),
}

#: The same for the note blocks, whose roles are in data/dossier-notes.yaml.
NOTE_LIST_FIELDS: dict[tuple[type, str], tuple[str, str]] = {
    (AuditorReport, "opinion"): ("auditor_report", "opinion"),
    (ParentCompany, "level"): ("parent", "level"),
    (UnlimitedLiabilityCompany, "legal_form"): ("unlimited_liability", "legal_form"),
    (UnlimitedLiabilityCompany, "publication_code"): ("unlimited_liability", "publication_code"),
}

#: Optional fields written active (with placeholders) in a starter without a previous filing:
#: every filing has directors with a mandate (a previous filing brings its own).
FRESH_FIELDS: set[tuple[type, str]] = {
    (Dossier, "directors"),
    (Person, "first_name"),
    (Person, "last_name"),
    (Person, "mandates"),
}
#: Optional fields always written active: most filings are made from trial balances and a mapping
#: (delete the section when the dossier gives its figures directly).
ALWAYS_FIELDS: set[tuple[type, str]] = {(Dossier, "inputs"), (Inputs, "trial_balance"), (Inputs, "mapping")}

#: Sections of last year's filing that belong to last year and are not carried into the starter.
NOT_CARRIED = (
    "figures",
    "appropriation",
    "datapoint_facts",
    "fixed_assets",
    "social_balance",
    "contributions",
    "capital",
    "auditor_report",
    "commitments",
    "other_information",
    "valuation_rules",
    "management_report",
    "previous_amounts_identical",
)

#: Example values of commented-out path fields (instead of the field's name).
EXAMPLES: dict[tuple[type, str], str] = {
    (Dossier, "previous_filing"): "last-year.xbrl",
    (Inputs, "previous_trial_balance"): "tb-previous-year.csv",
}

WIDTH = 100


@dataclass(frozen=True)
class StarterResult:
    path: Path
    model: str
    placeholders: int
    from_filing: Path | None


# ====================================================================== list hints


def list_hints(catalog: Catalog, lang: str) -> dict[tuple[type, str], str]:
    """The comment naming the package list of each list field, for ``catalog``'s model."""
    from nbb_filing.filing.binding import load_table
    from nbb_filing.filing.notes.dossier_blocks import load_notes_table
    from nbb_filing.taxonomy.enum_lists import value_code, values_command

    table = load_table()
    note_roles = load_notes_table().table.roles
    out: dict[tuple[type, str], str] = {}
    for key, (role_name, field_name) in {**LIST_FIELDS, **NOTE_LIST_FIELDS}.items():
        role = table.roles.get(role_name) or note_roles.get(role_name)
        if role is None:
            continue
        specs = list(role.fields) + list(role.address)
        for ix in (role.mandate, role.missions):
            if ix is not None:
                specs += list(ix.fields)
        metric = next((f.metric for f in specs if f.name == field_name or f.name.endswith("." + field_name)), None)
        mt = catalog.metrics.get(metric) if metric else None
        if mt is None or mt.kind != "enum":
            continue
        if len(mt.enum_values) <= 6:
            listed = ", ".join(f"{value_code(v)} = {v.label(lang)}" for v in mt.enum_values)
            out[key] = f"one of list {mt.metric}: {listed}"
        else:
            out[key] = (
                f"code, QName or label from list {mt.metric} ({len(mt.enum_values)} values: "
                f"{values_command(mt.metric, catalog.model)})"
            )
    return out


# ====================================================================== rendering


def _scalar(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return format(v, "f")
    if isinstance(v, int):
        return str(v)
    return json.dumps(str(v), ensure_ascii=False)  # always quoted: no YAML retyping, no injected keys


def _unwrap(ann: Any) -> Any:
    """``Optional[X]`` -> ``X``."""
    if typing.get_origin(ann) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(ann) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return ann


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _hint(t: Any, name: str) -> str:
    """An example value for a commented-out scalar field."""
    if t is date:
        return "YYYY-MM-DD"
    if t is Decimal:
        return "0.00"
    if t is bool:
        return "true"
    if t is int:
        return "0"
    if typing.get_origin(t) is typing.Literal:
        return _scalar(typing.get_args(t)[0])
    return _scalar(f"{name}")


def _default(info: Any) -> Any:
    """The field's plain default (``None`` when it has none, or an empty/factory one)."""
    if info.is_required() or info.default_factory is not None or info.default in ((), {}):
        return None
    return info.default


class _Renderer:
    def __init__(self, hints: dict[tuple[type, str], str], fresh: bool) -> None:
        self.hints = hints
        self.fresh = fresh  # no previous filing: FRESH_FIELDS get placeholders
        self.lines: list[str] = []
        self.placeholders = 0
        self.said: set[str] = set()  # each explanation once per file
        self.shown: dict[type, str] = {}  # model classes written in full, and where

    def comment(self, indent: int, text: str, commented: bool) -> None:
        text = text.replace("``", "")
        if text in self.said:
            return
        self.said.add(text)
        pad = " " * indent
        for line in textwrap.wrap(text, WIDTH - indent - 2, break_on_hyphens=False, break_long_words=False):
            self.lines.append(f"{pad}# {line}")

    def put(self, indent: int, text: str, commented: bool) -> None:
        pad = " " * indent
        self.lines.append(f"{pad}# {text}" if commented else f"{pad}{text}")

    def placeholder(self, what: str) -> str:
        self.placeholders += 1
        return _scalar(placeholder(what))

    def compact(self, cls: type) -> str:
        """``{street: "street", ...}``: the required fields of ``cls`` with example values."""
        req = [(n, _unwrap(i.annotation)) for n, i in cls.model_fields.items() if i.is_required()]  # type: ignore[attr-defined]
        return "{" + (", ".join(f"{n}: {_hint(t, n)}" for n, t in req) or "...") + "}"

    def describe(self, cls: type, name: str, info: Any, t: Any) -> str:
        parts = []
        if info.description:
            parts.append(info.description)
        elif _is_model(t) and t.__doc__:
            parts.append(t.__doc__.strip().split("\n\n")[0].replace("\n", " "))
        if typing.get_origin(t) is typing.Literal:
            parts.append("one of: " + ", ".join(str(a) for a in typing.get_args(t)))
        hint = self.hints.get((cls, name))
        if hint:
            parts.append(hint)
        if _default(info) is not None and not _is_model(t):
            parts.append(f"default {_scalar(_default(info))}")
        return "; ".join(parts)

    def model(self, cls: type, data: dict | None, indent: int, commented: bool, first: str = "", at: str = "") -> None:
        """The fields of ``cls``; ``data`` gives values; ``first`` prefixes the first key (``- ``);
        ``at`` is the dotted path of ``cls`` in the dossier (for "fields as in ..." remarks)."""
        for i, (name, info) in enumerate(cls.model_fields.items()):  # type: ignore[attr-defined]
            lead = first if i == 0 else " " * len(first)
            self.field(cls, name, info, data, indent, commented, lead, at)

    def field(
        self, cls: type, name: str, info: Any, data: dict | None, indent: int, commented: bool, lead: str, at: str = ""
    ) -> None:
        t = _unwrap(info.annotation)
        value = (data or {}).get(name)
        text = self.describe(cls, name, info, t)
        required = info.is_required() or (cls, name) in ALWAYS_FIELDS or (self.fresh and (cls, name) in FRESH_FIELDS)
        present = value not in (None, (), [], {})
        inner = commented or not (present or required)
        if text:  # above the key; above the "- " of a list item's first key
            self.comment(indent + (0 if lead.strip() else len(lead)), text, commented)
        key = f"{lead}{name}:"
        here = f"{at}.{name}" if at else name
        origin = typing.get_origin(t)
        if _is_model(t):
            if inner and t in self.shown:  # a commented repeat: the required fields, in one line
                self.put(indent, f"{key} {self.compact(t)}   # fields as in {self.shown[t]}", True)
                return
            self.shown.setdefault(t, here)
            self.put(indent, key, inner)
            self.model(t, value if isinstance(value, dict) else None, indent + len(lead) + 2, inner, at=here)
        elif origin is tuple and _is_model(typing.get_args(t)[0]):
            item = typing.get_args(t)[0]
            if inner and item in self.shown:
                self.put(indent, f"{key} [{self.compact(item)}]   # fields as in {self.shown[item]}", True)
                return
            self.shown.setdefault(item, here)
            self.put(indent, key, inner)
            items = value if isinstance(value, list) and value else [None]
            for v in items:
                self.model(item, v, indent + len(lead) + 2, inner, first="- ", at=f"{here}[]")
        elif origin is tuple:
            vals = value if isinstance(value, list) and value else None
            if vals:
                self.put(indent, f"{key} [{', '.join(_scalar(v) for v in vals)}]", commented)
            else:
                self.put(indent, f"{key} [{_hint(str, name)}]", True)
        elif origin is dict and _is_model(typing.get_args(t)[1]):
            self.put(indent, key, True)
            self.put(
                indent + len(lead) + 2,
                '"CODE": {current: 0.00, previous: 0.00}   # by rubric code (nbb-filing taxonomy show MODEL)',
                True,
            )
        elif origin is dict and (cls, name) == (Dossier, "not_applicable"):
            self.put(indent, f'{key} {{RULE: "why the section does not apply"}}   # rules listed at the end', True)
        elif origin is dict:
            self.put(indent, f'{key} {{"dim:xxxx": "value"}}', True)
        elif present:
            self.put(indent, f"{key} {_scalar(value)}", commented)
        elif required and not commented:
            self.put(indent, f"{key} {self.placeholder(_what(name, t))}", False)
        elif _default(info) is not None and not commented:
            self.put(indent, f"{key} {_scalar(_default(info))}", False)
        else:
            example = EXAMPLES.get((cls, name))
            self.put(indent, f"{key} {_scalar(example) if example else _hint(t, name)}", True)


def _what(name: str, t: Any) -> str:
    what = name.replace("_", " ")
    return f"{what} (YYYY-MM-DD)" if t is date else what


# ====================================================================== previous filing


def _next_year(d: date) -> date:
    try:
        return d.replace(year=d.year + 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year + 1, day=28)


def data_from_filing(filing_path: Path, package: Any, dossier_path: Path, model: str | None) -> tuple[dict, str]:
    """Starter data from last year's filing (through the importer) and the model to use."""
    from nbb_filing.reading.importer import dossier_from_filing
    from nbb_filing.reading.reader import read_facts

    filing = read_facts(filing_path, package)
    data, _files, _not_imported, _remarks, _count = dossier_from_filing(filing)
    last = data.get("exercise") or {}
    start, end = last.get("start"), last.get("end")
    if not isinstance(start, date) or not isinstance(end, date):
        raise InputError(f"{filing_path}: the filing states no exercise dates; cannot start next year's dossier")
    out = {k: v for k, v in data.items() if k not in NOT_CARRIED}
    out["previous_exercise"] = {"start": start, "end": end}
    out["exercise"] = {"start": end + timedelta(days=1), "end": _next_year(end)}
    out.pop("general_meeting", None)
    rel = os.path.relpath(filing_path.resolve(), dossier_path.resolve().parent)
    # a dossier reads files from its own folder only (docs/security.md): a filing elsewhere is copied there
    out["previous_filing"] = filing_path.name if rel.startswith("..") else Path(rel).as_posix()
    return out, model or str(data.get("model") or filing.model)


def copy_beside(filing_path: Path, dossier_path: Path) -> Path | None:
    """Copy last year's filing into the dossier's folder when it lies elsewhere; the copy, or ``None``.

    Refuses (one line) to replace a different file of the same name there."""
    from nbb_filing.core.atomic import write_atomic

    folder = dossier_path.resolve().parent
    if not os.path.relpath(filing_path.resolve(), folder).startswith(".."):
        return None
    target = folder / filing_path.name
    data = filing_path.read_bytes()
    if target.exists():
        if target.read_bytes() == data:
            return target
        raise InputError(f"{target} exists and is another file: cannot copy {filing_path} beside the dossier")
    write_atomic(target, data)
    return target


# ====================================================================== entry points


def starter_text(
    model: str, catalog: Catalog, *, lang: str, data: dict | None = None, source: str | None = None
) -> tuple[str, int]:
    """The starter dossier's YAML text and its number of placeholders."""
    hints = list_hints(catalog, lang)
    values = dict(data or {})
    mapping = shipped_mapping_for_model(model)
    if mapping is not None:
        inputs = dict(values.get("inputs") or {})
        inputs.setdefault("mapping", mapping)
        values["inputs"] = inputs
        hints[(Inputs, "mapping")] = f"{mapping} is the shipped mapping of model {model}'s family"
    r = _Renderer(hints, fresh=data is None)
    values["model"] = model
    values.setdefault("language", lang)
    values["schema_version"] = 1
    origin = f"from {source}" if source else "for a new filing"
    r.lines += [
        f"# Starter dossier for model {model} ({origin}), written by nbb-filing init.",
        f"# Package: {catalog.package_name} {catalog.package_version}, framework {catalog.framework}.",
        f"# Replace every {placeholder('...')} (generate refuses the dossier while one is left), and",
        "# uncomment (remove '# ') the optional fields that apply.  Field reference: docs/generate.md;",
        "# allowed values of a package list: nbb-filing taxonomy values LIST --model " + model + ".",
        "",
    ]
    for name, info in Dossier.model_fields.items():
        r.field(Dossier, name, info, values, 0, False, "")
        if r.lines[-1] != "":
            r.lines.append("")
    r.lines += required_sections_part(catalog)  # issue 19: every section the model can require
    return "\n".join(r.lines).rstrip() + "\n", r.placeholders


def init_dossier(
    model: str | None,
    output: str | os.PathLike,
    package: Any,
    *,
    lang: str | None = None,
    from_filing: str | os.PathLike | None = None,
    force: bool = False,
) -> StarterResult:
    """Write a starter dossier to ``output`` (refused if it exists, unless ``force``); atomic."""
    from nbb_filing.core.atomic import write_atomic
    from nbb_filing.taxonomy.catalog_cache import load_catalog

    out = Path(output)
    if out.exists() and not force:
        raise InputError(f"{out} already exists (use --force to overwrite it)")
    if out.is_dir():
        raise InputError(f"{out} is a directory; give a file name such as dossier.yaml")
    data: dict | None = None
    src = Path(from_filing) if from_filing is not None else None
    if src is not None:
        data, model = data_from_filing(src, package, out, model)
    if not model:
        raise InputError("give the MODEL (e.g. m82-f), or --from last year's filing")
    catalog = load_catalog(package, model)
    language = lang or (data or {}).get("language") or "fr"
    if data is not None and lang:
        data["language"] = lang
    text, count = starter_text(model, catalog, lang=language, data=data, source=src.name if src else None)
    from nbb_filing.core.yaml_lines import check_yaml_text_size

    check_yaml_text_size(text, out, "dossier")  # generate would refuse it: nothing is written
    try:
        if src is not None:
            copy_beside(src, out)
        write_atomic(out, text)
    except OSError as e:
        raise InputError(f"{out}: cannot write the dossier ({e.strerror or e})") from None
    return StarterResult(out, model, count, src)
