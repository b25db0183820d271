"""The dossier's note blocks that no trial balance gives: contributions or capital, shareholders,
the auditor's report, consolidation, rights and commitments, other information.

Each block is what the accountant knows, in the accountant's words; where each field is filed is
told by ``data/dossier-notes.yaml`` (dictionary metric and members, found in the catalog of the
model), and :mod:`nbb_filing.filing.notes.dossier_blocks` writes them.  A field whose cell the
installed package lacks (the replica has no cell for the amount of contributions, nor for the
declaration on consolidated accounts) is reported as left out, never dropped silently.

Values from a package list (the auditor's opinion, the consolidation level of a parent, the
publication code and legal form of a company with unlimited liability, countries and postal codes)
are checked against the list of the model when the filing is generated, like the legal form of the
entity: code, QName or label, one-line error naming the field otherwise.

What the package itself imposes and is checked here already, without the taxonomy: the auditor's
report is filed either as a PDF or as its structured parts (title, introduction, opinion, its
explanation, the other legal requirements, place and date), never both (rules oa_08.00.0_0001 /
oa_11.00.0_0001 of the package).  That the structured form needs all its parts (the package's
next rules) is left to validation: a filing that has only some of them must still import.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal, Optional

from pydantic import Field, field_validator, model_validator

from nbb_filing.filing.dossier_parts import Address, DossierPart, exact_decimal
from nbb_filing.filing.enterprise_number import enterprise_number_input

#: refuses binary floats and booleans (the dossier reader gives exact decimals)
_no_float = exact_decimal("an amount")


def _code_text(v: Any) -> Any:
    return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


Amount = Optional[Decimal]
Count = Optional[int]


class _OwnShares(DossierPart):
    own_shares_amount: Amount = Field(None, ge=0, description="own shares held by the company itself: amount")
    own_shares_number: Count = Field(None, ge=0, description="own shares held by the company itself: number")
    subsidiaries_shares_amount: Amount = Field(None, ge=0, description="shares held by its subsidiaries: amount")
    subsidiaries_shares_number: Count = Field(None, ge=0, description="shares held by its subsidiaries: number")

    _amounts = field_validator("own_shares_amount", "subsidiaries_shares_amount", mode="before")(_no_float)


class Movement(DossierPart):
    """A change of the year in the contributions or the capital (contribution, repayment ...)."""

    description: str
    amount: Decimal
    shares: Count = Field(None, ge=0)

    _amount = field_validator("amount", mode="before")(_no_float)


class Contributions(_OwnShares):
    """State of contributions of a company without capital (m81-f, m82-f, m87-f: coopératives, SRL).

    Example::

        contributions:
          amount: 1204950.00        # contributions at year end
          shares: 48198
          not_paid_up: 0
          subsidiaries_shares_number: 5
    """

    amount: Amount = Field(None, ge=0, description="contributions at year end (amount)")
    shares: Count = Field(None, ge=0, description="number of shares at year end")
    not_paid_up: Amount = Field(None, ge=0, description="contributions not paid up (uncalled or called unpaid)")
    movements: tuple[Movement, ...] = Field((), description="changes of the year (contributions, repayments)")

    _more = field_validator("amount", "not_paid_up", mode="before")(_no_float)


class CapitalCategory(DossierPart):
    """One category of shares in the structure of the capital."""

    category: str
    amount: Decimal
    shares: Count = Field(None, ge=0)

    _amount = field_validator("amount", mode="before")(_no_float)


class Capital(_OwnShares):
    """State of the capital and its structure, for a company with capital (m01-f, m02-f: SA ...).

    Example::

        capital:
          own_shares_amount: 6200.00
          own_shares_number: 10
          categories:
            - {category: Actions ordinaires, amount: 62000.00, shares: 100}
    """

    amount: Amount = Field(None, ge=0, description="subscribed capital at year end")
    shares: Count = Field(None, ge=0)
    not_paid_up: Amount = Field(None, ge=0, description="uncalled or called unpaid capital")
    movements: tuple[Movement, ...] = ()
    categories: tuple[CapitalCategory, ...] = Field((), description="structure of the capital by category of shares")

    _more = field_validator("amount", "not_paid_up", mode="before")(_no_float)


class ShareholderHolding(DossierPart):
    nature: str = Field("Parts", description="nature of the rights (parts, actions, droits de vote ...)")
    voting_rights_attached: Count = Field(None, ge=0, description="voting rights attached to securities")
    voting_rights_separate: Count = Field(None, ge=0, description="voting rights not attached to securities")
    percent: Optional[Decimal] = Field(None, ge=0, le=100, description="percent of the rights (45.5 means 45.5 %)")

    _pct = field_validator("percent", mode="before")(_no_float)


class Shareholder(DossierPart):
    """A shareholder known from the notifications received (natural person: first and last name;
    legal person: kind legal, name and enterprise number).

    Example::

        shareholders:
          - {kind: legal, name: Holding Dupont SA, enterprise_number: 0999.000.129,
             address: {street: Rue Haute, number: 5, postal_code: 1000, city: Bruxelles},
             holdings: [{nature: Actions, voting_rights_attached: 60, percent: 60}]}
    """

    kind: Literal["natural", "legal"] = "natural"
    name: Optional[str] = None
    first_name: Optional[str] = None
    last_name: Optional[str] = None
    enterprise_number: Optional[str] = None
    address: Optional[Address] = None
    holdings: tuple[ShareholderHolding, ...] = Field(default_factory=lambda: (ShareholderHolding.model_validate({}),))

    _en = field_validator("enterprise_number", mode="before")(enterprise_number_input)

    @model_validator(mode="after")
    def _names(self) -> Shareholder:
        if self.kind == "legal" and not self.name:
            raise ValueError("a legal person needs 'name'")
        if self.kind == "natural" and not (self.first_name and self.last_name):
            raise ValueError("a natural person needs 'first_name' and 'last_name'")
        if self.kind == "natural" and (self.name or self.enterprise_number):
            raise ValueError("'name' and 'enterprise_number' are for legal persons (kind: legal)")
        return self


class AuditorFee(DossierPart):
    """One line of the auditor's fees: the audit mandate or another mission, with its amount."""

    description: str
    amount: Decimal

    _amount = field_validator("amount", mode="before")(_no_float)


