"""The dossier: everything a filing needs that a trial balance does not hold.

A dossier is a YAML file written by the accountant (see ``docs/generate.md`` and the sample in
``samples/smartcoop-2024/dossier.yaml``).  It is validated in two steps:

1. with pydantic, by :class:`Dossier` (here) and its parts (:mod:`nbb_filing.filing.dossier_parts`):
   structure, types, the enterprise number (modulo 97), the order of the periods and dates.
   Nothing in this step needs the taxonomy;
2. in :mod:`nbb_filing.filing.facts`, against the catalog of the chosen model: enumeration values
   (legal form, court, country, postal code, function), rubric codes and the type of each figure.

Every error is a one-line :class:`~nbb_filing.core.errors.InputError` naming the file, the line and the
field, e.g. ``dossier.yaml line 7 (entity.enterprise_number): ...``: a :class:`Dossier` remembers
the file it was read from and the YAML line of each field (:mod:`nbb_filing.filing.dossier_files`
reads and writes the files), and whether the files it names may lie outside its folder.  Copies
made with :meth:`Dossier.with_changes` keep all three.

Stability (for :mod:`nbb_filing.reading.importer` and other readers): the field names and meanings of
:class:`Dossier`, :class:`Entity`, :class:`Address`, :class:`Exercise`, :class:`Person`,
:class:`Mandate`, :class:`Representative`, :class:`Participation`, :class:`Document`,
:class:`PeriodAmounts`, :class:`Inputs` and :class:`AccountantDeclaration` are stable from
``schema_version: 1`` on; new optional fields may be added, existing ones are not renamed.
The JSON Schema of the dossier (``schemas/dossier.schema.json``) is regenerated with
``python -m nbb_filing.filing.dossier schemas/dossier.schema.json``.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import Field, PrivateAttr, ValidationInfo, field_validator, model_validator

from nbb_filing.core.errors import InputError
from nbb_filing.core.pydantic_errors import dotted
from nbb_filing.filing.dossier_completeness import NotApplicable
from nbb_filing.filing.dossier_notes import (
    AuditorReport,
    Capital,
    Commitments,
    Consolidation,
    Contributions,
    OtherInformation,
    Shareholder,
)
from nbb_filing.filing.dossier_notes_books import DebtEntry, GroupAccounts
from nbb_filing.filing.dossier_notes_social import SocialBalanceSheet
from nbb_filing.filing.dossier_parts import (
    AccountantDeclaration,
    DatapointFact,
    Document,
    DossierPart,
    Entity,
    Exercise,
    FixedAssets,
    Inputs,
    Participation,
    PeriodAmounts,
    Person,
)

SCHEMA_VERSION = 1
LANGUAGES = ("fr", "nl", "de", "en")


class Dossier(DossierPart):
    """One annual-accounts filing: identification, people, appropriation, notes and inputs."""

    schema_version: Literal[1] = 1
    model: str = Field(description="model and part of the package, e.g. m82-f (full, without capital)")
    language: Literal["fr", "nl", "de", "en"] = "fr"
    entity: Entity
    exercise: Exercise
    previous_exercise: Optional[Exercise] = Field(
        None,
        description="last year's exercise, for the previous-year column: give with it "
        "inputs.previous_trial_balance or previous_filing",
    )
    previous_filing: Optional[str] = Field(
        None,
        description="last year's accepted filing (.xbrl); its current-year column becomes this year's "
        "previous-year column (see docs/import.md); instead of inputs.previous_trial_balance",
    )
    general_meeting: date
    previous_amounts_identical: Optional[bool] = Field(
        None,
        description="previous-year amounts identical to those published; required with a previous exercise, "
        "derived from the comparison when previous_filing is given",
    )
    in_liquidation: bool = False
    directors: tuple[Person, ...] = ()
    auditors: tuple[Person, ...] = ()
    accountant_declaration: Optional[AccountantDeclaration] = None
    inputs: Inputs = Inputs()
    appropriation: dict[str, PeriodAmounts] = Field(
        default_factory=dict, description="appropriation account decided by the general meeting, by rubric code"
    )
    figures: dict[str, PeriodAmounts] = Field(
        default_factory=dict,
        description="rubric figures given directly (notes, social balance sheet ...), by rubric code",
    )
    participations: tuple[Participation, ...] = ()
    fixed_assets: Optional[FixedAssets] = Field(
        None,
        description="movements of the exercise in the fixed-asset notes, by class (closing values come "
        "from the trial balances through the mapping)",
    )
    social_balance: Optional[SocialBalanceSheet] = Field(
        None,
        description="social balance sheet: average workers, hours worked, personnel costs, by regime "
        "(and gender where the model shows it); workers at year end, entries, exits, external staff, "
        "training, joint committees; or a staff register CSV they are computed from",
    )
    contributions: Optional[Contributions] = Field(
        None, description="state of contributions (companies without capital)"
    )
    capital: Optional[Capital] = Field(
        None, description="state of the capital and its structure (companies with capital)"
    )
    shareholders: tuple[Shareholder, ...] = Field(
        (), description="shareholder structure from the notifications received"
    )
    auditor_report: Optional[AuditorReport] = Field(None, description="the auditor's report, fees and other missions")
    consolidation: Optional[Consolidation] = Field(None, description="consolidated accounts or exemption; the parents")
    commitments: Optional[Commitments] = Field(None, description="rights and commitments not in the balance sheet")
    other_information: Optional[OtherInformation] = Field(None, description="other information (notes and Code)")
    debts: Optional[tuple[DebtEntry, ...]] = Field(
        None, description="debts note: maturity, guarantees and overdue part per debt account (issue #20)"
    )
    group: Optional[GroupAccounts] = Field(
        None, description="accounts towards affiliated/associated/participating enterprises, guarantees to them"
    )
    valuation_rules: Optional[Document] = None
    management_report: Optional[Document] = None
    not_applicable: NotApplicable = Field(default_factory=dict)
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

    # The two date checks are field validators (not the model's), so that an error names the line of
    # the field at fault; ``exercise`` is declared before both, so it is validated first.
    @field_validator("previous_exercise")
    @classmethod
    def _previous_before(cls, prev: Optional[Exercise], info: ValidationInfo) -> Optional[Exercise]:
        ex = info.data.get("exercise")
        if prev is not None and ex is not None and prev.end >= ex.start:
            raise ValueError(
                f"the previous exercise ({prev.start} to {prev.end}) must end before the exercise starts ({ex.start})"
            )
        return prev

    @field_validator("general_meeting")
    @classmethod
    def _meeting_after(cls, meeting: date, info: ValidationInfo) -> date:
        ex = info.data.get("exercise")
        if ex is not None and meeting <= ex.end:
            raise ValueError(f"the general meeting ({meeting}) must come after the closing date ({ex.end})")
        return meeting

    @model_validator(mode="after")
    def _periods(self) -> Dossier:
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

    # ------------------------------------------------------------------ where it was read from
    def with_source(self, path: Optional[Path], lines: dict[tuple, int], *, allow_outside_paths: bool) -> Dossier:
        """This dossier as read from the file ``path``, ``lines`` mapping each field location to its
        YAML line; ``allow_outside_paths``: see :meth:`resolve_path`."""
        return self._copy({}, path, lines, allow_outside_paths)

    def with_changes(self, **fields: Any) -> Dossier:
        """A copy with ``fields`` replaced (not validated again), still read from the same file, with
        the same lines and the same policy for paths outside its folder."""
        return self._copy(fields, self._path, self._lines, self._allow_outside)

    def _copy(
        self, update: dict[str, Any], path: Optional[Path], lines: dict[tuple, int], allow_outside: bool
    ) -> Dossier:
        copy = self.model_copy(update=update)
        copy._path, copy._lines, copy._allow_outside = path, lines, allow_outside
        return copy

    def has_line(self, *loc: Any) -> bool:
        """Whether the YAML line of the field at ``loc`` itself is known (not only a parent's)."""
        return tuple(loc) in self._lines

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
        _refuse_special_file(p, relative, self.where(*loc))
        return p

    def mapping_path(self) -> Path | None:
        """The mapping file ``inputs.mapping`` names (``None`` without one), held to the folder rule
        of :meth:`resolve_path`: a shipped mapping (by name, or by its path such as
        ``../../mappings/with-capital.yaml``) is the installation's own and allowed anywhere; any
        other file must lie inside the dossier's folder (a private file named by mistake or by a
        hostile dossier is not read, nor quoted in an error)."""
        from nbb_filing.books.mapping_file import locate_mapping
        from nbb_filing.core.shipped import shipped_dir

        named = self.inputs.mapping
        if not named:
            return None
        found = locate_mapping(named, self.base_dir)
        shipped = shipped_dir("mappings")
        if shipped is not None and found.resolve().parent == shipped.resolve() and found.is_file():
            return found
        self.resolve_path(named, "inputs", "mapping")  # raises when outside the folder
        return found

    def where(self, *loc: Any) -> str:
        """``dossier.yaml line 12 (entity.court)`` for error messages (nearest known line)."""
        name = self._path.name if self._path else "dossier"
        field = dotted(loc)
        probe = tuple(loc)
        while probe and not self.has_line(*probe):
            probe = probe[:-1]
        line = self._lines.get(probe)
        at = f" line {line}" if line else ""
        return f"{name}{at} ({field})" if field else f"{name}{at}"

    @property
    def part(self) -> str:
        return self.model.split("-", 1)[1]


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


def _refuse_special_file(p: Path, relative: str, where: str) -> None:
    """A named file that exists but is not a regular file (a FIFO would block the read forever,
    ``/dev/zero`` never ends, a folder cannot be read) is refused; a missing one is left to the
    reader, which says so."""
    import stat

    try:
        mode = p.stat().st_mode  # symbolic links followed
    except OSError:
        return
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "a FIFO" if stat.S_ISFIFO(mode) else "a device or socket"
        raise InputError(f"{where}: {relative} is not a regular file ({kind})")
