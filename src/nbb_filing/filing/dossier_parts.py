"""The parts of a dossier: pydantic models of the entity, its people, the notes' inputs ...

:class:`~nbb_filing.filing.dossier.Dossier` is made of these.  All are frozen and refuse unknown
keys (:class:`DossierPart`).  What surprises here comes from YAML, which types values before the
models see them: ``1000`` is read as a number where a model wants text (house numbers, list codes
like legal form 706) and ``12.5`` as a number where a model wants an exact amount; the "before"
validators below put the text back, or refuse what cannot be exact.  An asset-kind code written
as a key under a fixed-asset class (``'22':``, ``'285/8':``) holds that kind's movements.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from nbb_filing.filing.enterprise_number import enterprise_number_input


class DossierPart(BaseModel):
    """Base of the dossier's models: frozen, no unknown keys, text stripped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _number_as_text(v: Any) -> Any:
    return str(v) if isinstance(v, (int, Decimal)) else v


def _code_as_text(v: Any) -> Any:
    return str(v) if isinstance(v, int) else v


def exact_decimal(what: str):
    """Validator refusing binary floats and booleans for a Decimal field (``what``: "an amount" ...)."""

    def check(v: Any) -> Any:
        if isinstance(v, float):
            raise ValueError("amounts must be exact decimals")
        if isinstance(v, bool):
            raise ValueError(f"{what} cannot be true/false")
        return v

    return check


class Address(DossierPart):
    """A postal address.  ``postal_code``/``country`` are matched against the package code lists."""

    street: str
    number: str
    box: Optional[str] = None
    postal_code: str
    city: str
    country: str = Field("BE", description="ISO 3166 code (BE) or the country's name in the package list")

    _as_text = field_validator("number", "box", "postal_code", mode="before")(_number_as_text)


class Entity(DossierPart):
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
        None,
        description="the company is a parent or a subsidiary (CSA art. 1:25: then it is never micro); "
        "used only for the size warning of generate",
    )
    email: Optional[str] = None
    website: Optional[str] = None

    @field_validator("enterprise_number", mode="before")
    @classmethod
    def _check_en(cls, v: Any) -> Any:
        # required here: anything but text or a number is left to pydantic's type error
        return enterprise_number_input(v) if isinstance(v, (int, str)) else v

    _code_text = field_validator("legal_form", "court", mode="before")(_code_as_text)


class Exercise(DossierPart):
    start: date
    end: date

    @model_validator(mode="after")
    def _order(self) -> Exercise:
        if self.end <= self.start:
            raise ValueError(f"the exercise ends ({self.end}) before it starts ({self.start})")
        return self


class Mandate(DossierPart):
    """One mandate of a director or auditor: function (package list ``fct``) and dates."""

    function: str = Field(description="code (14), QName (fct:m14) or label, e.g. 'Administrateur délégué'")
    start: Optional[date] = None
    end: Optional[date] = None
    row: Optional[str] = Field(
        None,
        description="row id of the mandate in the NBB table (typed dimension dim:open); default: its "
        "position 1, 2 ...; written by import to keep the ids a filing used",
    )

    _code_text = field_validator("function", mode="before")(_code_as_text)

    @model_validator(mode="after")
    def _order(self) -> Mandate:
        if self.start and self.end and self.end < self.start:
            raise ValueError(f"the mandate ends ({self.end}) before it starts ({self.start})")
        return self


class Representative(DossierPart):
    """The permanent representative (a natural person) of a legal person holding a mandate."""

    first_name: str
    last_name: str
    profession: Optional[str] = None
    address: Optional[Address] = None
    membership_number: Optional[str] = None


class Person(DossierPart):
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
    membership_number: Optional[str] = Field(
        None, description="IRE/IBR or ITAA membership number (auditors, accountants)"
    )
    address: Optional[Address] = None
    representative: Optional[Representative] = None
    mandates: tuple[Mandate, ...] = ()
    missions: tuple[str, ...] = Field((), description="external accountant's missions (package list nmc: A, B, C, D)")

    _check_en = field_validator("enterprise_number", mode="before")(enterprise_number_input)

    _text = field_validator("membership_number", mode="before")(_number_as_text)

    @model_validator(mode="after")
    def _kind_fields(self) -> Person:
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


class AccountantDeclaration(DossierPart):
    """The management body's declaration about verification or correction by an external accountant."""

    declared: bool = Field(
        True,
        description="the management body declares that no audit or correction mission was given to a "
        "person not authorised by law (the NBB's 'déclaration' box)",
    )
    accountants: tuple[Person, ...] = Field((), description="external accountants and their missions (A, B, C, D)")


class Document(DossierPart):
    """A text, given inline or as a file (``.txt`` read as text, ``.pdf`` embedded as base64)."""

    text: Optional[str] = None
    file: Optional[str] = None

    @model_validator(mode="after")
    def _one(self) -> Document:
        if bool(self.text) == bool(self.file):
            raise ValueError("give exactly one of 'text' or 'file'")
        return self


class PeriodAmounts(DossierPart):
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

    _no_float = field_validator("current", "previous", mode="before")(exact_decimal("an amount"))

    def items(self) -> list[tuple[str, Decimal]]:
        return [(p, a) for p, a in (("current", self.current), ("previous", self.previous)) if a is not None]


