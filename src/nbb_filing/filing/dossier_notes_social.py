"""The whole social balance sheet in the dossier: ``social_balance:`` beyond its first table.

:class:`SocialBalanceSheet` keeps the first table's keys of
:class:`~nbb_filing.filing.dossier_parts.SocialBalance` (average workers, hours, personnel costs)
and adds the other tables of the NBB's social balance sheet:

* ``year_end``: workers recorded in the personnel register at the closing date, in total, by kind
  of contract, by sex and level of education, by professional category;
* ``temporary_staff`` / ``placed_staff``: temporary agency workers and persons placed at the
  company's disposal (average, hours, cost);
* ``entries`` / ``exits``: workers who came in or left during the exercise (exits also by reason);
* ``training``: formal, less formal or informal, and initial vocational training, by sex;
* ``joint_committees``: the joint committee(s) (commissions paritaires / paritaire comités);
* ``benefits``: benefits granted in addition to wages (full models).

Either the figures are given here, or ``staff_register:`` names a staff register CSV from which
:mod:`nbb_filing.filing.notes.social_register` computes every table a register can tell (then
those tables must not be given here too).  The field names are the paths of the cells in
``data/social-balance.yaml``: a test keeps the two in step.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Optional

from pydantic import ConfigDict, Field, field_validator, model_validator

from nbb_filing.filing.dossier_parts import DossierPart, SocialBalance, SocialMeasure, exact_decimal

#: refuses binary floats and booleans (the dossier reader gives exact decimals)
_no_float = exact_decimal("a figure")


class Headcount(DossierPart):
    """One row of a headcount table: persons working full time, part time, and their total in
    full-time equivalents (one decimal)."""

    full_time: Optional[int] = Field(None, ge=0, description="number of full-time workers")
    part_time: Optional[int] = Field(None, ge=0, description="number of part-time workers")
    fte: Optional[Decimal] = Field(None, ge=0, description="total in full-time equivalents (one decimal)")

    _exact = field_validator("full_time", "part_time", "fte", mode="before")(_no_float)


class ByContract(DossierPart):
    """By kind of employment contract."""

    permanent: Optional[Headcount] = Field(None, description="contract of unlimited duration")
    fixed_term: Optional[Headcount] = Field(None, description="contract of limited duration")
    specific_work: Optional[Headcount] = Field(None, description="contract for a clearly defined piece of work")
    replacement: Optional[Headcount] = Field(None, description="replacement contract")


class ByEducation(DossierPart):
    """Workers of one sex, in total and by level of education."""

    total: Optional[Headcount] = Field(None, description="all workers of this sex (the sum of the levels if omitted)")
    primary: Optional[Headcount] = None
    secondary: Optional[Headcount] = None
    higher_non_university: Optional[Headcount] = None
    university: Optional[Headcount] = None


class BySexAndEducation(DossierPart):
    men: Optional[ByEducation] = None
    women: Optional[ByEducation] = None


class ByCategory(DossierPart):
    """By professional category."""

    management: Optional[Headcount] = Field(None, description="management staff (personnel de direction)")
    employees: Optional[Headcount] = Field(None, description="employees (employés / bedienden)")
    blue_collar: Optional[Headcount] = Field(None, description="blue-collar workers (ouvriers / arbeiders)")
    other: Optional[Headcount] = None


class YearEnd(DossierPart):
    """Workers recorded in the personnel register at the closing date."""

    total: Optional[Headcount] = None
    by_contract: Optional[ByContract] = None
    by_sex_and_education: Optional[BySexAndEducation] = None
    by_category: Optional[ByCategory] = None


class ExternalStaff(DossierPart):
    """Temporary agency staff, or persons placed at the company's disposal, over the exercise."""

    average: Optional[Decimal] = Field(None, ge=0, description="average number of persons employed")
    hours: Optional[int] = Field(None, ge=0, description="number of hours actually worked")
    costs: Optional[Decimal] = Field(None, ge=0, description="costs for the company (EUR)")

    _exact = field_validator("average", "hours", "costs", mode="before")(_no_float)


class Entries(DossierPart):
    """Workers entered in the personnel register (DIMONA in) during the exercise."""

    total: Optional[Headcount] = None
    by_contract: Optional[ByContract] = None


class ExitReasons(DossierPart):
    """Exits by reason for the end of the contract."""

    retirement: Optional[Headcount] = Field(None, description="pension")
    unemployment_with_supplement: Optional[Headcount] = Field(
        None, description="unemployment with company supplement (former bridging pension)"
    )
    dismissal: Optional[Headcount] = None
    other: Optional[Headcount] = Field(None, description="other reason (end of a fixed-term contract, resignation ...)")
    other_self_employed: Optional[Headcount] = Field(
        None,
        description="of the other reasons: persons who go on serving the company, at least half time, as self-employed",
    )


class Exits(DossierPart):
    """Workers whose end of contract was declared (DIMONA out) during the exercise."""

    total: Optional[Headcount] = None
    by_contract: Optional[ByContract] = None
    by_reason: Optional[ExitReasons] = None


class TrainingFigures(DossierPart):
    """Training of one kind, for one sex: workers involved, hours followed, net cost."""

    participants: Optional[int] = Field(None, ge=0, description="number of workers involved")
    hours: Optional[int] = Field(None, ge=0, description="number of training hours followed")
    net_cost: Optional[Decimal] = Field(None, description="net cost for the company (EUR)")

    _exact = field_validator("participants", "hours", "net_cost", mode="before")(_no_float)