_REPORT_PARTS = ("title", "introduction", "opinion", "opinion_explanation", "other_requirements", "place", "date")


class AuditorReport(DossierPart):
    """The auditor's report (rapport du commissaire): as a PDF, or as its structured parts.

    Example::

        auditor_report:
          title: Rapport du commissaire à l'assemblée générale
          introduction: Nous vous présentons notre rapport ...
          opinion: "1"                # package list opn-enum:list1 (1 = unqualified opinion)
          opinion_explanation: Nous avons procédé au contrôle ...
          other_requirements: Sans modifier notre opinion ...
          place: Bruxelles
          date: 2025-05-20
          fees:
            - {description: Mandat de commissaire, amount: 18500.00}
    """

    file: Optional[str] = Field(None, description="the signed report as a PDF (instead of the structured parts)")
    title: Optional[str] = None
    introduction: Optional[str] = None
    opinion: Optional[str] = Field(None, description="kind of opinion, from the package list (code, QName or label)")
    opinion_explanation: Optional[str] = Field(None, description="basis for the opinion (report on the accounts)")
    other_requirements: Optional[str] = Field(None, description="report on other legal and regulatory requirements")
    place: Optional[str] = None
    date: Optional[dt.date] = None
    fees: tuple[AuditorFee, ...] = Field((), description="auditor's fees and other missions (full models)")

    _opinion = field_validator("opinion", mode="before")(_code_text)

    @model_validator(mode="after")
    def _pdf_or_parts(self) -> AuditorReport:
        given = [p for p in _REPORT_PARTS if getattr(self, p) not in (None, "")]
        if self.file and given:
            raise ValueError(
                f"give the report either as 'file' (PDF) or as its parts, not both (also given: {', '.join(given)})"
            )
        if self.file and not self.file.lower().endswith(".pdf"):
            raise ValueError(f"'file' must be a PDF (.pdf), got {self.file!r}")
        return self


class ParentCompany(DossierPart):
    """A parent company that consolidates the company (the smallest or the largest group)."""

    name: str
    enterprise_number: Optional[str] = None
    address: Optional[Address] = None
    publishes_consolidated: Optional[bool] = Field(
        None, description="does it draw up and publish consolidated accounts including the company?"
    )
    level: Optional[str] = Field(None, description="smallest or largest group (package list clc-enum:list1)")
    accounts_place: Optional[str] = Field(
        None, description="parent under foreign law: where its consolidated accounts can be obtained"
    )

    _en = field_validator("enterprise_number", mode="before")(enterprise_number_input)
    _level = field_validator("level", mode="before")(_code_text)


class Consolidation(DossierPart):
    """Consolidated accounts: drawn up, or the exemption and its reason; the company's parents.

    Example::

        consolidation:
          drawn_up: false
          exemption_reason: the group does not exceed the size criteria (art. 3:26 of the Code)
          parents:
            - {name: Groupe Coop SC, enterprise_number: 0999.000.426, level: "1",
               publishes_consolidated: true}
    """

    drawn_up: Optional[bool] = Field(None, description="the company draws up and publishes consolidated accounts")
    exemption_reason: Optional[str] = Field(None, description="why it is exempted from consolidation")
    parents: tuple[ParentCompany, ...] = ()

    @model_validator(mode="after")
    def _reason(self) -> Consolidation:
        if self.drawn_up and self.exemption_reason:
            raise ValueError("an exemption reason is for a company that draws up no consolidated accounts")
        return self