class Participation(DossierPart):
    """An entry of the list of participations (shares held in other companies)."""

    name: str
    enterprise_number: Optional[str] = None
    legal_form: Optional[str] = None
    address: Optional[Address] = None
    country: Optional[str] = Field(
        None,
        description="country of the investee's registered office (ISO code or name), when no full address "
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
        None,
        description="row id of the holding in the NBB list (typed dimension dim:open); default 1; written "
        "by import to keep the ids a filing used",
    )

    _check_en = field_validator("enterprise_number", mode="before")(enterprise_number_input)

    _code_text = field_validator("legal_form", mode="before")(_code_as_text)

    @model_validator(mode="after")
    def _one_country(self) -> Participation:
        if (
            self.country
            and self.address is not None
            and self.country.strip().casefold() != self.address.country.strip().casefold()
        ):
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
    "acquisitions",
    "disposals",
    "transfers",
    "other_movements",
    "revaluation_recorded",
    "revaluation_acquired",
    "revaluation_cancelled",
    "revaluation_transferred",
    "depreciation_recorded",
    "depreciation_written_back",
    "depreciation_acquired",
    "depreciation_cancelled",
    "depreciation_transferred",
    "uncalled_movements",
)


class FixedAssetMovements(DossierPart):
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
    revaluation_acquired: Optional[Decimal] = Field(
        None, description="revaluation surpluses acquired from third parties"
    )
    revaluation_cancelled: Optional[Decimal] = None
    revaluation_transferred: Optional[Decimal] = None
    depreciation_recorded: Optional[Decimal] = Field(None, description="depreciation / write-downs charged in the year")
    depreciation_written_back: Optional[Decimal] = None
    depreciation_acquired: Optional[Decimal] = Field(None, description="acquired from third parties")
    depreciation_cancelled: Optional[Decimal] = Field(None, description="cancelled on disposals and retirements")
    depreciation_transferred: Optional[Decimal] = None
    uncalled_movements: Optional[Decimal] = Field(
        None, description="financial assets: movements of uncalled amounts (+/-)"
    )
    by_kind: dict[str, FixedAssetMovements] = Field(
        default_factory=dict,
        description="movements per kind of asset, written in YAML as keys of the class: '210', '22' ... '27', "
        "'280' ... '285/8' (data/fixed-assets.yaml `kinds`); full models show the notes per kind",
    )

    _no_float = field_validator(*_MOVEMENT_FIELDS, mode="before")(exact_decimal("an amount"))

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
    def _one_level(self) -> FixedAssetMovements:
        if self.by_kind and self.items():
            raise ValueError("give the movements either for the whole class or per kind of asset, not both")
        if any(k.by_kind for k in self.by_kind.values()):
            raise ValueError("a kind of asset has no kinds of its own")
        return self

    def items(self) -> list[tuple[str, Decimal]]:
        return [(k, v) for k, v in self.__dict__.items() if v is not None and k != "by_kind"]


class FixedAssets(DossierPart):
    """Movements of the fixed-asset notes, by class (see :class:`FixedAssetMovements`)."""

    intangible: Optional[FixedAssetMovements] = Field(None, description="intangible fixed assets (21)")
    tangible: Optional[FixedAssetMovements] = Field(None, description="tangible fixed assets (22/27)")
    financial: Optional[FixedAssetMovements] = Field(None, description="financial fixed assets (28)")

    def classes(self) -> list[tuple[str, FixedAssetMovements]]:
        return [(k, v) for k, v in self.__dict__.items() if v is not None]


class GenderSplit(DossierPart):
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

    _no_float = field_validator("total", "men", "women", mode="before")(exact_decimal("a figure"))

    @model_validator(mode="after")
    def _sum(self) -> GenderSplit:
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


class SocialMeasure(DossierPart):
    """One measure of the social balance sheet by regime; ``total`` is in full-time equivalents for
    the average number of workers, and the sum of full and part time for hours and costs."""

    full_time: Optional[GenderSplit] = None
    part_time: Optional[GenderSplit] = None
    total: Optional[GenderSplit] = None
    previous_total: Optional[GenderSplit] = Field(None, description="the total of the previous exercise")


class SocialBalance(DossierPart):
    """The social balance sheet's first table: workers recorded in the personnel register."""

    average_workers: Optional[SocialMeasure] = Field(None, description="average number of workers (total in FTE)")
    hours_worked: Optional[SocialMeasure] = Field(None, description="number of hours actually worked")
    personnel_costs: Optional[SocialMeasure] = Field(None, description="personnel costs (EUR)")


class Inputs(DossierPart):
    """Trial balances and mapping (paths relative to the dossier file)."""

    trial_balance: Optional[str] = Field(
        default=None, description="this year's trial balance after appropriation (CSV, see docs/generate.md)"
    )
    previous_trial_balance: Optional[str] = Field(
        default=None,
        description="last year's trial balance: the previous-year column through the same mapping (give "
        "previous_exercise too); leave it out when previous_filing gives that column",
    )
    mapping: Optional[str] = Field(
        default=None,
        description="accounts -> rubrics: a shipped mapping by name (with-capital, without-capital, association) "
        "or a mapping file of your own (docs/mapping.md)",
    )


class DatapointFact(DossierPart):
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
            return {
                str(k): str(x) if isinstance(x, (int, Decimal)) and not isinstance(x, bool) else x for k, x in v.items()
            }
        return v

    @model_validator(mode="after")
    def _one(self) -> DatapointFact:
        if (self.value is None) == (self.file is None):
            raise ValueError("give exactly one of 'value' or 'file'")
        return self
