"""What validation finds, as plain data: findings, assertion results, per-file and per-call reports.

A leaf module: the Arelle run (:mod:`nbb_filing.checks.validate`), the filing-protocol rules
(:mod:`nbb_filing.checks.protocol`), the report formats and the renderers all speak these types,
and none of them needs the others to do so.

The effect of a finding follows the NBB's families rather than the severity a package declares:
``va_`` statutory rules block the filing, ``ca_`` complementary and ``cs_``/``cx_`` social balance
sheet rules only warn (the NBB accepts the filing and asks questions later).
"""

from __future__ import annotations

from dataclasses import dataclass, field

BLOCKING = "blocking"
WARNING = "warning"
INFO = "info"
EFFECTS = (BLOCKING, WARNING, INFO)

#: NBB assertion families (id prefix before the first underscore) whose effect the NBB fixes,
#: whatever severity the package declares.  Other families follow the declared severity.
FAMILY_EFFECT = {"va": BLOCKING, "ca": WARNING, "cs": WARNING, "cx": WARNING}
FAMILY_NAME = {
    "va": "statutory assertion",
    "ca": "complementary assertion",
    "cs": "social balance sheet assertion",
    "cx": "social balance sheet assertion",
}
_SEVERITY_EFFECT = {"ERROR": BLOCKING, "WARNING": WARNING, "OK": INFO}


# ====================================================================== report data


@dataclass(frozen=True)
class FactRef:
    """A fact involved in a finding, placed in the model: rubric code, labels, value, line."""

    key: str  # datapoint key, or metric[members] when the model has no such datapoint
    rubric: str | None
    label: str
    column: str
    period: str  # current / previous / none / unknown
    value: str | None
    line: int | None = None

    def describe(self) -> str:
        """``20/58 [N] TOTAL DE L'ACTIF / Exercice = 554894.28 (line 1371)``; the datapoint key
        stands in for the rubric and label when the model has neither for the fact."""
        head = " ".join(
            x for x in (self.rubric or "", {"current": "[N]", "previous": "[N-1]"}.get(self.period, "")) if x
        )
        label = self.label + (f" / {self.column}" if self.column else "") if self.label else ""
        if not label and not self.rubric:
            label = self.key
        line = f" (line {self.line})" if self.line else ""
        value = self.value if self.value is not None else "nil"
        return f"{head + ' ' if head else ''}{label} = {value}{line}"


@dataclass(frozen=True)
class Finding:
    """One thing the NBB would say about the filing.

    ``rule`` is the assertion id (``va_calc_14``), the Arelle message code
    (``xbrldie:PrimaryItemDimensionallyInvalidError``) or the protocol rule function name
    (``dat_31_at_most_two_decimals``).  ``source`` is ``assertion``, ``xbrl``, ``protocol`` or
    ``framework``; ``family`` the NBB family for assertions (``va``, ``ca``, ``oa`` ...);
    ``effect`` is ``blocking``, ``warning`` or ``info``.
    """

    rule: str
    source: str
    family: str
    effect: str
    message: str
    facts: tuple[FactRef, ...] = ()
    line: int | None = None

    @property
    def rubrics(self) -> tuple[str, ...]:
        out: list[str] = []
        for f in self.facts:
            if f.rubric and f.rubric not in out:
                out.append(f.rubric)
        return tuple(out)


@dataclass(frozen=True)
class AssertionResult:
    """Evaluation counts of one assertion of the model, and what an unsatisfied result means."""

    id: str
    family: str
    declared_severity: str  # ERROR / WARNING / OK as the package declares it (ERROR when silent)
    effect: str
    satisfied: int
    not_satisfied: int
    kind: str = "value"  # value / existence / consistency

    @property
    def evaluated(self) -> bool:
        return self.satisfied + self.not_satisfied > 0


@dataclass(frozen=True)
class ProtocolRuleResult:
    rule: str
    title: str
    findings: int


#: What the completeness check says of one rule (see :mod:`nbb_filing.checks.completeness`).
MISSING = "missing"  # required and empty: the filing is INCOMPLETE
FILLED = "filled"  # required and given
DECLARED = "declared not applicable"  # the dossier's not_applicable, with its reason
NOT_REQUIRED = "not required"  # its triggers do not apply
NOT_CHECKED = "not checked"  # the package has no such cells, or no trigger rubric in the model
UNDECIDED = "not decided"  # a trigger needs a fact the filing alone does not give (no dossier)
COMPLETENESS_STATES = (MISSING, FILLED, DECLARED, NOT_REQUIRED, NOT_CHECKED, UNDECIDED)


