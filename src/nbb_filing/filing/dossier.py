"""The dossier: everything a filing needs that a trial balance does not hold.

A dossier is a YAML file written by the accountant (see ``docs/generate.md`` and the sample in
``samples/smartcoop-2024/dossier.yaml``).  It is validated in two steps:

1. here, with pydantic: structure, types, the enterprise number (modulo 97), the order of the
   periods and dates.  Nothing in this step needs the taxonomy;
2. in :mod:`nbb_filing.filing.facts`, against the catalog of the chosen model: enumeration values
   (legal form, court, country, postal code, function), rubric codes and the type of each figure.

Every error is a one-line :class:`~nbb_filing.core.errors.InputError` naming the file, the line and the
field, e.g. ``dossier.yaml line 7 (entity.enterprise_number): ...``.

Amounts are :class:`~decimal.Decimal`: the YAML loader used here turns every YAML float into a
Decimal built from its text, so ``1234.56`` is exactly 1234.56, never a binary float.

Stability (for :mod:`nbb_filing.reading.importer` and other readers): the field names and meanings of
:class:`Dossier`, :class:`Entity`, :class:`Address`, :class:`Exercise`, :class:`Person`,
:class:`Mandate`, :class:`Representative`, :class:`Participation`, :class:`Document`,
:class:`PeriodAmounts`, :class:`Inputs` and :class:`AccountantDeclaration` are stable from
``schema_version: 1`` on; new optional fields may be added, existing ones are not renamed.
:func:`dump_dossier` writes a dossier that :func:`load_dossier` reads back to an equal object.
"""

from __future__ import annotations

import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, Optional

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from nbb_filing.core.errors import InputError
from nbb_filing.core.pydantic_errors import UNION_TAGS, dotted, one_line
from nbb_filing.core.yaml_lines import (
    StrictLoader,
    check_yaml_size,
    line_of,
    load_with_lines,
    represent_text,
)

SCHEMA_VERSION = 1
LANGUAGES = ("fr", "nl", "de", "en")

# --------------------------------------------------------------------------- enterprise number

_EN_CLEAN = re.compile(r"[\s.\-]")


def normalize_enterprise_number(value: str) -> str:
    """``BE 0123.456.749`` -> ``0123456749`` (no check; see :func:`check_enterprise_number`).

    Old 9-digit numbers get their leading 0, as the Crossroads Bank for Enterprises does.
    """
    text = _EN_CLEAN.sub("", str(value).strip()).upper()
    if text.startswith("BE"):
        text = text[2:]
    if len(text) == 9 and text.isdigit():
        text = "0" + text
    return text


def check_enterprise_number(value: str) -> str | None:
    """Why ``value`` is not a valid Belgian enterprise number, or ``None`` when it is.

    A Belgian enterprise number has 10 digits, starts with 0 or 1, and its last two digits equal
    97 minus (the first eight digits modulo 97).  Dots, spaces and a ``BE`` prefix are accepted.
    """
    if value is None or not str(value).strip():
        return "enterprise number is empty"
    text = normalize_enterprise_number(value)
    if not text.isdigit() or len(text) != 10:
        return f"enterprise number {value!r} must have 10 digits (e.g. 0123.456.749)"
    if text[0] not in "01":
        return f"enterprise number {value!r} must start with 0 or 1"
    expected = 97 - int(text[:8]) % 97
    if int(text[8:]) != expected:
        return f"enterprise number {value!r} fails the modulo-97 check (check digits should be {expected:02d})"
    return None


def format_enterprise_number(value: str) -> str:
    """``0123456749`` -> ``0123.456.749`` (display form)."""
    t = normalize_enterprise_number(value)
    return f"{t[:4]}.{t[4:7]}.{t[7:]}" if len(t) == 10 else t


