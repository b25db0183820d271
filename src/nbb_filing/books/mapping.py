"""Mapping files: which PCMN/MAR accounts feed which NBB rubric, and the engine that applies them.

A mapping file (YAML, see ``mappings/README.md`` and :class:`MappingFile`) lists *rules*.  A rule
selects accounts by exact number, prefix or range, at any depth, and only those whose closing
balance is on its ``side`` (``debit``, ``credit`` or ``either``).  That last point is the reason this
module exists: netting accounts by prefix, as many tools do, leaves an overdrawn bank account among
the assets and a supplier in debit among the debts.  Here each *account* is routed on its own
balance, so ``55`` in debit goes to 54/58 and ``55`` in credit to 430/8.

Resolution of one account: among the rules whose side admits the account's balance, the one whose
matching selector is the most specific wins (exact number > longer prefix > shorter prefix; a
range counts as slightly less specific than a prefix of the same length).  Two rules tied at the
top are a *conflict*: the mapping is ambiguous and the checker refuses it.

A rule is one of four kinds:

* ``rubric``: the account's amount is added to that rubric (a leaf of the family's full model);
* ``control``: the accounts mirror a rubric computed elsewhere and must equal it (693/793, the
  result carried forward in the appropriation account, mirror rubric 14 fed by 140/141);
* ``refuse``: a non-zero balance is an error (suspense accounts 499 must be cleared);
* ``ignore``: accounts outside the balance sheet and income statement (class 0 commitments).

A ``rubric`` rule may be ``contra: true``: its accounts are deductions from an asset (409 write-downs
on trade receivables into 40, 2x9 depreciation into the fixed asset, 309 ... 379 into the stocks,
519/529/539 into the investments) or from capital (101 uncalled capital).  Its ``side`` is then the
account's *normal* side; the rule catches the account on both sides, so a contra account is always
netted into its line and never re-routed to the debts, and a balance on the other side (409 in
debit) is a finding (``contra-side``) that blocks the figures.

``sign`` turns the balance into the rubric's amount: ``debit`` means debit minus credit, ``credit``
means credit minus debit.  All rules of one rubric must agree on it, which is what makes the sum
of the balances conserved into the leaf rubrics (each rubric is oriented debit or credit).

Totals are never mapped: they come from the package's own linear assertions (``Catalog.totals``),
plus the few totals a mapping file declares for rubrics of the smaller models that the package does
not define as a sum of the full model's rubrics (e.g. 60/61).  The same equations aggregate the full
model's figures to the abbreviated and micro models: every identity is solved forwards (total from
parts) and, when a smaller model splits a total differently (170/4 = 172/3 + 174/0), backwards
(the one missing part from the total and the other parts).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Literal, Optional, Sequence

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from nbb_filing.books import closed_books, size
from nbb_filing.books.figures import Figure, RubricFigures
from nbb_filing.books.ledger import AccountLine, TrialBalance, read_trial_balance
from nbb_filing.core.errors import FindingsError, InputError, NbbFilingError
from nbb_filing.core.pydantic_errors import one_line
from nbb_filing.core.shipped import shipped_mapping
from nbb_filing.core.yaml_lines import (
    StrictLoader,
    check_yaml_size,
    load_with_lines,
)
from nbb_filing.taxonomy.catalog import Catalog

ZERO = Decimal(0)

__all__ = [
    "MappingFile",
    "Mapping",
    "Rule",
    "Selector",
    "Allocation",
    "Finding",
    "CheckReport",
    "load_mapping",
    "parse_mapping",
    "read_trial_balance",
    "apply_mapping",
    "compute_figures",
    "check_mapping",
    "mapping_json_schema",
]

# ====================================================================== selectors

_SELECTOR = re.compile(r"^(?:=(?P<exact>\d+)|(?P<lo>\d+)-(?P<hi>\d+)|(?P<prefix>\d+)|(?P<pattern>\d[\dx]*x[\dx]*\d))$")


@dataclass(frozen=True)
class Selector:
    """``"61"`` (prefix), ``"=610000"`` (exact number), ``"600-608"`` (range of prefixes) or
    ``"2xx9"`` (prefix pattern, ``x`` = any digit).

    A range compares the account's first N digits, N being the length of the bounds, so
    ``600-608`` catches 6000, 60411 and 608999 but not 609.  A pattern names the PCMN's
    sub-accounts that recur under every asset account: ``22x9`` catches the depreciation accounts
    2209, 2219 ... 2299 (and their sub-accounts); each ``x`` makes it half a digit less specific.
    """

    text: str
    kind: str  # "exact" | "prefix" | "range" | "pattern"
    lo: str
    hi: str

    @classmethod
    def parse(cls, text: str) -> "Selector":
        m = _SELECTOR.match(text.strip())
        if not m:
            raise ValueError(
                f"account selector {text!r} must be digits (prefix), '=digits' (exact account), 'digits-digits' (range) or a pattern like '22x9' (x = any digit, ends with a digit)"
            )
        if m.group("exact"):
            v = m.group("exact")
            return cls(text, "exact", v, v)
        if m.group("prefix"):
            v = m.group("prefix")
            return cls(text, "prefix", v, v)
        if m.group("pattern"):
            v = m.group("pattern")
            return cls(text, "pattern", v, v)
        lo, hi = m.group("lo"), m.group("hi")
        if len(lo) != len(hi) or lo > hi:
            raise ValueError(f"account range {text!r} needs two bounds of the same length, the first not above the second")
        return cls(text, "range", lo, hi)

    @property
    def specificity(self) -> float:
        if self.kind == "exact":
            return 1000.0
        if self.kind == "prefix":
            return float(len(self.lo))
        if self.kind == "pattern":
            return len(self.lo) - 0.5 * self.lo.count("x")
        return len(self.lo) - 0.5

    def matches(self, account: str) -> bool:
        if self.kind == "exact":
            return account == self.lo
        if self.kind == "prefix":
            return account.startswith(self.lo)
        if self.kind == "pattern":
            return len(account) >= len(self.lo) and all(p in ("x", a) for p, a in zip(self.lo, account))
        head = account[: len(self.lo)]
        return len(head) == len(self.lo) and self.lo <= head <= self.hi

    def overlaps_at_same_level(self, other: "Selector") -> bool:
        """Could one account match both selectors with the same specificity (an ambiguity)?"""
        if self.specificity != other.specificity:
            return False
        if "pattern" in (self.kind, other.kind):
            # conservative: the common positions are compatible (a digit range counts as its bounds)
            a, b = self.lo, other.lo
            return all(x == y or "x" in (x, y) for x, y in zip(a, b))
        if self.kind == "exact" or self.kind == "prefix":
            return self.lo == other.lo
        return not (self.hi < other.lo or other.hi < self.lo)


# ====================================================================== file model (pydantic, the user boundary)


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
    def _one_kind(self) -> "RuleModel":
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
            raise ValueError("note is 'class.line' or 'class.kind.line', e.g. 'intangible.acquisition_value', "
                             "'tangible.24.depreciation'")
        return v.strip()


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

    @field_validator("schema_version", mode="before")
    @classmethod
    def _version(cls, v: Any) -> Any:
        return int(v) if isinstance(v, str) and v.isdigit() else v

    @field_validator("totals", mode="before")
    @classmethod
    def _totals(cls, v: Any) -> Any:
        if isinstance(v, dict):
            # terms become text (YAML reads -60 as a number); anything but a list is left to pydantic to refuse
            return {str(k): [str(t) for t in ts] if isinstance(ts, list) else ([] if ts is None else ts)
                    for k, ts in v.items()}
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


# ====================================================================== internal, frozen model


class _Selecting:
    """What both kinds of rule do with an account: match it by selector, orient its balance by ``sign``."""

    selectors: tuple[Selector, ...]
    sign: str | None

    def specificity_for(self, account: str) -> float | None:
        best = None
        for sel in self.selectors:
            if sel.matches(account):
                best = sel.specificity if best is None else max(best, sel.specificity)
        return best

    def amount(self, account: AccountLine) -> Decimal:
        return account.balance if self.sign == "debit" else -account.balance


@dataclass(frozen=True)
class Rule(_Selecting):
    id: str
    kind: str  # "rubric" | "control" | "refuse" | "ignore"
    target: str | None  # rubric code for rubric/control
    selectors: tuple[Selector, ...]
    side: str
    sign: str | None
    reason: str | None
    line: int | None
    contra: bool = False  # a deduction account: ``side`` is its normal side, it is caught on both

    def admits(self, account: AccountLine) -> bool:
        s = account.side
        return self.side == "either" or self.contra or s == "zero" or s == self.side

    def unexpected_side(self, account: AccountLine) -> bool:
        """A contra account whose balance is on the other side than its normal one (409 in debit)."""
        return self.contra and account.side not in ("zero", self.side)

    @property
    def catches(self) -> str:
        """The sides on which the rule catches accounts (a contra rule catches both)."""
        return "either" if self.contra else self.side

    @property
    def where(self) -> str:
        return f"rule '{self.id}'" + (f" (line {self.line})" if self.line else "")


@dataclass(frozen=True)
class TotalDef:
    """``rubric = sum(sign * term)``; ``origin`` is the package assertion id or the mapping file."""

    id: str
    rubric: str
    terms: tuple[tuple[int, str], ...]
    origin: str

    def formula(self) -> str:
        parts = []
        for i, (sg, code) in enumerate(self.terms):
            parts.append((code if sg > 0 else f"- {code}") if i == 0 else (f"+ {code}" if sg > 0 else f"- {code}"))
        return f"{self.rubric} = {' '.join(parts)}"


@dataclass(frozen=True)
class NoteRule(_Selecting):
    """``fixed_assets:`` rule: accounts -> closing value ``note`` ("class.line" or "class.kind.line")
    of the fixed-asset notes."""

    id: str
    note: str
    selectors: tuple[Selector, ...]
    sign: str
    line: int | None

    @property
    def where(self) -> str:
        return f"fixed_assets rule '{self.id}'" + (f" (line {self.line})" if self.line else "")


@dataclass(frozen=True)
class Mapping:
    source: str  # file name for messages
    path: Path | None
    family: str
    model: str
    models: tuple[str, ...]
    description: str
    rules: tuple[Rule, ...]
    totals: tuple[TotalDef, ...]
    fixed_assets: tuple[NoteRule, ...] = ()

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def rubric_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.kind == "rubric")

    @cached_property
    def rules_by_digit(self) -> dict[str, tuple[Rule, ...]]:
        """Rules that can match an account starting with each digit (routing a big ledger fast)."""
        out: dict[str, list[Rule]] = {d: [] for d in "0123456789"}
        for r in self.rules:
            digits = set()
            for sel in r.selectors:
                digits.update(str(d) for d in range(int(sel.lo[0]), int(sel.hi[0]) + 1))
            for d in sorted(digits):
                out[d].append(r)
        return {d: tuple(rs) for d, rs in out.items()}


# ====================================================================== loading


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
        raise InputError(one_line(e, source, lines, schema="mappings/mapping.schema.json")) from None
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
    for i, r in enumerate(mf.fixed_assets):
        line = lines.get(("fixed_assets", i))
        if r.id in ids:
            raise InputError(f"{source}{f' line {line}' if line else ''} (fixed_assets): rule id {r.id!r} is used twice")
        ids.add(r.id)
        notes.append(NoteRule(r.id, r.note, tuple(Selector.parse(s) for s in r.accounts), r.sign, line))
    return Mapping(
        source, path, mf.family, mf.model, models, mf.description, tuple(rules), tuple(totals), tuple(notes)
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


# ====================================================================== applying a mapping to one trial balance


@dataclass(frozen=True)
class Posting:
    account: AccountLine
    rule: Rule
    amount: Decimal  # in the rule's sign convention


@dataclass(frozen=True)
class Allocation:
    """Where every account of one trial balance went."""

    tb: TrialBalance
    postings: tuple[Posting, ...]  # rubric rules
    controls: tuple[Posting, ...]  # control rules
    refused: tuple[Posting, ...]  # non-zero accounts caught by a refuse rule
    ignored: tuple[Posting, ...]
    unmapped: tuple[AccountLine, ...]  # non-zero accounts no rule catches
    conflicts: tuple[tuple[AccountLine, tuple[Rule, ...]], ...]
    wrong_side: tuple[Posting, ...] = ()  # contra accounts on their unexpected side (also in postings)

    def leaf_amounts(self, mapping: Mapping) -> dict[str, Decimal]:
        """Every rubric a rule targets, with the sum of its postings (zero when nothing posted)."""
        out: dict[str, Decimal] = {r.target: ZERO for r in mapping.rubric_rules() if r.target}
        for p in self.postings:
            out[p.rule.target] += p.amount  # type: ignore[index]
        return out

    def accounts_of(self, rubric: str) -> list[Posting]:
        return [p for p in self.postings if p.rule.target == rubric]

    @property
    def problems(self) -> bool:
        return bool(self.refused or self.unmapped or self.conflicts or self.wrong_side)


def resolve_account(mapping: Mapping, account: AccountLine) -> tuple[Rule, ...]:
    """The rules that catch ``account``: one, none, or several (a conflict)."""
    best: float | None = None
    winners: list[Rule] = []
    for r in mapping.rules_by_digit.get(account.account[:1], ()):
        if not r.admits(account):
            continue
        spec = r.specificity_for(account.account)
        if spec is None:
            continue
        if best is None or spec > best:
            best, winners = spec, [r]
        elif spec == best:
            winners.append(r)
    return tuple(winners)


def apply_mapping(mapping: Mapping, tb: TrialBalance) -> Allocation:
    postings, controls, refused, ignored, unmapped, conflicts, wrong_side = [], [], [], [], [], [], []
    for a in tb.accounts:
        if a.balance == 0:
            continue  # no amount, no side: nothing to route
        rules = resolve_account(mapping, a)
        if not rules:
            unmapped.append(a)
            continue
        if len(rules) > 1:
            conflicts.append((a, rules))
            continue
        r = rules[0]
        p = Posting(a, r, r.amount(a) if r.sign else a.balance)
        {"rubric": postings, "control": controls, "refuse": refused, "ignore": ignored}[r.kind].append(p)
        if r.unexpected_side(a):
            wrong_side.append(p)  # netted into its asset all the same (never re-routed), and reported
    return Allocation(tb, tuple(postings), tuple(controls), tuple(refused), tuple(ignored), tuple(unmapped),
                      tuple(conflicts), tuple(wrong_side))


def wrong_side_message(p: Posting) -> str:
    """Why a contra account on its unexpected side is a finding (409 in debit ...)."""
    a, r = p.account, p.rule
    return (f"account {a.account} (line {a.line}) is a contra account normally in {r.side} ({r.where}, netted into "
            f"rubric {r.target}) but has a {a.side} balance of {abs(a.balance)}; correct the entries (e.g. a reversal "
            f"larger than the write-down) rather than presenting it elsewhere")


# ====================================================================== totals: solving the package's identities


def package_totals(catalog: Catalog) -> tuple[TotalDef, ...]:
    return tuple(TotalDef(t.id, t.rubric, tuple(t.terms), f"{catalog.model} {t.id}") for t in getattr(catalog, "totals", ()))


def _dedupe(totals: Iterable[TotalDef]) -> list[TotalDef]:
    seen: dict[tuple, TotalDef] = {}
    for t in totals:
        key = (t.rubric, tuple(sorted(t.terms)))
        seen.setdefault(key, t)
    return list(seen.values())


def solve_totals(
    values: dict[str, Decimal], sources: dict[str, str], totals: Sequence[TotalDef]
) -> None:
    """Complete ``values`` in place with every rubric the identities ``totals`` determine.

    Forwards: a total whose terms are all known.  Backwards: a term that is the only unknown of an
    identity whose total is known (how 174/0 of the abbreviated model comes from 170/4 and 172/3).
    """
    changed = True
    while changed:
        changed = False
        for t in totals:
            unknown = [(sg, c) for sg, c in t.terms if c not in values]
            if t.rubric not in values and not unknown:
                values[t.rubric] = sum((sg * values[c] for sg, c in t.terms), ZERO)
                sources[t.rubric] = f"computed: {t.formula()}"
                changed = True
            elif t.rubric in values and len(unknown) == 1 and sum(1 for _, c in t.terms if c == unknown[0][1]) == 1:
                sg, c = unknown[0]
                rest = sum((s * values[x] for s, x in t.terms if x != c), ZERO)
                values[c] = sg * (values[t.rubric] - rest)
                sources[c] = f"computed: {c} from {t.formula()}"
                changed = True


def _violations(values: dict[str, Decimal], totals: Sequence[TotalDef]) -> list[str]:
    out = []
    for t in totals:
        if t.rubric in values and all(c in values for _, c in t.terms):
            got = sum((sg * values[c] for sg, c in t.terms), ZERO)
            if got != values[t.rubric]:
                out.append(f"{t.formula()} ({t.origin}) does not hold: {values[t.rubric]} against {got}")
    return out


# ====================================================================== figures for a model


def _amount_rubric(catalog: Catalog, code: str, period: str) -> bool:
    if not catalog.has_rubric(code):
        return False
    for dp in catalog.by_rubric(code):
        if dp.period == period and catalog.metric_type(dp).kind == "amount":
            return True
    return False


def _type_problem(catalog: Catalog, code: str, period: str, amount: Decimal) -> str | None:
    reasons = []
    for dp in catalog.by_rubric(code):
        if dp.period != period or catalog.metric_type(dp).kind != "amount":
            continue
        why = catalog.metric_type(dp).check(amount)
        if why is None:
            return None
        reasons.append(why)
    return reasons[0] if reasons else None


def _first(items: list[str], limit: int = 10) -> str:
    """``a, b, c`` or ``a, b, ... and 12 more``: provenance stays readable for big ledgers."""
    head = ", ".join(items[:limit])
    return head + (f" and {len(items) - limit} more" if len(items) > limit else "")


def _summarise(items: list[str], limit: int = 8) -> str:
    head = "; ".join(items[:limit])
    return head + (f"; and {len(items) - limit} more" if len(items) > limit else "")


def _allocation_errors(mapping: Mapping, alloc: Allocation, values: dict[str, Decimal] | None = None) -> list[str]:
    errs = []
    for a in alloc.unmapped:
        errs.append(f"account {a.account} (line {a.line}, balance {a.balance}) reaches no rubric")
    for a, rules in alloc.conflicts:
        errs.append(f"account {a.account} (line {a.line}) is caught by {' and '.join(r.where for r in rules)}")
    for p in alloc.refused:
        errs.append(f"account {p.account.account} (line {p.account.line}) must be zero ({p.rule.reason}), balance {p.account.balance}")
    for p in alloc.wrong_side:
        errs.append(wrong_side_message(p))
    if values is not None:
        for rubric, amount in _control_amounts(alloc).items():
            expected = values.get(rubric, ZERO)
            if amount != expected:
                accts = ", ".join(p.account.account for p in alloc.controls if p.rule.target == rubric)
                errs.append(f"accounts {accts} give {amount} but rubric {rubric} is {expected}")
    return errs


def _control_amounts(alloc: Allocation) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for p in alloc.controls:
        out[p.rule.target] += p.amount  # type: ignore[index]
    return dict(out)


@dataclass(frozen=True)
class PeriodResult:
    """Everything computed for one period: the allocation and every rubric value (full and target)."""

    period: str
    allocation: Allocation
    values: dict[str, Decimal]
    sources: dict[str, str]
    errors: tuple[str, ...]


def compute_period(
    mapping: Mapping, tb: TrialBalance, period: str, full_catalog: Catalog, catalog: Catalog
) -> PeriodResult:
    """Apply ``mapping`` to ``tb`` and solve all totals; errors are collected, not raised."""
    alloc = apply_mapping(mapping, tb)
    values = alloc.leaf_amounts(mapping)
    sources: dict[str, str] = {}
    by_rule: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for p in alloc.postings:
        by_rule[p.rule.target][p.rule.id].append(p.account.account)  # type: ignore[index]
    for rubric in values:
        parts = [f"accounts {_first(accs)} via rule '{rid}'" for rid, accs in by_rule.get(rubric, {}).items()]
        sources[rubric] = f"{tb.source}: {'; '.join(parts) if parts else 'no account'} of {mapping.source}"
    totals = _dedupe([*package_totals(full_catalog), *mapping.totals, *package_totals(catalog)])
    solve_totals(values, sources, totals)
    errors = _allocation_errors(mapping, alloc, values)
    errors += _violations(values, totals)
    return PeriodResult(period, alloc, values, sources, tuple(errors))


def compute_figures(
    catalog: Catalog,
    mapping: Mapping,
    current: TrialBalance,
    previous: TrialBalance | None,
    *,
    full_catalog: Catalog | None = None,
) -> RubricFigures:
    """Rubric figures of ``catalog``'s model from the trial balances, through ``mapping``.

    The mapping's rules give the leaf rubrics of the family's full model (``mapping.model``); the
    package's totals (of the full and of the target model) and the mapping's own totals give every
    other rubric.  Only rubrics of ``catalog``'s model with an amount datapoint for the period are
    returned, in the catalog's order, current year first.

    Convention: **zero figures are omitted** (a rubric absent from the result is zero or not
    computable from a trial balance); ``RubricFigures.get`` then returns ``None``.

    Raises :class:`~nbb_filing.core.errors.FindingsError` (exit 1), listing every occurrence, when an
    account with a balance reaches no rubric, is caught by two rules, is refused, when a control
    account disagrees with its rubric, when a total does not hold, or when a figure breaks its
    datapoint's type (a negative amount where the taxonomy requires >= 0).
    """
    if catalog.model not in mapping.models:
        raise InputError(
            f"{mapping.source} maps the models {', '.join(mapping.models)}, not {catalog.model}"
        )
    if full_catalog is None:
        full_catalog = catalog if catalog.model == mapping.model else catalog.sibling(mapping.model)
    figures: list[Figure] = []
    errors: list[str] = []
    for period, tb in (("current", current), ("previous", previous)):
        if tb is None:
            continue
        res = compute_period(mapping, tb, period, full_catalog, catalog)
        errors += [f"{tb.source}: {e}" for e in res.errors]
        for code in catalog.rubrics():
            if code not in res.values or not _amount_rubric(catalog, code, period):
                continue
            amount = res.values[code]
            if amount == 0:
                continue
            why = _type_problem(catalog, code, period, amount)
            if why:
                errors.append(f"{tb.source}: rubric {code} ({period}) = {amount}: {why} ({res.sources.get(code, '')})")
                continue
            figures.append(Figure(code, period, amount, res.sources.get(code, "")))
    if errors:
        raise FindingsError(f"{len(errors)} problem(s) computing {catalog.model} figures: {_summarise(errors)}")
    return RubricFigures(catalog.model, tuple(figures))


# ====================================================================== the checker


@dataclass(frozen=True)
class Finding:
    code: str  # unknown-rubric, overlap, total-mapped, total-cycle, total-contradiction, sign-type, sign-mixed, ...
    message: str
    rule: str | None = None
    rubric: str | None = None
    account: str | None = None
    period: str | None = None

    def to_json(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Coverage:
    period: str
    source: str
    accounts: int  # accounts with a non-zero balance
    mapped: int  # of which reaching a rubric (or a control)
    ignored: int
    amount: Decimal  # sum of absolute balances
    mapped_amount: Decimal

    def to_json(self) -> dict:
        return {
            "period": self.period,
            "source": self.source,
            "accounts": self.accounts,
            "mapped_accounts": self.mapped,
            "ignored_accounts": self.ignored,
            "amount": str(self.amount),
            "mapped_amount": str(self.mapped_amount),
        }


@dataclass(frozen=True)
class CheckReport:
    mapping: str
    model: str
    findings: tuple[Finding, ...]
    coverage: tuple[Coverage, ...]
    figures: tuple[tuple[str, Decimal | None, Decimal | None], ...]  # (rubric, current, previous)
    warnings: tuple[str, ...] = ()  # to look at, not findings (the size of the entity against the model)

    @property
    def ok(self) -> bool:
        return not self.findings

    def to_json(self) -> dict:
        return {
            "mapping": self.mapping,
            "model": self.model,
            "ok": self.ok,
            "findings": [f.to_json() for f in self.findings],
            "warnings": list(self.warnings),
            "coverage": [c.to_json() for c in self.coverage],
            "figures": [
                {"rubric": r, "current": None if c is None else str(c), "previous": None if p is None else str(p)}
                for r, c, p in self.figures
            ],
        }


def _static_findings(mapping: Mapping, full: Catalog, target: Catalog) -> list[Finding]:
    out: list[Finding] = []
    known_models = {full.model: full, target.model: target}
    seen_ids: dict[str, Rule] = {}
    for r in mapping.rules:
        if r.id in seen_ids:
            out.append(Finding("duplicate-id", f"{r.where}: the id '{r.id}' is also used by {seen_ids[r.id].where}", rule=r.id))
        seen_ids.setdefault(r.id, r)
    if target.model not in mapping.models:
        out.append(
            Finding("unknown-model", f"{mapping.source} declares models {', '.join(mapping.models)}, not {target.model}")
        )
    if mapping.fixed_assets:
        from nbb_filing.books.notes_table import load_notes_table

        table = load_notes_table()
        closing = set(table.closing_notes())
        shown = sorted(n for n in closing if n.count(".") == 1)
        for n in mapping.fixed_assets:
            if n.note not in closing:
                out.append(
                    Finding("unknown-note", f"{n.where}: {n.note!r} is not a closing line of the fixed-asset notes "
                            f"({', '.join(shown)}, or class.kind.line)", rule=n.id)
                )
    all_totals = _dedupe([*package_totals(full), *package_totals(target), *mapping.totals])
    total_rubrics = {t.rubric: t for t in all_totals}

    # rubric codes of rules must be leaves of the full model
    for r in mapping.rules:
        if r.kind not in ("rubric", "control") or r.target is None:
            continue
        if not full.has_rubric(r.target):
            out.append(Finding("unknown-rubric", f"{r.where}: rubric {r.target} is not in model {full.model}", rule=r.id, rubric=r.target))
            continue
        if r.kind == "rubric" and r.target in total_rubrics:
            t = total_rubrics[r.target]
            out.append(
                Finding("total-mapped", f"{r.where}: rubric {r.target} is a total ({t.formula()}, {t.origin}); map its parts",
                        rule=r.id, rubric=r.target)
            )
    # codes in the mapping's totals must exist in one of the models the mapping declares: a total
    # of the smaller models (9900, 60/61, 172/3) is computed where a model has it, and is neither
    # required of nor refused for a model (the full one) whose package lacks it
    family = _family_catalogs(mapping, known_models)
    for t in mapping.totals:
        for code in [t.rubric, *(c for _, c in t.terms)]:
            if not any(c.has_rubric(code) for c in family):
                names = ", ".join(c.model for c in family)
                out.append(Finding("unknown-rubric", f"total {t.rubric} of {mapping.source}: rubric {code} is in no "
                                   f"model of the mapping ({names})", rubric=code))

    # sign conventions against the datapoint's type, and one orientation per rubric
    signs: dict[str, dict[str, list[Rule]]] = defaultdict(lambda: defaultdict(list))
    for r in mapping.rules:
        if r.kind != "rubric" or r.target is None or not full.has_rubric(r.target):
            continue
        signs[r.target][r.sign or ""].append(r)
        if r.side == "either" or r.contra:
            continue  # a contra account reduces its rubric by design; the netted figure is checked
        always = "nonnegative" if r.side == r.sign else "nonpositive"
        for dp in full.by_rubric(r.target):
            mt = full.metric_type(dp)
            if mt.kind != "amount":
                continue
            if (mt.sign == "nonnegative" and always == "nonpositive") or (mt.sign == "nonpositive" and always == "nonnegative"):
                need = ">= 0" if mt.sign == "nonnegative" else "<= 0"
                out.append(
                    Finding("sign-type", f"{r.where}: side {r.side} with sign {r.sign} always gives a "
                            f"{'negative' if always == 'nonpositive' else 'positive'} amount, but rubric {r.target} "
                            f"({mt.metric}) must be {need}", rule=r.id, rubric=r.target)
                )
                break
    for rubric, by_sign in signs.items():
        if len(by_sign) > 1:
            desc = "; ".join(f"sign {s} in {', '.join(x.where for x in rs)}" for s, rs in by_sign.items())
            out.append(Finding("sign-mixed", f"rubric {rubric} has contradicting signs: {desc}", rubric=rubric))

    # two rules catching the same account on the same side (at the same specificity)
    rules = mapping.rules
    for i, a in enumerate(rules):
        for b in rules[i + 1:]:
            if not (a.catches == b.catches or "either" in (a.catches, b.catches)):
                continue
            for sa in a.selectors:
                for sb in b.selectors:
                    if sa.overlaps_at_same_level(sb):
                        side = a.catches if a.catches != "either" else b.catches
                        out.append(
                            Finding("overlap", f"{a.where} and {b.where} both catch accounts '{sa.text}'/'{sb.text}' "
                                    f"on the {side} side{'s' if side == 'either' else ''}", rule=a.id)
                        )

    out += _total_structure_findings(mapping, full, target, all_totals)
    return out


def _family_catalogs(mapping: Mapping, known: dict[str, Catalog]) -> list[Catalog]:
    """The catalogs of every model ``mapping`` declares (the checked ones first), loaded from the
    same package; a model the package does not have is skipped (reported as unknown-model)."""
    out = list(known.values())
    anchor = out[0]
    for model in mapping.models:
        if model in known or anchor.package is None:
            continue
        try:
            out.append(anchor.sibling(model))
        except NbbFilingError:
            continue
    return out


def _total_structure_findings(mapping: Mapping, full: Catalog, target: Catalog, totals: list[TotalDef]) -> list[Finding]:
    out: list[Finding] = []
    # cycles: rubric -> terms dependency graph
    graph: dict[str, set[str]] = defaultdict(set)
    for t in totals:
        graph[t.rubric].update(c for _, c in t.terms)
    color: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(n: str, stack: list[str]) -> None:
        color[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if color.get(m) == 1:
                cycles.append(stack[stack.index(m):] + [m])
            elif m not in color:
                visit(m, stack)
        stack.pop()
        color[n] = 2

    for n in sorted(graph):
        if n not in color:
            visit(n, [])
    for cyc in cycles:
        out.append(Finding("total-cycle", f"totals form a cycle: {' -> '.join(cyc)}", rubric=cyc[0]))
    if cycles:
        return out

    # contradictions: expand each identity into leaves of the full model with the full model's
    # package totals (the reference) and the mapping's totals, and compare both sides.  Only
    # identities that involve a total of the mapping are judged: the package is the authority on
    # its own totals (disagreements inside a package surface as numeric findings with a trial balance).
    ref: dict[str, TotalDef] = {}
    for t in package_totals(full):
        ref.setdefault(t.rubric, t)
    for t in mapping.totals:
        ref.setdefault(t.rubric, t)
    own = {id(t) for t in mapping.totals}

    def expand(code: str, used: set, depth: int = 0) -> dict[str, int] | None:
        if depth > 50:
            return None
        t = ref.get(code)
        if t is None:
            return {code: 1}
        if id(t) in own:
            used.add(code)
        acc: dict[str, int] = defaultdict(int)
        for sg, c in t.terms:
            e = expand(c, used, depth + 1)
            if e is None:
                return None
            for k, v in e.items():
                acc[k] += sg * v
        return {k: v for k, v in acc.items() if v}

    for t in totals:
        used: set = set()
        lhs = expand(t.rubric, used)
        rhs: dict[str, int] = defaultdict(int)
        ok = lhs is not None
        for sg, c in t.terms:
            e = expand(c, used)
            if e is None:
                ok = False
                break
            for k, v in e.items():
                rhs[k] += sg * v
        if not ok or lhs is None or not (used or id(t) in own):
            continue
        rhs_clean = {k: v for k, v in rhs.items() if v}
        # only comparable when both sides are expressed in the full model's rubrics
        if not all(full.has_rubric(k) for k in [*lhs, *rhs_clean]):
            continue
        if lhs != rhs_clean and ref.get(t.rubric) is not t:
            diff = sorted(set(lhs.items()) ^ set(rhs_clean.items()))
            other = ref[t.rubric]
            out.append(
                Finding("total-contradiction", f"{t.formula()} ({t.origin}) contradicts {other.formula()} "
                        f"({other.origin}): they differ on {', '.join(dict.fromkeys(k for k, _ in diff))}",
                        rubric=t.rubric)
            )
    return out


def _reachability_findings(mapping: Mapping, full: Catalog, target: Catalog) -> list[Finding]:
    """Totals of the chosen model that cannot be computed although some of their parts are mapped."""
    known = {r.target for r in mapping.rubric_rules() if r.target}
    totals = _dedupe([*package_totals(full), *mapping.totals, *package_totals(target)])
    fake = {k: ZERO for k in known}
    solve_totals(fake, {}, totals)
    out = []
    for t in package_totals(target):
        if t.rubric in fake:
            continue
        parts = [c for _, c in t.terms]
        if any(c in fake for c in parts):
            missing = [c for c in parts if c not in fake]
            out.append(
                Finding("unreachable-total", f"total {t.formula()} ({t.origin}) of {target.model} cannot be computed: "
                        f"no rule or total gives {', '.join(missing)}", rubric=t.rubric)
            )
    return out


def _closing_findings(tb: TrialBalance, res: PeriodResult, period: str) -> list[Finding]:
    """Post-appropriation guards (:mod:`nbb_filing.books.closed_books`) on one trial balance and its figures."""
    out = []
    why = closed_books.unappropriated(tb)
    if why:
        out.append(Finding("unappropriated", why, period=period))
    why = closed_books.balance_sheet_mismatch(res.values, tb.source, period)
    if why:
        out.append(Finding("balance-mismatch", why, period=period))
    return out


def _carried_forward_findings(
    values: dict[str, dict[str, Decimal]], current: TrialBalance | None, previous: TrialBalance | None
) -> list[Finding]:
    """14P of the current trial balance against 14 of the previous one."""
    if current is None or previous is None or not {"current", "previous"} <= set(values):
        return []
    why = closed_books.carried_forward_mismatch(values["current"], values["previous"], current.source, previous.source)
    return [Finding("carried-forward", why, period="current")] if why else []


def check_mapping(
    mapping: Mapping,
    catalog: Catalog,
    *,
    full_catalog: Catalog | None = None,
    current: TrialBalance | None = None,
    previous: TrialBalance | None = None,
) -> CheckReport:
    """Check ``mapping`` against the model of ``catalog`` and, when given, trial balances.

    Every finding is listed (not only the first).  With trial balances, coverage and the rubric
    figures of the chosen model are reported too, and each account with a balance that reaches no
    rubric is a finding (fail closed).
    """
    if full_catalog is None:
        full_catalog = catalog if catalog.model == mapping.model else catalog.sibling(mapping.model)
    findings = _static_findings(mapping, full_catalog, catalog)
    if not any(f.code == "total-cycle" for f in findings):
        findings += _reachability_findings(mapping, full_catalog, catalog)
    coverage: list[Coverage] = []
    table: dict[str, list[Decimal | None]] = {}
    order = {c: i for i, c in enumerate(catalog.rubrics())}
    static_blocking = any(f.code in ("total-cycle",) for f in findings)
    values: dict[str, dict[str, Decimal]] = {}
    for idx, (period, tb) in enumerate((("current", current), ("previous", previous))):
        if tb is None or static_blocking:
            continue
        res = compute_period(mapping, tb, period, full_catalog, catalog)
        values[period] = res.values
        findings += _closing_findings(tb, res, period)
        a = res.allocation
        for acc in a.unmapped:
            findings.append(Finding("unmapped", f"{tb.source} line {acc.line}: account {acc.account} "
                                    f"({acc.label or 'no label'}) with balance {acc.balance} reaches no rubric",
                                    account=acc.account, period=period))
        for acc, rules in a.conflicts:
            findings.append(Finding("conflict", f"{tb.source} line {acc.line}: account {acc.account} is caught by "
                                    f"{' and '.join(r.where for r in rules)}", account=acc.account, period=period))
        for p in a.refused:
            findings.append(Finding("refused", f"{tb.source} line {p.account.line}: account {p.account.account} has "
                                    f"balance {p.account.balance}; {p.rule.where}: {p.rule.reason}",
                                    account=p.account.account, rule=p.rule.id, period=period))
        for p in a.wrong_side:
            findings.append(Finding("contra-side", f"{tb.source}: {wrong_side_message(p)}",
                                    account=p.account.account, rule=p.rule.id, period=period))
        for rubric, amount in _control_amounts(a).items():
            expected = res.values.get(rubric, ZERO)
            if amount != expected:
                accts = ", ".join(p.account.account for p in a.controls if p.rule.target == rubric)
                findings.append(Finding("control", f"{tb.source}: accounts {accts} give {amount} but rubric {rubric} "
                                        f"is {expected}", rubric=rubric, period=period))
        totals = _dedupe([*package_totals(full_catalog), *mapping.totals, *package_totals(catalog)])
        for msg in _violations(res.values, totals):
            findings.append(Finding("total-contradiction", f"{tb.source}: {msg}", period=period))
        for code in catalog.rubrics():
            if code in res.values and _amount_rubric(catalog, code, period):
                amount = res.values[code]
                why = _type_problem(catalog, code, period, amount) if amount else None
                if why:
                    findings.append(Finding("sign-type", f"{tb.source}: rubric {code} = {amount}: {why} "
                                            f"({res.sources.get(code, '')})", rubric=code, period=period))
                table.setdefault(code, [None, None])[idx] = amount
        nonzero = tb.nonzero()
        reached = {p.account.account for p in (*a.postings, *a.controls)}
        ign = {p.account.account for p in a.ignored}
        coverage.append(Coverage(
            period, tb.source, len(nonzero), len(reached), len(ign),
            sum((abs(x.balance) for x in nonzero), ZERO),
            sum((abs(x.balance) for x in nonzero if x.account in reached), ZERO),
        ))
    findings += _carried_forward_findings(values, current, previous)
    figures = tuple(
        (code, vals[0], vals[1]) for code, vals in sorted(table.items(), key=lambda kv: order.get(kv[0], 10**9))
    )
    warnings = []
    if "current" in values:
        warnings = size.books_size_warnings(catalog.model, values["current"], values.get("previous"))
    return CheckReport(mapping.source, catalog.model, tuple(findings), tuple(coverage), figures, tuple(warnings))
