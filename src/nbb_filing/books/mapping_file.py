"""Mapping files on disk: the YAML format (pydantic models, JSON schema) and reading one into a :class:`Mapping`.

The pydantic models here are the user boundary: they say what a mapping file may contain and give
one-line errors naming the file and line (see ``mappings/README.md``).  :func:`parse_mapping` turns
a valid file into the frozen :class:`~nbb_filing.books.mapping_model.Mapping` the engine works on.
YAML numbers are read as text, because rubric codes like ``10`` or ``9904`` and account selectors
like ``61`` are codes, not numbers.  A bare name such as ``with-capital`` names a mapping shipped
with the tool (:func:`locate_mapping`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Literal, Optional

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from nbb_filing.books.mapping_model import Group, Mapping, NoteRubricRule, NoteRule, Portion, Rule
from nbb_filing.books.selectors import Selector
from nbb_filing.books.totals import TotalDef
from nbb_filing.core.errors import InputError
from nbb_filing.core.pydantic_errors import one_line
from nbb_filing.core.shipped import shipped_mapping, shipped_mapping_names
from nbb_filing.core.yaml_lines import (
    StrictLoader,
    check_yaml_size,
    load_with_lines,
)

__all__ = [
    "MappingFile",
    "RuleModel",
    "NoteRuleModel",
    "NoteRubricRuleModel",
    "mapping_json_schema",
    "parse_mapping",
    "locate_mapping",
    "load_mapping",
    "shipped_mapping_for_model",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# validators of the fields both kinds of rule have (``id``, ``accounts``)


def _rule_id(v: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", v):
        raise ValueError("a rule id is letters, digits, '-', '_' or '.'")
    return v


def _selectors(v: list[str]) -> list[str]:
    out = []
    for s in v:
        s = str(s).strip()
        Selector.parse(s)
        out.append(s)
    return out


class RuleModel(_Strict):
    """One rule of a mapping file: accounts -> rubric (or control / refuse / ignore)."""

    id: str = Field(description="unique name of the rule, used in messages and provenance")
    accounts: list[str] = Field(min_length=1, description="selectors: '61' prefix, '=610000' exact, '600-608' range")
    side: Literal["debit", "credit", "either"] = Field(
        "either", description="catch the account only when its closing balance is on this side"
    )
    sign: Optional[Literal["debit", "credit"]] = Field(
        None, description="'debit': amount = debit - credit; 'credit': amount = credit - debit"
    )
    rubric: Optional[str] = Field(None, description="leaf rubric code of the family's full model")
    control: Optional[str] = Field(None, description="rubric these accounts must equal (not added to it)")
    refuse: Optional[str] = Field(None, description="reason why a non-zero balance is refused")
    ignore: Optional[str] = Field(None, description="reason why these accounts reach no rubric")
    contra: bool = Field(
        False,
        description="a contra (deduction) account of an asset or of capital (409, 2x9, 309, 519, 101 ...): 'side' is "
        "its normal side; it nets into 'rubric' whatever its side, and a balance on the other side is a finding",
    )
    note: Optional[str] = Field(None, description="free comment (why this rule)")

    _id = field_validator("id")(_rule_id)
    _accounts = field_validator("accounts")(_selectors)

    @field_validator("rubric", "control", mode="before")
    @classmethod
    def _code(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v

    @model_validator(mode="after")
    def _one_kind(self) -> RuleModel:
        kinds = [k for k in ("rubric", "control", "refuse", "ignore") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("a rule has exactly one of 'rubric', 'control', 'refuse' or 'ignore'")
        if kinds[0] in ("rubric", "control") and self.sign is None:
            raise ValueError(f"a '{kinds[0]}' rule needs 'sign: debit' or 'sign: credit'")
        if self.contra and (kinds[0] != "rubric" or self.side == "either"):
            raise ValueError(
                "a 'contra' rule targets a 'rubric' and names the account's normal 'side' (debit or credit)"
            )
        return self


class NoteRuleModel(_Strict):
    """A rule of the ``fixed_assets:`` section: accounts -> a closing value of the fixed-asset notes.

    These rules run beside the balance-sheet rules (an account reaches its balance-sheet rubric
    AND, through these, a line of the notes): the PCMN keeps gross values (e.g. 2100) apart from
    revaluations (xxx8) and depreciation or write-downs (xxx9), which the balance sheet nets.
    """

    id: str = Field(description="unique name of the rule, used in messages and provenance")
    accounts: list[str] = Field(min_length=1, description="selectors: '21' prefix, '=210900' exact, '600-608' range")
    note: str = Field(
        description="'class.line' or 'class.kind.line' of data/fixed-assets.yaml, e.g. 'intangible.acquisition_value', "
        "'tangible.24.depreciation' (furniture and vehicles), 'financial.280.uncalled'"
    )
    sign: Literal["debit", "credit"] = Field(description="'debit': amount = debit - credit; 'credit': credit - debit")
    comment: Optional[str] = Field(None, description="free comment (why this rule)")

    _id = field_validator("id")(_rule_id)
    _accounts = field_validator("accounts")(_selectors)

    @field_validator("note")
    @classmethod
    def _note(cls, v: str) -> str:
        if not re.fullmatch(r"[a-z_]+\.(\d[\d/-]*\.)?[a-z_]+", v.strip()):
            raise ValueError(
                "note is 'class.line' or 'class.kind.line', e.g. 'intangible.acquisition_value', "
                "'tangible.24.depreciation'"
            )
        return v.strip()


class NoteRubricRuleModel(_Strict):
    """A rule of the ``notes:`` section: accounts -> a rubric of the notes (620, 9125, 8912, 9371 ...).

    The account keeps its rubric of the statements (``rules:``); this rule adds it, or the part of
    it the dossier gives (``portion``), to a note's rubric.  The rubric is written in every model
    of the mapping whose package has it, and aggregated by the package's totals (8912 of the
    abbreviated model from 8802 ... 8902 of the full one).
    """

    id: str = Field(description="unique name of the rule, used in messages and provenance")
    accounts: list[str] = Field(min_length=1, description="selectors: '620' prefix, '=753100' exact, '42-48' range")
    side: Literal["debit", "credit", "either"] = Field(
        "either", description="catch the account only when its closing balance is on this side"
    )
    rubric: str = Field(description="rubric code of a note (any model of the mapping), e.g. 620, 9125, 8842, 9371")
    sign: Literal["debit", "credit"] = Field(description="'debit': amount = debit - credit; 'credit': credit - debit")
    portion: Optional[Portion] = Field(
        None,
        description="take only this part of the account, as the dossier's debts: gives it per account "
        "(one_to_five_years, over_five_years, guaranteed_by_government, guaranteed_by_real_securities, overdue)",
    )
    group: Optional[Group] = Field(
        None,
        description="catch only the accounts the dossier's group: lists for this kind of related enterprise "
        "(affiliated, associated, participating)",
    )
    excluding: list[str] = Field(
        default_factory=list,
        description="selectors of sub-accounts this rule leaves out (441 bills of exchange out of 44 suppliers)",
    )
    note: Optional[str] = Field(None, description="free comment (why this rule)")

    _id = field_validator("id")(_rule_id)
    _accounts = field_validator("accounts", "excluding")(_selectors)

    @field_validator("rubric", mode="before")
    @classmethod
    def _code(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


class MappingFile(_Strict):
    """A mapping file: PCMN accounts of a trial balance -> rubrics of the family's full model."""

    schema_version: Literal[1] = 1
    family: str = Field(description="e.g. 'without-capital', 'with-capital', 'association'")
    model: str = Field(description="the family's full model, whose leaf rubrics the rules target (e.g. m82-f)")
    models: list[str] = Field(
        default_factory=list, description="the models this mapping may be aggregated to (the full one included)"
    )
    description: str = ""
    rules: list[RuleModel] = Field(min_length=1)
    totals: dict[str, list[str]] = Field(
        default_factory=dict,
        description="extra totals for rubrics the package does not compute from the full model: "
        "rubric -> terms, a term '-60' is subtracted",
    )
    fixed_assets: list[NoteRuleModel] = Field(
        default_factory=list,
        description="closing values of the fixed-asset notes (gross, revaluation, depreciation ...) by account; "
        "checked against data/fixed-assets.yaml",
    )
    notes: list[NoteRubricRuleModel] = Field(
        default_factory=list,
        description="rubrics of the notes by account (620 ... 624, 9125, 6501, debts by term, group debts ...), "
        "fed in addition to the account's rubric of the statements",
    )

    @field_validator("schema_version", mode="before")
    @classmethod
    def _version(cls, v: Any) -> Any:
        return int(v) if isinstance(v, str) and v.isdigit() else v

    @field_validator("totals", mode="before")
    @classmethod
    def _totals(cls, v: Any) -> Any:
        if isinstance(v, dict):
            # terms become text (YAML reads -60 as a number); anything but a list is left to pydantic to refuse
            return {
                str(k): [str(t) for t in ts] if isinstance(ts, list) else ([] if ts is None else ts)
                for k, ts in v.items()
            }
        return v

    @field_validator("totals")
    @classmethod
    def _terms(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        for k, terms in v.items():
            if not terms:
                raise ValueError(f"total {k} has no terms")
            for t in terms:
                if not t.lstrip("+-").strip():
                    raise ValueError(f"total {k} has an empty term")
        return v


def mapping_json_schema() -> dict:
    """JSON Schema of mapping files, for editors (exported to ``mappings/mapping.schema.json``)."""
    schema = MappingFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "nbb-filing mapping file"
    return schema


# ====================================================================== loading


def _claim_id(ids: set[str], rule_id: str, source: str, line: int | None, section: str) -> None:
    """Add ``rule_id`` to the ids of the file's rules, refusing one that is there already."""
    if rule_id in ids:
        where = f"{source}{f' line {line}' if line else ''}"
        raise InputError(f"{where} ({section}): rule id {rule_id!r} is used twice")
    ids.add(rule_id)


class _Loader(StrictLoader):
    """Safe loader that keeps numbers as text: rubric codes like 10 or 9904 are codes, not ints."""


def _as_text(loader: yaml.SafeLoader, node: yaml.Node) -> str:
    return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:int", _as_text)
_Loader.add_constructor("tag:yaml.org,2002:float", _as_text)


def parse_mapping(text: str, source: str = "<mapping>", path: Path | None = None) -> Mapping:
    """Validate the YAML ``text`` of a mapping file; errors are one line naming ``source`` and line."""
    data, lines = load_with_lines(text, _Loader, source)
    if lines is None or data is None:
        raise InputError(f"{source}: the mapping file is empty")
    try:
        mf = MappingFile.model_validate(data)
    except ValidationError as e:
        raise InputError(one_line(e, source, lines, schema="mappings/mapping.schema.json", model=MappingFile)) from None
    rules = []
    for i, r in enumerate(mf.rules):
        kind = next(k for k in ("rubric", "control", "refuse", "ignore") if getattr(r, k) is not None)
        target = r.rubric if kind == "rubric" else r.control if kind == "control" else None
        reason = r.refuse if kind == "refuse" else r.ignore if kind == "ignore" else None
        rules.append(
            Rule(
                id=r.id,
                kind=kind,
                target=target,
                selectors=tuple(Selector.parse(s) for s in r.accounts),
                side=r.side,
                sign=r.sign,
                reason=reason,
                line=lines.get(("rules", i)),
                contra=r.contra,
            )
        )
    totals = []
    for code, terms in mf.totals.items():
        parsed = tuple((-1 if t.strip().startswith("-") else 1, t.strip().lstrip("+-").strip()) for t in terms)
        totals.append(TotalDef(f"{source}:{code}", code, parsed, source))
    models = tuple(dict.fromkeys([mf.model, *mf.models]))
    ids = {r.id for r in mf.rules}
    notes = []
    for i, n in enumerate(mf.fixed_assets):
        line = lines.get(("fixed_assets", i))
        _claim_id(ids, n.id, source, line, "fixed_assets")
        notes.append(NoteRule(n.id, n.note, tuple(Selector.parse(s) for s in n.accounts), n.sign, line))
    note_rubrics = []
    for i, nr in enumerate(mf.notes):
        line = lines.get(("notes", i))
        _claim_id(ids, nr.id, source, line, "notes")
        sels = tuple(Selector.parse(s) for s in nr.accounts)
        excl = tuple(Selector.parse(s) for s in nr.excluding)
        note_rubrics.append(NoteRubricRule(nr.id, nr.rubric, sels, nr.side, nr.sign, line, nr.portion, nr.group, excl))
    return Mapping(
        source,
        path,
        mf.family,
        mf.model,
        models,
        mf.description,
        tuple(rules),
        tuple(totals),
        tuple(notes),
        tuple(note_rubrics),
    )


def locate_mapping(path: str | os.PathLike, base: Path | None = None) -> Path:
    """The mapping file ``path`` names: a file (relative to ``base`` when given), else a shipped mapping.

    A bare name without suffix (``with-capital``) that is not a file there names the shipped mapping
    ``mappings/with-capital.yaml`` (found in the installed package or the source tree, see
    :mod:`nbb_filing.core.shipped`).  Returns the path as given when nothing is found (the caller says so).
    """
    given = Path(path)
    p = base / given if base is not None and not given.is_absolute() else given
    if p.is_file():
        return p
    if not given.suffix and len(given.parts) == 1:
        shipped = shipped_mapping(str(given))
        if shipped is not None:
            return shipped
    return p


def load_mapping(path: str | os.PathLike) -> Mapping:
    """Read and validate a mapping file.  A bare name like ``without-capital`` means ``mappings/<name>.yaml``."""
    p = locate_mapping(path)
    if not p.is_file():
        raise InputError(f"{p}: mapping file not found")
    check_yaml_size(p, "mapping")
    try:
        text = p.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{p.name}: a mapping file must be UTF-8 text") from None
    return parse_mapping(text, p.name, p)


def shipped_mapping_for_model(model: str) -> str | None:
    """The name of the shipped mapping whose ``models:`` list ``model`` (``m81-f`` -> ``without-capital``).

    Read from the shipped files themselves (each names its family's models), so a new mapping file
    needs no table here; ``None`` when no shipped mapping covers the model (or the name is ambiguous).
    """
    found = [name for name in shipped_mapping_names() if model in load_mapping(name).models]
    return found[0] if len(found) == 1 else None