# --------------------------------------------------------------------------- models


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# "before" validators shared by several models.  YAML reads ``1000`` as a number where a model wants
# text (house numbers, list codes like legal form 706) and ``12.5`` as a number where a model wants an
# exact amount: these put the text back, or refuse what cannot be exact.


def _number_as_text(v: Any) -> Any:
    return str(v) if isinstance(v, (int, Decimal)) else v


def _code_as_text(v: Any) -> Any:
    return str(v) if isinstance(v, int) else v


def _enterprise_number(v: Any) -> Any:
    """An optional enterprise number, checked (modulo 97) and normalised; a YAML int gets its leading 0."""
    if v is None:
        return v
    if isinstance(v, int):
        v = f"{v:010d}"
    why = check_enterprise_number(str(v))
    if why:
        raise ValueError(why)
    return normalize_enterprise_number(str(v))


def _exact(what: str):
    """Validator refusing binary floats and booleans for a Decimal field (``what``: "an amount" ...)."""

    def check(v: Any) -> Any:
        if isinstance(v, float):
            raise ValueError("amounts must be exact decimals")
        if isinstance(v, bool):
            raise ValueError(f"{what} cannot be true/false")
        return v

    return check


class Address(_Model):
    """A postal address.  ``postal_code``/``country`` are matched against the package code lists."""

    street: str
    number: str
    box: Optional[str] = None
    postal_code: str
    city: str
    country: str = Field("BE", description="ISO 3166 code (BE) or the country's name in the package list")

    _as_text = field_validator("number", "box", "postal_code", mode="before")(_number_as_text)


class Entity(_Model):
    """The filing company."""

    name: str
    legal_form: str = Field(description="value of the package's legal-form list: code (706), QName (lgf:m706) or label")
    address: Address
    enterprise_number: str = Field(description="10 digits, modulo 97, e.g. 0123.456.749")
    court: str = Field(
        description="business court (tribunal de l'entreprise / ondernemingsrechtbank) of the register of legal "
        "persons: code, QName (cct:m31) or label; mandatory for the NBB even where no assertion checks it"
    )
    deed_filing_date: Optional[date] = Field(None, description="date of the last filing of the deed (acte constitutif)")
    group: Optional[Literal["parent", "subsidiary"]] = Field(
        None, description="the company is a parent or a subsidiary (CSA art. 1:25: then it is never micro); "
        "used only for the size warning of generate",
    )
    email: Optional[str] = None
    website: Optional[str] = None

    @field_validator("enterprise_number", mode="before")
    @classmethod
    def _check_en(cls, v: Any) -> Any:
        # required here: anything but text or a number is left to pydantic's type error
        return _enterprise_number(v) if isinstance(v, (int, str)) else v

    _code_text = field_validator("legal_form", "court", mode="before")(_code_as_text)


class Exercise(_Model):
    start: date
    end: date

    @model_validator(mode="after")
    def _order(self) -> "Exercise":
        if self.end <= self.start:
            raise ValueError(f"the exercise ends ({self.end}) before it starts ({self.start})")
        return self


class Mandate(_Model):
    """One mandate of a director or auditor: function (package list ``fct``) and dates."""

    function: str = Field(description="code (14), QName (fct:m14) or label, e.g. 'Administrateur délégué'")
    start: Optional[date] = None
    end: Optional[date] = None
    row: Optional[str] = Field(
        None, description="row id of the mandate in the NBB table (typed dimension dim:open); default: its "
        "position 1, 2 ...; written by import to keep the ids a filing used",
    )

    _code_text = field_validator("function", mode="before")(_code_as_text)

    @model_validator(mode="after")
    def _order(self) -> "Mandate":
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"the mandate ends ({self.end}) before it starts ({self.start})")
        return self


class Representative(_Model):
    """The permanent representative (a natural person) of a legal person holding a mandate."""

    first_name: str
    last_name: str
    profession: Optional[str] = None
    address: Optional[Address] = None
    membership_number: Optional[str] = None