@dataclass(frozen=True)
class CompletenessItem:
    """One content requirement (a rule of ``data/completeness.yaml``) judged on one filing.

    ``why`` is the trigger that applied (or why none did), ``source`` the legal basis, ``fill`` how a
    dossier fills the section; ``sections`` the catalog sections where the model has its cells.
    """

    rule: str
    title: str
    state: str
    why: str
    source: str
    fill: str
    trigger: str = ""  # model / figure / fact / legal_form / always
    sections: tuple[str, ...] = ()
    reason: str = ""  # the dossier's reason, for a section declared not applicable


@dataclass
class FileReport:
    """Everything found about one file, and whether it can be filed."""

    path: str
    model: str | None = None
    framework: str | None = None  # framework the file was written with
    validated_with: str | None = None  # framework of the package used
    retargeted: tuple[str, ...] = ()
    findings: list[Finding] = field(default_factory=list)
    assertions: list[AssertionResult] = field(default_factory=list)
    protocol_rules: list[ProtocolRuleResult] = field(default_factory=list)
    error: str | None = None  # set when the file could not be validated (exit code 2)
    seconds: float = 0.0
    facts: int = 0
    #: the content requirements of the model judged on the file (issue 19); any MISSING: INCOMPLETE
    completeness: list[CompletenessItem] = field(default_factory=list)

    # ---------------------------------------------------------------- counts
    def count(self, effect: str) -> int:
        return sum(1 for f in self.findings if f.effect == effect)

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.effect == BLOCKING]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.effect == WARNING]

    @property
    def assertions_evaluated(self) -> list[AssertionResult]:
        return [a for a in self.assertions if a.evaluated]

    @property
    def assertions_skipped(self) -> list[AssertionResult]:
        return [a for a in self.assertions if not a.evaluated]

    @property
    def assertions_unsatisfied(self) -> list[AssertionResult]:
        return [a for a in self.assertions if a.not_satisfied]

    @property
    def assertions_satisfied(self) -> list[AssertionResult]:
        return [a for a in self.assertions if a.evaluated and not a.not_satisfied]

    @property
    def missing(self) -> list[CompletenessItem]:
        """Required sections the filing leaves empty (each makes it INCOMPLETE)."""
        return [c for c in self.completeness if c.state == MISSING]

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            return 2
        return 1 if self.blocking or self.missing else 0

    @property
    def status(self) -> str:
        """can be filed / blocked (blocking findings) / incomplete (required sections empty) / not validated."""
        if self.exit_code == 1 and not self.blocking:
            return "incomplete"
        return {0: "can be filed", 1: "blocked", 2: "not validated"}[self.exit_code]


@dataclass
class ValidationReport:
    """The reports of every file of one ``validate`` call; the exit code is the worst of them."""

    files: list[FileReport]
    package: str = ""
    package_version: str = ""
    lang: str = "fr"
    seconds: float = 0.0
    taxonomy_seconds: float = 0.0  # loading + compiling each model's taxonomy once (reuse mode)
    notice: str = ""  # one line every report repeats, e.g. that the package is a replica

    @property
    def exit_code(self) -> int:
        return max((f.exit_code for f in self.files), default=0)

    @property
    def ok(self) -> bool:
        """True when every file can be filed (warnings allowed): what ``generate --validate`` asks."""
        return self.exit_code == 0


def family_of(assertion_id: str) -> str:
    """``va_calc_14`` -> ``va``; ``oa_03_0012`` -> ``oa``; an id without ``_`` is its own family."""
    return assertion_id.split("_", 1)[0] if "_" in assertion_id else assertion_id


def assertion_effect(assertion_id: str, declared_severity: str | None) -> str:
    """What an unsatisfied assertion means for the filing: NBB family first, then declared severity."""
    fam = family_of(assertion_id)
    if fam in FAMILY_EFFECT:
        return FAMILY_EFFECT[fam]
    return _SEVERITY_EFFECT.get((declared_severity or "ERROR").upper(), BLOCKING)


def family_title(family: str) -> str:
    """``statutory assertion (va_)``; families the NBB does not fix follow the package's severity."""
    if family in FAMILY_NAME:
        return f"{FAMILY_NAME[family]} ({family}_)"
    return f"assertion ({family}_, severity declared by the package)"