class RealGuarantees(DossierPart):
    """Real guarantees (mortgages, pledges, vendor's privilege) given on the company's own assets."""

    mortgages_book_value: Amount = Field(None, ge=0)
    mortgages_registration: Amount = Field(None, ge=0)
    mortgage_mandates: Amount = Field(None, ge=0)
    goodwill_pledge: Amount = Field(None, ge=0)
    goodwill_pledge_mandates: Amount = Field(None, ge=0)
    other_pledges_book_value: Amount = Field(None, ge=0)
    other_pledges_maximum: Amount = Field(None, ge=0)
    future_assets_amount: Amount = Field(None, ge=0)
    future_assets_maximum: Amount = Field(None, ge=0)
    vendor_privilege_book_value: Amount = Field(None, ge=0)
    vendor_privilege_unpaid: Amount = Field(None, ge=0)

    _amounts = field_validator("*", mode="before")(_no_float)


class DescribedAmount(DossierPart):
    """A line of a list of commitments: what it is, and its amount when it has one."""

    description: str
    amount: Amount = None

    _amount = field_validator("amount", mode="before")(_no_float)


class Pensions(DossierPart):
    """Supplementary retirement or survivors' pension plans for personnel or executives."""

    description: Optional[str] = Field(None, description="brief description of the plans")
    measures: Optional[str] = Field(None, description="measures taken to cover the related charges")
    past_services_amount: Amount = Field(None, ge=0, description="estimated commitments for past services")
    estimation_methods: Optional[str] = None

    _amount = field_validator("past_services_amount", mode="before")(_no_float)


class Commitments(DossierPart):
    """Rights and commitments not reflected in the balance sheet.

    Example::

        commitments:
          personal_guarantees: 250000.00       # given for debts of third parties
          real_guarantees_own: {mortgages_book_value: 480000.00, mortgages_registration: 400000.00}
          litigation:
            - {description: Litige prud'homal (ancien travailleur), amount: 35000.00}
          pensions: {description: Assurance de groupe à contributions définies}
          other:
            - {description: Garantie locative bancaire, amount: 42000.00}
    """

    personal_guarantees: Amount = Field(
        None, ge=0, description="personal guarantees given or promised for debts of third parties"
    )
    bills_endorsed: Amount = Field(None, ge=0, description="of which bills of exchange in circulation endorsed")
    real_guarantees_own: Optional[RealGuarantees] = Field(None, description="on own assets for own debts")
    real_guarantees_third_parties: Optional[RealGuarantees] = Field(
        None, description="on own assets for debts of third parties"
    )
    litigation: tuple[DescribedAmount, ...] = Field((), description="litigation and other important commitments")
    pensions: Optional[Pensions] = None
    off_balance_transactions: tuple[DescribedAmount, ...] = Field(
        (), description="nature and business purpose of transactions not reflected in the balance sheet"
    )
    other: tuple[DescribedAmount, ...] = Field((), description="other rights and commitments")

    _amounts = field_validator("personal_guarantees", "bills_endorsed", mode="before")(_no_float)


class UnlimitedLiabilityCompany(DossierPart):
    """A company of which the company is a partner with unlimited liability."""

    name: str
    enterprise_number: Optional[str] = None
    legal_form: Optional[str] = Field(None, description="package list lgf-enum:list1 (code, QName or label)")
    address: Optional[Address] = None
    publication_code: Optional[str] = Field(
        None, description="how its accounts are published (package list pub-enum:list2: A, B or D)"
    )

    _en = field_validator("enterprise_number", mode="before")(enterprise_number_input)
    _codes = field_validator("legal_form", "publication_code", mode="before")(_code_text)


class OtherInformation(DossierPart):
    """Other information of the notes and of the Code.

    Example::

        other_information:
          text: Le conseil d'administration a approuvé un plan d'investissement pluriannuel ...
          public_subsidies: 12500.00     # capital and interest subsidies from public authorities
          unlimited_liability:
            - {name: Les Ateliers Réunis SNC, enterprise_number: 0999.000.525, legal_form: "011",
               publication_code: A, address: {...}}
    """

    text: Optional[str] = Field(None, description="other information to be disclosed in the notes")
    public_subsidies: Amount = Field(
        None, ge=0, description="capital and interest subsidies granted by public authorities (Code)"
    )
    unlimited_liability: tuple[UnlimitedLiabilityCompany, ...] = Field(
        (), description="companies for which the company is a partner with unlimited liability"
    )

    _amount = field_validator("public_subsidies", mode="before")(_no_float)