class Person(_Model):
    """A director, an auditor or an external accountant: a natural or a legal person.

    Natural persons have ``first_name``/``last_name``; legal persons have ``name``,
    ``enterprise_number`` and usually a ``representative``.
    """

    kind: Literal["natural", "legal"] = "natural"
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    name: Optional[str] = None
    enterprise_number: Optional[str] = None
    profession: Optional[str] = None
    membership_number: Optional[str] = Field(None, description="IRE/IBR or ITAA membership number (auditors, accountants)")
    address: Optional[Address] = None
    representative: Optional[Representative] = None
    mandates: tuple[Mandate, ...] = ()
    missions: tuple[str, ...] = Field((), description="external accountant's missions (package list nmc: A, B, C, D)")

    _check_en = field_validator("enterprise_number", mode="before")(_enterprise_number)

    _text = field_validator("membership_number", mode="before")(_number_as_text)

    @model_validator(mode="after")
    def _kind_fields(self) -> "Person":
        if self.kind == "natural":
            if not (self.first_name and self.last_name):
                raise ValueError("a natural person needs first_name and last_name")
            if self.name or self.representative:
                raise ValueError("a natural person has no 'name' or 'representative' (use kind: legal)")
        else:
            if not self.name:
                raise ValueError("a legal person needs a name")
            if self.first_name or self.last_name:
                raise ValueError("a legal person has no first_name/last_name (put them in 'representative')")
        return self

    def display(self) -> str:
        if self.kind == "natural":
            return f"{self.first_name} {self.last_name}"
        return str(self.name)


class AccountantDeclaration(_Model):
    """The management body's declaration about verification or correction by an external accountant."""

    declared: bool = Field(
        True, description="the management body declares that no audit or correction mission was given to a "
        "person not authorised by law (the NBB's 'déclaration' box)",
    )
    accountants: tuple[Person, ...] = Field((), description="external accountants and their missions (A, B, C, D)")


class Document(_Model):
    """A text, given inline or as a file (``.txt`` read as text, ``.pdf`` embedded as base64)."""

    text: Optional[str] = None
    file: Optional[str] = None

    @model_validator(mode="after")
    def _one(self) -> "Document":
        if bool(self.text) == bool(self.file):
            raise ValueError("give exactly one of 'text' or 'file'")
        return self


class PeriodAmounts(_Model):
    """Amounts of one rubric for the current and/or the previous exercise."""

    current: Optional[Decimal] = None
    previous: Optional[Decimal] = None

    @model_validator(mode="before")
    @classmethod
    def _scalar(cls, v: Any) -> Any:
        if isinstance(v, (int, Decimal, str)) and not isinstance(v, bool):
            return {"current": v}
        if isinstance(v, float):
            raise ValueError("amounts must be exact decimals")
        return v

    _no_float = field_validator("current", "previous", mode="before")(_exact("an amount"))

    def items(self) -> list[tuple[str, Decimal]]:
        return [(p, a) for p, a in (("current", self.current), ("previous", self.previous)) if a is not None]


class Participation(_Model):
    """An entry of the list of participations (shares held in other companies)."""

    name: str
    enterprise_number: Optional[str] = None
    legal_form: Optional[str] = None
    address: Optional[Address] = None
    country: Optional[str] = Field(
        None, description="country of the investee's registered office (ISO code or name), when no full address "
        "is given; the NBB requires the country of every participation (address.country otherwise)",
    )
    nature: str = Field("Parts", description="nature of the rights held (e.g. 'Parts', 'Actions')")
    shares_held: Optional[int] = Field(None, ge=0, description="number of shares held directly")
    held_directly_pct: Decimal = Field(ge=0, le=100, description="percent held directly (0.16 means 0.16 %)")
    held_by_subsidiaries_pct: Decimal = Field(Decimal(0), ge=0, le=100)
    accounts_date: Optional[date] = Field(None, description="closing date of the investee's last annual accounts")
    currency: str = "EUR"
    equity: Optional[Decimal] = None
    result: Optional[Decimal] = None
    row: Optional[str] = Field(
        None, description="row id of the holding in the NBB list (typed dimension dim:open); default 1; written "
        "by import to keep the ids a filing used",
    )

    _check_en = field_validator("enterprise_number", mode="before")(_enterprise_number)

    _code_text = field_validator("legal_form", mode="before")(_code_as_text)

    @model_validator(mode="after")
    def _one_country(self) -> "Participation":
        if self.country and self.address is not None and self.country.strip().casefold() != self.address.country.strip().casefold():
            raise ValueError(
                f"country {self.country!r} differs from address.country {self.address.country!r}; give the country once"
            )
        return self

    @property
    def country_of_office(self) -> Optional[str]:
        """The country the NBB list of participations needs: the address's, else ``country``."""
        return self.address.country if self.address is not None else self.country