class FormalTrainingFigures(TrainingFigures):
    """Formal training of one sex; its cost may be detailed (the NBB's rubrics 58031-58033):
    net cost = gross cost + contributions - subsidies (computed when only the details are given)."""

    gross_cost: Optional[Decimal] = Field(None, description="gross cost directly linked to the training")
    contributions: Optional[Decimal] = Field(None, description="contributions paid and payments to collective funds")
    subsidies: Optional[Decimal] = Field(None, description="grants and other financial benefits received")

    _exact_details = field_validator("gross_cost", "contributions", "subsidies", mode="before")(_no_float)

    @model_validator(mode="after")
    def _net(self) -> FormalTrainingFigures:
        parts = (self.gross_cost, self.contributions, self.subsidies)
        if any(p is not None for p in parts):
            computed = (self.gross_cost or 0) + (self.contributions or 0) - (self.subsidies or 0)
            if self.net_cost is None:
                object.__setattr__(self, "net_cost", Decimal(computed))
            elif self.net_cost != computed:
                raise ValueError(f"net_cost {self.net_cost} is not gross_cost + contributions - subsidies ({computed})")
        return self


class TrainingBySex(DossierPart):
    men: Optional[TrainingFigures] = None
    women: Optional[TrainingFigures] = None


class FormalTrainingBySex(DossierPart):
    men: Optional[FormalTrainingFigures] = None
    women: Optional[FormalTrainingFigures] = None


class Training(DossierPart):
    """Training initiatives for workers during the exercise."""

    formal: Optional[FormalTrainingBySex] = Field(None, description="formal continuing vocational training")
    informal: Optional[TrainingBySex] = Field(
        None, description="less formal or informal continuing vocational training"
    )
    initial: Optional[TrainingBySex] = Field(None, description="initial vocational training at the employer's expense")


class SocialBalanceSheet(SocialBalance):
    """The social balance sheet: the first table (average workers, hours, costs) and the others.

    With ``staff_register:`` the tables a staff register tells (the first table's current year, year
    end, entries, exits, training) are computed from it; the dossier then gives only what a
    register cannot hold (the previous-year totals, temporary and placed staff, joint committees).
    """

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "staff_register": "staff-2024.csv",
                    "joint_committees": ["200"],
                    "average_workers": {"previous_total": "9.3"},
                    "personnel_costs": {"previous_total": "541900.00"},
                },
                {
                    "average_workers": {"full_time": 8, "part_time": 3, "total": "9.6"},
                    "year_end": {
                        "total": {"full_time": 8, "part_time": 3, "fte": "9.6"},
                        "by_contract": {"permanent": {"full_time": 8, "part_time": 3, "fte": "9.6"}},
                    },
                    "exits": {"by_reason": {"retirement": {"full_time": 1}}},
                    "training": {"formal": {"men": {"participants": 4, "hours": 96, "net_cost": "2800.00"}}},
                },
            ]
        }
    )

    staff_register: Optional[str] = Field(
        None,
        description="staff register CSV (one line per worker and contract, relative to the dossier; see "
        "docs/generate.md) from which the tables are computed",
    )
    joint_committees: tuple[str, ...] = Field(
        (),
        description="joint committee(s) the company belongs to: code (200 or 329.01), QName (jcc:m200) or label "
        "of the package list jcc-enum:list1 (`nbb-filing taxonomy values jcc-enum:list1 --model MODEL`)",
    )
    benefits: Optional[SocialMeasure] = Field(
        None, description="benefits granted in addition to wages (EUR; full models: total and previous_total)"
    )
    year_end: Optional[YearEnd] = Field(
        None, description="workers recorded in the personnel register at the closing date"
    )
    temporary_staff: Optional[ExternalStaff] = Field(None, description="temporary agency staff")
    placed_staff: Optional[ExternalStaff] = Field(None, description="persons placed at the company's disposal")
    entries: Optional[Entries] = None
    exits: Optional[Exits] = None
    training: Optional[Training] = None

    @field_validator("joint_committees", mode="before")
    @classmethod
    def _codes_as_text(cls, v: Any) -> Any:
        # YAML reads 200 or 329.02 as numbers: committee codes are text
        if isinstance(v, (list, tuple)):
            return tuple(str(x) if isinstance(x, (int, float, Decimal)) and not isinstance(x, bool) else x for x in v)
        return v

    @model_validator(mode="after")
    def _register_or_figures(self) -> SocialBalanceSheet:
        if self.staff_register is None:
            return self
        for name in REGISTER_BLOCKS:
            if getattr(self, name) is not None:
                raise ValueError(f"'{name}' is computed from the register: give it in one place only")
        for name in ("average_workers", "hours_worked", "personnel_costs"):
            m = getattr(self, name)
            given = [k for k in REGISTER_MEASURE_KEYS if m is not None and getattr(m, k) is not None]
            if given:
                raise ValueError(
                    f"'{name}.{given[0]}' is computed from the register: give only previous_total beside it"
                )
        return self


#: The blocks a staff register computes (must not be given beside ``staff_register:``).
REGISTER_BLOCKS = ("year_end", "entries", "exits", "training")
#: Keys of the first-table measures a register computes (the previous year stays in the dossier).
REGISTER_MEASURE_KEYS = ("full_time", "part_time", "total")