_KIND_KEY = re.compile(r"\d[\d/-]*")
_MOVEMENT_FIELDS = (
    "acquisitions", "disposals", "transfers", "other_movements", "revaluation_recorded", "revaluation_acquired",
    "revaluation_cancelled", "revaluation_transferred", "depreciation_recorded", "depreciation_written_back",
    "depreciation_acquired", "depreciation_cancelled", "depreciation_transferred", "uncalled_movements",
)


class FixedAssetMovements(_Model):
    """Movements of the exercise of one class of fixed assets (the "état des immobilisations").

    Closing values (acquisition value, revaluation surpluses, depreciation or write-downs, uncalled
    amounts, at the end of both years) come from the trial balances through the mapping; the
    movements between them are stated here, positive amounts (``transfers`` and the ``*_transferred``,
    ``other_movements`` and ``uncalled_movements`` lines are signed: + increases the line).
    generate checks opening + movements = closing for each line.  For financial assets,
    ``depreciation_*`` are the write-downs (réductions de valeur).
    """

    acquisitions: Optional[Decimal] = Field(None, description="acquisitions, including own production capitalised")
    disposals: Optional[Decimal] = Field(None, description="sales, disposals and retirements (acquisition value)")
    transfers: Optional[Decimal] = Field(None, description="transfers from (-) or to (+) another rubric")
    other_movements: Optional[Decimal] = Field(None, description="financial assets: other movements (+/-)")
    revaluation_recorded: Optional[Decimal] = None
    revaluation_acquired: Optional[Decimal] = Field(None, description="revaluation surpluses acquired from third parties")
    revaluation_cancelled: Optional[Decimal] = None
    revaluation_transferred: Optional[Decimal] = None
    depreciation_recorded: Optional[Decimal] = Field(None, description="depreciation / write-downs charged in the year")
    depreciation_written_back: Optional[Decimal] = None
    depreciation_acquired: Optional[Decimal] = Field(None, description="acquired from third parties")
    depreciation_cancelled: Optional[Decimal] = Field(None, description="cancelled on disposals and retirements")
    depreciation_transferred: Optional[Decimal] = None
    uncalled_movements: Optional[Decimal] = Field(None, description="financial assets: movements of uncalled amounts (+/-)")
    by_kind: dict[str, "FixedAssetMovements"] = Field(
        default_factory=dict,
        description="movements per kind of asset, written in YAML as keys of the class: '210', '22' ... '27', "
        "'280' ... '285/8' (data/fixed-assets.yaml `kinds`); full models show the notes per kind",
    )

    _no_float = field_validator(*_MOVEMENT_FIELDS, mode="before")(_exact("an amount"))

    @model_validator(mode="before")
    @classmethod
    def _kinds(cls, v: Any) -> Any:
        """Keys that are asset-kind codes (digits, '/', '-') hold the movements of that kind."""
        if not isinstance(v, dict):
            return v
        out = {k: x for k, x in v.items() if not _KIND_KEY.fullmatch(str(k))}
        kinds = {str(k): x for k, x in v.items() if _KIND_KEY.fullmatch(str(k))}
        if kinds:
            out["by_kind"] = kinds
        return out

    @model_validator(mode="after")
    def _one_level(self) -> "FixedAssetMovements":
        if self.by_kind and self.items():
            raise ValueError("give the movements either for the whole class or per kind of asset, not both")
        if any(k.by_kind for k in self.by_kind.values()):
            raise ValueError("a kind of asset has no kinds of its own")
        return self

    def items(self) -> list[tuple[str, Decimal]]:
        return [(k, v) for k, v in self.__dict__.items() if v is not None and k != "by_kind"]


class FixedAssets(_Model):
    """Movements of the fixed-asset notes, by class (see :class:`FixedAssetMovements`)."""

    intangible: Optional[FixedAssetMovements] = Field(None, description="intangible fixed assets (21)")
    tangible: Optional[FixedAssetMovements] = Field(None, description="tangible fixed assets (22/27)")
    financial: Optional[FixedAssetMovements] = Field(None, description="financial fixed assets (28)")

    def classes(self) -> list[tuple[str, FixedAssetMovements]]:
        return [(k, v) for k, v in self.__dict__.items() if v is not None]


class GenderSplit(_Model):
    """One figure of the social balance sheet: a bare number is the total; ``{men:, women:}`` also
    fills the gender columns of the models that have them (the total is then their sum)."""

    total: Optional[Decimal] = None
    men: Optional[Decimal] = None
    women: Optional[Decimal] = None

    @model_validator(mode="before")
    @classmethod
    def _scalar(cls, v: Any) -> Any:
        if isinstance(v, float):
            raise ValueError("amounts must be exact decimals")
        if isinstance(v, (int, Decimal, str)) and not isinstance(v, bool):
            return {"total": v}
        return v

    _no_float = field_validator("total", "men", "women", mode="before")(_exact("a figure"))

    @model_validator(mode="after")
    def _sum(self) -> "GenderSplit":
        if (self.men is None) != (self.women is None):
            raise ValueError("give both men and women, or only the total")
        if self.total is not None and self.men is not None and self.total != self.men + self.women:  # type: ignore[operator]
            raise ValueError(f"total {self.total} is not men + women ({self.men} + {self.women})")
        return self

    def values(self) -> dict[str, Decimal]:
        """``{gender: figure}`` with the total computed from men + women when not given."""
        out = {k: v for k, v in (("men", self.men), ("women", self.women)) if v is not None}
        total = self.total if self.total is not None else (self.men + self.women if self.men is not None else None)  # type: ignore[operator]
        if total is not None:
            out["total"] = total
        return out


class SocialMeasure(_Model):
    """One measure of the social balance sheet by regime; ``total`` is in full-time equivalents for
    the average number of workers, and the sum of full and part time for hours and costs."""

    full_time: Optional[GenderSplit] = None
    part_time: Optional[GenderSplit] = None
    total: Optional[GenderSplit] = None
    previous_total: Optional[GenderSplit] = Field(None, description="the total of the previous exercise")


class SocialBalance(_Model):
    """The social balance sheet's first table: workers recorded in the personnel register."""

    average_workers: Optional[SocialMeasure] = Field(None, description="average number of workers (total in FTE)")
    hours_worked: Optional[SocialMeasure] = Field(None, description="number of hours actually worked")
    personnel_costs: Optional[SocialMeasure] = Field(None, description="personnel costs (EUR)")


class Inputs(_Model):
    """Trial balances and mapping (paths relative to the dossier file)."""

    trial_balance: Optional[str] = None
    previous_trial_balance: Optional[str] = None
    mapping: Optional[str] = None


class DatapointFact(_Model):
    """One fact given by datapoint key, for what no dossier field says (``nbb-filing import`` writes these).

    The key is the one ``nbb-filing taxonomy show`` prints (``met:str2[dim:bas=...|dim:anlp]``);
    ``typed`` gives the value of each typed dimension of the key.  ``value`` is read per the
    datapoint's type: number, date, true/false, text, or a list value (code, QName or label); a
    document (base64 datapoint) is given as ``file:`` instead, relative to the dossier.
    """

    datapoint: str = Field(description="datapoint key, as `nbb-filing taxonomy show` prints it")
    typed: dict[str, str] = Field(default_factory=dict, description="typed dimension -> its value")
    value: Any = Field(None, description="the value (number, date, true/false, text, list code)")
    file: Optional[str] = Field(None, description="for a document datapoint: the file (PDF), relative to the dossier")

    @field_validator("value", mode="before")
    @classmethod
    def _no_float(cls, v: Any) -> Any:
        if isinstance(v, float):
            raise ValueError("amounts must be exact decimals")
        return v

    @field_validator("typed", mode="before")
    @classmethod
    def _typed_text(cls, v: Any) -> Any:
        if isinstance(v, dict):
            return {str(k): str(x) if isinstance(x, (int, Decimal)) and not isinstance(x, bool) else x for k, x in v.items()}
        return v

    @model_validator(mode="after")
    def _one(self) -> "DatapointFact":
        if (self.value is None) == (self.file is None):
            raise ValueError("give exactly one of 'value' or 'file'")
        return self


class Dossier(_Model):
    """One annual-accounts filing: identification, people, appropriation, notes and inputs."""

    schema_version: Literal[1] = 1
    model: str = Field(description="model and part of the package, e.g. m82-f (full, without capital)")
    language: Literal["fr", "nl", "de", "en"] = "fr"
    entity: Entity
    exercise: Exercise
    previous_exercise: Optional[Exercise] = None
    previous_filing: Optional[str] = Field(
        None, description="last year's accepted filing (.xbrl); its current-year column becomes this year's "
        "previous-year column (see docs/import.md)",
    )
    general_meeting: date
    previous_amounts_identical: bool = Field(True, description="previous-year amounts identical to those published")
    in_liquidation: bool = False
    directors: tuple[Person, ...] = ()
    auditors: tuple[Person, ...] = ()
    accountant_declaration: Optional[AccountantDeclaration] = None
    inputs: Inputs = Inputs()
    appropriation: dict[str, PeriodAmounts] = Field(
        default_factory=dict, description="appropriation account decided by the general meeting, by rubric code"
    )
    figures: dict[str, PeriodAmounts] = Field(
        default_factory=dict, description="rubric figures given directly (notes, social balance sheet ...), by rubric code"
    )
    participations: tuple[Participation, ...] = ()
    fixed_assets: Optional[FixedAssets] = Field(
        None, description="movements of the exercise in the fixed-asset notes, by class (closing values come "
        "from the trial balances through the mapping)",
    )
    social_balance: Optional[SocialBalance] = Field(
        None, description="social balance sheet: average workers, hours worked, personnel costs, by regime "
        "(and gender where the model shows it)",
    )
    valuation_rules: Optional[Document] = None
    management_report: Optional[Document] = None
    datapoint_facts: tuple[DatapointFact, ...] = Field(
        (), description="facts by datapoint key, for what no other field says (written by nbb-filing import)"
    )

    _path: Optional[Path] = PrivateAttr(default=None)
    _lines: dict[tuple, int] = PrivateAttr(default_factory=dict)
    _allow_outside: bool = PrivateAttr(default=False)

    @field_validator("model")
    @classmethod
    def _model_name(cls, v: str) -> str:
        if not re.fullmatch(r"m\d{2}-[a-z]", v):
            raise ValueError(f"model {v!r} is not of the form m82-f (model number and part -f, -a, -o)")
        return v

    @field_validator("appropriation", "figures", mode="before")
    @classmethod
    def _rubric_keys(cls, v: Any) -> Any:
        # YAML reads the key 9904 as an integer: rubric codes are text.
        if isinstance(v, dict):
            return {str(k): val for k, val in v.items()}
        return v

    @model_validator(mode="after")
    def _periods(self) -> "Dossier":
        ex = self.exercise
        prev = self.previous_exercise
        if prev is not None and prev.end >= ex.start:
            raise ValueError(
                f"the previous exercise ({prev.start} to {prev.end}) must end before the exercise starts ({ex.start})"
            )
        if self.general_meeting <= ex.end:
            raise ValueError(f"the general meeting ({self.general_meeting}) must come after the closing date ({ex.end})")
        dupes = sorted(set(self.appropriation) & set(self.figures))
        for code in dupes:
            both = set(p for p, _ in self.appropriation[code].items()) & set(p for p, _ in self.figures[code].items())
            if both:
                raise ValueError(f"rubric {code} is given both in 'appropriation' and in 'figures'")
        return self

    def __eq__(self, other: object) -> bool:
        # Equality is about content: where the dossier was read from (and its line map) does not count.
        if not isinstance(other, Dossier):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]  # dict fields: not hashable

    # ------------------------------------------------------------------ helpers
    @property
    def path(self) -> Optional[Path]:
        return self._path

    @property
    def base_dir(self) -> Path:
        return self._path.parent if self._path else Path.cwd()

    @property
    def allow_outside_paths(self) -> bool:
        """Whether paths may point outside the dossier's folder (``--allow-outside-paths``)."""
        return self._allow_outside

    def resolve_path(self, relative: str, *loc: Any, confined: bool = True) -> Path:
        """The file a path of the dossier names (relative to the dossier's folder).

        A dossier may come from someone else: unless it was loaded with ``allow_outside_paths``,
        a ``confined`` path (a document, a trial balance, a previous filing: anything whose content
        goes into the filing) must resolve, symbolic links followed, inside the dossier's folder;
        otherwise :class:`InputError` names the field at ``loc``.
        """
        p = Path(relative)
        p = p if p.is_absolute() else self.base_dir / p
        if confined and not self._allow_outside:
            base = self.base_dir.resolve()
            real = p.resolve()
            if real != base and base not in real.parents:
                raise InputError(
                    f"{self.where(*loc)}: {relative} is outside the dossier's folder {base}; files a dossier "
                    "names are read from its folder only, unless --allow-outside-paths is given"
                )
        return p

    def where(self, *loc: Any) -> str:
        """``dossier.yaml line 12 (entity.court)`` for error messages (nearest known line)."""
        name = self._path.name if self._path else "dossier"
        field = dotted(loc)
        probe = tuple(loc)
        while probe and probe not in self._lines:
            probe = probe[:-1]
        line = self._lines.get(probe)
        at = f" line {line}" if line else ""
        return f"{name}{at} ({field})" if field else f"{name}{at}"

    @property
    def part(self) -> str:
        return self.model.split("-", 1)[1]


# --------------------------------------------------------------------------- YAML loading


class _DecimalLoader(StrictLoader):
    """SafeLoader whose floats are Decimals built from their text (no binary rounding)."""


def _decimal_constructor(loader: yaml.SafeLoader, node: yaml.Node) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "")  # type: ignore[arg-type]
    try:
        return Decimal(text)
    except Exception:
        raise yaml.constructor.ConstructorError(None, None, f"not a number: {text!r}", node.start_mark) from None


_DecimalLoader.add_constructor("tag:yaml.org,2002:float", _decimal_constructor)


def _str_loc(loc: tuple, lines: dict) -> tuple:
    """Pydantic locations hold ints for list indexes and strings for keys; YAML keys may be ints."""
    out: list[Any] = []
    for p in loc:
        cand = tuple(out) + (p,)
        if cand in lines:
            out.append(p)
        elif isinstance(p, str) and p.isdigit() and tuple(out) + (int(p),) in lines:
            out.append(int(p))
        else:
            out.append(p)
    return tuple(out)


def parse_dossier(text: str, path: Path | None = None, *, allow_outside_paths: bool = False) -> Dossier:
    """Validate the YAML ``text`` of a dossier; errors name ``path``'s line and field.

    ``allow_outside_paths``: the files the dossier names may lie outside its folder (see
    :meth:`Dossier.resolve_path`); refused by default.
    """
    name = path.name if path else "dossier"
    data, lines = load_with_lines(text, _DecimalLoader, name)
    if not isinstance(data, dict) or lines is None:
        raise InputError(f"{name}: a dossier is a YAML mapping (entity:, exercise:, ...)")
    _refuse_placeholders(data, lines, name)
    try:
        dossier = Dossier.model_validate(data)
    except ValidationError as e:
        # by_kind is how the model holds the kind keys written under a fixed-asset class: not in the YAML
        raise InputError(one_line(e, name, lines, schema="schemas/dossier.schema.json",
                                  hidden=UNION_TAGS | {"by_kind"}, locate=lambda loc: _str_loc(loc, lines))) from None
    dossier._path = path.resolve() if path else None
    dossier._lines = lines
    dossier._allow_outside = allow_outside_paths
    return dossier


def _refuse_placeholders(data: dict, lines: dict, name: str) -> None:
    """A value still ``<FILL-IN: ...>`` (left by ``nbb-filing init``) stops the dossier, line and field named."""
    from nbb_filing.filing.placeholders import find_placeholders

    found = list(find_placeholders(data))
    if found:
        loc, text = found[0]
        line = line_of(lines, loc)
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise InputError(
            f"{name}{f' line {line}' if line else ''} ({dotted(loc)}): placeholder {text!r} left by "
            f"nbb-filing init: give the value, or delete the field if it is optional{more}"
        )


def load_dossier(path: str | os.PathLike, *, allow_outside_paths: bool = False) -> Dossier:
    """Read and validate the dossier at ``path`` (step 1: no taxonomy needed); see :func:`parse_dossier`."""
    p = Path(path)
    check_yaml_size(p, "dossier")
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{p}: no such dossier file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{p}: cannot read dossier ({e})") from None
    return parse_dossier(text, p, allow_outside_paths=allow_outside_paths)


# --------------------------------------------------------------------------- writing


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


class _Dumper(yaml.SafeDumper):
    pass


def _decimal_representer(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:int" if re.fullmatch(r"-?\d+", text) else "tag:yaml.org,2002:float"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(Decimal, _decimal_representer)
_Dumper.add_representer(str, represent_text)  # load(dump(text)) == text for every string


def dossier_to_yaml(dossier: Dossier) -> str:
    """YAML text of ``dossier`` (defaults omitted) that :func:`parse_dossier` reads back equal."""
    data = _plain(dossier.model_dump(mode="python", exclude_defaults=True))
    data = {"schema_version": SCHEMA_VERSION, **data}
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def dump_dossier(dossier: Dossier, path: str | os.PathLike) -> Path:
    """Write ``dossier`` as YAML to ``path`` atomically (temporary file, then rename)."""
    from nbb_filing.core.atomic import write_atomic

    return write_atomic(path, dossier_to_yaml(dossier))


def json_schema() -> dict:
    """JSON Schema of the dossier (exported to ``schemas/dossier.schema.json``)."""
    schema = Dossier.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://nbb-filing.example/schemas/dossier.schema.json"
    return schema


def write_json_schema(path: str | os.PathLike) -> Path:
    """Write :func:`json_schema` to ``path`` (stable key order, so the file diffs cleanly)."""
    import json

    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    return p


if __name__ == "__main__":  # python -m nbb_filing.filing.dossier schemas/dossier.schema.json
    import sys

    print(write_json_schema(sys.argv[1] if len(sys.argv) > 1 else "schemas/dossier.schema.json"))
